"""The validation pipeline: read -> parse -> detect -> XSD -> bind -> rules -> result.

``Validator`` holds settings only; every per-document object (parser, tree, findings) is made
inside ``validate`` and compiled schemas are per thread, so one ``Validator`` may serve many
threads at once. The library never prints or exits: problems become findings, and anything
unexpected becomes ``INT001`` (never a silent "valid").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from . import doctypes
from .__about__ import __version__
from .context import Context
from .doctypes import DocumentType
from .envelope import Unwrapped, unwrap
from .logs import get_logger
from .model import DocumentResult, Finding, Report, Severity
from .parsing import DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, parse_bytes
from .rules.registry import BatchDocument, Problem, Registry, Rule, default_registry
from .schemas import SchemaLoadError, schema_info, validate_tree
from .xpath import PREFIXES, node_xpath

log = get_logger("asw_validator.engine")

Source = str | os.PathLike[str] | bytes | IO[bytes]


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

    def __post_init__(self) -> None:
        # A wrong type here would only surface later, as INT001 in the first dated rule.
        for name in ("today", "presented_on"):
            value = getattr(self, name)
            if value is not None and (
                not isinstance(value, dt.date) or isinstance(value, dt.datetime)
            ):
                raise TypeError(f"{name} must be a datetime.date, not {type(value).__name__}")


_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class _Input:
    """What was read: at most ``max_bytes + 1`` bytes, and the whole input's size and hash."""

    data: bytes
    size: int
    sha256: str


def _internal(message: str, *, rule: str | None = None, path: str | None = None) -> Finding:
    return Finding(
        code="INT001",
        severity=Severity.ERROR,
        message=message,
        rule=rule or "internal-error",
        basis="asw-validator could not complete this check; the document is NOT known valid",
        path=path,
    )


def unreadable(path: str, err: OSError) -> DocumentResult:
    """The result for an input that cannot be read: one IO001 error, and the run goes on."""
    finding = Finding(
        code="IO001",
        severity=Severity.ERROR,
        message=f"Cannot read input: {err.strerror or err}",
        rule="input-unreadable",
        basis="asw-validator input handling",
        path=path,
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
            t.name: self.registry.for_doctype(t.name) for t in doctypes.all_types()
        }
        self._batch_rules = self.registry.batch_rules()
        self._batch_doctypes = frozenset(d for r in self._batch_rules for d in r.doctypes)

    # ----- public API -----

    def validate(self, source: Source, *, path: str | None = None) -> DocumentResult:
        """Validate one document: a path, bytes, or a binary stream."""
        return self._check(source, path)[0]

    def run(self) -> Run:
        """A run over many documents: results one by one, then the cross-document pass."""
        return Run(self)

    def validate_many(self, sources: Iterable[Source]) -> list[DocumentResult]:
        """Validate every source, then run the cross-document (``BT``) rules over them all.

        Results come back in input order, each with its cross-document findings merged in.
        """
        if isinstance(sources, (str, bytes, os.PathLike)):
            raise TypeError("validate_many takes an iterable of sources, e.g. a list of paths")
        run = self.run()
        for source in sources:
            run.validate(source)
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
            try:
                schemas.append(schema_info(doctypes.get(name)).to_dict())
            except SchemaLoadError:
                continue
        return Report(
            documents=docs,
            tool_version=__version__,
            schemas=tuple(schemas),
            rule_families=self.registry.versions(),
            namespaces={prefix: uri for uri, prefix in sorted(PREFIXES.items())},
        )

    # ----- pipeline -----

    def _today(self) -> dt.date:
        return self.settings.today or dt.date.today()

    def _check(self, source: Source, path: str | None) -> tuple[DocumentResult, Any]:
        """The document's result and, when a batch rule reads its type, its bound model."""
        label = path if path is not None else _label(source)
        try:
            read = self._read(source)
        except OSError as err:
            return unreadable(label, err), None
        try:
            result, model = self._validate_bytes(read, label)
        except Exception as err:  # anything unexpected must surface as INT001, never "valid"
            log.exception("internal error", path=label)
            failed = DocumentResult(
                label,
                (_internal(f"Internal error: {type(err).__name__}: {err}", path=label),),
                sha256=read.sha256,
                size=read.size,
            )
            return failed, None
        return result, model if result.doctype in self._batch_doctypes else None

    def _read(self, source: Source) -> _Input:
        """Read ``source``, keeping at most ``max_bytes + 1`` bytes in memory.

        Beyond the limit the rest is still hashed and counted (in chunks, not kept), so an
        over-size document is reported with its true size and SHA-256.
        """
        if isinstance(source, bytes):
            return _Input(source, len(source), hashlib.sha256(source).hexdigest())
        if isinstance(source, str) and source.lstrip().startswith("<"):
            raise TypeError("a str is a path; pass XML text as bytes (e.g. text.encode())")
        if isinstance(source, (str, os.PathLike)):
            with Path(source).open("rb") as fh:
                return self._read_stream(fh)
        return self._read_stream(source)

    def _read_stream(self, stream: IO[bytes]) -> _Input:
        limit = self.settings.max_bytes
        digest = hashlib.sha256()
        kept = bytearray()
        size = 0
        while chunk := stream.read(_CHUNK):
            if not isinstance(chunk, bytes):
                raise TypeError("a stream must be opened in binary mode ('rb')")
            digest.update(chunk)
            size += len(chunk)
            if len(kept) <= limit:
                kept += chunk[: limit + 1 - len(kept)]
        return _Input(bytes(kept), size, digest.hexdigest())

    def _validate_bytes(self, read: _Input, label: str) -> tuple[DocumentResult, Any]:
        unwrapped: Unwrapped | None = None

        def result(
            findings: list[Finding], doctype: DocumentType | None = None, model: Any = None
        ) -> tuple[DocumentResult, Any]:
            ordered = sorted(findings, key=_sort_key)  # document order inside an envelope too
            if unwrapped is not None:
                moved = [unwrapped.relocate(f) for f in ordered]
                if unwrapped.tree is not None:  # the envelope's own findings, e.g. DOC005
                    moved.extend(unwrapped.findings)
                ordered = sorted(moved, key=_sort_key)
            doc = DocumentResult(
                path=label,
                findings=tuple(_stamp(f, label) for f in ordered),
                sha256=read.sha256,
                size=read.size,
                doctype=doctype.name if doctype else None,
                doctype_version=doctype.version if doctype else None,
            )
            return doc, model

        parsed = parse_bytes(
            read.data,
            max_bytes=self.settings.max_bytes,
            max_depth=self.settings.max_depth,
            size=read.size,
        )
        if parsed.tree is None:
            return result(list(parsed.findings))
        # A transport envelope (SOAP, IPPC hub) is opened first; the certificate inside is
        # validated as a document, and its findings are put back into the original file.
        unwrapped = unwrap(
            parsed.tree, max_bytes=self.settings.max_bytes, max_depth=self.settings.max_depth
        )
        tree = parsed.tree
        if unwrapped is not None:
            if unwrapped.tree is None:
                return result(list(unwrapped.findings))
            tree = unwrapped.tree

        if self.settings.doctype is not None:
            doctype = doctypes.get(self.settings.doctype)
            root = tree.getroot()
            tag = str(root.tag)
            if tag != doctype.qname:
                return result(
                    [
                        Finding(
                            code="DOC003",
                            severity=Severity.ERROR,
                            message=(
                                f"--doctype {doctype.name} expects root {doctype.qname},"
                                f" found {tag}"
                            ),
                            xpath=node_xpath(root),
                            line=root.sourceline,
                            value=tag,
                            expected=doctype.qname,
                            rule="doctype-root-mismatch",
                            basis="asw-validator document-type registry",
                        )
                    ]
                )
        else:
            detected = doctypes.detect(tree)
            if isinstance(detected, Finding):
                return result([detected])
            doctype = detected

        try:
            findings, flagged = validate_tree(doctype, tree)
        except SchemaLoadError as err:
            return result([_internal(str(err), rule="schema-load-failed")], doctype)
        if findings and self.settings.stop_on_schema_error:
            return result(findings, doctype)

        bound = doctype.binder(tree, flagged)
        if unwrapped is not None:
            bound = unwrapped.attach(bound)
        ctx = Context(
            today=self._today(),
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
            except Exception as err:  # a rule bug must not pass for "valid": INT001
                log.exception("rule failed", rule=rule.code, path=label)
                findings.append(
                    _internal(
                        f"Rule {rule.code} ({rule.name}) failed: {type(err).__name__}: {err}",
                        rule=rule.name,
                    )
                )
        return result(findings, doctype, bound.model)


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

    def __init__(self, validator: Validator) -> None:
        self._validator = validator
        self._results: list[DocumentResult] = []
        self._docs: list[BatchDocument] = []
        self._finished = False

    def validate(self, source: Source, *, path: str | None = None) -> DocumentResult:
        """Validate one document of the run and return its own findings."""
        result, model = self._validator._check(source, path)
        self.add(result, model)
        return result

    def add(self, result: DocumentResult, model: Any = None) -> None:
        """Count a result made elsewhere (e.g. an unreadable file's IO001) in the run."""
        if self._finished:
            raise RuntimeError("this run is finished; start a new one with Validator.run()")
        if model is not None and result.doctype is not None:
            index = len(self._results)
            doc = BatchDocument(index, result.path, result.doctype, model, result.sha256)
            self._docs.append(doc)
        self._results.append(result)

    def finish(self) -> RunResult:
        """Run the cross-document rules once and return the merged results."""
        self._finished = True
        v = self._validator
        ctx = Context(
            today=v._today(), presented_on=v.settings.presented_on, options=v.settings.options
        )
        present = {d.doctype for d in self._docs}
        extra: dict[int, list[Finding]] = {}
        for rule in v._batch_rules:
            if not present.intersection(rule.doctypes):
                continue
            try:
                for index, p in rule.func(self._docs, ctx):
                    path = self._results[index].path
                    extra.setdefault(index, []).append(_finding(rule, p, path))
            except Exception as err:  # a batch-rule bug must not pass for "valid" either
                log.exception("cross-document rule failed", rule=rule.code)
                message = (
                    f"Cross-document rule {rule.code} ({rule.name}) failed:"
                    f" {type(err).__name__}: {err}"
                )
                for d in self._docs:
                    if d.doctype in rule.doctypes:
                        failed = _internal(message, rule=rule.name, path=d.path)
                        extra.setdefault(d.index, []).append(failed)
        documents: list[DocumentResult] = []
        cross: list[Finding] = []
        for index, result in enumerate(self._results):
            more = sorted(extra.get(index, ()), key=_sort_key)
            if more:
                cross.extend(more)
                merged = sorted((*result.findings, *more), key=_sort_key)
                result = replace(result, findings=tuple(merged))
            documents.append(result)
        return RunResult(documents, cross)


def _finding(rule: Rule, p: Problem, path: str | None = None) -> Finding:
    """The engine stamps code, severity, XPath, line, rule name and basis onto a problem."""
    return Finding(
        code=rule.code,
        severity=_severity(rule, p),
        message=p.message,
        xpath=p.at.xpath if p.at else None,
        line=p.at.line if p.at else None,
        value=p.value,
        expected=p.expected,
        rule=rule.name,
        basis=rule.basis,
        path=path,
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
