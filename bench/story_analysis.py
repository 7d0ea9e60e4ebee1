"""How long the story analysis takes, and how much memory, on a repository of 20,000 files.

The repository is generated once under var/bench/ (with git, if installed; else dulwich): 40 folders of
Python, Go, JavaScript, Rust and Java files with docstrings, imports between folders and definitions, one
large generated file, and 300 commits spread over the folders. The analysis runs in a child process so
its peak memory (ru_maxrss) is its own.

    .venv/bin/python bench/story_analysis.py [--files 20000]
"""

import argparse
import json
import resource
import subprocess
import sys
import time

from _django import ROOT

parser = argparse.ArgumentParser()
parser.add_argument("--files", type=int, default=20_000)
parser.add_argument("--measure", help=argparse.SUPPRESS)
args = parser.parse_args()

EXTENSIONS = [".py", ".go", ".js", ".rs", ".java"]


def source(extension: str, folder: str, index: int, other: str) -> str:
    if extension == ".py":
        return (
            f'"""Module {index} of {folder}: it does one thing well."""\n\nfrom {other} import thing\n\n\n'
            f'class Thing{index}:\n    """A thing."""\n\n\ndef work_{index}():\n    """Work."""\n    return 1\n'
        )
    if extension == ".go":
        return f"// Package {folder} does things.\npackage {folder}\n\n// Work{index} works.\nfunc Work{index}() {{}}\n"
    if extension == ".js":
        return f"/** Module {index}. */\nimport {{ x }} from '../{other}/index.js';\n/** Work. */\nexport function work{index}() {{}}\n"
    if extension == ".rs":
        return f"//! Module {index}.\nuse crate::{other}::Thing;\n/// Work.\npub fn work_{index}() {{}}\n"
    return f"package {folder};\n\n/** Thing {index}. */\npublic class Thing{index} {{}}\n"


def build(path, files: int) -> None:
    path.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    folders = [f"part{n:02d}" for n in range(40)]
    (path / "README.md").write_text(
        "# Big project\n\nA very large project, generated to measure the analysis.\n"
    )
    for n in range(files - 2):
        folder = folders[n % len(folders)]
        extension = EXTENSIONS[n % len(EXTENSIONS)]
        target = path / folder / f"sub{n % 25}" / f"module_{n}{extension}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source(extension, folder, n, folders[(n + 1) % len(folders)]))
    (path / "part00" / "generated.sql").write_text("-- generated\n" + "insert into t values (1);\n" * 400_000)
    env = {"GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "b@example.com", "GIT_COMMITTER_NAME": "Bench",
           "GIT_COMMITTER_EMAIL": "b@example.com", "PATH": "/usr/bin:/bin"}  # fmt: skip
    subprocess.run(["git", "-C", str(path), "add", "-A"], check=True, env=env)
    subprocess.run(["git", "-C", str(path), "commit", "-qm", "Everything"], check=True, env=env)
    for n in range(299):
        folder = folders[n % len(folders)]
        (path / folder / "sub0").mkdir(parents=True, exist_ok=True)
        with (path / folder / "sub0" / "history.py").open("a") as handle:
            handle.write(f"def change_{n}():\n    return {n}\n")
        subprocess.run(["git", "-C", str(path), "add", "-A"], check=True, env=env)
        subprocess.run(["git", "-C", str(path), "commit", "-qm", f"Change {n}"], check=True, env=env)


def measure(path: str) -> None:
    sys.path.insert(0, str(ROOT))
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.development")
    import django

    django.setup()
    from stories.analysis import analyze, open_repository

    start = time.perf_counter()
    with open_repository(path, allow_local=True) as repo:
        analysis = analyze(repo, repo.head())
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": round(seconds, 1), "peak_mb": round(peak_mb), "files": analysis["file_count"],
                      "parsed": analysis["parsed_files"], "parts": len(analysis["parts"]),
                      "commits_read": analysis["commits_read"]}))  # fmt: skip


if args.measure:
    measure(args.measure)
    sys.exit(0)
repository = ROOT / "var" / "bench" / f"story-repo-{args.files}"
if not repository.exists():
    print(f"building a repository of {args.files:,} files in {repository} …", flush=True)
    build(repository, args.files)
result = subprocess.run(
    [sys.executable, __file__, "--measure", str(repository)], capture_output=True, text=True, check=True
)
figures = json.loads(result.stdout.strip().splitlines()[-1])
print(
    f"analysis of {figures['files']:,} files ({figures['parsed']:,} parsed, {figures['parts']} parts, "
    f"{figures['commits_read']} commits' changes read): {figures['seconds']} s, peak memory {figures['peak_mb']} MB"
)
