"""A progress line on stderr for long runs, on a terminal only (the CLI decides that).

Nothing is shown for the first second, so a short run prints nothing; then one line,
redrawn at most ten times a second: documents checked, how many are not valid, and the
last one. The line is cleared before any report output and at the end.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

from .model import DocumentResult

#: Seconds of a run before the progress line appears, and between two redraws.
QUIET_START = 1.0
REDRAW = 0.1
_CLEAR = "\r\033[K"


class Progress:
    def __init__(
        self, out: TextIO, *, clock: Callable[[], float] = time.monotonic, width: int = 100
    ) -> None:
        self._out = out
        self._clock = clock
        self._start = clock()
        self._last = 0.0
        self._width = width
        self._shown = False
        self.documents = 0
        self.invalid = 0

    def update(self, result: DocumentResult) -> None:
        self.documents += 1
        self.invalid += not result.is_valid
        now = self._clock()
        if now - self._start < QUIET_START or now - self._last < REDRAW:
            return
        self._last = now
        head = f"{self.documents} checked, {self.invalid} not valid: "
        room = max(10, self._width - len(head))
        path = result.path if len(result.path) <= room else "…" + result.path[-(room - 1) :]
        self._out.write(f"{_CLEAR}{head}{path}")
        self._out.flush()
        self._shown = True

    def clear(self) -> None:
        if self._shown:
            self._out.write(_CLEAR)
            self._out.flush()
            self._shown = False
