"""Coverage-guided fuzzing of the whole pipeline with atheris (libFuzzer for Python).

    pip install atheris
    python bench/fuzz/fuzz_validate.py bench/fuzz/corpus -max_total_time=600

The corpus directory is seeded from samples/ on first run. Each input goes through
``Validator.validate`` (parse, envelopes, detection, XSD, binding, rules). A crash is any
exception escaping the library, an ``INT001`` (internal error), or a document whose root is
neither a known type nor an envelope reported valid. See README.md beside this file.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from lxml import etree

    from asw_validator import Validator, doctypes
    from asw_validator.envelope import is_envelope

REPO = Path(__file__).resolve().parents[2]
VALIDATOR = Validator(today=dt.date(2026, 11, 23), max_bytes=1_000_000)
KNOWN = frozenset(t.qname for t in doctypes.all_types())
SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def check(data: bytes) -> None:
    result = VALIDATOR.validate(data)
    if "INT001" in result.codes():
        raise AssertionError(f"internal error: {result.findings}")
    if result.is_valid and b"<!DOCTYPE" not in data:
        try:
            root = etree.fromstring(data, SAFE)
        except etree.XMLSyntaxError:
            raise AssertionError("not well-formed, reported valid") from None
        if root is not None and not is_envelope(root) and root.tag not in KNOWN:
            raise AssertionError(f"unknown root {root.tag} reported valid")


def seed(corpus: Path) -> None:
    if corpus.exists() and any(corpus.iterdir()):
        return
    corpus.mkdir(parents=True, exist_ok=True)
    for sample in sorted((REPO / "samples").rglob("*.xml")):
        shutil.copy(sample, corpus / sample.name)


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    if args:
        seed(Path(args[0]))
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
