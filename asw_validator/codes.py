"""Codes emitted by the pipeline itself (not by rules), for ``rules`` and ``explain``."""

from __future__ import annotations

from dataclasses import dataclass

from .schemas import XSD_CODES


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
    "wco": "WCO Data Model 3.x export declaration (DEC-DMS:2) read as an ACDD (the ACDD MIG "
    "v1.08 is aligned with the WCO Data Model); asw-validator mapping, README 'From your "
    "export declaration to ACDD'",
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
        "DOC001",
        "doctype-unknown",
        "detect",
        "The root element is not a document type this tool knows; the known types are named.",
    ),
    (
        "DOC002",
        "doctype-not-supported-yet",
        "detect",
        "The root is recognised (a document type announced but not readable yet) but cannot be "
        "validated yet. No built-in root gives it since 0.6.0 (WCO declarations are read).",
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
        "DOC007",
        "wco-document-not-export",
        "wco",
        "A WCO Data Model document that is not an export declaration (a response, an import "
        "declaration, a cancellation, bare or in MetaData): said what it is; only export "
        "declarations are read as an ACDD and converted.",
    ),
    (
        "DOC008",
        "wco-metadata-several-documents",
        "wco",
        "A WCO MetaData wrapper carries more than one document: only the first is read, the "
        "others would go unchecked, so the file is not valid (one document per wrapper).",
    ),
    (
        "WCO001",
        "wco-version-unchecked",
        "wco",
        "The MetaData wrapper names a WCO Data Model version the mapping was not checked "
        "against (checked: 3.6; 3.6.0 is 3.6), or none; read anyway, a warning.",
    ),
    (
        "WCO002",
        "wco-type-not-export",
        "wco",
        "The declaration's TypeCode is absent or does not start with EX; read as an export "
        "declaration, a warning.",
    ),
    (
        "WCO003",
        "wco-date-unreadable",
        "wco",
        "A WCO date (DateTimeString) is in neither EDIFACT format 102 (CCYYMMDD) nor 304 "
        "(CCYYMMDDHHMMSS with a zone) nor ISO 8601, so it cannot be an ACDD date.",
    ),
    (
        "WCO004",
        "wco-required-missing",
        "wco",
        "The declaration lacks what every ACDD needs besides the 15 items: FunctionCode, "
        "IssueDateTime, GoodsShipment/ExportCountry/ID or GoodsShipment/Destination/CountryCode.",
    ),
    (
        "WCO005",
        "wco-fallback-read",
        "wco",
        "An ACDD item was read from its second source (Agent for Declarant, "
        "FunctionalReferenceID for ID, DepartureTransportMeans for BorderTransportMeans mode): "
        "information, so the reader knows which element counted.",
    ),
    (
        "WCO007",
        "wco-function-not-original",
        "wco",
        "The declaration's FunctionCode is not 9 (original; UN/EDIFACT 1225, e.g. 1 "
        "cancellation, 4 change, 5 replace): an ACDD is made from the original declaration; "
        "read as one, a warning.",
    ),
    (
        "WCO006",
        "wco-item-supplied",
        "wco",
        "An ACDD item holds a value the user supplied (convert --set ITEM=VALUE) in place of "
        "the declaration's: information, at the element it stands for; the rules judge it.",
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
        "INT001",
        "internal-error",
        "any",
        "The tool failed (a rule raised, a schema did not load); the document is NOT known "
        "valid and the run exits 3.",
    ),
]

_XSD_SUMMARIES = {
    "XSD001": "An element is not allowed here (libxml2 SCHEMAV_ELEMENT_CONTENT).",
    "XSD002": "A required child element is missing (libxml2 SCHEMAV_ELEMENT_CONTENT).",
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
for _code, _severity in (
    ("WCO001", "warning"),
    ("WCO002", "warning"),
    ("WCO005", "info"),
    ("WCO006", "info"),
    ("WCO007", "warning"),
):
    _entry = PIPELINE_CODES[_code]
    PIPELINE_CODES[_code] = PipelineCode(
        _code, _entry.name, _entry.stage, _entry.summary, _severity
    )
PIPELINE_CODES.update(
    {
        code: PipelineCode(code, name, "schema", _XSD_SUMMARIES[code])
        for code, name in XSD_CODES.items()
    }
)


#: Codes no rule uses any more, with why: a code never changes meaning and is never reused,
#: so ``explain`` still answers for a report written by an older version.
RETIRED_CODES: dict[str, str] = {
    "TH003": "retired in 0.5.0: the total net weight against the items' sum is AC024's, for "
    "every country (a Thai team wanting exact sums sets AC024's option tolerance_percent 0)",
    "TH004": "retired in 0.5.0: a gross weight below the net weight is AC023's, for every country",
    "VN003": "retired in 0.5.0: HS code lengths are AC007 (not a code) and AC022 (a national "
    "line beyond 8 digits) for every country; ACDD item (h) accepts 6 to 8 digits",
}
