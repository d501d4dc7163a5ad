"""What several country packs read: the identified parties of a document, wherever they sit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ...binding.acdd import AcddDeclaration
from ...binding.base import Located
from ...binding.eformd import FormD
from ...binding.origin_declaration import OriginDeclaration
from ...i18n import T
from ..base import Problem, problem
from ..common import AWSC_FROM

#: Doctypes whose parties carry identifiers.
PARTY_DOCTYPES = ("acdd", "eformd", "origin-declaration")


@dataclass(frozen=True)
class Party:
    """A party's identifier and the country it belongs to."""

    label: str  # "exporter", "consignee (importer)", "declarant"
    id: Located
    country: str | None


def _country(own: Located, fallback: Located) -> str | None:
    """The party's address country, else the document's country for its role."""
    for loc in (own, fallback):
        if loc.usable:
            return loc.text
    return None


def parties(doc: Any) -> Iterator[Party]:
    """Every party with an identifier slot: exporter, consignee/importer, declarant."""
    if isinstance(doc, AcddDeclaration):
        exp, imp = doc.export_country, doc.import_country
        yield Party(T("exporter"), doc.exporter.id, _country(doc.exporter.country, exp))
        yield Party(
            T("consignee (importer)"), doc.consignee.id, _country(doc.consignee.country, imp)
        )
        # The declaring agent lodges the export declaration in the exporting country.
        yield Party(T("declarant"), doc.declarant.id, _country(doc.declarant.country, exp))
    elif isinstance(doc, FormD):
        exp, imp = doc.issuing_country, doc.importing_country
        yield Party(T("exporter (box 1)"), doc.exporter.id, _country(doc.exporter.country, exp))
        yield Party(T("consignee (box 2)"), doc.consignee.id, _country(doc.consignee.country, imp))
    elif isinstance(doc, OriginDeclaration):
        exp, imp = doc.issuing_country, doc.importing_country
        yield Party(T("exporter"), doc.exporter.id, _country(doc.exporter.country, exp))
        yield Party(T("consignee"), doc.consignee.id, _country(doc.consignee.country, imp))


#: Says why an identifier is wrong, or None when it is right.
IdCheck = Callable[[str], str | None]


def check_ids(
    doc: Any, country: str, what: str, check: IdCheck, expected: str
) -> Iterator[Problem]:
    """One problem per identifier of a ``country`` party that ``check`` rejects."""
    for party in parties(doc):
        if party.country != country or not party.id.usable:
            continue
        reason = check(party.id.text)
        if reason is not None:
            yield problem(
                "{what} {value!r} of the {party}: {reason}",
                party.id,
                what=what,
                party=party.label,
                reason=reason,
                expected=expected,
            )


def before_national_instrument(
    doc: OriginDeclaration, who: str, instrument: str, since: dt.date
) -> Iterator[Problem]:
    """An Origin Declaration of a member's CE made out after AWSC began but before the member's
    own instrument for Certified Exporters (``since``): the rule's dates select the period."""
    last = since - dt.timedelta(days=1)
    yield problem(
        "Made out on {value} by a {who} CE, before {instrument} ({since}); period applied:"
        " {first} to {last}",
        doc.document_date,
        who=who,
        instrument=instrument,
        since=since,
        first=AWSC_FROM,
        last=last,
        expected=f"an Origin Declaration from {since.isoformat()}",
    )
