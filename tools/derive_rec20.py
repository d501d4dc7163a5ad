"""Derive asw_validator/refdata/rec20_units.tsv from the shared UN/ECE Rec 20 reference file.

Usage: python tools/derive_rec20.py ../shared/reference/unece-rec20-units.csv > \
           asw_validator/refdata/rec20_units.tsv
A test re-runs ``derive`` on the reference and compares it with the shipped file.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

PROVENANCE = (
    "# UN/ECE Recommendation 20 units of measure (rev. 17, 2021), derived from "
    "shared/reference/unece-rec20-units.csv = uncefact/vocab-codes CLR/Rec20/current at afbf662"
)
HEADER = "# columns: code<TAB>status (empty active, D deprecated, X deleted)<TAB>name"


def derive(csv_path: Path) -> str:
    lines = [PROVENANCE, HEADER]
    with csv_path.open(encoding="utf-8", newline="") as fh:
        rows = sorted(csv.DictReader(fh), key=lambda r: r["CommonCode"])
    for row in rows:
        status = row["Status"].strip()
        status = status if status in ("D", "X") else ""
        name = " ".join(row["Name"].split())
        lines.append(f"{row['CommonCode'].strip()}\t{status}\t{name}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(derive(Path(sys.argv[1])))
