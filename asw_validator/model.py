"""Result model: immutable findings, per-document results and the run report.

Every output format is produced from these objects through ``to_dict()``; reporters never
reach back into the engine. The JSON form is versioned (``REPORT_VERSION``) and described by
``asw_validator/data/report-v1.schema.json``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

REPORT_VERSION = 1


class Severity(enum.Enum):
    """Finding severity; ordered so that ``ERROR > WARNING > INFO``."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}
_BY_RANK = (Severity.ERROR, Severity.WARNING, Severity.INFO)

#: Codes that mean "the tool could not do its job" for a document (exit code 3).
TOOL_FAILURE_CODES = frozenset({"INT001"})
#: The one finding that stands for findings past the per-document cap (``--max-findings``);
#: it is not counted itself: the findings it stands for are (``DocumentResult.dropped``).
LIMIT_CODE = "LIM001"
#: Longest value a finding quotes from a document; a 10 MB text node stays out of reports.
MAX_VALUE_CHARS = 200


def clip(value: str | None) -> str | None:
    """``value`` cut to ``MAX_VALUE_CHARS``, saying how much was left out."""
    if value is None or len(value) <= MAX_VALUE_CHARS:
        return value
    return f"{value[:MAX_VALUE_CHARS]}... ({len(value) - MAX_VALUE_CHARS} more characters)"


#: The key under which counts give the waived findings (apart from their severities).
WAIVED = "waived"


@dataclass(frozen=True)
class Waived:
    """Why a finding is waived: it stays in the report, marked, and does not count against
    its document (``is_valid``, the exit code); the counts say how many were waived."""

    justification: str
    #: The last day the waiver applies (ISO date); after it the finding counts again.
    expires: str
    #: The waiver: its file and its position there (``waivers.toml, waiver 2``).
    source: str

    def to_dict(self) -> dict[str, str]:
        return {"justification": self.justification, "expires": self.expires, "source": self.source}


@dataclass(frozen=True)
class Finding:
    """One problem found in one document.

    ``line`` and ``column`` are 1-based; either may be ``None`` when the source gives none
    (libxml2 reports no column for schema errors). ``xpath`` uses the fixed namespace
    prefixes listed in the report.
    """

    code: str
    severity: Severity
    message: str
    xpath: str | None = None
    line: int | None = None
    column: int | None = None
    value: str | None = None
    expected: str | None = None
    rule: str | None = None
    basis: str | None = None
    path: str | None = None
    waived: Waived | None = None
    #: For a document read into another model (a WCO declaration read as an ACDD): the ACDD
    #: item(s) the finding concerns (``"c"``) and the element it comes, or should come, from.
    acdd_item: str | None = None
    source: str | None = None
    #: The English template and its parameters the message was made from, for a report in
    #: another language (``asw_validator.i18n``); never in the JSON report, never compared.
    template: str | None = field(default=None, compare=False, repr=False)
    params: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def worded(
        cls,
        code: str,
        severity: Severity,
        template: str,
        params: Mapping[str, Any] | None = None,
        **fields: Any,
    ) -> Finding:
        """A finding whose message is ``template`` filled with ``params``, both kept for a
        report in another language (the pipeline's codes; a rule's go through the engine)."""
        params = dict(params or {})
        message = template.format(**params) if params else template
        return cls(code, severity, message, template=template, params=params, **fields)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "xpath": self.xpath,
            "line": self.line,
            "column": self.column,
            "value": self.value,
            "expected": self.expected,
            "rule": self.rule,
            "basis": self.basis,
            "path": self.path,
        }
        if self.waived is not None:
            out["waived"] = self.waived.to_dict()
        if self.acdd_item is not None:
            out["acdd_item"] = self.acdd_item
        if self.source is not None:
            out["source"] = self.source
        return out

    @property
    def counted(self) -> bool:
        """Whether the finding counts against its document (it is not waived)."""
        return self.waived is None


@dataclass(frozen=True)
class DocumentResult:
    """Everything found in one input document, in the order found."""

    path: str
    findings: tuple[Finding, ...]
    sha256: str | None = None
    size: int | None = None
    doctype: str | None = None
    doctype_version: str | None = None
    #: Findings past the cap, by severity (and ``waived``): not listed, but counted (and in
    #: the exit code, through the ``LIM001`` finding, as severe as the worst of them).
    dropped: Mapping[str, int] = field(default_factory=dict)
    #: A document type's verdict beyond valid/invalid (a WCO declaration: ACDD-ready or not).
    readiness: Mapping[str, Any] | None = None
    #: Lines of the input around the findings, by line number (1-based), each cut at 200
    #: characters: captured while the input was read (``Settings.excerpt_lines``), so that a
    #: report can show a finding in its XML without reading the input again (stdin cannot be).
    source_lines: Mapping[int, str] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        """True when there is no error-level finding that counts (warnings, info and waived
        findings do not)."""
        return not any(f.severity is Severity.ERROR and f.counted for f in self.findings)

    @property
    def tool_failed(self) -> bool:
        """True when the tool could not do its job for this document (exit code 3)."""
        return any(f.code in TOOL_FAILURE_CODES for f in self.findings)

    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def counts(self) -> dict[str, int]:
        """Findings by severity, those past the cap included (``LIM001`` stands for them);
        waived findings are counted apart, under ``waived``, present only when some are."""
        out = {s.value: 0 for s in _BY_RANK}
        for f in self.findings:
            if f.code != LIMIT_CODE:
                key = f.severity.value if f.counted else WAIVED
                out[key] = out.get(key, 0) + 1
        for key, n in self.dropped.items():
            out[key] = out.get(key, 0) + n
        return out

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "path": self.path,
            "doctype": self.doctype,
            "doctype_version": self.doctype_version,
            "sha256": self.sha256,
            "size": self.size,
            "valid": self.is_valid,
            "counts": self.counts(),
            "findings": [f.to_dict() for f in self.findings],
        }
        if self.dropped:
            out["findings_not_listed"] = dict(self.dropped)
        if self.readiness is not None:
            out["readiness"] = dict(self.readiness)
        return out


@dataclass(frozen=True)
class Explanation:
    """What a code means: the rule behind it (or the pipeline stage), as ``explain`` says."""

    code: str
    name: str
    #: One line: what is wrong when the code is reported.
    summary: str
    #: The whole explanation, examples included.
    description: str
    #: The default severity, or a phrase when it varies (``LIM001``).
    severity: str
    basis: str
    #: The rule family (``acdd``, ``vn`` ...) or the pipeline stage (``parse`` ...).
    group: str


@dataclass(frozen=True)
class Report:
    """A whole run: documents in input order plus what produced the verdicts."""

    documents: tuple[DocumentResult, ...]
    tool_version: str
    schemas: tuple[Mapping[str, str | bool], ...] = ()
    rule_families: Mapping[str, str] = field(default_factory=dict)
    namespaces: Mapping[str, str] = field(default_factory=dict)
    #: What each code found in the run means, for the formats that explain findings (SARIF
    #: rules, the HTML report); not part of the JSON report, where ``explain`` serves.
    explanations: Mapping[str, Explanation] = field(default_factory=dict)

    def iter_findings(self) -> Iterator[Finding]:
        for doc in self.documents:
            yield from doc.findings

    @property
    def tool_failed(self) -> bool:
        return any(d.tool_failed for d in self.documents)

    def max_severity(self) -> Severity | None:
        found = [f.severity for f in self.iter_findings()]
        return max(found, key=lambda s: s.rank) if found else None

    def counts(self) -> dict[str, int]:
        """Findings by severity over every document; ``waived`` only when some are."""
        out = {s.value: 0 for s in _BY_RANK}
        for d in self.documents:
            for key, n in d.counts().items():
                out[key] = out.get(key, 0) + n
        return out

    def to_dict(self) -> dict[str, Any]:
        return {**self.head_dict(), "documents": [d.to_dict() for d in self.documents]}

    def head_dict(self) -> dict[str, Any]:
        """Everything ``to_dict`` gives but the documents: what ran, and the totals."""
        return {
            "report_version": REPORT_VERSION,
            "tool": {"name": "asw-validator", "version": self.tool_version},
            "schemas": [dict(s) for s in self.schemas],
            "rule_families": dict(self.rule_families),
            "namespaces": dict(self.namespaces),
            "summary": {
                "documents": len(self.documents),
                "valid": sum(1 for d in self.documents if d.is_valid),
                **self.counts(),
            },
        }


#: ``--fail-on`` / ``fail-on``: the lowest severity that makes a run fail (None: never).
FAIL_ON: dict[str, Severity | None] = {
    "error": Severity.ERROR,
    "warning": Severity.WARNING,
    "info": Severity.INFO,
    "never": None,
}


def exit_code(documents: Iterable[DocumentResult], fail_on: Severity | None) -> int:
    """Exit code contract: 3 tool failure, else 1 when a finding reaches ``fail_on``, else 0.

    ``fail_on=None`` means "never fail on findings" (``--fail-on never``); a tool failure
    still gives 3, because an internal error must never pass for a valid document.
    """
    docs = list(documents)
    if any(d.tool_failed for d in docs):
        return 3
    if fail_on is None:
        return 0
    for d in docs:
        # a LIM001 standing only for waived findings stands for nothing that counts
        only_waived = set(d.dropped) == {WAIVED}
        if any(
            f.severity >= fail_on and f.counted and not (only_waived and f.code == LIMIT_CODE)
            for f in d.findings
        ):
            return 1
    return 0
