"""Stories worth hearing, checked on real repositories in several languages and on Folio's own history:
named after the project, in its own words, with nothing unspeakable, every anchor true at the pinned
commit; a story of what changed tells that and nothing else; bad repositories end in a complete story or a
clear failure, never a crash."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from dulwich import porcelain
from dulwich.object_store import tree_lookup_path
from rest_framework.test import APIClient

from stories import pipeline, services
from stories.analysis import analyze, open_repository
from stories.code_reading import read_source
from stories.models import Story, StoryChapter
from stories.narrators import StoryBrief, TemplateNarrator
from tests.accounts.factories import UserFactory
from tests.stories.repositories import PROJECTS, commit_all, make_project

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
LONG_PATH = re.compile(r"(?:[\w.-]+/){3,}[\w.-]+")
URL = re.compile(r"https?://|www\.")


@pytest.fixture(autouse=True)
def quiet(settings, tmp_path):
    settings.STORY_VOICE_BACKEND = "stories.voices.NoVoice"  # the script is what is checked here
    settings.MEDIA_ROOT = tmp_path / "media"


def _story(path: Path, **fields) -> Story:
    user = fields.pop("user", None) or UserFactory()
    repository = fields.pop("repository", None) or services.repository_create(
        user=user, repo_url=str(path), default_branch="master"
    )
    story = services.story_create(user=user, repository=repository, **fields)
    assert pipeline.run(story.pk) in ("complete", "failed")
    return Story.objects.get(pk=story.pk)


def _chapters(story: Story) -> list[StoryChapter]:
    return list(StoryChapter.objects.filter(story=story).order_by("chapter_number"))


def assert_speakable(texts: list[str]) -> None:
    for text in texts:
        assert not LONG_PATH.search(text), text
        assert not URL.search(text), text
        assert "```" not in text and "`" not in text, text


def assert_anchors_resolve(repo_path: Path, commit_sha: str, chapters: list[StoryChapter]) -> int:
    checked = 0
    with open_repository(str(repo_path), allow_local=True) as repo:
        tree = repo[commit_sha.encode()].tree
        for chapter in chapters:
            for anchor in chapter.anchors:
                _mode, sha = tree_lookup_path(repo.__getitem__, tree, anchor["path"].encode())
                data = repo[sha].data
                if "name" in anchor:
                    definitions = {d.name: d for d in read_source(anchor["path"], data).definitions}
                    assert definitions[anchor["name"]].start_line == anchor["start_line"], anchor
                    assert anchor["end_line"] <= data.count(b"\n") + 1
                checked += 1
    return checked


@pytest.mark.parametrize("language", list(PROJECTS))
def test_a_story_of_each_language_is_named_in_its_own_words_and_anchored(tmp_path, language):
    path = make_project(tmp_path / "checkout", language)
    story = _story(path)
    assert story.status == "complete", story.error_message
    project = PROJECTS[language]
    assert story.title == project["name"]
    chapters = _chapters(story)
    script = " ".join(chapter.script_segment for chapter in chapters)
    assert project["summary"] in script
    for own_words in project["parts"].values():
        assert own_words.lower() in script.lower(), own_words
    assert "checkout" not in script  # the folder it was cloned into is not its name
    assert_speakable([chapter.script_segment for chapter in chapters])
    assert assert_anchors_resolve(path, story.commit_sha, chapters) >= 3


def test_folios_own_story_names_its_parts_in_its_own_words():
    if not (ROOT / ".git").exists():
        pytest.skip("this checkout has no git history")
    with open_repository(str(ROOT), allow_local=True) as repo:
        head = repo.head()
        analysis = analyze(repo, head)
    assert analysis["project"]["name"] == "Folio"
    assert analysis["entry_parts"] == ["config"]
    brief = StoryBrief(repository_name="main", narrative_style="documentary", focus_areas=["reviews"])
    chapters = TemplateNarrator().write(analysis, brief)
    text = {chapter.title: chapter.text for chapter in chapters}
    assert text["Introduction"].startswith("This is the story of Folio. In its own words: A book platform.")
    assert (
        "Reviews: Readers' star ratings and reviews, one per reader and book"
        in text["The parts, from the way in"]
    )
    assert "Catalog: The books and genres everything else is about" in text["The parts, from the way in"]
    assert_speakable([chapter.text for chapter in chapters])
    for chapter in chapters:
        for anchor in chapter.anchors:
            assert (ROOT / anchor["path"]).exists() or anchor["path"] in analysis.get("paths", []), anchor


def test_what_changed_since_an_earlier_story_names_the_changes_and_nothing_else(tmp_path):
    path = make_project(tmp_path / "bookshop", "python")
    user = UserFactory()
    earlier = _story(path, user=user)
    assert earlier.status == "complete"
    cards = path / "payments" / "cards.py"
    cards.write_text(
        cards.read_text().replace("    return amount\n", "    return amount * 100\n")
        + '\n\ndef refund_voucher(code):\n    """Give a voucher\'s value back to the reader."""\n    return code\n'
    )
    commit_all(path, "Vouchers can be refunded", "Grace Hopper", 1_700_000_000)
    later = _story(path, user=user, repository=earlier.repository, since_story=earlier)
    assert later.status == "complete", later.error_message
    assert later.since_commit_sha == earlier.commit_sha and later.commit_sha != earlier.commit_sha
    assert later.title == f"Bookshop: what changed since {earlier.commit_sha[:7]}"
    text = {chapter.title: chapter.script_segment for chapter in _chapters(later)}
    assert list(text) == [
        "What changed",
        "Changes in payments",
        "In the commits' own words",
        "The earlier story",
    ]
    assert "1 commit by Grace Hopper" in text["What changed"]
    assert "Added: refund voucher." in text["Changes in payments"]
    assert "Changed: charge." in text["Changes in payments"]
    assert "shop" not in " ".join(text.values()).lower().replace("bookshop", "")
    assert text["In the commits' own words"] == "Vouchers can be refunded."
    pointing_at_cards = [
        chapter
        for chapter in _chapters(earlier)
        if any(a["path"] == "payments/cards.py" for a in chapter.anchors)
    ]
    assert pointing_at_cards
    for chapter in pointing_at_cards:
        assert f"chapter {chapter.chapter_number}, {chapter.title}" in text["The earlier story"]


def test_a_since_commit_that_is_not_an_ancestor_fails_the_story_clearly(tmp_path):
    path = make_project(tmp_path / "bookshop", "python")
    story = _story(path, since_commit="0123456789abcdef0123456789abcdef01234567")
    assert story.status == "failed"
    assert "is not an ancestor of the branch's head" in story.error_message


def _repository_with(tmp_path: Path, files: dict[str, bytes]) -> Path:
    path = tmp_path / "odd"
    path.mkdir()
    porcelain.init(str(path))
    for name, data in files.items():
        target = path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    commit_all(path, "Odd things")
    return path


def test_a_repository_that_says_nothing_about_itself_still_gets_a_story_saying_so(tmp_path):
    path = _repository_with(
        tmp_path, {"src/a/b.py": b"def f():\n    return 1\n", "data/blob.bin": bytes(range(256)) * 64}
    )
    story = _story(path)
    assert story.status == "complete", story.error_message
    introduction = _chapters(story)[0].script_segment
    assert "It does not describe itself in a README or a manifest" in introduction


def test_binary_files_a_50_mb_file_and_a_name_that_is_not_utf8_complete(tmp_path):
    path = _repository_with(
        tmp_path,
        {
            "images/logo.png": b"\x89PNG\r\n\x1a\n" + bytes(5000),
            "dumps/huge.sql": b"-- huge\n" + b"x" * (50 * 1024 * 1024),
            os.fsdecode(b"caf\xe9/menu.py"): b'"""The menu."""\n',
        },
    )
    story = _story(path)
    assert story.status == "complete", story.error_message
    script = " ".join(chapter.script_segment for chapter in _chapters(story))
    assert "Caf: The menu." in script
    assert_speakable([script])


def test_only_binary_files_still_make_a_story(tmp_path):
    path = _repository_with(tmp_path, {"art/a.png": b"\x89PNG\r\n\x1a\n" + bytes(100), "b.bin": bytes(256)})
    story = _story(path)
    assert story.status == "complete", story.error_message
    assert "It does not describe itself" in _chapters(story)[0].script_segment


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed (the shallow clone needs it)")
def test_a_shallow_clone_tells_the_history_it_has(tmp_path):
    source = make_project(tmp_path / "full", "python")
    for n in range(3):
        (source / "shop" / f"extra{n}.py").write_text(f'"""Extra {n}."""\n')
        commit_all(source, f"Extra {n}", when=1_700_000_000 + n)
    subprocess.run(
        ["git", "clone", "-q", "--depth", "2", f"file://{source}", str(tmp_path / "shallow")], check=True
    )
    story = _story(tmp_path / "shallow")
    assert story.status == "complete", story.error_message
    history = next(c for c in _chapters(story) if c.title == "How it grew").script_segment
    assert history.startswith("The history holds 2 commits")


def test_an_empty_repository_fails_with_a_clear_message(tmp_path):
    path = tmp_path / "empty"
    path.mkdir()
    porcelain.init(str(path))
    story = _story(path)
    assert story.status == "failed"
    assert "no commits" in story.error_message


def test_the_api_exposes_the_pin_the_anchors_and_the_transcripts_to_the_owner_only(tmp_path):
    path = make_project(tmp_path / "bookshop", "python")
    story = _story(path)
    owner, stranger = APIClient(), APIClient()
    owner.force_authenticate(story.user)
    stranger.force_authenticate(UserFactory())
    detail = owner.get(f"/api/v1/stories/{story.pk}/").json()
    assert detail["commit_sha"] == story.commit_sha and detail["since_commit_sha"] == ""
    named = [anchor for chapter in detail["chapters"] for anchor in chapter["anchors"] if "name" in anchor]
    assert {"path", "name", "start_line", "end_line"} <= set(named[0])
    for name in ("transcript.vtt", "chapters.vtt"):
        response = owner.get(f"/api/v1/stories/{story.pk}/{name}")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/vtt; charset=utf-8"
        assert response.content.startswith(b"WEBVTT")
        assert stranger.get(f"/api/v1/stories/{story.pk}/{name}").status_code == 404
    bad = owner.post(
        "/api/v1/stories/",
        {"repository": str(story.repository_id), "since_commit": "not-a-sha"},
        format="json",
    )
    assert bad.status_code == 400 and "since_commit" in bad.json()
