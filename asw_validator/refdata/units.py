"""UN/ECE Recommendation 20 units of measure (complete list, shipped as rec20_units.tsv)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


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
    text = resources.files(__package__).joinpath("rec20_units.tsv").read_text("utf-8")
    out: dict[str, Unit] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        code, status, name = line.split("\t")
        out[code] = Unit(code, status, name)
    return out


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
