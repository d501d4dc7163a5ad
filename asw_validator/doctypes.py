"""Document types and their detection by root element (namespace + local name).

Detection never looks at ``xsi:schemaLocation`` or any other hint the document gives about
its own schema: the root's qualified name picks the type, and the type names the schema.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lxml import etree

from .i18n import N_, T
from .model import Finding, Severity
from .xpath import register_prefix

if TYPE_CHECKING:
    from .binding.base import BoundDocument, Node
    from .xpath import Locator


@dataclass(frozen=True)
class DocumentType:
    """A document type the validator can read: its root, schema and binder.

    A second dialect of a model (a WCO Data Model declaration read as an ACDD) names the
    document type whose rules run on its model (``rules_of``), has no schema of its own
    (``schema`` None: no XSD layer), and may annotate its findings (``annotate``) and sum
    them up (``summarize``, e.g. "ACDD-ready").
    """

    name: str
    title: str
    namespace: str
    root: str
    version: str
    prefix: str
    schema: str | None  # path relative to the schemas data directory; None: no XSD layer
    #: Builds the model from the located root (``Node``: where every element is, and what the
    #: XSD layer flagged).
    binder: Callable[[Node], BoundDocument[Any]]
    rules_of: str | None = None
    annotate: Callable[[Finding], Finding] | None = None
    summarize: Callable[[list[Finding]], dict[str, Any]] | None = None

    @property
    def qname(self) -> str:
        return f"{{{self.namespace}}}{self.root}"

    @property
    def rules_doctype(self) -> str:
        """The document type whose rules run on this type's model."""
        return self.rules_of or self.name


@dataclass
class Opened:
    """What a wrapper (a root that carries another document) holds: the document's root
    element, or None when there is nothing to validate, what the wrapper says of it, and the
    wrapper's own findings."""

    inner: etree._Element | None
    context: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


Opener = Callable[[etree._Element, "Locator"], Opened]


@dataclass(frozen=True)
class KnownUnsupported:
    """A root we recognise but cannot validate yet (DOC002)."""

    namespace: str
    root: str
    title: str


_TYPES: dict[str, DocumentType] = {}
_BY_QNAME: dict[str, DocumentType] = {}
_UNSUPPORTED: dict[str, KnownUnsupported] = {}
_OPENERS: dict[str, Opener] = {}


def register_opener(qname: str, opener: Opener) -> None:
    """A root that wraps another document (WCO ``MetaData``), or that must be looked into
    before it is validated: ``opener`` finds the document, or says why there is none."""
    _OPENERS[qname] = opener


def opener(tag: object) -> Opener | None:
    return _OPENERS.get(tag) if isinstance(tag, str) else None


def register(doctype: DocumentType) -> None:
    if doctype.name in _TYPES:
        raise ValueError(f"document type {doctype.name!r} is already registered")
    register_prefix(doctype.namespace, doctype.prefix)
    _TYPES[doctype.name] = doctype
    _BY_QNAME[doctype.qname] = doctype


def register_unsupported(item: KnownUnsupported) -> None:
    _UNSUPPORTED[f"{{{item.namespace}}}{item.root}"] = item


def get(name: str) -> DocumentType:
    return _TYPES[name]


def names() -> list[str]:
    return sorted(_TYPES)


def all_types() -> list[DocumentType]:
    return [_TYPES[n] for n in sorted(_TYPES)]


def detect(root: etree._Element, where: str, line: int | None) -> DocumentType | Finding:
    """The document type of the tree under ``root`` (at XPath ``where`` and ``line`` in the
    file), or a DOC001/DOC002 finding saying why there is none."""
    tag = root.tag if isinstance(root.tag, str) else ""
    found = _BY_QNAME.get(tag)
    if found is not None:
        return found
    known = ", ".join(f"{t.name} ({{{t.namespace}}}{t.root})" for t in all_types())
    unsupported = _UNSUPPORTED.get(tag)
    if unsupported is not None:
        return Finding.worded(
            "DOC002",
            Severity.ERROR,
            N_(
                "Root {root} is a {title}, which this version cannot validate yet;"
                " it validates: {known}"
            ),
            {"root": tag, "title": unsupported.title, "known": known},
            xpath=where,
            line=line,
            value=tag,
            rule="doctype-not-supported-yet",
            basis="asw-validator document-type registry",
        )
    return Finding.worded(
        "DOC001",
        Severity.ERROR,
        N_("Unknown document type: root element {root}; known types: {known}"),
        {"root": tag or T("(none)"), "known": known},
        xpath=where,
        line=line,
        value=tag,
        expected=known,
        rule="doctype-unknown",
        basis="asw-validator document-type registry",
    )


def _register_builtins() -> None:
    from .binding import acdd, eformd, ephyto, origin_declaration, response, wco

    register(
        DocumentType(
            name="acdd",
            title="ASEAN Customs Declaration Document",
            namespace=acdd.NAMESPACE,
            root="Declaration",
            version="1.0",
            prefix="acdd",
            schema="acdd/1.0/acdd.xsd",
            binder=acdd.bind,
        )
    )
    register(
        DocumentType(
            name="eformd",
            title="ATIGA e-Form D (electronic certificate of origin)",
            namespace=eformd.NAMESPACE,
            root="Certificate",
            version="1.0",
            prefix="fd",
            schema="eformd/1.0/eformd.xsd",
            binder=eformd.bind,
        )
    )
    register(
        DocumentType(
            name="eformd-response",
            title="e-Form D Customs Response (OCP Rule 30)",
            namespace=response.NAMESPACE,
            root="CustomsResponse",
            version="1.0",
            prefix="cr",
            schema="eformd-response/1.0/eformd-response.xsd",
            binder=response.bind,
        )
    )
    register(
        DocumentType(
            name="ephyto",
            title="e-Phyto certificate (UN/CEFACT SPSCertificate D17A, IPPC ePhyto)",
            namespace=ephyto.NAMESPACE,
            root="SPSCertificate",
            version="2.0",
            prefix="rsm",
            schema="ephyto/2.0/SPSCertificate.xsd",
            binder=ephyto.bind,
        )
    )
    register(
        DocumentType(
            name="origin-declaration",
            title="ATIGA Origin Declaration (self-certification by a Certified Exporter, AWSC)",
            namespace=origin_declaration.NAMESPACE,
            root="OriginDeclaration",
            version="1.0",
            prefix="od",
            schema="origin-declaration/1.0/origin-declaration.xsd",
            binder=origin_declaration.bind,
        )
    )
    register(
        DocumentType(
            name="wco-declaration",
            title="WCO Data Model 3.x export declaration (read as an ACDD)",
            namespace=wco.NAMESPACE,
            root="Declaration",
            version="3.6",
            prefix="wco",
            schema=None,
            binder=wco.bind,
            rules_of="acdd",
            annotate=wco.annotate,
            summarize=wco.summarize,
        )
    )
    register_opener(f"{{{wco.NAMESPACE}}}Declaration", wco.open_wco)
    register_opener(f"{{{wco.METADATA}}}MetaData", wco.open_wco)


# Registered at import, once, before any thread can ask: no lazy initialisation to race on.
_register_builtins()
