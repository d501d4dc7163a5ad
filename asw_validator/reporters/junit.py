"""JUnit XML, for CI test dashboards: one ``testsuite`` per document type, one ``testcase``
per document (name = its path).

A document with errors gets one ``failure`` listing them (``message`` says how many, ``type``
is the first code); one the tool could not check (``INT001``) gets an ``error`` instead;
warnings, info and waived findings go to its ``system-out``. Documents whose type was not
recognised form the suite ``unrecognised``. Text from documents is escaped as XML (and the
characters XML 1.0 cannot hold are replaced), so a document cannot break the report.
"""

from __future__ import annotations

import re
from collections import defaultdict
from xml.etree import ElementTree as ET

from ..model import TOOL_FAILURE_CODES, DocumentResult, Finding, Report, Severity
from .base import Reporter, value_note

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
UNRECOGNISED = "unrecognised"


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _line(f: Finding, localized: dict[str, str]) -> str:
    where = f" ({f.xpath})" if f.xpath else ""
    waived = f" [waived: {f.waived.justification}]" if f.waived else ""
    text = f"{f.message}{value_note(f)}{where}"
    line = f"{f.line or 0}:{f.column or 0}: {f.code} {f.severity.value}{waived} {text}"
    if localized:  # the English line stays; the localised message follows it
        line += f"\n    [{localized['locale']}] {localized['message_localized']}"
    return line


class JunitReporter(Reporter):
    def finish(self, report: Report) -> None:
        suites: dict[str, list[DocumentResult]] = defaultdict(list)
        for doc in report.documents:
            suites[doc.doctype or UNRECOGNISED].append(doc)
        root = ET.Element("testsuites", name="asw-validator")
        totals = {"tests": 0, "failures": 0, "errors": 0}
        for name in sorted(suites):
            suite = ET.SubElement(root, "testsuite", name=name)
            counts = {"tests": 0, "failures": 0, "errors": 0}
            for doc in suites[name]:
                counts["tests"] += 1
                outcome = _testcase(suite, name, doc, self)
                if outcome:
                    counts[outcome] += 1
            for key, n in counts.items():
                suite.set(key, str(n))
                totals[key] += n
            suite.set("skipped", "0")
        for key, n in totals.items():
            root.set(key, str(n))
        ET.indent(root)
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self.out.write(ET.tostring(root, encoding="unicode"))
        self.out.write("\n")


def _testcase(suite: ET.Element, name: str, doc: DocumentResult, reporter: Reporter) -> str | None:
    """Add the document's testcase; "failures", "errors" or None (passed)."""
    case = ET.SubElement(suite, "testcase", name=_xml_text(doc.path), classname=name)
    errors = [f for f in doc.findings if f.severity is Severity.ERROR and f.counted]
    others = [f for f in doc.findings if f not in errors]
    outcome = None
    if errors:
        crashed = any(f.code in TOOL_FAILURE_CODES for f in errors)
        tag, outcome = ("error", "errors") if crashed else ("failure", "failures")
        n, codes = len(errors), ", ".join(sorted({f.code for f in errors}))
        message = f"{n} error{'s' if n != 1 else ''}: {codes}"
        element = ET.SubElement(case, tag, message=message, type=errors[0].code)
        element.text = _xml_text("\n".join(_line(f, reporter.localized_fields(f)) for f in errors))
    if others:
        out = ET.SubElement(case, "system-out")
        out.text = _xml_text("\n".join(_line(f, reporter.localized_fields(f)) for f in others))
    return outcome
