"""ISO 3166-1 / ISO 4217 look-ups (pycountry) and the dated list of ASW parties."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import pycountry

from ..i18n import T

#: Agreement to Establish and Implement the ASEAN Single Window, Kuala Lumpur, 9 Dec 2005;
#: all ten ASEAN Member States are parties (domain.md §1.1, §5.8 [C]).
ASW_AGREEMENT = dt.date(2005, 12, 9)
ASW_PARTIES: dict[str, dt.date] = {
    code: ASW_AGREEMENT for code in ("BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN")
}
#: ASEAN members that are not (yet) ASW parties, with their ASEAN admission date.
#: Timor-Leste: admitted 2025-10-26 [I]; no source makes it an ATIGA/ASW party (domain.md §5.8).
ASEAN_NON_ASW: dict[str, dt.date] = {"TL": dt.date(2025, 10, 26)}

MEKONG = ("KH", "LA", "MM", "TH", "VN")


@lru_cache(maxsize=512)
def country_name(alpha2: str) -> str | None:
    """English short name of an ISO 3166-1 alpha-2 code, or None when it is not assigned."""
    if len(alpha2) != 2 or not alpha2.isalpha() or not alpha2.isupper():
        return None
    c = pycountry.countries.get(alpha_2=alpha2)
    return str(c.name) if c is not None else None


def is_iso_country(alpha2: str) -> bool:
    return country_name(alpha2) is not None


@lru_cache(maxsize=512)
def is_iso_currency(alpha3: str) -> bool:
    if len(alpha3) != 3 or not alpha3.isalpha() or not alpha3.isupper():
        return False
    return pycountry.currencies.get(alpha_3=alpha3) is not None


#: ISO 4217 X-codes that are not currencies an invoice can be in: no currency, testing,
#: precious metals, bond-market units, special drawing rights and other units of account
#: (ISO 4217 gives them codes beside the currencies; pycountry lists them as currencies).
NOT_CURRENCIES: dict[str, T] = {
    "XXX": T("no currency"),
    "XTS": T("reserved for testing"),
    "XAU": T("gold (one troy ounce)"),
    "XAG": T("silver (one troy ounce)"),
    "XPT": T("platinum (one troy ounce)"),
    "XPD": T("palladium (one troy ounce)"),
    "XBA": T("a bond-market unit (EURCO)"),
    "XBB": T("a bond-market unit (EMU-6)"),
    "XBC": T("a bond-market unit (EUA-9)"),
    "XBD": T("a bond-market unit (EUA-17)"),
    "XDR": T("special drawing rights (an IMF unit of account)"),
    "XSU": T("the sucre (an ALBA unit of account)"),
    "XUA": T("the ADB unit of account"),
}


def is_asean_member(alpha2: str, on: dt.date | None) -> bool:
    """True when ``alpha2`` is an ASEAN member on ``on`` (ASW parties count from the ASW
    Agreement; unknown date: membership today)."""
    since = ASW_PARTIES.get(alpha2) or ASEAN_NON_ASW.get(alpha2)
    if since is None:
        return False
    return on is None or on >= since


def is_asw_party(alpha2: str, on: dt.date | None) -> bool:
    """True when ``alpha2`` is an ASW party on ``on`` (unknown date: membership today)."""
    since = ASW_PARTIES.get(alpha2)
    if since is None:
        return False
    return on is None or on >= since
