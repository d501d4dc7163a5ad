"""Binder for the e-Form D Customs Response (``schemas/eformd-response/1.0``; OCP Rule 30)."""

from __future__ import annotations

from dataclasses import dataclass

from .base import BoundDocument, Located, Node, as_date

NAMESPACE = "urn:asw-validator:eformd-response:1.0"


@dataclass(frozen=True, slots=True)
class Reason:
    node: Located
    code: Located
    text: Located

    @property
    def stated(self) -> bool:
        """A reason is stated by a code or a text."""
        return not (self.code.blank and self.text.blank)


@dataclass(frozen=True, slots=True)
class ItemDecision:
    node: Located
    item_number: Located
    decision: Located
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class CustomsResponse:
    root: Located
    id: Located
    eformd_reference: Located
    eformd_issuing_country: Located
    importing_country: Located
    received_date: Located
    response_date: Located
    status: Located
    reasons: tuple[Reason, ...]
    items: tuple[ItemDecision, ...]


def _c(node: Node, local: str) -> Node:
    return node.child(local, NAMESPACE)


def _reasons(node: Node) -> tuple[Reason, ...]:
    return tuple(
        Reason(n.leaf(), _c(n, "Code").leaf(), _c(n, "Text").leaf())
        for n in node.children("Reason", NAMESPACE)
    )


def bind(root: Node) -> BoundDocument[CustomsResponse]:
    """Bind a Customs Response from its located root."""
    resp = CustomsResponse(
        root=root.leaf(),
        id=_c(root, "ID").leaf(),
        eformd_reference=_c(root, "EFormDReference").leaf(),
        eformd_issuing_country=_c(root, "EFormDIssuingCountry").leaf(),
        importing_country=_c(root, "ImportingCountry").leaf(),
        received_date=_c(root, "ReceivedDate").leaf(),
        response_date=_c(root, "ResponseDate").leaf(),
        status=_c(root, "Status").leaf(),
        reasons=_reasons(root),
        items=tuple(
            ItemDecision(
                n.leaf(), _c(n, "ItemNumber").integer(), _c(n, "Decision").leaf(), _reasons(n)
            )
            for n in root.children("ItemDecision", NAMESPACE)
        ),
    )
    import_country = resp.importing_country.text if resp.importing_country.usable else None
    return BoundDocument(
        model=resp,
        export_country=(
            resp.eformd_issuing_country.text if resp.eformd_issuing_country.usable else None
        ),
        import_country=import_country,
        effective_date=as_date(resp.response_date),
        # The response is sent by the importing member's customs.
        issuer_country=import_country,
    )
