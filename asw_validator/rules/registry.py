"""The registry of rule families: the core families, listed explicitly, and every rule pack
registered under the ``asw_validator.rules`` entry points (ours and third parties' alike).

Rule identity (``Rule``, ``Family``, ``Problem``) lives in ``base.py``; families import it,
and this module imports the families: one direction. The names below are re-exported for
packs written against earlier versions (``from asw_validator.rules.registry import Family``).
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Iterator

from ..interrupts import is_interrupt
from .base import (
    ROLE_TEXT,
    ROLES,
    SCOPES,
    BatchDocument,
    BatchProblem,
    Family,
    Problem,
    Rule,
    problem,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "OWN_PACKS",
    "ROLES",
    "ROLE_TEXT",
    "SCOPES",
    "BatchDocument",
    "BatchProblem",
    "Family",
    "Problem",
    "Registry",
    "Rule",
    "RuleLoadError",
    "core_families",
    "default_registry",
    "pack_families",
    "problem",
]

#: Entry-point group through which rule packs register: ours (the five Mekong packs) and
#: third-party ones alike. Each entry point names a ``Family``.
ENTRY_POINT_GROUP = "asw_validator.rules"
#: The packs this distribution registers in that group; missing ones mean stale metadata.
OWN_PACKS = ("kh", "la", "mm", "th", "vn")


class RuleLoadError(ValueError):
    """A rule pack could not be loaded, or clashes with another (same code or name)."""


class Registry:
    """All rules of a run, by code; built from an explicit list of families."""

    def __init__(self, families: list[Family]) -> None:
        self.families = list(families)
        self._by_code: dict[str, Rule] = {}
        names: set[str] = set()
        for fam in self.families:
            if fam.name in names:
                raise RuleLoadError(f"rule family {fam.name!r} registered twice")
            names.add(fam.name)
            for r in fam.rules:
                if r.code in self._by_code:
                    other = self._by_code[r.code].family
                    raise RuleLoadError(
                        f"rule code {r.code} registered twice (families {other!r} and {fam.name!r})"
                    )
                self._by_code[r.code] = r

    def __iter__(self) -> Iterator[Rule]:
        return iter(sorted(self._by_code.values(), key=lambda r: r.code))

    def __len__(self) -> int:
        return len(self._by_code)

    def get(self, code: str) -> Rule | None:
        return self._by_code.get(code.upper())

    def for_doctype(self, doctype: str) -> list[Rule]:
        """The per-document rules of ``doctype`` (batch rules run separately)."""
        return [r for r in self if r.applies_to(doctype) and not r.is_batch]

    def for_country(self, country: str) -> list[Rule]:
        """The rules of ``country``'s pack and the family rules tagged with it."""
        return [r for r in self if country.upper() in r.countries]

    def batch_rules(self) -> list[Rule]:
        return [r for r in self if r.is_batch]

    def versions(self) -> dict[str, str]:
        return {f.name: f.version for f in self.families}


def core_families() -> list[Family]:
    """The document-type families, listed explicitly."""
    from . import acdd, batch, eformd, ephyto, origin_declaration, response

    return [
        acdd.FAMILY,
        eformd.FAMILY,
        response.FAMILY,
        ephyto.FAMILY,
        origin_declaration.FAMILY,
        batch.FAMILY,
    ]


def pack_families() -> list[Family]:
    """Every pack registered under ``ENTRY_POINT_GROUP``, sorted by name.

    Our own five packs come through the group exactly as a third party's do; a pack that
    fails to load, or an installation whose metadata lacks ours, is a ``RuleLoadError``:
    a run without a country's rules would report documents valid that are not.
    """
    families: list[Family] = []
    sources: dict[str, str] = {}
    for ep in sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=_ep_key):
        try:
            loaded = ep.load()
        except BaseException as err:  # SystemExit(0) in a pack must not end the run "clean"
            if is_interrupt(err):
                raise
            raise RuleLoadError(
                f"rule pack {ep.name!r} ({ep.value}) failed to load: {type(err).__name__}: {err}"
            ) from err
        if not isinstance(loaded, Family):
            raise RuleLoadError(
                f"rule pack {ep.name!r} ({ep.value}) is a {type(loaded).__name__}, not a Family"
            )
        if loaded.name in sources:
            raise RuleLoadError(
                f"two rule packs are named {loaded.name!r}: {sources[loaded.name]} and"
                f" {_origin(ep)}; uninstall one"
            )
        sources[loaded.name] = _origin(ep)
        families.append(loaded)
    missing = sorted(set(OWN_PACKS) - {f.name for f in families})
    if missing:
        raise RuleLoadError(
            f"the country packs {', '.join(missing)} are not registered under the"
            f" {ENTRY_POINT_GROUP!r} entry points: the installed metadata is out of date;"
            " reinstall asw-validator (e.g. pip install -e . in a checkout)"
        )
    return families


def _ep_key(ep: importlib.metadata.EntryPoint) -> tuple[str, str]:
    return (ep.name, ep.value)


def _origin(ep: importlib.metadata.EntryPoint) -> str:
    """Where an entry point comes from: ``name = value`` (distribution)."""
    dist = ep.dist.name if ep.dist is not None else "unknown distribution"
    return f"{ep.name} = {ep.value} ({dist})"


def default_registry() -> Registry:
    """The core families plus every installed rule pack."""
    return Registry([*core_families(), *pack_families()])
