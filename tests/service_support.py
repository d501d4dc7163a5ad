"""Helpers for the service tests: the app served by a real uvicorn on 127.0.0.1 (in a thread
of the test process, so tests can look inside it) and an httpx client to it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn

from asw_validator.service.app import create_app
from asw_validator.service.core import Service
from asw_validator.service.pool import Task
from asw_validator.service.settings import ServiceSettings

_APPS: dict[int, Any] = {}


@contextmanager
def running(settings: ServiceSettings, task: Task | None = None) -> Iterator[httpx.Client]:
    """A client of the app on a free port, once its workers validate (``/readyz``)."""
    app = create_app(settings, task=task)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, lifespan="on", access_log=False, log_config=None
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.02)
        port = server.servers[0].sockets[0].getsockname()[1]
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            wait_ready(client)
            _APPS[id(client)] = app
            try:
                yield client
            finally:
                del _APPS[id(client)]
    finally:
        server.should_exit = True
        thread.join(60)


def wait_ready(client: httpx.Client, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while client.get("/readyz").status_code != 200:
        assert time.monotonic() < deadline, "the service did not become ready"
        time.sleep(0.05)


def app_of(client: httpx.Client) -> Any:
    """The app behind ``client``, to look inside (or call as ASGI)."""
    return _APPS[id(client)]


def service_of(client: httpx.Client) -> Service:
    found: Service = app_of(client).state.service
    return found
