"""Cross-document rules (``BT`` codes): run once after every document of a run is validated.

A batch rule reads the bound models of the run's documents (``BatchDocument``) and yields
``(index, Problem)``: the problem belongs to the document at ``index``. Each rule names the
other document in its message, so the finding makes sense in a per-document report.

Each rule declares how it groups documents (``group_by``: the e-Form D reference, or the
reference a response answers); the engine groups the run once and the rule judges one group
at a time, so the pass is linear in the number of documents and a rule that fails on one
group marks only that group's documents INT001.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from ..binding.base import Located, as_date, as_int
from ..binding.eformd import FormD
from ..binding.response import CustomsResponse
from ..context import Context
from ..model import Severity
from ..work import WORK
from .base import BatchDocument, BatchProblem, Family, problem

FAMILY = Family("batch", "1.0.0")
rule = FAMILY.rule
OCP = "ATIGA Annex 8 OCP Rule"

Key = tuple[str, str]


def _norm(loc: Located) -> str | None:
    return " ".join(loc.text.upper().split()) if loc.usable else None


def _key(country: Located, reference: Located) -> Key | None:
    c, r = _norm(country), _norm(reference)
    return (c, r) if c and r else None


def _names(paths: list[str], total: int, limit: int = 3) -> str:
    """Up to ``limit`` of ``total`` paths, then a count: a reference copied into 500 files
    must not make every message 500 paths long."""
    shown = ", ".join(paths[:limit])
    return shown if total <= limit else f"{shown} and {total - limit} more"


def _reference(doc: BatchDocument) -> list[Key]:
    """An e-Form D's group: its issuing member and reference number."""
    if isinstance(doc.model, FormD):
        key = _key(doc.model.issuing_country, doc.model.reference)
        return [key] if key else []
    return []


def _reference_and_target(doc: BatchDocument) -> list[Key]:
    """An e-Form D's own group, and the group of the certificate it replaces."""
    keys = _reference(doc)
    if isinstance(doc.model, FormD):
        target = _key(doc.model.issuing_country, doc.model.replaces)
        if target:
            keys.append(target)
    return keys


def _answered(doc: BatchDocument) -> list[Key]:
    """An e-Form D's group, or the group of the e-Form D a Customs Response answers."""
    if isinstance(doc.model, CustomsResponse):
        key = _key(doc.model.eformd_issuing_country, doc.model.eformd_reference)
        return [key] if key else []
    return _reference(doc)


def _certificates(group: Sequence[BatchDocument], key: Key) -> list[tuple[BatchDocument, FormD]]:
    """The e-Form D of ``group`` whose own reference is ``key``."""
    WORK.visits += len(group)
    return [
        (d, d.model)
        for d in group
        if isinstance(d.model, FormD) and _key(d.model.issuing_country, d.model.reference) == key
    ]


def _group_key(group: Sequence[BatchDocument]) -> Key:
    """The key the engine grouped ``group`` by."""
    key = getattr(group, "key", None)
    if not (isinstance(key, tuple) and len(key) == 2):
        raise TypeError("a BT rule judges the groups its group_by makes")
    return key


class _Others:
    """For each document of a group, the others that are not the same bytes: counted and
    named (three at most) in time linear in the group, whatever it holds."""

    def __init__(self, docs: Sequence[BatchDocument]) -> None:
        # Identical bytes are one certificate given twice: one class per SHA-256 (a document
        # without a hash is a class of its own).
        self._class = {d.index: d.sha256 or f"#{d.index}" for d in docs}
        self._sizes: dict[str, int] = {}
        firsts: dict[str, list[BatchDocument]] = {}
        for d in docs:
            WORK.visits += 1
            c = self._class[d.index]
            self._sizes[c] = self._sizes.get(c, 0) + 1
            if len(firsts) < 4 or c in firsts:
                kept = firsts.setdefault(c, [])
                if len(kept) < 3:
                    kept.append(d)
        # The first three others of any document lie among the first three documents of the
        # first four classes (its own class being at most one of them).
        self._candidates = sorted((d for ds in firsts.values() for d in ds), key=lambda d: d.index)
        self._total = len(docs)

    def of(self, doc: BatchDocument) -> tuple[list[str], int]:
        own = self._class[doc.index]
        WORK.visits += len(self._candidates)
        count = self._total - self._sizes[own]
        named = [d.path for d in self._candidates if self._class[d.index] != own][:3]
        return named, count


@rule(
    code="BT001",
    name="duplicate-reference",
    severity=Severity.ERROR,
    doctypes=("eformd",),
    basis=f"{OCP} 7 (each Form D bears its own reference number) and 29(4) (an altered "
    "e-Form D replaces the earlier one)",
    scope="batch",
    group_by=_reference,
)
def duplicate_reference(docs: Sequence[BatchDocument], ctx: Context) -> Iterator[BatchProblem]:
    """Two e-Form D of one issuing member share a reference number; neither replaces the other.

    Reported on every certificate involved. A replacement (OCP 29(4)) usually has a number of
    its own; one that keeps the number names it in ``ReplacesReferenceNumber`` and does not
    count. Numbers compare without case and surrounding space; the same file given twice
    (identical bytes) is one certificate.

    Fails: a.xml: ``<fd:ReferenceNumber>VN-HCM-25-00123</fd:ReferenceNumber>
    <fd:IssuingCountry>VN</fd:IssuingCountry>``; b.xml:
    ``<fd:ReferenceNumber>VN-HCM-25-00123</fd:ReferenceNumber>
    <fd:IssuingCountry>VN</fd:IssuingCountry>``
    Passes: a.xml: ``<fd:ReferenceNumber>VN-HCM-25-00123</fd:ReferenceNumber>
    <fd:IssuingCountry>VN</fd:IssuingCountry>``; b.xml:
    ``<fd:ReferenceNumber>VN-HCM-25-00123</fd:ReferenceNumber>
    <fd:IssuingCountry>VN</fd:IssuingCountry>
    <fd:ReplacesReferenceNumber>VN-HCM-25-00123</fd:ReplacesReferenceNumber>``
    """
    _, ref = _group_key(docs)
    originals = [d for d in docs if isinstance(d.model, FormD) and _norm(d.model.replaces) != ref]
    others = _Others(originals)
    for doc in originals:
        named, count = others.of(doc)
        if not count:
            continue
        yield (
            doc.index,
            problem(
                "Reference number {value!r} is also used by {others}; no replacement"
                " (ReplacesReferenceNumber) links them",
                doc.model.reference,
                others=_names(named, count),
                expected="a reference number of its own, or ReplacesReferenceNumber",
            ),
        )


@rule(
    code="BT002",
    name="replacement-issued-before-original",
    severity=Severity.ERROR,
    doctypes=("eformd",),
    basis=f"{OCP} 29(4) (alteration: a new e-Form D is issued and the previous one cancelled)",
    scope="batch",
    group_by=_reference_and_target,
)
def replacement_issued_before_original(
    docs: Sequence[BatchDocument], ctx: Context
) -> Iterator[BatchProblem]:
    """A replacing e-Form D is issued before the certificate it replaces (both in the run).

    Reported once per replacing certificate, against the latest-issued original of the run.

    Fails: old.xml: ``<fd:ReferenceNumber>VN-HCM-25-00123</fd:ReferenceNumber><!-- ... -->
    <fd:Certification><fd:IssueDate>2025-03-12</fd:IssueDate></fd:Certification>``; new.xml:
    ``<fd:ReplacesReferenceNumber>VN-HCM-25-00123</fd:ReplacesReferenceNumber><!-- ... -->
    <fd:Certification><fd:IssueDate>2025-03-10</fd:IssueDate></fd:Certification>``
    Passes: old.xml: ``<fd:ReferenceNumber>VN-HCM-25-00123</fd:ReferenceNumber><!-- ... -->
    <fd:Certification><fd:IssueDate>2025-03-12</fd:IssueDate></fd:Certification>``; new.xml:
    ``<fd:ReplacesReferenceNumber>VN-HCM-25-00123</fd:ReplacesReferenceNumber><!-- ... -->
    <fd:Certification><fd:IssueDate>2025-03-20</fd:IssueDate></fd:Certification>``
    """
    key = _group_key(docs)
    # The two latest originals: a replacement that keeps its original's number is in both
    # lists, and must be compared with another document than itself.
    latest: list[tuple[dt.date, BatchDocument]] = []
    for doc, original in _certificates(docs, key):
        WORK.visits += 1
        issued = as_date(original.issue_date)
        if issued is not None:
            latest = sorted([*latest, (issued, doc)], key=lambda x: (x[0], -x[1].index))[-2:]
    for doc in docs:
        WORK.visits += 1
        form = doc.model
        if not isinstance(form, FormD) or _key(form.issuing_country, form.replaces) != key:
            continue
        issued = as_date(form.issue_date)
        later = [(day, other) for day, other in latest if other is not doc]
        if issued is None or not later:
            continue
        before, other = later[-1]
        if issued < before:
            yield (
                doc.index,
                problem(
                    "This certificate replaces {value!r} ({other}), issued {before}, but is"
                    " itself issued earlier, on {issued}",
                    form.replaces,
                    other=other.path,
                    before=before.isoformat(),
                    issued=issued.isoformat(),
                    expected=f"an issue date on or after {before.isoformat()}",
                ),
            )


def _responses(
    docs: Sequence[BatchDocument],
) -> tuple[list[tuple[BatchDocument, CustomsResponse]], list[tuple[BatchDocument, FormD]]]:
    """The responses of a group and the certificates they answer (the group's key)."""
    key = _group_key(docs)
    responses = [(d, d.model) for d in docs if isinstance(d.model, CustomsResponse)]
    return responses, _certificates(docs, key)


@rule(
    code="BT003",
    name="response-item-not-on-certificate",
    severity=Severity.ERROR,
    doctypes=("eformd", "eformd-response"),
    basis=f"{OCP} 30 and ATIGA Annex 7 Note 9 (decisions per item of the e-Form D)",
    scope="batch",
    group_by=_answered,
)
def response_item_not_on_certificate(
    docs: Sequence[BatchDocument], ctx: Context
) -> Iterator[BatchProblem]:
    """A Customs Response names an item number its e-Form D (in the same run) does not have.

    Fails: cert.xml: ``<fd:Item><fd:ItemNumber>1</fd:ItemNumber><!-- ... --></fd:Item><fd:Item>
    <fd:ItemNumber>2</fd:ItemNumber><!-- ... --></fd:Item>``; response.xml:
    ``<cr:ItemDecision><cr:ItemNumber>5</cr:ItemNumber><cr:Decision>rejected</cr:Decision>
    </cr:ItemDecision>``
    Passes: cert.xml: ``<fd:Item><fd:ItemNumber>1</fd:ItemNumber><!-- ... --></fd:Item><fd:Item>
    <fd:ItemNumber>2</fd:ItemNumber><!-- ... --></fd:Item>``; response.xml:
    ``<cr:ItemDecision><cr:ItemNumber>2</cr:ItemNumber><cr:Decision>rejected</cr:Decision>
    </cr:ItemDecision>``
    """
    responses, certs = _responses(docs)
    if not responses or not certs:
        return
    numbers = {n for _, f in certs for i in f.items if (n := as_int(i.number)) is not None}
    have = ", ".join(str(n) for n in sorted(numbers)) or "none"
    paths = _names([d.path for d, _ in certs[:3]], len(certs))
    for doc, resp in responses:
        WORK.visits += 1 + len(resp.items)
        for decision in resp.items:
            number = as_int(decision.item_number)
            if number is not None and number not in numbers:
                yield (
                    doc.index,
                    problem(
                        "Item {value} is not on e-Form D {ref} ({paths}), whose item numbers"
                        " are {have}",
                        decision.item_number,
                        ref=resp.eformd_reference.text,
                        paths=paths,
                        have=have,
                        expected="an item number of the e-Form D",
                    ),
                )


@rule(
    code="BT004",
    name="response-country-mismatch",
    severity=Severity.WARNING,
    doctypes=("eformd", "eformd-response"),
    basis=f"{OCP} 30 (the importing member named on the e-Form D answers it)",
    scope="batch",
    group_by=_answered,
)
def response_country_mismatch(
    docs: Sequence[BatchDocument], ctx: Context
) -> Iterator[BatchProblem]:
    """The responding importing country is not the importing country of its e-Form D.

    Fails (warning): cert.xml:
    ``<fd:ExporterDeclaration><!-- ... --><fd:ImportingCountry>KH</fd:ImportingCountry>
    </fd:ExporterDeclaration>``; response.xml: ``<cr:ImportingCountry>TH</cr:ImportingCountry>``
    Passes: cert.xml: ``<fd:ExporterDeclaration><!-- ... -->
    <fd:ImportingCountry>KH</fd:ImportingCountry></fd:ExporterDeclaration>``; response.xml:
    ``<cr:ImportingCountry>KH</cr:ImportingCountry>``
    """
    responses, certs = _responses(docs)
    importers = {i for _, f in certs if (i := _norm(f.importing_country))}
    if not responses or not importers:
        return
    paths = _names([d.path for d, _ in certs[:3]], len(certs))
    for doc, resp in responses:
        WORK.visits += 1
        loc = resp.importing_country
        if loc.usable and _norm(loc) not in importers:
            yield (
                doc.index,
                problem(
                    "The response comes from {value}, but e-Form D {ref} ({paths}) names"
                    " {importers} as importing country",
                    loc,
                    ref=resp.eformd_reference.text,
                    paths=paths,
                    importers=", ".join(sorted(importers)),
                    expected="the importing country of the e-Form D",
                ),
            )
