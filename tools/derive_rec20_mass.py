"""Derive asw_validator/refdata/rec20_mass.tsv: which UN/ECE Rec 20 units measure mass.

Usage: python tools/derive_rec20_mass.py ../shared/reference/unece-rec20-units.csv > \
           asw_validator/refdata/rec20_mass.tsv

A unit's conversion factor (column ConversionFactor) says what it is: a number followed by
``kg``, ``g`` or ``mg`` alone is a mass, and its factor to kilograms is written out; any other
factor (``m``, ``10⁻³ m³``, ``kg/m³``, ``kg x m``) is another quantity. Units without a factor
(``58`` net kilogram, ``E4`` gross kilogram, ...) are left out: their dimension is not stated,
so no rule calls them "not a mass". A test re-derives the file from the reference.
"""

from __future__ import annotations

import csv
import re
import sys
from decimal import Decimal
from pathlib import Path

PROVENANCE = (
    "# UN/ECE Recommendation 20 (rev. 17, 2021): units by their conversion factor, derived "
    "from shared/reference/unece-rec20-units.csv = uncefact/vocab-codes CLR/Rec20/current at "
    "afbf662 by tools/derive_rec20_mass.py"
)
HEADER = "# columns: code<TAB>kind (mass, other)<TAB>kilograms per unit (mass only)"

_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_MASS = {"kg": Decimal(1), "g": Decimal("0.001"), "mg": Decimal("0.000001")}
_FACTOR = re.compile(
    r"(?:(?P<mantissa>[0-9][0-9 ]*(?:,[0-9 ]+)?)\s*(?:[x\u00d7]\s*)?)?"
    r"(?:10(?P<exponent>[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+))?\s*(?P<unit>kg|g|mg)"
)


def mass_factor(text: str) -> Decimal | None:
    """Kilograms per unit when ``text`` is a plain mass factor (``0,453 592 37 kg``)."""
    text = " ".join(text.replace("\xa0", " ").split())
    m = _FACTOR.fullmatch(text)
    if m is None:
        return None
    mantissa = m.group("mantissa")
    value = Decimal(mantissa.replace(" ", "").replace(",", ".")) if mantissa else Decimal(1)
    exponent = m.group("exponent")
    if exponent:
        value *= Decimal(10) ** int(exponent.translate(_SUPERSCRIPT))
    return value * _MASS[m.group("unit")]


def derive(csv_path: Path) -> str:
    lines = [PROVENANCE, HEADER]
    with csv_path.open(encoding="utf-8", newline="") as fh:
        rows = sorted(csv.DictReader(fh), key=lambda r: r["CommonCode"])
    for row in rows:
        factor = row["ConversionFactor"].strip()
        if not factor:
            continue
        kg = mass_factor(factor)
        code = row["CommonCode"].strip()
        lines.append(f"{code}\tmass\t{kg.normalize():f}" if kg is not None else f"{code}\tother\t")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(derive(Path(sys.argv[1])))
