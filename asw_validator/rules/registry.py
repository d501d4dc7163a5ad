"""Rule identity, the ``Problem`` a rule yields, and the explicit registry of families.

A rule is a generator ``(model, ctx) -> Iterator[Problem]`` with a fixed identity: code,
name (the bad thing, kebab-case), default severity, document types, countries and role,
effective dates, basis, and a docstring with a failing and a passing example. The engine,
not the rule, stamps code, severity, XPath and line onto each problem.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import inspect
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..binding.base import Located
from ..context import Context
from ..model import Severity

ROLES = ("any", "exporter", "importer", "issuer")
#: How ``explain`` says when a country-pack rule runs, by role.
ROLE_TEXT = {
    "any": "the exporting, importing or issuing country",
    "exporter": "the exporting country",
    "importer": "the importing country",
    "issuer": "the issuing country",
}
#: Entry-point group through which rule packs register: ours (the five Mekong packs) and
#: third-party ones alike. Each entry point names a ``Family``.
ENTRY_POINT_GROUP = "asw_validator.rules"
#: The packs this distribution registers in that group; missing ones mean stale metadata.
OWN_PACKS = ("kh", "la", "mm", "th", "vn")
#: "document": runs on one bound model; "batch": runs once over every document of a run.
SCOPES = ("document", "batch")


@dataclass(frozen=True)
class Problem:
    """What is wrong, where. ``template`` is formatted with ``params`` by the engine."""

    template: str
    at: Located | None
    params: Mapping[str, Any] = field(default_factory=dict)
    value: str | None = None
    expected: str | None = None
    #: A dated rule may lower its severity for a period built on inferred facts; never raise.
    severity: Severity | None = None

    @property
    def message(self) -> str:
        return self.template.format(**self.params)


def problem(
    template: str,
    at: Located | None,
    *,
    expected: str | None = None,
    value: str | None = None,
    severity: Severity | None = None,
    **params: Any,
) -> Problem:
    """Shorthand used by rules: ``yield problem("HS code {value!r} ...", loc, value=...)``."""
    if value is None and at is not None and at.present:
        value = at.value
    return Problem(template, at, {"value": value, **params}, value, expected, severity)


@dataclass(frozen=True)
class BatchDocument:
    """One document of a run as a batch rule sees it: where it is and its bound model."""

    index: int
    path: str
    doctype: str
    model: Any
    sha256: str | None = None  # the same bytes twice (a file named twice) are one document


#: A batch rule's problem and the index of the document it belongs to.
BatchProblem = tuple[int, Problem]

RuleFunc = Callable[[Any, Context], Iterator[Any]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    doctypes: tuple[str, ...]
    basis: str
    func: RuleFunc
    family: str
    countries: tuple[str, ...] = ()
    role: str = "any"
    effective_from: dt.date | None = None
    effective_until: dt.date | None = None
    scope: str = "document"
    #: The country whose pack this rule belongs to: it runs only when the document's country
    #: in ``role`` is this one. None for family rules, which run on every document;
    #: their ``countries`` are tags for ``rules --country``.
    pack: str | None = None

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.func.__doc__ or "")

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0] if self.doc else ""

    def applies_to(self, doctype: str) -> bool:
        return doctype in self.doctypes

    @property
    def is_batch(self) -> bool:
        return self.scope == "batch"

    @property
    def is_dated(self) -> bool:
        return self.effective_from is not None or self.effective_until is not None

    def in_effect(self, on: dt.date | None) -> bool:
        """A dated rule runs only on documents whose own date falls in its range."""
        if not self.is_dated:
            return True
        if on is None:
            return False
        if self.effective_from is not None and on < self.effective_from:
            return False
        return self.effective_until is None or on <= self.effective_until

    def runs_on(self, ctx: Context) -> bool:
        """Whether the engine runs this rule for a document with context ``ctx``."""
        if not self.in_effect(ctx.effective_date):
            return False
        return self.pack is None or self.pack in ctx.countries(self.role)

    def info(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "family": self.family,
            "doctypes": list(self.doctypes),
            "countries": list(self.countries),
            "role": self.role,
            "effective_from": self.effective_from.isoformat() if self.effective_from else None,
            "effective_until": (self.effective_until.isoformat() if self.effective_until else None),
            "scope": self.scope,
            "pack": self.pack,
            "basis": self.basis,
            "summary": self.summary,
        }


_CODE = re.compile(r"^[A-Z]{2,3}[0-9]{3}$")
_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class RuleLoadError(ValueError):
    """A rule pack could not be loaded, or clashes with another (same code or name)."""


class Family:
    """A named, versioned group of rules (``acdd``, ``eformd`` ...).

    A family with a ``country`` is that country's pack (``vn``): each of its rules declares
    the role the country must have in a document for the rule to run. A family without one
    runs its rules on every document; ``countries`` on its rules are tags for listing.
    """

    def __init__(self, name: str, version: str, *, country: str | None = None) -> None:
        if country is not None and not re.fullmatch(r"[A-Z]{2}", country):
            raise ValueError(f"pack country {country!r} is not an ISO 3166-1 alpha-2 code")
        self.name = name
        self.version = version
        self.country = country
        self.rules: list[Rule] = []

    def rule(
        self,
        *,
        code: str,
        name: str,
        severity: Severity,
        doctypes: tuple[str, ...],
        basis: str,
        countries: tuple[str, ...] = (),
        role: str = "any",
        effective_from: dt.date | None = None,
        effective_until: dt.date | None = None,
        scope: str = "document",
    ) -> Callable[[RuleFunc], RuleFunc]:
        if not _CODE.match(code):
            raise ValueError(f"bad rule code {code!r}")
        if not _NAME.match(name):
            raise ValueError(f"rule name {name!r} is not kebab-case")
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        if scope not in SCOPES:
            raise ValueError(f"unknown scope {scope!r}")
        if self.country is None and role != "any":
            raise ValueError(f"{code}: a role applies to country-pack rules only")
        if self.country is not None:
            if countries:
                raise ValueError(f"{code}: a pack rule's country is its pack's")
            countries = (self.country,)
        if effective_from and effective_until and effective_until < effective_from:
            raise ValueError(f"{code}: effective_until is before effective_from")

        def register(func: RuleFunc) -> RuleFunc:
            if any(r.code == code for r in self.rules):
                raise ValueError(f"duplicate rule code {code}")
            self.rules.append(
                Rule(
                    code=code,
                    name=name,
                    severity=severity,
                    doctypes=doctypes,
                    basis=basis,
                    func=func,
                    family=self.name,
                    countries=countries,
                    role=role,
                    effective_from=effective_from,
                    effective_until=effective_until,
                    scope=scope,
                    pack=self.country,
                )
            )
            return func

        return register


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
    from . import acdd, batch, eformd, ephyto, response

    return [acdd.FAMILY, eformd.FAMILY, response.FAMILY, ephyto.FAMILY, batch.FAMILY]


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
        except Exception as err:
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
