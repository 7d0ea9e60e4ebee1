import pytest

from stories.analysis import (
    RepositoryError,
    analyze,
    head_commit_id,
    open_repository,
    parse_repo_url,
)
from stories.project_reading import readme_intro
from tests.stories.factories import make_git_repository


def test_analysis_of_a_real_repository(tmp_path):
    path = make_git_repository(tmp_path / "shop")
    with open_repository(f"file://{path}", allow_local=True) as repo:
        analysis = analyze(repo, head_commit_id(repo, "master"))
    languages = {item["language"]: item for item in analysis["languages"]}
    assert languages["Python"]["files"] == 4
    assert languages["Python"]["lines"] == 9
    assert languages["JavaScript"]["lines"] == 1
    assert [item["name"] for item in analysis["top_level"]] == ["README.md", "manage.py", "shop", "web"]
    assert analysis["entry_points"][0] == "manage.py"
    assert analysis["readme_excerpt"] == "A tiny shop that sells books."
    shop = next(item for item in analysis["top_level"] if item["name"] == "shop")
    assert shop["files"] == 3
    assert shop["sample"] == ["shop/models.py", "shop/payments.py"]  # longest first, no package marker
    assert analysis["commit_count"] == 3
    assert analysis["first_commit_at"].startswith("2020-09-13")
    assert analysis["last_commit_at"].startswith("2023-11-14")
    assert analysis["top_contributors"] == [
        {"name": "Ada Lovelace", "commits": 2},
        {"name": "Grace Hopper", "commits": 1},
    ]


def test_missing_path_and_plain_folder_are_readable_errors(tmp_path):
    with (
        pytest.raises(RepositoryError, match="does not exist"),
        open_repository(str(tmp_path / "nope"), allow_local=True),
    ):
        pass
    with (
        pytest.raises(RepositoryError, match="not a git repository"),
        open_repository(str(tmp_path), allow_local=True),
    ):
        pass


def test_local_repositories_are_refused_unless_allowed(tmp_path):
    path = make_git_repository(tmp_path / "shop")
    for url in (str(path), f"file://{path}", str(tmp_path / "nope")):
        with (
            pytest.raises(RepositoryError, match="^Local repositories are not allowed"),
            open_repository(url),
        ):
            pass


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://github.com/django/django.git", ("django", "django")),
        ("git@github.com:encode/django-rest-framework.git", ("encode", "django-rest-framework")),
        ("https://gitlab.example.com/group/sub/tool", ("sub", "tool")),
        ("file:///srv/repos/folio", ("", "folio")),
        ("/tmp/shop/", ("", "shop")),
    ],
)
def test_parse_repo_url(url, expected):
    assert parse_repo_url(url) == expected


def test_readme_intro_is_the_title_and_the_first_prose_that_describes():
    readme = (
        "# Tool\n\n[![CI](https://ci/badge.svg)](https://ci)\n\n## Installation\n\n```sh\nmake\n```\n\n"
        "Run `pip install tool` first.\n\n## About\n\nA **fast** tool for `git` users, see [the docs](https://docs).\n\n"
        "| a | b |\n\n## Usage\n\nRun it every morning before coffee.\n"
    )
    assert readme_intro(readme) == ("Tool", "A fast tool for git users, see the docs.")
    assert readme_intro("Set `FOLIO_ADMIN_EMAIL` or *MY_VAR*, __really__, please.")[1] == (
        "Set FOLIO_ADMIN_EMAIL or MY_VAR, really, please."
    )
    title, summary = readme_intro("Title\n=====\n\n" + "word " * 500)
    assert title == "Title" and summary.endswith("…") and len(summary) <= 602
