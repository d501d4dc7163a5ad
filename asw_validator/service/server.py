"""Run the service under uvicorn, one server process in front of the validation workers.

On SIGTERM or Ctrl-C the service stops taking requests at once (503, ``/readyz`` fails so a
load balancer stops sending), lets the requests it holds finish, then stops its workers.
"""

from __future__ import annotations

import logging

import uvicorn

from ..logs import configure_stderr, get_logger
from ..rules.registry import Registry
from .app import ACCESS_LOG, create_app
from .core import Service
from .settings import ServiceSettings

log = get_logger("asw_validator.service")


class _Server(uvicorn.Server):
    """uvicorn's server, telling the service as soon as a stop is asked for: uvicorn only
    runs the app's shutdown after the last connection is done."""

    def __init__(self, config: uvicorn.Config, service: Service) -> None:
        super().__init__(config)
        self.service = service

    def handle_exit(self, sig: int, frame: object) -> None:
        self.service.draining = True
        self.service.ready = False
        super().handle_exit(sig, frame)  # type: ignore[arg-type]


def serve(
    settings: ServiceSettings,
    *,
    registry: Registry | None = None,
    host: str,
    port: int,
    verbosity: int = 0,
) -> None:
    """Serve until stopped. Logs are JSON lines on stderr: by default information (start,
    stop, one line per request); ``verbosity`` -1 without the access log, -2 warnings only,
    1 debug."""
    configure_stderr(1 + verbosity + (verbosity < 0), json=True, also=("uvicorn",))
    if verbosity < 0:
        logging.getLogger(ACCESS_LOG).setLevel(logging.WARNING)
    app = create_app(settings, registry=registry)
    service: Service = app.state.service
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        lifespan="on",
        access_log=False,  # the service logs each request itself (request id, no content)
        log_config=None,  # the CLI configured logging
        server_header=False,
        # A backstop beyond the queue: more open connections than this get a 503.
        limit_concurrency=max(100, 4 * (settings.workers + settings.queue)),
        timeout_graceful_shutdown=int(settings.time_limit + settings.read_timeout) + 1,
    )
    log.info(
        "serving",
        host=host,
        port=port,
        workers=settings.workers,
        queue=settings.queue,
        token=settings.token is not None,
    )
    _Server(config, service).run()
