"""Every word the HTML report says itself, in one place, to be translated (issue 19: vi, th,
km, lo, my). Labels are written "label: value" wherever a number follows, so no translation
needs plural rules; placeholders are named (``{tool}``), never positional."""

from __future__ import annotations

#: The language of ``LABELS``, declared as the page's ``<html lang>``.
LANG = "en"

LABELS: dict[str, str] = {
    "title": "asw-validator report",
    "heading": "Validation report",
    "generated_by": "{tool} {version}",
    "documents": "Documents",
    "documents_checked": "Documents checked",
    "documents_valid": "Valid",
    "document": "Document",
    "doctype": "Document type",
    "doctype_unknown": "not recognised",
    "size": "Size (bytes)",
    "sha256": "SHA-256",
    "readiness": "As an ACDD",
    "acdd_item": "ACDD item",
    "source": "WCO element",
    "verdict": "Verdict",
    "valid": "Valid",
    "not_valid": "Not valid",
    "tool_failed": "Not checked (internal error)",
    "error": "Errors",
    "warning": "Warnings",
    "info": "Information",
    "waived": "Waived",
    "severity_error": "error",
    "severity_warning": "warning",
    "severity_info": "info",
    "no_findings": "No findings: the document passed every check.",
    "line": "Line",
    "column": "Column",
    "where": "Where",
    "value": "Value found",
    "expected": "Expected",
    "what": "What it checks",
    "basis": "Basis",
    "details": "Full explanation and examples",
    "context": "The XML around it",
    "context_none": "No line is known for this finding.",
    "context_not_kept": "No lines were kept for this finding (cross-document findings, and those"
    " past the first 100 of a document, have none).",
    "waived_because": "Waived: {justification} (until {expires}; {source})",
    "schemas": "Schemas used",
    "rule_families": "Rule families",
    "offline": "This report is one self-contained file: it loads nothing from the network.",
    "namespaces": "Namespace prefixes in the paths",
}
