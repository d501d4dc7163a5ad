"""The benchmark: asw-validator against the floor, on one generated corpus, in one run.

    python bench/bench_validate.py                       # 10,000 small documents, 1k/10k/50k items
    python bench/bench_validate.py --documents 2000 --big 1000,10000 --no-append

Times, on the same corpus (bench/corpus.py: every document type, valid and invalid mixed,
e-Phyto bare, in SOAP and in the hub envelope):

- the floor: lxml parse + ``XMLSchema.validate`` with our own XSDs, in one process;
- ``xmllint --noout --schema`` (Debian's libxml2-utils, when present), one batch per type,
  on the bare documents (it cannot open envelopes), scaled to the corpus;
- ``xmlschema-validate`` on a tenth of the bare documents, scaled;
- ``asw-validator validate --format json`` with ``--jobs 1`` and ``--jobs`` = every CPU;
- one document of each type with 1,000 / 10,000 / 50,000 goods items: wall time and peak
  RSS, beside the RSS of validating a one-item document of the same type (the baseline);
- the cold start: ``asw-validator validate`` of one small sample, wall time (median of 7).

Prints documents/second and each ratio to the floor, and appends a dated block with the
machine's description to bench/RESULTS.md (unless --no-append). Never run by CI.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from asw_validator import doctypes
from bench.corpus import DOCTYPES, document, write_corpus

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "RESULTS.md"
# every type with a schema, as the validator has them (a WCO declaration has none)
SCHEMAS = {
    t.name: REPO / "schemas" / t.schema for t in doctypes.all_types() if t.schema is not None
}
ROOTS = {t.qname: t.name for t in doctypes.all_types() if t.schema is not None}
CONTENT = "{http://ephyto.ippc.int/HUB.Entities}Content"


def _cli() -> list[str]:
    exe = shutil.which("asw-validator")
    return [exe] if exe else [sys.executable, "-m", "asw_validator"]


def floor(files: list[Path]) -> float:
    """lxml parse + XSD validation in one process (the certificate inside an envelope)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    schemas = {k: etree.XMLSchema(etree.parse(str(p))) for k, p in SCHEMAS.items()}
    start = time.perf_counter()
    for path in files:
        root = etree.parse(str(path), parser).getroot()
        kind = ROOTS.get(str(root.tag))
        if kind is None:
            inner = next((e for e in root.iter(*ROOTS) if e is not root), None)
            if inner is not None:
                root, kind = inner, ROOTS[str(inner.tag)]
            else:
                content = next(root.iter(CONTENT), None)
                if content is None or not content.text:
                    continue
                root = etree.fromstring(content.text.encode(), parser)
                kind = ROOTS.get(str(root.tag))
        if kind is not None:
            schemas[kind].validate(root)
    return time.perf_counter() - start


def _bare(files: list[Path]) -> dict[str, list[Path]]:
    by_type: dict[str, list[Path]] = {k: [] for k in DOCTYPES}
    for path in files:
        head = path.read_bytes()[:400]
        for tag, kind in ROOTS.items():
            ns, local = tag[1:].split("}")
            if ns.encode() in head and f":{local}".encode() in head and b"Envelope" not in head:
                by_type[kind].append(path)
                break
    return by_type


def xmllint(files: list[Path]) -> tuple[float, int] | None:
    if shutil.which("xmllint") is None:
        return None
    total, count = 0.0, 0
    for kind, paths in _bare(files).items():
        for i in range(0, len(paths), 500):
            chunk = [str(p) for p in paths[i : i + 500]]
            start = time.perf_counter()
            subprocess.run(
                ["xmllint", "--noout", "--schema", str(SCHEMAS[kind]), *chunk],
                capture_output=True,
                check=False,
            )
            total += time.perf_counter() - start
            count += len(chunk)
    return total, count


def xmlschema_validate(files: list[Path]) -> tuple[float, int] | None:
    exe = shutil.which("xmlschema-validate")
    if exe is None:
        return None
    total, count = 0.0, 0
    for kind, paths in _bare(files).items():
        tenth = [str(p) for p in paths[: max(1, len(paths) // 10)]]
        start = time.perf_counter()
        subprocess.run(
            [exe, "--schema", str(SCHEMAS[kind]), *tenth], capture_output=True, check=False
        )
        total += time.perf_counter() - start
        count += len(tenth)
    return total, count


#: Run the command from a small intermediate process and print the peak RSS of its child:
#: Linux counts in a child's ru_maxrss the memory of the process it was forked from (the
#: high-water mark survives exec), so a child forked from this benchmark, which holds big
#: generated documents, would report this process's peak, not its own.
_MEASURE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def run_cli(args: list[str]) -> tuple[float, int]:
    """Wall time and peak RSS (KB) of one asw-validator process."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _MEASURE, *_cli(), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"asw-validator {' '.join(args)} exited {proc.returncode}")
    return elapsed, int(proc.stderr.strip().splitlines()[-1])


def _wall(args: list[str]) -> float:
    """Wall time of one asw-validator process, started directly (the cold start)."""
    start = time.perf_counter()
    subprocess.run([*_cli(), *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"{platform.machine()} {model or platform.processor()}, {cpus} CPUs usable;"
        f" {platform.python_implementation()} {platform.python_version()},"
        f" lxml {'.'.join(map(str, etree.LXML_VERSION[:3]))},"
        f" libxml2 {'.'.join(map(str, etree.LIBXML_VERSION))}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=3, help="goods items per small document")
    parser.add_argument("--big", default="1000,10000,50000", help="items of the big documents")
    parser.add_argument("--no-append", action="store_true", help="do not write RESULTS.md")
    args = parser.parse_args()
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    lines: list[str] = []

    def say(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    def row(*cells: object) -> None:
        say("| " + " | ".join(str(c) for c in cells) + " |")

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        files = write_corpus(corpus, args.documents, args.items)
        n = len(files)
        say(f"Corpus: {n} documents ({', '.join(DOCTYPES)}; {args.items} items each; every 4th")
        say("invalid; e-Phyto bare, in SOAP and in the hub envelope), JSON report.")
        say("")
        row("what", "time (s)", "documents/s", "x floor")
        row("---", "---:", "---:", "---:")
        base = floor(files)
        row(
            "floor: lxml parse + XMLSchema.validate, one process",
            f"{base:.2f}",
            f"{n / base:.0f}",
            "1.0",
        )
        lint = xmllint(files)
        if lint:
            t = lint[0] * n / lint[1]
            row(
                "xmllint --noout --schema, batches (bare, scaled)",
                f"{t:.2f}",
                f"{n / t:.0f}",
                f"{t / base:.1f}",
            )
        xs = xmlschema_validate(files)
        if xs:
            t = xs[0] * n / xs[1]
            row(
                "xmlschema-validate (a tenth, scaled)",
                f"{t:.1f}",
                f"{n / t:.0f}",
                f"{t / base:.0f}",
            )
        report = Path(tmp) / "report.json"
        timings = {}
        for jobs in sorted({1, cpus}):
            args_ = ["validate", "--jobs", str(jobs), "--format", "json", "-o", str(report)]
            t, _ = run_cli([*args_, str(corpus)])
            timings[jobs] = t
            row(
                f"asw-validator validate --jobs {jobs}",
                f"{t:.2f}",
                f"{n / t:.0f}",
                f"{t / base:.1f}",
            )
        if cpus > 1:
            say("")
            say(f"--jobs {cpus} is {timings[1] / timings[cpus]:.2f}x faster than --jobs 1.")
        shutil.rmtree(corpus)

        say("")
        say(
            "One big document each; the baseline is the peak RSS of validating a one-item"
            " document of the same type (the interpreter, the rules and the reference data"
            " that type loads):"
        )
        say("")
        row(
            "type",
            "items",
            "size (MB)",
            "time (s)",
            "x the first",
            "peak RSS (MB)",
            "baseline (MB)",
            "(RSS - baseline) / size",
        )
        row("---", "---:", "---:", "---:", "---:", "---:", "---:", "---:")
        for kind in DOCTYPES:
            tiny = Path(tmp) / f"tiny-{kind}.xml"
            tiny.write_bytes(document(kind, 1))
            _, baseline = run_cli(["validate", "--jobs", "1", "--format", "json", str(tiny)])
            first = None
            for items in [int(x) for x in args.big.split(",") if x]:
                path = Path(tmp) / f"big-{kind}-{items}.xml"
                path.write_bytes(document(kind, items))
                size = path.stat().st_size
                t, rss = run_cli(["validate", "--jobs", "1", "--format", "json", str(path)])
                first = first or t
                growth = (rss - baseline) * 1024 / size
                row(
                    kind,
                    items,
                    f"{size / 1e6:.1f}",
                    f"{t:.2f}",
                    f"{t / first:.1f}",
                    f"{rss / 1024:.0f}",
                    f"{baseline / 1024:.0f}",
                    f"{growth:.1f}",
                )
                path.unlink()

        small = REPO / "samples" / "acdd" / "valid-vn-th-rice.xml"
        colds = [_wall(["validate", str(small)]) for _ in range(7)]
        median = statistics.median(colds)
        say("")
        say(
            f"Cold start, `asw-validator validate` of one small file: median {median:.3f} s"
            f" (min {min(colds):.3f}, max {max(colds):.3f})."
        )

    if not args.no_append:
        with RESULTS.open("a", encoding="utf-8") as out:
            out.write(f"\n## {dt.date.today().isoformat()}: bench/bench_validate.py\n\n")
            out.write(f"Machine: {machine()}.\n\n")
            out.write("\n".join(lines) + "\n")
        print(f"\nappended to {RESULTS}")


if __name__ == "__main__":
    main()
