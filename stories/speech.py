"""Text fit to be heard: identifiers read as words, and nothing a listener cannot follow (URLs, long paths,
code) left in a script."""

import re

URL = re.compile(r"\b(?:https?|ftp|git|ssh)://\S+|\bwww\.\S+|\S+@\S+\.\w+")
FENCED = re.compile(r"```.*?```|~~~.*?~~~", re.DOTALL)
CODE_SPAN = re.compile(r"`+([^`]*)`+")
LONG_PATH = re.compile(r"(?<![\w/])(?:[\w.-]+/){2,}[\w.-]+")
# snake_case names and dotted module paths in prose: read as words ("book_search", "catalog.selectors").
IDENTIFIER = re.compile(r"\b[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+\b|\b\w+_\w+\b")
CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-Z0-9\"'(“])")


def words(identifier: str) -> str:
    """``rating_triggers`` → "rating triggers", ``LibraryImportRow`` → "library import row",
    ``collections_app`` → "collections app", ``main.go`` → "main"."""
    stem = identifier.replace("\ufffd", "").strip("_")  # a name that was not UTF-8 loses what is unreadable
    if "." in stem and not stem.startswith("."):
        stem = stem.rsplit(".", 1)[0]
    spaced = CAMEL.sub(" ", stem).replace("_", " ").replace("-", " ").replace(".", " ")
    text = " ".join(spaced.split())
    return text if text.isupper() and len(text) <= 5 else text.lower()


def _short_path(match: re.Match) -> str:
    segments = match.group(0).rstrip(".").split("/")
    return f"{words(segments[-1])} in {words(segments[-2])}"


def _identifier_words(identifier: str) -> str:
    if "." in identifier and "_" not in identifier and identifier.count(".") == 1:
        return identifier  # a file name such as books.csv reads as it is
    return " ".join(words(part) for part in identifier.split(".")[-2:])


def clean(text: str) -> str:
    """Prose from a docstring, a README or a commit message, fit to read aloud: no fenced code, no URLs;
    code marks dropped; a path of three segments or more told as "its file in its folder"."""
    text = FENCED.sub(" ", text)
    text = URL.sub("", text)
    text = CODE_SPAN.sub(r"\1", text)
    text = LONG_PATH.sub(_short_path, text)
    text = IDENTIFIER.sub(lambda match: _identifier_words(match.group(0)), text)
    text = re.sub(r"\s+([,.;:])", r"\1", " ".join(text.split()))
    return text.strip()


def sentences(text: str) -> list[str]:
    """A chapter's sentences, for cues timed one by one."""
    return [part.strip() for part in SENTENCE_END.split(text.strip()) if part.strip()]


def join(items: list[str]) -> str:
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "…")) else text + "."
