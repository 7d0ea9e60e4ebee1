"""Narrators turn an analysis and an intent into an ordered list of chapters.

``settings.STORY_NARRATOR`` names the class; a language-model narrator only has to implement ``write``.
The default, ``TemplateNarrator``, is deterministic and uses nothing but the analysis.
"""

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from stories import speech


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
    # What the chapter talks about, at the story's commit: {"path", and where a definition is named
    # "name", "start_line", "end_line"}. A narrator may leave it empty.
    anchors: list[dict] = field(default_factory=list)


class Narrator(Protocol):
    def write(self, analysis: dict, brief: StoryBrief) -> list[ChapterDraft]: ...


@cache
def get_narrator() -> Narrator:
    return import_string(settings.STORY_NARRATOR)()


OPENINGS = {
    "fiction": "Once upon a commit, there was a project called {name}.",
    "documentary": "This is the story of {name}.",
    "tutorial": "In this walkthrough you will learn how {name} is put together, part by part.",
    "podcast": "Welcome back to the show. Today we are talking about {name}.",
    "technical": "A technical tour of {name}.",
}
CATEGORY_AIMS = {
    "onboarding": "The aim is to get you productive in this codebase quickly.",
    "architecture": "The aim is to understand how the parts fit together, and which depends on which.",
    "feature": "The aim is to find where a new feature would belong and what it would touch.",
    "debugging": "The aim is to know where to look when something goes wrong.",
}
DEPTH = {
    "beginner": "We will take it slowly and explain each part in plain words.",
    "intermediate": "We will keep a steady pace and focus on what matters.",
    "expert": "We will move fast and stay close to the structure.",
}
PARTS_TOLD = {"beginner": 6, "intermediate": 9, "expert": 14}
DEFINITIONS_TOLD = {"beginner": 2, "intermediate": 3, "expert": 5}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]  # fmt: skip


def _month(iso: str | None) -> str:
    if not iso:
        return ""
    return f"{MONTHS[int(iso[5:7]) - 1]} {iso[:4]}"


def _part_anchor(part: dict) -> list[dict]:
    return [{"path": part["doc_path"]}] if part.get("doc_path") else []


def _definition_anchor(definition: dict) -> dict:
    return {
        "path": definition["path"],
        "name": definition["name"],
        "start_line": definition["start_line"],
        "end_line": definition["end_line"],
    }


def _own_words(part: dict) -> str:
    """A part's description, read aloud: Go's "Package accounts keeps …" becomes "Accounts keeps …"."""
    doc = speech.clean(part.get("doc", ""))
    word = part["name"].rsplit("/", 1)[-1]
    if doc.startswith(f"Package {word} "):
        doc = doc[len("Package ") :]
    return doc[:1].upper() + doc[1:]


SUPPORTING_WORDS = re.compile(r"^(tests?|spec|docs?|examples?|bench(marks?)?|scripts?)$", re.IGNORECASE)


def _first_clause(message: str, most_words: int = 24) -> str:
    """A commit's subject, short enough to hear: up to its first semicolon, and at most a couple of dozen
    words."""
    subject = speech.clean(message.split(";", 1)[0])
    words = subject.split()
    return " ".join(words[:most_words]) + ("…" if len(words) > most_words else "")


NOT_PROGRAMMING = {"Markdown", "reStructuredText", "JSON", "YAML", "TOML"}


def _definition_sentence(definition: dict) -> str:
    kind = {"class": "the class", "function": "the function", "type": "the type"}.get(definition["kind"], "")
    name = f"{kind} {speech.words(definition['name'])}".strip()
    doc = speech.clean(definition.get("doc", ""))
    if doc:
        return speech.sentence(f"{name}: {doc[0].lower() + doc[1:] if doc[:2] != doc[:2].upper() else doc}")
    return speech.sentence(f"{name}, in the {speech.words(definition['path'].rsplit('/', 1)[-1])} file")


class TemplateNarrator:
    """Deterministic chapters from the analysis alone: what the project is, its parts from the way in
    (each in its own words, with what it builds on), a chapter per focus area, where to start for the
    intent, how it grew, and a wrap-up; or, for a story of what changed, the changes. Identifiers are read
    as words; no path longer than two segments, URL or code is ever read out."""

    def write(self, analysis: dict, brief: StoryBrief) -> list[ChapterDraft]:
        if analysis.get("changes"):
            return self._changes(analysis, brief)
        chapters = [self._introduction(analysis, brief), self._parts(analysis, brief)]
        focus_areas = [area for area in brief.focus_areas if area.strip()][:5]
        chapters += [self._focus(analysis, brief, area) for area in focus_areas]
        chapters += [
            self._start_here(analysis, brief),
            self._history(analysis, brief),
            self._wrap_up(analysis, brief),
        ]
        return chapters

    def _name(self, analysis: dict, brief: StoryBrief) -> str:
        return (analysis.get("project") or {}).get("name") or brief.repository_name

    def _introduction(self, analysis: dict, brief: StoryBrief) -> ChapterDraft:
        name = self._name(analysis, brief)
        project = analysis.get("project") or {}
        parts = [OPENINGS.get(brief.narrative_style, OPENINGS["documentary"]).format(name=name)]
        summary = speech.clean(project.get("summary", ""))
        if summary:
            parts.append(f"In its own words: {summary}")
        else:
            parts.append(
                "It does not describe itself in a README or a manifest, so what follows comes from its code alone."
            )
        languages = [
            lang for lang in analysis.get("languages", []) if lang["language"] not in NOT_PROGRAMMING
        ]
        if languages:
            main = [lang["language"] for lang in languages[:2]]
            parts.append(
                f"It is written mostly in {speech.join(main)}, in {speech.count(analysis.get('file_count', 0), 'file')}."
            )
        parts.append(CATEGORY_AIMS.get(brief.intent_category, ""))
        parts.append(DEPTH.get(brief.expertise_level, ""))
        if brief.learning_goals:
            parts.append(
                f"You told us what you want to learn: {speech.sentence(speech.clean(brief.learning_goals))}"
            )
        anchors = [{"path": project["summary_from"]}] if project.get("summary_from") else []
        return ChapterDraft("Introduction", " ".join(p for p in parts if p), anchors)

    def _parts(self, analysis: dict, brief: StoryBrief) -> ChapterDraft:
        program = [part for part in analysis.get("parts", []) if not part.get("supporting")]
        told = program[: PARTS_TOLD.get(brief.expertise_level, 9)]
        if not told:
            return ChapterDraft(
                "The parts",
                f"The project keeps its {speech.count(analysis.get('file_count', 0), 'file')} in a single place, "
                "with no folders to tell apart.",
            )
        entry = analysis.get("entry_parts") or []
        parts = []
        if entry:
            parts.append(
                f"The way in is {speech.join([speech.words(p) for p in entry])}, so we start there and follow "
                "what each part builds on."
            )
        anchors: list[dict] = []
        for part in told:
            name = speech.words(part["name"])
            doc = _own_words(part)
            line = (
                doc
                if doc.lower().startswith(name.lower() + " ")
                else f"{name.capitalize()}: {doc}"
                if doc
                else f"{name.capitalize()} holds {speech.count(part['files'], 'file')}, with no description of its own."
            )
            parts.append(speech.sentence(line))
            depends = [speech.words(p) for p in part.get("depends_on", []) if p != part["name"]]
            if depends and brief.expertise_level != "beginner" or depends and len(depends) <= 2:
                parts.append(f"It builds on {speech.join(depends[:4])}.")
            anchors += _part_anchor(part)
        rest = program[len(told) :]
        if rest:
            more = "There is one more part" if len(rest) == 1 else f"There are {len(rest)} more parts"
            parts.append(f"{more}: {speech.join([speech.words(p['name']) for p in rest[:6]])}.")
        supporting = [part["name"] for part in analysis.get("parts", []) if part.get("supporting")]
        if supporting:
            parts.append(f"Beside the program sit {speech.join([speech.words(p) for p in supporting])}.")
        return ChapterDraft("The parts, from the way in", " ".join(parts), anchors)

    def _matching_parts(self, analysis: dict, area: str) -> list[dict]:
        needle = area.strip().lower()
        spoken = speech.words(needle)
        return [
            part
            for part in analysis.get("parts", [])
            if needle in part["name"].lower() or spoken in speech.words(part["name"])
        ]

    def _focus(self, analysis: dict, brief: StoryBrief, area: str) -> ChapterDraft:
        told = DEFINITIONS_TOLD.get(brief.expertise_level, 3)
        spoken_area = speech.words(area)
        matches = self._matching_parts(analysis, area)[:2]
        parts: list[str] = []
        anchors: list[dict] = []
        for part in matches:
            name = speech.words(part["name"])
            doc = speech.clean(part.get("doc", ""))
            parts.append(
                speech.sentence(
                    f"{name.capitalize()}: {doc}"
                    if doc
                    else f"{name.capitalize()} has no description of its own"
                )
            )
            anchors += _part_anchor(part)
            definitions = part.get("definitions", [])[:told]
            if definitions:
                parts.append("Its main pieces are these.")
                parts += [_definition_sentence(d) for d in definitions]
                anchors += [_definition_anchor(d) for d in definitions]
            if part.get("used_by"):
                parts.append(f"It is used by {speech.join([speech.words(p) for p in part['used_by'][:4]])}.")
        modules = [
            (part, module)
            for part in analysis.get("parts", [])
            if part not in matches
            for module in part.get("modules", [])
            if spoken_area in speech.words(module["path"].rsplit("/", 1)[-1])
        ][:2]
        for part, module in modules:
            where = f"the {speech.words(module['path'].rsplit('/', 1)[-1])} module in {speech.words(part['name'])}"
            doc = speech.clean(module.get("doc", ""))
            parts.append(speech.sentence(f"{where}: {doc}" if doc else where))
            if module.get("definitions"):
                parts.append(
                    f"It defines {speech.join([speech.words(name) for name in module['definitions'][: told + 1]])}."
                )
            anchors.append({"path": module["path"]})
        if not matches and not modules:
            needle = area.strip().lower().replace(" ", "_")
            definitions = [
                d
                for part in analysis.get("parts", [])
                for d in part.get("definitions", [])
                if needle in d["name"].lower() or spoken_area in speech.words(d["name"])
            ][:told]
            if definitions:
                parts.append(f"No part is named after {spoken_area}, but these pieces are.")
                parts += [_definition_sentence(d) for d in definitions]
                anchors += [_definition_anchor(d) for d in definitions]
            else:
                entry = analysis.get("entry_parts") or []
                parts.append(
                    f"Nothing is named after {spoken_area}, so it is woven through the code; "
                    f"follow it from {speech.join([speech.words(p) for p in entry]) or 'the largest part'}."
                )
        return ChapterDraft(f"Focus: {spoken_area}", " ".join(parts), anchors)

    def _start_here(self, analysis: dict, brief: StoryBrief) -> ChapterDraft:
        parts_by_name = {part["name"]: part for part in analysis.get("parts", [])}
        program = [part for part in analysis.get("parts", []) if not part.get("supporting")]
        category = brief.intent_category
        if category == "architecture":
            ranked = sorted(program, key=lambda p: (-len(p.get("used_by", [])), p["name"]))
            # The most depended-on parts: those used by as many parts as the first (at most two).
            chosen = [
                p
                for p in ranked[:2]
                if ranked and len(p.get("used_by", [])) == len(ranked[0].get("used_by", []))
            ]
            reason = "everything else rests on it" if len(chosen) == 1 else "everything else rests on them"
        elif category == "debugging":
            changed = [item["path"] for item in analysis.get("most_changed", [])]
            names: list[str] = []
            for path in changed:
                part = path.split("/", 1)[0]
                if part in parts_by_name and not parts_by_name[part].get("supporting") and part not in names:
                    names.append(part)
            chosen = [parts_by_name[name] for name in names[:2]]
            reason = "that is where the code changes most, and so where bugs are most likely to live"
        elif category == "feature":
            chosen = sorted(program, key=lambda p: (-p.get("history", {}).get("commits", 0), p["name"]))[:2]
            reason = "new features have been landing there most often"
        else:
            chosen = [
                parts_by_name[name] for name in analysis.get("entry_parts", []) if name in parts_by_name
            ][:2]
            reason = "that is where the program begins"
        chosen = chosen or program[:1]
        if not chosen:
            return ChapterDraft(
                "Where to start", "There is no obvious place to start, so start with the largest file."
            )
        spoken = speech.join([speech.words(part["name"]) for part in chosen])
        text = [f"For {category}, start with {spoken}, because {reason}."]
        anchors: list[dict] = []
        for part in chosen:
            definitions = part.get("definitions", [])[:2]
            if definitions:
                text.append(
                    f"In {speech.words(part['name'])}, read {speech.join([speech.words(d['name']) for d in definitions])} first."
                )
                anchors += [_definition_anchor(d) for d in definitions]
            anchors += _part_anchor(part)
        return ChapterDraft("Where to start", " ".join(text), anchors)

    def _history(self, analysis: dict, brief: StoryBrief) -> ChapterDraft:
        commits = analysis.get("commit_count", 0)
        if not commits:
            return ChapterDraft("How it grew", "The repository has no history to tell.")
        text = [f"The history holds {speech.count(commits, 'commit')}"]
        first, last = _month(analysis.get("first_commit_at")), _month(analysis.get("last_commit_at"))
        text[0] += f", from {first} to {last}." if first != last else f", all in {first}."
        program = [part for part in analysis.get("parts", []) if not part.get("supporting")]
        busiest = sorted(program, key=lambda p: (-p.get("history", {}).get("commits", 0), p["name"]))[:3]
        busiest = [p for p in busiest if p.get("history", {}).get("commits")]
        if busiest:
            told = [
                f"{speech.words(p['name'])}, changed in {speech.count(p['history']['commits'], 'commit')}"
                for p in busiest
            ]
            text.append(f"The busiest parts are {speech.join(told)}.")
            latest = max(busiest, key=lambda p: p["history"].get("last_changed") or "")
            text.append(
                f"The latest work touched {speech.words(latest['name'])}, in {_month(latest['history']['last_changed'])}."
            )
        most_changed = [item for item in analysis.get("most_changed", []) if "/" in item["path"]][:3]
        anchors = [{"path": item["path"]} for item in most_changed]
        if most_changed:
            files = [
                f"the {speech.words(item['path'].rsplit('/', 1)[-1])} file in {speech.words(item['path'].split('/', 1)[0])}"
                for item in most_changed
            ]
            text.append(f"The files that changed most are {speech.join(files)}.")
        contributors = [c["name"] for c in analysis.get("top_contributors", [])][:4]
        if contributors:
            text.append(f"The people who wrote most of it are {speech.join(contributors)}.")
        return ChapterDraft("How it grew", " ".join(text), anchors)

    def _wrap_up(self, analysis: dict, brief: StoryBrief) -> ChapterDraft:
        name = self._name(analysis, brief)
        entry = [speech.words(p) for p in analysis.get("entry_parts", [])]
        where = speech.join(entry) if entry else "the largest part"
        return ChapterDraft(
            "Wrap-up",
            f"That was {name} in brief. A good next step is to open {where}, and read it with this story in mind.",
        )

    # --- a story of what changed --------------------------------------------------------------------------

    def _changes(self, analysis: dict, brief: StoryBrief) -> list[ChapterDraft]:
        changes = analysis["changes"]
        name = self._name(analysis, brief)
        commits = changes.get("commits", [])
        authors = changes.get("authors", [])
        since = changes.get("since_date", "")
        intro = [
            f"This is what changed in {name} since {_month(since) or 'the earlier story'}: "
            f"{speech.count(len(commits), 'commit')}"
            + (f" by {speech.join(authors[:4])}." if authors else ".")
        ]
        if not changes.get("files"):
            intro.append("No file changed.")
        chapters = [ChapterDraft("What changed", " ".join(intro))]
        small: list[str] = []
        for part in changes.get("parts", []):
            label = speech.words(part["name"])
            public = {
                key: [d for d in part.get(key, []) if not d["name"].startswith("_")]
                for key in ("added", "changed", "removed")
            }
            files = part.get("files", {})
            touched = sum(len(files.get(kind, [])) for kind in ("added", "modified", "removed"))
            if (
                not any(public.values())
                and part.get("status") == "changed"
                or SUPPORTING_WORDS.match(part["name"])
            ):
                small.append(f"{label} ({speech.count(touched, 'file')})")
                continue
            text: list[str] = []
            anchors: list[dict] = []
            if part.get("status") == "added":
                text.append(f"{label.capitalize()} is new.")
            elif part.get("status") == "removed":
                text.append(f"{label.capitalize()} was removed.")
            for verb, key in (("added", "added"), ("changed", "changed"), ("removed", "removed")):
                definitions = public[key]
                if definitions:
                    named = speech.join([speech.words(d["name"]) for d in definitions[:6]])
                    more = f", and {len(definitions) - 6} more" if len(definitions) > 6 else ""
                    text.append(f"{verb.capitalize()}: {named}{more}.")
                    if key != "removed":
                        anchors += [_definition_anchor(d) for d in definitions[:6] if d.get("path")]
            told = [
                f"{speech.count(len(files[kind]), 'file')} {kind}"
                for kind in ("added", "modified", "removed")
                if files.get(kind)
            ]
            if told:
                text.append(f"In files: {speech.join(told)}.")
                anchors += [
                    {"path": path} for path in files.get("added", [])[:3] + files.get("modified", [])[:3]
                ]
            chapters.append(ChapterDraft(f"Changes in {label}", " ".join(text), anchors))
        if small:
            chapters.append(ChapterDraft("Smaller changes", f"Smaller changes touched {speech.join(small)}."))
        messages = [_first_clause(commit["message"]) for commit in commits[:10] if commit.get("message")]
        if messages:
            chapters.append(
                ChapterDraft(
                    "In the commits' own words",
                    " ".join(speech.sentence(message) for message in messages if message),
                )
            )
        moved = changes.get("moved_chapters")
        if moved is not None:
            if moved:
                listed = [f"chapter {item['chapter_number']}, {item['title']}" for item in moved]
                verdict = (
                    f"Of the earlier story, {speech.join(listed)} now point at code that moved or changed."
                )
            else:
                verdict = "Every chapter of the earlier story still points at code that did not change."
            chapters.append(ChapterDraft("The earlier story", verdict))
        return chapters
