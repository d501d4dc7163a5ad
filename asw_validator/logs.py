"""Logging: structlog loggers over stdlib logging.

The library only emits: its ``asw_validator`` logger has a NullHandler, so nothing appears
unless the application configures logging (the CLI renders to stderr). structlog's own default
logger would print to stdout, which a library and a report-on-stdout CLI must never do.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import structlog

logging.getLogger("asw_validator").addHandler(logging.NullHandler())

_PRE_CHAIN: list[Any] = [
    structlog.stdlib.add_log_level,
    structlog.processors.TimeStamper(fmt="iso"),
]


def get_logger(name: str) -> Any:
    """A structlog logger whose events are rendered by the handler's ProcessorFormatter."""
    return structlog.wrap_logger(
        logging.getLogger(name),
        wrapper_class=structlog.stdlib.BoundLogger,
        processors=[*_PRE_CHAIN, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
    )


def configure_stderr(verbosity: int, *, json: bool = False, also: tuple[str, ...] = ()) -> None:
    """Render the package's logs on stderr: -1 errors only, 0 warnings, 1 info, 2+ debug.

    ``json``: one JSON object a line (a service's structured logs), else readable lines;
    ``also``: other loggers rendered the same way (the service's HTTP server).
    """
    level = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}.get(
        max(-1, min(verbosity, 2)), logging.DEBUG
    )
    handler = logging.StreamHandler(sys.stderr)
    renderer: Any = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    )
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(processor=renderer, foreign_pre_chain=_PRE_CHAIN)
    )
    for name in ("asw_validator", *also):
        logger = logging.getLogger(name)
        logger.handlers = [h for h in logger.handlers if isinstance(h, logging.NullHandler)]
        logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = False
