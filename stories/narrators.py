"""Narrators turn an analysis and an intent into an ordered list of chapters.

``settings.STORY_NARRATOR`` names the class; a language-model narrator only has to implement ``write``.
The default, ``TemplateNarrator``, is deterministic and uses nothing but the analysis.
"""

from dataclasses import dataclass, field
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class StoryBrief:
    repository_name: str
    narrative_style: str
    intent_category: str = "onboarding"
    expertise_level: str = "intermediate"
    focus_areas: list[str] = field(default_factory=list)
    learning_goals: str = ""


@dataclass(frozen=True)
class ChapterDraft:
    title: str
    text: str


class Narrator(Protocol):
    def write(self, analysis: dict, brief: StoryBrief) -> list[ChapterDraft]: ...


@cache
def get_narrator() -> Narrator:
    return import_string(settings.STORY_NARRATOR)()


OPENINGS = {
    "fiction": "Once upon a commit, in a repository called {name}, a story began.",
    "documentary": "This is the story of {name}, told through its code and its history.",
    "tutorial": "In this walkthrough you will learn how {name} is put together, step by step.",
    "podcast": "Welcome back to the show. Today we are talking about {name}.",
    "technical": "Technical overview of {name}.",
}
CATEGORY_AIMS = {
    "onboarding": "The aim is to get you productive in this codebase quickly.",
    "architecture": "The aim is to understand how the pieces fit together and why.",
    "feature": "The aim is to find where a new feature would belong and what it would touch.",
    "debugging": "The aim is to know where to look when something goes wrong.",
}
CLOSINGS = {
    "onboarding": "A good next step is to run the project locally, starting from {start}.",
    "architecture": "A good next step is to trace one request or command from {start} through the layers.",
    "feature": "A good next step is to sketch your change next to the code around {start}.",
    "debugging": "A good next step is to reproduce a failure and follow it from {start}.",
}
DEPTH = {
    "beginner": "We will take it slowly and explain each part in plain words.",
    "intermediate": "We will keep a steady pace and focus on what matters.",
    "expert": "We will move fast and stay close to the structure.",
}


def _join(items: list[str]) -> str:
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


class TemplateNarrator:
    """Deterministic chapters: introduction, structure, one per focus area, history, wrap-up."""

    def write(self, analysis: dict, brief: StoryBrief) -> list[ChapterDraft]:
        chapters = [self._introduction(analysis, brief), self._structure(analysis, brief)]
        focus_areas = [area for area in brief.focus_areas if area.strip()][:5]
        chapters += [self._focus(analysis, brief, area) for area in focus_areas] or [
            self._start_here(analysis)
        ]
        chapters += [self._history(analysis, brief), self._wrap_up(analysis, brief)]
        return chapters

    def _introduction(self, analysis: dict, brief: StoryBrief) -> ChapterDraft:
        parts = [
            OPENINGS.get(brief.narrative_style, OPENINGS["documentary"]).format(name=brief.repository_name)
        ]
        if analysis.get("readme_excerpt"):
            parts.append(f"Its own description says: {analysis['readme_excerpt']}")
        parts.append(CATEGORY_AIMS.get(brief.intent_category, ""))
        parts.append(DEPTH.get(brief.expertise_level, ""))
        if brief.learning_goals:
            parts.append(f"You told us what you want to learn: {brief.learning_goals.strip()}")
        return ChapterDraft("Introduction", " ".join(p for p in parts if p))

    def _structure(self, analysis: dict, brief: StoryBrief) -> ChapterDraft:
        languages = analysis.get("languages", [])
        parts = [f"The repository holds {_count(analysis.get('file_count', 0), 'file')}."]
        if languages:
            described = [
                f"{lang['language']} with {_count(lang['lines'], 'line')} in {_count(lang['files'], 'file')}"
                for lang in languages[:4]
            ]
            parts.append(f"Most of it is written in {_join(described)}.")
        shown = [
            item for item in analysis.get("top_level", []) if not item["name"].startswith(".")
        ]  # no dotfiles
        directories = [item["name"] for item in shown if item["kind"] == "directory"]
        files = [item["name"] for item in shown if item["kind"] == "file"]
        if directories:
            parts.append(f"At the top level there are the folders {_join(directories[:8])}.")
        if files and brief.expertise_level != "expert":
            parts.append(f"Next to them sit the files {_join(files[:8])}.")
        return ChapterDraft("How it is organised", " ".join(parts))

    def _focus(self, analysis: dict, brief: StoryBrief, area: str) -> ChapterDraft:
        needle = area.lower()
        folders = [item for item in analysis.get("top_level", []) if needle in item["name"].lower()][:3]
        folder_names = {item["name"] for item in folders}
        elsewhere = [
            path
            for path in analysis.get("paths", [])
            if needle in path.rsplit("/", 1)[-1].lower() and path.split("/", 1)[0] not in folder_names
        ][:4]
        parts = []
        for item in folders:
            if item["kind"] == "file":
                parts.append(f"The file {item['name']} sits at the top level.")
            elif item["sample"]:
                parts.append(
                    f"The {item['name']} folder holds {_count(item['files'], 'file')}; "
                    f"the longest are {_join(item['sample'][:4])}."
                )
            else:
                parts.append(f"The {item['name']} folder holds {_count(item['files'], 'file')}.")
        if elsewhere:
            verb = "carries" if len(elsewhere) == 1 else "carry"
            parts.append(f"{'Elsewhere, ' if parts else ''}{_join(elsewhere)} {verb} the name {area}.")
        if not parts:
            parts.append(
                f"Nothing is named after {area}, so it is woven through the code. "
                f"Search for it starting from {_join(analysis.get('entry_points', [])[:3]) or 'the main folders'}."
            )
        return ChapterDraft(f"Focus: {area}", " ".join(parts))

    def _start_here(self, analysis: dict) -> ChapterDraft:
        entry_points = analysis.get("entry_points", [])
        if entry_points:
            return ChapterDraft("Where to start", f"The likely entry points are {_join(entry_points[:5])}.")
        return ChapterDraft(
            "Where to start", "There is no obvious entry point, so start with the largest folder."
        )

    def _history(self, analysis: dict, brief: StoryBrief) -> ChapterDraft:
        count = analysis.get("commit_count", 0)
        parts = [f"The history holds {_count(count, 'commit')}"]
        if analysis.get("first_commit_at"):
            parts[0] += f", from {analysis['first_commit_at'][:10]} to {analysis['last_commit_at'][:10]}."
        else:
            parts[0] += "."
        contributors = [f"{c['name']} ({c['commits']})" for c in analysis.get("top_contributors", [])]
        if contributors:
            parts.append(f"The most active contributors are {_join(contributors)}.")
        return ChapterDraft("How it grew", " ".join(parts))

    def _wrap_up(self, analysis: dict, brief: StoryBrief) -> ChapterDraft:
        start = (analysis.get("entry_points") or ["the README"])[0]
        closing = CLOSINGS.get(brief.intent_category, CLOSINGS["onboarding"]).format(start=start)
        return ChapterDraft("Wrap-up", f"That was {brief.repository_name} in brief. {closing}")
