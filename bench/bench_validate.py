"""Benchmark: validate N copies of the shipped samples as one run, like the CLI does.

Usage: python bench/bench_validate.py [N]   (default 2000 documents; not run by CI)
Prints documents per second for a cold process (first schema compile included), with the
cross-document pass (copies are identical bytes, so they are not BT001 duplicates of one
another, but every copy is grouped and compared).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from asw_validator import Validator
from asw_validator.resources import data_dir


def main(n: int) -> None:
    samples = sorted(data_dir("samples").rglob("*.xml"))
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i in range(n):
            src = samples[i % len(samples)]
            dst = Path(tmp) / f"{i:06d}-{src.name}"
            dst.write_bytes(src.read_bytes())
            files.append(dst)
        validator = Validator()
        start = time.perf_counter()
        results = validator.validate_many(files)
        report = validator.report(results)
        report.to_dict()
        elapsed = time.perf_counter() - start
    findings = sum(len(r.findings) for r in results)
    print(f"{n} documents, {findings} findings in {elapsed:.2f} s: {n / elapsed:.0f} docs/s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
