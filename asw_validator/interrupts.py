"""A real interrupt (Ctrl-C, SIGTERM) against an exception a rule happens to raise.

Anything a rule raises, ``KeyboardInterrupt`` and ``SystemExit`` included, is that rule's
``INT001``; only a real interrupt stops a run. The CLI installs handlers that raise
``Interrupted`` (a ``KeyboardInterrupt``) on SIGINT and SIGTERM, so under the CLI only those
count. A program that uses the library with Python's default SIGINT handler gets Ctrl-C as a
plain ``KeyboardInterrupt``: then every ``KeyboardInterrupt`` counts as real, and the run
stops with the exception rather than going on.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

#: Exit statuses of an interrupted run: 128 + the signal number.
EXIT_STATUS = {signal.SIGINT: 130, signal.SIGTERM: 143}


class Interrupted(KeyboardInterrupt):
    """Raised by ``handle_signals``'s handlers: the run was interrupted by ``signum``."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_status(self) -> int:
        return EXIT_STATUS.get(signal.Signals(self.signum), 128 + self.signum)


def is_interrupt(err: BaseException) -> bool:
    """Whether ``err`` is a real interrupt that must stop the run (not a rule's INT001)."""
    if isinstance(err, Interrupted):
        return True
    if isinstance(err, KeyboardInterrupt):
        return signal.getsignal(signal.SIGINT) is signal.default_int_handler
    return False


def _raise(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signum)


@contextlib.contextmanager
def handle_signals() -> Iterator[None]:
    """SIGINT and SIGTERM raise ``Interrupted`` inside the block (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, _raise) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
