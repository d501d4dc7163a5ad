"""Where files are: the shipped schemas and samples, and a project's configuration.

In a wheel the shipped data live inside the package (``asw_validator/_data/...``, see
pyproject's force-include); in a source checkout they are the repository's top-level
``schemas/`` and ``samples/``. One function hides the difference.
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


def find_config(start: Path) -> Path | None:
    """The configuration file that applies in ``start``: walking up to the filesystem root,
    the first ``.asw-validator.toml``, or ``pyproject.toml`` with ``[tool.asw-validator]``.

    Cheap when there is none: a pyproject.toml is parsed (and the configuration loader
    imported) only when its text names asw-validator at all.
    """
    for directory in (start, *start.parents):
        own = directory / ".asw-validator.toml"
        if own.is_file():
            return own
        pyproject = directory / "pyproject.toml"
        try:
            mentions = pyproject.is_file() and b"asw-validator" in pyproject.read_bytes()
        except OSError:
            continue
        if mentions:
            from .config import has_table

            if has_table(pyproject):
                return pyproject
    return None
