"""Binder for the ATIGA e-Form D (``schemas/eformd/1.0``): tree -> ``FormD``.

The comments name the Form D box (ATIGA Annex 7; domain.md §3.1).
"""

from __future__ import annotations

from dataclasses import dataclass

from .base import BoundDocument, Located, Node, as_date

NAMESPACE = "urn:asw-validator:eformd:1.0"


@dataclass(frozen=True, slots=True)
class Party:
    node: Located
    name: Located
    id: Located
    address_lines: tuple[Located, ...]
    city: Located
    country: Located

    @property
    def has_address(self) -> bool:
        return any(not loc.blank for loc in (*self.address_lines, self.city))


@dataclass(frozen=True, slots=True)
class Item:
    node: Located
    number: Located  # box 5
    marks: Located  # box 6
    description: Located  # box 7
    hs_code: Located  # box 7: HS number of the importing country
    criterion: Located  # box 8
    gross_weight: Located  # box 9 (or quantity)
    gross_weight_unit: Located
    quantity: Located
    quantity_unit: Located
    fob: Located  # box 9, only where RVC is applied
    fob_currency: Located
    invoice_number: Located  # box 10
    invoice_date: Located


@dataclass(frozen=True, slots=True)
class OriginalProof:
    node: Located
    reference: Located
    issue_date: Located
    issuing_country: Located


@dataclass(frozen=True, slots=True)
class Box13:
    third_country_invoicing: Located
    exhibition: Located
    accumulation: Located
    de_minimis: Located
    back_to_back: Located
    issued_retroactively: Located
    partial_cumulation: Located


def ticked(loc: Located) -> bool:
    """An xs:boolean box-13 flag is ticked ("true" or "1")."""
    return loc.usable and loc.text in ("true", "1")


@dataclass(frozen=True, slots=True)
class FormD:
    root: Located
    reference: Located
    issuing_country: Located  # "Issued in": the exporting member
    replaces: Located  # OCP 29(4)
    exporter: Party  # box 1
    consignee: Party  # box 2
    exhibition: Located  # box 2 for exhibitions (the element)
    exhibition_name: Located
    exhibition_address: Party | None
    departure_date: Located  # box 3
    transport_means: Located  # box 3: vessel's name, aircraft, ...
    port_of_discharge: Located
    port_of_discharge_id: Located  # a UN/LOCODE where known
    items: tuple[Item, ...]
    invoicing_company: Located  # box 7, third-country invoicing (the element)
    invoicing_company_name: Located
    invoicing_company_country: Located
    original_proofs: tuple[OriginalProof, ...]  # box 7, back-to-back
    producing_country: Located  # box 11
    importing_country: Located  # box 11
    declaration_date: Located
    authority: Located  # box 12
    issue_date: Located  # box 12
    certified_true_copy: Located  # box 12 endorsement (the element)
    original_issue_date: Located
    box13: Box13
    box13_node: Located


def _c(node: Node, *path: str) -> Node:
    for local in path:
        node = node.child(local, NAMESPACE)
    return node


def party(node: Node, namespace: str = NAMESPACE) -> Party:
    """A party (name, ID, address) of this shape in ``namespace``: the Origin Declaration's
    exporter and consignee have the e-Form D's shape."""
    address = node.child("Address", namespace)
    return Party(
        node.leaf(),
        node.child("Name", namespace).leaf(),
        node.child("ID", namespace).leaf(),
        tuple(n.leaf() for n in address.children("Line", namespace)),
        address.child("CityName", namespace).leaf(),
        address.child("CountryCode", namespace).leaf(),
    )


def _item(node: Node) -> Item:
    gross = _c(node, "GrossWeight")
    quantity = _c(node, "Quantity")
    fob = _c(node, "FOBValue")
    invoice = _c(node, "Invoice")
    return Item(
        node=node.leaf(),
        number=_c(node, "ItemNumber").integer(),
        marks=_c(node, "MarksAndNumbers").leaf(),
        description=_c(node, "Description").leaf(),
        hs_code=_c(node, "HSCode").leaf(),
        criterion=_c(node, "OriginCriterion").leaf(),
        gross_weight=gross.number(),
        gross_weight_unit=gross.attr("unitCode"),
        quantity=quantity.number(),
        quantity_unit=quantity.attr("unitCode"),
        fob=fob.number(),
        fob_currency=fob.attr("currencyID"),
        invoice_number=_c(invoice, "Number").leaf(),
        invoice_date=_c(invoice, "Date").leaf(),
    )


def _proof(node: Node) -> OriginalProof:
    return OriginalProof(
        node=node.leaf(),
        reference=_c(node, "ReferenceNumber").leaf(),
        issue_date=_c(node, "IssueDate").leaf(),
        issuing_country=_c(node, "IssuingCountry").leaf(),
    )


def bind(root: Node) -> BoundDocument[FormD]:
    """Bind an e-Form D from its located root."""
    exhibition = _c(root, "Exhibition")
    invoicing = _c(root, "InvoicingCompany")
    declaration = _c(root, "ExporterDeclaration")
    certification = _c(root, "Certification")
    copy = _c(certification, "CertifiedTrueCopy")
    box13 = _c(root, "Box13")
    flags = Box13(
        *(
            _c(box13, name).leaf()
            for name in (
                "ThirdCountryInvoicing",
                "Exhibition",
                "Accumulation",
                "DeMinimis",
                "BackToBack",
                "IssuedRetroactively",
                "PartialCumulation",
            )
        )
    )
    form = FormD(
        root=root.leaf(),
        reference=_c(root, "ReferenceNumber").leaf(),
        issuing_country=_c(root, "IssuingCountry").leaf(),
        replaces=_c(root, "ReplacesReferenceNumber").leaf(),
        exporter=party(_c(root, "Exporter")),
        consignee=party(_c(root, "Consignee")),
        exhibition=exhibition.leaf(),
        exhibition_name=_c(exhibition, "Name").leaf(),
        exhibition_address=(party(exhibition) if _c(exhibition, "Address").present else None),
        departure_date=_c(root, "Transport", "DepartureDate").leaf(),
        transport_means=_c(root, "Transport", "MeansName").leaf(),
        port_of_discharge=_c(root, "Transport", "PortOfDischarge").leaf(),
        port_of_discharge_id=_c(root, "Transport", "PortOfDischarge", "ID").leaf(),
        items=tuple(_item(n) for n in root.children("Item", NAMESPACE)),
        invoicing_company=invoicing.leaf(),
        invoicing_company_name=_c(invoicing, "Name").leaf(),
        invoicing_company_country=_c(invoicing, "CountryCode").leaf(),
        original_proofs=tuple(_proof(n) for n in root.children("OriginalProofOfOrigin", NAMESPACE)),
        producing_country=_c(declaration, "ProducingCountry").leaf(),
        importing_country=_c(declaration, "ImportingCountry").leaf(),
        declaration_date=_c(declaration, "Date").leaf(),
        authority=_c(certification, "Authority").leaf(),
        issue_date=_c(certification, "IssueDate").leaf(),
        certified_true_copy=copy.leaf(),
        original_issue_date=_c(copy, "OriginalIssueDate").leaf(),
        box13=flags,
        box13_node=box13.leaf(),
    )
    return BoundDocument(
        model=form,
        export_country=form.issuing_country.text if form.issuing_country.usable else None,
        import_country=form.importing_country.text if form.importing_country.usable else None,
        effective_date=as_date(form.issue_date),
        issuer_country=form.issuing_country.text if form.issuing_country.usable else None,
    )
