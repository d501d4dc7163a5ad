"""The reporter interface: streaming formats write per document, others at the end."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TextIO

from ..i18n import N_
from ..model import LIMIT_CODE, DocumentResult, Finding, Report

if TYPE_CHECKING:
    from ..i18n import Localizer


@dataclass(frozen=True)
class ReportOptions:
    """How a report is written, beyond its format."""

    #: ANSI colours (text): on a terminal, unless ``NO_COLOR`` is set.
    color: bool = False
    #: The directory report paths are relative to (SARIF, GitHub): the working directory.
    base_dir: str | None = None
    #: Where each code's explanation is, ``{code}`` replaced (HTML): the service's page links
    #: ``rules/{code}``; None: codes are not links.
    rule_links: str | None = None
    #: The language of what the report says in words (``--lang``; None: English). Human
    #: formats (text, HTML, GitHub) speak it; machine formats keep the English message and
    #: add the localised one.
    localizer: Localizer | None = None


class Reporter:
    """Writes a report to ``out``; reads only the result model."""

    #: Input lines a format shows before and after each finding's line (the engine keeps
    #: them while reading, ``Settings.excerpt_lines``); 0: none.
    excerpt_lines: ClassVar[int] = 0

    def __init__(self, out: TextIO, options: ReportOptions | None = None) -> None:
        self.out = out
        self.options = options or ReportOptions()

    def document(self, result: DocumentResult) -> None:
        """Called once per document, in input order, as soon as it is done."""

    def cross_document(self, findings: list[Finding]) -> None:
        """Called once after every document, with the cross-document findings (each carries
        its document's path); they are also merged into the report given to ``finish``."""

    def finish(self, report: Report) -> None:
        """Called once at the end with the whole report."""

    @property
    def localized(self) -> bool:
        """Whether the report speaks another language than English."""
        return self.options.localizer is not None and not self.options.localizer.english

    def say(self, f: Finding) -> str:
        """The finding's message in the report's language."""
        loc = self.options.localizer
        return f.message if loc is None else loc.message(f)

    def words(self, template: str, **params: Any) -> str:
        """One of the report's own sentences (a summary line) in its language."""
        loc = self.options.localizer
        return template.format(**params) if loc is None else loc.format(template, params)

    def localized_fields(self, f: Finding) -> dict[str, str]:
        """The optional fields a machine format adds in another language."""
        loc = self.options.localizer
        if loc is None or loc.english:
            return {}
        return {"message_localized": loc.message(f), "locale": loc.language}

    def relative(self, path: str) -> str:
        """``path`` relative to ``options.base_dir`` when it lies inside it, else as given."""
        base = self.options.base_dir
        if base is None or (path.startswith("<") and path.endswith(">")):
            return path
        absolute = os.path.normpath(Path(path).absolute())
        inside = os.path.relpath(absolute, base)
        return path if inside.startswith("..") else Path(inside).as_posix()


class LineReporter(Reporter):
    """A format that writes each finding as it comes, documents' then cross-document ones."""

    def document(self, result: DocumentResult) -> None:
        for f in result.findings:
            self.finding(result.path, f)

    def cross_document(self, findings: list[Finding]) -> None:
        for f in findings:
            self.finding(f.path or "", f)

    def finding(self, path: str, f: Finding) -> None:
        """Write one finding of the document at ``path``."""
        raise NotImplementedError


def value_note(f: Finding) -> str:
    """`` (value 'x')`` when the finding quotes a value its message does not show (libxml2
    says "the value has a length of 580", not which); empty otherwise. Not repr(): the
    value is shown as the document has it, and each format escapes it its own way."""
    if f.value is None or f.value in f.message:
        return ""
    return f" (value '{f.value}')"


def statistics(report: Report) -> list[tuple[str, str, int]]:
    """(code, rule name, number of findings) for every code reported, most frequent first;
    ``LIM001`` stands for nothing and is left out, waived findings are counted."""
    found = Counter(f.code for f in report.iter_findings() if f.code != LIMIT_CODE)
    names = report.explanations
    return [
        (code, names[code].name if code in names else "", n)
        for code, n in sorted(found.items(), key=lambda item: (-item[1], item[0]))
    ]


def readiness_text(readiness: Mapping[str, Any], loc: Localizer | None) -> str:
    """A WCO declaration's readiness verdict (``ACDD-ready``, ``not ACDD-ready: missing b,
    k``) in the report's language; item letters and element names stay as they are."""
    if loc is None or loc.english:
        return str(readiness["summary"])
    if readiness["ready"]:
        return loc.gettext(N_("ACDD-ready"))
    parts = [
        loc.format(template, {"items": ", ".join(readiness.get(key) or ())})
        for key, template in (
            ("missing", N_("missing {items}")),
            ("wrong", N_("wrong {items}")),
            ("lacks", N_("no {items}")),
            ("other", N_("other errors {items}")),
        )
        if readiness.get(key)
    ]
    return loc.format(N_("not ACDD-ready: {reasons}"), {"reasons": "; ".join(parts)})
