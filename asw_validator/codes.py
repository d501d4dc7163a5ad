"""Codes emitted by the pipeline itself (not by rules), for ``rules`` and ``explain``."""

from __future__ import annotations

from dataclasses import dataclass, replace
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

    @property
    def examples(self) -> tuple[str, str]:
        """(fails, passes): XML fragments in double backquotes, as rules give them, for the
        stages that read XML; plain words for input, report, configuration and the tool."""
        return _EXAMPLES[self.code]

    @property
    def description(self) -> str:
        fails, passes = self.examples
        label = f"Fails ({self.severity})" if self.severity in ("warning", "info") else "Fails"
        return f"{self.summary}\n\n{label}: {fails}\nPasses: {passes}"


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

#: Fails and passes examples of every pipeline code. Stages that read XML (parse, detect,
#: envelope, schema, bind, wco) give fragments with the report's namespace prefixes (a WCO
#: document's: wco, md, wcores, wcods); a failing example of the parse stage is, by its
#: nature, not always well-formed.
_EXAMPLES: dict[str, tuple[str, str]] = {
    "IO001": ("a file the user running the tool may not read (mode 000)", "a readable file"),
    "IO002": (
        "a FIFO named orders.xml in a directory given to validate",
        "a regular file named orders.xml there",
    ),
    "XML001": (
        "an empty file, or one holding only spaces",
        "``<acdd:Declaration><!-- ... --></acdd:Declaration>``",
    ),
    "XML002": (
        "``<acdd:Declaration><acdd:ID>1</acdd:Declaration>``",
        "``<acdd:Declaration><acdd:ID>1</acdd:ID></acdd:Declaration>``",
    ),
    "XML003": (
        '``<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>``',
        "``<acdd:Declaration><!-- ... --></acdd:Declaration>`` with no DOCTYPE",
    ),
    "XML004": (
        "a 60 MB file with the default --max-bytes (50 MB)",
        "``<acdd:Declaration><!-- a few kilobytes --></acdd:Declaration>``",
    ),
    "XML005": (
        "elements nested 300 deep",
        "``<acdd:Declaration><acdd:GoodsShipment><acdd:Consignment><!-- ... --></acdd:Consignment>"
        "</acdd:GoodsShipment></acdd:Declaration>``",
    ),
    "XML006": (
        "the bytes FF FE inside a document declared UTF-8",
        "``<acdd:Name>Công ty Lúa Gạo</acdd:Name>`` saved as UTF-8",
    ),
    "XML007": (
        "a UTF-8 byte order mark before an XML declaration saying encoding ISO-8859-1",
        "a UTF-8 byte order mark before ``<acdd:Declaration><!-- ... --></acdd:Declaration>``",
    ),
    "XML008": (
        "a document saved as UTF-16 without its byte order mark",
        "the same with the byte order mark FF FE before "
        "``<acdd:Declaration><!-- ... --></acdd:Declaration>``",
    ),
    "XML009": (
        "a text node of more than 10 MB",
        "``<acdd:Description>Jasmine rice, wholly milled</acdd:Description>``",
    ),
    "XML010": (
        "a PNG scan of a certificate (bytes 89 50 4E 47), or a declaration.xml.gz",
        "``<acdd:Declaration><!-- ... --></acdd:Declaration>`` as text",
    ),
    "DOC001": (
        '``<inv:Invoice xmlns:inv="urn:example:invoice"><!-- ... --></inv:Invoice>``',
        "``<acdd:Declaration><!-- ... --></acdd:Declaration>``",
    ),
    "DOC002": (
        '``<Declaration xmlns="urn:wco:datamodel:WCO:DEC-DMS:2"><!-- ... --></Declaration>``',
        "``<acdd:Declaration><!-- ... --></acdd:Declaration>``",
    ),
    "DOC003": (
        "--doctype eformd with ``<acdd:Declaration><!-- ... --></acdd:Declaration>``",
        "--doctype acdd with ``<acdd:Declaration><!-- ... --></acdd:Declaration>``",
    ),
    "DOC004": (
        "``<hub:Envelope><hub:From>TH</hub:From><!-- ... --><hub:Content></hub:Content>"
        "</hub:Envelope>``",
        "``<hub:Envelope><hub:From>TH</hub:From><!-- ... --><rsm:SPSCertificate><!-- ... -->"
        "</rsm:SPSCertificate></hub:Envelope>``",
    ),
    "DOC005": (
        "``<soap:Envelope><soap:Body><rsm:SPSCertificate><!-- ... --></rsm:SPSCertificate>"
        "<rsm:SPSCertificate><!-- ... --></rsm:SPSCertificate></soap:Body></soap:Envelope>``",
        "``<soap:Envelope><soap:Body><rsm:SPSCertificate><!-- ... --></rsm:SPSCertificate>"
        "</soap:Body></soap:Envelope>``",
    ),
    "DOC007": (
        "``<md:MetaData><md:WCODataModelVersionCode>3.6</md:WCODataModelVersionCode>"
        "<wcores:Response><!-- ... --></wcores:Response></md:MetaData>``",
        "``<md:MetaData><!-- ... --><wco:Declaration><wco:TypeCode>EXA</wco:TypeCode><!-- ... -->"
        "</wco:Declaration></md:MetaData>``",
    ),
    "DOC008": (
        "``<md:MetaData><wco:Declaration><!-- ... --></wco:Declaration><wco:Declaration>"
        "<!-- ... --></wco:Declaration></md:MetaData>``",
        "``<md:MetaData><wco:Declaration><!-- ... --></wco:Declaration></md:MetaData>``",
    ),
    "WCO001": (
        "``<md:WCODataModelVersionCode>3.9</md:WCODataModelVersionCode>``",
        "``<md:WCODataModelVersionCode>3.6</md:WCODataModelVersionCode>``",
    ),
    "WCO002": (
        "``<wco:Declaration><wco:FunctionCode>9</wco:FunctionCode><!-- no TypeCode -->"
        "</wco:Declaration>``",
        "``<wco:TypeCode>EXA</wco:TypeCode>``",
    ),
    "WCO003": (
        '``<wco:IssueDateTime><wcods:DateTimeString formatCode="102">17/09/2025'
        "</wcods:DateTimeString></wco:IssueDateTime>``",
        '``<wco:IssueDateTime><wcods:DateTimeString formatCode="102">20250917'
        "</wcods:DateTimeString></wco:IssueDateTime>``",
    ),
    "WCO004": (
        "``<wco:GoodsShipment><!-- no ExportCountry --><wco:Destination>"
        "<wco:CountryCode>KH</wco:CountryCode></wco:Destination></wco:GoodsShipment>``",
        "``<wco:GoodsShipment><wco:Destination><wco:CountryCode>KH</wco:CountryCode>"
        "</wco:Destination><wco:ExportCountry><wco:ID>TH</wco:ID></wco:ExportCountry>"
        "</wco:GoodsShipment>``",
    ),
    "WCO005": (
        "``<wco:Declaration><wco:FunctionalReferenceID>KCR-2025-0448</wco:FunctionalReferenceID>"
        "<!-- no ID --></wco:Declaration>``",
        "``<wco:Declaration><wco:ID>A0271680901172</wco:ID></wco:Declaration>``",
    ),
    "WCO006": (
        "convert --to acdd declaration.xml --set m=THLCH: the value stands for the "
        "declaration's ``<wco:UnloadingLocation><wco:ID>...</wco:ID></wco:UnloadingLocation>``",
        "convert --to acdd declaration.xml, every value read from the declaration, e.g. "
        "``<wco:UnloadingLocation><wco:ID>THLCH</wco:ID></wco:UnloadingLocation>``",
    ),
    "WCO007": (
        "``<wco:FunctionCode>4</wco:FunctionCode>`` (a change)",
        "``<wco:FunctionCode>9</wco:FunctionCode>``",
    ),
    "DOC006": (
        "``<hub:Envelope><hub:From>TH</hub:From><!-- ... --><hub:Extra>1</hub:Extra>"
        "</hub:Envelope>``",
        "``<hub:Envelope><hub:From>TH</hub:From><hub:To>VN</hub:To><!-- ... --></hub:Envelope>``",
    ),
    "VAL001": (
        '``<acdd:TariffQuantity unitCode="KGM">1e999</acdd:TariffQuantity>``',
        '``<acdd:TariffQuantity unitCode="KGM">25000</acdd:TariffQuantity>``',
    ),
    "LIM001": (
        "a document with 1,200 findings under the default --max-findings 1000",
        "a document with 1,000 findings or fewer",
    ),
    "CFG001": (
        "a waiver with expires = 2025-01-31 in a run on 2025-02-01",
        "the same waiver in a run on 2025-01-31, or with a later expiry date",
    ),
    "INT001": (
        "a rule of an installed pack raises an exception",
        "every rule and schema runs to its end",
    ),
    "XSD001": (
        "``<acdd:Exporter><acdd:Name>Mekong Rice JSC</acdd:Name><acdd:Phone>028 3822 1234"
        "</acdd:Phone></acdd:Exporter>``",
        "``<acdd:Exporter><acdd:Name>Mekong Rice JSC</acdd:Name><acdd:ID>0100233488</acdd:ID>"
        "</acdd:Exporter>``",
    ),
    "XSD002": (
        "``<acdd:Declaration><!-- ... --><acdd:ID>305123456789</acdd:ID>"
        '<acdd:TotalGrossMassMeasure unitCode="KGM">25400</acdd:TotalGrossMassMeasure>'
        "<!-- ... --></acdd:Declaration>`` (no IssueDateTime before the totals)",
        "``<acdd:Declaration><!-- ... --><acdd:ID>305123456789</acdd:ID>"
        "<acdd:IssueDateTime>2025-03-10</acdd:IssueDateTime>"
        '<acdd:TotalGrossMassMeasure unitCode="KGM">25400</acdd:TotalGrossMassMeasure>'
        "<!-- ... --></acdd:Declaration>``",
    ),
    "XSD003": (
        "``<acdd:DepartureDateTime>2025-02-30</acdd:DepartureDateTime>``",
        "``<acdd:DepartureDateTime>2025-02-28</acdd:DepartureDateTime>``",
    ),
    "XSD004": (
        "``<acdd:ExportCountry><acdd:ID>vn</acdd:ID></acdd:ExportCountry>``",
        "``<acdd:ExportCountry><acdd:ID>VN</acdd:ID></acdd:ExportCountry>``",
    ),
    "XSD005": (
        "``<cr:Status>refused</cr:Status>``",
        "``<cr:Status>rejected</cr:Status>``",
    ),
    "XSD006": (
        "``<acdd:ID>30512345678901234567890123456789012345</acdd:ID>`` (38 characters; 35 at most)",
        "``<acdd:ID>305123456789</acdd:ID>``",
    ),
    "XSD007": (
        "``<acdd:InvoiceAmount>14250.00</acdd:InvoiceAmount>`` (no currencyID)",
        '``<acdd:InvoiceAmount currencyID="USD">14250.00</acdd:InvoiceAmount>``',
    ),
    "XSD008": (
        '``<acdd:Exporter role="seller"><!-- ... --></acdd:Exporter>``',
        "``<acdd:Exporter><!-- ... --></acdd:Exporter>``",
    ),
    "XSD009": (
        "``<acdd:ExportCountry>VN<acdd:ID>VN</acdd:ID></acdd:ExportCountry>``",
        "``<acdd:ExportCountry><acdd:ID>VN</acdd:ID></acdd:ExportCountry>``",
    ),
    "XSD099": (
        "any other schema-validity error of libxml2; the message names its class",
        "``<acdd:Declaration><!-- ... --></acdd:Declaration>`` that its schema accepts",
    ),
}

PIPELINE_CODES: dict[str, PipelineCode] = {
    code: PipelineCode(code, name, stage, summary) for code, name, stage, summary in _ENTRIES
}
PIPELINE_CODES["LIM001"] = replace(
    PIPELINE_CODES["LIM001"], severity="that of the worst finding it stands for"
)
PIPELINE_CODES["CFG001"] = replace(PIPELINE_CODES["CFG001"], severity="warning")
for _code, _severity in (
    ("WCO001", "warning"),
    ("WCO002", "warning"),
    ("WCO005", "info"),
    ("WCO006", "info"),
    ("WCO007", "warning"),
):
    PIPELINE_CODES[_code] = replace(PIPELINE_CODES[_code], severity=_severity)
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
        description=pc.description.replace("``", ""),
        severity=pc.severity,
        basis=pc.basis,
        group=pc.stage,
    )
