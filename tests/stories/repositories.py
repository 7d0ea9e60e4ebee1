"""Small real projects in several languages, committed to real git repositories: each with a README (a
title, badges, an install section, then what it is), a manifest, parts that import one another, and the
code's own documentation, so the story of each can be checked against what its files say."""

from pathlib import Path

from dulwich import porcelain

README = """# {name}

[![build](https://ci.example.com/badge.svg)](https://ci.example.com)

## Installation

```sh
{install}
```

Run `{install}` and you are set.

## What it is

{summary}
"""

PROJECTS: dict[str, dict] = {
    "python": {
        "name": "Bookshop",
        "summary": "Bookshop sells second-hand books to readers in small towns. It keeps a stock of books and takes payments.",
        "install": "pip install bookshop",
        "files": {
            "pyproject.toml": '[project]\nname = "bookshop"\ndescription = "Sell second-hand books."\n',
            "manage.py": "from shop import orders\n\norders.main()\n",
            "shop/__init__.py": '"""The shop floor: stock, orders and the till."""\n',
            "shop/orders.py": (
                '"""Orders from readers, from basket to receipt."""\n\nfrom payments import cards\n\n\n'
                'class Order:\n    """One reader\'s purchase of one or more books."""\n\n    def total(self):\n'
                "        return 0\n\n\ndef place_order(basket):\n"
                '    """Turn a basket into a paid order, or refuse it."""\n    return cards.charge(basket)\n\n\n'
                "def main():\n    pass\n"
            ),
            "payments/__init__.py": '"""Taking money: cards today, vouchers soon."""\n',
            "payments/cards.py": (
                '"""Card payments through the bank\'s gateway."""\n\n\ndef charge(amount):\n'
                '    """Charge a card and return the receipt number."""\n    return amount\n\n\n'
                "def refund_card_payment(receipt):\n    return receipt\n"
            ),
        },
        "parts": {"shop": "The shop floor", "payments": "Taking money"},
    },
    "go": {
        "name": "ledger",
        "summary": "A ledger that keeps double-entry accounts for small firms, and closes their books each month.",
        "install": "go install example.com/ledger@latest",
        "files": {
            "go.mod": "module example.com/ledger\n\ngo 1.22\n",
            "main.go": 'package main\n\nimport "example.com/ledger/accounts"\n\nfunc main() { accounts.Open() }\n',
            "accounts/accounts.go": (
                "// Package accounts keeps the chart of accounts and every posting to it.\npackage accounts\n\n"
                'import "example.com/ledger/money"\n\n// Account is one line of the chart of accounts.\n'
                "type Account struct{ Balance money.Amount }\n\n// Open starts an empty chart of accounts.\n"
                "func Open() []Account { return nil }\n"
            ),
            "money/money.go": (
                "// Package money counts in whole cents, never in floats.\npackage money\n\n"
                "// Amount is a sum of money in cents.\ntype Amount int64\n"
            ),
        },
        "parts": {"accounts": "keeps the chart of accounts", "money": "counts in whole cents"},
    },
    "javascript": {
        "name": "Tram times",
        "summary": "Tram times shows when the next tram leaves each stop in the city, updated every minute.",
        "install": "npm install tram-times",
        "files": {
            "package.json": '{"name": "tram-times", "description": "Next trams at every stop."}\n',
            "src/index.js": (
                "/**\n * The way in: starts the departure board.\n */\n"
                "import { nextDepartures } from './timetable/departures.js';\n\n"
                "/** Show the board for one stop. */\nexport function showBoard(stop) { return nextDepartures(stop); }\n"
            ),
            "src/timetable/departures.js": (
                "/**\n * Departures from the published timetable, corrected by live positions.\n */\n"
                "/** The next departures from a stop, soonest first. */\n"
                "export function nextDepartures(stop) { return []; }\n"
            ),
            "src/board/render.ts": (
                "// Drawing the departure board on a small screen.\n\n"
                "/** A board ready to draw. */\nexport interface Board { lines: string[] }\n"
            ),
        },
        "parts": {
            "timetable": "Departures from the published timetable",
            "board": "Drawing the departure board",
        },
    },
    "rust": {
        "name": "weatherd",
        "summary": "A small daemon that reads weather stations over the radio and keeps a week of readings.",
        "install": "cargo install weatherd",
        "files": {
            "Cargo.toml": '[package]\nname = "weatherd"\ndescription = "Weather station daemon."\n',
            "src/main.rs": "//! The daemon: listens to the stations and stores what they say.\nmod radio;\nfn main() {}\n",
            "src/radio/mod.rs": (
                "//! Decoding the stations' radio packets.\nuse crate::store::Reading;\n\n"
                "/// One packet as it came over the air.\npub struct Packet {}\n\n"
                "/// Decode a packet into a reading.\npub fn decode(p: &Packet) -> Option<Reading> { None }\n"
            ),
            "src/store/mod.rs": (
                "//! A week of readings, kept in memory and on disk.\n\n/// One station's reading.\n"
                "pub struct Reading {}\n"
            ),
        },
        "parts": {"radio": "Decoding the stations", "store": "A week of readings"},
    },
    "java": {
        "name": "Library loans",
        "summary": "Library loans lends books to members and reminds them when a loan is due back.",
        "install": "mvn install",
        "files": {
            "pom.xml": "<project><artifactId>loans</artifactId></project>\n",
            "loans/Loan.java": (
                "package loans;\n\nimport members.Member;\n\n/** A book lent to a member until a due date. */\n"
                "public class Loan { Member member; }\n"
            ),
            "members/Member.java": (
                "package members;\n\n/** Someone who may borrow books, with their card number. */\n"
                "public class Member {}\n"
            ),
        },
        "parts": {"loans": "A book lent to a member", "members": "Someone who may borrow books"},
    },
}


def commit_all(path: Path, message: str, author: str = "Ada Lovelace", when: int = 1_700_000_000) -> str:
    porcelain.add(str(path))
    identity = f"{author} <{author.split()[0].lower()}@example.com>".encode()
    return porcelain.commit(
        str(path), message=message.encode(), author=identity, committer=identity,
        commit_timestamp=when, author_timestamp=when,
    ).decode()  # fmt: skip


def make_project(path: Path, language: str) -> Path:
    project = PROJECTS[language]
    path.mkdir(parents=True, exist_ok=True)
    porcelain.init(str(path))
    files = {
        "README.md": README.format(
            name=project["name"], summary=project["summary"], install=project["install"]
        ),
        **project["files"],
    }
    for name, text in files.items():
        target = path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    commit_all(path, f"Start {project['name']}", "Ada Lovelace", 1_690_000_000)
    return path
