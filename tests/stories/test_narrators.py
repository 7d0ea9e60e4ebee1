from stories.narrators import StoryBrief, TemplateNarrator

ANALYSIS = {
    "file_count": 7,
    "languages": [{"language": "Python", "files": 4, "lines": 1200}, {"language": "Markdown", "files": 1, "lines": 9}],
    "top_level": [
        {"name": ".github", "kind": "directory", "files": 1, "sample": [".github/ci.yml"]},
        {"name": "README.md", "kind": "file", "files": 1, "sample": []},
        {"name": "manage.py", "kind": "file", "files": 1, "sample": []},
        {"name": "payments", "kind": "directory", "files": 3, "sample": ["payments/stripe.py", "payments/refunds.py"]},
        {"name": "shop", "kind": "directory", "files": 2, "sample": ["shop/models.py"]},
    ],
    "paths": ["README.md", "manage.py", "payments/__init__.py", "payments/refunds.py", "payments/stripe.py",
              "shop/models.py", "shop/payment_views.py"],
    "entry_points": ["manage.py"],
    "readme_excerpt": "A tiny shop that sells books.",
    "commit_count": 3,
    "first_commit_at": "2020-09-13T12:26:40+00:00",
    "last_commit_at": "2023-11-14T22:13:20+00:00",
    "top_contributors": [{"name": "Ada Lovelace", "commits": 2}, {"name": "Grace Hopper", "commits": 1}],
}  # fmt: skip


def _write(**brief_fields) -> dict[str, str]:
    brief = StoryBrief(repository_name="shop", narrative_style="documentary", **brief_fields)
    return {chapter.title: chapter.text for chapter in TemplateNarrator().write(ANALYSIS, brief)}


def test_chapters_follow_the_fixed_order_with_one_per_focus_area():
    chapters = _write(focus_areas=["payment", "search"])
    assert list(chapters) == [
        "Introduction",
        "How it is organised",
        "Focus: payment",
        "Focus: search",
        "How it grew",
        "Wrap-up",
    ]
    assert "A tiny shop that sells books." in chapters["Introduction"]
    assert chapters["How it is organised"] == (
        "The repository holds 7 files. Most of it is written in Python with 1,200 lines in 4 files and "
        "Markdown with 9 lines in 1 file. At the top level there are the folders payments and shop. "
        "Next to them sit the files README.md and manage.py."
    )
    assert "Ada Lovelace (2) and Grace Hopper (1)" in chapters["How it grew"]
    assert "2020-09-13 to 2023-11-14" in chapters["How it grew"]


def test_focus_chapter_names_the_folder_its_longest_files_and_matches_elsewhere():
    text = _write(focus_areas=["payment"])["Focus: payment"]
    assert text == (
        "The payments folder holds 3 files; the longest are payments/stripe.py and payments/refunds.py. "
        "Elsewhere, shop/payment_views.py carries the name payment."
    )


def test_focus_on_something_unnamed_points_at_the_entry_points():
    text = _write(focus_areas=["caching"])["Focus: caching"]
    assert text.startswith("Nothing is named after caching")
    assert "manage.py" in text


def test_without_focus_areas_a_where_to_start_chapter_lists_entry_points():
    chapters = _write()
    assert chapters["Where to start"] == "The likely entry points are manage.py."


def test_the_same_inputs_always_give_the_same_script():
    assert _write(focus_areas=["shop"], learning_goals="How orders work") == _write(
        focus_areas=["shop"], learning_goals="How orders work"
    )
