"""Property tests: mutated samples never make the tool fail or pass what it must not.

Bounded and fast (a few hundred examples in all, seeded by Hypothesis' database); the long
campaign is ``bench/fuzz`` (atheris). For any mutation of any sample, bytes, element values
or envelopes:

- no exception escapes the library, and no ``INT001`` (an internal error) is reported;
- a document whose root is neither a known document type nor an envelope is never valid.
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from asw_validator import DocumentResult, Validator
from asw_validator import doctypes as registered
from asw_validator.envelope import is_envelope

from .conftest import SAMPLES, TODAY
from .test_envelope import CERT, HEADER, HUB_NS, SOAP

CATALOG = tomllib.loads((SAMPLES / "catalog.toml").read_text("utf-8"))["sample"]
FILES = sorted(SAMPLES / s["file"] for s in CATALOG)
QUICK = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@functools.cache
def _validator() -> Validator:
    return Validator(today=TODAY, max_bytes=2_000_000)


@functools.cache
def _sample(path: Path) -> bytes:
    return path.read_bytes()


def _sound(result: DocumentResult) -> None:
    assert "INT001" not in result.codes(), result.findings


def _parses(path: Path) -> bool:
    try:
        etree.fromstring(path.read_bytes(), etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError:
        return False
    return b"<!DOCTYPE" not in path.read_bytes()


samples = st.sampled_from(FILES)
trees = st.sampled_from([p for p in FILES if _parses(p)])

#: Values a hostile sender puts where numbers, dates and codes go.
HOSTILE_VALUES = st.one_of(
    st.sampled_from(
        [
            "0" * 4300 + "1",
            "9" * 40,
            "1E+1000000",
            "-1E-1000000",
            "INF",
            "NaN",
            "\u00b2",
            "\u0661\u0662",  # Arabic-Indic digits
            "\uff11\uff12",  # full-width digits
            "12025-03-10",
            "0001-01-01",
            "9999-12-31T23:59:59+14:00",
            "2025-02-30",
            "",
            " ",
            "\u200b",
            "x" * 5000,
            "<",
            "]]>",
        ]
    ),
    st.text(max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=None).map(str),
)


@QUICK
@given(path=samples, data=st.data())
def test_byte_mutations(path: Path, data: st.DataObject) -> None:
    raw = bytearray(_sample(path))
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, max(0, len(raw) - 1)))
        action = data.draw(st.sampled_from(["flip", "cut", "insert", "drop"]))
        if action == "flip" and raw:
            raw[at] ^= 1 << data.draw(st.integers(0, 7))
        elif action == "cut":
            del raw[at:]
        elif action == "insert":
            raw[at:at] = data.draw(st.binary(max_size=8))
        elif raw:
            del raw[at : at + data.draw(st.integers(1, 16))]
    _sound(_validator().validate(bytes(raw)))


def _leaves(tree: etree._ElementTree) -> list[etree._Element]:
    return [e for e in tree.iter() if isinstance(e.tag, str) and len(e) == 0]


@QUICK
@given(path=trees, data=st.data())
def test_value_mutations(path: Path, data: st.DataObject) -> None:
    tree = etree.ElementTree(etree.fromstring(_sample(path)))
    leaves = _leaves(tree)
    for _ in range(data.draw(st.integers(1, 3))):
        leaf = data.draw(st.sampled_from(leaves))
        value = data.draw(HOSTILE_VALUES)
        if data.draw(st.booleans()) and leaf.attrib:
            name = data.draw(st.sampled_from(sorted(leaf.attrib)))
            leaf.set(name, "".join(c for c in value if c.isprintable()))
        else:
            leaf.text = "".join(c for c in value if c.isprintable() or c in "\n\t")
    _sound(_validator().validate(etree.tostring(tree)))


@QUICK
@given(path=trees, data=st.data())
def test_element_mutations(path: Path, data: st.DataObject) -> None:
    tree = etree.ElementTree(etree.fromstring(_sample(path)))
    elements = [e for e in tree.iter() if isinstance(e.tag, str) and e.getparent() is not None]
    for _ in range(data.draw(st.integers(1, 3))):
        elem = data.draw(st.sampled_from(elements))
        parent = elem.getparent()
        if parent is None:
            continue
        action = data.draw(st.sampled_from(["remove", "duplicate", "move-first", "empty"]))
        if action == "remove":
            parent.remove(elem)
            elements = [e for e in elements if e is not elem and elem not in e.iterancestors()]
        elif action == "duplicate":
            parent.insert(parent.index(elem), etree.fromstring(etree.tostring(elem)))
        elif action == "move-first":
            parent.insert(0, elem)
        else:
            for child in list(elem):
                elem.remove(child)
            elem.text = None
        if not elements:
            break
    _sound(_validator().validate(etree.tostring(tree)))


ENVELOPE_PARTS = st.sampled_from(
    [
        lambda inner: f'<s:Envelope xmlns:s="{SOAP["1.1"]}"><s:Body>{inner}</s:Body></s:Envelope>',
        lambda inner: f'<s:Envelope xmlns:s="{SOAP["1.2"]}"><s:Body>{inner}</s:Body></s:Envelope>',
        lambda inner: (
            '<eph:DeliverPhytoEnvelope xmlns:eph="http://ephyto.ippc.int/">'
            f"<eph:ePhytoEnvelope {HUB_NS}>{HEADER}{inner}</eph:ePhytoEnvelope>"
            "</eph:DeliverPhytoEnvelope>"
        ),
        lambda inner: f"<hub:Envelope {HUB_NS}>{HEADER}{inner}</hub:Envelope>",
        lambda inner: (
            f"<hub:Envelope {HUB_NS}>{HEADER}<hub:Content>"
            + inner.replace("&", "&amp;").replace("<", "&lt;")
            + "</hub:Content></hub:Envelope>"
        ),
        lambda inner: inner + inner,
        lambda inner: f'<x:Wrapper xmlns:x="urn:x">{inner}</x:Wrapper>',
    ]
)


@QUICK
@given(layers=st.lists(ENVELOPE_PARTS, min_size=1, max_size=4))
def test_nested_envelopes(layers: list) -> None:  # type: ignore[type-arg]
    text = CERT
    for wrap in layers:
        text = wrap(text)
    result = _validator().validate(text.encode("utf-8"))
    _sound(result)
    try:
        root = etree.fromstring(text.encode("utf-8"))
    except etree.XMLSyntaxError:
        assert not result.is_valid  # two documents side by side are not a document
        return
    if not is_envelope(root) and root.tag not in {t.qname for t in registered.all_types()}:
        assert not result.is_valid


@QUICK
@given(path=trees, namespace=st.sampled_from(["urn:x", "", "urn:asw-validator:acdd:1.1"]))
def test_an_unknown_root_is_never_valid(path: Path, namespace: str) -> None:
    root = etree.fromstring(_sample(path))
    local = etree.QName(root).localname + "X"
    root.tag = f"{{{namespace}}}{local}" if namespace else local
    result = _validator().validate(etree.tostring(root))
    _sound(result)
    assert not result.is_valid


@pytest.mark.parametrize("path", FILES[:1])
def test_the_samples_are_there(path: Path) -> None:
    assert FILES and path.exists()
