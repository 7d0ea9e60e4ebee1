"""A small real git repository for the story the fault script narrates."""

from pathlib import Path

from dulwich import porcelain

FILES = {
    "README.md": "# Shop\n\nA small shop that sells books.\n",
    "shop/models.py": "class Book:\n    pass\n",
    "shop/payments.py": "def charge(amount):\n    return amount\n",
    "manage.py": "print('manage')\n",
}


def make_repository(path: Path) -> Path:
    if (path / ".git").exists():
        return path
    path.mkdir(parents=True, exist_ok=True)
    porcelain.init(str(path))
    for name, text in FILES.items():
        target = path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        porcelain.add(str(path), paths=[str(target)])
    identity = b"Bench <bench@example.invalid>"
    porcelain.commit(str(path), message=b"Shop", author=identity, committer=identity)
    return path
