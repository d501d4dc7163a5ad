"""e-Form D Customs Response rules (``CR`` codes) over ``CustomsResponse``.

OCP Rule 30 (ATIGA Annex 8): the importing member answers an e-Form D with its utilisation or
rejection status; Rule 30(3) gives 60 days for a rejection (Rule 13, the paper form's, does
not apply to e-Form D: Rule 26(2)); box 4 and Note 9 of Annex 7
say a refusal states its reasons and marks the refused item.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..binding.base import Located, as_date
from ..binding.response import CustomsResponse
from ..context import Context
from ..i18n import Day, T
from ..model import Severity
from ..refdata import countries
from . import common
from .base import Family, Problem, problem

FAMILY = Family("eformd-response", "1.0.2")
rule = FAMILY.rule
CR = ("eformd-response",)
ERROR, WARNING = Severity.ERROR, Severity.WARNING
OCP = "ATIGA Annex 8 OCP Rule"
REJECTED, UTILISED, PARTIAL = "rejected", "utilised", "partially-utilised"


@rule(
    code="CR001",
    name="rejection-reason-missing",
    severity=ERROR,
    doctypes=CR,
    basis=f"{OCP} 30(2) and ATIGA Annex 7 box 4 ('Not Given (state reasons)')",
)
def rejection_reason_missing(resp: CustomsResponse, ctx: Context) -> Iterator[Problem]:
    """A rejection states no reason: the whole e-Form D, or a rejected item.

    A reason is a code or a text; the exporting member needs it to act (verify, re-issue).
    A reason given for the whole response covers its rejected items.

    Fails: ``<cr:Status>rejected</cr:Status>`` and no Reason
    Passes: ``<cr:Status>rejected</cr:Status><cr:Reason>
    <cr:Text>Origin criterion does not match the goods</cr:Text></cr:Reason>``
    """
    if resp.status.text == REJECTED and not any(r.stated for r in resp.reasons):
        has_item_reason = any(
            d.decision.text == REJECTED and any(r.stated for r in d.reasons) for d in resp.items
        )
        if not has_item_reason:
            yield problem(
                "The e-Form D is rejected but no reason is stated",
                resp.status,
                expected="a <Reason> with a code or a text",
            )
            return  # one finding for the response, not one more per rejected item
    if any(r.stated for r in resp.reasons):
        return  # a certificate-level reason covers the rejected items
    for d in resp.items:
        if d.decision.text == REJECTED and not any(r.stated for r in d.reasons):
            yield problem(
                (
                    "Rejected item {n} has no reason stated"
                    if d.item_number.usable
                    else "Rejected item has no reason stated"
                ),
                d.decision,
                n=d.item_number.text,
                expected="a <Reason> with a code or a text",
            )


@rule(
    code="CR002",
    name="rejected-item-unnumbered",
    severity=ERROR,
    doctypes=CR,
    basis="ATIGA Annex 7 Overleaf Note 9 (the refused item is identified) and " + OCP + " 30",
)
def rejected_item_unnumbered(resp: CustomsResponse, ctx: Context) -> Iterator[Problem]:
    """An item decision says "rejected" without naming the item number.

    Fails: ``<cr:ItemDecision><cr:Decision>rejected</cr:Decision></cr:ItemDecision>``
    Passes: ``<cr:ItemDecision><cr:ItemNumber>2</cr:ItemNumber><cr:Decision>rejected</cr:Decision>
    </cr:ItemDecision>``
    """
    for d in resp.items:
        if d.decision.text == REJECTED and d.item_number.blank and not d.item_number.schema_error:
            yield problem(
                "A rejected item decision does not name the item number",
                d.item_number,
                expected="the box-5 item number of the refused item",
            )


REJECTION_DAYS = 60


@rule(
    code="CR003",
    name="rejection-after-60-days",
    severity=WARNING,
    doctypes=CR,
    basis=f"{OCP} 30(3) (the importing member notifies a rejection within 60 days); Rule 13 "
    "(the paper Form D returned within 60 days) is excluded for e-Form D by Rule 26(2)",
)
def rejection_after_60_days(resp: CustomsResponse, ctx: Context) -> Iterator[Problem]:
    """A rejection is sent more than 60 days after the e-Form D was received.

    Only rejections (whole or partial) have the limit; a utilisation may come any time. Day 60
    is still in time.

    Fails (warning): ``<cr:ReceivedDate>2025-03-15</cr:ReceivedDate>
    <cr:ResponseDate>2025-05-15</cr:ResponseDate><cr:Status>rejected</cr:Status>`` (61 days)
    Passes: ``<cr:ReceivedDate>2025-03-15</cr:ReceivedDate>
    <cr:ResponseDate>2025-05-14</cr:ResponseDate><cr:Status>rejected</cr:Status>`` (60 days)
    """
    if resp.status.text not in (REJECTED, PARTIAL):
        return
    received, answered = as_date(resp.received_date), as_date(resp.response_date)
    if received is None or answered is None:
        return
    days = (answered - received).days
    if days > REJECTION_DAYS:
        yield problem(
            "Rejection sent {days} days after the e-Form D was received ({received});"
            " the limit is {limit} days",
            resp.response_date,
            days=days,
            received=received,
            limit=REJECTION_DAYS,
            expected=f"a rejection within {REJECTION_DAYS} days of receipt",
        )


@rule(
    code="CR004",
    name="status-contradicts-items",
    severity=ERROR,
    doctypes=CR,
    basis=f"{OCP} 30(2) (utilisation or rejection status of the e-Form D)",
)
def status_contradicts_items(resp: CustomsResponse, ctx: Context) -> Iterator[Problem]:
    """The overall status contradicts the item decisions.

    "utilised" with a rejected item, "rejected" with a utilised item, or "partially-utilised"
    without both a rejected item and a utilised one (a partial status needs to say which).

    Fails: ``<cr:Status>partially-utilised</cr:Status>`` with every
    ``<cr:ItemDecision><cr:ItemNumber>1</cr:ItemNumber><cr:Decision>utilised</cr:Decision>
    </cr:ItemDecision>``
    Passes: ``<cr:Status>partially-utilised</cr:Status>`` with
    ``<cr:ItemDecision><cr:ItemNumber>1</cr:ItemNumber><cr:Decision>utilised</cr:Decision>
    </cr:ItemDecision><cr:ItemDecision><cr:ItemNumber>2</cr:ItemNumber>
    <cr:Decision>rejected</cr:Decision></cr:ItemDecision>``
    """
    status = resp.status.text
    decisions = {d.decision.text for d in resp.items if d.decision.usable}
    if status == UTILISED and REJECTED in decisions:
        yield problem(
            "Status is 'utilised' but an item is rejected",
            resp.status,
            expected="partially-utilised",
        )
    elif status == REJECTED and UTILISED in decisions:
        yield problem(
            "Status is 'rejected' but an item is utilised",
            resp.status,
            expected="partially-utilised",
        )
    elif status == PARTIAL and decisions != {UTILISED, REJECTED}:
        yield problem(
            "Status is 'partially-utilised' but the item decisions do not name both a"
            " utilised and a rejected item",
            resp.status,
            expected="item decisions: at least one utilised and one rejected",
        )


@rule(
    code="CR005",
    name="response-before-receipt",
    severity=ERROR,
    doctypes=CR,
    basis=f"{OCP} 30 (the response answers a received e-Form D)",
)
def response_before_receipt(resp: CustomsResponse, ctx: Context) -> Iterator[Problem]:
    """The response date is before the date the e-Form D was received.

    Fails: ``<cr:ReceivedDate>2025-03-15</cr:ReceivedDate>
    <cr:ResponseDate>2025-03-14</cr:ResponseDate>``
    Passes: ``<cr:ReceivedDate>2025-03-15</cr:ReceivedDate>
    <cr:ResponseDate>2025-03-15</cr:ResponseDate>``
    """
    received, answered = as_date(resp.received_date), as_date(resp.response_date)
    if received is not None and answered is not None and answered < received:
        yield problem(
            "Response date {value} is before the e-Form D was received ({received})",
            resp.response_date,
            received=received,
            expected=f"on or after {received.isoformat()}",
        )


@rule(
    code="CR006",
    name="response-in-future",
    severity=ERROR,
    doctypes=CR,
    basis="asw-validator: a response cannot be dated after today",
)
def response_in_future(resp: CustomsResponse, ctx: Context) -> Iterator[Problem]:
    """The response date or the receipt date is after today (a day ahead is allowed: the date
    is the importing member's, whose day may have begun before the validator's).

    Fails: ``<cr:ResponseDate>2099-01-01</cr:ResponseDate>``
    Passes: ``<cr:ResponseDate>2025-04-02</cr:ResponseDate>``
    """
    for what, loc in (
        (T("response date"), resp.response_date),
        (T("receipt date"), resp.received_date),
    ):
        day = as_date(loc)
        if day is not None and common.after_today(day, ctx.today):
            yield problem(
                "The {what} {value} is after today ({today})",
                loc,
                what=what,
                today=Day.of(ctx.today),
                expected=f"on or before {ctx.today.isoformat()}",
            )


@rule(
    code="CR007",
    name="date-out-of-range",
    severity=ERROR,
    doctypes=CR,
    basis="asw-validator: dated rules need a calendar date; XSD dates allow years such as "
    "12025 that no response can carry (years 1900-2099 accepted)",
)
def date_out_of_range(resp: CustomsResponse, ctx: Context) -> Iterator[Problem]:
    """A date has a year outside 1900-2099, which would switch every dated rule off.

    Fails: ``<cr:ResponseDate>12025-04-02</cr:ResponseDate>``
    Passes: ``<cr:ResponseDate>2025-04-02</cr:ResponseDate>``
    """
    dates = ((T("receipt date"), resp.received_date), (T("response date"), resp.response_date))
    yield from common.dates_out_of_range(dates)


def _members(resp: CustomsResponse) -> Iterator[tuple[str, Located]]:
    yield T("e-Form D issuing country"), resp.eformd_issuing_country
    yield T("importing country"), resp.importing_country


@rule(
    code="CR008",
    name="country-not-asw-party",
    severity=ERROR,
    doctypes=CR,
    basis="Agreement to Establish and Implement the ASEAN Single Window (2005) and ATIGA: "
    "parties BN, KH, ID, LA, MY, MM, PH, SG, TH, VN; ISO 3166-1 alpha-2",
)
def country_not_asw_party(resp: CustomsResponse, ctx: Context) -> Iterator[Problem]:
    """The issuing or importing country is not an ASW party (or not an ISO 3166 code at all).

    Fails: ``<cr:ImportingCountry>CN</cr:ImportingCountry>``
    Passes: ``<cr:ImportingCountry>KH</cr:ImportingCountry>``
    """
    for role, loc in _members(resp):
        if loc.usable and not countries.is_asw_party(loc.text, ctx.effective_date):
            name = countries.country_name(loc.text)
            yield problem(
                "The {role} {value} ({name}) is not a party to the ASEAN Single Window",
                loc,
                role=role,
                name=name or T("not an ISO 3166-1 code"),
                expected="one of " + ", ".join(sorted(countries.ASW_PARTIES)),
            )


@rule(
    code="CR009",
    name="same-issuing-importing-country",
    severity=ERROR,
    doctypes=CR,
    basis=f"{OCP} 30 (the importing member answers the exporting member's e-Form D)",
)
def same_issuing_importing_country(resp: CustomsResponse, ctx: Context) -> Iterator[Problem]:
    """The e-Form D's issuing country and the responding importing country are the same.

    Fails: ``<cr:EFormDIssuingCountry>VN</cr:EFormDIssuingCountry>
    <cr:ImportingCountry>VN</cr:ImportingCountry>``
    Passes: ``<cr:EFormDIssuingCountry>VN</cr:EFormDIssuingCountry>
    <cr:ImportingCountry>KH</cr:ImportingCountry>``
    """
    exp, imp = resp.eformd_issuing_country, resp.importing_country
    if exp.usable and imp.usable and exp.text == imp.text:
        yield problem(
            "The e-Form D issuing country and the importing country are both {value}",
            imp,
            expected="an importing member other than the issuing member",
        )
