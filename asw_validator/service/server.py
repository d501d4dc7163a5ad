"""Run the service under uvicorn, one server process in front of the validation workers.

On SIGTERM or Ctrl-C the service stops taking requests at once (503, ``/readyz`` fails so a
load balancer stops sending), lets the requests it holds finish, then stops its workers.
"""

from __future__ import annotations

import uvicorn

from .app import create_app
from .core import Service
from .settings import ServiceSettings


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


def serve(settings: ServiceSettings, *, host: str, port: int) -> None:
    """Serve until stopped."""
    app = create_app(settings)
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
    _Server(config, service).run()
