"""``-o``: a report never destroys what it is written to.

Each test makes its own device node, FIFO, socket or symlink in a temporary directory; none
touches ``/dev``. Before this, ``-o`` renamed a temporary file over any target: as root
``-o /dev/full`` replaced the device node with a regular file.
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from asw_validator import cli

ROOT = os.geteuid() == 0
needs_root = pytest.mark.skipif(not ROOT, reason="making a device node or giving a file away")


@pytest.fixture
def good(tmp_path: Path, base_acdd: bytes) -> Path:
    p = tmp_path / "in" / "good.xml"
    p.parent.mkdir()
    p.write_bytes(base_acdd)
    return p


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "asw_validator", "validate", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def leftovers(directory: Path, *keep: str) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name not in keep)


@needs_root
@pytest.mark.parametrize(
    ("name", "minor", "status"),
    [("null", 3, 0), ("full", 7, 3)],  # as /dev/null and /dev/full (a full disk: exit 3)
)
def test_a_device_node_stays_a_device(
    tmp_path: Path, good: Path, name: str, minor: int, status: int
) -> None:
    """As root, -o /dev/full replaced the device node with a 58-byte regular file."""
    device = tmp_path / name
    os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    before = device.stat()
    done = run("-o", str(device), str(good))
    assert done.returncode == status, done.stderr
    assert "Traceback" not in done.stderr
    if status == 3:
        assert "cannot write the report" in done.stderr
    after = device.stat()
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
    assert after.st_ino == before.st_ino
    assert leftovers(tmp_path, "in") == [name]


@needs_root
def test_a_block_device_is_refused_before_validating(tmp_path: Path, good: Path) -> None:
    block = tmp_path / "disk"
    os.mknod(block, stat.S_IFBLK | 0o600, os.makedev(7, 200))
    done = run("-o", str(block), str(good))
    assert done.returncode == 2 and "block device" in done.stderr
    assert stat.S_ISBLK(block.stat().st_mode)


def test_a_fifo_is_written_through_and_stays_a_fifo(tmp_path: Path, good: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[str] = []
    # a daemon: with a target renamed over the FIFO, no writer ever comes and it waits on
    reader = threading.Thread(target=lambda: got.append(fifo.read_text("utf-8")), daemon=True)
    reader.start()
    done = run("-o", str(fifo), str(good))
    reader.join(timeout=60)
    assert done.returncode == 0, done.stderr
    assert got == ["1 document checked, 1 valid; 0 errors, 0 warnings, 0 info\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert leftovers(tmp_path, "in") == ["pipe"]


def test_a_socket_is_written_through(tmp_path: Path, good: Path) -> None:
    path = tmp_path / "report.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(1)
    server.settimeout(30)  # no connection at all fails the test instead of hanging it
    got: list[bytes] = []

    def serve() -> None:
        try:
            conn, _ = server.accept()
        except TimeoutError:
            return
        with conn:
            chunks = iter(lambda: conn.recv(65536), b"")
            got.append(b"".join(chunks))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        done = run("--format", "json", "-o", str(path), str(good))
    finally:
        thread.join(timeout=60)
        server.close()
    assert done.returncode == 0, done.stderr
    assert b'"report_version": 1' in got[0]
    assert stat.S_ISSOCK(path.stat().st_mode)


def test_a_symlink_stays_a_link_and_its_target_gets_the_report(tmp_path: Path, good: Path) -> None:
    target = tmp_path / "reports" / "latest.txt"
    target.parent.mkdir()
    target.write_text("old report\n")
    link = tmp_path / "report.txt"
    link.symlink_to(target)
    done = run("-o", str(link), str(good))
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and link.readlink() == target
    assert "1 valid" in target.read_text()
    assert leftovers(target.parent) == ["latest.txt"]


def test_a_dangling_symlink_gets_its_target_created(tmp_path: Path, good: Path) -> None:
    target = tmp_path / "new.txt"
    link = tmp_path / "report.txt"
    link.symlink_to(target)
    assert run("-o", str(link), str(good)).returncode == 0
    assert link.is_symlink() and "1 valid" in target.read_text()


@pytest.fixture
def umask_027() -> Iterator[None]:
    old = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(old)


def test_a_new_report_gets_the_umask_mode(tmp_path: Path, good: Path, umask_027: None) -> None:
    """It was -rw------- whatever the umask (the temporary file's own mode)."""
    out = tmp_path / "r.txt"
    assert CliRunner().invoke(cli.main, ["validate", "-o", str(out), str(good)]).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


def test_a_replaced_report_keeps_its_mode(tmp_path: Path, good: Path) -> None:
    out = tmp_path / "r.txt"
    out.write_text("old\n")
    out.chmod(0o664)
    assert CliRunner().invoke(cli.main, ["validate", "-o", str(out), str(good)]).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o664
    assert "1 valid" in out.read_text()


@needs_root
def test_a_replaced_report_keeps_its_owner(tmp_path: Path, good: Path) -> None:
    out = tmp_path / "r.txt"
    out.write_text("old\n")
    os.chown(out, 65534, 65534)
    assert CliRunner().invoke(cli.main, ["validate", "-o", str(out), str(good)]).exit_code == 0
    st = out.stat()
    assert (st.st_uid, st.st_gid) == (65534, 65534)
    assert "1 valid" in out.read_text()


@pytest.mark.skipif(ROOT, reason="root may write anything")
def test_a_read_only_report_is_refused_not_replaced(tmp_path: Path, good: Path) -> None:
    out = tmp_path / "r.txt"
    out.write_text("old\n")
    out.chmod(0o444)
    r = CliRunner().invoke(cli.main, ["validate", "-o", str(out), str(good)])
    assert r.exit_code == 2 and "permission denied" in r.stderr
    assert out.read_text() == "old\n"


def test_a_directory_is_refused(tmp_path: Path, good: Path) -> None:
    r = CliRunner().invoke(cli.main, ["validate", "-o", str(tmp_path), str(good)])
    assert r.exit_code == 2 and "is a directory" in r.stderr


def test_a_refused_run_leaves_the_earlier_report_and_no_temporary_file(
    tmp_path: Path, good: Path
) -> None:
    out = tmp_path / "r.txt"
    out.write_text("earlier\n")
    empty = tmp_path / "empty"
    empty.mkdir()
    r = CliRunner().invoke(cli.main, ["validate", "-o", str(out), str(empty)])
    assert r.exit_code == 2
    assert out.read_text() == "earlier\n"
    assert leftovers(tmp_path, "in") == ["empty", "r.txt"]
