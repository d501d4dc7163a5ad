"""The ``asw-validator`` command: parse options -> Settings -> Validator -> reporter -> exit.

Exit codes: 0 nothing at or above ``--fail-on``; 1 findings at or above it; 2 usage error
before any validation; 3 the tool could not do its job for some document (INT001).
stdout carries only the report; logs go to stderr through structlog.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import signal
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, TextIO

import click

from . import doctypes
from .__about__ import __version__
from .codes import PIPELINE_CODES, RETIRED_CODES
from .dates import parse_day
from .engine import (
    DEFAULT_MAX_FINDINGS,
    NotRegularFileError,
    RunItem,
    Settings,
    Validator,
    unreadable,
)
from .interrupts import Interrupted, handle_signals
from .logs import configure_stderr, get_logger
from .model import FAIL_ON, Severity, exit_code
from .parallel import default_jobs
from .parsing import DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH
from .refdata import countries
from .reporters import FORMATS, Reporter, ReportOptions, reporter_class, resolve_format
from .rules.registry import ROLE_TEXT, Registry, Rule, RuleLoadError, default_registry
from .service import settings as svc  # limits and defaults only: no web framework

if TYPE_CHECKING:
    from .config import Config
    from .i18n import Localizer
    from .progress import Progress

log = get_logger("asw_validator.cli")


class ToolError(click.ClickException):
    """The tool cannot do its job (e.g. a rule pack fails to load): exit 3, not a usage error."""

    exit_code = 3


def _registry() -> Registry:
    try:
        return default_registry()
    except RuleLoadError as err:
        raise ToolError(str(err)) from err


def _walk(directory: Path) -> list[tuple[Path, OSError | None]]:
    """``*.xml`` files under ``directory``, sorted, following directory symlinks once each.

    Unreadable directories come back with their error (an IO001 finding each), and so does
    an ``*.xml`` that is not a regular file (a FIFO, a device, a socket, or a link to one):
    it is reported without being opened, since opening a FIFO blocks and a device such as
    /dev/zero never ends. Other files are counted and logged, never silently dropped.
    """
    errors: list[OSError] = []
    found: list[Path] = []
    skipped = 0
    seen: set[str] = set()
    for root, dirs, files in os.walk(directory, onerror=errors.append, followlinks=True):
        real = os.path.realpath(root)
        if real in seen:  # a symlink cycle: walked already
            dirs[:] = []
            continue
        seen.add(real)
        dirs.sort()
        for f in files:
            if not f.lower().endswith(".xml"):
                skipped += 1
                continue
            path = Path(root) / f
            try:
                mode = path.stat().st_mode  # follows a symbolic link to what it names
            except OSError as err:
                errors.append(err)
                continue
            if stat.S_ISREG(mode):
                found.append(path)
            else:
                errors.append(_not_regular(path, mode))
    if skipped:
        log.info("skipped files not named *.xml", directory=str(directory), count=skipped)
    items: list[tuple[Path, OSError | None]] = [(p, None) for p in found]
    items.extend((Path(e.filename or directory), e) for e in errors)
    return sorted(items, key=lambda i: str(i[0]))


def _not_regular(path: Path, mode: int) -> OSError:
    kind = (
        "a FIFO"
        if stat.S_ISFIFO(mode)
        else "a character device"
        if stat.S_ISCHR(mode)
        else "a block device"
        if stat.S_ISBLK(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "not a regular file"
    )
    return NotRegularFileError(errno.EINVAL, f"{kind}, not opened", str(path))


class IsoDate(click.ParamType[dt.date, object]):
    """A calendar date written YYYY-MM-DD, in the years documents may carry (1900-2099)."""

    name = "YYYY-MM-DD"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return parse_day(str(value))
        except ValueError as err:
            self.fail(str(err), param, ctx)


#: Where the ``validate`` command keeps the configuration file it loaded (``ctx.meta``).
_CONFIG = "asw_validator.config"
_VERBOSITY = "asw_validator.verbosity"


# options more than one command takes
MAX_BYTES = click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_BYTES,
    show_default=True,
    help="Largest input accepted, in bytes.",
)
VERBOSE = click.option(
    "-v", "--verbose", count=True, help="More log output on stderr (repeatable)."
)
QUIET = click.option("-q", "--quiet", count=True, help="Less log output on stderr.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="asw-validator")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (repeatable).")
@click.option("-q", "--quiet", count=True, help="Less log output on stderr.")
@click.pass_context
def main(ctx: click.Context, *, verbose: int, quiet: int) -> None:
    """Validate ASEAN Single Window trade messages (ACDD, e-Form D, Customs Response, e-Phyto,
    Origin Declaration; WCO Data Model export declarations read as an ACDD, converted by
    'convert').

    Shell completion (bash, zsh, fish): eval "$(_ASW_VALIDATOR_COMPLETE=bash_source
    asw-validator)"; see the README.
    """
    ctx.meta[_VERBOSITY] = verbose - quiet
    configure_stderr(verbose - quiet)


def _load_config(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """``--config``, or the file found walking up from the working directory: its values
    become the defaults of the options (command line > file > defaults)."""
    from .resources import find_config

    path = Path(value) if value else find_config(Path.cwd())
    if path is None:
        return
    from .config import ConfigError, load

    try:
        config = load(path)
    except ConfigError as err:
        raise click.UsageError(str(err)) from err
    ctx.meta[_CONFIG] = config
    options = {p.name for p in ctx.command.params}
    given = {k.replace("-", "_"): v for k, v in config.values.items()}
    defaults = {k: v for k, v in given.items() if k in options}
    ctx.default_map = {**(ctx.default_map or {}), **defaults}


CONFIG = click.option(
    "--config",
    type=click.Path(exists=True, dir_okay=False, path_type=str),
    is_eager=True,
    expose_value=False,
    callback=_load_config,
    help="Configuration file (default: the first .asw-validator.toml, or pyproject.toml with"
    " [tool.asw-validator], from the working directory up).",
)
# The options that make a verdict, shared by validate and serve.
DOCTYPE = click.option(
    "--doctype",
    type=click.Choice(doctypes.names()),
    help="Skip detection: treat every input as this type (its root must match, else DOC003).",
)
STOP_ON_SCHEMA_ERROR = click.option(
    "--stop-on-schema-error",
    is_flag=True,
    help="Skip business rules for a document that has XSD errors.",
)
SCHEMA_DIR = click.option(
    "--schema-dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    metavar="DIR",
    help="Validate with your schema set under DIR (e.g. an official UN/CEFACT package): its"
    " entry point declares the document's root; imports must stay inside DIR.",
)
MAX_DEPTH = click.option(
    "--max-depth",
    type=click.IntRange(1, DEFAULT_MAX_DEPTH),
    default=DEFAULT_MAX_DEPTH,
    show_default=True,
    help="Deepest element nesting accepted.",
)
MAX_FINDINGS = click.option(
    "--max-findings",
    type=click.IntRange(min=0),
    default=DEFAULT_MAX_FINDINGS,
    show_default=True,
    help="Findings listed per document; the rest are counted in one LIM001 (0: no limit).",
)
ON_DATE = click.option(
    "--on-date",
    type=IsoDate(),
    help="Date the documents are presented at import (YYYY-MM-DD), e.g. for the 12-month"
    " validity of an e-Form D (OCP Rule 14).",
)


def _language(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    """--lang (or the configuration's ``lang``), else ASW_VALIDATOR_LANG and the locale."""
    from .i18n import UnknownLanguageError, select_language

    try:
        return select_language(value)
    except UnknownLanguageError as err:
        raise click.BadParameter(str(err)) from err


LANG = click.option(
    "--lang",
    callback=_language,
    metavar="LANG",
    help="Language of the messages and of human reports: en, vi, th, km, lo, my (default:"
    " ASW_VALIDATOR_LANG, then the locale: LC_ALL, LC_MESSAGES, LANG; else en). Codes,"
    " XPaths and JSON keys never change; JSON, JSONL, JUnit and SARIF add the translation.",
)
WAIVERS = click.option(
    "--waivers",
    type=click.Path(exists=True, dir_okay=False, path_type=str),
    help="TOML file of [[waiver]] tables (code, path, justification, expires): findings it"
    " covers are reported as waived and do not fail the run.",
)


@main.command()
@click.argument(
    "paths",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, allow_dash=True, path_type=str),
)
@CONFIG
@click.option(
    "--format",
    type=click.Choice(FORMATS),
    default="auto",
    show_default=True,
    help="Report format; auto: github under GitHub Actions (report on stdout), else text.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=str),
    help="Write the report to FILE (a file is replaced only when the run completes; a device,"
    " FIFO or socket is written through); - is stdout.",
)
@click.option(
    "--fail-on",
    type=click.Choice(list(FAIL_ON)),
    default="error",
    show_default=True,
    help="Lowest severity that makes the exit code 1.",
)
@DOCTYPE
@STOP_ON_SCHEMA_ERROR
@SCHEMA_DIR
@MAX_BYTES
@MAX_DEPTH
@MAX_FINDINGS
@ON_DATE
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: the CPUs this process may use, for a run of 64 documents"
    " or 4 MB and more); 1 validates in-process.",
)
@WAIVERS
@LANG
@click.option(
    "--statistics", is_flag=True, help="After the report, the number of findings of each code."
)
@click.option("-v", "--verbose", count=True, help="More log output on stderr (repeatable).")
@click.option("-q", "--quiet", count=True, help="Less log output on stderr.")
@click.pass_context
def validate(
    ctx: click.Context,
    /,
    *,
    paths: tuple[str, ...],
    format: str,
    output: str | None,
    fail_on: str,
    jobs: int | None,
    lang: str,
    statistics: bool,
    verbose: int,
    quiet: int,
    **verdict: object,  # doctype, limits, dates, waivers: read by _verdict_settings
) -> None:
    """Validate PATHS: files, directories (searched for *.xml) or - for stdin."""
    verbosity = ctx.meta.get(_VERBOSITY, 0) + verbose - quiet
    configure_stderr(verbosity)
    if paths.count("-") > 1:
        raise click.UsageError("standard input ('-') can be named only once")
    target = None if output in (None, "-") else output
    fmt = resolve_format(format, to_stdout=target is None)
    reporter = reporter_class(fmt)
    registry = _registry()
    settings = _verdict_settings(ctx, registry, excerpt_lines=reporter.excerpt_lines)
    validator = Validator(settings, registry=registry)
    show = _Show(
        fmt,
        reporter,
        ReportOptions(
            color=fmt == "text" and _color(sys.stdout),
            base_dir=str(Path.cwd()),
            localizer=_localizer(lang),
        ),
        statistics,
        verbosity=verbosity,
    )
    try:
        with handle_signals():
            code = _run_to(
                target,
                validator,
                paths,
                show,
                FAIL_ON[fail_on],
                jobs or default_jobs(),
                jobs is None,
            )
    except Interrupted as err:  # Ctrl-C or SIGTERM: no report, and a code CI can tell apart
        click.echo(f"asw-validator: interrupted ({signal.Signals(err.signum).name})", err=True)
        code = err.exit_status
    sys.exit(code)


def _verdict_settings(
    ctx: click.Context, registry: Registry, *, excerpt_lines: int = 0
) -> Settings:
    """``Settings`` from the options that make a verdict (``validate`` and ``serve`` share
    them), with what only the configuration gives and the waivers."""
    p = ctx.params
    settings = Settings(
        doctype=p["doctype"],
        max_bytes=p["max_bytes"],
        max_depth=p["max_depth"],
        stop_on_schema_error=p["stop_on_schema_error"],
        presented_on=p["on_date"],
        max_findings=p["max_findings"] or None,
        schema_dir=p["schema_dir"],
        excerpt_lines=excerpt_lines,
    )
    config = ctx.meta.get(_CONFIG)
    if config is not None or p["waivers"] is not None:
        settings = _configured(settings, config, p["waivers"], registry)
    return settings


def _localizer(lang: str) -> Localizer | None:
    """The report's language: None for English (nothing to translate, nothing imported)."""
    if lang == "en":
        return None
    from .i18n import localizer

    return localizer(lang)


def _configured(
    settings: Settings, config: Config | None, waivers: str | None, registry: Registry
) -> Settings:
    """``settings`` with what only a configuration gives: select, ignore, severity, and the
    waivers (``--waivers`` or the file's), their codes checked against the known ones."""
    from .config import Config, ConfigError

    values = {k: v for k, v in (config.values if config else {}).items() if k in _POLICY_KEYS}
    if waivers is not None:
        values["waivers"] = waivers
    known = {r.code for r in registry} | set(PIPELINE_CODES)
    try:
        return Config(config.path if config else None, values).settings(settings, known=known)
    except ConfigError as err:
        raise click.UsageError(str(err)) from err


#: Configuration keys with no option of their own.
_POLICY_KEYS = ("select", "ignore", "severity")


def _color(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return stream.isatty() and not os.environ.get("NO_COLOR")


@dataclass(frozen=True)
class _Show:
    """How the report is shown: its format and options, and the extras around it."""

    fmt: str
    reporter: type[Reporter]
    options: ReportOptions
    statistics: bool
    #: Log verbosity: a progress line goes to stderr only at 0 (not with -v or -q).
    verbosity: int


def _run_to(
    target: str | None,
    validator: Validator,
    paths: tuple[str, ...],
    show: _Show,
    fail_on: Severity | None,
    jobs: int = 1,
    auto: bool = False,
) -> int:
    """Run and write the report to stdout or to ``target`` (see ``output``: a file is
    replaced only when the run completes; a device, FIFO or socket is written through)."""
    if target is None:
        try:
            code = _run(validator, paths, sys.stdout, show, fail_on, jobs, auto)
            sys.stdout.flush()  # a full disk or closed pipe must fail here, not at exit
            return code
        except UnicodeEncodeError as err:  # a terminal or pipe that cannot carry the script
            encoding = getattr(sys.stdout, "encoding", "?")
            click.echo(
                f"asw-validator: cannot write the report: standard output's encoding ({encoding})"
                f" cannot carry {err.object[err.start : err.end]!r}; set PYTHONIOENCODING=utf-8"
                " or write it to a file with -o",
                err=True,
            )
            return 3
        except OSError as err:
            click.echo(f"asw-validator: cannot write the report: {err}", err=True)
            return 3
    from .output import OutputRefusedError, open_report

    try:
        with open_report(target) as out:
            return _run(validator, paths, out, show, fail_on, jobs, auto)
    except OutputRefusedError as err:
        raise click.UsageError(str(err)) from err
    except OSError as err:
        click.echo(f"asw-validator: cannot write the report to {target}: {err}", err=True)
        return 3


def _run(
    validator: Validator,
    paths: tuple[str, ...],
    out: TextIO,
    show: _Show,
    fail_on: Severity | None,
    jobs: int = 1,
    auto: bool = False,
) -> int:
    """Validate every input in order, streaming each result, then the cross-document pass."""
    reporter = show.reporter(out, show.options)
    progress = _progress(show)
    run = validator.run(jobs=jobs, auto=auto)
    try:
        for result in run.map(_items(paths)):
            if progress is not None:
                progress.clear()
            reporter.document(result)
            log.info(
                "validated", path=result.path, valid=result.is_valid, findings=len(result.findings)
            )
            if progress is not None:
                progress.update(result)
    finally:
        if progress is not None:
            progress.clear()
    done = run.finish()
    if not done.documents:
        raise click.UsageError("nothing to validate: no *.xml files under the given paths")
    if run.worker_pids:
        log.info("workers", processes=len(run.worker_pids))
    reporter.cross_document(done.cross_findings)
    report = validator.report(done.documents)
    reporter.finish(report)
    if show.statistics:
        from .reporters.text import statistics_lines

        # after a text report on its stream; beside any other format, on stderr
        lines = statistics_lines(report)
        (out if show.fmt == "text" else sys.stderr).write("".join(f"{x}\n" for x in lines))
    return exit_code(done.documents, fail_on)


def _progress(show: _Show) -> Progress | None:
    if show.verbosity != 0 or not sys.stderr.isatty():
        return None
    from .progress import Progress

    return Progress(sys.stderr)


def _items(paths: tuple[str, ...]) -> Iterator[RunItem]:
    """What to validate, in order: files as named, directories walked (sorted), stdin."""
    for raw in paths:
        if raw == "-":
            yield (sys.stdin.buffer, "<stdin>")
            continue
        path = Path(raw)
        if path.is_dir():
            items = _walk(path)
            if not items:
                log.warning("no *.xml files found", directory=str(path))
            for file, err in items:
                yield unreadable(str(file), err) if err else file
        else:
            yield path


def _country_code(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    code = value.strip().upper()
    if not countries.is_iso_country(code):
        raise click.BadParameter(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
    return code


@main.command("rules")
@click.option("--doctype", type=click.Choice(doctypes.names()), help="Only rules of this type.")
@click.option(
    "--country",
    callback=_country_code,
    metavar="CC",
    help="Only the rules of this country's pack and the rules tagged with it (e.g. VN).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--all", "show_all", is_flag=True, help="Also list parse, detection and XSD codes.")
def rules_cmd(*, doctype: str | None, country: str | None, fmt: str, show_all: bool) -> None:
    """List the business rules (and with --all every other code)."""
    registry = _registry()
    rules = registry.for_country(country) if country else list(registry)
    # a type read into another's model (a WCO declaration: the ACDD's) runs that type's rules
    runs = doctypes.get(doctype).rules_doctype if doctype else None
    rules = [r for r in rules if runs is None or r.applies_to(runs)]
    if doctype and runs != doctype:
        click.echo(
            f"asw-validator: {doctype} documents are read as {runs} and get its rules; "
            f"its own codes: rules --all",
            err=True,
        )
    if country and not rules:
        click.echo(f"asw-validator: no rule is tagged with country {country}", err=True)
    if fmt == "json":
        data: dict[str, object] = {"rules": [r.info() for r in rules]}
        if show_all:
            data["pipeline_codes"] = [vars(c) for c in PIPELINE_CODES.values()]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if show_all:
        for c in PIPELINE_CODES.values():
            severity = c.severity if len(c.severity) <= 7 else "varies"
            click.echo(f"{c.code}  {severity:7}  {c.stage:8}  {c.name}: {c.summary}")
    width = max((len(",".join(r.doctypes)) for r in rules), default=0)
    for r in rules:
        summary = r.summary.replace("``", "")
        where = f"{_where(r):9}  " if country else ""
        click.echo(
            f"{r.code}  {r.severity.value:7}  {','.join(r.doctypes):{width}}  {where}"
            f"{r.name}: {summary}"
        )


def _where(rule: Rule) -> str:
    """How a rule relates to the country: the role its pack runs it in, or a tag."""
    return rule.role if rule.pack else "tagged"


def _said_in(lang: str, name: str, summary: str) -> None:
    """A code's name and short explanation in the language asked (before the English)."""
    loc = _localizer(lang)
    if loc is None:
        return
    click.echo(f"[{lang}] {loc.gettext(name.replace('-', ' '))}: {loc.gettext(summary)}")


@main.command()
@click.argument("code")
@LANG
def explain(code: str, lang: str) -> None:
    """Explain CODE: what it checks, why (its basis), and a failing and a passing example
    (with --lang, first its name and what it checks in that language)."""
    rule = _registry().get(code)
    if rule is not None:
        _said_in(lang, rule.name, rule.summary.replace("``", ""))
        click.echo(f"{rule.code}  {rule.name}")
        click.echo(f"severity:   {rule.severity.value}")
        click.echo(f"family:     {rule.family}")
        click.echo(f"documents:  {', '.join(rule.doctypes)}")
        if rule.pack:
            click.echo(f"country:    {rule.pack} pack (role: {rule.role})")
            click.echo(f"runs when:  {ROLE_TEXT[rule.role]} is {rule.pack}")
        elif rule.countries:
            click.echo(f"countries:  {', '.join(rule.countries)} (tags; runs on every route)")
        else:
            click.echo("countries:  all")
        start = rule.effective_from.isoformat() if rule.effective_from else "always"
        end = rule.effective_until.isoformat() if rule.effective_until else "open"
        dated = " (by the document's own date)" if rule.is_dated else ""
        click.echo(f"effective:  {start} .. {end}{dated}")
        if rule.is_batch:
            click.echo("scope:      cross-document (after every document of one run)")
        click.echo(f"basis:      {rule.basis}")
        click.echo("")
        click.echo(rule.doc.replace("``", ""))
        return
    pc = PIPELINE_CODES.get(code.upper())
    if pc is not None:
        _said_in(lang, pc.name, pc.summary)
        click.echo(f"{pc.code}  {pc.name}")
        click.echo(f"severity:   {pc.severity}")
        click.echo(f"stage:      {pc.stage}")
        click.echo(f"basis:      {pc.basis}")
        click.echo("")
        click.echo(pc.description.replace("``", ""))
        return
    retired = RETIRED_CODES.get(code.upper())
    if retired is not None:
        click.echo(f"{code.upper()}  retired")
        click.echo("")
        click.echo(retired)
        return
    raise click.UsageError(f"unknown code {code!r}; 'asw-validator rules --all' lists them")


@main.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option(
    "--to",
    "target_type",
    type=click.Choice(["acdd"]),
    required=True,
    help="The document to write (acdd: asw-validator's unofficial urn:asw-validator:acdd:1.0).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=str),
    help="Write the ACDD to FILE (replaced only when the conversion succeeds); - is stdout.",
)
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="ITEM=VALUE",
    help="Supply an ACDD item the declaration lacks (a-g, l, m, o), e.g. --set m=THLCH;"
    " repeatable. The output says which values were supplied.",
)
@MAX_BYTES
@VERBOSE
@QUIET
def convert(
    *,
    source: str,
    target_type: str,
    output: str | None,
    assignments: tuple[str, ...],
    max_bytes: int,
    verbose: int,
    quiet: int,
) -> None:
    """Convert SOURCE, a WCO Data Model export declaration, to an ACDD.

    Written only when the declaration is ACDD-ready (exit 0); otherwise nothing is written and
    the findings that stand in the way are listed on stderr (exit 1). The findings and the
    verdict always go to stderr, so stdout carries only the ACDD.
    """
    from .convert import ConversionError, convert_to_acdd, parse_assignments
    from .output import OutputRefusedError

    configure_stderr(verbose - quiet)
    try:
        supplied = parse_assignments(assignments)
    except ConversionError as err:
        raise click.UsageError(str(err)) from err
    target = None if output in (None, "-") else Path(output)
    validator = Validator(Settings(max_bytes=max_bytes), registry=_registry())
    given: Path | IO[bytes] = sys.stdin.buffer if source == "-" else Path(source)
    label = "<stdin>" if source == "-" else source
    try:
        with handle_signals():
            done = convert_to_acdd(given, validator=validator, path=label, supplied=supplied)
    except ConversionError as err:
        raise click.UsageError(str(err)) from err
    except Interrupted as err:
        click.echo(f"asw-validator: interrupted ({signal.Signals(err.signum).name})", err=True)
        sys.exit(err.exit_status)
    reporter_class("text")(sys.stderr).document(done.result)
    if done.output_findings:  # not a file anyone has: no path:line, just what and where
        click.echo("The ACDD made from it, checked with the ACDD schema and rules:", err=True)
        for f in done.output_findings:
            click.echo(f"  {f.code} {f.severity.value} {f.message} ({f.xpath})", err=True)
    if any(f.code == "INT001" for f in done.result.findings):
        sys.exit(3)
    if done.xml is None:
        readiness = done.result.readiness
        errors = sorted({f.code for f in done.result.findings if f.severity is Severity.ERROR})
        reason = (
            "the ACDD made from it would not be valid (above)"
            if done.output_findings
            else readiness["summary"]
            if readiness is not None
            else f"not a WCO export declaration that could be read ({', '.join(errors)})"
        )
        click.echo(f"asw-validator: not converted: {reason}", err=True)
        sys.exit(1)
    try:
        _write_text(target, done.xml.decode("utf-8"))
    except OutputRefusedError as err:
        raise click.UsageError(str(err)) from err
    except OSError as err:
        click.echo(f"asw-validator: cannot write the ACDD: {err}", err=True)
        sys.exit(3)
    where = "stdout" if target is None else str(target)
    supplied_text = (
        "; supplied: " + ", ".join(f"{k}={v}" for k, v in sorted(supplied.items()))
        if supplied
        else ""
    )
    click.echo(f"asw-validator: ACDD written to {where}{supplied_text}", err=True)


def _write_text(target: Path | None, text: str) -> None:
    """Write ``text`` to stdout, or to ``target`` the way ``validate -o`` writes a report (a
    file is replaced only by a complete one; a device or FIFO is written through)."""
    if target is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from .output import open_report

    with open_report(target) as out:
        out.write(text)


@main.command("schemas")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def schemas_cmd(*, fmt: str) -> None:
    """List the bundled schemas: document type, version, root element, file and SHA-256 (of
    the file and the modules it imports, as reports give it)."""
    from .schemas import SchemaLoadError, schema_info

    rows = []
    unschemed = []
    for doctype in doctypes.all_types():
        if doctype.schema is None:  # read by its binder alone (a WCO declaration)
            unschemed.append(doctype)
            continue
        try:
            info = schema_info(doctype)
        except SchemaLoadError as err:
            raise ToolError(str(err)) from err
        rows.append({**info.to_dict(), "root": doctype.qname, "path": doctype.schema})
    if fmt == "json":
        click.echo(json.dumps({"schemas": rows}, indent=2))
        return
    for row in rows:
        click.echo(f"{row['id']:22} {row['path']:44} {row['sha256']}")
        click.echo(f"{'':22} root {row['root']}")
    for doctype in unschemed:
        click.echo(
            f"{doctype.name + '/' + doctype.version:22} no schema: read by its binder,"
            f" judged by the {doctype.rules_doctype} rules"
        )
        click.echo(f"{'':22} root {doctype.qname}")


@main.group("samples", invoke_without_command=True)
@click.option("--doctype", type=click.Choice(doctypes.names()), help="Only this document type.")
@click.option("--country", callback=_country_code, metavar="CC", help="Only samples from or to CC.")
@click.option("--code", metavar="CODE", help="Only samples that report CODE (or a prefix: FD).")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_context
def samples_cmd(
    ctx: click.Context, *, doctype: str | None, country: str | None, code: str | None, fmt: str
) -> None:
    """The trainer's sample kit: list the shipped samples (story, type, countries, expected
    codes); 'samples show NAME' tells one, 'samples copy DIR' copies them all to edit."""
    if ctx.invoked_subcommand is not None:
        return
    from . import samplekit

    found = samplekit.select(samplekit.catalog(), doctype=doctype, country=country, code=code)
    if fmt == "json":
        click.echo(json.dumps({"samples": [s.to_dict() for s in found]}, indent=2))
        return
    for s in found:
        verdict = "valid" if s.valid else "not valid"
        codes = ", ".join(s.expected) or "no findings"
        click.echo(f"{s.file}  {s.doctype}  {s.route}  {verdict}: {codes}")
        click.echo(f"    {s.first_sentence}")
    if not found:
        click.echo("asw-validator: no sample matches", err=True)


@samples_cmd.command("show")
@click.argument("name")
def samples_show(*, name: str) -> None:
    """Tell sample NAME (e.g. invalid-port-of-discharge-name): its story and the findings it
    is expected to give."""
    import textwrap

    from . import samplekit
    from .codes import explanation

    try:
        s = samplekit.find(name, samplekit.catalog())
    except samplekit.SampleNotFoundError as err:
        raise click.UsageError(str(err)) from err
    click.echo(s.file)
    click.echo(f"type:       {s.doctype or 'not recognised'}")
    click.echo(f"countries:  {s.route}")
    if s.envelope:
        click.echo(f"envelope:   {s.envelope}")
    click.echo(f"verdict:    {'valid' if s.valid else 'not valid'}")
    click.echo("")
    click.echo(textwrap.fill(s.story, width=96))
    click.echo("")
    registry = _registry()
    click.echo("Expected findings:" if s.expected else "Expected findings: none")
    for code in s.expected:
        e = explanation(code, registry)
        click.echo(f"  {code}  {e.severity:7}  {e.name}: {e.summary}" if e else f"  {code}")
    if s.in_run:
        click.echo(f"With the other samples in one run, also: {', '.join(s.in_run)}")
    click.echo("")
    shown = os.path.relpath(s.path)
    click.echo(f"Try: asw-validator validate {s.path if shown.startswith('..') else shown}")


@samples_cmd.command("copy")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def samples_copy(*, directory: Path) -> None:
    """Copy every sample and the catalogue into DIRECTORY, to edit (nothing is overwritten)."""
    from . import samplekit

    try:
        written = samplekit.copy_kit(directory)
    except FileExistsError as err:
        raise click.UsageError(str(err)) from err
    except OSError as err:
        raise click.UsageError(f"cannot copy to {directory}: {err.strerror or err}") from err
    click.echo(f"copied {len(written) - 1} samples and {samplekit.CATALOG} to {directory}")
    click.echo(f"try: asw-validator validate {directory / 'acdd'}")


@main.command()
@CONFIG
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=svc.DEFAULT_PORT, show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Validation worker processes (default: the CPUs this process may use).",
)
@click.option(
    "--queue",
    type=click.IntRange(min=0),
    default=None,
    help="Requests that may wait for a worker; more get a 429 (default: 4 per worker).",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0, min_open=True),
    default=svc.DEFAULT_TIME_LIMIT,
    show_default=True,
    help="Seconds a worker may spend on one request; past it the worker is replaced and the"
    " request gets a 500.",
)
@click.option(
    "--read-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=svc.DEFAULT_READ_TIMEOUT,
    show_default=True,
    help="Seconds a client may take to send its body (else 408).",
)
@click.option(
    "--max-request-bytes",
    type=click.IntRange(min=1),
    default=svc.DEFAULT_MAX_REQUEST_BYTES,
    show_default=True,
    help="Largest request body (every document of it), in bytes (else 413).",
)
@click.option(
    "--max-files",
    type=click.IntRange(min=1),
    default=svc.DEFAULT_MAX_FILES,
    show_default=True,
    help="Documents in one request (else 413).",
)
@click.option(
    "--token-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="File whose first line is the access token (or set ASW_VALIDATOR_TOKEN); every route"
    " but health then requires it.",
)
@DOCTYPE
@STOP_ON_SCHEMA_ERROR
@SCHEMA_DIR
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=svc.DEFAULT_MAX_FILE_BYTES,
    show_default=True,
    help="Largest document accepted, in bytes (else 413).",
)
@MAX_DEPTH
@MAX_FINDINGS
@ON_DATE
@WAIVERS
@LANG
@click.option("-v", "--verbose", count=True, help="More log output on stderr (repeatable).")
@click.option(
    "-q", "--quiet", count=True, help="Less log output (-q: no access log; -qq: warnings only)."
)
@click.pass_context
def serve(
    ctx: click.Context,
    /,
    *,
    lang: str,
    host: str,
    port: int,
    workers: int | None,
    queue: int | None,
    time_limit: float,
    read_timeout: float,
    max_request_bytes: int,
    max_files: int,
    token_file: Path | None,
    verbose: int,
    quiet: int,
    **verdict: object,  # doctype, limits, dates, waivers: read by _verdict_settings
) -> None:
    """Serve the HTTP API (/v1) and the web page (/) until stopped (Ctrl-C, SIGTERM).

    Takes validate's settings and configuration file (--on-date, --doctype and --lang:
    defaults for requests that name none; a browser's Accept-Language still chooses the page's
    language). Needs the serve extra: pip install 'asw-validator[serve]'.
    """
    from .service import missing_modules

    missing = missing_modules()
    if missing:
        click.echo(
            f"asw-validator serve needs the 'serve' extra ({', '.join(missing)} missing):\n"
            "    pip install 'asw-validator[serve]'",
            err=True,
        )
        sys.exit(2)
    registry = _registry()
    settings = _verdict_settings(ctx, registry)
    count = workers or default_jobs()
    try:
        service = svc.ServiceSettings(
            validation=settings,
            workers=count,
            queue=4 * count if queue is None else queue,
            max_request_bytes=max_request_bytes,
            max_files=max_files,
            time_limit=time_limit,
            read_timeout=read_timeout,
            token=svc.read_token(token_file),
            audit_dir=os.environ.get(svc.AUDIT_ENV),
            lang=lang,
        )
    except svc.ServiceSettingsError as err:
        raise click.UsageError(str(err)) from err
    from .service.server import serve as run

    verbosity = ctx.meta.get(_VERBOSITY, 0) + verbose - quiet
    run(service, registry=registry, host=host, port=port, verbosity=verbosity)
