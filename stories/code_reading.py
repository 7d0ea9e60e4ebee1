"""What a source file says about itself: its module comment or docstring, its top-level definitions (with
their lines and the first sentence of their documentation) and what it imports.

Python, JavaScript, TypeScript, Go, Rust and Java are parsed with tree-sitter and the grammars bundled in
their PyPI packages (nothing is downloaded at run time); any other text file gives its leading comment.
A file that does not parse cleanly still gives what its tree holds: tree-sitter recovers from errors.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import PurePosixPath

import tree_sitter

MAX_PARSED_BYTES = 512 * 1024  # larger sources are generated or vendored, and say little in their own words
MAX_DEFINITIONS = 40


@dataclass
class Definition:
    name: str
    kind: str  # "class", "function", "type", …
    start_line: int  # 1-based, inclusive
    end_line: int
    doc: str = ""  # the first sentence of its documentation


@dataclass
class SourceReading:
    language: str
    doc: str = ""  # the module's own description: its first sentence or two
    definitions: list[Definition] = field(default_factory=list)
    imports: list[str] = field(default_factory=list)  # as written: "catalog.models", "./util", "crate::db"


def _grammars() -> dict[str, Callable[[], object]]:
    import tree_sitter_go
    import tree_sitter_java
    import tree_sitter_javascript
    import tree_sitter_python
    import tree_sitter_rust
    import tree_sitter_typescript

    return {
        "python": tree_sitter_python.language,
        "javascript": tree_sitter_javascript.language,
        "typescript": tree_sitter_typescript.language_typescript,
        "tsx": tree_sitter_typescript.language_tsx,
        "go": tree_sitter_go.language,
        "rust": tree_sitter_rust.language,
        "java": tree_sitter_java.language,
    }


PARSED = {
    ".py": "python",
    ".pyi": "python",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "javascript",
    ".ts": "typescript",
    ".tsx": "tsx",
    ".go": "go",
    ".rs": "rust",
    ".java": "java",
}
# Leading comments of other text files: the comment marks of their languages.
LINE_COMMENTS = {".sh": "#", ".bash": "#", ".rb": "#", ".pl": "#", ".r": "#", ".lua": "--", ".sql": "--",
                 ".c": "//", ".h": "//", ".cc": "//", ".cpp": "//", ".hpp": "//", ".cs": "//", ".kt": "//",
                 ".swift": "//", ".scala": "//", ".php": "//", ".dart": "//", ".ex": "#", ".exs": "#"}  # fmt: skip


@cache
def _parser(language: str) -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(_grammars()[language]()))


def language_of(path: str) -> str | None:
    return PARSED.get(PurePosixPath(path).suffix.lower())


SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"'])")
COMMENT_MARKS = re.compile(r"^\s*(/\*\*?|\*/|\*|///?!?|//|#!?|--|\"\"\"|''')\s?")


def first_sentences(text: str, count: int = 1, limit: int = 300) -> str:
    """The opening sentence(s) of a comment or docstring, as prose: comment marks, blank lines and anything
    after the first paragraph dropped."""
    lines: list[str] = []
    for raw in text.strip().splitlines():
        line = COMMENT_MARKS.sub("", raw).strip().rstrip("*/").strip()
        if not line:
            if lines:
                break  # the first paragraph only
            continue
        if line.startswith(
            ("@", ":param", ":return", "Args:", "Returns:", "-*-", "SPDX", "Copyright", "eslint")
        ):
            break
        lines.append(line)
    paragraph = " ".join(lines)
    sentences = SENTENCE_END.split(paragraph)
    text = " ".join(sentences[:count]).strip()
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def _text(node, source: bytes) -> str:
    return source[node.start_byte : node.end_byte].decode("utf-8", "replace")


def _string_value(node, source: bytes) -> str:
    text = _text(node, source)
    return (
        text.strip("\"'`").strip()
        if len(text) < 6
        else re.sub(r"^[rbuRBUf]*(\"\"\"|'''|\"|')|(\"\"\"|'''|\"|')$", "", text)
    )


def _preceding_comment(node, source: bytes, kinds=("comment", "line_comment", "block_comment")) -> str:
    """The comment lines right above a definition (a docstring in the C family), joined."""
    lines: list[str] = []
    sibling = node.prev_named_sibling
    expected_row = node.start_point[0] - 1
    while sibling is not None and sibling.type in kinds and sibling.end_point[0] >= expected_row - 0:
        lines.insert(0, _text(sibling, source))
        expected_row = sibling.start_point[0] - 1
        sibling = sibling.prev_named_sibling
    return "\n".join(lines)


def _name(node, source: bytes) -> str:
    named = node.child_by_field_name("name")
    return _text(named, source) if named is not None else ""


# --- per language -----------------------------------------------------------------------------------------


def _python(root, source: bytes, reading: SourceReading) -> None:
    for index, node in enumerate(root.named_children):
        if index == 0 and node.type == "expression_statement" and node.named_children:
            first = node.named_children[0]
            if first.type == "string":
                reading.doc = first_sentences(_string_value(first, source), 2)
        target = node.child_by_field_name("definition") if node.type == "decorated_definition" else node
        if target is not None and target.type in ("function_definition", "class_definition"):
            doc = ""
            body = target.child_by_field_name("body")
            if body is not None and body.named_children:
                first = body.named_children[0]
                if (
                    first.type == "expression_statement"
                    and first.named_children
                    and first.named_children[0].type == "string"
                ):
                    doc = first_sentences(_string_value(first.named_children[0], source))
            kind = "class" if target.type == "class_definition" else "function"
            _add(reading, _name(target, source), kind, node, doc)
        elif node.type == "import_statement":
            for child in node.named_children:
                module = child.child_by_field_name("name") if child.type == "aliased_import" else child
                if module is not None:
                    reading.imports.append(_text(module, source))
        elif node.type == "import_from_statement":
            module = node.child_by_field_name("module_name")
            if module is not None and module.type == "dotted_name":
                reading.imports.append(_text(module, source))


def _module_comment(root, source: bytes, kinds=("comment", "line_comment", "block_comment")) -> str:
    first = root.named_children[0] if root.named_children else None
    if first is None or first.type not in kinds:
        return ""
    lines: list[str] = []
    node = first
    while node is not None and node.type in kinds:
        text = _text(node, source)
        if text.startswith("#!"):
            node = node.next_named_sibling
            continue
        lines.append(text)
        node = node.next_named_sibling
    return first_sentences("\n".join(lines), 2)


def _javascript(root, source: bytes, reading: SourceReading) -> None:
    reading.doc = _module_comment(root, source)
    for node in root.named_children:
        target = node
        if node.type == "export_statement":
            target = node.child_by_field_name("declaration") or node
        doc = first_sentences(_preceding_comment(node, source))
        if target.type in ("function_declaration", "generator_function_declaration"):
            _add(reading, _name(target, source), "function", node, doc)
        elif target.type in ("class_declaration", "abstract_class_declaration"):
            _add(reading, _name(target, source), "class", node, doc)
        elif target.type in ("interface_declaration", "type_alias_declaration", "enum_declaration"):
            _add(reading, _name(target, source), "type", node, doc)
        elif target.type in ("lexical_declaration", "variable_declaration"):
            for declarator in target.named_children:
                if declarator.type == "variable_declarator":
                    value = declarator.child_by_field_name("value")
                    kind = "function" if value is not None and "function" in value.type else "constant"
                    _add(reading, _name(declarator, source), kind, node, doc)
        if node.type == "import_statement":
            module = node.child_by_field_name("source")
            if module is not None:
                reading.imports.append(_string_value(module, source))


def _go(root, source: bytes, reading: SourceReading) -> None:
    for node in root.named_children:
        if node.type == "package_clause":
            reading.doc = first_sentences(_preceding_comment(node, source), 2)
        doc = first_sentences(_preceding_comment(node, source))
        if node.type in ("function_declaration", "method_declaration"):
            _add(reading, _name(node, source), "function", node, doc)
        elif node.type == "type_declaration":
            for spec in node.named_children:
                if spec.type == "type_spec":
                    _add(reading, _name(spec, source), "type", node, doc)
        elif node.type == "import_declaration":
            for spec in _descendants(node, "import_spec"):
                path = spec.child_by_field_name("path")
                if path is not None:
                    reading.imports.append(_string_value(path, source))


def _rust(root, source: bytes, reading: SourceReading) -> None:
    inner = [
        _text(node, source)
        for node in root.named_children
        if node.type == "line_comment" and _text(node, source).startswith("//!")
    ]
    reading.doc = first_sentences("\n".join(inner), 2)
    kinds = {
        "function_item": "function", "struct_item": "type", "enum_item": "type", "trait_item": "type",
        "mod_item": "module", "impl_item": "implementation",
    }  # fmt: skip
    for node in root.named_children:
        if node.type in kinds:
            name = _name(node, source)
            if node.type == "impl_item":
                implemented = node.child_by_field_name("type")
                name = _text(implemented, source) if implemented is not None else ""
            doc = _preceding_comment(node, source, kinds=("line_comment", "block_comment", "attribute_item"))
            doc = "\n".join(line for line in doc.splitlines() if line.lstrip().startswith("///"))
            _add(reading, name, kinds[node.type], node, first_sentences(doc))
        elif node.type == "use_declaration":
            argument = node.child_by_field_name("argument")
            if argument is not None:
                reading.imports.append(_text(argument, source))


def _java(root, source: bytes, reading: SourceReading) -> None:
    for node in root.named_children:
        if node.type == "import_declaration":
            reading.imports.append(
                _text(node, source).removeprefix("import").removesuffix(";").replace("static ", "").strip()
            )
        elif node.type in (
            "class_declaration",
            "interface_declaration",
            "enum_declaration",
            "record_declaration",
        ):
            doc = first_sentences(_preceding_comment(node, source))
            if not reading.doc:
                reading.doc = first_sentences(_preceding_comment(node, source), 2)
            _add(
                reading,
                _name(node, source),
                "type" if node.type != "class_declaration" else "class",
                node,
                doc,
            )


def _descendants(node, kind: str):
    for child in node.named_children:
        if child.type == kind:
            yield child
        else:
            yield from _descendants(child, kind)


def _add(reading: SourceReading, name: str, kind: str, node, doc: str) -> None:
    if name and len(reading.definitions) < MAX_DEFINITIONS:
        reading.definitions.append(
            Definition(
                name=name,
                kind=kind,
                start_line=node.start_point[0] + 1,
                end_line=node.end_point[0] + 1,
                doc=doc,
            )
        )


READERS = {
    "python": _python,
    "javascript": _javascript,
    "typescript": _javascript,
    "tsx": _javascript,
    "go": _go,
    "rust": _rust,
    "java": _java,
}


def _plain_text(path: str, source: bytes) -> SourceReading | None:
    mark = LINE_COMMENTS.get(PurePosixPath(path).suffix.lower())
    if mark is None:
        return None
    lines: list[str] = []
    for raw in source.decode("utf-8", "replace").splitlines()[:40]:
        line = raw.strip()
        if line.startswith("#!") or (not lines and not line):
            continue
        if not line.startswith(mark) and not line.startswith(("/*", "*")):
            break
        lines.append(line)
    return SourceReading(language="text", doc=first_sentences("\n".join(lines), 2))


def read_source(path: str, source: bytes) -> SourceReading | None:
    """What ``source`` (the file at ``path``) says about itself, or None for a file that is not code."""
    if len(source) > MAX_PARSED_BYTES or b"\0" in source[:8000]:
        return None
    language = language_of(path)
    if language is None:
        return _plain_text(path, source)
    tree = _parser(language).parse(source)
    reading = SourceReading(language=language)
    READERS[language](tree.root_node, source, reading)
    return reading
