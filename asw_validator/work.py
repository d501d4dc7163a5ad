"""A counter of the work that locating elements costs, so tests can prove it stays linear.

Every visit of a sibling list or a tree walk made to find where an element is (a position
index over a parent's children, an XPath written out step by step, an XSD error located, an
envelope part looked at) adds to ``WORK.visits``. Tests compare the count for documents of
different sizes; benchmarks time them. Counting costs one integer addition per visit.
"""

from __future__ import annotations


class Work:
    """Visits counted since the last ``reset`` (process-wide; tests run it single-threaded)."""

    __slots__ = ("visits",)

    def __init__(self) -> None:
        self.visits = 0

    def reset(self) -> None:
        self.visits = 0


WORK = Work()
