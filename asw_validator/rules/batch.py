"""Cross-document rules (``BT`` codes): run once after every document of a run is validated.

A batch rule reads the bound models of the run's documents (``BatchDocument``) and yields
``(index, Problem)``: the problem belongs to the document at ``index``. Each rule names the
other document in its message, so the finding makes sense in a per-document report.

Each rule compares documents of one group with each other (``pairs``: a group of one is not
judged) and declares how it groups them (``group_by``: the e-Form D reference, the
reference a response answers, or the commercial invoice an e-Form D and an Origin Declaration
name); the engine groups the run once and the rule judges one group
at a time, so the pass is linear in the number of documents and a rule that fails on one
group marks only that group's documents INT001.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal

from ..binding.base import Located, as_date, as_decimal, as_int
from ..binding.eformd import FormD, ticked
from ..binding.origin_declaration import Item as OdItem
from ..binding.origin_declaration import OriginDeclaration
from ..binding.response import CustomsResponse
from ..context import Context
from ..dates import add_months
from ..i18n import T, words_or
from ..model import Severity
from ..refdata import criteria
from ..work import WORK
from . import common
from .base import BatchDocument, BatchProblem, Family, problem

FAMILY = Family("batch", "1.2.0")
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
    return shown if total <= limit else T("{shown} and {n} more", shown=shown, n=total - limit)


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
    severity=Severity.WARNING,
    doctypes=("eformd",),
    basis=f"{OCP} 29(4) (an altered e-Form D is replaced by a new one and the previous one "
    "cancelled: two certificates under one number that do not replace each other are two "
    "live certificates); Rule 7's reference numbering is the paper Form D's, excluded for "
    "e-Form D by Rule 26(2), and the e-Form D MIG is not public: hence a warning",
    scope="batch",
    group_by=_reference,
    pairs=True,
)
def duplicate_reference(docs: Sequence[BatchDocument], ctx: Context) -> Iterator[BatchProblem]:
    """Two e-Form D of one issuing member share a reference number; neither replaces the other.

    Reported on every certificate involved. A replacement (OCP 29(4)) usually has a number of
    its own; one that keeps the number names it in ``ReplacesReferenceNumber`` and does not
    count. Numbers compare without case and surrounding space; the same file given twice
    (identical bytes) is one certificate. A warning: no rule that applies to e-Form D states
    that numbers are unique (Rule 7 is the paper form's).

    Fails (warning): a.xml: ``<fd:ReferenceNumber>VN-HCM-25-00123</fd:ReferenceNumber>
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
    pairs=True,
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
                    before=before,
                    issued=issued,
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
    pairs=True,
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
    have = ", ".join(str(n) for n in sorted(numbers)) or T("none")
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
    pairs=True,
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


def _originals_and_back_to_backs(doc: BatchDocument) -> list[Key]:
    """An e-Form D's own group, and the groups of the originals a back-to-back names."""
    keys = _reference(doc)
    model = doc.model
    if isinstance(model, FormD) and ticked(model.box13.back_to_back):
        for proof in model.original_proofs:
            key = _key(proof.issuing_country, proof.reference)
            if key:
                keys.append(key)
    return keys


@rule(
    code="BT005",
    name="back-to-back-original-contradicts",
    severity=Severity.ERROR,
    doctypes=("eformd",),
    basis=f"{OCP} 1(b) and 11(1) (a back-to-back is issued on a valid original proof of the "
    "first exporting member, whose reference and date box 7 gives) and 14 (12 months)",
    scope="batch",
    group_by=_originals_and_back_to_backs,
    pairs=True,
)
def back_to_back_original_contradicts(
    docs: Sequence[BatchDocument], ctx: Context
) -> Iterator[BatchProblem]:
    """A back-to-back e-Form D and its original, both in the run, disagree.

    The original named in box 7 (reference and issuing member) is looked up in the run. The
    back-to-back's box 7 date must be the original's issue date; the original must be issued
    by another member, on or before the back-to-back, and less than 12 months before it; box
    11 names the original's producing country. What the box 7 data alone shows is FD033-FD036's.

    Fails: b2b.xml: ``<fd:OriginalProofOfOrigin><fd:ReferenceNumber>SG-2025-001</fd:ReferenceNumber>
    <fd:IssueDate>2025-02-20</fd:IssueDate><fd:IssuingCountry>SG</fd:IssuingCountry>
    </fd:OriginalProofOfOrigin>``; sg.xml:
    ``<fd:ReferenceNumber>SG-2025-001</fd:ReferenceNumber><fd:IssuingCountry>SG</fd:IssuingCountry>
    <!-- ... --><fd:Certification><fd:IssueDate>2025-02-27</fd:IssueDate></fd:Certification>``
    Passes: the dates agree, b2b.xml: ``<fd:OriginalProofOfOrigin><!-- ... -->
    <fd:IssueDate>2025-02-20</fd:IssueDate><!-- ... --></fd:OriginalProofOfOrigin>``; sg.xml:
    ``<fd:ReferenceNumber>SG-2025-001</fd:ReferenceNumber><fd:IssuingCountry>SG</fd:IssuingCountry>
    <!-- ... --><fd:Certification><fd:IssueDate>2025-02-20</fd:IssueDate></fd:Certification>``,
    and the original is issued by SG for goods produced in SG
    """
    key = _group_key(docs)
    originals = _certificates(docs, key)
    if not originals:
        return
    original_doc, original = originals[0]
    issued_original = as_date(original.issue_date)
    for doc in docs:
        WORK.visits += 1
        form = doc.model
        if doc is original_doc or not isinstance(form, FormD):
            continue
        for proof in form.original_proofs:
            if _key(proof.issuing_country, proof.reference) != key:
                continue
            stated = as_date(proof.issue_date)
            issued = as_date(form.issue_date)
            if stated is not None and issued_original is not None and stated != issued_original:
                yield (
                    doc.index,
                    problem(
                        "Box 7 dates the original {ref} {value}, but {path} is issued on {actual}",
                        proof.issue_date,
                        ref=proof.reference.text,
                        path=original_doc.path,
                        actual=issued_original,
                        expected=issued_original.isoformat(),
                    ),
                )
            elif stated is None and issued_original is not None and issued is not None:
                last = add_months(issued_original, 12)
                if issued_original > issued or issued > last:
                    yield (
                        doc.index,
                        problem(
                            "The original {ref} ({path}) is issued {actual}; this back-to-back,"
                            " issued {issued}, must follow it within its 12 months (to {last})",
                            proof.reference,
                            ref=proof.reference.text,
                            path=original_doc.path,
                            actual=issued_original,
                            issued=issued,
                            last=last,
                            expected=f"issued from {issued_original} to {last}",
                        ),
                    )
            produced, origin = form.producing_country, original.producing_country
            if produced.usable and origin.usable and produced.text != origin.text:
                yield (
                    doc.index,
                    problem(
                        "Box 11 says the goods are produced in {value}; the original {ref}"
                        " ({path}) says {origin}",
                        produced,
                        ref=proof.reference.text,
                        path=original_doc.path,
                        origin=origin.text,
                        expected=origin.text,
                    ),
                )


#: Customs Response statuses that report a utilisation (schemas/eformd-response).
UTILISED = frozenset({"utilised", "partially-utilised"})


@rule(
    code="BT006",
    name="utilisation-after-validity",
    severity=Severity.WARNING,
    doctypes=("eformd", "eformd-response"),
    basis=f"{OCP} 30(2) (the importing member sends the utilisation status within the validity"
    " of the e-Form D) and 14 (12 months from issuance); late acceptance is possible (Rule "
    "14(b)), hence a warning",
    scope="batch",
    group_by=_answered,
    pairs=True,
)
def utilisation_after_validity(
    docs: Sequence[BatchDocument], ctx: Context
) -> Iterator[BatchProblem]:
    """A utilisation response is dated after the 12 months of its e-Form D (both in the run).

    Fails (warning): cert.xml:
    ``<fd:Certification><fd:IssueDate>2025-03-12</fd:IssueDate></fd:Certification>``;
    response.xml: ``<cr:ResponseDate>2026-04-01</cr:ResponseDate><cr:Status>utilised</cr:Status>``
    Passes: cert.xml:
    ``<fd:Certification><fd:IssueDate>2025-03-12</fd:IssueDate></fd:Certification>``;
    response.xml: ``<cr:ResponseDate>2026-03-12</cr:ResponseDate><cr:Status>utilised</cr:Status>``
    (the last day of validity)
    """
    responses, certs = _responses(docs)
    issued = min((d for _, f in certs if (d := as_date(f.issue_date)) is not None), default=None)
    if issued is None:
        return
    last = add_months(issued, 12)
    for doc, resp in responses:
        WORK.visits += 1
        answered = as_date(resp.response_date)
        if resp.status.text in UTILISED and answered and answered > last:
            yield (
                doc.index,
                problem(
                    "The utilisation response of {value} comes after the e-Form D's validity"
                    " (issued {issued}, valid to {last})",
                    resp.response_date,
                    issued=issued,
                    last=last,
                    expected=f"a response on or before {last.isoformat()}",
                ),
            )


# ----- an Origin Declaration and an e-Form D of the same commercial invoice -----

#: (how the exporter is identified, its member, the exporter, invoice number, invoice date)
InvoiceKey = tuple[str, str, str, str, str]


def _exporter_name(name: Located) -> str | None:
    """Letters and digits of a name, case-folded: "Mekong Agro Export J.S.C." and "MEKONG AGRO
    EXPORT JSC" are one exporter."""
    text = "".join(ch for ch in name.text.casefold() if ch.isalnum()) if name.usable else ""
    return text or None


def _invoice_refs(model: FormD | OriginDeclaration) -> list[tuple[Located, Located]]:
    """The commercial invoices a document names: box 10 of each e-Form D item, or the
    invoice an OD is made out on (or names, when made out on another document)."""
    if isinstance(model, OriginDeclaration):
        return [model.invoice_reference()]
    return [(item.invoice_number, item.invoice_date) for item in model.items]


def _same_invoice(doc: BatchDocument) -> list[InvoiceKey]:
    """The invoice groups of an e-Form D or an OD: one per invoice it names and way its
    exporter is identified (by identifier where it has one, and by name)."""
    model = doc.model
    if not isinstance(model, (FormD, OriginDeclaration)):
        return []
    member = _norm(model.issuing_country)
    ident, name = _norm(model.exporter.id), _exporter_name(model.exporter.name)
    keys: dict[InvoiceKey, None] = {}  # in order, each once: items repeat their invoice
    for number, date in _invoice_refs(model):
        WORK.visits += 1
        n, d = _norm(number), as_date(date)
        if not member or not n or d is None:
            continue
        for how, who in (("id", ident), ("name", name)):
            if who:
                keys[(how, member, who, n, d.isoformat())] = None
    return list(keys)


def _hs6(loc: Located) -> str | None:
    found = common.tariff_code(loc)
    return found[0][:6] if found is not None and found[1] and len(found[0]) >= 6 else None


def _dotted(hs6: str) -> str:
    """An HS subheading as written: ``1006.30``."""
    return f"{hs6[:4]}.{hs6[4:]}"


QuantityKey = tuple[str, str]  # (HS subheading, unit)


def _quantities(
    lines: Sequence[tuple[Located, Located, Located]],
) -> dict[QuantityKey, Decimal]:
    """Total quantity per (HS subheading, unit) of (HS code, quantity, unit) lines."""
    totals: dict[QuantityKey, Decimal] = {}
    for code, quantity, unit in lines:
        hs6, value = _hs6(code), as_decimal(quantity)
        if hs6 is not None and value is not None and unit.usable:
            totals[(hs6, unit.text)] = totals.get((hs6, unit.text), Decimal(0)) + value
    return totals


class _Certificates:
    """What the e-Form D of one invoice say, item by item, for comparison with an OD: the
    criteria per HS subheading, and each certificate's quantity per subheading and unit
    (box 9's other quantity; the gross weight is not the quantity of goods)."""

    def __init__(self, certs: Sequence[BatchDocument]) -> None:
        self.paths = [d.path for d in certs[:3]]
        self.count = len(certs)
        self.criteria: dict[str, set[criteria.Criterion]] = {}
        self.quantities: dict[QuantityKey, set[Decimal]] = {}
        for doc in certs:
            form: FormD = doc.model
            WORK.visits += 1 + len(form.items)
            for item in form.items:
                hs6 = _hs6(item.hs_code)
                if hs6 is not None:
                    found = self.criteria.setdefault(hs6, set())
                    if (c := common.item_criterion(item)) is not None:
                        found.add(c)
            lines = [(i.hs_code, i.quantity, i.quantity_unit) for i in form.items]
            for key, total in _quantities(lines).items():
                self.quantities.setdefault(key, set()).add(total)

    @property
    def named(self) -> str:
        return _names(self.paths, self.count)


def _pairs(
    docs: Sequence[BatchDocument],
) -> Iterator[tuple[BatchDocument, OriginDeclaration, _Certificates]]:
    """Each OD of an invoice group with the e-Form D of the same exporter it is compared to.

    In a group by identifier every document has the exporter's identifier; in a group by name,
    an OD is compared with the certificates that give no identifier, or with all when it gives
    none itself (documents that both give an identifier are the identifier group's: equal
    there, or two exporters of one name).
    """
    how = _group_key_of(docs)[0]
    ods = [(d, d.model) for d in docs if isinstance(d.model, OriginDeclaration)]
    certs = [d for d in docs if isinstance(d.model, FormD)]
    WORK.visits += len(docs)
    if not ods or not certs:
        return
    every = _Certificates(certs)
    unidentified = [d for d in certs if not _norm(d.model.exporter.id)]
    anonymous = _Certificates(unidentified) if how == "name" and unidentified else None
    for doc, od in ods:
        if how == "id" or not _norm(od.exporter.id):
            yield doc, od, every
        elif anonymous is not None:
            yield doc, od, anonymous


def _group_key_of(docs: Sequence[BatchDocument]) -> InvoiceKey:
    key = getattr(docs, "key", None)
    if not (isinstance(key, tuple) and len(key) == 5):
        raise TypeError("an invoice rule judges the groups its group_by makes")
    return key


def _invoice_text(od: OriginDeclaration) -> str:
    number, date = od.invoice_reference()
    return T("{number} of {date}", number=number.text, date=date.text)


BASIS_SAME_INVOICE = (
    f"{OCP} 1A (Form D, e-Form D and Origin Declaration are each a proof of origin) and 5(2) "
    "(a CE may apply for a Form D in place of making out an OD; AWSC Guidebook FAQ 15-16: "
    "either or both): two proofs for the goods of one invoice describe the same goods; "
    f"{OCP} 16 (discrepancies need not invalidate a proof), hence a warning"
)


@rule(
    code="BT007",
    name="od-eformd-hs-differs",
    severity=Severity.WARNING,
    doctypes=("eformd", "origin-declaration"),
    basis=BASIS_SAME_INVOICE + "; HS codes: OCP Attachment 1 item 2(ii), Annex 7 Note 6",
    scope="batch",
    group_by=_same_invoice,
    pairs=True,
)
def od_eformd_hs_differs(docs: Sequence[BatchDocument], ctx: Context) -> Iterator[BatchProblem]:
    """An Origin Declaration names an HS subheading that no e-Form D of the same commercial
    invoice (in the run) has.

    The same invoice is the same exporter (its identifier where both documents give one, else
    its name, compared by letters and digits without case), its member, and the invoice's
    number and date (e-Form D box 10; the invoice the OD is made out on, or names). An ACDD
    carries no invoice number and is not compared. Codes are compared by their first 6 digits.

    Fails (warning): both of invoice MAE-2025-0311, od.xml: ``<od:HSCode>1902.19</od:HSCode>``;
    fd.xml: ``<fd:HSCode>1902.30.20</fd:HSCode>``
    Passes: od.xml: ``<od:HSCode>1902.30</od:HSCode>`` (or 1902.30.20); fd.xml:
    ``<fd:HSCode>1902.30.20</fd:HSCode>``
    """
    for doc, od, certs in _pairs(docs):
        WORK.visits += len(od.items)
        if not certs.criteria:
            continue
        for item in od.items:
            hs6 = _hs6(item.hs_code)
            if hs6 is not None and hs6 not in certs.criteria:
                yield (
                    doc.index,
                    problem(
                        "HS code {value!r} of item {n} is on no item of the e-Form D of invoice"
                        " {invoice} ({paths}), whose subheadings are {codes}",
                        item.hs_code,
                        n=item.number.text or "?",
                        invoice=_invoice_text(od),
                        paths=certs.named,
                        codes=", ".join(_dotted(c) for c in sorted(certs.criteria)),
                        expected="the subheading the e-Form D gives for these goods",
                    ),
                )


@rule(
    code="BT008",
    name="od-eformd-criterion-differs",
    severity=Severity.WARNING,
    doctypes=("eformd", "origin-declaration"),
    basis=BASIS_SAME_INVOICE + "; criteria: OCP Attachment 1 item 2(iii), Annex 7 box 8",
    scope="batch",
    group_by=_same_invoice,
    pairs=True,
)
def od_eformd_criterion_differs(
    docs: Sequence[BatchDocument], ctx: Context
) -> Iterator[BatchProblem]:
    """An Origin Declaration claims another origin criterion for goods of an HS subheading than
    the e-Form D of the same commercial invoice (in the run).

    Criteria are compared as criteria, not as text: ``45%`` and ``RVC 45%`` agree. Invoices
    and exporters match as for BT007.

    Fails (warning): for goods of 1902.30, od.xml: ``<od:OriginCriterion>CTH</od:OriginCriterion>``;
    fd.xml: ``<fd:OriginCriterion>RVC 45%</fd:OriginCriterion>``
    Passes: od.xml: ``<od:OriginCriterion>45%</od:OriginCriterion>``; fd.xml:
    ``<fd:OriginCriterion>RVC 45%</fd:OriginCriterion>``
    """
    for doc, od, certs in _pairs(docs):
        WORK.visits += len(od.items)
        for item in od.items:
            hs6, claimed = _hs6(item.hs_code), common.item_criterion(item)
            theirs = certs.criteria.get(hs6 or "")
            if claimed is None or not theirs or claimed in theirs:
                continue
            yield (
                doc.index,
                problem(
                    "Item {n} ({hs6}) claims origin criterion {value!r}; the e-Form D of"
                    " invoice {invoice} ({paths}) claims {theirs} for that subheading",
                    item.criterion,
                    n=item.number.text or "?",
                    hs6=_dotted(hs6 or ""),
                    invoice=_invoice_text(od),
                    paths=certs.named,
                    theirs=words_or(sorted(_criterion_text(c) for c in theirs)),
                    expected="the criterion of the e-Form D",
                ),
            )


def _criterion_text(c: criteria.Criterion) -> str:
    parts = sorted(c.terms)
    if c.rvc is not None:
        parts.append(f"{c.rvc:f}%")
    if c.pc is not None:
        parts.append(f"PC {c.pc:f}%")
    return " + ".join(parts) if parts else "PE"


@rule(
    code="BT009",
    name="od-eformd-quantity-differs",
    severity=Severity.WARNING,
    doctypes=("eformd", "origin-declaration"),
    basis=BASIS_SAME_INVOICE + "; quantities: OCP Attachment 1 item 2(vi), Annex 7 box 9",
    scope="batch",
    group_by=_same_invoice,
    pairs=True,
)
def od_eformd_quantity_differs(
    docs: Sequence[BatchDocument], ctx: Context
) -> Iterator[BatchProblem]:
    """An Origin Declaration's quantity of the goods of an HS subheading differs from that of
    the e-Form D of the same commercial invoice (in the run), in the same unit.

    Quantities are added up per subheading and unit on each side; the e-Form D's is box 9's
    other quantity (``Quantity``), never its gross weight, which includes packing. Several
    e-Form D of one invoice (a replacement) are not added together: the OD must agree with
    one of them. Invoices and exporters match as for BT007.

    Fails (warning): od.xml: ``<od:HSCode>4407.10</od:HSCode><!-- ... -->
    <od:Quantity unitCode="MTQ">128</od:Quantity>``; fd.xml: ``<fd:HSCode>4407.10</fd:HSCode>
    <!-- ... --><fd:Quantity unitCode="MTQ">118</fd:Quantity>``
    Passes: both give 118 MTQ, od.xml: ``<od:HSCode>4407.10</od:HSCode><!-- ... -->
    <od:Quantity unitCode="MTQ">118</od:Quantity>``; fd.xml: ``<fd:HSCode>4407.10</fd:HSCode>
    <!-- ... --><fd:Quantity unitCode="MTQ">118</fd:Quantity>``; or the e-Form D gives only a
    gross weight
    """
    for doc, od, certs in _pairs(docs):
        WORK.visits += len(od.items)
        lines = [(i.hs_code, i.quantity, i.quantity_unit) for i in od.items]
        firsts: dict[QuantityKey, OdItem] = {}
        for item in od.items:
            hs6 = _hs6(item.hs_code)
            if hs6 is not None and item.quantity_unit.usable:
                firsts.setdefault((hs6, item.quantity_unit.text), item)
        for key, total in _quantities(lines).items():
            theirs = certs.quantities.get(key)
            if not theirs or total in theirs:
                continue
            item = firsts[key]
            yield (
                doc.index,
                problem(
                    "The declaration gives {total} {unit} of {hs6} (item {n}); the e-Form D of"
                    " invoice {invoice} ({paths}) gives {theirs} {unit}",
                    item.quantity,
                    total=common.decimal(total),
                    unit=key[1],
                    hs6=_dotted(key[0]),
                    n=item.number.text or "?",
                    invoice=_invoice_text(od),
                    paths=certs.named,
                    theirs=words_or(
                        [common.decimal(q) for q in sorted(theirs, key=lambda q: f"{q:f}")]
                    ),
                    expected=" or ".join(sorted(f"{q:f}" for q in theirs)),
                ),
            )
