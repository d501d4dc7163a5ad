"""What ``asw-validator explain CODE`` says, as data: for the service's ``/v1/rules/{code}``
and its rule pages (the CLI prints the same facts as text)."""

from __future__ import annotations

from typing import Any

from .codes import PIPELINE_CODES, RETIRED_CODES
from .rules.registry import ROLE_TEXT, Registry


def explain(code: str, registry: Registry) -> dict[str, Any] | None:
    """Everything known about ``code`` (a rule, a pipeline code or a retired code), or None.

    ``kind`` says which; a rule adds its description with the failing and passing examples,
    when it runs (role, dates) and whether it is a cross-document rule.
    """
    wanted = code.strip().upper()
    rule = registry.get(wanted)
    if rule is not None:
        return {
            "kind": "rule",
            **rule.info(),
            "summary": rule.summary.replace("``", ""),
            "runs_when": f"{ROLE_TEXT[rule.role]} is {rule.pack}" if rule.pack else None,
            "dated": rule.is_dated,
            "cross_document": rule.is_batch,
            "description": rule.doc.replace("``", ""),
        }
    pc = PIPELINE_CODES.get(wanted)
    if pc is not None:
        return {
            "kind": "pipeline",
            "code": pc.code,
            "name": pc.name,
            "severity": pc.severity,
            "stage": pc.stage,
            "basis": pc.basis,
            "summary": pc.summary,
            "description": pc.description.replace("``", ""),
        }
    retired = RETIRED_CODES.get(wanted)
    if retired is not None:
        return {"kind": "retired", "code": wanted, "description": retired}
    return None
