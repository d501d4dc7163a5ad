"""Unwrapping transport envelopes: the IPPC ePhyto hub envelope, bare or in a SOAP 1.1/1.2 Body.

The hub wraps a certificate in an envelope header (From, To, CertificateType,
CertificateStatus, NPPOCertificateNumber, optional hub fields) and carries the certificate
either as an element (``ePhytoEnvelope``) or as an escaped string (``Envelope/Content``).
``unwrap`` returns the inner certificate as a document of its own, the header, and how to put
the inner document's findings back into the original file: XPaths prefixed with the XPath of
the element that held the certificate, and, for an escaped certificate, that element's line.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace
from typing import Any

from lxml import etree

from .binding.base import BoundDocument, Located, Node
from .model import Finding, Severity
from .parsing import parse_bytes
from .xpath import node_xpath, register_prefix

SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
HUB = "http://ephyto.ippc.int/HUB.Entities"
HUB_SERVICE = "http://ephyto.ippc.int/"
SPS = "urn:un:unece:uncefact:data:standard:SPSCertificate:17"
CERTIFICATE = f"{{{SPS}}}SPSCertificate"

for _ns, _prefix in ((SOAP11, "soap"), (SOAP12, "soap12"), (HUB, "hub"), (HUB_SERVICE, "eph")):
    register_prefix(_ns, _prefix)

BASIS_ENVELOPE = (
    "IPPC ePhyto hub web service (DeliveryService WSDL: EnvelopeHeader, Envelope, ePhytoEnvelope)"
)


@dataclass(frozen=True)
class EnvelopeHeader:
    """The hub envelope header; its leaves carry the original file's XPaths and lines."""

    node: Located
    sender: Located  # From
    receiver: Located  # To
    certificate_type: Located
    certificate_status: Located
    nppo_certificate_number: Located


@dataclass
class Unwrapped:
    """An envelope's inner certificate (``tree``: None when there is none to read)."""

    tree: etree._ElementTree | None
    header: EnvelopeHeader | None
    prefix: str = ""  # XPath of the element that holds the certificate
    line: int | None = None  # escaped certificate: every inner finding is on this line
    findings: list[Finding] = field(default_factory=list)

    def relocate(self, f: Finding) -> Finding:
        """An inner-document finding, pointed into the original file."""
        if f.xpath is None or not f.xpath.startswith("/"):
            return f if self.line is None else replace(f, line=self.line, column=None)
        if f.xpath.startswith(_root_xpath(self.tree)):
            moved = replace(f, xpath=self.prefix + f.xpath)
            return moved if self.line is None else replace(moved, line=self.line, column=None)
        return f

    def attach(self, bound: BoundDocument[Any]) -> BoundDocument[Any]:
        """The bound certificate with the envelope header beside it."""
        if self.header is None or not hasattr(bound.model, "envelope"):
            return bound
        return replace(bound, model=replace(bound.model, envelope=self.header))


def _root_xpath(tree: etree._ElementTree | None) -> str:
    """Where the inner document's own XPaths start ("\0" matches none)."""
    return node_xpath(tree.getroot()) if tree is not None else "\0"


def _local(elem: etree._Element) -> str:
    return etree.QName(elem).localname if isinstance(elem.tag, str) else ""


def _elements(elem: etree._Element) -> list[etree._Element]:
    return [c for c in elem if isinstance(c.tag, str)]


def _is_header(elem: etree._Element) -> bool:
    return elem.find(f"{{{HUB}}}From") is not None or elem.find(f"{{{HUB}}}To") is not None


def _empty(holder: etree._Element, why: str) -> Unwrapped:
    return Unwrapped(
        None,
        None,
        findings=[
            Finding(
                code="DOC004",
                severity=Severity.ERROR,
                message=why,
                xpath=node_xpath(holder),
                line=holder.sourceline,
                rule="envelope-without-document",
                basis=BASIS_ENVELOPE,
            )
        ],
    )


def unwrap(tree: etree._ElementTree, *, max_bytes: int, max_depth: int) -> Unwrapped | None:
    """The certificate inside a SOAP and/or hub envelope; None when ``tree`` is no envelope."""
    root = tree.getroot()
    soap = root.tag in (f"{{{SOAP11}}}Envelope", f"{{{SOAP12}}}Envelope")
    top = root
    if soap:
        ns = etree.QName(root).namespace
        body = root.find(f"{{{ns}}}Body")
        if body is None or not _elements(body):
            return _empty(
                body if body is not None else root, "The SOAP envelope has no Body content"
            )
        top = _elements(body)[0]
        if top.tag == CERTIFICATE:
            return _embedded(top, None)
    # The hub envelope itself, or one level below (an operation wrapper such as
    # eph:DeliverPhytoEnvelope/eph:ePhytoEnvelope or eph:DeliverEnvelope/eph:envelope).
    candidates = [top, *_elements(top)]
    holder = next((c for c in candidates if _is_header(c)), None)
    if holder is None:
        if soap:
            what = _local(top)
            return _empty(top, f"The SOAP body holds {what}, not an ePhyto envelope or certificate")
        return None
    header = _header(holder)
    certs = holder.findall(CERTIFICATE)
    content = holder.find(f"{{{HUB}}}Content")
    if certs:
        opened = _embedded(certs[0], header)
        extra = certs[1:]
        if content is not None and (content.text or "").strip():
            extra.append(content)
        if extra:
            opened.findings.append(_ambiguous(extra[0]))
        return opened
    if content is None or not (content.text or "").strip():
        found = _empty(
            holder, "The hub envelope carries no certificate (SPSCertificate or Content)"
        )
        found.header = header
        return found
    return _escaped(content, header, max_bytes=max_bytes, max_depth=max_depth)


def _ambiguous(extra: etree._Element) -> Finding:
    """One envelope, more than one certificate: only the first is read, and that is said."""
    return Finding(
        code="DOC005",
        severity=Severity.ERROR,
        message=(
            f"The hub envelope carries another certificate ({_local(extra)}) after the first;"
            " an envelope carries one, and only the first is validated"
        ),
        xpath=node_xpath(extra),
        line=extra.sourceline,
        rule="envelope-ambiguous",
        basis=BASIS_ENVELOPE,
    )


def _embedded(cert: etree._Element, header: EnvelopeHeader | None) -> Unwrapped:
    parent = cert.getparent()
    prefix = node_xpath(parent) if parent is not None else ""
    # A copy keeps each element's source line; XPaths inside it start at the certificate.
    return Unwrapped(etree.ElementTree(copy.deepcopy(cert)), header, prefix)


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _escaped(
    content: etree._Element, header: EnvelopeHeader | None, *, max_bytes: int, max_depth: int
) -> Unwrapped:
    """Parse the escaped certificate with the same safe parser and limits as any input."""
    text = _XML_DECLARATION.sub("", content.text or "", count=1)  # already decoded text
    parsed = parse_bytes(text.encode("utf-8"), max_bytes=max_bytes, max_depth=max_depth)
    where = node_xpath(content)
    inner = Unwrapped(parsed.tree, header, where, content.sourceline)
    inner.findings = [
        replace(f, xpath=where + (f.xpath or ""), line=content.sourceline, column=None)
        for f in parsed.findings
    ]
    return inner


def _header(holder: etree._Element) -> EnvelopeHeader:
    node = Node(holder, node_xpath(holder), holder.sourceline, frozenset())

    def leaf(name: str) -> Located:
        return node.child(name, HUB).leaf()

    return EnvelopeHeader(
        node=node.leaf(),
        sender=leaf("From"),
        receiver=leaf("To"),
        certificate_type=leaf("CertificateType"),
        certificate_status=leaf("CertificateStatus"),
        nppo_certificate_number=leaf("NPPOCertificateNumber"),
    )
