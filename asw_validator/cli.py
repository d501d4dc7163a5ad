"""The ``asw-validator`` command: parse options -> Settings -> Validator -> reporter -> exit.

Exit codes: 0 nothing at or above ``--fail-on``; 1 findings at or above it; 2 usage error
before any validation; 3 the tool could not do its job for some document (INT001).
stdout carries only the report; logs go to stderr through structlog.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import click
import structlog

from . import doctypes
from .__about__ import __version__
from .codes import PIPELINE_CODES
from .engine import Settings, Validator
from .model import DocumentResult, Finding, Severity, exit_code
from .parsing import DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH
from .reporters import REPORTERS, Reporter
from .rules.registry import builtin_registry

FAIL_ON = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO}


def _configure_logging(verbosity: int) -> None:
    level = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}.get(
        max(-1, min(verbosity, 2)), logging.DEBUG
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processor=structlog.dev.ConsoleRenderer(colors=False),
            foreign_pre_chain=[structlog.stdlib.add_log_level],
        )
    )
    logger = logging.getLogger("asw_validator")
    logger.handlers = [h for h in logger.handlers if isinstance(h, logging.NullHandler)]
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False


log = structlog.wrap_logger(
    logging.getLogger("asw_validator.cli"), wrapper_class=structlog.stdlib.BoundLogger
)


def _walk(directory: Path) -> Iterator[tuple[Path, OSError | None]]:
    """``*.xml`` files under ``directory``, sorted; unreadable directories are reported."""
    errors: list[OSError] = []
    found: list[Path] = []
    for root, dirs, files in os.walk(directory, onerror=errors.append):
        dirs.sort()
        found.extend(Path(root) / f for f in files if f.lower().endswith(".xml"))
    items: list[tuple[Path, OSError | None]] = [(p, None) for p in found]
    items.extend((Path(e.filename or directory), e) for e in errors)
    yield from sorted(items, key=lambda i: str(i[0]))


def _io_result(path: Path, err: OSError) -> DocumentResult:
    return DocumentResult(
        str(path),
        (
            Finding(
                code="IO001",
                severity=Severity.ERROR,
                message=f"Cannot read directory: {err.strerror or err}",
                rule="input-unreadable",
                basis="asw-validator input handling",
                path=str(path),
            ),
        ),
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="asw-validator")
def main() -> None:
    """Validate ASEAN Single Window trade messages (ACDD) against ASW-style schemas and rules."""


@main.command()
@click.argument(
    "paths",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, allow_dash=True, path_type=str),
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(REPORTERS)),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the report to FILE instead of stdout.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info", "never"]),
    default="error",
    show_default=True,
    help="Lowest severity that makes the exit code 1.",
)
@click.option(
    "--doctype",
    type=click.Choice(doctypes.names()),
    help="Force the document type instead of detecting it from the root element.",
)
@click.option(
    "--stop-on-schema-error",
    is_flag=True,
    help="Skip business rules for a document that has XSD errors.",
)
@click.option(
    "--on-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Date the documents are presented (YYYY-MM-DD), for rules that depend on it.",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_BYTES,
    show_default=True,
    help="Largest input accepted, in bytes.",
)
@click.option(
    "--max-depth",
    type=click.IntRange(1, DEFAULT_MAX_DEPTH),
    default=DEFAULT_MAX_DEPTH,
    show_default=True,
    help="Deepest element nesting accepted.",
)
@click.option("-v", "--verbose", count=True, help="More log output on stderr (repeatable).")
@click.option("-q", "--quiet", count=True, help="Less log output on stderr.")
def validate(
    *,
    paths: tuple[str, ...],
    fmt: str,
    output: Path | None,
    fail_on: str,
    doctype: str | None,
    stop_on_schema_error: bool,
    on_date: dt.datetime | None,
    max_bytes: int,
    max_depth: int,
    verbose: int,
    quiet: int,
) -> None:
    """Validate PATHS: files, directories (searched for *.xml) or - for stdin."""
    _configure_logging(verbose - quiet)
    settings = Settings(
        doctype=doctype,
        max_bytes=max_bytes,
        max_depth=max_depth,
        stop_on_schema_error=stop_on_schema_error,
        presented_on=on_date.date() if on_date else None,
    )
    validator = Validator(settings)
    try:
        out: TextIO = output.open("w", encoding="utf-8") if output else sys.stdout
    except OSError as err:
        raise click.UsageError(f"cannot write {output}: {err.strerror or err}") from err
    try:
        code = _run(validator, paths, REPORTERS[fmt](out), FAIL_ON.get(fail_on))
    finally:
        if output:
            out.close()
    sys.exit(code)


def _run(
    validator: Validator, paths: tuple[str, ...], reporter: Reporter, fail_on: Severity | None
) -> int:
    results: list[DocumentResult] = []

    def emit(result: DocumentResult) -> None:
        results.append(result)
        reporter.document(result)
        log.info(
            "validated", path=result.path, valid=result.is_valid, findings=len(result.findings)
        )

    for raw in paths:
        if raw == "-":
            emit(validator.validate(sys.stdin.buffer, path="<stdin>"))
            continue
        path = Path(raw)
        if path.is_dir():
            items = list(_walk(path))
            if not items:
                log.warning("no *.xml files found", directory=str(path))
            for file, err in items:
                emit(_io_result(file, err) if err else validator.validate(file))
        else:
            emit(validator.validate(path))
    if not results:
        raise click.UsageError("nothing to validate: no *.xml files under the given paths")
    report = validator.report(results)
    reporter.finish(report)
    return exit_code(results, fail_on)


@main.command("rules")
@click.option("--doctype", type=click.Choice(doctypes.names()), help="Only rules of this type.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--all", "show_all", is_flag=True, help="Also list parse, detection and XSD codes.")
def rules_cmd(*, doctype: str | None, fmt: str, show_all: bool) -> None:
    """List the business rules (and with --all every other code)."""
    registry = builtin_registry()
    rules = [r for r in registry if doctype is None or r.applies_to(doctype)]
    if fmt == "json":
        data: dict[str, object] = {"rules": [r.info() for r in rules]}
        if show_all:
            data["pipeline_codes"] = [vars(c) for c in PIPELINE_CODES.values()]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if show_all:
        for c in PIPELINE_CODES.values():
            click.echo(f"{c.code}  {'error':7}  {c.stage:6}  {c.name}: {c.summary}")
    for r in rules:
        click.echo(
            f"{r.code}  {r.severity.value:7}  {','.join(r.doctypes):6}  {r.name}: {r.summary}"
        )


@main.command()
@click.argument("code")
def explain(code: str) -> None:
    """Explain CODE: what it checks, why (its basis), and a failing and a passing example."""
    rule = builtin_registry().get(code)
    if rule is not None:
        click.echo(f"{rule.code}  {rule.name}")
        click.echo(f"severity:   {rule.severity.value}")
        click.echo(f"family:     {rule.family}")
        click.echo(f"documents:  {', '.join(rule.doctypes)}")
        click.echo(f"countries:  {', '.join(rule.countries) or 'all'} (role: {rule.role})")
        start = rule.effective_from.isoformat() if rule.effective_from else "always"
        end = rule.effective_until.isoformat() if rule.effective_until else "open"
        click.echo(f"effective:  {start} .. {end}")
        click.echo(f"basis:      {rule.basis}")
        click.echo("")
        click.echo(rule.doc)
        return
    pc = PIPELINE_CODES.get(code.upper())
    if pc is not None:
        click.echo(f"{pc.code}  {pc.name}")
        click.echo("severity:   error")
        click.echo(f"stage:      {pc.stage}")
        click.echo("")
        click.echo(pc.summary)
        return
    raise click.UsageError(f"unknown code {code!r}; 'asw-validator rules --all' lists them")
