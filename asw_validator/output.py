"""Where a report is written (``-o FILE``), without ever destroying what is there.

The name is resolved first (a symbolic link is followed to what it names; the link stays a
link). Then what it names decides:

- a regular file, or nothing yet: the report is written to a temporary sibling and renamed
  over it only when the run completes, so a failed, refused or interrupted run leaves the
  earlier report as it was. A replaced file keeps its mode and owner; a new file gets the
  mode the umask gives (``0666 & ~umask``), as a shell redirection would. When the owner
  cannot be kept (another user's file we may write to) the finished report is copied into
  the file in place instead;
- a character device (``/dev/null``, a terminal), a FIFO or a socket: written through, in
  place, as the report is made; it stays what it was;
- a directory or a block device: refused before anything is validated.

Any temporary file is removed when the run fails or is interrupted (an exception, including
the ``Interrupted`` that SIGINT and SIGTERM raise under the CLI, passes through ``finally``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO


class OutputRefusedError(Exception):
    """The report cannot go there (checked before any validation): a usage error."""


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def open_report(name: str | os.PathLike[str]) -> Iterator[TextIO]:
    """A text stream for the report named ``name``, made final when the block ends normally.

    Raises ``OutputRefusedError`` when the target cannot take a report (before the block
    runs); an ``OSError`` raised while writing or when finishing passes through, with any
    temporary file removed.
    """
    real = Path(os.path.realpath(name))
    try:
        st: os.stat_result | None = real.stat()
    except FileNotFoundError:
        st = None
    except OSError as err:
        raise OutputRefusedError(f"cannot write {name}: {err.strerror or err}") from err
    if st is None or stat.S_ISREG(st.st_mode):
        with _replacing(name, real, st) as out:
            yield out
    elif stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode) or stat.S_ISSOCK(st.st_mode):
        with _through(real, st) as out:
            yield out
    else:
        kind = "a directory" if stat.S_ISDIR(st.st_mode) else "not a file or a stream"
        if stat.S_ISBLK(st.st_mode):
            kind = "a block device"
        raise OutputRefusedError(f"cannot write the report to {name}: it is {kind}")


@contextlib.contextmanager
def _replacing(
    name: str | os.PathLike[str], real: Path, st: os.stat_result | None
) -> Iterator[TextIO]:
    """Write to a temporary sibling of ``real``; rename it over ``real`` at the end."""
    if not real.parent.is_dir():
        raise OutputRefusedError(f"cannot write {name}: directory {real.parent} does not exist")
    if st is not None and not os.access(real, os.W_OK):
        raise OutputRefusedError(f"cannot write {name}: permission denied")
    mode = stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask()
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
    except OSError as err:
        raise OutputRefusedError(f"cannot write {name}: {err.strerror or err}") from err
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
            os.fchmod(out.fileno(), mode)
            if st is not None and not _same_owner(out.fileno(), st):
                # Not ours to give away: keep the file (its owner, mode, links), new content.
                with real.open("w", encoding="utf-8") as dest, tmp.open(encoding="utf-8") as src:
                    shutil.copyfileobj(src, dest)
                return
        tmp.replace(real)
    finally:
        tmp.unlink(missing_ok=True)


def _same_owner(fd: int, st: os.stat_result) -> bool:
    """Give the temporary file ``st``'s owner and group; False when that is not allowed."""
    mine = os.fstat(fd)
    if (mine.st_uid, mine.st_gid) == (st.st_uid, st.st_gid):
        return True
    try:
        os.fchown(fd, st.st_uid, st.st_gid)
    except PermissionError:
        return False
    return True


@contextlib.contextmanager
def _through(real: Path, st: os.stat_result) -> Iterator[TextIO]:
    """Write through to a device, FIFO or socket: it is a stream, not a file to replace."""
    if stat.S_ISSOCK(st.st_mode):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(str(real))
        except OSError as err:
            sock.close()
            raise OutputRefusedError(
                f"cannot write the report to socket {real}: {err.strerror or err}"
            ) from err
        with sock, sock.makefile("w", encoding="utf-8") as out:
            yield out
            out.flush()
        return
    try:
        stream = real.open("w", encoding="utf-8")  # a FIFO: waits for its reader
    except OSError as err:
        raise OutputRefusedError(f"cannot write {real}: {err.strerror or err}") from err
    with stream:
        yield stream
        stream.flush()
