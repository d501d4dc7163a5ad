"""Derive asw_validator/refdata/locodes.tsv from the shared UN/LOCODE reference files.

Usage: python tools/derive_locodes.py ../shared/reference/unlocode > \
           asw_validator/refdata/locodes.tsv
One row per LOCODE of the ASEAN countries and Timor-Leste. A code listed twice (Poipet
appears under both spellings of its name) keeps its first name and the union of its
functions. Reference rows ("=", no code) are left out. A test re-runs ``derive`` on the
reference and compares it with the shipped file.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

PROVENANCE = (
    "# UN/LOCODE entries of the ASEAN countries and Timor-Leste, derived from "
    "shared/reference/unlocode/*.csv = uncefact/vocab-locode locodes/ at e845bd9 (2024-12)"
)
HEADER = (
    "# columns: locode<TAB>function (1 port, 2 rail, 3 road, 4 airport, 5 postal,"
    " 6 multimodal/ICD, 7 fixed, B border crossing; 0 unknown)<TAB>name"
)
FUNCTION_MARKS = "1234567B0"


def derive(directory: Path) -> str:
    names: dict[str, str] = {}
    functions: dict[str, set[str]] = {}
    for path in sorted(directory.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                change, country, place, _name, plain, _sub, function = row[:7]
                if change == "=" or not place.strip():
                    continue
                code = country.strip() + place.strip()
                names.setdefault(code, " ".join(plain.split()))
                functions.setdefault(code, set()).update(c for c in function if c != "-")
    lines = [PROVENANCE, HEADER]
    for code in sorted(names):
        marks = "".join(m for m in FUNCTION_MARKS if m in functions[code])
        lines.append(f"{code}\t{marks}\t{names[code]}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(derive(Path(sys.argv[1])))
