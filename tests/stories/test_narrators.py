"""The default narrator on analyses of real repositories: its chapters, in the project's own words, read
as a person would say them."""

import pytest

from stories.analysis import analyze, head_commit_id, open_repository
from stories.narrators import StoryBrief, TemplateNarrator
from stories.speech import clean, words
from tests.stories.repositories import make_project


@pytest.fixture(scope="module")
def bookshop(tmp_path_factory) -> dict:
    path = make_project(tmp_path_factory.mktemp("repos") / "newcomer", "python")
    with open_repository(str(path), allow_local=True) as repo:
        return analyze(repo, head_commit_id(repo, "master"))


def _write(analysis: dict, **brief_fields) -> dict[str, str]:
    brief = StoryBrief(repository_name="newcomer", narrative_style="documentary", **brief_fields)
    return {chapter.title: chapter.text for chapter in TemplateNarrator().write(analysis, brief)}


def test_chapters_follow_the_fixed_order_with_one_per_focus_area(bookshop):
    chapters = _write(bookshop, focus_areas=["payments", "orders"])
    assert list(chapters) == [
        "Introduction",
        "The parts, from the way in",
        "Focus: payments",
        "Focus: orders",
        "Where to start",
        "How it grew",
        "Wrap-up",
    ]


def test_the_project_is_named_and_described_in_its_own_words_not_its_folders(bookshop):
    introduction = _write(bookshop)["Introduction"]
    assert introduction.startswith("This is the story of Bookshop.")
    assert "Bookshop sells second-hand books to readers in small towns." in introduction
    assert (
        "newcomer" not in introduction and "pip install" not in introduction and "badge" not in introduction
    )


def test_parts_are_told_from_the_way_in_with_what_they_build_on(bookshop):
    parts = _write(bookshop)["The parts, from the way in"]
    assert parts.index("Shop: The shop floor: stock, orders and the till.") < parts.index(
        "Payments: Taking money: cards today, vouchers soon."
    )
    assert "It builds on payments." in parts


def test_a_focus_chapter_tells_the_parts_pieces_in_their_own_words(bookshop):
    focus = _write(bookshop, focus_areas=["payments"])["Focus: payments"]
    assert "The function charge: charge a card and return the receipt number." in focus
    assert "It is used by shop." in focus
    orders = _write(bookshop, focus_areas=["orders"])["Focus: orders"]
    assert "The orders module in shop: Orders from readers, from basket to receipt." in orders
    assert "It defines order, place order" in orders


def test_where_to_start_depends_on_what_the_reader_wants(bookshop):
    assert _write(bookshop)["Where to start"].startswith(
        "For onboarding, start with shop, because that is where"
    )
    assert (
        "start with payments, because everything else rests on it"
        in _write(bookshop, intent_category="architecture")["Where to start"]
    )


def test_identifiers_are_words_and_nothing_unspeakable_survives():
    assert words("rating_triggers") == "rating triggers"
    assert words("LibraryImportRow") == "library import row"
    assert words("main.go") == "main"
    assert clean(
        "See `book_search` in reviews/migrations/0002_rating_triggers.py or https://example.com/x."
    ) == ("See book search in 0002 rating triggers in migrations or")
    assert clean("Run:\n```sh\nmake run\n```\nthen stop.") == "Run: then stop."


def test_the_same_inputs_always_give_the_same_script(bookshop):
    assert _write(bookshop, focus_areas=["shop"], learning_goals="How orders work") == _write(
        bookshop, focus_areas=["shop"], learning_goals="How orders work"
    )
