"""Codes emitted by the pipeline itself (not by rules), for ``rules`` and ``explain``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .model import Explanation
from .schemas import XSD_CODES

if TYPE_CHECKING:
    from .rules.registry import Registry


@dataclass(frozen=True)
class PipelineCode:
    code: str
    name: str
    stage: str
    summary: str
    severity: str = "error"

    @property
    def basis(self) -> str:
        return _BASIS[self.stage]


_BASIS = {
    "input": "asw-validator input handling",
    "parse": "W3C XML 1.0 (Fifth Edition); asw-validator security policy (no DTD, no entity "
    "expansion, no network, bounded input)",
    "detect": "asw-validator document-type registry (root element namespace + local name)",
    "schema": "the document type's asw-validator XSD (unofficial), validated by libxml2",
    "any": "asw-validator: a check that could not run leaves the document not known valid",
    "envelope": "IPPC ePhyto hub DeliveryService WSDL; SOAP 1.1 / 1.2 (one Body, one payload)",
    "bind": "asw-validator bounded number reading: a value rules cannot judge leaves the "
    "document not known valid",
    "report": "asw-validator report limits (a bounded report for any input)",
    "config": "asw-validator configuration (waivers apply until their expiry date)",
}


_ENTRIES: list[tuple[str, str, str, str]] = [
    ("IO001", "input-unreadable", "input", "A file cannot be read (permissions, I/O error)."),
    (
        "IO002",
        "input-not-regular-file",
        "input",
        "A directory walk met a *.xml that is a FIFO, device or socket (or a link to one): "
        "reported without being opened (opening a FIFO blocks; /dev/zero never ends).",
    ),
    ("XML001", "empty-input", "parse", "The input is empty or holds no element."),
    ("XML002", "not-well-formed", "parse", "The input is not well-formed XML (line, column)."),
    (
        "XML003",
        "doctype-forbidden",
        "parse",
        "A DOCTYPE or entity declaration is present; rejected, never expanded (XXE, "
        "billion laughs).",
    ),
    ("XML004", "input-too-large", "parse", "The input exceeds the size limit (default 50 MB)."),
    (
        "XML005",
        "document-too-deep",
        "parse",
        "Element nesting exceeds the depth limit (ours, or libxml2's 256).",
    ),
    (
        "XML006",
        "invalid-encoding",
        "parse",
        "Bytes are invalid in the document's encoding (e.g. invalid UTF-8).",
    ),
    (
        "XML007",
        "encoding-contradicts-bom",
        "parse",
        "The XML declaration's encoding contradicts the byte order mark.",
    ),
    ("XML008", "utf16-without-bom", "parse", "UTF-16 content without the required BOM."),
    (
        "XML009",
        "text-node-too-large",
        "parse",
        "A text node exceeds libxml2's 10 MB limit (huge_tree is never enabled).",
    ),
    (
        "XML010",
        "binary-input",
        "parse",
        "The input is binary data, not XML text: an image, a PDF, an archive or compressed "
        "file (by its signature), or a NUL byte near the start.",
    ),
    (
        "DOC001",
        "doctype-unknown",
        "detect",
        "The root element is not a document type this tool knows; the known types are named.",
    ),
    (
        "DOC002",
        "doctype-not-supported-yet",
        "detect",
        "The root is recognised (e.g. a WCO Data Model declaration) but cannot be validated yet.",
    ),
    (
        "DOC003",
        "doctype-root-mismatch",
        "detect",
        "--doctype names a type whose root element differs from the document's.",
    ),
    (
        "DOC004",
        "envelope-without-document",
        "envelope",
        "A SOAP body or IPPC hub envelope carries no certificate this tool can read (none, an "
        "empty Content, or another message).",
    ),
    (
        "DOC005",
        "envelope-ambiguous",
        "envelope",
        "An envelope carries more than one document: a second certificate, Content, Body, "
        "payload in a SOAP Body or envelope in an operation wrapper; only the first is "
        "validated.",
    ),
    (
        "DOC006",
        "envelope-part-unknown",
        "envelope",
        "An envelope holds something that is neither its document nor one of its known parts "
        "(an unknown element, a header field given twice, text between parts, an element in "
        "Content): nothing in an envelope passes unread.",
    ),
    (
        "VAL001",
        "value-out-of-range",
        "bind",
        "A number the schema accepts is beyond what the rules can judge (more than 18 digits, "
        "10^15 or more, finer than 10^-12, INF, NaN, a huge exponent); the rules reading it "
        "are not applied.",
    ),
    (
        "LIM001",
        "findings-capped",
        "report",
        "A document has more findings than --max-findings (default 1,000): one finding says "
        "how many more there are, by severity; they still count in the summary and the exit "
        "code.",
    ),
    (
        "CFG001",
        "waiver-expired",
        "config",
        "A waiver matching the document has expired: it no longer waives its findings. "
        "Renew it (a later expiry date) or remove it from the waivers file.",
    ),
    (
        "INT001",
        "internal-error",
        "any",
        "The tool failed (a rule raised, a schema did not load); the document is NOT known "
        "valid and the run exits 3.",
    ),
]

_XSD_SUMMARIES = {
    "XSD001": "An element is not allowed here: a stray element, or one out of order "
    "(libxml2 SCHEMAV_ELEMENT_CONTENT, 'not expected').",
    "XSD002": "A required child element is missing, at the end of its parent or where libxml2 "
    "met another element instead; the message names the missing one (SCHEMAV_ELEMENT_CONTENT).",
    "XSD003": "A value is not valid for its XSD type (SCHEMAV_CVC_DATATYPE_VALID_*).",
    "XSD004": "A value does not match the type's pattern (SCHEMAV_CVC_PATTERN_VALID).",
    "XSD005": "A value is not in the type's enumeration (SCHEMAV_CVC_ENUMERATION_VALID).",
    "XSD006": "A value breaks a length/digits/range facet (SCHEMAV_CVC_*LENGTH*, *INCLUSIVE*).",
    "XSD007": "A required attribute is missing (SCHEMAV_CVC_COMPLEX_TYPE_4).",
    "XSD008": "An attribute is not allowed (SCHEMAV_CVC_COMPLEX_TYPE_3_2_*).",
    "XSD009": "Content not allowed, e.g. text in element-only content (CVC_COMPLEX_TYPE_2_*).",
    "XSD099": "Any other libxml2 schema-validity error; the message names libxml2's class.",
}

PIPELINE_CODES: dict[str, PipelineCode] = {
    code: PipelineCode(code, name, stage, summary) for code, name, stage, summary in _ENTRIES
}
PIPELINE_CODES["LIM001"] = PipelineCode(
    "LIM001",
    "findings-capped",
    "report",
    PIPELINE_CODES["LIM001"].summary,
    "that of the worst finding it stands for",
)
PIPELINE_CODES.update(
    {
        code: PipelineCode(code, name, "schema", _XSD_SUMMARIES[code])
        for code, name in XSD_CODES.items()
    }
)


def explanation(code: str, registry: Registry) -> Explanation | None:
    """What ``code`` means: its rule in ``registry``, or the pipeline stage that emits it."""
    rule = registry.get(code)
    if rule is not None:
        return Explanation(
            code=rule.code,
            name=rule.name,
            summary=rule.summary.replace("``", ""),
            description=rule.doc.replace("``", ""),
            severity=rule.severity.value,
            basis=rule.basis,
            group=rule.family,
        )
    pc = PIPELINE_CODES.get(code.upper())
    if pc is None:
        return None
    return Explanation(
        code=pc.code,
        name=pc.name,
        summary=pc.summary,
        description=pc.summary,
        severity=pc.severity,
        basis=pc.basis,
        group=pc.stage,
    )
