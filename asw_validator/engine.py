"""The validation pipeline: read -> parse -> detect -> XSD -> bind -> rules -> result.

``Validator`` holds settings only; every per-document object (parser, tree, findings) is made
inside ``validate`` and compiled schemas are per thread, so one ``Validator`` may serve many
threads at once. The library never prints or exits: problems become findings, and anything
unexpected becomes ``INT001`` (never a silent "valid").
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import itertools
import os
import stat
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from . import doctypes
from .__about__ import __version__
from .binding.base import DATE_YEARS, Binding
from .context import Context
from .doctypes import DocumentType
from .envelope import Opened, open_envelope
from .i18n import N_, T, words_list
from .interrupts import is_interrupt
from .logs import get_logger
from .model import (
    LIMIT_CODE,
    TOOL_FAILURE_CODES,
    WAIVED,
    DocumentResult,
    Explanation,
    Finding,
    Report,
    Severity,
    clip,
)
from .parsing import DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, parse_bytes
from .policy import PROTECTED, Policy, Waiver, refused
from .rules.base import BatchDocument, BatchGroup, Problem, Rule
from .rules.registry import Registry, default_registry
from .schemas import SchemaLoadError, SchemaResult, schema_info, validate_tree
from .work import WORK
from .xpath import PREFIXES, Locator

if TYPE_CHECKING:
    from .parallel import Task

log = get_logger("asw_validator.engine")

Source = str | os.PathLike[str] | bytes | IO[bytes]

#: Findings listed per document by default; a hostile file cannot make a report unbounded.
DEFAULT_MAX_FINDINGS = 1000
#: What ``Run.map`` takes: a source, a (source, label) pair, or a result made elsewhere.
RunItem = Source | tuple[Source, str | None] | DocumentResult


@dataclass(frozen=True)
class Settings:
    """Everything that changes a verdict; one object, passed from the CLI or by callers."""

    doctype: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    max_depth: int = DEFAULT_MAX_DEPTH
    stop_on_schema_error: bool = False
    today: dt.date | None = None
    presented_on: dt.date | None = None
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    #: Findings listed per document; the rest are counted in one ``LIM001`` (None: all).
    max_findings: int | None = DEFAULT_MAX_FINDINGS
    #: Validate with the user's schema set under this directory (``--schema-dir``), not ours.
    schema_dir: Path | None = None
    #: Codes or prefixes reported (empty: all) and codes or prefixes not reported; the
    #: longest matching entry decides. Never ``XML``, ``DOC``, ``VAL``, ``IO``, ``INT``.
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    #: Severity by code, replacing the rule's own.
    severity: Mapping[str, Severity] = field(default_factory=dict)
    #: Accepted findings: reported, marked waived, not counted against the document.
    waivers: tuple[Waiver, ...] = ()
    #: Lines of input kept before and after each finding's line for reports that show the
    #: XML around a finding (0: none; the input is then dropped as soon as it is parsed).
    excerpt_lines: int = 0

    def __post_init__(self) -> None:
        if self.schema_dir is not None:
            if not isinstance(self.schema_dir, (str, os.PathLike)):
                raise TypeError("schema_dir must be a path")
            if not Path(self.schema_dir).is_dir():
                raise ValueError(f"schema_dir {self.schema_dir} is not a directory")
            object.__setattr__(self, "schema_dir", Path(self.schema_dir).resolve())
        # A wrong value here would only surface later, as INT001 in the first dated rule.
        for name in ("today", "presented_on"):
            value = getattr(self, name)
            if value is None:
                continue
            if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
                raise TypeError(f"{name} must be a datetime.date, not {type(value).__name__}")
            if value.year not in DATE_YEARS:
                first, last = DATE_YEARS.start, DATE_YEARS.stop - 1
                raise ValueError(f"{name} {value} is outside the years {first}-{last}")
        for name in ("max_bytes", "max_depth"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if self.max_findings is not None and self.max_findings < 1:
            raise ValueError("max_findings must be at least 1 (None: no limit)")
        if self.excerpt_lines < 0:
            raise ValueError("excerpt_lines must be at least 0")
        for name in ("select", "ignore"):
            entries = getattr(self, name)
            if isinstance(entries, str) or not all(isinstance(e, str) and e for e in entries):
                raise TypeError(f"{name} must be a tuple of codes or code prefixes")
        if any(not isinstance(v, Severity) for v in self.severity.values()):
            raise TypeError("severity must map codes to Severity values")
        bad = refused([*self.select, *self.ignore, *self.severity, *(w.code for w in self.waivers)])
        if bad:
            raise ValueError(
                f"{', '.join(sorted(set(bad)))}: codes of the {'/'.join(PROTECTED)} families"
                " cannot be selected, ignored, re-graded or waived"
            )


_CHUNK = 1024 * 1024


@dataclass
class _Input:
    """What was read: at most ``max_bytes + 1`` bytes (dropped once parsed: a large input
    is not held twice, as bytes and as a tree); the input's size when known (a regular
    file's from its metadata, else what was read) and, when read whole, its SHA-256."""

    data: bytes
    size: int | None
    sha256: str | None


def _internal(
    template: str,
    params: Mapping[str, Any] | None = None,
    *,
    rule: str | None = None,
    path: str | None = None,
) -> Finding:
    return Finding.worded(
        "INT001",
        Severity.ERROR,
        template,
        params,
        rule=rule or "internal-error",
        basis="asw-validator could not complete this check; the document is NOT known valid",
        path=path,
    )


def _failure(err: BaseException) -> dict[str, str]:
    """An exception as the parameters of an INT001 message: its type and its text."""
    return {"error_type": type(err).__name__, "error": str(err)}


class NotRegularFileError(OSError):
    """A directory walk met a FIFO, device or socket named ``*.xml``: reported, not opened."""


def unreadable(path: str, err: OSError) -> DocumentResult:
    """The result for an input that cannot be read: one IO001 error (IO002 for a file that
    is not a regular file, met in a directory walk), and the run goes on."""
    if isinstance(err, NotRegularFileError):
        code, rule = "IO002", "input-not-regular-file"
        template, reason = N_("Not validated: {reason}"), str(err.strerror)
        basis = "asw-validator input handling (a directory walk opens regular files only)"
    else:
        code, rule = "IO001", "input-unreadable"
        template, reason = N_("Cannot read input: {reason}"), str(err.strerror or err)
        basis = "asw-validator input handling"
    finding = Finding.worded(
        code, Severity.ERROR, template, {"reason": reason}, rule=rule, basis=basis, path=path
    )
    return DocumentResult(path, (finding,))


def _sort_key(f: Finding) -> tuple[int, int]:
    """Document order; findings without a line (whole-document ones) first."""
    return (f.line if f.line is not None else 0, f.column or 0)


class Validator:
    """Validate documents with fixed settings; thread-safe after construction."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        registry: Registry | None = None,
        **kwargs: Any,
    ) -> None:
        if settings is not None and kwargs:
            raise TypeError("pass either a Settings object or keyword settings, not both")
        self.settings = settings or Settings(**kwargs)
        self.registry = registry or default_registry()
        if self.settings.doctype is not None and self.settings.doctype not in doctypes.names():
            raise ValueError(
                f"unknown document type {self.settings.doctype!r};"
                f" known: {', '.join(doctypes.names())}"
            )
        self._rules: dict[str, list[Rule]] = {
            t.name: self.registry.for_doctype(t.rules_doctype) for t in doctypes.all_types()
        }
        self._batch_rules = self.registry.batch_rules()
        self._batch_doctypes = frozenset(d for r in self._batch_rules for d in r.doctypes)
        # One clock for the whole run (and for every worker of it): fixed here.
        self.today = self.settings.today or dt.date.today()
        policy = Policy(
            select=self.settings.select,
            ignore=self.settings.ignore,
            severity=self.settings.severity,
            waivers=self.settings.waivers,
            today=self.today,
        )
        self._policy = policy if policy.active else None
        # XSD errors past the cap are counted, not built; with a policy that may drop or
        # waive some of them, every one is built so that none is counted blindly.
        self._xsd_limit = self.settings.max_findings if self._policy is None else None

    # ----- public API -----

    def validate(self, source: Source, *, path: str | None = None) -> DocumentResult:
        """Validate one document: a path, bytes, or a binary stream."""
        return self._check(source, path)[0]

    def validate_with_model(
        self,
        source: Source,
        *,
        path: str | None = None,
        supplied: Mapping[str, str] | None = None,
    ) -> tuple[DocumentResult, Any]:
        """Validate one document and return its bound model too (None when there is none),
        e.g. to convert it. ``supplied``: values for items the document lacks, by the item
        names its binder knows (a WCO declaration: ACDD letters such as ``m``); the binder
        reads them in place of the document's and says so in a finding."""
        context = {"supplied": dict(supplied)} if supplied else None
        return self._check(source, path, context=context, keep_model=True)

    def run(self, *, jobs: int = 1, auto: bool = False) -> Run:
        """A run over many documents: results one by one, then the cross-document pass.

        ``jobs`` > 1 validates in that many worker processes (``Run.map``); results still come
        in input order and the cross-document pass sees every document, in this process.
        ``auto``: ``jobs`` is only an upper bound (the CLI's default), and a small run (fewer
        than 64 documents and 4 MB) is validated in this process, where starting workers
        would cost more than it saves.
        """
        return Run(self, jobs=jobs, auto=auto)

    def validate_many(self, sources: Iterable[Source], *, jobs: int = 1) -> list[DocumentResult]:
        """Validate every source, then run the cross-document (``BT``) rules over them all.

        Results come back in input order, each with its cross-document findings merged in;
        ``jobs`` > 1 validates in worker processes, with the same results.
        """
        if isinstance(sources, (str, bytes, os.PathLike)):
            raise TypeError("validate_many takes an iterable of sources, e.g. a list of paths")
        run = self.run(jobs=jobs)
        for _ in run.map(sources):
            pass
        return run.finish().documents

    def is_valid(self, source: Source) -> bool:
        return self.validate(source).is_valid

    def iter_findings(self, source: Source) -> Iterator[Finding]:
        yield from self.validate(source).findings

    def report(self, results: Iterable[DocumentResult]) -> Report:
        """A ``Report`` over ``results``, with the versions of what produced them."""
        docs = tuple(results)
        seen = sorted({d.doctype for d in docs if d.doctype})
        schemas = []
        for name in seen:
            if doctypes.get(name).schema is None:  # no XSD layer (a WCO declaration)
                continue
            try:
                schemas.append(schema_info(doctypes.get(name), self.settings.schema_dir).to_dict())
            except SchemaLoadError:
                continue
        return Report(
            documents=docs,
            tool_version=__version__,
            schemas=tuple(schemas),
            rule_families=self.registry.versions(),
            namespaces={prefix: uri for uri, prefix in sorted(PREFIXES.items())},
            explanations=self.explanations({f.code for d in docs for f in d.findings}),
        )

    def explanations(self, codes: Iterable[str]) -> dict[str, Explanation]:
        """What each of ``codes`` means (rules of this validator's registry, pipeline codes),
        sorted by code; a code neither knows is left out."""
        from .codes import explanation

        out: dict[str, Explanation] = {}
        for code in sorted(codes):
            found = explanation(code, self.registry)
            if found is not None:
                out[code] = found
        return out

    # ----- pipeline -----

    def _check(
        self,
        source: Source | _Input,
        path: str | None,
        *,
        context: Mapping[str, Any] | None = None,
        keep_model: bool = False,
    ) -> tuple[DocumentResult, Any]:
        """The document's result and, when a batch rule reads its type (or ``keep_model``),
        its bound model."""
        if isinstance(source, _Input):
            read, label = source, path or "<bytes>"
        else:
            label = path if path is not None else _label(source)
            try:
                read = self._read(source)
            except OSError as err:
                return unreadable(label, err), None
        try:
            result, model = self._validate_bytes(read, label, context)
        except BaseException as err:  # anything unexpected is INT001, never "valid"
            if is_interrupt(err):
                raise
            log.exception("internal error", path=label)
            failed = DocumentResult(
                label,
                (
                    _internal(
                        N_("Internal error: {error_type}: {error}"), _failure(err), path=label
                    ),
                ),
                sha256=read.sha256,
                size=read.size,
            )
            return failed, None
        return result, model if keep_model or result.doctype in self._batch_doctypes else None

    def _read(self, source: Source) -> _Input:
        """Read ``source``, at most ``max_bytes + 1`` bytes: reading stops there, whatever
        the input is (a device such as /dev/zero never ends)."""
        if isinstance(source, bytes):
            return _Input(source, len(source), hashlib.sha256(source).hexdigest())
        if isinstance(source, str) and source.lstrip().startswith("<"):
            raise TypeError("a str is a path; pass XML text as bytes (e.g. text.encode())")
        if isinstance(source, (str, os.PathLike)):
            with Path(source).open("rb") as fh:
                st = os.fstat(fh.fileno())
                known = st.st_size if stat.S_ISREG(st.st_mode) else None
                return self._read_stream(fh, known)
        return self._read_stream(source, None)

    def _read_stream(self, stream: IO[bytes], known_size: int | None) -> _Input:
        limit = self.settings.max_bytes
        kept = bytearray()
        while len(kept) <= limit:
            chunk = stream.read(min(_CHUNK, limit + 1 - len(kept)))
            if not chunk:
                break
            if not isinstance(chunk, bytes):
                raise TypeError("a stream must be opened in binary mode ('rb')")
            kept += chunk
        data = bytes(kept)
        if len(data) > limit:  # stopped at the limit: the rest is neither read nor hashed
            return _Input(data, known_size, None)
        return _Input(data, len(data), hashlib.sha256(data).hexdigest())

    def _validate_bytes(
        self, read: _Input, label: str, given: Mapping[str, Any] | None = None
    ) -> tuple[DocumentResult, Any]:
        envelope: Opened | None = None
        # what a wrapper (WCO MetaData) says of its document, and what the caller supplies
        context: dict[str, Any] = dict(given or {})

        def result(
            findings: list[Finding],
            doctype: DocumentType | None = None,
            model: Any = None,
            hidden: int = 0,
        ) -> tuple[DocumentResult, Any]:
            findings = sorted(findings, key=_sort_key)  # the document's own order
            if envelope is not None:
                escaped = envelope.locator.line_override if envelope.locator else None
                if escaped is not None:  # an escaped certificate: all on the Content's line
                    findings = [replace(f, line=escaped, column=None) for f in findings]
                # the envelope's own findings, e.g. DOC005, in file order with the rest
                findings = sorted([*findings, *envelope.findings], key=_sort_key)
            if self._policy is not None:
                findings = self._policy.apply(findings, label)
            ordered, dropped = _capped(findings, self.settings.max_findings)
            if hidden:  # XSD errors past the cap: counted, never built
                dropped[Severity.ERROR.value] = dropped.get(Severity.ERROR.value, 0) + hidden
            if dropped:
                ordered.append(_limit_finding(dropped, self.settings.max_findings))
            lines: dict[int, str] = {}
            if source:
                from .excerpt import excerpt

                lines = excerpt(source, [f.line for f in ordered], self.settings.excerpt_lines)
            doc = DocumentResult(
                path=label,
                findings=tuple(_stamp(f, label) for f in ordered),
                sha256=read.sha256,
                size=read.size,
                doctype=doctype.name if doctype else None,
                # the version a wrapper names (WCODataModelVersionCode) wins over the type's
                doctype_version=(
                    context.get("doctype_version") or doctype.version if doctype else None
                ),
                dropped=dropped,
                source_lines=lines,
            )
            return doc, model

        parsed = parse_bytes(
            read.data,
            max_bytes=self.settings.max_bytes,
            max_depth=self.settings.max_depth,
            size=read.size,
        )
        # The tree holds the document from here on; the bytes only when a report shows
        # the lines around findings.
        source = read.data if self.settings.excerpt_lines else b""
        read.data = b""
        if parsed.tree is None:
            return result(list(parsed.findings))
        # A transport envelope (SOAP, IPPC hub) is opened first; the certificate inside is
        # validated as a document, its findings located in the file that was given.
        envelope = open_envelope(
            parsed.tree, max_bytes=self.settings.max_bytes, max_depth=self.settings.max_depth
        )
        tree, locator = parsed.tree, None
        if envelope is not None:
            if envelope.tree is None or envelope.locator is None:
                return result([])
            tree, locator = envelope.tree, envelope.locator
        root = tree.getroot()
        if locator is None:
            locator = Locator(root)
        wrapping = doctypes.opener(root.tag)
        if wrapping is not None:  # a wrapper such as WCO MetaData: the document it carries
            opened = wrapping(root, locator)
            wrapper_findings = opened.findings
            if opened.inner is None:
                return result(list(wrapper_findings))
            root = opened.inner
            context.update(opened.context)
        else:
            wrapper_findings = []
        where = str(locator.path(root))
        line = locator.line_override or locator.line(root)

        if self.settings.doctype is not None:
            doctype = doctypes.get(self.settings.doctype)
            tag = str(root.tag)
            if tag != doctype.qname:
                return result(
                    [
                        Finding.worded(
                            "DOC003",
                            Severity.ERROR,
                            N_("--doctype {doctype} expects root {expected}, found {found}"),
                            {"doctype": doctype.name, "expected": doctype.qname, "found": tag},
                            xpath=where,
                            line=line,
                            value=tag,
                            expected=doctype.qname,
                            rule="doctype-root-mismatch",
                            basis="asw-validator document-type registry",
                        )
                    ]
                )
        else:
            detected = doctypes.detect(root, where, line)
            if isinstance(detected, Finding):
                return result([detected])
            doctype = detected

        if doctype.schema is None:  # no XSD layer: the binder and the rules judge all
            checked = SchemaResult([], frozenset())
        else:
            try:
                checked = validate_tree(
                    doctype,
                    tree,
                    locator,
                    limit=self._xsd_limit,
                    schema_dir=self.settings.schema_dir,
                )
            except SchemaLoadError as err:
                failed = _internal(err.template, err.params, rule="schema-load-failed")
                return result([failed], doctype)
        findings = [*wrapper_findings, *checked.findings]
        hidden = checked.more  # XSD errors past the cap: counted, not built
        if checked.findings and self.settings.stop_on_schema_error:
            return result(findings, doctype, hidden=hidden)

        start = root if root is not tree.getroot() else None
        binding = Binding(locator, checked.flagged, start=start, context=context)
        bound = doctype.binder(binding.root())
        findings.extend(binding.findings)
        if envelope is not None:
            bound = envelope.attach(bound)
        ctx = Context(
            today=self.today,
            effective_date=bound.effective_date,
            presented_on=self.settings.presented_on,
            export_country=bound.export_country,
            import_country=bound.import_country,
            issuer_country=bound.issuer_country,
            options=self.settings.options,
        )
        for rule in self._rules.get(doctype.name, ()):
            if not rule.runs_on(ctx):
                continue
            try:
                for p in rule.func(bound.model, ctx):
                    findings.append(_finding(rule, p))
            except BaseException as err:  # a rule bug must not pass for "valid": INT001
                if is_interrupt(err):
                    raise
                log.exception("rule failed", rule=rule.code, path=label)
                findings.append(
                    _internal(
                        N_("Rule {code} ({name}) failed: {error_type}: {error}"),
                        {"code": rule.code, "name": rule.name, **_failure(err)},
                        rule=rule.name,
                    )
                )
        if doctype.annotate is not None:
            findings = [doctype.annotate(f) for f in findings]
        done, model = result(findings, doctype, bound.model, hidden)
        if doctype.summarize is not None:
            done = replace(done, readiness=doctype.summarize(list(findings)))
        return done, model


def _capped(findings: list[Finding], limit: int | None) -> tuple[list[Finding], dict[str, int]]:
    """At most ``limit`` findings (tool failures always kept), and the others counted by
    severity; the counts go into the report and the exit code, the findings do not."""
    if limit is None or len(findings) <= limit:
        return findings, {}
    kept = findings[:limit]
    dropped: dict[str, int] = {}
    for f in findings[limit:]:
        if f.code in TOOL_FAILURE_CODES:
            kept.append(f)
        else:
            _count(dropped, f)
    return kept, dropped


def _count(counts: dict[str, int], f: Finding) -> None:
    key = f.severity.value if f.counted else WAIVED
    counts[key] = counts.get(key, 0) + 1


#: Results a run keeps before it freezes them from the cyclic collector again.
_FREEZE_EVERY = 1000
#: Items a run with workers reads ahead to size its chunks (and, ``auto``, to see a small run).
_PEEK = 256
#: ``auto``: fewer documents than this, and fewer bytes, are validated in this process.
_SMALL_RUN = (64, 4_000_000)


def _small(head: list[RunItem]) -> bool:
    """Whether ``head`` is the whole of a run too small to be worth worker processes (a
    stream's size is unknown: it counts as small)."""
    if len(head) >= _SMALL_RUN[0]:
        return False
    total = 0
    for item in head:
        source = item[0] if isinstance(item, tuple) else item
        if isinstance(source, bytes):
            total += len(source)
        elif isinstance(source, (str, os.PathLike)):
            try:
                total += Path(source).stat().st_size
            except OSError:
                continue
    return total < _SMALL_RUN[1]


#: How LIM001 counts the findings past the cap, by severity (and ``waived``): in words.
_COUNTED = {
    "error": T("error"),
    "warning": T("warning"),
    "info": T("info"),
    WAIVED: T("waived"),
}


def _limit_finding(dropped: Mapping[str, int], limit: int | None) -> Finding:
    """One finding standing for the ones past the cap, as severe as the worst of them
    (waived ones count for nothing: info when all are waived)."""
    worst = max(
        (Severity(s) for s in dropped if s != WAIVED), key=lambda s: s.rank, default=Severity.INFO
    )
    total = sum(dropped.values())
    parts = words_list(
        [T("{n} {severity}", n=n, severity=_COUNTED[s]) for s, n in sorted(dropped.items())]
    )
    return Finding.worded(
        LIMIT_CODE,
        worst,
        N_(
            "{total} more findings are not listed ({parts}): the report shows the first"
            " {limit} of this document (--max-findings); they still count"
        ),
        {"total": total, "parts": parts, "limit": limit},
        value=str(total),
        rule="findings-capped",
        basis="asw-validator report limits (a bounded report for any input)",
    )


@dataclass(frozen=True)
class RunResult:
    """A finished run: every document's result with its cross-document findings merged in
    (input order), and those cross-document findings alone (for streaming reporters)."""

    documents: list[DocumentResult]
    cross_findings: list[Finding]


class Run:
    """One run over many documents; the cross-document (``BT``) rules need all of them.

    ``validate`` returns each document's own result at once, so reporters can stream;
    ``finish`` runs the batch rules over every document seen. A ``Run`` belongs to one
    thread; the ``Validator`` behind it may be shared.
    """

    def __init__(self, validator: Validator, *, jobs: int = 1, auto: bool = False) -> None:
        if jobs < 1:
            raise ValueError("jobs must be at least 1")
        self._validator = validator
        self._jobs = jobs
        self._auto = auto
        self._results: list[DocumentResult] = []
        self._docs: list[BatchDocument] = []
        self._finished = False
        self._retained = 0
        self._froze: bool | None = None  # whether this run froze the collector's objects
        #: Worker process ids that validated documents of this run (empty: none started).
        self.worker_pids: set[int] = set()

    def validate(self, source: Source, *, path: str | None = None) -> DocumentResult:
        """Validate one document of the run and return its own findings."""
        result, model = self._validator._check(source, path)
        self.add(result, model)
        return result

    def map(self, items: Iterable[RunItem]) -> Iterator[DocumentResult]:
        """Validate every item in input order, yielding each document's own result as soon as
        it and all before it are done (streaming reporters follow along).

        An item is a source, a ``(source, label)`` pair, or a result made elsewhere (e.g. an
        unreadable file's IO001), which is counted as it is. With ``jobs`` > 1 the documents
        are validated in worker processes (only when there are at least two of them); an
        interrupt or an error stops every worker before it propagates.
        """
        it = iter(items)
        head = list(itertools.islice(it, _PEEK if self._jobs > 1 else 2))
        if self._jobs < 2 or len(head) < 2 or (self._auto and _small(head)):
            for item in itertools.chain(head, it):
                if isinstance(item, DocumentResult):
                    self.add(item)
                    yield item
                else:
                    source, label = item if isinstance(item, tuple) else (item, None)
                    yield self.validate(source, path=label)
            return
        from .parallel import Workers  # only runs with workers pay for multiprocessing

        workers = Workers(self._validator, self._jobs)
        try:
            tasks = (self._task(item) for item in itertools.chain(head, it))
            # chunks small enough to keep every worker busy on a short run, and up to 32
            # documents on a long one: one message per chunk each way
            chunksize = max(1, min(32, len(head) // (self._jobs * 4)))
            for result, blob, keys, _pid in workers.map(tasks, chunksize=chunksize):
                self.add(result, blob=blob, keys=keys)
                yield result
        except BaseException:
            workers.terminate()
            raise
        finally:
            self.worker_pids |= workers.pids
        workers.close()

    def _task(self, item: RunItem) -> Task:
        """What a worker is sent: a path to read itself, or what this process read."""
        if isinstance(item, DocumentResult):
            return item
        source, label = item if isinstance(item, tuple) else (item, None)
        label = label if label is not None else _label(source)
        if isinstance(source, (str, os.PathLike)) and not isinstance(source, bytes):
            return (os.fspath(source), label)
        try:
            read = self._validator._read(source)
        except OSError as err:
            return unreadable(label, err)
        return (read, label)

    def add(
        self,
        result: DocumentResult,
        model: Any = None,
        *,
        blob: bytes | None = None,
        keys: Mapping[str, tuple[Hashable, ...]] | None = None,
    ) -> None:
        """Count a result made elsewhere (e.g. an unreadable file's IO001, or a worker's) in
        the run; a worker sends its model pickled (``blob``) with its group keys (``keys``)."""
        if self._finished:
            raise RuntimeError("this run is finished; start a new one with Validator.run()")
        if (model is not None or blob is not None) and result.doctype is not None:
            index = len(self._results)
            doc = BatchDocument(
                index, result.path, result.doctype, model, result.sha256, blob=blob, keys=keys
            )
            self._docs.append(doc)
        self._results.append(result)
        self._retained += 1
        if self._retained % _FREEZE_EVERY == 0:
            self._freeze()

    def _freeze(self) -> None:
        """Move what the run keeps (results, models) out of the cyclic collector's sight: they
        live until the run ends, and a collector walking thousands of them again and again
        cost 15% of a run of 4,000 documents. Undone when the run finishes, unless the
        program had frozen objects itself."""
        if self._froze is None:
            self._froze = gc.get_freeze_count() == 0
        if self._froze:
            gc.freeze()

    def finish(self) -> RunResult:
        """Run the cross-document rules once and return the merged results."""
        self._finished = True
        if self._froze:
            gc.unfreeze()
        v = self._validator
        ctx = Context(
            today=v.today, presented_on=v.settings.presented_on, options=v.settings.options
        )
        extra: dict[int, list[Finding]] = {}
        for rule in v._batch_rules:
            read = [d for d in self._docs if d.doctype in rule.doctypes]
            if read:
                self._batch(rule, read, ctx, extra)
        documents: list[DocumentResult] = []
        cross: list[Finding] = []
        limit = v.settings.max_findings
        for index, result in enumerate(self._results):
            more = sorted(extra.get(index, ()), key=_sort_key)
            if more and v._policy is not None:
                more = v._policy.apply(more, result.path, notices=False)
            if more:
                if limit is not None and len(result.findings) + len(more) > limit:
                    more, result = _cap_more(result, more, limit)
                cross.extend(more)
                merged = sorted((*result.findings, *more), key=_sort_key)
                result = replace(result, findings=tuple(merged))
            documents.append(result)
        return RunResult(documents, cross)

    def _batch(
        self,
        rule: Rule,
        docs: list[BatchDocument],
        ctx: Context,
        extra: dict[int, list[Finding]],
    ) -> None:
        """One batch rule over its groups (one group of all when it declares no grouping).

        A failure is an INT001 on the documents of the group it was judging, and only on
        those: one bad file cannot fail a run of thousands.
        """
        groups: dict[Hashable, BatchGroup] = {}
        for doc in docs:
            WORK.visits += 1
            made = doc.keys.get(rule.code) if doc.keys is not None else None
            try:
                if made is not None:  # computed in the worker that validated the document
                    keys: list[Hashable] = list(made)
                elif rule.group_by is not None:
                    keys = list(rule.group_by(doc))
                else:
                    keys = [None]
            except BaseException as err:
                if is_interrupt(err):
                    raise
                self._failed(rule, [doc], err, extra)
                continue
            for key in dict.fromkeys(keys):  # each group once per document
                group = groups.get(key)
                if group is None:
                    group = groups[key] = BatchGroup(key)
                group.append(doc)
        for group in groups.values():
            if rule.pairs and len(group) < 2:  # nothing to compare: its model stays unbuilt
                continue
            try:
                for index, p in rule.func(group, ctx):
                    path = self._results[index].path
                    extra.setdefault(index, []).append(_finding(rule, p, path))
            except BaseException as err:
                if is_interrupt(err):
                    raise
                self._failed(rule, group, err, extra)

    def _failed(
        self,
        rule: Rule,
        docs: Sequence[BatchDocument],
        err: BaseException,
        extra: dict[int, list[Finding]],
    ) -> None:
        log.error("cross-document rule failed", rule=rule.code, error=repr(err))
        template = N_("Cross-document rule {code} ({name}) failed: {error_type}: {error}")
        params = {"code": rule.code, "name": rule.name, **_failure(err)}
        for d in docs:
            failed = _internal(template, params, rule=rule.name, path=d.path)
            extra.setdefault(d.index, []).append(failed)


def _cap_more(
    result: DocumentResult, more: list[Finding], limit: int
) -> tuple[list[Finding], DocumentResult]:
    """Cross-document findings past a document's cap are counted like the others."""
    room = max(0, limit - len(result.findings))
    kept = more[:room] + [f for f in more[room:] if f.code in TOOL_FAILURE_CODES]
    dropped = dict(result.dropped)
    for f in more[room:]:
        if f.code not in TOOL_FAILURE_CODES:
            _count(dropped, f)
    if dropped == result.dropped:
        return kept, result
    findings = tuple(f for f in result.findings if f.code != LIMIT_CODE)
    summary = replace(_limit_finding(dropped, limit), path=result.path)
    return kept, replace(result, findings=(*findings, summary), dropped=dropped)


def _finding(rule: Rule, p: Problem, path: str | None = None) -> Finding:
    """The engine stamps code, severity, XPath, line, rule name and basis onto a problem."""
    return Finding(
        code=rule.code,
        severity=_severity(rule, p),
        message=p.message,
        xpath=p.at.xpath if p.at else None,
        line=p.at.line if p.at else None,
        value=clip(p.value),
        expected=p.expected,
        rule=rule.name,
        basis=rule.basis,
        path=path,
        template=p.template,
        params=dict(p.params),
    )


def _severity(rule: Rule, p: Problem) -> Severity:
    """The rule's severity, or the lower one a dated rule gives for an inferred period."""
    if p.severity is None:
        return rule.severity
    if p.severity > rule.severity:
        raise ValueError(f"rule {rule.code} raised its severity to {p.severity.value}")
    return p.severity


def _stamp(f: Finding, path: str) -> Finding:
    return f if f.path == path else replace(f, path=path)


def _label(source: Source) -> str:
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    if isinstance(source, bytes):
        return "<bytes>"
    name = getattr(source, "name", None)
    return str(name) if isinstance(name, str) else "<stream>"
