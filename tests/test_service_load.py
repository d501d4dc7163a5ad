"""A bounded load test of the real service: ``asw-validator serve`` in a subprocess on
127.0.0.1 (size limit 1 MB, time limit 2 s), 1,000 hostile or malformed requests with up to 50
at a time, then a valid one.

Every request gets its right answer; no worker is lost or replaced; memory stays bounded;
and once warmed up the workers open no file and connect nowhere: an audit hook in each
worker (``ASW_VALIDATOR_AUDIT_DIR``, test-only) records ``open``, ``socket.connect`` and
process starts. Bounded in count and time: the whole test takes well under two minutes.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from asw_validator.service.settings import AUDIT_ENV

from .conftest import SAMPLES

MB = 1024 * 1024
WORKERS = 2
READ_TIMEOUT = 3.0
VALID = (SAMPLES / "acdd" / "valid-vn-th-rice.xml").read_bytes()
INVALID = (SAMPLES / "acdd" / "invalid-port-of-discharge-name.xml").read_bytes()


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    audit: Path
    log: Path


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    audit = tmp_path / "audit"
    audit.mkdir()
    log = tmp_path / "serve.log"
    args = [
        sys.executable,
        "-m",
        "asw_validator",
        "serve",
        "--port=0",
        f"--workers={WORKERS}",
        "--queue=64",
        f"--max-bytes={MB}",
        f"--max-request-bytes={MB}",
        "--time-limit=2",
        f"--read-timeout={READ_TIMEOUT}",
    ]
    env = {**os.environ, AUDIT_ENV: str(audit)}
    with log.open("wb") as out:
        process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        url = _wait_for_url(log, process)
        _wait_ready(url)
        yield Server(url, process, audit, log)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(30)


def _wait_for_url(log: Path, process: subprocess.Popen[bytes]) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = re.search(r"Uvicorn running on (http://127\.0\.0\.1:\d+)", log.read_text())
        if found:
            return found.group(1)
        assert process.poll() is None, log.read_text()
        time.sleep(0.05)
    raise AssertionError("the server did not start: " + log.read_text())


def _wait_ready(url: str) -> None:
    deadline = time.monotonic() + 60
    while httpx.get(f"{url}/readyz").status_code != 200:
        assert time.monotonic() < deadline, "not ready"
        time.sleep(0.05)


def rss_kb(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    found = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(found.group(1)) if found else 0


def audit_records(audit: Path) -> dict[int, list[dict[str, object]]]:
    records = {}
    for file in sorted(audit.glob("worker-*.jsonl")):
        lines = [json.loads(line) for line in file.read_text().splitlines()]
        records[int(file.stem.split("-")[1])] = lines
    return records


# ----- the hostile requests: (name, how to send it, what must come back) -----

XXE_FILE = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>'
XXE_NET = b'<!DOCTYPE d [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]><d>&x;</d>'
XXE_PARAM = b'<!DOCTYPE d [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p.dtd"> %p;]><d/>'
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b"]><lolz>&lol9;</lolz>"
)
DEEP = b"<a>" * 300 + b"</a>" * 300
XINCLUDE = (
    b'<d xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="file:///etc/passwd"'
    b' parse="text"/></d>'
)
SCHEMA_LOCATION = INVALID.replace(
    b"<acdd:Declaration ",
    b'<acdd:Declaration xsi:schemaLocation="urn:x http://127.0.0.1:9/evil.xsd" '
    b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ',
    1,
)


@dataclass(frozen=True)
class Case:
    name: str
    body: bytes
    expect: int
    #: a code the report must hold (a 200)
    code: str | None = None
    content_type: str = "application/xml"
    params: tuple[tuple[str, str], ...] = ()
    #: seconds between chunks; None: sent at once
    pause: float | None = None
    chunked: bool = False


def cases(rng: random.Random) -> list[Case]:
    garbage = [bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 4096))) for _ in range(20)]
    multipart_boundary = "b0undary"
    broken_multipart = (
        f'--{multipart_boundary}\r\nContent-Disposition: form-data; name="files";'
        ' filename="a.xml"\r\n\r\n<a/>'
    ).encode()
    kinds = [
        Case("xxe-file", XXE_FILE, 200, "XML003"),
        Case("xxe-network", XXE_NET, 200, "XML003"),
        Case("xxe-parameter", XXE_PARAM, 200, "XML003"),
        Case("billion-laughs", LAUGHS, 200, "XML003"),
        Case("deep", DEEP, 200, "XML005"),
        Case("xinclude", XINCLUDE, 200, "DOC001"),
        Case("schema-location", SCHEMA_LOCATION, 200, "AC013"),
        Case("oversize", b"<a>" + b"x" * MB + b"</a>", 413),
        Case("oversize-chunked", b"<a>" + b"x" * MB + b"</a>", 413, chunked=True),
        Case("utf16-no-bom", "<a/>".encode("utf-16-le"), 200, "XML008"),
        Case("truncated", INVALID[: len(INVALID) // 2], 200, "XML002"),
        Case("empty", b"", 200, "XML001"),
        Case("wrong-type", VALID, 415, content_type="text/plain"),
        Case("bad-parameter", VALID, 422, params=(("doctype", "nope"),)),
        Case(
            "broken-multipart",
            broken_multipart,
            400,
            content_type=f"multipart/form-data; boundary={multipart_boundary}",
        ),
        Case("slow", INVALID, 200, "AC013", pause=0.25),
        Case("too-slow", INVALID, 408, pause=READ_TIMEOUT / 2),
    ]
    out = []
    for i in range(1000):
        if i % 50 == 7:  # a few that hold a connection for the read timeout
            out.append(kinds[-1])
        elif i % 10 == 3:
            out.append(kinds[-2])
        elif i % 10 == 5:
            out.append(Case("garbage", garbage[i % len(garbage)], 200))
        else:
            out.append(kinds[i % (len(kinds) - 2)])
    return out


async def _chunks(body: bytes, pause: float | None) -> AsyncIterator[bytes]:
    step = max(1, len(body) // 4) if pause else 64 * 1024
    for start in range(0, len(body), step):
        if pause and start:
            await asyncio.sleep(pause)
        yield body[start : start + step]


async def send(client: httpx.AsyncClient, case: Case) -> tuple[Case, int, str]:
    headers = {"Content-Type": case.content_type}
    content: bytes | AsyncIterator[bytes] = case.body
    if case.pause is not None or case.chunked:
        content = _chunks(case.body, case.pause)
    r = await client.post("/v1/validate", content=content, headers=headers, params=case.params)
    return case, r.status_code, r.text


async def storm(url: str, all_cases: list[Case]) -> list[tuple[Case, int, str]]:
    gate = asyncio.Semaphore(50)
    limits = httpx.Limits(max_connections=50, max_keepalive_connections=50)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:

        async def one(case: Case) -> tuple[Case, int, str]:
            async with gate:
                return await send(client, case)

        return await asyncio.gather(*(one(c) for c in all_cases))


def test_a_thousand_hostile_requests_then_a_valid_one(server: Server) -> None:
    started = time.monotonic()
    workers = audit_records(server.audit)
    while len(workers) < WORKERS or not all(workers.values()):  # each warmed up and armed
        assert time.monotonic() - started < 30, workers
        time.sleep(0.05)
        workers = audit_records(server.audit)
    assert len(workers) == WORKERS
    assert all(lines == [{"armed": True, "pid": pid}] for pid, lines in workers.items())
    before = {pid: rss_kb(pid) for pid in [server.process.pid, *workers]}

    storm_started = time.monotonic()
    answers = asyncio.run(storm(server.url, cases(random.Random(18))))
    print(f"1,000 requests in {time.monotonic() - storm_started:.1f} s")

    wrong = []
    for case, status, text in answers:
        ok = status == case.expect
        if ok and status == 200:
            report = json.loads(text)
            ok = report["documents"][0]["valid"] is False if case.name != "slow" else True
            if case.code is not None:
                found = {f["code"] for d in report["documents"] for f in d["findings"]}
                ok = ok and case.code in found
            ok = ok and "root:" not in text  # /etc/passwd never read
        if not ok:
            wrong.append((case.name, status, text[:200]))
    assert wrong == [], wrong[:5]
    assert Counter(s for _, s, _ in answers)[200] > 500

    r = httpx.post(
        f"{server.url}/v1/validate", content=VALID, headers={"Content-Type": "application/xml"}
    )
    assert r.status_code == 200
    assert r.headers["X-ASW-Valid"] == "true" and r.headers["X-ASW-Exit-Code"] == "0"

    # no worker lost or replaced: the same processes, each still there
    after = audit_records(server.audit)
    assert sorted(after) == sorted(workers)
    for pid in after:
        os.kill(pid, 0)
    metrics = httpx.get(f"{server.url}/metrics").text
    assert "asw_validator_workers_replaced_total 0.0" in metrics
    # nothing opened, connected or started by a worker after its warm-up
    assert all(lines == [{"armed": True, "pid": pid}] for pid, lines in after.items()), after
    # memory bounded: at most what the queue's bodies and a tree of 1 MB take
    grown = {pid: rss_kb(pid) - kb for pid, kb in before.items()}
    print(f"RSS before {before} kB, growth {grown} kB")
    assert all(kb < 200 * 1024 for kb in grown.values()), grown
    assert all(rss_kb(pid) < 400 * 1024 for pid in before), "a process above 400 MB"

    server.process.send_signal(signal.SIGTERM)  # a graceful stop, then exit by the signal
    assert server.process.wait(30) == -signal.SIGTERM
    assert "Application shutdown complete" in server.log.read_text()
    for pid in after:
        assert not Path(f"/proc/{pid}").exists() or _zombie(pid), "a worker outlived the server"
    assert time.monotonic() - started < 120


def _zombie(pid: int) -> bool:
    return " Z " in Path(f"/proc/{pid}/stat").read_text().split(")")[-1][:4] + " "
