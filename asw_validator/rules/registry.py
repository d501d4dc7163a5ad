"""Rule identity, the ``Problem`` a rule yields, and the explicit registry of families.

A rule is a generator ``(model, ctx) -> Iterator[Problem]`` with a fixed identity: code,
name (the bad thing, kebab-case), default severity, document types, countries and role,
effective dates, basis, and a docstring with a failing and a passing example. The engine,
not the rule, stamps code, severity, XPath and line onto each problem.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..binding.base import Located
from ..context import Context
from ..model import Severity

ROLES = ("any", "exporter", "importer", "issuer")
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
            "basis": self.basis,
            "summary": self.summary,
        }


_CODE = re.compile(r"^[A-Z]{2,3}[0-9]{3}$")
_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class Family:
    """A named, versioned group of rules (``acdd``, later ``eformd``, ``vn`` ...)."""

    def __init__(self, name: str, version: str) -> None:
        self.name = name
        self.version = version
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
                )
            )
            return func

        return register


class Registry:
    """All rules of a run, by code; built explicitly from families (no import magic)."""

    def __init__(self, families: list[Family]) -> None:
        self.families = list(families)
        self._by_code: dict[str, Rule] = {}
        for fam in self.families:
            for r in fam.rules:
                if r.code in self._by_code:
                    raise ValueError(f"rule code {r.code} registered twice")
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

    def batch_rules(self) -> list[Rule]:
        return [r for r in self if r.is_batch]

    def versions(self) -> dict[str, str]:
        return {f.name: f.version for f in self.families}


def builtin_registry() -> Registry:
    """The built-in rule families, listed explicitly."""
    from . import acdd, batch, eformd, response

    return Registry([acdd.FAMILY, eformd.FAMILY, response.FAMILY, batch.FAMILY])
