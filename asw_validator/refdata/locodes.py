"""UN/LOCODE entries of the ASEAN countries (shipped as locodes.tsv, see tools/derive_locodes.py).

Only these countries are listed, so "not in the list" means something only for them:
``covers(country)`` says whether a country's codes are all here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..i18n import T, words_list
from . import tsv_rows

#: Recommendation 16: 2-letter ISO country + 3 letters or digits 2-9.
LOCODE = re.compile(r"^([A-Z]{2})([A-Z2-9]{3})$")

FUNCTIONS = {
    "1": T("port"),
    "2": T("rail terminal"),
    "3": T("road terminal"),
    "4": T("airport"),
    "5": T("postal exchange office"),
    "6": T("multimodal/ICD"),
    "7": T("fixed transport installation"),
    "B": T("border crossing"),
    "0": T("function not known"),
}


@dataclass(frozen=True)
class Location:
    code: str
    functions: str  # e.g. "134"; "0" when the function is not known
    name: str

    def describe_functions(self) -> str:
        return words_list([FUNCTIONS[f] for f in self.functions]) or T("no function given")


@lru_cache(maxsize=1)
def table() -> dict[str, Location]:
    return {code: Location(code, fn, name) for code, fn, name in tsv_rows("locodes.tsv")}


@lru_cache(maxsize=1)
def countries() -> frozenset[str]:
    return frozenset(code[:2] for code in table())


def covers(country: str) -> bool:
    """True when the shipped list holds every LOCODE of ``country``."""
    return country in countries()


def get(code: str) -> Location | None:
    return table().get(code)
