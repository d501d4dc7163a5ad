"""Rule identity: ``Rule``, the ``Family`` rules register on, and the ``Problem`` they yield.

Rule families (``acdd``, ``eformd`` ..., and every country pack) import this module; the
registry (``registry.py``) imports the families. One direction only: nothing here knows which
families exist.

A rule is a generator ``(model, ctx) -> Iterator[Problem]`` with a fixed identity: code,
name (the bad thing, kebab-case), default severity, document types, countries and role,
effective dates, basis, and a docstring with a failing and a passing example. The engine,
not the rule, stamps code, severity, XPath and line onto each problem.

The examples close the docstring: ``Fails:`` (``Fails (warning):`` or ``Fails (info):`` for
a rule of that severity) and ``Passes:``, each with XML fragments in double backquotes:
well-formed, at least one element, written with the prefixes of the report's ``namespaces``
table and declaring none; ``<!-- ... -->`` for what is left out, words around a fragment for
what else holds. A cross-document rule names each fragment's file: ``a.xml: ``<fd:...>````.
``tests/test_explain.py`` parses every fragment and checks every element name.
"""

from __future__ import annotations

import datetime as dt
import inspect
import pickle
import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..binding.base import Located
from ..context import Context
from ..model import Severity, clip

ROLES = ("any", "exporter", "importer", "issuer")
#: How ``explain`` says when a country-pack rule runs, by role.
ROLE_TEXT = {
    "any": "the exporting, importing or issuing country",
    "exporter": "the exporting country",
    "importer": "the importing country",
    "issuer": "the issuing country",
}
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
    value = clip(value)
    return Problem(template, at, {"value": value, **params}, value, expected, severity)


class BatchDocument:
    """One document of a run as a batch rule sees it: where it is and its bound model.

    A document validated in a worker process arrives with its model still pickled (``blob``)
    and the keys of the groups it belongs to already computed there (``keys``, by rule
    code): the model is unpickled only when a rule reads it, so a run of thousands of
    unrelated certificates builds none of their models in the parent.
    """

    __slots__ = ("_blob", "_model", "doctype", "index", "keys", "path", "sha256")

    def __init__(
        self,
        index: int,
        path: str,
        doctype: str,
        model: Any = None,
        sha256: str | None = None,  # the same bytes twice (a file named twice): one document
        *,
        blob: bytes | None = None,
        keys: Mapping[str, tuple[Hashable, ...]] | None = None,
    ) -> None:
        self.index = index
        self.path = path
        self.doctype = doctype
        self.sha256 = sha256
        self._model = model
        self._blob = blob
        self.keys = keys

    @property
    def model(self) -> Any:
        if self._model is None and self._blob is not None:
            self._model = pickle.loads(self._blob)  # the worker's own pickle of its model
            self._blob = None
        return self._model

    @property
    def loaded(self) -> bool:
        """Whether the model is built (not still the worker's pickle)."""
        return self._blob is None

    def __repr__(self) -> str:
        return f"BatchDocument({self.index}, {self.path!r}, {self.doctype!r})"


class BatchGroup(list[BatchDocument]):
    """The documents a batch rule judges together, and the key they were grouped by (None
    for a rule that declares no grouping: then the group is every document it reads)."""

    def __init__(self, key: Hashable, docs: Iterable[BatchDocument] = ()) -> None:
        super().__init__(docs)
        self.key = key


#: A batch rule's problem and the index of the document it belongs to.
BatchProblem = tuple[int, Problem]

RuleFunc = Callable[[Any, Context], Iterator[Any]]
#: A batch rule's grouping: the keys of the groups a document belongs to. The rule then
#: judges each group on its own (linear in the run; a failure touches one group only).
GroupBy = Callable[[BatchDocument], Iterable[Hashable]]


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
    #: Batch rules: the groups each document belongs to (None: one group of all documents).
    group_by: GroupBy | None = None
    #: Batch rules that compare documents with each other: a group of one has nothing to
    #: compare, so it is not judged (and its document's model need not be built).
    pairs: bool = False

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.func.__doc__ or "")

    @property
    def summary(self) -> str:
        """The docstring's first paragraph, on one line."""
        return " ".join(self.doc.split("\n\n", 1)[0].split()) if self.doc else ""

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
        group_by: GroupBy | None = None,
        pairs: bool = False,
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
        if group_by is not None and scope != "batch":
            raise ValueError(f"{code}: only a batch rule groups documents")
        if pairs and group_by is None:
            raise ValueError(f"{code}: pairs needs group_by (the groups whose pairs it judges)")

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
                    group_by=group_by,
                    pairs=pairs,
                )
            )
            return func

        return register
