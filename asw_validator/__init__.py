"""asw-validator: validate ASEAN Single Window trade messages.

Library API (never prints, never exits)::

    from asw_validator import Validator, validate, is_valid, iter_findings

    result = validate("samples/acdd/valid-vn-th-rice.xml")
    for finding in result.findings:
        print(finding.code, finding.severity.value, finding.xpath, finding.message)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .__about__ import __version__
from .engine import Settings, Source, Validator
from .model import REPORT_VERSION, DocumentResult, Finding, Report, Severity

__all__ = [
    "REPORT_VERSION",
    "DocumentResult",
    "Finding",
    "Report",
    "Settings",
    "Severity",
    "Validator",
    "__version__",
    "is_valid",
    "iter_findings",
    "validate",
]


def validate(source: Source, **settings: Any) -> DocumentResult:
    """Validate one document (path, bytes or binary stream) with default or given settings."""
    return Validator(**settings).validate(source)


def is_valid(source: Source, **settings: Any) -> bool:
    """True when the document has no error-level finding."""
    return validate(source, **settings).is_valid


def iter_findings(source: Source, **settings: Any) -> Iterator[Finding]:
    """The document's findings, in document order."""
    yield from validate(source, **settings).findings
