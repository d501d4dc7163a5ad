"""ATIGA Origin Declaration rules (``OD`` codes) over ``OriginDeclaration``.

An Origin Declaration (OD) is the proof of origin a Certified Exporter (CE) makes out itself on
a commercial document under ASEAN-wide Self-Certification (AWSC), in force from 2020-09-20
(ATIGA Annex 8 OCP Rules 1A(c), 12A-12D). Quotes are from the OCP as reprinted in the ASEAN
Secretariat's AWSC Guidebook (Dec 2020), Annex 1, and from the Guidebook itself; facts in
domain.md §3.3 and §8 and the project's AWSC research notes.

The OD's own date is the date of the document it is made out on (Rule 12B(5)): it picks the
period of every dated rule.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import Any

from ..binding.base import Located
from ..binding.origin_declaration import (
    CARRIERS,
    NAMESPACE,
    ORIGIN_DECLARATION,
    OriginDeclaration,
)
from ..context import Context
from ..i18n import Day, T, words_and, words_list
from ..model import Severity
from ..refdata import countries, criteria, hs, units
from ..xpath import step_name
from . import common
from .base import Family, Problem, problem
from .eformd import fob_rule

FAMILY = Family("origin-declaration", "1.0.0")
rule = FAMILY.rule
OD = ("origin-declaration",)
ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

OCP = "ATIGA Annex 8 OCP Rule"
ATT1 = "ATIGA Annex 8 OCP Attachment 1 (List of Data Requirements), item"
GUIDEBOOK = "ASEAN Secretariat, AWSC Guidebook (Dec 2020)"
#: The criteria the indicative format's explanatory note lists (Guidebook Annex 2, note 1).
CRITERIA_NOTE = 'WO, 40%, CC, CTH, CTSH, SP, CTSH+35%, PC 25% ("PC x%", x below 40)'


def _n(loc: Located) -> str:
    return loc.text or "?"


# ----- Attachment 1: the data an OD contains -----


def _required(od: OriginDeclaration) -> Iterator[tuple[T, Located]]:
    """The data an OD must carry, each with how the OCP names it (as a message begins)."""
    yield T("Attachment 1 item 1, the CE Authorisation Code"), od.ce_code
    for item in od.items:
        n = _n(item.number)
        yield (
            T("Item {n}: Attachment 1 item 2(i), the name of the product", n=n),
            item.description,
        )
        yield (
            T("Item {n}: Attachment 1 item 2(ii), the HS (6 digits) or AHTN code", n=n),
            item.hs_code,
        )
        yield (
            T("Item {n}: Attachment 1 item 2(iii), the origin conferring criterion", n=n),
            item.criterion,
        )
        yield (
            T("Item {n}: Attachment 1 item 2(iv), the country of origin", n=n),
            item.origin_country,
        )
        yield T("Item {n}: Attachment 1 item 2(vi), the quantity of goods", n=n), item.quantity
    yield (
        T("Attachment 1 item 3(i), the certification by an authorised signatory"),
        od.declaration_text,
    )
    yield (
        T("Attachment 1 item 3(ii) and Rule 12B(4), the printed name of the signatory"),
        od.signatory_name,
    )
    yield T("Rule 12B(5), the date of the document the OD is made out on"), od.document_date


@rule(
    code="OD001",
    name="required-data-missing",
    severity=ERROR,
    doctypes=OD,
    basis=f"{OCP} 12B(1) ('The Origin Declaration shall contain the data requirements listed in "
    "Attachment 1'), Attachment 1 items 1, 2(i)-(iv), 2(vi), 3(i), 3(ii); Rule 12B(4) ('shall "
    "bear the name ... of the authorised signatories') and 12B(5) (the document's date is the "
    "OD's issuance date)",
)
def required_data_missing(od: OriginDeclaration, ctx: Context) -> Iterator[Problem]:
    """A datum Attachment 1 requires of every OD is missing or blank.

    Attachment 1: "1. CE Details: The CE Authorisation Code. 2. Description of the Goods: (i)
    Name of the Product; (ii) HS in six digit or AHTN Code; (iii) Origin conferring criterion;
    (iv) Country of Origin; ... (vi) Quantity of goods; ... 3. (i) Certification by an
    authorised signatory of the CE that the goods specified in the Origin Declaration meet all
    the relevant requirements of Chapter 3 ...; (ii) Authorised signature over printed/stamped
    name of the signatory." Rule 12B(5): "The date of the document containing the Origin
    Declaration shall be considered as the issuance date of the Origin Declaration": without
    it Rule 14's 12 months cannot be counted. The certification's wording is free (the
    Guidebook's format is "an indicative guide"); only its absence is reported. FOB (2(v)),
    the trademark (2(vii)) and back-to-back data (2(viii)) are conditional: OD009, OD012.

    Fails: ``<od:CertifiedExporter><!-- no AuthorisationCode -->
    <od:IssuingCountry>...</od:IssuingCountry></od:CertifiedExporter>``; an item
    ``<od:Item><od:ItemNumber>1</od:ItemNumber><!-- ... no OriginCountry --></od:Item>``
    Passes: ``<od:AuthorisationCode>...</od:AuthorisationCode>``, and every item with name, HS
    code, criterion, country of origin and quantity: ``<od:Item><od:ItemNumber>1</od:ItemNumber>
    <od:Description>...</od:Description><od:HSCode>...</od:HSCode>
    <od:OriginCriterion>...</od:OriginCriterion><od:OriginCountry>...</od:OriginCountry>
    <od:Quantity unitCode="...">...</od:Quantity></od:Item>``
    """
    for what, loc in _required(od):
        if loc.blank and not loc.schema_error:
            yield problem("{what} is missing", loc, what=what)


_PLACEHOLDER = re.compile(r"^[0X]+(?:\s*[/\-.]\s*[0X]+)*$", re.IGNORECASE)


def _formats(ctx: Context) -> Mapping[str, Any]:
    found = ctx.option("OD002", "formats", {})
    return found if isinstance(found, Mapping) else {}


def _codes(od: OriginDeclaration) -> Iterator[tuple[str, Located, Located]]:
    """(what, code, member) for the OD's CE code and each first CE code it names."""
    yield T("CE authorisation code"), od.ce_code, od.issuing_country
    for proof in od.original_proofs:
        yield T("first exporting country's CE code"), proof.ce_code, proof.first_country


@rule(
    code="OD002",
    name="authorisation-code-malformed",
    severity=ERROR,
    doctypes=OD,
    basis=f"{OCP} 12A(3) ('The Competent Authority shall grant the CE an authorisation code "
    f"which must be included in the Origin Declaration'); {GUIDEBOOK} Annex 2 (the indicative "
    "format's placeholder 'Certified Exporter Authorisation code: 0000/XXXX'). No member's code "
    "format is published in the sources reached; a member's format can be given as option "
    "'formats'",
)
def authorisation_code_malformed(od: OriginDeclaration, ctx: Context) -> Iterator[Problem]:
    """A CE authorisation code is the indicative format's placeholder, or breaks the format
    given for its member.

    The Guidebook's indicative format reads "(Certified Exporter Authorisation code:
    0000/XXXX)": a placeholder copied from the template (zeros and X's) is no code a Competent
    Authority granted (Rule 12A(3)). No member's own format was found (the AWSC CE database is
    "not open to the public", Guidebook §3.1 note 3), so none is built in; a team that knows its
    member's format passes it as the option ``formats`` of OD002, a mapping of member to
    regular expression (e.g. ``{"TH": "[0-9]{4}/[A-Z]{4}"}``), and codes of that member must
    match it whole.

    Fails: ``<od:AuthorisationCode>0000/XXXX</od:AuthorisationCode>``
    Passes: ``<od:AuthorisationCode>0153/VNCE</od:AuthorisationCode>``
    """
    formats = _formats(ctx)
    for what, code, member in _codes(od):
        if not code.usable:
            continue
        if _PLACEHOLDER.match(code.text):
            yield problem(
                "The {what} {value!r} is the indicative format's placeholder, not a code a"
                " Competent Authority granted",
                code,
                what=what,
                expected="the authorisation code the Competent Authority granted",
            )
            continue
        pattern = formats.get(member.text) if member.usable else None
        if isinstance(pattern, str) and not re.fullmatch(pattern, code.text):
            yield problem(
                "The {what} {value!r} is not in the format given for {member}",
                code,
                what=what,
                member=member.text,
                expected=pattern,
            )


# ----- HS codes (Attachment 1 item 2(ii)) -----

HS_LENGTHS = frozenset({6, 8})


@rule(
    code="OD003",
    name="hs-code-not-hs6-or-ahtn",
    severity=ERROR,
    doctypes=OD,
    basis=f"{ATT1} 2(ii) ('HS in six digit or AHTN Code'); {GUIDEBOOK} FAQ 17 (6-digit HS or "
    f"8-digit AHTN codes, not the 10-digit national ones); {OCP} 16(1) (a minor discrepancy "
    "does not invalidate the proof of origin when the origin is not in doubt)",
)
def hs_code_not_hs6_or_ahtn(od: OriginDeclaration, ctx: Context) -> Iterator[Problem]:
    """The HS code has neither the 6 digits of HS nor the 8 of AHTN (dots, spaces and a quota
    suffix removed).

    Attachment 1 asks for the "HS in six digit or AHTN Code"; the Guidebook's FAQ 17, asked
    about "10-digit National Tariff Nomenclature Codes", allows "either the 6-digit HS Codes or
    8-digit AHTN Codes". A code of fewer than 6 digits lacks the datum Attachment 1 asks for:
    an error. A longer code (7, 9 to 12 digits) holds the 6-digit subheading, which is read:
    a warning (a minor discrepancy, Rule 16(1)). A value that is not a tariff code at all
    (letters, more than 12 digits) is an error.

    Fails: ``<od:HSCode>cashew</od:HSCode>`` (error); ``<od:HSCode>0801.32.00.10</od:HSCode>``
    (10 digits: warning)
    Passes: ``<od:HSCode>0801.32</od:HSCode>``; ``<od:HSCode>0801.32.00</od:HSCode>``
    """
    for item in od.items:
        found = common.tariff_code(item.hs_code)
        if found is None or (found[1] and len(found[0]) in HS_LENGTHS):
            continue
        code, tariff = found
        if tariff and len(code) < 6:
            yield problem(
                "HS code {value!r} of item {n} has {digits} digits: Attachment 1 asks for the"
                " 6-digit HS subheading or the 8-digit AHTN code",
                item.hs_code,
                n=_n(item.number),
                digits=len(code),
                expected="6 or 8 digits, e.g. 0801.32 or 0801.32.00",
            )
        elif tariff:
            yield problem(
                "HS code {value!r} of item {n} has {digits} digits, neither the 6 of HS nor the"
                " 8 of AHTN; its first 6 are read (a minor discrepancy, OCP Rule 16(1))",
                item.hs_code,
                n=_n(item.number),
                digits=len(code),
                expected="6 or 8 digits, e.g. 0801.32 or 0801.32.00",
                severity=WARNING,
            )
        else:
            yield problem(
                "HS code {value!r} of item {n} is not a tariff code",
                item.hs_code,
                n=_n(item.number),
                expected="the 6-digit HS or 8-digit AHTN code, e.g. 0801.32",
            )


@rule(
    code="OD004",
    name="hs-subheading-unknown",
    severity=WARNING,
    doctypes=OD,
    basis=common.BASIS_HS_EDITION + f"; an OD's codes are those the CE registered with its "
    f"member (Rule 2(4)(d), {GUIDEBOOK} FAQ 17), so the exporting member's edition applies "
    "(inferred, hence a warning)",
    effective_from=hs.HS2022_FROM,
)
def hs_subheading_unknown(od: OriginDeclaration, ctx: Context) -> Iterator[Problem]:
    """The first 6 digits of the HS code are not a subheading of the edition in force.

    The CE registers its products "HS in six digit or AHTN Code/s" in the AWSC database
    (Rule 2(4)(d)), and the codes on the OD must be "consistent with what registered" (FAQ 17):
    the exporting member's edition on the OD's date applies, from its own AHTN 2022 day; for
    members whose day is unknown nothing is checked. From 2028-01-01 (HS 2028, no list) a code
    outside HS 2022 is only an info.

    Fails (warning): ``<od:HSCode>1006.39</od:HSCode>`` on an OD from TH made out in 2025
    (1006.39 is no HS 2022 subheading)
    Passes: ``<od:HSCode>1006.30</od:HSCode>``
    """
    for item in od.items:
        found = common.tariff_code(item.hs_code)
        if found is None or not found[1] or len(found[0]) < 6:
            continue
        hit = common.hs_edition_problem(
            item.hs_code, found[0], ctx.export_country, ctx.effective_date
        )
        if hit is not None:
            yield hit


# ----- origin criteria (Attachment 1 item 2(iii)) -----

BASIS_CRITERIA = (
    f"{ATT1} 2(iii) ('Origin conferring criterion'); ATIGA Arts. 27 (WO), 28 (RVC, CTC, SP "
    f"and combinations), 30(2) (partial cumulation); {GUIDEBOOK} Annex 2, explanatory note 1 "
    "(how each is written)"
)


@rule(
    code="OD005",
    name="origin-criterion-invalid",
    severity=ERROR,
    doctypes=OD,
    basis=BASIS_CRITERIA + "; PE is on no ATIGA list (a warning)",
)
def origin_criterion_invalid(od: OriginDeclaration, ctx: Context) -> Iterator[Problem]:
    """The origin criterion is none of the ATIGA criteria, written as the explanatory note of
    the indicative format has them.

    Note 1 of the Guidebook's Annex 2: wholly obtained "WO" (Art. 27); for Art. 28 the
    "Percentage of Regional Value Content, example "40%"", "The actual CTC rule, example "CC" or
    "CTH" or "CTSH"", "SP", "The actual combination criterion, example "CTSH+35%""; partial
    cumulation (Art. 30(2)) ""PC x%", where x would be the percentage of Regional Value Content
    of less than 40%". The same grammar as Form D box 8 (``RVC 40%`` is accepted); a typing
    slip that does not change the criterion is OD006's warning. ``PE`` (produced entirely from
    originating materials, a legacy entry of other forms) is a warning.

    Fails: ``<od:OriginCriterion>RVC</od:OriginCriterion>`` (no percentage);
    ``<od:OriginCriterion>-do-</od:OriginCriterion>``
    Passes: ``<od:OriginCriterion>CTSH+35%</od:OriginCriterion>``
    """
    for item in od.items:
        loc = item.criterion
        if not loc.usable:
            continue
        found = criteria.read(loc.text)[0]
        if found is None:
            yield problem(
                "Origin criterion {value!r} of item {n} is not an ATIGA origin conferring"
                " criterion",
                loc,
                n=_n(item.number),
                expected=CRITERIA_NOTE,
            )
        elif found.legacy:
            yield problem(
                "Origin criterion 'PE' of item {n} is not among the ATIGA criteria of the"
                " indicative format's note",
                loc,
                n=_n(item.number),
                expected="the criterion actually met, e.g. CTH or 40%",
                severity=WARNING,
            )


@rule(
    code="OD006",
    name="origin-criterion-spelling",
    severity=WARNING,
    doctypes=OD,
    basis=f"{OCP} 16(1) ('minor discrepancies, such as typographical errors ... shall not "
    "ipso facto invalidate the document') and the SC-AROO minor-discrepancy matrix (2021), "
    "item 1",
)
def origin_criterion_spelling(od: OriginDeclaration, ctx: Context) -> Iterator[Problem]:
    """The origin criterion has a typing slip that does not change it (a minor discrepancy).

    ``RVC 40`` (no percent sign), ``RVC(40%)``, ``RVC: 45%``, ``40 %`` name a valid criterion:
    the declaration stays valid (Rule 16(1)), but should be written as the note has it.

    Fails (warning): ``<od:OriginCriterion>RVC: 45%</od:OriginCriterion>``
    Passes: ``<od:OriginCriterion>45%</od:OriginCriterion>``
    """
    yield from common.criterion_spelling(
        od.items, "as the indicative format's note writes it, e.g. 45% or CTSH+35%"
    )


@rule(
    code="OD007",
    name="partial-cumulation-below-20",
    severity=ERROR,
    doctypes=OD,
    basis="ATIGA Art. 30(2) (partial cumulation of materials with a regional value content of "
    f"at least 20%); {GUIDEBOOK} Annex 2 note 1(c) ('PC x%', x less than 40)",
)
def partial_cumulation_below_20(od: OriginDeclaration, ctx: Context) -> Iterator[Problem]:
    """A ``PC x%`` criterion has x below 20: partial cumulation needs at least 20%.

    Fails: ``<od:OriginCriterion>PC 15%</od:OriginCriterion>``
    Passes: ``<od:OriginCriterion>PC 25%</od:OriginCriterion>``
    """
    yield from common.partial_cumulation_below_20(od.items)


@rule(
    code="OD008",
    name="rvc-below-40",
    severity=WARNING,
    doctypes=OD,
    basis="ATIGA Art. 28 (the general rule: a regional value content of at least 40%); a lower "
    "value only under a product-specific rule (Annex 3), hence a warning; "
    f"{GUIDEBOOK} Annex 2 note 1(b) ('Percentage of Regional Value Content, example \"40%\"')",
)
def rvc_below_40(od: OriginDeclaration, ctx: Context) -> Iterator[Problem]:
    """A standalone RVC criterion is below the general 40%.

    Only a product-specific rule allows less; the validator cannot tell, hence a warning.
    Combinations (``CTSH+35%``) are product-specific rules themselves and are not judged.

    Fails (warning): ``<od:OriginCriterion>35%</od:OriginCriterion>``
    Passes: ``<od:OriginCriterion>40%</od:OriginCriterion>``;
    ``<od:OriginCriterion>CTSH+35%</od:OriginCriterion>``
    """
    yield from common.rvc_below_40(od.items)


# ----- FOB (Attachment 1 item 2(v), Rule 25) -----


@rule(
    code="OD009",
    name="fob-missing",
    severity=ERROR,
    doctypes=OD,
    countries=("ID", "KH", "LA"),
    effective_from=common.AWSC_FROM,
    basis=f"{ATT1} 2(v) ('FOB price when the regional value content origin criterion is used'); "
    f"{OCP} 25 (a proof of origin 'shall only reflect the FOB Price, as required by the Member "
    "States listed in the paragraph relating to the FOB Price in the Overleaf Notes of the "
    "Certificate of Origin (Form D)'): ATIGA Annex 7 Note 10 (KH, ID, LA), with the periods of "
    "FD003; VN Customs letter 6389/TCHQ-GSQL (2020-09-30) applies the same to self-certified "
    "proofs",
)
def fob_missing(od: OriginDeclaration, ctx: Context) -> Iterator[Problem]:
    """An item whose criterion uses a regional value content has no FOB price, on a route
    where the Form D overleaf asks for one.

    Attachment 1 item 2(v) asks for the "FOB price when the regional value content origin
    criterion is used", and Rule 25 limits it: "the Proof of Origin and the back-to-back Proof
    of Origin shall only reflect the FOB Price, as required by the Member States listed in the
    paragraph relating to the FOB Price in the Overleaf Notes of the Certificate of Origin
    (Form D)". That paragraph (Annex 7 Note 10) names Cambodia, Indonesia and Lao PDR, for
    goods exported from or imported by them; Viet Nam Customs reads it the same way for
    self-certified proofs (letter 6389/TCHQ-GSQL, as reported by Customs News, 2020). From
    2020-09-20 only: a declaration dated before is a pilot's (OD011), made under the pilots'
    own rules, not Rule 25.
    Rule 11(2)(b)'s intermediate FOB on a back-to-back OD is subject to Rule 25 too
    ("notwithstanding Rule 11(b)"). Viet Nam's back-to-back relief for Form D (FD003) is not
    applied: it concerns Form D.

    Fails: an item ``<od:OriginCriterion>45%</od:OriginCriterion>`` without FOBValue, from VN to
    KH, made out 2025-03-10
    Passes: the same with ``<od:FOBValue currencyID="USD">4800</od:FOBValue>``;
    ``<od:OriginCriterion>45%</od:OriginCriterion>`` from VN to TH without FOB
    """
    on = ctx.effective_date
    if on is None:
        return
    for item in od.items:
        required, why, inferred = fob_rule(
            common.item_criterion(item), on, ctx.export_country, ctx.import_country, False
        )
        if required and not item.fob.present:
            yield problem(
                "Item {n} has no FOB price; period applied: {why}",
                item.fob,
                n=_n(item.number),
                why=why,
                expected="the FOB price (Attachment 1 item 2(v))",
                severity=WARNING if inferred else None,
            )


# ----- validity (Rule 14) and the pilot schemes -----


@rule(
    code="OD010",
    name="declaration-expired",
    severity=ERROR,
    doctypes=OD,
    basis=f"{OCP} 14(a) ('valid for a period of twelve (12) months ... from the date of "
    "issuance or, in the case of the Origin Declaration, making out'); 12B(5) (the document's "
    "date is the OD's issuance date)",
)
def declaration_expired(od: OriginDeclaration, ctx: Context) -> Iterator[Problem]:
    """Presented (``--on-date``) later than 12 calendar months after the OD was made out.

    Rule 14(a): the proof "shall be valid for a period of twelve (12) months ... from the date
    of issuance or, in the case of the Origin Declaration, making out, and must be submitted to
    the customs authority of the importing Member State within that period". The date of
    making out is the carrying document's (Rule 12B(5)). Rule 14(b)-(c) let customs accept a
    late proof (force majeure, goods imported in time): the officer's decision, so the finding
    stands. Checked only when the presentation date is given.

    Fails: made out ``<od:CommercialDocument><!-- ... --><od:Date>2025-03-10</od:Date><!-- ... -->
    </od:CommercialDocument>``, presented with --on-date 2026-03-11
    Passes: made out ``<od:Date>2025-03-10</od:Date>``, presented with --on-date 2026-03-10
    """
    made, on = ctx.effective_date, ctx.presented_on
    if made is None or on is None:
        return
    last = common.valid_until(made)
    if on > last:
        yield problem(
            "Presented on {on}, after the 12 months of validity (made out {value}, valid to"
            " {last})",
            od.document_date,
            on=on,
            last=last,
            expected=f"presentation on or before {last.isoformat()}",
        )


AWSC_FROM = common.AWSC_FROM
#: Self-Certification Pilot Projects and the day each member joined (Guidebook §2.1 [C]).
#: SCPP1 began on 2010-11-01 (ASEAN Secretariat press release of 2010-10-29, the AWSC site
#: and the Secretariat's 2020 slides; the Guidebook's "1 November 2011" is taken as a slip).
PILOTS: dict[str, dict[str, dt.date]] = {
    "SCPP1": {
        "BN": dt.date(2010, 11, 1),
        "MY": dt.date(2010, 11, 1),
        "SG": dt.date(2010, 11, 1),
        "TH": dt.date(2011, 10, 28),
        "KH": dt.date(2015, 7, 7),
        "MM": dt.date(2016, 6, 1),
    },
    "SCPP2": {
        "ID": dt.date(2014, 1, 1),
        "LA": dt.date(2014, 1, 1),
        "PH": dt.date(2014, 1, 1),
        "VN": dt.date(2014, 12, 19),
        "TH": dt.date(2015, 5, 1),
    },
}


def _pilots(member: str | None, on: dt.date) -> list[str]:
    """The pilots ``member`` took part in on ``on``."""
    return [name for name, joined in PILOTS.items() if member in joined and joined[member] <= on]


def _pilot_text(member: str | None, on: dt.date) -> str:
    names = [
        T("{pilot} from {day}", pilot=n, day=PILOTS[n][member or ""]) for n in _pilots(member, on)
    ]
    return T("{member}: {pilots}", member=member or "?", pilots=words_list(names) or T("no pilot"))


@rule(
    code="OD011",
    name="made-out-before-awsc",
    severity=ERROR,
    doctypes=OD,
    countries=("KH", "LA", "MM", "TH", "VN"),
    effective_until=AWSC_FROM - dt.timedelta(days=1),
    basis=f"{GUIDEBOOK} §2.1 (the First Protocol to amend ATIGA 'entered into force on 20 "
    "September 2020. With the implementation of the AWSC, both SCPPs are subsequently "
    "terminated'; the pilots' members and dates) and FAQ 14 (declarations under SCPP1 and "
    "SCPP2 could be made out until 19 September 2020, valid one year); a pilot declaration "
    "between two members of the same pilot is a warning. SCPP1's start, 2010-11-01, is the "
    "ASEAN Secretariat's press release of 2010-10-29 (the Guidebook gives 1 November 2011)",
)
def made_out_before_awsc(od: OriginDeclaration, ctx: Context) -> Iterator[Problem]:
    """The OD is dated before AWSC began on 2020-09-20: it is no AWSC Origin Declaration.

    Guidebook §2.1: the First Protocol "was ratified by all 10 AMS and entered into force on 20
    September 2020. With the implementation of the AWSC, both SCPPs are subsequently
    terminated. CEs are now able to make out the Origin Declaration (OD) to all AMS." FAQ 14:
    "exporters are able to make out an OD under the SCPP1 until 19 September 2020 ... valid for
    one (1) year from the date of issuance", and the same for SCPP2 invoice declarations.
    Before 2020-09-20 self-certification existed only between members of the same pilot:
    SCPP1 (BN, MY, SG from 2010-11-01; TH 2011-10-28; KH 2015-07-07; MM 2016-06-01) and SCPP2
    (ID, LA, PH from 2014-01-01; VN 2014-12-19; TH 2015-05-01). When both members were in the
    same pilot on the date, this is a warning: the document may be that pilot's declaration,
    which this validator does not check; otherwise an error.

    Fails: an OD by a CE of ``<od:IssuingCountry>VN</od:IssuingCountry>`` to
    ``<od:ImportingCountry>KH</od:ImportingCountry>`` dated ``<od:Date>2020-09-15</od:Date>``
    (VN in SCPP2, KH in SCPP1)
    Passes: the same dated ``<od:Date>2020-09-20</od:Date>``; (warning) TH -> LA dated
    2020-09-15, both in SCPP2
    """
    on = ctx.effective_date
    if on is None or on >= AWSC_FROM:
        return
    exp, imp = ctx.export_country, ctx.import_country
    shared = sorted(set(_pilots(exp, on)) & set(_pilots(imp, on)))
    if shared:
        yield problem(
            "Made out on {value}, before AWSC began on 2020-09-20: {exp} and {imp} were both"
            " in {pilot}, so this may be that pilot's declaration (valid one year, Guidebook"
            " FAQ 14), not an AWSC Origin Declaration",
            od.document_date,
            exp=exp,
            imp=imp,
            pilot=words_and(shared),
            expected="an Origin Declaration made out from 2020-09-20",
            severity=WARNING,
        )
    else:
        yield problem(
            "Made out on {value}, before AWSC began on 2020-09-20, on a route no"
            " self-certification pilot covered then ({exp}; {imp})",
            od.document_date,
            exp=_pilot_text(exp, on),
            imp=_pilot_text(imp, on),
            expected="an Origin Declaration made out from 2020-09-20",
        )


# ----- back-to-back ODs (Rules 1(b), 11(2); Attachment 1 item 2(viii)) -----

BASIS_B2B = (
    f"{OCP} 1(b) ('a Proof of Origin issued by an intermediate exporting Member State based on "
    "the Proof of Origin issued by the first exporting Member State') and 11(2)(a) ('the said CE "
    "has a valid original Proof of Origin from the first exporting Member State')"
)


@rule(
    code="OD012",
    name="back-to-back-original-missing",
    severity=ERROR,
    doctypes=OD,
    basis=f"{ATT1} 2(viii) ('For the case of Back-to-back Origin Declaration, original Proof of "
    "Origin reference number, date of issuance, Country of Origin of the first exporting "
    f"country, and, if applicable, CE Authorisation Code of the first exporting country'); "
    f"{OCP} 11(2)(e)",
)
def back_to_back_original_missing(od: OriginDeclaration, ctx: Context) -> Iterator[Problem]:
    """A back-to-back OD lacks the original proof's reference, date or first exporting member,
    or, when the original is an OD, the first CE's code.

    Attachment 1 item 2(viii): "original Proof of Origin reference number, date of issuance,
    Country of Origin of the first exporting country, and, if applicable, CE Authorisation Code
    of the first exporting country"; Rule 11(2)(e): "Information on the back-to-back Origin
    Declaration includes the date of issuance and reference number of the original Proof of
    Origin". The first CE code applies when the original is itself an OD (``KindCode``).

    Fails: ``<od:BackToBack>true</od:BackToBack>`` without OriginalProofOfOrigin; an original
    ``<od:OriginalProofOfOrigin><od:KindCode>origin-declaration</od:KindCode><!-- ... -->
    </od:OriginalProofOfOrigin>`` without CertifiedExporterCode
    Passes: ``<od:OriginalProofOfOrigin><od:KindCode>origin-declaration</od:KindCode>
    <od:ReferenceNumber>...</od:ReferenceNumber><od:IssueDate>...</od:IssueDate>
    <od:FirstExportingCountry>...</od:FirstExportingCountry>
    <od:CertifiedExporterCode>...</od:CertifiedExporterCode></od:OriginalProofOfOrigin>``
    (the first CE code only for an original OD)
    """
    if not od.is_back_to_back:
        return
    if not od.original_proofs:
        where = f"{od.root.xpath}/{step_name(f'{{{NAMESPACE}}}OriginalProofOfOrigin')}"
        yield problem(
            "A back-to-back Origin Declaration without its original proof of origin",
            Located(None, where, od.back_to_back.line, present=False),
            expected="the original's reference number, date and first exporting country",
        )
        return
    for proof in od.original_proofs:
        wanted = [
            (T("reference number"), proof.reference),
            (T("date of issuance"), proof.issue_date),
            (T("first exporting country"), proof.first_country),
        ]
        if proof.kind.text == ORIGIN_DECLARATION:
            wanted.append(
                (T("CE authorisation code of the first exporting country"), proof.ce_code)
            )
        for what, loc in wanted:
            if loc.blank and not loc.schema_error:
                yield problem(
                    "Back-to-back: the original proof of origin has no {what}",
                    loc,
                    what=what,
                    expected="Attachment 1 item 2(viii) in full",
                )


@rule(
    code="OD013",
    name="back-to-back-not-marked",
    severity=WARNING,
    doctypes=OD,
    basis=f"{GUIDEBOOK} Annex 2 (a back-to-back OD has an indicative format of its own) and "
    f"{OCP} 11(2); that the mark is needed is inferred, hence a warning",
)
def back_to_back_not_marked(od: OriginDeclaration, ctx: Context) -> Iterator[Problem]:
    """The OD names an original proof of origin but is not marked back-to-back.

    An original proof belongs only on a back-to-back OD (Rule 11(2)(e): "Information on the
    back-to-back Origin Declaration includes the date of issuance and reference number of the
    original Proof of Origin"; Attachment 1 item 2(viii)), which the Guidebook gives a format
    of its own ("Indicative Format of Back-to-Back Origin Declaration"); the importing
    customs reads the mark first, and the back-to-back checks (OD012, OD014-OD017) run only
    on marked ODs.

    Fails (warning): ``<od:OriginalProofOfOrigin><!-- ... --></od:OriginalProofOfOrigin>``
    given, no BackToBack
    Passes: both given, ``<od:BackToBack>true</od:BackToBack>
    <od:OriginalProofOfOrigin><!-- ... --></od:OriginalProofOfOrigin>``, or neither
    """
    flag = od.back_to_back
    if od.original_proofs and not od.is_back_to_back and not flag.schema_error:
        first = od.original_proofs[0].node
        yield problem(
            "The declaration names an original proof of origin but is not marked back-to-back",
            Located(None, first.xpath, first.line),
            expected="<BackToBack>true</BackToBack>, or no original proof",
        )


B2B_WORDS = common.BackToBackWords(
    T("declaration"),
    T("made out"),
    T("the member that authorised the CE making out this back-to-back"),
)


def _firsts(od: OriginDeclaration) -> Iterator[Located]:
    return (p.first_country for p in od.original_proofs)


def _original_dates(od: OriginDeclaration) -> Iterator[Located]:
    return (p.issue_date for p in od.original_proofs)


@rule(
    code="OD014",
    name="back-to-back-same-member",
    severity=ERROR,
    doctypes=OD,
    basis=BASIS_B2B,
)
def back_to_back_same_member(od: OriginDeclaration, ctx: Context) -> Iterator[Problem]:
    """A back-to-back OD names as first exporting member the CE's own member.

    Rule 1(b): a back-to-back proof is issued "by an intermediate exporting Member State based
    on the Proof of Origin issued by the first exporting Member State": the two differ.

    Fails: a back-to-back OD of a Thai CE on an original with
    ``<od:FirstExportingCountry>TH</od:FirstExportingCountry>``
    Passes: the original's ``<od:FirstExportingCountry>MM</od:FirstExportingCountry>``
    """
    if od.is_back_to_back:
        yield from common.originals_of_same_member(od.issuing_country, _firsts(od), B2B_WORDS)


@rule(
    code="OD015",
    name="back-to-back-original-dated-after",
    severity=ERROR,
    doctypes=OD,
    basis=BASIS_B2B + " (the original exists when the back-to-back is made out)",
)
def back_to_back_original_dated_after(od: OriginDeclaration, ctx: Context) -> Iterator[Problem]:
    """The original proof is dated after the back-to-back OD made out on it.

    Rule 11(2)(a): the CE "has a valid original Proof of Origin" when making out the
    back-to-back; an original dated later did not exist then.

    Fails: a back-to-back made out ``<od:Date>2025-03-10</od:Date>`` on
    ``<od:OriginalProofOfOrigin><!-- ... --><od:IssueDate>2025-03-20</od:IssueDate><!-- ... -->
    </od:OriginalProofOfOrigin>``
    Passes: the original's ``<od:IssueDate>2025-02-20</od:IssueDate>``
    """
    made = ctx.effective_date
    if od.is_back_to_back and made is not None:
        yield from common.originals_dated_after(made, _original_dates(od), B2B_WORDS)


@rule(
    code="OD016",
    name="back-to-back-original-expired",
    severity=ERROR,
    doctypes=OD,
    basis=f"{OCP} 11(2)(a) ('a valid original Proof of Origin') and 14(a) (valid for twelve "
    "(12) months from issuance)",
)
def back_to_back_original_expired(od: OriginDeclaration, ctx: Context) -> Iterator[Problem]:
    """The original proof was past its 12 months when the back-to-back OD was made out.

    Rule 11(2)(a) asks for "a valid original Proof of Origin"; Rule 14(a) makes it valid for
    twelve calendar months: an original of 2024-02-29 is valid to 2025-02-28.

    Fails: a back-to-back made out ``<od:Date>2025-03-10</od:Date>`` on
    ``<od:OriginalProofOfOrigin><!-- ... --><od:IssueDate>2024-03-09</od:IssueDate><!-- ... -->
    </od:OriginalProofOfOrigin>``
    Passes: the original's ``<od:IssueDate>2024-03-10</od:IssueDate>``
    """
    made = ctx.effective_date
    if od.is_back_to_back and made is not None:
        yield from common.originals_expired(made, _original_dates(od), B2B_WORDS)


@rule(
    code="OD017",
    name="back-to-back-origin-country-mismatch",
    severity=WARNING,
    doctypes=OD,
    basis=f"{ATT1} 2(viii) and {GUIDEBOOK} Annex 2 (the back-to-back format's column 'Country of "
    f"Origin of the first exporting country'); {OCP} 1(b). A warning: in a chain of "
    "back-to-backs (A to B, B to C) the original's issuer is not the goods' origin, and the "
    "schema keeps only the original's first exporting member",
)
def back_to_back_origin_country_mismatch(od: OriginDeclaration, ctx: Context) -> Iterator[Problem]:
    """An item of a back-to-back OD gives another country of origin than the original's first
    exporting member.

    The goods keep the origin the original proof gave them: the back-to-back format's column is
    "Country of Origin of the first exporting country", not the intermediate member's. A
    warning, not an error: along a chain of back-to-backs the original named here may itself be
    a back-to-back, whose issuer is not the goods' origin.

    Fails (warning): a Thai CE's back-to-back on a Myanmar original, item
    ``<od:OriginCountry>TH</od:OriginCountry>``
    Passes: ``<od:OriginCountry>MM</od:OriginCountry>``
    """
    if not od.is_back_to_back:
        return
    originals = list(_firsts(od))
    for item in od.items:
        for loc, firsts in common.origins_not_original([item.origin_country], originals):
            yield problem(
                "Item {n} gives {value} as country of origin, but the original proof of origin"
                " comes from {firsts}: a back-to-back keeps the goods' country of origin",
                loc,
                n=_n(item.number),
                firsts=firsts,
                expected=firsts.replace(", ", " or "),
            )


# ----- parties and countries -----


@rule(
    code="OD018",
    name="exporter-outside-issuing-member",
    severity=ERROR,
    doctypes=OD,
    basis=f"{OCP} 1(d) ('Competent Authority means the Government authority of the exporting "
    "Member State designated to authorise CEs'), 12A(1) and 21(b) ('an Origin Declaration "
    "made out by a CE established in the exporting Member State')",
)
def exporter_outside_issuing_member(od: OriginDeclaration, ctx: Context) -> Iterator[Problem]:
    """The exporter's address is in another country than the member that authorised the CE.

    A CE is authorised by the Competent Authority "of the exporting Member State" (Rule 1(d))
    and is "established in the exporting Member State" (Rule 21(b)).

    Fails: a CE authorised in ``<od:IssuingCountry>VN</od:IssuingCountry>``, an exporter
    ``<od:Exporter><!-- ... --><od:Address><!-- ... --><od:CountryCode>TH</od:CountryCode>
    </od:Address></od:Exporter>``
    Passes: CE authorised in VN, the exporter's ``<od:CountryCode>VN</od:CountryCode>``
    """
    country, member = od.exporter.country, od.issuing_country
    if country.usable and member.usable and country.text != member.text:
        yield problem(
            "The exporter's address is in {value}, but its CE authorisation comes from {member}",
            country,
            member=member.text,
            expected=f"an exporter established in {member.text}",
        )


def _members(od: OriginDeclaration) -> Iterator[tuple[str, Located]]:
    yield T("CE's (exporting) member"), od.issuing_country
    yield T("importing member"), od.importing_country
    for item in od.items:
        yield T("country of origin of item {n}", n=_n(item.number)), item.origin_country


@rule(
    code="OD019",
    name="country-not-atiga-party",
    severity=ERROR,
    doctypes=OD,
    basis="ATIGA (2009) Member States: BN, KH, ID, LA, MY, MM, PH, SG, TH, VN; OCP Rule 13(1)(b) "
    f"(ODs are submitted to the customs of an importing Member State); {GUIDEBOOK} Annex 2 "
    "('ASEAN country of origin'). Timor-Leste, an ASEAN member since 2025-10-26 but no ATIGA "
    "party in any source, is information",
)
def country_not_atiga_party(od: OriginDeclaration, ctx: Context) -> Iterator[Problem]:
    """The CE's member, the importing member or a country of origin is not an ATIGA Member
    State.

    AWSC runs among the ten ATIGA members, and the goods are "originating goods under ATIGA
    (ASEAN country of origin: ...)" (Guidebook Annex 2). Codes that are not ISO 3166 are
    OD023's; Timor-Leste from its ASEAN admission is information only.

    Fails: ``<od:OriginCountry>CN</od:OriginCountry>``
    Passes: ``<od:OriginCountry>VN</od:OriginCountry>``
    """
    on = ctx.effective_date
    for role, loc in _members(od):
        code = loc.text
        if not loc.usable or not countries.is_iso_country(code):
            continue
        if countries.is_asw_party(code, on):
            continue
        asean = countries.is_asean_member(code, on)
        yield problem(
            (
                "The {role} {value} ({name}) is not an ATIGA Member State (an ASEAN member, but"
                " no ATIGA party)"
                if asean
                else "The {role} {value} ({name}) is not an ATIGA Member State"
            ),
            loc,
            role=role,
            name=countries.country_name(code),
            expected="one of " + ", ".join(sorted(countries.ASW_PARTIES)),
            severity=INFO if asean else None,
        )


@rule(
    code="OD020",
    name="origin-not-issuing-member",
    severity=WARNING,
    doctypes=OD,
    basis=f"{OCP} 1(b), 11(2) (goods of another member are re-exported on a back-to-back proof) "
    "and 21(b); inferred for ODs, hence a warning",
)
def origin_not_issuing_member(od: OriginDeclaration, ctx: Context) -> Iterator[Problem]:
    """An item of an OD that is not back-to-back originates in another member than the CE's.

    A CE declares the origin of goods it exports from its own member; goods that originate in
    another member and pass through are re-exported on a back-to-back OD, "a Proof of Origin
    issued by an intermediate exporting Member State based on the Proof of Origin issued by the
    first exporting Member State" (Rules 1(b), 11(2)). Goods of a non-member are OD019's.

    Fails (warning): a Vietnamese CE's OD, not back-to-back, item
    ``<od:OriginCountry>TH</od:OriginCountry>``
    Passes: item ``<od:OriginCountry>VN</od:OriginCountry>``; or a back-to-back OD on a Thai
    original
    """
    member = od.issuing_country
    if od.is_back_to_back or od.original_proofs or not member.usable:
        return  # original proof data without the mark is OD013's
    for item in od.items:
        loc = item.origin_country
        if (
            loc.usable
            and loc.text != member.text
            and countries.is_asw_party(loc.text, ctx.effective_date)
        ):
            yield problem(
                "Item {n} originates in {value}, but the CE is authorised in {member} and the"
                " declaration is not back-to-back",
                loc,
                n=_n(item.number),
                member=member.text,
                expected=f"{member.text}, or a back-to-back declaration",
            )


# ----- the carrying document (Rules 12B(2), 23(3)) -----


@rule(
    code="OD021",
    name="carrier-document-not-allowed",
    severity=ERROR,
    doctypes=OD,
    basis=f"{OCP} 12B(2) ('Origin Declarations should be made out on the commercial invoice. "
    "However, if ... [it] cannot be made out on the commercial invoice at the time of "
    "exportation, it may be made out on any of the following commercial documents: billing "
    "statement, delivery order or packing list')",
)
def carrier_document_not_allowed(od: OriginDeclaration, ctx: Context) -> Iterator[Problem]:
    """The OD is made out on a document Rule 12B(2) does not name (e.g. a bill of lading).

    Rule 12B(2) lists the commercial invoice and, when the OD cannot be made out on it, a
    "billing statement, delivery order or packing list". Some national pages add the bill of
    lading; the OCP does not.

    Fails: ``<od:TypeCode>bill-of-lading</od:TypeCode>``
    Passes: ``<od:TypeCode>commercial-invoice</od:TypeCode>``
    """
    loc = od.document_type
    if loc.usable and loc.text not in CARRIERS:
        yield problem(
            "The declaration is made out on a {value!r}, which OCP Rule 12B(2) does not name",
            loc,
            expected=", ".join(CARRIERS),
        )


@rule(
    code="OD022",
    name="commercial-invoice-not-referenced",
    severity=WARNING,
    doctypes=OD,
    basis=f"{OCP} 12B(2) ('... will be accepted at the time of importation if submitted together "
    f"with the commercial invoice') and 23(3) (third-country invoicing); {GUIDEBOOK} FAQ 9-10; "
    "the invoice may travel separately, hence a warning",
)
def commercial_invoice_not_referenced(od: OriginDeclaration, ctx: Context) -> Iterator[Problem]:
    """An OD on a billing statement, delivery order or packing list names no commercial invoice,
    and the case is not third-country invoicing.

    Such an OD "will be accepted at the time of importation if submitted together with the
    commercial invoice" (Rule 12B(2)); under third-country invoicing the CE may use these
    documents because the invoice is another company's (Rule 23(3)). Without the invoice's
    number the importing customs cannot match the two.

    Fails (warning): ``<od:TypeCode>packing-list</od:TypeCode>`` without CommercialInvoice or
    InvoicingCompany
    Passes: a packing list naming ``<od:CommercialInvoice><od:Number>...</od:Number><!-- ... -->
    </od:CommercialInvoice>``
    """
    kind = od.document_type
    if not kind.usable or kind.text not in CARRIERS[1:] or od.invoicing_company.present:
        return
    if od.invoice_number.blank and not od.invoice_number.schema_error:
        yield problem(
            "The declaration is made out on a {value}, but names no commercial invoice to be"
            " submitted with it",
            kind,
            expected="CommercialInvoice/Number (and Date), or third-country invoicing",
        )


# ----- codes, dates -----


def _country_codes(od: OriginDeclaration) -> Iterator[tuple[str, Located]]:
    yield from _members(od)
    yield T("exporter's country"), od.exporter.country
    yield T("consignee's country"), od.consignee.country
    yield T("invoicing company's country"), od.invoicing_company_country
    for proof in od.original_proofs:
        yield T("original proof's first exporting country"), proof.first_country


@rule(
    code="OD023",
    name="country-code-unknown",
    severity=ERROR,
    doctypes=OD,
    basis=f"ISO 3166-1 alpha-2 country codes, for the countries the OD names: {ATT1} 2(iv) "
    "('Country of Origin') and 2(viii) ('Country of Origin of the first exporting country'), "
    f"the CE's member ({OCP} 1(d)) and the importing member (13(1)(b))",
)
def country_code_unknown(od: OriginDeclaration, ctx: Context) -> Iterator[Problem]:
    """A country code is not an assigned ISO 3166-1 alpha-2 code.

    Fails: ``<od:OriginCountry>UK</od:OriginCountry>``
    Passes: ``<od:OriginCountry>GB</od:OriginCountry>``
    """
    yield from common.country_codes_unknown(_country_codes(od))


@rule(
    code="OD024",
    name="currency-code-unknown",
    severity=ERROR,
    doctypes=OD,
    basis=f"ISO 4217 currency codes ({ATT1} 2(v), the FOB price)",
)
def currency_code_unknown(od: OriginDeclaration, ctx: Context) -> Iterator[Problem]:
    """The FOB price's currency is not an ISO 4217 code.

    Fails: ``<od:FOBValue currencyID="USS">...</od:FOBValue>``
    Passes: ``<od:FOBValue currencyID="USD">...</od:FOBValue>``
    """
    yield from common.fob_currencies_unknown(od.items)


@rule(
    code="OD025",
    name="unit-code-not-rec20",
    severity=WARNING,
    doctypes=OD,
    basis=f"UN/ECE Recommendation 20, codes for units of measure (rev. 17, 2021), the code list "
    f"this schema gives units in; {ATT1} 2(vi) asks only for the 'Quantity of goods' and the "
    "OCP sets no unit list (an OD is written on a commercial invoice, where PCS is common): a "
    "warning",
)
def unit_code_not_rec20(od: OriginDeclaration, ctx: Context) -> Iterator[Problem]:
    """The unit of a quantity is not a UN/ECE Recommendation 20 code, or a deleted one.

    Fails (warning): ``<od:Quantity unitCode="PCS">...</od:Quantity>`` (not Rec 20; a piece is
    H87); ``<od:Quantity unitCode="KG">...</od:Quantity>`` (deleted: "keg")
    Passes: ``<od:Quantity unitCode="KGM">...</od:Quantity>``
    """
    for item in od.items:
        loc = item.quantity_unit
        if not loc.usable:
            continue
        found = units.unit(loc.text)
        if found is None or found.deleted:
            yield problem(
                (
                    "Unit {value!r} of item {n} is not a UN/ECE Recommendation 20 code"
                    if found is None
                    else "Unit {value!r} of item {n} is a code deleted from UN/ECE"
                    " Recommendation 20 ({name})"
                ),
                loc,
                n=_n(item.number),
                name=found.name if found is not None else None,
                expected="a current UN/ECE Rec 20 common code, e.g. KGM, TNE, H87",
            )


def _dates(od: OriginDeclaration) -> Iterator[tuple[str, Located]]:
    yield T("date of the commercial document"), od.document_date
    yield T("commercial invoice's date"), od.invoice_date
    yield T("date of signing"), od.signature_date
    for proof in od.original_proofs:
        yield T("original proof's date of issuance"), proof.issue_date


@rule(
    code="OD026",
    name="date-out-of-range",
    severity=ERROR,
    doctypes=OD,
    basis=f"{OCP} 12B(5) ('The date of the document containing the Origin Declaration shall be "
    "considered as the issuance date') and 14(a) (twelve months from making out) need a "
    "calendar date; XSD dates allow years such as 12025 that no declaration can carry (years "
    "1900-2099 accepted)",
)
def date_out_of_range(od: OriginDeclaration, ctx: Context) -> Iterator[Problem]:
    """A date has a year outside 1900-2099, which would switch every dated rule off.

    Fails: ``<od:Date>12025-03-10</od:Date>``
    Passes: ``<od:Date>2025-03-10</od:Date>``
    """
    yield from common.dates_out_of_range(_dates(od))


@rule(
    code="OD027",
    name="made-out-in-future",
    severity=ERROR,
    doctypes=OD,
    basis=f"{OCP} 12B(5) (the document's date is the OD's issuance date): a declaration cannot "
    "be made out after today",
)
def made_out_in_future(od: OriginDeclaration, ctx: Context) -> Iterator[Problem]:
    """The OD's date (its document's date) is after today (a day ahead is allowed: the date is
    the exporter's, whose day may have begun before the validator's).

    Fails: made out ``<od:CommercialDocument><!-- ... --><od:Date>2099-01-01</od:Date><!-- ... -->
    </od:CommercialDocument>``
    Passes: made out ``<od:Date>2025-03-10</od:Date>``
    """
    made = ctx.effective_date
    if made is not None and common.after_today(made, ctx.today):
        yield problem(
            "The declaration is dated {value}, after today ({today})",
            od.document_date,
            today=Day.of(ctx.today),
            expected=f"on or before {ctx.today.isoformat()}",
        )


@rule(
    code="OD028",
    name="same-export-import-country",
    severity=ERROR,
    doctypes=OD,
    basis="ATIGA Art. 3 (preferential treatment on goods traded between Member States); OCP "
    "Rule 13(1)(b) (the OD is submitted at import into another member)",
)
def same_export_import_country(od: OriginDeclaration, ctx: Context) -> Iterator[Problem]:
    """The CE's member and the importing member are the same.

    Rule 13(1)(b): the importer submits "an Origin Declaration made out by a CE" to the
    customs of "the importing Member State", another member than the CE's.

    Fails: CE authorised in VN, ``<od:ImportingCountry>VN</od:ImportingCountry>``
    Passes: ``<od:ImportingCountry>KH</od:ImportingCountry>``
    """
    exp, imp = od.issuing_country, od.importing_country
    if exp.usable and imp.usable and exp.text == imp.text:
        yield problem(
            "The CE's member and the importing member are both {value}; an Origin"
            " Declaration covers goods traded between two Member States",
            imp,
            expected="an importing member other than the CE's",
        )
