"""What a project says about itself, beyond single files: its name and summary (manifests, the README's
title and first prose section), its parts and what each is for (in its own docstrings and comments), how
the parts depend on one another (imports between them), and how its history moved (the most-changed
files, recent activity per part).

Everything here is pure: the analysis (``stories.analysis``) reads the repository and hands over bytes.
"""

import json
import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import PurePosixPath

from stories.code_reading import SourceReading, first_sentences
from stories.speech import CODE_SPAN, URL

# Folders that only hold the real parts: their subfolders are the parts ("src/payments").
CONTAINERS = {"src", "lib", "pkg", "internal", "packages", "crates", "cmd", "apps", "modules"}
# A part's own description is looked for first in these files (by name, without the extension).
PACKAGE_DOC_STEMS = ("readme", "__init__", "doc", "package-info", "mod", "lib", "index", "main", "__main__")
# README sections that instruct rather than describe: never read aloud.
INSTRUCTION_HEADINGS = re.compile(
    r"install|setup|set up|getting started|quick ?start|usage|build|requirements|license|contribut|"
    r"develop|running|test|deploy|configuration|badges?|table of contents|contents|changelog|faq|support",
    re.IGNORECASE,
)
# Paragraphs that tell how to install or run the project, even outside a heading that says so.
INSTRUCTION_PROSE = re.compile(
    r"\binstall|\bpip\b|\bnpm\b|\byarn\b|\bvenv\b|\bdocker\b|\bgit clone\b|\bmake \w+|\bcargo \w+|\bgo get\b",
    re.IGNORECASE,
)
MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
HTML_TAG = re.compile(r"<[^>]+>")
EMPHASIS = re.compile(r"(?<![\w*])(\*{1,3}|_{1,3})(\S(?:.*?\S)?)\1(?![\w*])")  # not snake_case inside words


def part_of(path: str) -> str:
    """The part a file belongs to: its top-level folder, or a container's subfolder; a top-level file is
    its own part."""
    segments = path.split("/")
    if len(segments) >= 3 and segments[0] in CONTAINERS:
        return f"{segments[0]}/{segments[1]}"
    return segments[0]


def part_word(part: str) -> str:
    return part.rsplit("/", 1)[-1]


# --- the project's name and summary ---------------------------------------------------------------------------


def _prose(line: str) -> str:
    line = MARKDOWN_LINK.sub(r"\1", HTML_TAG.sub("", line))
    line = URL.sub("", EMPHASIS.sub(r"\2", CODE_SPAN.sub(r"\1", line)))
    return " ".join(line.split())


def readme_intro(text: str, limit: int = 600) -> tuple[str, str]:
    """(title, summary) from a README: its first heading, and its first prose section — paragraphs before
    the next heading, or under the first heading that does not instruct (install, usage, license …);
    badges, HTML, tables, code and link targets left out."""
    title = ""
    sections: list[tuple[str, list[str]]] = [("", [])]
    in_code = False
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith(("```", "~~~")):
            in_code = not in_code
            continue
        if in_code:
            continue
        heading = re.match(r"^(#{1,6})\s+(.*?)\s*#*$", line)
        if not heading and line and set(line) <= {"=", "-"} and sections[-1][1]:
            # A Setext heading: the previous line was its text.
            text_line = sections[-1][1].pop()
            heading_text = text_line
            if not title:
                title = heading_text
            sections.append((heading_text, []))
            continue
        if heading:
            if not title:
                title = _prose(heading.group(2))
            sections.append((_prose(heading.group(2)), []))
            continue
        if not line:
            if sections[-1][1] and sections[-1][1][-1] != "":
                sections[-1][1].append("")
            continue
        if line.startswith(("![", "[![", "<", "|", "[!", ">")) or raw.startswith(("    ", "\t")):
            continue
        if re.match(r"^([-*+]|\d+\.)\s", line) and not sections[-1][1]:
            continue  # a list straight under a heading is a table of contents or steps, not a description
        sections[-1][1].append(_prose(line))
    for section_heading, lines in sections:
        if section_heading and INSTRUCTION_HEADINGS.search(section_heading):
            continue
        paragraphs = " ".join(line if line else "\n" for line in lines).split("\n")
        prose = [
            p.strip()
            for p in paragraphs
            if len(p.strip()) > 20 and not p.strip().startswith("$") and not INSTRUCTION_PROSE.search(p)
        ]
        if prose:
            summary = " ".join(prose[:2])
            return title, summary if len(summary) <= limit else summary[:limit].rsplit(" ", 1)[0] + "…"
    return title, ""


def _manifest(name: str, data: bytes) -> tuple[str, str]:
    text = data.decode("utf-8", "replace")
    try:
        if name == "pyproject.toml":
            parsed = tomllib.loads(text)
            project = parsed.get("project") or parsed.get("tool", {}).get("poetry") or {}
            return str(project.get("name") or ""), str(project.get("description") or "")
        if name == "Cargo.toml":
            package = tomllib.loads(text).get("package") or {}
            return str(package.get("name") or ""), str(package.get("description") or "")
        if name == "package.json":
            package = json.loads(text)
            if isinstance(package, dict):
                return str(package.get("name") or "").lstrip("@").split("/")[-1], str(
                    package.get("description") or ""
                )
        if name == "go.mod":
            module = re.search(r"^module\s+(\S+)", text, re.MULTILINE)
            return (module.group(1).rstrip("/").rsplit("/", 1)[-1] if module else ""), ""
    except (tomllib.TOMLDecodeError, ValueError, AttributeError):
        pass
    return "", ""


MANIFESTS = ("pyproject.toml", "package.json", "Cargo.toml", "go.mod")


def go_module(files: dict[str, bytes]) -> str:
    found = re.search(rb"^module\s+(\S+)", files.get("go.mod", b""), re.MULTILINE)
    return found.group(1).decode("utf-8", "replace") if found else ""


def project_identity(top_files: dict[str, bytes], folder_name: str) -> dict:
    """The project's name and one-paragraph summary in its own words, and where each came from.

    The name: a README title that is a name (short, not a sentence), else a manifest's name, else the
    repository's; the summary: the README's first prose section, else a manifest's description."""
    readme_name = next((name for name in top_files if name.lower().startswith("readme")), None)
    title, summary = (
        readme_intro(top_files[readme_name].decode("utf-8", "replace")) if readme_name else ("", "")
    )
    manifest_name, manifest_summary, manifest = "", "", ""
    for name in MANIFESTS:
        if name in top_files:
            manifest_name, manifest_summary = _manifest(name, top_files[name])
            if manifest_name:
                manifest = name
                break
    title_is_name = bool(title) and len(title.split()) <= 5 and not title.endswith((".", ":"))
    if title_is_name:
        name, name_from = title, readme_name or ""
    elif manifest_name:
        name, name_from = manifest_name, manifest
    else:
        name, name_from = folder_name, ""
    if not summary and manifest_summary:
        summary = _prose(manifest_summary)
    return {
        "name": name,
        "name_from": name_from,
        "summary": summary,
        "summary_from": readme_name if summary else "",
    }


# --- parts and their dependencies ------------------------------------------------------------------------------


def _doc_rank(path: str, part: str) -> tuple:
    stem = PurePosixPath(path).stem.lower()
    depth = path.count("/") - part.count("/")
    named = PACKAGE_DOC_STEMS.index(stem) if stem in PACKAGE_DOC_STEMS else len(PACKAGE_DOC_STEMS)
    return (depth, stem != part_word(part).lower(), named, path)


def describe_parts(readings: dict[str, SourceReading], folder_readmes: dict[str, str]) -> dict[str, dict]:
    """For each part: its description in its own words (a README in it, else its package's docstring or
    leading comment, else its most telling module's), with the file it came from, and its documented
    top-level definitions, largest first."""
    by_part: dict[str, list[tuple[str, SourceReading]]] = defaultdict(list)
    for path, reading in readings.items():
        by_part[part_of(path)].append((path, reading))
    parts: dict[str, dict] = {}
    for part, files in by_part.items():
        doc, doc_path = folder_readmes.get(part, ""), f"{part}/README.md" if part in folder_readmes else ""
        if not doc:
            for path, reading in sorted(files, key=lambda item: _doc_rank(item[0], part)):
                if reading.doc:
                    doc, doc_path = reading.doc, path
                    break
        definitions = [
            {**definition.__dict__, "path": path}
            for path, reading in files
            for definition in reading.definitions
            if not definition.name.startswith("_")
        ]
        definitions.sort(
            key=lambda d: (not d["doc"], -(d["end_line"] - d["start_line"]), d["path"], d["start_line"])
        )
        modules = [
            {
                "path": path,
                "doc": reading.doc,
                "definitions": [d.name for d in reading.definitions if not d.name.startswith("_")][:6],
            }
            for path, reading in sorted(files, key=lambda item: item[0])
            if reading.doc or reading.definitions
        ]
        parts[part] = {
            "doc": doc,
            "doc_path": doc_path,
            "definitions": definitions[:12],
            "modules": modules[:20],
        }
    return parts


def _resolve_relative(path: str, target: str) -> str:
    base = PurePosixPath(path).parent
    segments: list[str] = list(base.parts)
    for segment in target.split("/"):
        if segment == "..":
            if segments:
                segments.pop()
        elif segment not in (".", ""):
            segments.append(segment)
    return "/".join(segments)


def import_edges(
    readings: dict[str, SourceReading], parts: Iterable[str], module: str = ""
) -> dict[str, set[str]]:
    """Which part imports which, from the imports each file names."""
    known = set(parts)
    by_word = {part_word(part): part for part in known}
    edges: dict[str, set[str]] = defaultdict(set)
    for path, reading in readings.items():
        source = part_of(path)
        for target in reading.imports:
            found = None
            if reading.language == "python":
                found = by_word.get(target.split(".", 1)[0])
            elif reading.language in ("javascript", "typescript", "tsx"):
                if target.startswith("."):
                    found = part_of(_resolve_relative(path, target))
            elif reading.language == "go":
                if module and target.startswith(module + "/"):
                    rest = target[len(module) + 1 :]
                    found = part_of(rest + "/x") if "/" in rest else rest
            elif reading.language == "rust":
                segments = target.split("::")
                if segments[0] == "crate" and len(segments) > 1:
                    found = by_word.get(segments[1])
            elif reading.language == "java":
                found = next((by_word[s] for s in target.split(".") if s in by_word), None)
            if found and found in known and found != source:
                edges[source].add(found)
    return dict(edges)


def dependency_order(parts: list[str], edges: dict[str, set[str]], entry_parts: list[str]) -> list[str]:
    """The parts from the entry points down: each part after every part that imports it where the graph
    allows (a cycle is broken by the order of discovery), the rest after, most depended-on first."""
    users: dict[str, set[str]] = defaultdict(set)
    for source, targets in edges.items():
        for target in targets:
            users[target].add(source)
    order: list[str] = []
    seen: set[str] = set()
    queue = [part for part in entry_parts if part in parts]
    while queue:
        part = queue.pop(0)
        if part in seen:
            continue
        seen.add(part)
        order.append(part)
        queue += sorted(edges.get(part, ()), key=lambda p: (-len(users[p]), p))
    rest = sorted((p for p in parts if p not in seen), key=lambda p: (-len(users[p]), p))
    return order + rest


# --- history ---------------------------------------------------------------------------------------------------


def history_summary(changes: list[tuple[int, str, list[str]]], parts: Iterable[str]) -> dict:
    """From (commit time, author, changed paths) of recent commits: the most-changed files, and per part
    the commits that touched it, when last, and by whom most."""
    known = set(parts)
    file_counts: Counter[str] = Counter()
    part_commits: Counter[str] = Counter()
    part_last: dict[str, int] = {}
    part_authors: dict[str, Counter[str]] = defaultdict(Counter)
    for when, author, paths in changes:
        touched = set()
        for path in paths:
            file_counts[path] += 1
            part = part_of(path)
            if part in known:
                touched.add(part)
        for part in touched:
            part_commits[part] += 1
            part_last[part] = max(part_last.get(part, 0), when)
            part_authors[part][author] += 1
    return {
        "commits_read": len(changes),
        "most_changed": [{"path": path, "commits": count} for path, count in file_counts.most_common(8)],
        "parts": {
            part: {
                "commits": part_commits[part],
                "last_changed": part_last[part],
                "authors": [name for name, _count in part_authors[part].most_common(3)],
            }
            for part in part_commits
        },
    }


def doc_of_readme(text: str) -> str:
    """A folder README's description: its first prose section's first sentences."""
    _title, summary = readme_intro(text, limit=400)
    return first_sentences(summary, 2)
