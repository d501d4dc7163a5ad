"""SARIF 2.1.0: one run, for code-scanning dashboards.

- ``tool.driver``: name, version, ``informationUri`` and one rule per code found (id = the
  code; name, short and full description, default level, help with the basis);
- one result per finding: ``ruleId`` and ``ruleIndex``, level, message, a physical location
  (the document, relative to the working directory through ``originalUriBaseIds`` SRCROOT;
  standard input as ``%3Cstdin%3E``, i.e. ``<stdin>`` percent-encoded as a URI reference
  must be; 1-based line and column where known) and a logical location holding the XPath;
  a waived finding carries a ``suppressions`` entry with its justification;
- one artifact per document with its SHA-256 and size.

Levels: error -> error, warning -> warning, info -> note.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..__about__ import INFORMATION_URI
from ..model import DocumentResult, Explanation, Finding, Report
from .base import Reporter

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
BASE_ID = "SRCROOT"


class SarifReporter(Reporter):
    def finish(self, report: Report) -> None:
        rules, index = _rules(report)
        artifacts: list[dict[str, Any]] = []
        seen: dict[tuple[str, str | None], int] = {}
        results: list[dict[str, Any]] = []
        for doc in report.documents:
            location = self._location(doc.path)
            key = (doc.path, doc.sha256)
            if key not in seen:
                seen[key] = len(artifacts)
                artifacts.append(_artifact(location, doc))
            for f in doc.findings:
                result = _result(f, index, {**location, "index": seen[key]})
                localized = self.localized_fields(f)
                if localized:  # SARIF allows new fields only in property bags
                    result.setdefault("properties", {}).update(
                        messageLocalized=localized["message_localized"],
                        locale=localized["locale"],
                    )
                results.append(result)
        base = self.options.base_dir or str(Path.cwd())
        run: dict[str, Any] = {
            "tool": {
                "driver": {
                    "name": "asw-validator",
                    "version": report.tool_version,
                    "semanticVersion": report.tool_version,
                    "informationUri": INFORMATION_URI,
                    "rules": rules,
                }
            },
            "originalUriBaseIds": {BASE_ID: {"uri": Path(base).as_uri().rstrip("/") + "/"}},
            "artifacts": artifacts,
            "results": results,
            "invocations": [{"executionSuccessful": not report.tool_failed}],
            "columnKind": "unicodeCodePoints",
            "properties": {
                "schemas": [dict(s) for s in report.schemas],
                "ruleFamilies": dict(report.rule_families),
                "namespaces": dict(report.namespaces),
            },
        }
        sarif = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
        json.dump(sarif, self.out, indent=2, ensure_ascii=False)
        self.out.write("\n")

    def _location(self, path: str) -> dict[str, Any]:
        """An artifactLocation: relative to SRCROOT inside the working directory, else an
        absolute file URI; a label such as <stdin> as a percent-encoded relative reference."""
        if path.startswith("<") and path.endswith(">"):
            return {"uri": quote(path)}
        relative = self.relative(path)
        if not Path(relative).is_absolute() and not relative.startswith(".."):
            return {"uri": quote(relative), "uriBaseId": BASE_ID}
        return {"uri": Path(os.path.normpath(Path(path).absolute())).as_uri()}


def _rules(report: Report) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """One rule per code found, in code order, and each code's index among them."""
    codes = sorted({f.code for f in report.iter_findings()})
    rules = [_rule(code, report.explanations.get(code)) for code in codes]
    return rules, {code: i for i, code in enumerate(codes)}


def _rule(code: str, e: Explanation | None) -> dict[str, Any]:
    if e is None:
        return {"id": code}
    rule: dict[str, Any] = {
        "id": code,
        "name": e.name,
        "shortDescription": {"text": e.summary},
        "fullDescription": {"text": e.description},
        "help": {"text": f"{e.summary}\n\nBasis: {e.basis}\n\nMore: asw-validator explain {code}"},
        "properties": {"tags": [e.group]},
    }
    if e.severity in LEVEL:
        rule["defaultConfiguration"] = {"level": LEVEL[e.severity]}
    return rule


def _artifact(location: dict[str, Any], doc: DocumentResult) -> dict[str, Any]:
    artifact: dict[str, Any] = {"location": location}
    if doc.sha256 is not None:
        artifact["hashes"] = {"sha-256": doc.sha256}
    if doc.size is not None:
        artifact["length"] = doc.size
    if doc.doctype is not None:
        artifact["properties"] = {"doctype": doc.doctype, "doctypeVersion": doc.doctype_version}
    return artifact


def _result(f: Finding, index: dict[str, int], where: dict[str, Any]) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": where}
    if f.line:
        region: dict[str, int] = {"startLine": f.line}
        if f.column:
            region["startColumn"] = f.column
        physical["region"] = region
    location: dict[str, Any] = {"physicalLocation": physical}
    if f.xpath:
        kind = "attribute" if "/@" in f.xpath else "element"
        location["logicalLocations"] = [{"fullyQualifiedName": f.xpath, "kind": kind}]
    result: dict[str, Any] = {
        "ruleId": f.code,
        "ruleIndex": index[f.code],
        "level": LEVEL[f.severity.value],
        "message": {"text": f.message},
        "locations": [location],
    }
    extra = {k: v for k, v in (("value", f.value), ("expected", f.expected)) if v is not None}
    if f.basis:
        extra["basis"] = f.basis
    if extra:
        result["properties"] = extra
    if f.waived is not None:
        result["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": f.waived.justification,
                "properties": {"expires": f.waived.expires, "source": f.waived.source},
            }
        ]
    return result
