"""Binder for the ATIGA Origin Declaration (``schemas/origin-declaration/1.0``): tree ->
``OriginDeclaration``.

The comments name the item of OCP Attachment 1 ("List of Data Requirements") or the OCP rule
each value carries (schemas/origin-declaration/1.0/README.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from .base import BoundDocument, Located, Node, as_date
from .eformd import Party, party, ticked

NAMESPACE = "urn:asw-validator:origin-declaration:1.0"

#: OCP Rule 12B(2): the documents an OD may be made out on; the first is the rule.
COMMERCIAL_INVOICE = "commercial-invoice"
CARRIERS = (COMMERCIAL_INVOICE, "billing-statement", "delivery-order", "packing-list")
#: Kinds of an original proof of origin (OCP Rule 1A); only an OD has a first CE code.
ORIGIN_DECLARATION = "origin-declaration"


@dataclass(frozen=True, slots=True)
class Item:
    node: Located
    number: Located  # the line of the commercial document
    description: Located  # 2(i) name of the product
    hs_code: Located  # 2(ii) HS in six digit or AHTN code
    criterion: Located  # 2(iii) origin conferring criterion
    origin_country: Located  # 2(iv) country of origin
    fob: Located  # 2(v) FOB price when RVC is used
    fob_currency: Located
    quantity: Located  # 2(vi) quantity of goods
    quantity_unit: Located
    trademark: Located  # 2(vii) trademark, if applicable


@dataclass(frozen=True, slots=True)
class OriginalProof:
    """2(viii): the original proof of a back-to-back OD."""

    node: Located
    kind: Located
    reference: Located
    issue_date: Located
    first_country: Located  # country of origin of the first exporting country
    ce_code: Located  # CE authorisation code of the first exporting country, if applicable


@dataclass(frozen=True, slots=True)
class OriginDeclaration:
    root: Located
    ce: Located  # the CertifiedExporter element
    ce_code: Located  # item 1: the CE authorisation code
    issuing_country: Located  # the member whose Competent Authority granted it
    exporter: Party
    consignee: Party
    importing_country: Located
    document: Located  # the CommercialDocument element (Rule 12B(2))
    document_type: Located
    document_number: Located  # Rule 12B(6): the OD's reference number
    document_date: Located  # Rule 12B(5): the OD's issuance date
    invoice: Located  # the CommercialInvoice element a non-invoice carrier names
    invoice_number: Located
    invoice_date: Located
    invoicing_company: Located  # Rule 23 (the element)
    invoicing_company_name: Located
    invoicing_company_country: Located
    items: tuple[Item, ...]
    back_to_back: Located
    original_proofs: tuple[OriginalProof, ...]
    declaration_text: Located  # item 3(i)
    declaration_language: Located
    signature: Located  # the Signature element
    signature_place: Located
    signature_date: Located
    signatory_name: Located  # item 3(ii); Rule 12B(4)

    @property
    def is_back_to_back(self) -> bool:
        return ticked(self.back_to_back)

    @property
    def on_invoice(self) -> bool:
        """Made out on the commercial invoice itself (Rule 12B(2), first sentence)."""
        return self.document_type.text == COMMERCIAL_INVOICE

    def invoice_reference(self) -> tuple[Located, Located]:
        """(number, date) of the commercial invoice: the carrying document's own when the OD
        is made out on the invoice, else the invoice it names."""
        if self.on_invoice:
            return self.document_number, self.document_date
        return self.invoice_number, self.invoice_date


def _c(node: Node, *path: str) -> Node:
    for local in path:
        node = node.child(local, NAMESPACE)
    return node


def _item(node: Node) -> Item:
    fob = _c(node, "FOBValue")
    quantity = _c(node, "Quantity")
    return Item(
        node=node.leaf(),
        number=_c(node, "ItemNumber").integer(),
        description=_c(node, "Description").leaf(),
        hs_code=_c(node, "HSCode").leaf(),
        criterion=_c(node, "OriginCriterion").leaf(),
        origin_country=_c(node, "OriginCountry").leaf(),
        fob=fob.number(),
        fob_currency=fob.attr("currencyID"),
        quantity=quantity.number(),
        quantity_unit=quantity.attr("unitCode"),
        trademark=_c(node, "Trademark").leaf(),
    )


def _proof(node: Node) -> OriginalProof:
    return OriginalProof(
        node=node.leaf(),
        kind=_c(node, "KindCode").leaf(),
        reference=_c(node, "ReferenceNumber").leaf(),
        issue_date=_c(node, "IssueDate").leaf(),
        first_country=_c(node, "FirstExportingCountry").leaf(),
        ce_code=_c(node, "CertifiedExporterCode").leaf(),
    )


def bind(root: Node) -> BoundDocument[OriginDeclaration]:
    """Bind an Origin Declaration from its located root."""
    ce = _c(root, "CertifiedExporter")
    document = _c(root, "CommercialDocument")
    invoice = _c(document, "CommercialInvoice")
    invoicing = _c(root, "InvoicingCompany")
    declaration = _c(root, "DeclarationText")
    signature = _c(root, "Signature")
    od = OriginDeclaration(
        root=root.leaf(),
        ce=ce.leaf(),
        ce_code=_c(ce, "AuthorisationCode").leaf(),
        issuing_country=_c(ce, "IssuingCountry").leaf(),
        exporter=party(_c(root, "Exporter"), NAMESPACE),
        consignee=party(_c(root, "Consignee"), NAMESPACE),
        importing_country=_c(root, "ImportingCountry").leaf(),
        document=document.leaf(),
        document_type=_c(document, "TypeCode").leaf(),
        document_number=_c(document, "Number").leaf(),
        document_date=_c(document, "Date").leaf(),
        invoice=invoice.leaf(),
        invoice_number=_c(invoice, "Number").leaf(),
        invoice_date=_c(invoice, "Date").leaf(),
        invoicing_company=invoicing.leaf(),
        invoicing_company_name=_c(invoicing, "Name").leaf(),
        invoicing_company_country=_c(invoicing, "CountryCode").leaf(),
        items=tuple(_item(n) for n in root.children("Item", NAMESPACE)),
        back_to_back=_c(root, "BackToBack").leaf(),
        original_proofs=tuple(_proof(n) for n in root.children("OriginalProofOfOrigin", NAMESPACE)),
        declaration_text=declaration.leaf(),
        declaration_language=declaration.attr("languageID"),
        signature=signature.leaf(),
        signature_place=_c(signature, "Place").leaf(),
        signature_date=_c(signature, "Date").leaf(),
        signatory_name=_c(signature, "SignatoryName").leaf(),
    )
    member = od.issuing_country.text if od.issuing_country.usable else None
    return BoundDocument(
        model=od,
        # The CE's member is the exporting member (Rule 1(d): the Competent Authority of the
        # exporting Member State authorises CEs) and the one whose authority stands behind it.
        export_country=member,
        import_country=od.importing_country.text if od.importing_country.usable else None,
        effective_date=as_date(od.document_date),  # Rule 12B(5)
        issuer_country=member,
    )
