"""XSD layer: locate, compile and cache our schemas; turn libxml2 errors into findings.

Compiled ``XMLSchema`` objects keep their error log on the object, so they are never shared
between threads: each thread compiles a schema once, on first use, and keeps it
(``threading.local``). The schema's bytes are read and hashed once per process.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

from .doctypes import DocumentType
from .model import Finding, Severity
from .resources import data_dir
from .xpath import PREFIXES, node_xpath, step_name


class SchemaLoadError(RuntimeError):
    """A shipped schema is missing or does not compile: the installation is broken."""


@dataclass(frozen=True)
class SchemaInfo:
    doctype: str
    version: str
    path: Path
    sha256: str

    def to_dict(self) -> dict[str, str]:
        return {
            "id": f"{self.doctype}/{self.version}",
            "doctype": self.doctype,
            "version": self.version,
            "file": self.path.name,
            "sha256": self.sha256,
        }


@cache
def schema_info(doctype: DocumentType) -> SchemaInfo:
    path = data_dir("schemas") / doctype.schema
    # The main file first, then the modules it imports (siblings): one digest for all, so
    # two runs with different modules never report the same schema hash.
    modules = [path, *sorted(p for p in path.parent.glob("*.xsd") if p != path)]
    sha = hashlib.sha256()
    try:
        for module in modules:
            sha.update(module.read_bytes())
    except OSError as err:
        raise SchemaLoadError(f"cannot read schema {path}: {err}") from err
    digest = sha.hexdigest()
    return SchemaInfo(doctype.name, doctype.version, path, digest)


_local = threading.local()


def compiled(doctype: DocumentType) -> etree.XMLSchema:
    """This thread's compiled schema for ``doctype`` (compiled on first use)."""
    cache: dict[str, etree.XMLSchema] | None = getattr(_local, "schemas", None)
    if cache is None:
        cache = _local.schemas = {}
    schema = cache.get(doctype.name)
    if schema is None:
        info = schema_info(doctype)
        # The schema is ours, but parse it as carefully as any input: no network, no DTD.
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        try:
            schema = etree.XMLSchema(etree.parse(str(info.path), parser))
        except (etree.XMLSyntaxError, etree.XMLSchemaParseError) as err:
            raise SchemaLoadError(f"schema {info.path} does not compile: {err}") from err
        cache[doctype.name] = schema
    return schema


# ----- libxml2 error class -> XSD code -----
BASIS_XSD = "asw-validator {doctype} schema {version} (unofficial, schemas/{schema})"

_FACETS = (
    "MINLENGTH",
    "MAXLENGTH",
    "LENGTH_VALID",
    "TOTALDIGITS",
    "FRACTIONDIGITS",
    "MININCLUSIVE",
    "MAXINCLUSIVE",
    "MINEXCLUSIVE",
    "MAXEXCLUSIVE",
)


def classify(type_name: str, message: str) -> tuple[str, str]:
    """(code, rule name) for a libxml2 schema-validity error class."""
    if type_name == "SCHEMAV_ELEMENT_CONTENT":
        if "Missing child element" in message:
            return "XSD002", "missing-element"
        return "XSD001", "unexpected-element"
    if type_name == "SCHEMAV_CVC_PATTERN_VALID":
        return "XSD004", "value-not-matching-pattern"
    if type_name == "SCHEMAV_CVC_ENUMERATION_VALID":
        return "XSD005", "value-not-in-enumeration"
    if any(f in type_name for f in _FACETS):
        return "XSD006", "value-outside-facet"
    if type_name.startswith("SCHEMAV_CVC_DATATYPE_VALID") or type_name in (
        "SCHEMAV_CVC_ATTRIBUTE_3",
        "SCHEMAV_CVC_ELT_4_3",
    ):
        return "XSD003", "invalid-value"
    if type_name == "SCHEMAV_CVC_COMPLEX_TYPE_4":
        return "XSD007", "missing-attribute"
    if type_name.startswith("SCHEMAV_CVC_COMPLEX_TYPE_3_2"):
        return "XSD008", "unexpected-attribute"
    if type_name.startswith(("SCHEMAV_CVC_COMPLEX_TYPE_2", "SCHEMAV_CVC_TYPE_3_1")):
        return "XSD009", "invalid-content"
    return "XSD099", "schema-violation"


#: Every XSD code with its rule name, for listings and ``explain``.
XSD_CODES: dict[str, str] = {
    "XSD001": "unexpected-element",
    "XSD002": "missing-element",
    "XSD003": "invalid-value",
    "XSD004": "value-not-matching-pattern",
    "XSD005": "value-not-in-enumeration",
    "XSD006": "value-outside-facet",
    "XSD007": "missing-attribute",
    "XSD008": "unexpected-attribute",
    "XSD009": "invalid-content",
    "XSD099": "schema-violation",
}

_CLARK = re.compile(r"\{([^}]*)\}([A-Za-z_][\w.\-]*)")


def _readable(message: str) -> str:
    """libxml2's message with ``{uri}local`` names written with our fixed prefixes."""

    def repl(m: re.Match[str]) -> str:
        prefix = PREFIXES.get(m.group(1))
        return f"{prefix}:{m.group(2)}" if prefix else m.group(0)

    return _CLARK.sub(repl, message).strip()


_ATTRIBUTE = re.compile(
    r"^Element '[^']+', attribute '([^']+)'|The attribute '([^']+)' is required but missing"
)


def _attribute_step(message: str) -> str:
    """``/@name`` when libxml2's message is about an attribute of the element, else ""."""
    m = _ATTRIBUTE.search(message)
    if m is None:
        return ""
    name = m.group(1) or m.group(2)
    return "/@" + step_name(name)


def _locate(tree: etree._ElementTree, path: str | None, line: int) -> etree._Element | None:
    """The node libxml2 meant: its path first (in the document's own prefixes), then line."""
    root = tree.getroot()
    if path:
        nsmap: dict[str, str] = {}
        if ":" in path:
            for el in root.iter():
                for p, uri in el.nsmap.items():
                    if p and p not in nsmap:
                        nsmap[p] = uri
        try:
            found = tree.xpath(path, namespaces=nsmap)
        except etree.XPathError:
            found = None
        if isinstance(found, list) and found and isinstance(found[0], etree._Element):
            return found[0]
    for el in root.iter():
        if el.sourceline == line and isinstance(el.tag, str):
            return el
    return None


def validate_tree(
    doctype: DocumentType, tree: etree._ElementTree
) -> tuple[list[Finding], frozenset[str]]:
    """XSD findings for ``tree`` and the set of XPaths they point at."""
    schema = compiled(doctype)
    if schema.validate(tree):
        return [], frozenset()
    basis = BASIS_XSD.format(doctype=doctype.name, version=doctype.version, schema=doctype.schema)
    findings: list[Finding] = []
    flagged: set[str] = set()
    for entry in schema.error_log:
        node = _locate(tree, entry.path, entry.line)
        xpath = node_xpath(node) + _attribute_step(entry.message) if node is not None else None
        if xpath:
            flagged.add(xpath)
        code, rule = classify(entry.type_name, entry.message)
        findings.append(
            Finding(
                code=code,
                severity=Severity.ERROR,
                message=_readable(entry.message),
                xpath=xpath,
                line=entry.line or (node.sourceline if node is not None else None),
                column=entry.column or None,
                rule=rule,
                basis=basis,
            )
        )
    return findings, frozenset(flagged)
