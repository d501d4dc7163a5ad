"""The server's side of the workers: a pebble process pool behind a bounded queue.

pebble, not ``concurrent.futures.ProcessPoolExecutor``: a task past its time limit has its
worker killed and a new one started in its place (the executor can only wait, or break the
whole pool). Workers come from a fork server, started while the server has one thread:
forking the server itself, once its event loop and pebble's threads run, could copy a lock
some thread holds.

The queue is a count of places, taken before a request's body is read and given back when its
report is done: at most ``workers + queue`` bodies are held at once, and one more request is
refused (429) at once instead of waiting without bound.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import replace

import pebble

from ..rules.registry import Registry
from . import worker
from .settings import ServiceSettings

#: What a worker runs for a job (tests replace it: a worker that hangs, one that dies).
Task = Callable[[worker.Job], worker.Outcome]


class QueueFullError(Exception):
    """Every place is taken: the request is refused (429)."""


class WorkerTimeoutError(Exception):
    """The worker passed the time limit; it was killed and is being replaced."""


class WorkerFailedError(Exception):
    """The worker died (it is being replaced) or the task raised: the documents are not
    known valid."""

    def __init__(self, detail: str, *, replaced: bool) -> None:
        super().__init__(detail)
        self.replaced = replaced


class Pool:
    """Validation workers; ``submit`` from the event loop, never blocking it."""

    def __init__(
        self,
        service: ServiceSettings,
        registry: Registry,
        *,
        task: Task | None = None,
    ) -> None:
        self.service = service
        self._task = task or worker.check
        self._places = service.workers + service.queue
        self.taken = 0
        settings = replace(service.validation, today=None)
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["asw_validator.service.worker"])
        self._pool = pebble.ProcessPool(
            max_workers=service.workers,
            initializer=worker.start,
            initargs=(settings, registry, service.audit_dir),
            context=context,
        )

    def take(self) -> None:
        """Take a place in the queue, or raise ``QueueFullError``; ``give_back`` when done."""
        if self.taken >= self._places:
            raise QueueFullError
        self.taken += 1

    def give_back(self) -> None:
        self.taken -= 1

    async def submit(self, job: worker.Job) -> worker.Outcome:
        """The job's outcome, from a worker; the caller holds a place."""
        future = self._pool.schedule(self._task, args=(job,), timeout=self.service.time_limit)
        try:
            outcome: worker.Outcome = await asyncio.wrap_future(future)
        except FutureTimeout as err:
            raise WorkerTimeoutError from err
        except pebble.ProcessExpired as err:
            detail = f"the worker stopped (exit code {err.exitcode})"
            raise WorkerFailedError(detail, replaced=True) from err
        except Exception as err:
            raise WorkerFailedError(type(err).__name__, replaced=False) from err
        return outcome

    def close(self, timeout: float = 10.0) -> None:
        """Let queued and running tasks finish (up to ``timeout`` seconds), then stop every
        worker."""
        self._pool.close()  # type: ignore[no-untyped-call]
        try:
            self._pool.join(timeout)
        except TimeoutError:
            self._pool.stop()  # type: ignore[no-untyped-call]
            self._pool.join()

    @property
    def active(self) -> bool:
        return bool(self._pool.active)
