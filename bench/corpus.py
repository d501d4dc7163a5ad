"""Corpus generator: documents of every type, of any size, valid or invalid, bare or enveloped.

Built from the test fixtures' base documents (tests/fixtures/*_base.xml, each valid), whose
goods item is copied ``items`` times and renumbered. An invalid document carries, in every
item, one XSD finding (an element the schema does not allow) and one rule finding (a value
a rule rejects), so its findings grow with its size too.

    python bench/corpus.py DIR --documents 100 --items 5      # a mixed corpus
    python bench/corpus.py DIR --documents 1 --items 10000 --doctype acdd

Used by bench/bench_validate.py and by the tests that count work (tests/test_linear.py).
"""

from __future__ import annotations

import argparse
import copy
import itertools
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"

ACDD = "urn:asw-validator:acdd:1.0"
FD = "urn:asw-validator:eformd:1.0"
OD = "urn:asw-validator:origin-declaration:1.0"
RSM = "urn:un:unece:uncefact:data:standard:SPSCertificate:17"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:21"
WCO = "urn:wco:datamodel:WCO:DEC-DMS:2"
WCO_MD = "urn:wco:datamodel:WCO:DocumentMetaData-DMS:2"
HUB = "http://ephyto.ippc.int/HUB.Entities"
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"


@dataclass(frozen=True)
class Kind:
    """How to grow one document type: its base, its item, where the number and the value a
    rule judges sit in the item."""

    base: str
    item: str  # Clark tag of the repeated item
    number: str  # path of the item number inside an item
    judged: str  # path of the value made wrong in an invalid item
    wrong: str  # that value


KINDS = {
    "acdd": Kind(
        "acdd_base.xml",
        f"{{{ACDD}}}GovernmentAgencyGoodsItem",
        f"{{{ACDD}}}SequenceNumeric",
        f"{{{ACDD}}}Commodity/{{{ACDD}}}Classification/{{{ACDD}}}ID",
        "0101.2",  # AC007: not 6 to 8 digits
    ),
    "eformd": Kind(
        "eformd_base.xml",
        f"{{{FD}}}Item",
        f"{{{FD}}}ItemNumber",
        f"{{{FD}}}OriginCriterion",
        "RVC",  # FD001: RVC without a percentage
    ),
    "ephyto": Kind(
        "ephyto_base.xml",
        f"{{{RAM}}}IncludedSPSTradeLineItem",
        f"{{{RAM}}}SequenceNumeric",
        f"{{{RAM}}}NetWeightMeasure",
        "0",  # PH012: a weight of zero
    ),
    "wco-declaration": Kind(
        "wco_base.xml",
        f"{{{WCO}}}GovernmentAgencyGoodsItem",
        f"{{{WCO}}}SequenceNumeric",
        f"{{{WCO}}}Commodity/{{{WCO}}}Classification/{{{WCO}}}ID",
        "0101.2",  # AC007 (no XSD layer: the unexpected element is no finding)
    ),
    "origin-declaration": Kind(
        "od_base.xml",
        f"{{{OD}}}Item",
        f"{{{OD}}}ItemNumber",
        f"{{{OD}}}OriginCriterion",
        "RVC",  # OD005: RVC without a percentage
    ),
}
#: The types of a mixed corpus (the ones with a schema, so xmllint can be the floor).
DOCTYPES = ("acdd", "eformd", "ephyto", "origin-declaration")


def document(doctype: str, items: int, *, invalid: bool = False, serial: int = 0) -> bytes:
    """One ``doctype`` document with ``items`` goods items; ``serial`` makes its reference
    numbers its own (documents of one corpus never duplicate each other)."""
    kind = KINDS[doctype]
    tree = etree.parse(str(FIXTURES / kind.base), etree.XMLParser(remove_blank_text=True))
    root = tree.getroot()
    first = next(root.iter(kind.item))
    parent = first.getparent()
    assert parent is not None
    template = copy.deepcopy(first)
    at = _insert_at(parent, first)
    for old in [e for e in parent if e.tag == kind.item]:
        parent.remove(old)
    for n in range(1, items + 1):
        item = copy.deepcopy(template)
        number = item.find(kind.number)
        assert number is not None
        number.text = str(n)
        if invalid:
            judged = item.find(kind.judged)
            assert judged is not None
            judged.text = kind.wrong
            item.append(etree.Element(f"{{{item.tag.split('}')[0][1:]}}}Unexpected"))
        parent.insert(at + n - 1, item)
    _own_references(root, doctype, serial)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def _insert_at(parent: etree._Element, first: etree._Element) -> int:
    """Where the items stood among their siblings (after removing them)."""
    position = 0
    for child in parent:
        if child is first:
            break
        if child.tag != first.tag:
            position += 1
    return position


def _own_references(root: etree._Element, doctype: str, serial: int) -> None:
    if doctype == "eformd":
        ref = root.find(f"{{{FD}}}ReferenceNumber")
        if ref is not None:
            ref.text = f"VN-BENCH-{serial:07}"
    elif doctype == "origin-declaration":
        number = root.find(f"{{{OD}}}CommercialDocument/{{{OD}}}Number")
        if number is not None:
            number.text = f"MAE-BENCH-{serial:07}"
    elif doctype == "acdd":
        ident = root.find(f"{{{ACDD}}}ID")
        if ident is not None:
            ident.text = f"{305000000000 + serial}"


def in_metadata(declaration: bytes, version: str = "3.6") -> bytes:
    """A WCO DM declaration in the MetaData wrapper."""
    text = declaration.decode("utf-8").split("?>", 1)[1].strip()
    return (
        f'<md:MetaData xmlns:md="{WCO_MD}"><md:WCODataModelVersionCode>{version}'
        "</md:WCODataModelVersionCode><md:WCOTypeName>DEC</md:WCOTypeName>"
        f"{text}</md:MetaData>"
    ).encode()


def enveloped(certificate: bytes, how: str) -> bytes:
    """An e-Phyto certificate in a SOAP DeliverPhytoEnvelope ("soap") or escaped in the hub
    Envelope's Content ("hub")."""
    text = certificate.decode("utf-8").split("?>", 1)[1].strip()
    header = (
        "<hub:From>TH</hub:From><hub:To>VN</hub:To><hub:CertificateType>851</hub:CertificateType>"
        "<hub:CertificateStatus>70</hub:CertificateStatus>"
        "<hub:NPPOCertificateNumber>TH-DOA-2025-0471203</hub:NPPOCertificateNumber>"
    )
    if how == "soap":
        out = (
            f'<s:Envelope xmlns:s="{SOAP11}" xmlns:eph="http://ephyto.ippc.int/"'
            f' xmlns:hub="{HUB}"><s:Body><eph:DeliverPhytoEnvelope><eph:ePhytoEnvelope>'
            f"{header}{text}</eph:ePhytoEnvelope></eph:DeliverPhytoEnvelope></s:Body></s:Envelope>"
        )
    else:
        out = (
            f'<hub:Envelope xmlns:hub="{HUB}">{header}<hub:Content>{escape(text)}'
            "</hub:Content></hub:Envelope>"
        )
    return out.encode("utf-8")


def write_corpus(
    directory: Path,
    documents: int,
    items: int,
    *,
    doctypes: tuple[str, ...] = DOCTYPES,
    invalid_every: int = 4,
    envelopes: bool = True,
) -> list[Path]:
    """``documents`` files, cycling through ``doctypes``; every ``invalid_every``-th one
    invalid; e-Phyto certificates alternately bare, in SOAP and in the hub envelope."""
    directory.mkdir(parents=True, exist_ok=True)
    wraps = itertools.cycle(["bare", "soap", "hub"] if envelopes else ["bare"])
    written = []
    for i, doctype in zip(range(documents), itertools.cycle(doctypes), strict=False):
        invalid = invalid_every > 0 and i % invalid_every == invalid_every - 1
        data = document(doctype, items, invalid=invalid, serial=i)
        if doctype == "ephyto":
            how = next(wraps)
            if how != "bare":
                data = enveloped(data, how)
        path = directory / f"{i:06}-{doctype}{'-invalid' if invalid else ''}.xml"
        path.write_bytes(data)
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--items", type=int, default=3)
    parser.add_argument("--doctype", choices=tuple(KINDS), action="append")
    parser.add_argument("--invalid-every", type=int, default=4, help="0: all valid")
    args = parser.parse_args()
    written = write_corpus(
        args.directory,
        args.documents,
        args.items,
        doctypes=tuple(args.doctype or DOCTYPES),
        invalid_every=args.invalid_every,
    )
    print(f"{len(written)} documents in {args.directory}")


if __name__ == "__main__":
    main()
