from pathlib import Path

import factory
from dulwich import porcelain

from stories.models import Repository, Story, StoryIntent
from tests.accounts.factories import UserFactory

SAMPLE_FILES = {
    "README.md": "# Tiny shop\n\nA tiny shop that sells books.\n\n```sh\nmake run\n```\n",
    "shop/__init__.py": "",
    "shop/models.py": "class Book:\n    pass\n\n\nclass Order:\n    pass\n",
    "shop/payments.py": "def charge(amount):\n    return amount\n",
    "web/index.js": "console.log('hi')\n",
    "manage.py": "print('manage')\n",
}


def make_git_repository(path: Path, commits: list[tuple[str, int]] | None = None) -> Path:
    """A real git repository: SAMPLE_FILES committed by the given (author, unix time) pairs."""
    path.mkdir(parents=True, exist_ok=True)
    porcelain.init(str(path))
    commits = commits or [
        ("Ada Lovelace", 1_600_000_000),
        ("Grace Hopper", 1_650_000_000),
        ("Ada Lovelace", 1_700_000_000),
    ]
    names = list(SAMPLE_FILES)
    for index, (author, when) in enumerate(commits):
        for name in names[index :: len(commits)] if index < len(commits) - 1 else names:
            target = path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(SAMPLE_FILES[name])
            porcelain.add(str(path), paths=[str(target)])
        identity = f"{author} <{author.split()[0].lower()}@example.com>".encode()
        porcelain.commit(
            str(path), message=f"Commit {index}".encode(), author=identity, committer=identity,
            commit_timestamp=when, author_timestamp=when,
        )  # fmt: skip
    return path


def add_commit(path: Path, name: str, text: str) -> None:
    (path / name).write_text(text)
    porcelain.add(str(path), paths=[str(path / name)])
    porcelain.commit(
        str(path), message=b"More", author=b"Bo <bo@example.com>", committer=b"Bo <bo@example.com>"
    )


class RepositoryFactory(factory.django.DjangoModelFactory[Repository]):
    class Meta:
        model = Repository

    user = factory.SubFactory(UserFactory)
    repo_url = "/nonexistent"
    repo_name = "shop"


class _InARepositoryFactory(factory.django.DjangoModelFactory):
    """A row that belongs to a repository and, through it, to the repository's owner."""

    class Meta:
        abstract = True

    user = factory.SelfAttribute("repository.user")
    repository = factory.SubFactory(RepositoryFactory)


class IntentFactory(_InARepositoryFactory):
    class Meta:
        model = StoryIntent

    intent_category = "onboarding"


class StoryFactory(_InARepositoryFactory):
    class Meta:
        model = Story

    title = "A story"
