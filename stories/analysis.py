"""Reading a git repository with dulwich: what it is made of, where to start, and how it grew."""

import heapq
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlparse

from dulwich.diff_tree import tree_changes
from dulwich.errors import NotGitRepository
from dulwich.object_store import iter_tree_contents
from dulwich.repo import Repo

from stories import project_reading
from stories.code_reading import LINE_COMMENTS, SourceReading, language_of, read_source
from stories.fetching import (
    EXIT_UNREACHABLE,
    OUTCOME_MESSAGES,
    FetchError,
    FetchLimits,
    fetch,
    parse_networks,
    url_problem,
)

MAX_FILES = 20_000
MAX_BLOB_BYTES = 2 * 1024 * 1024
MAX_COMMITS = 50_000
MAX_LISTED_PATHS = 2_000  # kept in the cached analysis so narrators can find what a focus area names
MAX_PARSED_FILES = 2_500  # read with tree-sitter: each part's most telling files first
MAX_PARSED_PER_PART = 80
MAX_DIFFED_COMMITS = 1_000  # the most recent commits whose changes are counted per file and part
# Bumped when the analysis gains something: a cached analysis of an older version is made again.
ANALYSIS_VERSION = 2
# Folders that are not parts of the program itself: told last, never the place to start.
SUPPORTING_PARTS = re.compile(
    r"^(tests?|spec|docs?|examples?|bench(marks?)?|scripts?|tools|\.\w+)$", re.IGNORECASE
)

LANGUAGES = {
    ".py": "Python", ".pyi": "Python", ".js": "JavaScript", ".mjs": "JavaScript", ".cjs": "JavaScript",
    ".jsx": "JavaScript", ".ts": "TypeScript", ".tsx": "TypeScript", ".go": "Go", ".rs": "Rust", ".java": "Java",
    ".kt": "Kotlin", ".rb": "Ruby", ".php": "PHP", ".c": "C", ".h": "C", ".cc": "C++", ".cpp": "C++",
    ".hpp": "C++", ".cs": "C#", ".swift": "Swift", ".scala": "Scala", ".sh": "Shell", ".bash": "Shell",
    ".html": "HTML", ".css": "CSS", ".scss": "CSS", ".sql": "SQL", ".md": "Markdown", ".rst": "reStructuredText",
    ".yml": "YAML", ".yaml": "YAML", ".toml": "TOML", ".json": "JSON", ".ex": "Elixir", ".exs": "Elixir",
    ".erl": "Erlang", ".hs": "Haskell", ".lua": "Lua", ".r": "R", ".dart": "Dart", ".vue": "Vue",
}  # fmt: skip
# Package markers and lock files say little about what a folder does, so they are never its examples.
BORING_FILES = {
    "__init__.py",
    ".gitkeep",
    ".keep",
    "package-lock.json",
    "yarn.lock",
    "poetry.lock",
    "Cargo.lock",
}
SPECIAL_FILES = {"Makefile": "Makefile", "Dockerfile": "Dockerfile", "CMakeLists.txt": "CMake"}
# Most telling first: programs, then the manifests and build files that say how to run them.
ENTRY_POINT_NAMES = (
    "manage.py", "main.py", "__main__.py", "app.py", "cli.py", "wsgi.py", "asgi.py", "main.go", "main.rs",
    "lib.rs", "index.js", "index.ts", "main.js", "main.ts", "server.js", "Main.java", "Program.cs", "setup.py",
    "pyproject.toml", "package.json", "Cargo.toml", "go.mod", "pom.xml", "build.gradle", "Makefile", "Dockerfile",
)  # fmt: skip
ENTRY_POINT_RANK = {name: rank for rank, name in enumerate(ENTRY_POINT_NAMES)}


class RepositoryError(Exception):
    """The repository cannot be read; the message is shown to the user as the story's error."""


def parse_repo_url(url: str) -> tuple[str, str]:
    """(owner, name) from a git URL or path: ``https://host/owner/name.git`` → ("owner", "name")."""
    path = urlparse(url).path if "://" in url else url
    if url.startswith("git@") and ":" in url:
        path = url.split(":", 1)[1]
    parts = [part for part in path.rstrip("/").split("/") if part]
    if not parts:
        raise ValueError("The URL has no repository name.")
    name = re.sub(r"\.git$", "", parts[-1])
    # A local repository's parent folder is not its owner; only hosted URLs name one.
    owner = parts[-2] if len(parts) >= 2 and not is_local(url) else ""
    return owner[:255], name[:255]


def is_local(url: str) -> bool:
    return url.startswith("file://") or url.startswith("/")


def remote_url_problem(url: str, allowed_networks: Sequence[str] = ()) -> str | None:
    """Why ``url`` cannot be fetched as a remote repository, or None when it can (see ``stories.fetching``)."""
    return url_problem(url, parse_networks(list(allowed_networks)))


@contextmanager
def open_repository(url: str, limits: FetchLimits | None = None, *, allow_local: bool = False):
    """A dulwich Repo for a local path or ``file://`` URL (only with ``allow_local``), or for a remote
    repository fetched within ``limits`` into a temporary directory that is removed afterwards."""
    if is_local(url):
        if not allow_local:
            raise RepositoryError("Local repositories are not allowed here; use a public https:// URL.")
        path = unquote(urlparse(url).path) if url.startswith("file://") else url
        if not Path(path).exists():
            raise RepositoryError(f"No repository at {path}: the path does not exist.")
        try:
            repo = Repo(path)
        except NotGitRepository as exc:
            raise RepositoryError(f"{path} is not a git repository.") from exc
        try:
            yield repo
        finally:
            repo.close()
        return
    if limits is None:
        raise RepositoryError("Remote repositories cannot be fetched here.")
    problem = remote_url_problem(url, limits.allowed_networks)
    if problem:
        raise RepositoryError(problem)
    folder = Path(tempfile.mkdtemp(prefix="folio-clone-"))
    try:
        try:
            fetch(url, folder / "repository.git", limits)
        except FetchError as exc:
            raise RepositoryError(str(exc)) from exc
        try:
            repo = Repo(str(folder / "repository.git"))
        except NotGitRepository as exc:
            raise RepositoryError(OUTCOME_MESSAGES[EXIT_UNREACHABLE]) from exc
        try:
            yield repo
        finally:
            repo.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def head_commit_id(repo: Repo, branch: str) -> bytes:
    for ref in (f"refs/heads/{branch}".encode(), f"refs/remotes/origin/{branch}".encode(), b"HEAD"):
        try:
            return repo.refs[ref]  # type: ignore[index]  # dulwich's stubs are narrower than its API
        except KeyError:
            continue
    raise RepositoryError("The repository has no commits yet.")


def _iso(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, tz=UTC).isoformat()


def analyze(repo: Repo, head: bytes) -> dict:
    commit = repo[head]
    languages: dict[str, dict[str, int]] = {}
    top_level: dict[str, dict] = {}
    entry_points: list[str] = []
    files = 0
    paths: list[str] = []
    largest_by_folder: dict[str, list[tuple[int, str]]] = {}  # the five longest files of each folder
    top_files: dict[str, bytes] = {}  # the project's own description: README, manifests
    candidates: dict[str, list[tuple[str, bytes, int]]] = {}  # part → (path, blob id, lines), to read
    folder_readmes: dict[str, str] = {}
    files_per_part: Counter[str] = Counter()
    for entry in iter_tree_contents(repo.object_store, commit.tree):  # type: ignore[attr-defined]  # dulwich's stubs are narrower than its API
        if files >= MAX_FILES:
            break
        path = entry.path.decode("utf-8", "replace")
        files += 1
        files_per_part[project_reading.part_of(path)] += 1
        if len(paths) < MAX_LISTED_PATHS:
            paths.append(path)
        first, _, rest = path.partition("/")
        item = top_level.setdefault(
            first, {"name": first, "kind": "directory" if rest else "file", "files": 0, "sample": []}
        )
        item["files"] += 1
        name = path.rsplit("/", 1)[-1]
        if name in ENTRY_POINT_RANK and path.count("/") <= 2:
            entry_points.append(path)
        if entry.mode & 0o170000 != 0o100000:  # not a regular file (symlink, submodule)
            continue
        blob = repo[entry.sha]
        data = blob.data if blob.raw_length() <= MAX_BLOB_BYTES else b""  # type: ignore[attr-defined]  # dulwich's stubs are narrower than its API
        if b"\0" in data[:8000]:
            continue
        if not rest and (name.lower().startswith("readme") or name in project_reading.MANIFESTS):
            top_files[name] = data
        part = project_reading.part_of(path)
        if rest and name.lower() == "readme.md" and path.count("/") == part.count("/") + 1:
            folder_readmes[part] = project_reading.doc_of_readme(data.decode("utf-8", "replace"))
        if rest and (language_of(path) or Path(name).suffix.lower() in LINE_COMMENTS):
            candidates.setdefault(part, []).append((path, entry.sha, data.count(b"\n")))
        language = SPECIAL_FILES.get(name) or LANGUAGES.get(Path(name).suffix.lower())
        lines = data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
        if language:
            stats = languages.setdefault(language, {"files": 0, "lines": 0})
            stats["files"] += 1
            stats["lines"] += lines
        if rest and name not in BORING_FILES:
            largest = largest_by_folder.setdefault(first, [])
            heapq.heappush(largest, (lines, path))
            if len(largest) > 5:
                heapq.heappop(largest)

    for folder, largest in largest_by_folder.items():
        top_level[folder]["sample"] = [path for _lines, path in sorted(largest, key=lambda x: (-x[0], x[1]))]

    authors: Counter[str] = Counter()
    times: list[int] = []
    changes: list[tuple[int, str, list[str]]] = []
    for walk_entry in repo.get_walker(include=[head], max_entries=MAX_COMMITS):  # type: ignore[list-item]  # dulwich's stubs are narrower than its API
        authored = walk_entry.commit
        author = authored.author.decode("utf-8", "replace").split(" <")[0]
        authors[author] += 1
        times.append(authored.commit_time)
        if len(changes) < MAX_DIFFED_COMMITS:
            changes.append((authored.commit_time, author, changed_paths(repo, authored)))

    readings = _read_candidates(repo, candidates)
    project = project_reading.project_identity(top_files, "")
    part_names = sorted(part for part in set(candidates) | set(folder_readmes) if not part.startswith("."))
    described = project_reading.describe_parts(readings, folder_readmes)
    edges = project_reading.import_edges(readings, part_names, project_reading.go_module(top_files))
    ranked_entry_points = sorted(
        entry_points, key=lambda p: (p.count("/"), ENTRY_POINT_RANK[p.rsplit("/", 1)[-1]], p)
    )[:10]
    tree_id = commit.tree  # type: ignore[attr-defined]  # dulwich's stubs are narrower than its API
    entry_parts = _parts_entry_points_import(repo, tree_id, ranked_entry_points[:5], part_names, top_files)
    if not entry_parts:  # nothing names the way in: start from the parts no other part uses
        used = {
            target
            for source, targets in edges.items()
            if not SUPPORTING_PARTS.match(project_reading.part_word(source))
            for target in targets
        }
        entry_parts = sorted(
            (
                p
                for p in part_names
                if p not in used and not SUPPORTING_PARTS.match(project_reading.part_word(p))
            ),
            key=lambda p: (-len(edges.get(p, ())), p),
        )[:2]
    program = [p for p in part_names if not SUPPORTING_PARTS.match(project_reading.part_word(p))]
    supporting = [p for p in part_names if SUPPORTING_PARTS.match(project_reading.part_word(p))]
    order = project_reading.dependency_order(program, edges, entry_parts) + supporting
    history = project_reading.history_summary(changes, part_names)
    parts = [
        {
            "name": part,
            "files": files_per_part.get(part, 0),
            "supporting": part in supporting,
            **described.get(part, {"doc": "", "doc_path": "", "definitions": [], "modules": []}),
            "depends_on": sorted(edges.get(part, ())),
            "used_by": sorted(source for source, targets in edges.items() if part in targets),
            "history": _part_history(history["parts"].get(part)),
        }
        for part in order
    ]
    return {
        "version": ANALYSIS_VERSION,
        "head": head.decode(),
        "project": project,
        "parts": parts,
        "entry_parts": entry_parts,
        "most_changed": history["most_changed"],
        "commits_read": history["commits_read"],
        "parsed_files": len(readings),
        "file_count": files,
        "languages": sorted(
            ({"language": lang, **stats} for lang, stats in languages.items()),
            key=lambda item: -item["lines"],
        ),
        "top_level": [top_level[name] for name in sorted(top_level)],
        "entry_points": sorted(
            entry_points, key=lambda p: (p.count("/"), ENTRY_POINT_RANK[p.rsplit("/", 1)[-1]], p)
        )[:10],
        "readme_excerpt": project["summary"],
        "paths": paths,
        "commit_count": len(times),
        "first_commit_at": _iso(min(times)) if times else None,
        "last_commit_at": _iso(max(times)) if times else None,
        "top_contributors": [{"name": name, "commits": count} for name, count in authors.most_common(5)],
    }


def _part_history(found: dict | None) -> dict:
    if not found:
        return {"commits": 0, "last_changed": None, "authors": []}
    return {**found, "last_changed": _iso(found["last_changed"])}


def changed_paths(repo: Repo, commit) -> list[str]:
    """The paths a commit changed against its first parent (every path of a root commit, and of the
    oldest commit of a shallow clone, whose parent is not there)."""
    try:
        parent_tree = repo[commit.parents[0]].tree if commit.parents else None  # type: ignore[attr-defined]
    except KeyError:
        parent_tree = None
    paths = []
    for change in tree_changes(repo.object_store, parent_tree, commit.tree):
        side = change.new if change.new is not None and change.new.path else change.old
        path = side.path if side is not None else None
        if path:
            paths.append(path.decode("utf-8", "replace"))
    return paths


def _blob_id(repo: Repo, tree_id: bytes, path: str) -> bytes:
    from dulwich.object_store import tree_lookup_path

    _mode, sha = tree_lookup_path(repo.__getitem__, tree_id, path.encode())  # type: ignore[arg-type]
    return sha


def _read_candidates(
    repo: Repo, candidates: dict[str, list[tuple[str, bytes, int]]]
) -> dict[str, SourceReading]:
    """Each part's most telling files (its package and README-like files, then its largest, then the
    shallowest), at most ``MAX_PARSED_PER_PART`` per part and ``MAX_PARSED_FILES`` in all."""
    chosen: list[tuple[str, bytes]] = []
    per_part = max(8, min(MAX_PARSED_PER_PART, MAX_PARSED_FILES // max(1, len(candidates))))
    for part, files in candidates.items():
        by_doc = sorted(files, key=lambda f: project_reading._doc_rank(f[0], part))[:8]
        by_size = sorted(files, key=lambda f: (-f[2], f[0]))
        picked: dict[str, bytes] = {path: sha for path, sha, _lines in by_doc}
        for path, sha, _lines in by_size:
            if len(picked) >= per_part:
                break
            picked.setdefault(path, sha)
        chosen += list(picked.items())
    readings: dict[str, SourceReading] = {}
    for path, sha in chosen[:MAX_PARSED_FILES]:
        reading = read_source(path, repo[sha].data)  # type: ignore[attr-defined]
        if reading is not None:
            readings[path] = reading
    return readings


def _parts_entry_points_import(
    repo: Repo, tree_id: bytes, entry_points: list[str], parts: list[str], top_files: dict[str, bytes]
) -> list[str]:
    """The parts the program's entry points (``manage.py``, ``main.go`` …) import: where its story starts."""
    readings = {}
    for path in entry_points:
        if language_of(path):
            reading = read_source(path, repo[_blob_id(repo, tree_id, path)].data)  # type: ignore[attr-defined]
            if reading is not None:
                readings[path] = reading
    edges = project_reading.import_edges(readings, [*parts, *readings], project_reading.go_module(top_files))
    return sorted({part for path in readings for part in edges.get(path, ()) if part in parts})


# --- what changed between two commits ---------------------------------------------------------------------

MAX_COMPARED_FILES = 400  # changed files whose definitions are compared (the rest are counted)


def resolve_ancestor(repo: Repo, head: bytes, wanted: str) -> bytes:
    """The commit ``wanted`` names (a full id or a prefix of seven or more hex digits), which must be an
    ancestor of ``head``; a clear ``RepositoryError`` otherwise."""
    wanted = wanted.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{7,40}", wanted):
        raise RepositoryError(f"“{wanted[:60]}” is not a commit id (7 to 40 hexadecimal digits).")
    for entry in repo.get_walker(include=[head], max_entries=MAX_COMMITS):  # type: ignore[list-item]
        if entry.commit.id.decode().startswith(wanted):
            return entry.commit.id
    raise RepositoryError(
        f"The commit {wanted[:12]} is not an ancestor of the branch's head {head.decode()[:12]} (or not in "
        "this repository), so there is no “since” to tell."
    )


def _definitions_at(repo: Repo, sha: bytes | None, path: str) -> dict[str, dict]:
    if sha is None:
        return {}
    data = repo[sha].data  # type: ignore[attr-defined]
    reading = read_source(path, data) if len(data) <= MAX_BLOB_BYTES else None
    if reading is None:
        return {}
    lines = data.decode("utf-8", "replace").splitlines()
    return {
        d.name: {
            "name": d.name,
            "kind": d.kind,
            "path": path,
            "start_line": d.start_line,
            "end_line": d.end_line,
            "text": "\n".join(lines[d.start_line - 1 : d.end_line]),
        }
        for d in reading.definitions
    }


def compare(repo: Repo, since: bytes, head: bytes, earlier_chapters: list[dict] | None = None) -> dict:
    """What changed from ``since`` to ``head``: the commits (messages and authors), the files, and per part
    the definitions added, changed and removed; with ``earlier_chapters`` (their numbers, titles and
    anchors), which of them now point at code that moved or changed."""
    from dulwich.diff_tree import RenameDetector

    commits = []
    authors: Counter[str] = Counter()
    for entry in repo.get_walker(include=[head], exclude=[since], max_entries=MAX_COMMITS):  # type: ignore[list-item]
        commit = entry.commit
        author = commit.author.decode("utf-8", "replace").split(" <")[0]
        authors[author] += 1
        message = commit.message.decode("utf-8", "replace").strip().splitlines()
        commits.append(
            {"sha": commit.id.decode(), "message": message[0] if message else "", "author": author}
        )
    old_tree = repo[since].tree  # type: ignore[attr-defined]
    new_tree = repo[head].tree  # type: ignore[attr-defined]
    files: dict[str, str] = {}
    renamed: dict[str, str] = {}
    compared = 0
    by_part: dict[str, dict] = {}
    old_parts = {
        project_reading.part_of(e.path.decode("utf-8", "replace"))
        for e in iter_tree_contents(repo.object_store, old_tree)
    }  # type: ignore[attr-defined]
    new_parts = {
        project_reading.part_of(e.path.decode("utf-8", "replace"))
        for e in iter_tree_contents(repo.object_store, new_tree)
    }  # type: ignore[attr-defined]
    detector = RenameDetector(repo.object_store)
    for change in tree_changes(repo.object_store, old_tree, new_tree, rename_detector=detector):
        old_path = change.old.path.decode("utf-8", "replace") if change.old and change.old.path else None
        new_path = change.new.path.decode("utf-8", "replace") if change.new and change.new.path else None
        kind = {"add": "added", "delete": "removed", "modify": "modified"}.get(change.type, "renamed")
        path = new_path or old_path or ""
        files[path] = kind
        if kind == "renamed" and old_path:
            renamed[old_path] = path
            files[old_path] = "renamed"
        part = project_reading.part_of(path)
        record = by_part.setdefault(
            part,
            {
                "name": part,
                "status": "added"
                if part not in old_parts
                else "removed"
                if part not in new_parts
                else "changed",
                "files": {"added": [], "modified": [], "removed": []},
                "added": [],
                "changed": [],
                "removed": [],
            },
        )
        record["files"][
            "removed" if kind == "removed" else "added" if kind == "added" else "modified"
        ].append(path)
        if compared >= MAX_COMPARED_FILES or not language_of(path):
            continue
        compared += 1
        before = _definitions_at(
            repo, change.old.sha if change.old and change.old.sha else None, old_path or path
        )
        after = _definitions_at(repo, change.new.sha if change.new and change.new.sha else None, path)
        for name, definition in after.items():
            if name not in before:
                record["added"].append({k: v for k, v in definition.items() if k != "text"})
            elif before[name]["text"] != definition["text"]:
                record["changed"].append({k: v for k, v in definition.items() if k != "text"})
        record["removed"] += [
            {"name": name, "kind": d["kind"]} for name, d in before.items() if name not in after
        ]
    moved = None
    if earlier_chapters is not None:
        moved = []
        for chapter in earlier_chapters:
            for anchor in chapter.get("anchors", []):
                path = anchor.get("path", "")
                if files.get(path) in ("removed", "renamed"):
                    break
                if files.get(path) == "modified":
                    if "name" not in anchor:
                        break
                    record_of_part = by_part.get(project_reading.part_of(path), {})
                    touched = {
                        d["name"] for key in ("changed", "removed") for d in record_of_part.get(key, [])
                    }
                    if anchor["name"] in touched or _moved_lines(repo, head, anchor):
                        break
            else:
                continue
            moved.append({"chapter_number": chapter["chapter_number"], "title": chapter["title"]})
    since_commit = repo[since]
    return {
        "since": since.decode(),
        "since_date": _iso(since_commit.commit_time),  # type: ignore[attr-defined]
        "commits": commits,
        "authors": [name for name, _count in authors.most_common()],
        "files": files,
        "renamed": renamed,
        "parts": sorted(
            by_part.values(),
            key=lambda p: (
                -len(p["files"]["added"]) - len(p["files"]["modified"]) - len(p["files"]["removed"]),
                p["name"],
            ),
        ),
        "moved_chapters": moved,
    }


def _moved_lines(repo: Repo, head: bytes, anchor: dict) -> bool:
    """A named definition now starts on another line (the code above it grew or shrank)."""
    try:
        sha = _blob_id(repo, repo[head].tree, anchor["path"])  # type: ignore[attr-defined]
    except KeyError:
        return True
    now = _definitions_at(repo, sha, anchor["path"]).get(anchor["name"])
    return now is None or now["start_line"] != anchor.get("start_line")
