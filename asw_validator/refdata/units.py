"""UN/ECE Recommendation 20 units of measure (complete list, shipped as rec20_units.tsv)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from ..i18n import T
from . import tsv_rows


@dataclass(frozen=True)
class Unit:
    code: str
    status: str  # "" active, "D" deprecated, "X" deleted
    name: str

    @property
    def deleted(self) -> bool:
        return self.status == "X"


@lru_cache(maxsize=1)
def rec20() -> dict[str, Unit]:
    return {code: Unit(code, status, name) for code, status, name in tsv_rows("rec20_units.tsv")}


def unit(code: str) -> Unit | None:
    return rec20().get(code)


#: UN/ECE Recommendation 19, codes for modes of transport (shared/reference/README.md).
REC19_TRANSPORT_MODES: dict[str, T] = {
    "0": T("transport mode not specified"),
    "1": T("maritime transport"),
    "2": T("rail transport"),
    "3": T("road transport"),
    "4": T("air transport"),
    "5": T("mail"),
    "6": T("multimodal transport"),
    "7": T("fixed transport installation"),
    "8": T("inland water transport"),
    "9": T("transport mode not applicable"),
}


@lru_cache(maxsize=1)
def _dimensions() -> dict[str, Decimal | None]:
    """Units whose Rec 20 conversion factor states their quantity: kilograms per unit for a
    mass, None for any other quantity (rec20_mass.tsv, derived by tools/derive_rec20_mass.py)."""
    return {
        code: Decimal(kg) if kind == "mass" else None
        for code, kind, kg in tsv_rows("rec20_mass.tsv")
    }


def kilograms(code: str) -> Decimal | None:
    """Kilograms per unit of a mass unit (``TNE`` -> 1000), else None."""
    return _dimensions().get(code)


def is_mass(code: str) -> bool:
    return kilograms(code) is not None


def is_not_mass(code: str) -> bool:
    """True for a unit whose conversion factor makes it another quantity (``MTR``, ``LTR``);
    False for masses and for units whose quantity Rec 20 does not state."""
    dims = _dimensions()
    return code in dims and dims[code] is None
