"""Cross-document rules (``BT`` codes): run once after every document of a run is validated.

A batch rule reads the bound models of the run's documents (``BatchDocument``) and yields
``(index, Problem)``: the problem belongs to the document at ``index``. Each rule names the
other document in its message, so the finding makes sense in a per-document report.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from ..binding.base import Located, as_date
from ..binding.eformd import FormD
from ..binding.response import CustomsResponse
from ..context import Context
from ..model import Severity
from .registry import BatchDocument, BatchProblem, Family, problem

FAMILY = Family("batch", "1.0.0")
rule = FAMILY.rule
OCP = "ATIGA Annex 8 OCP Rule"

Key = tuple[str, str]


def _norm(loc: Located) -> str | None:
    return " ".join(loc.text.upper().split()) if loc.usable else None


def _key(country: Located, reference: Located) -> Key | None:
    c, r = _norm(country), _norm(reference)
    return (c, r) if c and r else None


def _names(paths: list[str], limit: int = 3) -> str:
    """Up to ``limit`` paths, then a count: a reference copied into 500 files must not make
    every message 500 paths long."""
    shown = ", ".join(paths[:limit])
    return shown if len(paths) <= limit else f"{shown} and {len(paths) - limit} more"


def _certificates(docs: Sequence[BatchDocument]) -> dict[Key, list[tuple[BatchDocument, FormD]]]:
    by_key: dict[Key, list[tuple[BatchDocument, FormD]]] = defaultdict(list)
    for doc in docs:
        if isinstance(doc.model, FormD):
            key = _key(doc.model.issuing_country, doc.model.reference)
            if key is not None:
                by_key[key].append((doc, doc.model))
    return by_key


@rule(
    code="BT001",
    name="duplicate-reference",
    severity=Severity.ERROR,
    doctypes=("eformd",),
    basis=f"{OCP} 7 (each Form D bears its own reference number) and 29(4) (an altered "
    "e-Form D replaces the earlier one)",
    scope="batch",
)
def duplicate_reference(docs: Sequence[BatchDocument], ctx: Context) -> Iterator[BatchProblem]:
    """Two e-Form D of one issuing member share a reference number; neither replaces the other.

    Reported on every certificate involved. A replacement (OCP 29(4)) usually has a number of
    its own; one that keeps the number names it in ``ReplacesReferenceNumber`` and does not
    count. Numbers compare without case and surrounding space; the same file given twice
    (identical bytes) is one certificate.

    Fails: ``a.xml`` and ``b.xml`` both ``VN`` / ``VN-HCM-25-00123``, no replacement
    Passes: ``b.xml`` has ``<fd:ReplacesReferenceNumber>VN-HCM-25-00123``
    """
    for (_, ref), group in _certificates(docs).items():
        originals = [(d, f) for d, f in group if _norm(f.replaces) != ref]
        for doc, form in originals:
            # identical bytes are the same certificate given twice, not a second one
            others = [
                d.path
                for d, _ in originals
                if d is not doc and (d.sha256 is None or d.sha256 != doc.sha256)
            ]
            if not others:
                continue
            yield (
                doc.index,
                problem(
                    "Reference number {value!r} is also used by {others}; no replacement"
                    " (ReplacesReferenceNumber) links them",
                    form.reference,
                    others=_names(others),
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
)
def replacement_issued_before_original(
    docs: Sequence[BatchDocument], ctx: Context
) -> Iterator[BatchProblem]:
    """A replacing e-Form D is issued before the certificate it replaces (both in the run).

    Fails: ``new.xml`` replaces ``VN-HCM-25-00123`` issued 2025-03-12, but is issued 2025-03-10
    Passes: ``new.xml`` issued 2025-03-20
    """
    by_key = _certificates(docs)
    for doc in docs:
        form = doc.model
        if not isinstance(form, FormD):
            continue
        target = _key(form.issuing_country, form.replaces)
        issued = as_date(form.issue_date)
        if target is None or issued is None:
            continue
        for other, original in by_key.get(target, []):
            before = as_date(original.issue_date)
            if other is not doc and before is not None and issued < before:
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
) -> Iterator[tuple[BatchDocument, CustomsResponse, list[tuple[BatchDocument, FormD]]]]:
    """Each response with the certificates of the run it answers (skipped when none)."""
    by_key = _certificates(docs)
    for doc in docs:
        resp = doc.model
        if isinstance(resp, CustomsResponse):
            key = _key(resp.eformd_issuing_country, resp.eformd_reference)
            certs = by_key.get(key, []) if key else []
            if certs:
                yield doc, resp, certs


@rule(
    code="BT003",
    name="response-item-not-on-certificate",
    severity=Severity.ERROR,
    doctypes=("eformd", "eformd-response"),
    basis=f"{OCP} 30 and ATIGA Annex 7 Note 9 (decisions per item of the e-Form D)",
    scope="batch",
)
def response_item_not_on_certificate(
    docs: Sequence[BatchDocument], ctx: Context
) -> Iterator[BatchProblem]:
    """A Customs Response names an item number its e-Form D (in the same run) does not have.

    Fails: the response decides on item 5 of a two-item certificate
    Passes: the response decides on items 1 and 2
    """
    for doc, resp, certs in _responses(docs):
        numbers = {
            str(int(i.number.text))
            for _, f in certs
            for i in f.items
            if i.number.usable and i.number.text.isdigit()
        }
        for decision in resp.items:
            loc = decision.item_number
            if loc.usable and loc.text.isdigit() and str(int(loc.text)) not in numbers:
                yield (
                    doc.index,
                    problem(
                        "Item {value} is not on e-Form D {ref} ({paths}), whose item numbers"
                        " are {have}",
                        loc,
                        ref=resp.eformd_reference.text,
                        paths=_names([d.path for d, _ in certs]),
                        have=", ".join(sorted(numbers, key=int)) or "none",
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
)
def response_country_mismatch(
    docs: Sequence[BatchDocument], ctx: Context
) -> Iterator[BatchProblem]:
    """The responding importing country is not the importing country of its e-Form D.

    Fails: an e-Form D to KH answered by ``<cr:ImportingCountry>TH</cr:ImportingCountry>``
    Passes: answered by ``KH``
    """
    for doc, resp, certs in _responses(docs):
        loc = resp.importing_country
        importers = {_norm(f.importing_country) for _, f in certs} - {None}
        if loc.usable and importers and _norm(loc) not in importers:
            yield (
                doc.index,
                problem(
                    "The response comes from {value}, but e-Form D {ref} ({paths}) names"
                    " {importers} as importing country",
                    loc,
                    ref=resp.eformd_reference.text,
                    paths=_names([d.path for d, _ in certs]),
                    importers=", ".join(sorted(i for i in importers if i)),
                    expected="the importing country of the e-Form D",
                ),
            )
