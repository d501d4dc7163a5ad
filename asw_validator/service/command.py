"""The ``asw-validator serve`` command: options -> ``ServiceSettings`` -> ``server.serve``.

Importing this module imports only click and the validator's own settings, so the ``serve``
command costs ``validate`` nothing; the web framework is imported when ``serve`` runs.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from .. import doctypes
from ..engine import DEFAULT_MAX_FINDINGS, Settings
from ..logs import configure_stderr, get_logger
from ..parsing import DEFAULT_MAX_DEPTH
from . import missing_modules
from .settings import AUDIT_ENV, MB, TOKEN_ENV, ServiceSettings, ServiceSettingsError, read_token

log = get_logger("asw_validator.service")


def _cpus() -> int:
    from ..parallel import default_jobs

    return default_jobs()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
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
    default=30.0,
    show_default=True,
    help="Seconds a worker may spend on one request; past it the worker is replaced and the"
    " request gets a 500.",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=10 * MB,
    show_default=True,
    help="Largest document accepted, in bytes (a larger one: 413).",
)
@click.option(
    "--max-request-bytes",
    type=click.IntRange(min=1),
    default=20 * MB,
    show_default=True,
    help="Largest request body (every document of it), in bytes.",
)
@click.option(
    "--max-files",
    type=click.IntRange(min=1),
    default=100,
    show_default=True,
    help="Documents in one request.",
)
@click.option(
    "--read-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    help="Seconds a client may take to send its body (else 408).",
)
@click.option(
    "--max-depth",
    type=click.IntRange(1, DEFAULT_MAX_DEPTH),
    default=DEFAULT_MAX_DEPTH,
    show_default=True,
    help="Deepest element nesting accepted.",
)
@click.option(
    "--max-findings",
    type=click.IntRange(min=0),
    default=DEFAULT_MAX_FINDINGS,
    show_default=True,
    help="Findings listed per document; the rest are counted in one LIM001 (0: no limit).",
)
@click.option(
    "--doctype",
    type=click.Choice(doctypes.names()),
    help="Default for requests that name none: treat every document as this type.",
)
@click.option("--stop-on-schema-error", is_flag=True, help="Skip business rules after XSD errors.")
@click.option(
    "--schema-dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    metavar="DIR",
    help="Validate with your schema set under DIR instead of ours.",
)
@click.option(
    "--token-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"File whose first line is the access token (or set {TOKEN_ENV}); every route but"
    " health then requires it.",
)
@click.option("-v", "--verbose", count=True, help="More log output on stderr.")
@click.option(
    "-q", "--quiet", count=True, help="Less log output (-q: no access log; -qq: warnings only)."
)
def serve(
    *,
    host: str,
    port: int,
    workers: int | None,
    queue: int | None,
    time_limit: float,
    max_bytes: int,
    max_request_bytes: int,
    max_files: int,
    read_timeout: float,
    max_depth: int,
    max_findings: int,
    doctype: str | None,
    stop_on_schema_error: bool,
    schema_dir: Path | None,
    token_file: Path | None,
    verbose: int,
    quiet: int,
) -> None:
    """Serve the HTTP API (/v1) and the web page (/) until stopped.

    Needs the serve extra: pip install 'asw-validator[serve]'.
    """
    missing = missing_modules()
    if missing:
        click.echo(
            f"asw-validator serve needs the 'serve' extra ({', '.join(missing)} missing):\n"
            "    pip install 'asw-validator[serve]'",
            err=True,
        )
        sys.exit(2)
    # Information (start, stop, each request) by default; -q: no access log; -qq: warnings.
    configure_stderr(1 + verbose - max(0, quiet - 1), json=True, also=("uvicorn",))
    if quiet:
        logging.getLogger("asw_validator.service.access").setLevel(logging.WARNING)
    try:
        validation = Settings(
            doctype=doctype,
            max_bytes=max_bytes,
            max_depth=max_depth,
            stop_on_schema_error=stop_on_schema_error,
            max_findings=max_findings or None,
            schema_dir=schema_dir,
        )
        count = workers or _cpus()
        settings = ServiceSettings(
            validation=validation,
            workers=count,
            queue=4 * count if queue is None else queue,
            max_request_bytes=max(max_request_bytes, 1),
            max_files=max_files,
            time_limit=time_limit,
            read_timeout=read_timeout,
            token=read_token(token_file),
            audit_dir=os.environ.get(AUDIT_ENV),
        )
    except (ServiceSettingsError, ValueError) as err:
        raise click.UsageError(str(err)) from err
    from .server import serve as run

    log.info(
        "serving",
        url=f"http://{host}:{port}/",
        workers=settings.workers,
        queue=settings.queue,
        token=settings.token is not None,
    )
    run(settings, host=host, port=port)
