"""Derive schemas/ephyto/2.0/*.xsd from the shared UN/CEFACT SPS Certificate D17A schema set.

Usage: python tools/derive_ephyto_schema.py ../shared/reference/uncefact-sps-d17a \
           schemas/ephyto/2.0

Reads the reference's structure (xmlschema resolves its imports, offline) from the root
element ``SPSCertificate`` down, and writes our own four modules in the standard's
namespaces: every complex type an SPS certificate can reach, with D17A's element names,
order, cardinalities and types, and every data type with its built-in base and the names and
use of its attributes. Code lists, enumerations, patterns and fixed attribute values are
left out on purpose: the ``PH`` rules check codes and say which list applies. The few
deliberate departures are in ``RULE_REPORTED``, ``ANDEAN`` and the signature wildcard below,
and in the schema README. A test re-runs ``derive`` on the reference and compares the result
with the shipped files byte for byte.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import xmlschema
from xmlschema.validators import XsdAnyElement, XsdElement, XsdGroup

XS = "http://www.w3.org/2001/XMLSchema"
RSM = "urn:un:unece:uncefact:data:standard:SPSCertificate:17"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:21"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:21"
#: D17A's QDT 21 namespace really is written "data:Standard" (capital S): the reference's
#: QDT module declares it so, and every module that imports it agrees.
QDT = "urn:un:unece:uncefact:data:Standard:QualifiedDataType:21"
DS = "http://www.w3.org/2000/09/xmldsig#"
PREFIXES = {XS: "xs", RSM: "rsm", RAM: "ram", UDT: "udt", QDT: "qdt"}

ENTRY = "data/standard/SPSCertificate_17p0.xsd"
SOURCE = "agrocalidadaws/intercom, storage/schemas/XSD-Estandar-CFE/cfe-xsd/ at aa46261"


class Module:
    """One of our output files: the namespace it defines and the reference file it follows."""

    def __init__(self, namespace: str, file: str, reference: str, title: str) -> None:
        self.namespace = namespace
        self.file = file
        self.reference = reference
        self.title = title


MODULES = (
    Module(RSM, "SPSCertificate.xsd", ENTRY, "root element SPSCertificate"),
    Module(
        RAM,
        "ReusableAggregateBusinessInformationEntity_21.xsd",
        "data/standard/ReusableAggregateBusinessInformationEntity_21p0.xsd",
        "Reusable Aggregate Business Information Entities 21 (the aggregates a certificate "
        "reaches)",
    ),
    Module(
        UDT,
        "UnqualifiedDataType_21.xsd",
        "data/standard/UnqualifiedDataType_21p0.xsd",
        "Unqualified Data Types 21 (the types a certificate reaches)",
    ),
    Module(
        QDT,
        "QualifiedDataType_21.xsd",
        "data/standard/QualifiedDataType_21p0.xsd",
        "Qualified Data Types 21 (the types a certificate reaches, without their code lists)",
    ),
)
#: Which module imports which (each once, from the file that uses it).
IMPORTS = {RSM: (RAM,), RAM: (UDT, QDT), UDT: (), QDT: ()}

#: D17A-mandatory elements our schema makes optional because a PH rule reports their
#: absence instead (one problem, one finding; the rule names the ISPM 12 item).
RULE_REPORTED = {
    ("SPSExchangedDocumentType", "IssuerSPSParty"): "PH018",
    ("SPSExchangedDocumentType", "SignatorySPSAuthentication"): "PH019",
}
#: Types the Andean set adds to D17A, replaced by the D17A type their dictionary entry names
#: ("SPS_ Note. Subject. Text", "SPS_ Classification. System Name. Text").
ANDEAN = {f"{{{QDT}}}AcronymSubjectCodesType": f"{{{UDT}}}TextType"}


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _namespace(name: str) -> str:
    return name[1:].split("}", 1)[0] if name.startswith("{") else ""


def _qname(name: str) -> str:
    return f"{PREFIXES[_namespace(name)]}:{_local(name)}"


def _builtin(simple: Any) -> str:
    """The nearest XSD built-in type a simple type derives from (``xs:token`` for a code
    list restricted from it)."""
    while simple.name is None or _namespace(simple.name) != XS:
        simple = simple.base_type
    return _qname(simple.name)


def _type_name(elem: XsdElement) -> str | None:
    """The element's type name as ours writes it (None for an anonymous type)."""
    name = elem.type.name
    if name is None:
        return None
    return ANDEAN.get(name, name)


def _occurs(min_occurs: int, max_occurs: int | None) -> str:
    out = "" if min_occurs == 1 else f' minOccurs="{min_occurs}"'
    if max_occurs != 1:
        out += f' maxOccurs="{"unbounded" if max_occurs is None else max_occurs}"'
    return out


class Deriver:
    """Walks the reference from the root and writes our modules."""

    def __init__(self, reference: Path) -> None:
        self.reference = reference
        self.schema = xmlschema.XMLSchema10(str(reference / ENTRY))
        self.types: dict[str, Any] = {}  # reachable named types by name, in reach order
        root = self.schema.elements["SPSCertificate"]
        self._reach(root.type)

    def _reach(self, xsd_type: Any) -> None:
        name = xsd_type.name
        if name is not None:
            name = ANDEAN.get(name, name)
            if name in self.types or _namespace(name) == XS:
                return
            xsd_type = self.schema.maps.types[name]
            self.types[name] = xsd_type
        if xsd_type.is_simple() or xsd_type.has_simple_content():
            return
        for elem in self._elements(xsd_type.content):
            self._reach(elem.type)

    def _elements(self, group: XsdGroup) -> Iterator[XsdElement]:
        for item in group:
            if isinstance(item, XsdGroup):
                yield from self._elements(item)
            elif isinstance(item, XsdElement) and item.ref is None:
                yield item

    # ----- writing -----

    def modules(self) -> dict[str, str]:
        """File name -> text, for every module."""
        return {m.file: self._module(m) for m in MODULES}

    def _module(self, module: Module) -> str:
        digest = hashlib.sha256((self.reference / module.reference).read_bytes()).hexdigest()
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            "<!--",
            f"  asw-validator e-Phyto schema 2.0: {module.title}. UNOFFICIAL.",
            "  GENERATED by tools/derive_ephyto_schema.py from the UN/CEFACT SPS Certificate D17A",
            "  schema set in shared/reference/uncefact-sps-d17a",
            f"  ({SOURCE}):",
            f"  {module.reference} (sha256 {digest}).",
            "  Structure only: names, order, cardinalities, built-in types and attributes.",
            "  Code lists, enumerations, patterns and fixed values are checked by the PH rules.",
            "  Deviations from the reference: README.md. Do not edit; re-run the tool.",
            "-->",
            '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"',
        ]
        used = (module.namespace, *IMPORTS[module.namespace])
        lines += [f'           xmlns:{PREFIXES[ns]}="{ns}"' for ns in used]
        lines += [
            f'           targetNamespace="{module.namespace}"',
            '           elementFormDefault="qualified" attributeFormDefault="unqualified"'
            ' version="2.0">',
        ]
        for ns in IMPORTS[module.namespace]:
            target = next(m.file for m in MODULES if m.namespace == ns)
            lines.append(f'  <xs:import namespace="{ns}" schemaLocation="{target}"/>')
        if module.namespace == RSM:
            lines.append('  <xs:element name="SPSCertificate" type="rsm:SPSCertificateType"/>')
        mine = sorted(n for n in self.types if _namespace(n) == module.namespace)
        for name in mine:
            lines += self._type(name, self.types[name])
        lines.append("</xs:schema>")
        return "\n".join(lines) + "\n"

    def _type(self, name: str, xsd_type: Any, indent: str = "  ") -> list[str]:
        head = (
            f'{indent}<xs:complexType name="{_local(name)}">'
            if name
            else f"{indent}<xs:complexType>"
        )
        out = [head]
        if xsd_type.has_simple_content():
            out += self._simple_content(xsd_type, indent + "  ")
        else:
            out += self._group(_local(name or ""), xsd_type.content, indent + "  ")
        out.append(f"{indent}</xs:complexType>")
        return out

    def _simple_content(self, xsd_type: Any, indent: str) -> list[str]:
        out = [
            f"{indent}<xs:simpleContent>",
            f'{indent}  <xs:extension base="{_builtin(xsd_type.content)}">',
        ]
        for attr_name, attr in xsd_type.attributes.items():
            out.append(
                f'{indent}    <xs:attribute name="{attr_name}" type="{_builtin(attr.type)}"'
                f' use="{attr.use}"/>'
            )
        out += [f"{indent}  </xs:extension>", f"{indent}</xs:simpleContent>"]
        return out

    def _group(self, owner: str, group: XsdGroup, indent: str) -> list[str]:
        tag = {"sequence": "xs:sequence", "choice": "xs:choice"}[group.model]
        out = [f"{indent}<{tag}{_occurs(group.min_occurs, group.max_occurs)}>"]
        for item in group:
            if isinstance(item, XsdGroup):
                out += self._group(owner, item, indent + "  ")
            elif isinstance(item, XsdAnyElement):
                raise ValueError(f"{owner}: a wildcard the SPS types are not known to have")
            elif item.ref is not None:
                out += self._signature(item, indent + "  ")
            else:
                out += self._element(owner, item, indent + "  ")
        out.append(f"{indent}</{tag}>")
        return out

    def _element(self, owner: str, elem: XsdElement, indent: str) -> list[str]:
        local = _local(elem.name)
        min_occurs = elem.min_occurs
        rule = RULE_REPORTED.get((owner, local))
        if rule is not None:
            min_occurs = 0
        occurs = _occurs(min_occurs, elem.max_occurs)
        type_name = _type_name(elem)
        out = []
        if rule is not None:
            out.append(f"{indent}<!-- D17A: minOccurs 1; its absence is {rule}'s finding. -->")
        andean = elem.type.name in ANDEAN
        if andean:
            out.append(
                f"{indent}<!-- The reference types it {_qname(elem.type.name)} (an Andean"
                " addition); D17A's entry says Text. -->"
            )
        if type_name is not None:
            out.append(f'{indent}<xs:element name="{local}" type="{_qname(type_name)}"{occurs}/>')
            return out
        out.append(f'{indent}<xs:element name="{local}"{occurs}>')
        out += self._type("", elem.type, indent + "  ")
        out.append(f"{indent}</xs:element>")
        return out

    def _signature(self, ref: XsdElement, indent: str) -> list[str]:
        if ref.name != f"{{{DS}}}Signature":
            raise ValueError(f"unexpected element reference {ref.name}")
        return [
            f"{indent}<!-- The reference's ds:Signature (enveloped XML Signature): any element of",
            f"{indent}     the XML-Signature namespace, processed laxly (no signature schema ships",
            f"{indent}     with asw-validator). -->",
            f'{indent}<xs:any namespace="{DS}" processContents="lax"'
            f"{_occurs(ref.min_occurs, ref.max_occurs)}/>",
        ]


def derive(reference: Path) -> dict[str, str]:
    """Our module texts (file name -> XSD text), derived from the reference set."""
    return Deriver(reference).modules()


if __name__ == "__main__":
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    target.mkdir(parents=True, exist_ok=True)
    for file, text in derive(source).items():
        (target / file).write_text(text, encoding="utf-8")
