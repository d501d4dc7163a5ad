"""Where the shipped schemas and samples are.

In a wheel they live inside the package (``asw_validator/_data/...``, see pyproject's
force-include); in a source checkout they are the repository's top-level ``schemas/`` and
``samples/``. One function hides the difference.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The directory of shipped data ``name`` ("schemas" or "samples")."""
    packaged = _PACKAGE_DIR / "_data" / name
    if packaged.is_dir():
        return packaged
    checkout = _PACKAGE_DIR.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(
        f"asw-validator data directory {name!r} not found (looked in {packaged} and {checkout});"
        " the installation is incomplete"
    )
