"""Myanmar pack (``MM`` codes).

Facts: domain.md §5.1, §5.7, and S13 (MITI Malaysia slides) for the early e-Form D ports.
Myanmar's FOB rule before 2016-04-01 lives in the e-Form D family (FD003, tagged MM).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Iterator
from functools import cache
from typing import Any

from ...binding.base import Located
from ...binding.eformd import FormD
from ...binding.ephyto import PhytoCertificate
from ...context import Context
from ...i18n import T
from ...model import Severity
from ..base import Family, Problem, problem
from .common import PARTY_DOCTYPES, check_ids

PACK = Family("mm", "1.2.0", country="MM")
rule = PACK.rule

_SEPARATORS = re.compile(r"[\s\-./]")
_AN20 = re.compile(r"^[A-Za-z0-9]{1,20}$")


def _tin_reason(value: str) -> str | None:
    compact = _SEPARATORS.sub("", value)
    if _AN20.match(compact):
        return None
    others = sorted({c for c in compact if not _AN20.match(c)})
    if others:
        return T(
            "it contains {signs!r}; expected letters A-Z and digits 0-9", signs="".join(others)
        )
    return T("it has {n} letters and digits; expected at most 20", n=len(compact))


@rule(
    code="MM001",
    name="tin-format-unusual",
    severity=Severity.WARNING,
    doctypes=PARTY_DOCTYPES,
    role="any",
    basis="Myanmar TIN, issued by the Internal Revenue Department under the Tax "
    "Administration Law 2019: format and check digit not published; treated as up to 20 "
    "letters and digits (an..20), not confirmed, hence a warning",
)
def tin_format_unusual(doc: Any, ctx: Context) -> Iterator[Problem]:
    """The TIN of a Myanmar party is longer than 20 letters and digits or has other signs.

    Fails (warning): a Myanmar consignee with
    ``<fd:Consignee><fd:Name>Yangon Rice Co.</fd:Name><fd:ID>IRD#2020*0001</fd:ID><!-- ... -->
    </fd:Consignee>``
    Passes: ``<fd:Consignee><fd:Name>Yangon Rice Co.</fd:Name><fd:ID>MM-104857203</fd:ID>
    <!-- ... --></fd:Consignee>``
    """
    yield from check_ids(doc, "MM", T("TIN"), _tin_reason, "up to 20 letters and digits")


#: The only ports where Myanmar accepted e-Form D when it joined the exchange.
EARLY_PORTS = {"MMRGN": "Yangon", "MMTLA": "Thilawa"}


@rule(
    code="MM002",
    name="eformd-port-not-yet-accepted",
    severity=Severity.INFO,
    doctypes=("eformd",),
    role="importer",
    effective_from=dt.date(2019, 1, 1),
    effective_until=dt.date(2020, 12, 31),
    basis="MITI Malaysia, ASW slides: when Myanmar joined the e-Form D exchange (2019-2020) "
    "it accepted e-Form D only at Yangon and Thilawa ports",
)
def eformd_port_not_yet_accepted(doc: FormD, ctx: Context) -> Iterator[Problem]:
    """An e-Form D to Myanmar issued in 2019-2020 names a port other than Yangon or Thilawa.

    Period: issue dates 2019-01-01 to 2020-12-31. Checked when box 3 gives the port of
    discharge as a UN/LOCODE.

    Fails (info): to MM, issued 2020-06-01,
    ``<fd:PortOfDischarge><fd:ID>MMMWD</fd:ID></fd:PortOfDischarge>`` (Myawadi)
    Passes: the same with ``<fd:PortOfDischarge><fd:ID>MMTLA</fd:ID></fd:PortOfDischarge>``; or
    issued 2021-01-04
    """
    loc = doc.port_of_discharge_id
    if loc.usable and loc.text not in EARLY_PORTS:
        yield problem(
            "Port of discharge {value}: in 2019-2020 Myanmar accepted e-Form D only at"
            " Yangon (MMRGN) and Thilawa (MMTLA); period applied: 2019-01-01 to 2020-12-31",
            loc,
            expected="MMRGN or MMTLA",
        )


#: Zawgyi above this probability (Google's detector gives a calibrated probability; its
#: documentation takes 0.95 as the threshold for a confident call).
ZAWGYI_THRESHOLD = 0.95
_MYANMAR = re.compile("[\u1000-\u109f]")


@cache
def _detector() -> Any:
    """Google's trained Zawgyi detector (myanmartools), loaded on first use. Its last release
    (2020) reads its model with an importlib API Python 3.11 deprecates: that one warning is
    silenced here, and only here."""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", category=DeprecationWarning, message=r"open_binary is deprecated"
        )
        from myanmartools import ZawgyiDetector

        return ZawgyiDetector()


def _zawgyi(text: str) -> float:
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", category=DeprecationWarning, message=r"open_binary is deprecated"
        )
        return float(_detector().get_zawgyi_probability(text))


def _party_texts(doc: Any) -> Iterator[tuple[T, Located]]:
    """The names and addresses a document gives, by whose they are."""
    if isinstance(doc, PhytoCertificate):
        yield T("consignor's name"), doc.consignor_name
        yield T("consignee's name"), doc.consignee_name
        return
    for label, party in (
        (T("exporter's"), getattr(doc, "exporter", None)),
        (T("consignee's"), getattr(doc, "consignee", None)),
        (T("declarant's"), getattr(doc, "declarant", None)),
    ):
        if party is None:
            continue
        yield T("{whose} name", whose=label), party.name
        lines = getattr(party, "address_lines", None) or (getattr(party, "address_line", None),)
        for line in lines:
            if line is not None:
                yield T("{whose} address", whose=label), line
        yield T("{whose} city", whose=label), party.city


@rule(
    code="MM003",
    name="myanmar-text-zawgyi",
    severity=Severity.WARNING,
    doctypes=(*PARTY_DOCTYPES, "ephyto"),
    role="any",
    basis="The Unicode Standard, Myanmar block (U+1000-U+109F): Myanmar text is exchanged in "
    "Unicode; Zawgyi, a font encoding that reuses those code points for other letters, shows "
    "garbled at a Unicode receiver. Detected with Google's trained detector (myanmartools), "
    "probability above 0.95; a probability, hence a warning",
)
def myanmar_text_zawgyi(doc: Any, ctx: Context) -> Iterator[Problem]:
    """A name or address in Burmese is typed in the Zawgyi encoding, not Unicode: a receiver
    reading Unicode sees it garbled.

    Fails (warning): ``<acdd:Consignee><acdd:Name>ေရႊလမင္း ကုမၸဏီ</acdd:Name><!-- ... -->
    </acdd:Consignee>`` (Zawgyi)
    Passes: ``<acdd:Consignee><acdd:Name>ရွှေလမင်း ကုမ္ပဏီ</acdd:Name><!-- ... -->
    </acdd:Consignee>`` (Unicode)
    """
    for what, loc in _party_texts(doc):
        if not loc.usable or not _MYANMAR.search(loc.text):
            continue
        probability = _zawgyi(loc.text)
        if probability > ZAWGYI_THRESHOLD:
            yield problem(
                "The {what} {value!r} is Burmese typed in the Zawgyi encoding (probability"
                " {probability}), not Unicode: a receiver reading Unicode sees it garbled",
                loc,
                what=what,
                probability=f"{probability:.2f}",
                expected="the same text in Unicode Burmese",
            )
