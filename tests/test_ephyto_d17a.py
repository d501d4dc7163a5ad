"""The e-Phyto schema 2.0 against the UN/CEFACT SPS Certificate D17A reference set.

The reference (``../shared/reference/uncefact-sps-d17a``) is ground truth for structure:
element names, order, cardinalities, built-in types and attributes; not for code values.
Both schemas are read with xmlschema into the same ``Shape`` per complex type, so the
comparison does not depend on how either file is written. Every difference must be listed,
with its reason, in the schema README's deviation table, and every listed deviation must
still exist.
"""

from __future__ import annotations

import difflib
import itertools
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import pytest
import xmlschema
from lxml import etree
from xmlschema.validators import XsdAnyElement, XsdElement, XsdGroup

from asw_validator import Validator, doctypes
from asw_validator.envelope import open_envelope

from .conftest import REPO, SAMPLES, SHARED_REFERENCE, TODAY, load_tool, needs_shared_reference

REFERENCE = SHARED_REFERENCE / "uncefact-sps-d17a"
REFERENCE_ENTRY = REFERENCE / "data" / "standard" / "SPSCertificate_17p0.xsd"
OURS = REPO / "schemas" / doctypes.get("ephyto").schema
README = OURS.parent / "README.md"
XS = "http://www.w3.org/2001/XMLSchema"
DS = "http://www.w3.org/2000/09/xmldsig#"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:21"
PREFIXES = {
    "urn:un:unece:uncefact:data:standard:SPSCertificate:17": "rsm",
    RAM: "ram",
    "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:21": "udt",
    "urn:un:unece:uncefact:data:Standard:QualifiedDataType:21": "qdt",
    DS: "ds",
    XS: "xs",
}
#: Facets the reference may report on our samples: code values are not its to judge.
CODE_FACETS = ("SCHEMAV_CVC_ENUMERATION_VALID", "SCHEMAV_CVC_PATTERN_VALID")
#: The Andean set's code type (our schema has D17A's TextType there: a listed deviation).
ANDEAN_TYPE = "{urn:un:unece:uncefact:data:Standard:QualifiedDataType:21}AcronymSubjectCodesType"

pytestmark = needs_shared_reference


def _short(name: str | None) -> str:
    if name is None:
        return "(anonymous)"
    ns, _, local = name[1:].partition("}") if name.startswith("{") else ("", "", name)
    return f"{PREFIXES.get(ns, ns)}:{local}"


def _builtin(simple: Any) -> str:
    while simple.name is None or not simple.name.startswith(f"{{{XS}}}"):
        simple = simple.base_type
    return _short(simple.name)


@dataclass(frozen=True)
class Particle:
    """One element (or wildcard, or group boundary) of a content model, in order."""

    key: str  # "Name" for an SPS element, "ds:Signature", "ds:*" for a wildcard, "(choice"...
    occurs: str  # "min..max"
    type: str  # the type's name, or the shape of an anonymous type


@dataclass(frozen=True)
class Shape:
    """What the structural test compares of a complex type."""

    base: str | None  # the built-in base of simple content (None: element content)
    attributes: dict[str, str] = field(default_factory=dict)  # name -> use
    particles: tuple[Particle, ...] = ()

    def describe(self) -> str:
        attrs = " ".join(f"@{n}:{u}" for n, u in self.attributes.items())
        return f"simple {self.base} {attrs}".strip() if self.base else "element content"


def _occurs(min_occurs: int, max_occurs: int | None) -> str:
    return f"{min_occurs}..{'n' if max_occurs is None else max_occurs}"


def shape(xsd_type: Any) -> Shape:
    if xsd_type.has_simple_content():
        attrs = {name: a.use for name, a in xsd_type.attributes.items()}
        return Shape(_builtin(xsd_type.content), attrs)
    return Shape(None, {}, tuple(_particles(xsd_type.content)))


def _particles(group: XsdGroup) -> Iterator[Particle]:
    yield Particle(f"({group.model}", _occurs(group.min_occurs, group.max_occurs), "")
    for item in group:
        if isinstance(item, XsdGroup):
            yield from _particles(item)
        elif isinstance(item, XsdAnyElement):
            namespaces = " ".join(sorted(_short(f"{{{ns}}}*")[:-2] for ns in item.namespace))
            occurs = _occurs(item.min_occurs, item.max_occurs)
            yield Particle(f"{namespaces}:*", occurs, f"any {item.process_contents}")
        else:
            assert isinstance(item, XsdElement)
            local = item.local_name if item.ref is None else _short(item.name)
            occurs = _occurs(item.min_occurs, item.max_occurs)
            kind = "ref" if item.ref is not None else _type_key(item.type)
            yield Particle(local, occurs, kind)
    yield Particle(f"{group.model})", "", "")


def _type_key(xsd_type: Any) -> str:
    return _short(xsd_type.name) if xsd_type.name else shape(xsd_type).describe()


@dataclass(frozen=True)
class Difference:
    type: str  # local name of the complex type
    component: str  # an element ("IssuerSPSParty"), "@attribute", "(base)" or "(type)"
    reference: str
    ours: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.type, self.component)


def differences(name: str, ref: Shape, ours: Shape) -> Iterator[Difference]:
    """How our complex type ``name`` differs from the reference's, component by component."""
    if ref.base != ours.base:
        yield Difference(name, "(base)", ref.describe(), ours.describe())
    for attr in dict.fromkeys([*ref.attributes, *ours.attributes]):
        mine, theirs = ours.attributes.get(attr, "absent"), ref.attributes.get(attr, "absent")
        if mine != theirs:
            yield Difference(name, f"@{attr}", theirs, mine)
    a, b = ref.particles, ours.particles
    matcher = difflib.SequenceMatcher(a=[p.key for p in a], b=[p.key for p in b], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for p, q in zip(a[i1:i2], b[j1:j2], strict=True):
                if (p.occurs, p.type) != (q.occurs, q.type):
                    yield Difference(name, p.key, f"{p.occurs} {p.type}", f"{q.occurs} {q.type}")
            continue
        for p, q in itertools.zip_longest(a[i1:i2], b[j1:j2]):
            component = p.key if p is not None else q.key
            theirs = f"{p.key} {p.occurs} {p.type}" if p is not None else "absent"
            mine = f"{q.key} {q.occurs} {q.type}" if q is not None else "absent"
            yield Difference(name, component, theirs, mine)


@cache
def reference() -> xmlschema.XMLSchema10:
    return xmlschema.XMLSchema10(str(REFERENCE_ENTRY))


@cache
def ours() -> xmlschema.XMLSchema10:
    return xmlschema.XMLSchema10(str(OURS))


def reachable(schema: xmlschema.XMLSchema10) -> dict[str, Any]:
    """Named complex types reachable from ``SPSCertificate`` (not through element
    references: the XML-Signature types are the signature schema's), in reach order."""
    found: dict[str, Any] = {}
    todo = [schema.elements["SPSCertificate"].type]
    while todo:
        xsd_type = todo.pop(0)
        if xsd_type.name is not None:
            if xsd_type.name in found or xsd_type.is_simple():
                continue
            found[xsd_type.name] = xsd_type
        if xsd_type.is_simple() or xsd_type.has_simple_content():
            continue
        for item in xsd_type.content.iter_elements():
            if isinstance(item, XsdElement) and item.ref is None:
                todo.append(item.type)
    return found


@cache
def listed_deviations() -> dict[tuple[str, str], str]:
    """The README's deviation table: (type, component) -> reason."""
    text = README.read_text("utf-8")
    section = text.split("## Deviations from the reference", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([^`]+)` \| `([^`]+)` \|(.+)\|\s*$", section, re.M)
    return {(t, c): rest.rsplit("|", 1)[-1].strip() for t, c, rest in rows}


def all_differences() -> list[Difference]:
    ref_types, our_types = reachable(reference()), reachable(ours())
    found: list[Difference] = []
    for name, xsd_type in our_types.items():
        local = name.rsplit("}", 1)[-1]
        if name not in ref_types:
            found.append(Difference(local, "(type)", "absent", "defined"))
            continue
        found.extend(differences(local, shape(ref_types[name]), shape(xsd_type)))
    for name in ref_types:
        if name not in our_types:
            found.append(Difference(name.rsplit("}", 1)[-1], "(type)", "defined", "absent"))
    return found


def test_every_difference_from_the_reference_is_listed_with_a_reason() -> None:
    listed = listed_deviations()
    unlisted = [d for d in all_differences() if d.key not in listed]
    assert not unlisted, "\n".join(
        f"{d.type} {d.component}: reference {d.reference!r}, ours {d.ours!r}" for d in unlisted
    )
    assert all(len(reason.split()) >= 5 for reason in listed.values()), listed


def test_every_listed_deviation_still_exists() -> None:
    found = {d.key for d in all_differences()}
    stale = sorted(set(listed_deviations()) - found)
    assert not stale, stale


def test_our_schema_covers_the_reachable_d17a_types() -> None:
    """~28 aggregates and ~140 element declarations, as the issue counts them."""
    ref_types, our_types = reachable(reference()), reachable(ours())
    aggregates = [n for n in our_types if "ReusableAggregate" in n]
    assert len(aggregates) == 29
    declarations = sum(
        1
        for t in our_types.values()
        if not t.has_simple_content()
        for _ in t.content.iter_elements()
    )
    assert declarations >= 140
    missing = {n.rsplit("}", 1)[-1] for n in ref_types} - {n.rsplit("}", 1)[-1] for n in our_types}
    assert missing == {"AcronymSubjectCodesType"}


def test_the_comparison_sees_a_changed_order_and_cardinality() -> None:
    """The structural test can fail: the 1.0 order and a looser cardinality are seen."""
    ref = shape(reachable(reference())[_ram("SPSConsignmentType")])
    particles = list(ref.particles)
    keys = [p.key for p in particles]
    loading = particles.pop(keys.index("LoadingBaseportSPSLocation"))
    particles.insert(keys.index("ImportSPSCountry"), loading)
    moved = Shape(None, {}, tuple(particles))
    moves = {d.component for d in differences("T", ref, moved)}
    assert moves in ({"LoadingBaseportSPSLocation"}, {"ImportSPSCountry"})
    looser = Shape(
        None,
        {},
        tuple(
            Particle(p.key, "0..1", p.type) if p.key == "ExaminationSPSEvent" else p
            for p in ref.particles
        ),
    )
    assert [d.component for d in differences("T", ref, looser)] == ["ExaminationSPSEvent"]


def _ram(local: str) -> str:
    return f"{{{RAM}}}{local}"


def test_shipped_schema_is_derived_from_the_reference() -> None:
    derived: dict[str, str] = load_tool("derive_ephyto_schema").derive(REFERENCE)
    shipped = {p.name: p.read_text("utf-8") for p in OURS.parent.glob("*.xsd")}
    assert shipped == derived


# ----- samples against the reference -----

CATALOG = tomllib.loads((SAMPLES / "catalog.toml").read_text("utf-8"))["sample"]
VALID_PHYTO = [s for s in CATALOG if s["doctype"] == "ephyto" and s["valid"]]


@cache
def reference_lxml() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(REFERENCE_ENTRY), parser))


def structural_errors(schema: etree.XMLSchema, tree: etree._ElementTree) -> list[str]:
    """The schema's errors on ``tree`` other than code values (enumerations, patterns),
    and the datatype error libxml2 adds for the same value."""
    schema.validate(tree)
    entries = list(schema.error_log)
    facets = {(e.line, e.path) for e in entries if e.type_name in CODE_FACETS}
    return [
        f"{e.line}: {e.type_name} {e.message}" for e in entries if (e.line, e.path) not in facets
    ]


def _certificate(path: Path) -> etree._ElementTree:
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    tree = etree.parse(str(path), parser)
    opened = open_envelope(tree, max_bytes=10**8, max_depth=256)
    if opened is None:
        return tree
    assert opened.tree is not None
    return opened.tree


@pytest.mark.parametrize("sample", VALID_PHYTO, ids=[s["file"] for s in VALID_PHYTO])
def test_valid_sample_passes_the_reference_structurally(sample: dict[str, Any]) -> None:
    tree = _certificate(SAMPLES / sample["file"])
    assert structural_errors(reference_lxml(), tree) == []


def test_the_1_0_order_fails_the_reference() -> None:
    tree = _certificate(SAMPLES / "ephyto" / "invalid-loading-port-after-import-country.xml")
    errors = structural_errors(reference_lxml(), tree)
    assert len(errors) == 1 and "LoadingBaseportSPSLocation" in errors[0]


# ----- an instance with every element of every reachable type -----


class Generator:
    """Writes an instance of the reference: every optional element and attribute present,
    repeatable elements twice, the alternatives of a choice taken in turn; a recursive type
    nests once. Values are the fixed or first enumeration value where there is one, else a value of
    the built-in type. The XML-Signature part is generated with required content only."""

    VALUES: ClassVar[dict[str, str]] = {
        "xs:string": "text",
        "xs:normalizedString": "text",
        "xs:token": "T1",
        "xs:decimal": "12.5",
        "xs:integer": "7",
        "xs:dateTime": "2025-09-15T10:20:00+07:00",
        "xs:boolean": "true",
        "xs:base64Binary": "QVNXIHNhbXBsZQ==",
        "xs:anyURI": "urn:asw-validator:sample",
    }

    def __init__(self) -> None:
        self.turn: dict[int, int] = {}
        self.elements = 0

    def document(self, schema: xmlschema.XMLSchema10) -> etree._Element:
        root = schema.elements["SPSCertificate"]
        elem = etree.Element(root.name, nsmap={p: n for n, p in PREFIXES.items() if p != "xs"})
        self._fill(elem, root.type, (), full=True)
        return elem

    def _value(self, simple: Any) -> str:
        probe = simple
        while probe is not None and probe.name != f"{{{XS}}}anySimpleType":
            enumeration = getattr(probe, "enumeration", None)
            if enumeration:
                return str(enumeration[0])
            probe = getattr(probe, "base_type", None)
        return self.VALUES[_builtin(simple)]

    def _fill(
        self, elem: etree._Element, xsd_type: Any, stack: tuple[str, ...], full: bool
    ) -> None:
        self.elements += 1
        if xsd_type.is_simple():
            elem.text = self._value(xsd_type)
            return
        andean = xsd_type.name == ANDEAN_TYPE  # a listed deviation: what both accept
        for name, attr in xsd_type.attributes.items():
            if (full and not andean) or attr.use == "required":
                elem.set(name, attr.fixed if attr.fixed is not None else self._value(attr.type))
        if xsd_type.has_simple_content():
            elem.text = self._value(xsd_type.content)
            return
        self._group(elem, xsd_type.content, (*stack, xsd_type.name or ""), full)

    def _group(
        self, elem: etree._Element, group: XsdGroup, stack: tuple[str, ...], full: bool
    ) -> None:
        items = list(group)
        if group.model == "choice":
            n = self.turn.get(id(group), 0)
            self.turn[id(group)] = n + 1
            items = [items[n % len(items)]]
        for item in items:
            if isinstance(item, XsdGroup):
                self._group(elem, item, stack, full)
                continue
            if isinstance(item, XsdAnyElement):
                assert item.min_occurs == 0  # nothing required is left out
                continue
            assert isinstance(item, XsdElement)
            signature = item.ref is not None  # ds:Signature: with its required content
            nested = stack.count(item.type.name) if item.type.name else 0
            if not full or nested >= 2:
                count = item.min_occurs
            elif signature:
                count = 1
            else:
                count = 2 if item.max_occurs is None or item.max_occurs > 1 else 1
            for _ in range(count):
                child = etree.SubElement(elem, item.name)
                self._fill(child, item.type, stack, full and not signature)


@cache
def full_instance() -> bytes:
    generator = Generator()
    root = generator.document(reference())
    assert generator.elements > 1000
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_full_instance_is_valid_against_the_reference() -> None:
    tree = etree.ElementTree(etree.fromstring(full_instance()))
    assert reference_lxml().validate(tree), list(reference_lxml().error_log)[:5]


def test_full_instance_is_valid_against_our_schema() -> None:
    """Every optional element of every reachable type, repeatable ones twice, both DateTime
    alternatives, every attribute: our schema reports nothing (libxml2 and xmlschema)."""
    data = full_instance()
    root = etree.fromstring(data)
    local = lambda e: etree.QName(e).localname  # noqa: E731
    assert {local(e) for e in root.iter("{*}DateTime", "{*}DateTimeString")} == {
        "DateTime",
        "DateTimeString",
    }
    assert root.find("{http://www.w3.org/2000/09/xmldsig#}Signature") is not None
    result = Validator(today=TODAY).validate(data)
    assert not result.tool_failed, result.findings
    assert not [f for f in result.findings if f.code.startswith("XSD")], result.findings[:5]
    assert ours().is_valid(data.decode("utf-8"))


def test_full_instance_without_an_optional_part_still_passes_ours() -> None:
    """Our schema does not require what D17A leaves optional: each optional element of the
    consignment, removed alone, leaves the certificate schema-valid."""
    root = etree.fromstring(full_instance())
    consignment = root[1]
    optional = [
        "ID",
        "AvailabilityDueDateTime",
        "ExportExitDateTime",
        "ShipStoresIndicator",
        "ReExportSPSCountry",
        "StorageSPSEvent",
        "LoadingBaseportSPSLocation",
        "ConsigneeReceiptSPSLocation",
        "TransitSPSCountry",
        "TransitSPSLocation",
        "UnloadingBaseportSPSLocation",
        "CarrierSPSParty",
        "DespatchSPSParty",
        "DeliverySPSParty",
        "CustomsTransitAgentSPSParty",
        "MainCarriageSPSTransportMovement",
        "UtilizedSPSTransportEquipment",
    ]
    schema = etree.XMLSchema(etree.parse(str(OURS)))
    for name in optional:
        copy = etree.fromstring(etree.tostring(root))
        for elem in copy[1].findall(f"{{*}}{name}"):
            copy[1].remove(elem)
        assert len(copy[1]) < len(consignment), name
        assert schema.validate(copy), (name, list(schema.error_log)[:3])
