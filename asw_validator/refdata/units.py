"""UN/ECE Recommendation 20 units of measure (complete list, shipped as rec20_units.tsv)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

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
REC19_TRANSPORT_MODES: dict[str, str] = {
    "0": "transport mode not specified",
    "1": "maritime transport",
    "2": "rail transport",
    "3": "road transport",
    "4": "air transport",
    "5": "mail",
    "6": "multimodal transport",
    "7": "fixed transport installation",
    "8": "inland water transport",
    "9": "transport mode not applicable",
}
