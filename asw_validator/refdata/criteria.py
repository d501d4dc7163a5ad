"""Origin criteria of ATIGA Form D box 8 (Annex 7 Overleaf Note 3; domain.md §3.2).

Entries: ``WO``; the CTC rule actually met (``CC``, ``CTH``, ``CTSH``); ``SP``; a Regional
Value Content percentage (``40%``, or ``RVC 40%`` as Singapore TradeNet writes it); the
actual combination (``CTSH + 35%``); and partial cumulation ``PC x%`` with x below 40.
``PE`` is not on the current overleaf: a legacy value, accepted with a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

CTC = frozenset({"CC", "CTH", "CTSH"})
_SINGLE = frozenset({"WO", "SP", *CTC})
_RVC = re.compile(r"^(?:RVC ?)?([0-9]{1,3}(?:\.[0-9]+)?)%$")
_PC = re.compile(r"^PC ?([0-9]{1,3}(?:\.[0-9]+)?)%$")
#: Partial cumulation applies below the 40% RVC threshold (ATIGA Art. 30(2)).
PC_BELOW = Decimal(40)
#: ... and from 20%: "PC x%" needs 20 <= x < 40 (ATIGA Art. 30(2); SG TradeNet, domain.md
#: §8.4 [C]).
PC_FROM = Decimal(20)
#: The general RVC threshold (ATIGA Art. 28); lower only under a product-specific rule.
RVC_GENERAL = Decimal(40)


@dataclass(frozen=True)
class Criterion:
    """A box-8 entry that follows the grammar."""

    terms: frozenset[str]  # CTC/SP/WO codes used
    rvc: Decimal | None = None  # the RVC percentage, alone or in a combination
    pc: Decimal | None = None  # partial cumulation percentage
    legacy: bool = False  # PE

    @property
    def uses_value(self) -> bool:
        """RVC or partial cumulation: the criteria for which FOB is stated (OCP Rule 25)."""
        return self.rvc is not None or self.pc is not None

    @property
    def has_ctc(self) -> bool:
        return bool(self.terms & CTC)


# Typing slips around a percentage: "RVC 40", "RVC(40%)", "RVC: 45%", "40 %".
_SLIPS = (
    (re.compile(r"[():]"), " "),
    (re.compile(r"\s+%"), "%"),
    (re.compile(r"^(RVC|PC)\s*"), r"\1 "),
    (re.compile(r"(?<![0-9.])([0-9]{1,3}(?:\.[0-9]+)?)(?![0-9.%])"), r"\1%"),
)


def read(entry: str) -> tuple[Criterion | None, bool]:
    """The criterion of a box-8 entry and whether it is a spelling variant of it.

    A variant (``RVC 40``, ``RVC(40%)``, ``RVC: 45%``, ``40 %``) names a valid criterion with a
    typing slip that does not change it: a minor discrepancy (OCP Rule 16; SC-AROO matrix,
    item 1), not an invalid entry. ``(None, False)`` for an entry that is no criterion.
    """
    strict = parse(entry)
    if strict is not None:
        return strict, False
    text = " ".join(entry.upper().split())
    for pattern, replacement in _SLIPS:
        text = pattern.sub(replacement, text)
    text = " ".join(text.split())
    text = re.sub(r"(RVC|PC) ([0-9])", r"\1 \2", text)
    found = parse(text)
    return (found, True) if found is not None else (None, False)


def _percent(text: str) -> Decimal | None:
    m = _RVC.match(text)
    return Decimal(m.group(1)) if m else None


def parse(entry: str) -> Criterion | None:
    """The criterion of a box-8 entry, or None when the entry breaks the grammar."""
    text = " ".join(entry.upper().split())
    if text == "PE":
        return Criterion(frozenset(), legacy=True)
    pc = _PC.match(text)
    if pc:
        value = Decimal(pc.group(1))
        return Criterion(frozenset(), pc=value) if 0 < value < PC_BELOW else None
    parts = [p.strip() for p in text.split("+")]
    if any(not p for p in parts):
        return None
    terms: set[str] = set()
    rvc: Decimal | None = None
    for part in parts:
        percent = _percent(part)
        if percent is not None:
            if rvc is not None or not 0 < percent <= 100:
                return None
            rvc = percent
        elif part in _SINGLE and part not in terms:
            terms.add(part)
        else:
            return None
    if "WO" in terms and len(parts) > 1:  # wholly obtained combines with nothing
        return None
    return Criterion(frozenset(terms), rvc=rvc)
