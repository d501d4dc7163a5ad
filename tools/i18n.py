"""The message catalogues: extract, update, compile (Babel), and the extractors they need.

    python tools/i18n.py extract    # asw_validator/locale/asw_validator.pot from the sources
    python tools/i18n.py update     # merge it into each language's .po (new entries empty)
    python tools/i18n.py compile    # each .po -> .mo (committed; a test keeps them fresh)
    python tools/i18n.py todo vi > todo.json        # the messages vi lacks, with their notes
    python tools/i18n.py fill vi done.json          # {msgid: translation} into vi's .po

What is extracted, and how:

- ``extract_calls``: the first argument of ``problem`` (a rule's message template), ``T`` (a
  term a template takes as a parameter) and ``N_`` (any other marked text), when it is a
  literal or a conditional expression between literals (read from the syntax tree, so a
  string elsewhere in the call, such as ``", ".join(...)``, is not taken for a message);
- ``extract_templates``: the ``template="..."`` of a finding the pipeline builds itself
  (parsing, envelopes, schemas, the WCO reader) and the templates of the per-code tables;
- ``extract_rules``: each rule's name (as words: ``mandatory item missing``) and its short
  explanation, the first paragraph of its docstring, exactly as ``Rule.summary`` gives it;
- the pipeline codes' summaries (``asw_validator.codes``) and the HTML report's labels
  (``asw_validator.reporters.labels``), read from the modules themselves.

A catalogue's header says how it was made and who reviewed it (``Translation-Review``); an
entry a translator has not yet made stays empty and the tool writes the English text.
"""

from __future__ import annotations

import argparse
import ast
import inspect
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "asw_validator"
LOCALE = PACKAGE / "locale"
POT = LOCALE / "asw_validator.pot"
LANGUAGES = ("vi", "th", "km", "lo", "my")
#: The calls whose first argument is a message.
CALLS = ("problem", "T", "N_")
Message = tuple[str, str, int, str]  # msgid, file, line, comment
Extracted = tuple[int, str | None, str, list[str]]


def rule_phrase(name: str) -> str:
    """A rule's kebab-case name as the words a report shows: ``mandatory item missing``."""
    return name.replace("-", " ")


def _literals(node: ast.AST) -> Iterator[str]:
    """The string literals a template expression may be: a literal, an implicit
    concatenation, or either branch of a conditional expression."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.IfExp):
        yield from _literals(node.body)
        yield from _literals(node.orelse)


def extract_calls(tree: ast.AST) -> Iterator[Extracted]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name in CALLS:
            for text in _literals(node.args[0]):
                yield node.lineno, None, text, [f"{name}()"] if name != "problem" else []


def extract_templates(tree: ast.AST) -> Iterator[Extracted]:
    """``template=<literal>`` keyword arguments, and the values of dictionaries whose name
    ends in ``TEMPLATES`` (the per-code tables of XSD and XML messages)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "template":
            for text in _literals(node.value):
                yield node.value.lineno, None, text, ["a finding of the pipeline"]
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            if any(n.endswith("TEMPLATES") for n in names) and isinstance(node.value, ast.Dict):
                for key, value in zip(node.value.keys, node.value.values, strict=True):
                    code = key.value if isinstance(key, ast.Constant) else ""
                    for text in _literals(value):
                        yield value.lineno, None, text, [f"the message of {code}"]


def _decorated_rule(func: ast.FunctionDef) -> tuple[str, str] | None:
    """(code, name) of a function decorated by a ``....rule(code=..., name=...)`` call."""
    for decorator in func.decorator_list:
        if not isinstance(decorator, ast.Call):
            continue
        target = decorator.func
        if not (isinstance(target, ast.Attribute) and target.attr == "rule") and not (
            isinstance(target, ast.Name) and target.id == "rule"
        ):
            continue
        found = {
            k.arg: k.value.value
            for k in decorator.keywords
            if isinstance(k.value, ast.Constant) and isinstance(k.value.value, str)
        }
        if "code" in found and "name" in found:
            return found["code"], found["name"]
    return None


def extract_rules(tree: ast.AST) -> Iterator[Extracted]:
    """Each rule's name, as words, and its short explanation (the docstring's first paragraph
    on one line, as ``Rule.summary`` has it, without the double backquotes reports drop)."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef):
            continue
        found = _decorated_rule(node)
        if found is None:
            continue
        code, name = found
        yield node.lineno, None, rule_phrase(name), [f"rule {code}: its name"]
        doc = inspect.cleandoc(ast.get_docstring(node, clean=False) or "")
        if doc:
            summary = " ".join(doc.split("\n\n", 1)[0].split()).replace("``", "")
            yield node.lineno, None, summary, [f"rule {code}: what it checks"]


def extract_asw(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[Extracted]:
    """The Babel extraction method for the package's modules (see the module docstring)."""
    tree = ast.parse(fileobj.read().decode("utf-8"))
    yield from extract_calls(tree)
    yield from extract_templates(tree)
    yield from extract_rules(tree)


def messages() -> list[Message]:
    """Every message the tool may write in words, with where it comes from."""
    sys.path.insert(0, str(REPO))
    found: list[Message] = []
    method_map = [("**.py", "tools.i18n:extract_asw")]
    for filename, line, text, comments, _context in extract_from_dir(
        str(PACKAGE), method_map, keywords={}, comment_tags=(), strip_comment_tags=True
    ):
        texts = text if isinstance(text, tuple) else (text,)
        for t in texts:
            if t:
                found.append((t, f"asw_validator/{filename}", line, "; ".join(comments)))
    from asw_validator.codes import PIPELINE_CODES
    from asw_validator.reporters.labels import LABELS

    for code, pc in sorted(PIPELINE_CODES.items()):
        found.append((pc.summary, "asw_validator/codes.py", 0, f"{code}: what it means"))
        found.append((rule_phrase(pc.name), "asw_validator/codes.py", 0, f"{code}: its name"))
    for key, text in LABELS.items():
        found.append((text, "asw_validator/reporters/labels.py", 0, f"HTML label {key}"))
    return found


def template_catalog() -> Catalog:
    catalog = Catalog(
        project="asw-validator",
        msgid_bugs_address="",
        copyright_holder="asw-validator developers",
        fuzzy=False,
    )
    for text, filename, line, comment in messages():
        catalog.add(text, locations=[(filename, line)], auto_comments=[comment] if comment else [])
    return catalog


def _write(catalog: Catalog, path: Path) -> None:
    out = io.BytesIO()
    write_po(out, catalog, width=100, sort_output=True, omit_header=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


def extract() -> None:
    catalog = template_catalog()
    _write(catalog, POT)
    print(f"{len(catalog)} messages in {POT.relative_to(REPO)}")


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "asw_validator.po"


def update() -> None:
    with POT.open("rb") as fh:
        template = read_po(fh)
    for language in LANGUAGES:
        path = po_path(language)
        if path.exists():
            with path.open("rb") as fh:
                catalog = read_po(fh, locale=language)
        else:
            catalog = Catalog(locale=language, project="asw-validator", fuzzy=False)
            catalog.header_comment = (
                f"# asw-validator messages in {language}.\n"
                "# How made: machine translation by the maintainers' assistant, with the\n"
                "# glossary in asw_validator/locale/glossary/ for domain terms.\n"
                "# Reviewed by: unreviewed.\n"
            )
        catalog.update(template, no_fuzzy_matching=True)
        _write(catalog, path)
        missing = sum(1 for m in catalog if m.id and not m.string)
        print(f"{language}: {len(catalog)} messages, {missing} not translated yet")


def compiled(language: str) -> bytes:
    with po_path(language).open("rb") as fh:
        catalog = read_po(fh, locale=language)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def compile_all(only: str | None = None) -> None:
    for language in (only,) if only else LANGUAGES:
        mo = po_path(language).with_suffix(".mo")
        mo.write_bytes(compiled(language))
        print(f"{mo.relative_to(REPO)}")


def _read(language: str) -> Catalog:
    with po_path(language).open("rb") as fh:
        return read_po(fh, locale=language)


def todo(language: str) -> None:
    """The messages ``language`` lacks, as JSON: msgid, where it is used, the extractor's note."""
    out = [
        {
            "msgid": m.id,
            "where": [f"{f}:{n}" for f, n in m.locations][:3],
            "note": "; ".join(m.auto_comments),
        }
        for m in _read(language)
        if m.id and not m.string
    ]
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    print()


def fill(language: str, source: Path) -> None:
    """Put ``{msgid: translation}`` from ``source`` (JSON) into ``language``'s catalogue; an
    unknown msgid is an error (a typo would otherwise be lost)."""
    given: dict[str, str] = json.loads(source.read_text("utf-8"))
    catalog = _read(language)
    unknown = [k for k in given if k not in catalog]
    if unknown:
        raise SystemExit(f"not in the catalogue: {unknown[:5]}")
    for msgid, text in given.items():
        catalog[msgid].string = text
    _write(catalog, po_path(language))
    left = sum(1 for m in catalog if m.id and not m.string)
    print(f"{language}: {len(given)} filled, {left} left")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("extract", "update", "compile", "all", "todo", "fill"))
    parser.add_argument("language", nargs="?", choices=LANGUAGES)
    parser.add_argument("file", nargs="?", type=Path)
    args = parser.parse_args()
    if args.command == "todo":
        todo(args.language)
        return
    if args.command == "fill":
        fill(args.language, args.file)
        return
    if args.command in ("extract", "all"):
        extract()
    if args.command in ("update", "all"):
        update()
    if args.command in ("compile", "all"):
        compile_all(args.language)


if __name__ == "__main__":
    main()
