"""Opening transport envelopes: the IPPC ePhyto hub envelope, bare or in a SOAP 1.1/1.2 Body.

An envelope is recognised by its root's qualified name alone, and its parts only where the
hub's DeliveryService WSDL (domain.md §4.1, S19) puts them:

- ``soap:Envelope`` (1.1 or 1.2): an optional ``Header`` (its blocks are transport data, not
  read), then one ``Body`` holding one payload: a certificate, a hub envelope, or an operation
  wrapper;
- operation wrappers (``eph:DeliverPhytoEnvelope/eph:ePhytoEnvelope``,
  ``eph:DeliverEnvelope/eph:env``, ``eph:ValidateAndDeliverEnvelope/eph:envelope``,
  ``eph:PULLSingleImportEnvelopeResponse/eph:PULLSingleImportEnvelopeResult``), each holding
  exactly the envelope its operation takes;
- hub envelopes (``hub:Envelope``, ``eph:envelope``, ``eph:ePhytoEnvelope``): the header
  fields (From, To, CertificateType, CertificateStatus, NPPOCertificateNumber and the hub's
  optional fields, each at most once), then the certificate, as an element
  (``rsm:SPSCertificate``) or escaped as text (``hub:Content``).

Any other root is not an envelope: detection judges it as what it is. Inside an envelope every
part is accounted for: what is neither the one certificate nor a known part is a finding
(``DOC005`` a second document, ``DOC006`` anything else), so nothing in a file passes unread.
Findings inside the certificate carry the file's own XPaths (prefixed by the element that
holds it) and lines (for an escaped certificate, the ``Content`` element's line).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace
from typing import Any

from lxml import etree

from .binding.base import Binding, BoundDocument, Located, Node, _text
from .i18n import N_, T
from .model import Finding, Severity
from .parsing import parse_bytes
from .xpath import Locator, local_name, register_prefix

SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
HUB = "http://ephyto.ippc.int/HUB.Entities"
HUB_SERVICE = "http://ephyto.ippc.int/"
SPS = "urn:un:unece:uncefact:data:standard:SPSCertificate:17"
CERTIFICATE = f"{{{SPS}}}SPSCertificate"
CONTENT = f"{{{HUB}}}Content"

for _ns, _prefix in ((SOAP11, "soap"), (SOAP12, "soap12"), (HUB, "hub"), (HUB_SERVICE, "eph")):
    register_prefix(_ns, _prefix)

BASIS_ENVELOPE = (
    "IPPC ePhyto hub web service (DeliveryService WSDL: EnvelopeHeader, Envelope, ePhytoEnvelope)"
)
BASIS_SOAP = "SOAP 1.1 (W3C Note, 2000) / SOAP 1.2 (W3C Recommendation): one Body, one payload"

SOAP_ENVELOPES = frozenset({f"{{{SOAP11}}}Envelope", f"{{{SOAP12}}}Envelope"})
#: Hub envelopes: a header and one certificate (element or escaped Content).
HOLDERS = frozenset(
    {f"{{{HUB}}}Envelope", f"{{{HUB_SERVICE}}}envelope", f"{{{HUB_SERVICE}}}ePhytoEnvelope"}
)
#: Operation wrappers and the one envelope each takes (DeliveryService WSDL).
OPERATIONS = {
    f"{{{HUB_SERVICE}}}DeliverPhytoEnvelope": f"{{{HUB_SERVICE}}}ePhytoEnvelope",
    f"{{{HUB_SERVICE}}}DeliverEnvelope": f"{{{HUB_SERVICE}}}env",
    f"{{{HUB_SERVICE}}}ValidateAndDeliverEnvelope": f"{{{HUB_SERVICE}}}envelope",
    f"{{{HUB_SERVICE}}}PULLSingleImportEnvelopeResponse": (
        f"{{{HUB_SERVICE}}}PULLSingleImportEnvelopeResult"
    ),
}
#: Envelopes that only stand inside their operation wrapper.
WRAPPED_HOLDERS = frozenset(OPERATIONS.values()) - HOLDERS
#: EnvelopeHeader fields, in the WSDL's order; the first five are required (PH006 says so).
HEADER_FIELDS = (
    "From",
    "To",
    "CertificateType",
    "CertificateStatus",
    "NPPOCertificateNumber",
    "hubDeliveryNumber",
    "HUBTrackingInfo",
    "hubDeliveryErrorMessage",
    "Forwardings",
)
_HEADER_TAGS = frozenset(f"{{{HUB}}}{name}" for name in HEADER_FIELDS)


def is_envelope(root: etree._Element) -> bool:
    """Whether ``root`` is an envelope this module opens (by its qualified name only)."""
    tag = root.tag
    return tag in SOAP_ENVELOPES or tag in HOLDERS or tag in OPERATIONS


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
class Opened:
    """What an envelope holds: the document inside (``tree``, None when there is none to
    read) with where its elements are in the file, the hub header, and the envelope's own
    findings."""

    tree: etree._ElementTree | None
    locator: Locator | None
    header: EnvelopeHeader | None = None
    findings: list[Finding] = field(default_factory=list)

    def attach(self, bound: BoundDocument[Any]) -> BoundDocument[Any]:
        """The bound certificate with the envelope header beside it."""
        if self.header is None or not hasattr(bound.model, "envelope"):
            return bound
        return replace(bound, model=replace(bound.model, envelope=self.header))


_local = local_name


class _Opener:
    """One envelope's walk: every part visited once, each finding located in the file."""

    def __init__(self, tree: etree._ElementTree, *, max_bytes: int, max_depth: int) -> None:
        self.root = tree.getroot()
        self.locator = Locator(self.root)
        self.max_bytes = max_bytes
        self.max_depth = max_depth
        self.findings: list[Finding] = []

    # ----- findings -----

    def _finding(
        self,
        code: str,
        rule: str,
        elem: etree._Element,
        basis: str,
        template: str,
        params: dict[str, Any],
    ) -> None:
        self.findings.append(
            Finding.worded(
                code,
                Severity.ERROR,
                template,
                params,
                xpath=str(self.locator.path(elem)),
                line=elem.sourceline,
                value=_local(elem.tag) or None,
                rule=rule,
                basis=basis,
            )
        )

    def empty(
        self, elem: etree._Element, template: str, basis: str = BASIS_ENVELOPE, **params: Any
    ) -> None:
        self._finding("DOC004", "envelope-without-document", elem, basis, template, params)

    def another(self, elem: etree._Element, where: str, basis: str = BASIS_ENVELOPE) -> None:
        self._finding(
            "DOC005",
            "envelope-ambiguous",
            elem,
            basis,
            N_(
                "{where} carries another {element} after the first; an envelope carries"
                " one document, and only the first is validated"
            ),
            {"where": where, "element": _local(elem.tag)},
        )

    def unknown(
        self, elem: etree._Element, template: str, basis: str = BASIS_ENVELOPE, **params: Any
    ) -> None:
        self._finding("DOC006", "envelope-part-unknown", elem, basis, template, params)

    def _stray_text(self, elem: etree._Element, where: str, basis: str) -> None:
        """Character data between an envelope's parts is not part of any message."""
        texts = [elem.text or ""]
        texts.extend(child.tail or "" for child in elem)
        if any(t.strip() for t in texts):
            self.unknown(elem, N_("{where} holds text outside its parts"), basis, where=where)

    def _elements(self, elem: etree._Element) -> list[etree._Element]:
        return self.locator.children(elem).elements

    # ----- the grammar -----

    def open(self) -> Opened:
        tag = self.root.tag
        if tag in SOAP_ENVELOPES:
            return self._soap(self.root)
        if tag in OPERATIONS:
            return self._operation(self.root)
        return self._holder(self.root)

    def _soap(self, envelope: etree._Element) -> Opened:
        ns = str(envelope.tag)[1:].split("}", 1)[0]  # a SOAP envelope: always namespaced
        header_tag, body_tag = f"{{{ns}}}Header", f"{{{ns}}}Body"
        self._stray_text(envelope, T("The SOAP envelope"), BASIS_SOAP)
        body: etree._Element | None = None
        for i, child in enumerate(self._elements(envelope)):
            if child.tag == header_tag and i == 0:
                self._soap_header(child)
            elif child.tag == body_tag and body is None:
                body = child
            elif child.tag == body_tag:
                self.another(child, T("The SOAP envelope"), BASIS_SOAP)
            else:
                self.unknown(
                    child,
                    N_(
                        "The SOAP envelope holds {element}, which is neither its Header"
                        " (first) nor its Body"
                    ),
                    BASIS_SOAP,
                    element=_local(child.tag),
                )
        if body is None:
            self.empty(envelope, N_("The SOAP envelope has no Body"), BASIS_SOAP)
            return self._done(None)
        self._stray_text(body, T("The SOAP Body"), BASIS_SOAP)
        payloads = self._elements(body)
        if not payloads:
            self.empty(body, N_("The SOAP envelope has no Body content"), BASIS_SOAP)
            return self._done(None)
        for extra in payloads[1:]:
            self.another(extra, T("The SOAP Body"), BASIS_SOAP)
        payload = payloads[0]
        if payload.tag == CERTIFICATE:
            return self._embedded(payload, None)
        if payload.tag in OPERATIONS:
            return self._operation(payload)
        if payload.tag in HOLDERS:
            return self._holder(payload)
        self.empty(
            payload,
            N_("The SOAP body holds {element}, not an ePhyto envelope or certificate"),
            element=_local(payload.tag),
        )
        return self._done(None)

    def _soap_header(self, header: etree._Element) -> None:
        """Header blocks are transport data (addressing, security) and are not read; one
        that is itself a certificate or a hub envelope would be a second document."""
        for block in self._elements(header):
            if block.tag == CERTIFICATE or block.tag in HOLDERS or block.tag in OPERATIONS:
                self.another(block, T("The SOAP Header"), BASIS_SOAP)

    def _operation(self, operation: etree._Element) -> Opened:
        wanted = OPERATIONS[str(operation.tag)]
        name = _local(operation.tag)
        self._stray_text(operation, name, BASIS_ENVELOPE)
        children = self._elements(operation)
        if not children:
            self.empty(
                operation,
                N_("{operation} holds no {wanted}"),
                operation=name,
                wanted=_local(wanted),
            )
            return self._done(None)
        first, rest = children[0], children[1:]
        for extra in rest:
            if extra.tag == wanted or extra.tag in HOLDERS or extra.tag == CERTIFICATE:
                self.another(extra, name)
            else:
                self.unknown(
                    extra,
                    N_(
                        "{operation} holds {element}, which its operation does not take"
                        " (only {wanted})"
                    ),
                    operation=name,
                    element=_local(extra.tag),
                    wanted=_local(wanted),
                )
        if first.tag != wanted:
            self.empty(
                first,
                N_("{operation} holds {element}, not the {wanted} its operation takes"),
                operation=name,
                element=_local(first.tag),
                wanted=_local(wanted),
            )
            return self._done(None)
        return self._holder(first)

    def _holder(self, holder: etree._Element) -> Opened:
        where = T("The hub envelope ({element})", element=_local(holder.tag))
        self._stray_text(holder, where, BASIS_ENVELOPE)
        seen: set[str] = set()
        carriers: list[etree._Element] = []
        for child in self._elements(holder):
            tag = str(child.tag)
            if tag in _HEADER_TAGS:
                if tag in seen:
                    self.unknown(
                        child,
                        N_("{where} gives {element} more than once"),
                        where=where,
                        element=_local(tag),
                    )
                seen.add(tag)
            elif tag in (CERTIFICATE, CONTENT):
                if tag == CONTENT and not _carries(child):
                    continue  # an empty Content carries nothing (DOC004 if nothing else does)
                carriers.append(child)
            else:
                self.unknown(
                    child,
                    N_(
                        "{where} holds {element}, which is neither a header field nor the"
                        " certificate"
                    ),
                    where=where,
                    element=_local(tag),
                )
        header = _header(holder, self.locator)
        for extra in carriers[1:]:
            self.another(extra, where)
        if not carriers:
            self.empty(
                holder, N_("The hub envelope carries no certificate (SPSCertificate or Content)")
            )
            return self._done(None, header)
        first = carriers[0]
        if first.tag == CERTIFICATE:
            return self._embedded(first, header)
        return self._escaped(first, header)

    def _embedded(self, cert: etree._Element, header: EnvelopeHeader | None) -> Opened:
        parent = cert.getparent()
        assert parent is not None
        # A copy keeps each element's source line; its paths continue the holder's.
        inner = etree.ElementTree(copy.deepcopy(cert))
        locator = Locator(
            inner.getroot(),
            prefix=self.locator.path(parent),
            root_index=self.locator.children(parent).index_of(cert),
        )
        return self._done(inner, header, locator)

    def _escaped(self, content: etree._Element, header: EnvelopeHeader | None) -> Opened:
        """Parse the escaped certificate with the same safe parser and limits as any input."""
        where = self.locator.path(content)
        if self._elements(content):
            self.unknown(
                self._elements(content)[0],
                N_(
                    "Content holds an element; the hub carries the certificate in Content as"
                    " escaped text"
                ),
            )
            return self._done(None, header)
        text = _XML_DECLARATION.sub("", _text(content), count=1)  # already decoded text
        parsed = parse_bytes(
            text.encode("utf-8"), max_bytes=self.max_bytes, max_depth=self.max_depth
        )
        for f in parsed.findings:
            self.findings.append(
                replace(f, xpath=str(where) + (f.xpath or ""), line=content.sourceline, column=None)
            )
        if parsed.tree is None:
            return self._done(None, header)
        inner_root = parsed.tree.getroot()
        if inner_root.tag != CERTIFICATE:
            self.empty(
                content,
                N_("Content holds {element}, not an SPSCertificate"),
                element=_local(inner_root.tag) or T("no element"),
            )
            return self._done(None, header)
        locator = Locator(inner_root, prefix=where, line=content.sourceline)
        return self._done(parsed.tree, header, locator)

    def _done(
        self,
        tree: etree._ElementTree | None,
        header: EnvelopeHeader | None = None,
        locator: Locator | None = None,
    ) -> Opened:
        return Opened(tree, locator, header, self.findings)


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _carries(content: etree._Element) -> bool:
    """A Content element that holds something: text (comments aside) or any element."""
    return bool(_text(content).strip()) or any(isinstance(c.tag, str) for c in content)


def _header(holder: etree._Element, locator: Locator) -> EnvelopeHeader:
    node = Binding(locator).root() if holder is locator.root else _node(holder, locator)

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


def _node(elem: etree._Element, locator: Locator) -> Node:
    return Node.at(elem, locator.path(elem), Binding(locator))


def open_envelope(tree: etree._ElementTree, *, max_bytes: int, max_depth: int) -> Opened | None:
    """The document inside a SOAP and/or hub envelope; None when the root is no envelope."""
    if not is_envelope(tree.getroot()):
        return None
    return _Opener(tree, max_bytes=max_bytes, max_depth=max_depth).open()
