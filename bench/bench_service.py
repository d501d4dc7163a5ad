"""What the validation service sustains: requests per second for small messages.

    python bench/bench_service.py                    # 1 and 2 workers, 10 s each
    python bench/bench_service.py --workers 1,2,4 --seconds 20 --connections 32 --append
    python bench/bench_service.py --large            # a 200 KB e-Phyto in SOAP instead

Starts ``asw-validator serve`` (a subprocess on 127.0.0.1) with N workers, sends small ACDDs
(the valid rice declaration and an invalid one, about 3 KB, alternating) over keep-alive
connections for a fixed time, and prints requests/second and latency percentiles; beside it,
the floor: the same documents validated and reported by ``worker.check`` in this process,
without HTTP. The client is a thin asyncio loop of pre-built requests (not an HTTP library)
so that it takes little of the CPUs the server shares with it; on a small machine it still
does: read the figures as a lower bound. ``--append`` adds a dated block to bench/RESULTS.md.
Never run by CI.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "RESULTS.md"
SMALL = ["acdd/valid-vn-th-rice.xml", "acdd/invalid-port-of-discharge-name.xml"]
#: A large message: a 200 KB e-Phyto certificate in a SOAP call (validation dominates).
LARGE = ["ephyto/valid-my-sg-orchids-attachments-signed-soap.xml"]
BODIES: list[bytes] = []


def request(body: bytes) -> bytes:
    head = (
        "POST /v1/validate HTTP/1.1\r\nHost: bench\r\nContent-Type: application/xml\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def connection(
    host: str, port: int, until: float, latencies: list[float], errors: list[int]
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    requests = [request(b) for b in BODIES]
    n = 0
    try:
        while time.perf_counter() < until:
            started = time.perf_counter()
            writer.write(requests[n % len(requests)])
            n += 1
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = int(re.search(rb"(?i)content-length: (\d+)", head).group(1))  # type: ignore[union-attr]
            await reader.readexactly(length)
            if status != 200:
                errors.append(status)
            latencies.append(time.perf_counter() - started)
    finally:
        writer.close()


async def load(url: str, connections: int, seconds: float) -> tuple[list[float], list[int]]:
    host, port = url.removeprefix("http://").split(":")
    latencies: list[float] = []
    errors: list[int] = []
    warm_until = time.perf_counter() + 1
    await asyncio.gather(
        *(connection(host, int(port), warm_until, [], errors) for _ in range(connections))
    )
    until = time.perf_counter() + seconds
    await asyncio.gather(
        *(connection(host, int(port), until, latencies, errors) for _ in range(connections))
    )
    return latencies, errors


def start(workers: int, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    args = [
        sys.executable,
        "-m",
        "asw_validator",
        "serve",
        "--port=0",
        f"--workers={workers}",
        "--queue=512",
        "-q",  # no access log: it would be measured too
    ]
    out = log.open("wb")
    process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = re.search(r"Uvicorn running on (http://[\d.]+:\d+)", log.read_text())
        if found:
            url = found.group(1)
            break
        time.sleep(0.05)
    else:
        process.kill()
        process.wait()
        raise SystemExit("the server did not start: " + log.read_text())
    import urllib.request

    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/readyz") as r:  # 127.0.0.1 only
                if r.status == 200:
                    return process, url
        except OSError:
            pass
        time.sleep(0.1)
    process.kill()
    process.wait()
    raise SystemExit("the server did not become ready: " + log.read_text())


def floor(seconds: float) -> float:
    """Documents/second of ``worker.check`` in this process (no HTTP, no pickling)."""
    from asw_validator.engine import Settings
    from asw_validator.rules.registry import default_registry
    from asw_validator.service import worker

    worker._settings, worker._registry = Settings(), default_registry()
    jobs = [worker.Job(((b, "bench.xml"),), today=dt.date.today()) for b in BODIES]
    worker.check(jobs[0])
    n, until = 0, time.perf_counter() + seconds
    while time.perf_counter() < until:
        worker.check(jobs[n % len(jobs)])
        n += 1
    return n / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", default="1,2", help="worker counts, e.g. 1,2,4")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--large", action="store_true", help="a 200 KB e-Phyto instead")
    parser.add_argument("--append", action="store_true", help="add the table to RESULTS.md")
    args = parser.parse_args()
    names = LARGE if args.large else SMALL
    BODIES[:] = [(REPO / "samples" / n).read_bytes() for n in names]
    size = f"{sum(map(len, BODIES)) // len(BODIES) // 1024} KB"

    rows = [f"| floor: worker.check in-process | - | {floor(3):,.0f} | - | - |"]
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(w) for w in args.workers.split(",")):
            process, url = start(n, Path(tmp) / f"serve-{n}.log")
            try:
                latencies, errors = asyncio.run(load(url, args.connections, args.seconds))
            finally:
                process.terminate()
                process.wait(60)
            if errors:
                raise SystemExit(f"{len(errors)} requests failed: {sorted(set(errors))}")
            ms = sorted(x * 1000 for x in latencies)
            p95 = ms[int(len(ms) * 0.95)]
            rows.append(
                f"| asw-validator serve | {n} | {len(ms) / args.seconds:,.0f} |"
                f" {statistics.median(ms):.1f} | {p95:.1f} |"
            )
            print(rows[-1], flush=True)
    table = [
        f"Service, {dt.date.today()}: {platform.processor() or platform.machine()},"
        f" {os.cpu_count()} CPUs, Python {platform.python_version()};"
        f" {args.connections} keep-alive connections, {args.seconds:g} s, {', '.join(names)}"
        f" (~{size}), JSON reports; client on the same machine",
        "",
        "| what | workers | requests/s | p50 ms | p95 ms |",
        "|---|---|---|---|---|",
        *rows,
    ]
    print("\n".join(table))
    if args.append:
        with RESULTS.open("a", encoding="utf-8") as out:
            out.write("\n" + "\n".join(table) + "\n")


if __name__ == "__main__":
    main()
