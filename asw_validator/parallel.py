"""Worker processes for a run: ``Validator.run(jobs=N)`` validates in N processes.

Each worker builds its own ``Validator`` once, from the parent's settings (its clock fixed in
the parent) and rule registry (third-party packs and a custom registry included): it compiles
each schema once, on first use, and keeps it. Workers read their files themselves; what the
parent read (standard input, bytes) is sent to them. Results come back in input order, each
with its bound model when a cross-document rule reads its type (a model holds no lxml object,
only values and written paths), so the cross-document pass still runs in the parent over every
document of the run. The model travels pickled and stays so in the parent, with the keys of its
cross-document groups computed in the worker: only a document that shares a group with another
has its model built in the parent.

Workers ignore SIGINT: Ctrl-C reaches the whole process group, and the parent alone decides
to stop; it then terminates every worker, so no process is left behind.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
from collections.abc import Hashable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Union

from .model import DocumentResult

if TYPE_CHECKING:
    import multiprocessing.context
    from multiprocessing.pool import Pool

    from .engine import Settings, Validator, _Input
    from .rules.registry import Registry

#: One unit of work: what to read (a path, or what the parent read) and the label the report
#: gives it; or a result made in the parent (an unreadable file), passed through in its place.
Task = Union["tuple[str | _Input, str]", DocumentResult]

_worker: Validator | None = None


def _start(settings: Settings, registry: Registry) -> None:
    """A worker's initializer: its own Validator, built once."""
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    from .engine import Validator

    _worker = Validator(settings, registry=registry)


#: What a worker sends back for one document: its result, its model pickled here (None when
#: no cross-document rule reads its type), the keys of its cross-document groups by rule
#: code, and the worker's pid.
Done = tuple[DocumentResult, "bytes | None", "dict[str, tuple[Hashable, ...]] | None", int]


def _work(task: Task) -> Done:
    assert _worker is not None, "worker not started"
    if isinstance(task, DocumentResult):
        return task, None, None, os.getpid()
    source, label = task
    result, model = _worker._check(source, label)
    if model is None or result.doctype is None:
        return result, None, None, os.getpid()
    return result, _pickled(model), _keys(_worker, result, model), os.getpid()


def _pickled(model: Any) -> bytes:
    """The model as the parent will keep it until a cross-document rule reads it: pickled once,
    here, instead of unpickled into thousands of objects there that nothing may read."""
    return pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL)


def _keys(
    validator: Validator, result: DocumentResult, model: Any
) -> dict[str, tuple[Hashable, ...]] | None:
    """The document's cross-document group keys, by rule, computed where its model is. A
    rule whose grouping fails or gives keys that do not travel is left for the parent to
    group (and to report as it reports a failing rule)."""
    from .rules.base import BatchDocument

    doc = BatchDocument(-1, result.path, str(result.doctype), model, result.sha256)
    keys: dict[str, tuple[Hashable, ...]] = {}
    for rule in validator._batch_rules:
        if rule.group_by is None or result.doctype not in rule.doctypes:
            continue
        try:
            made = tuple(dict.fromkeys(rule.group_by(doc)))
            pickle.dumps(made)
        except Exception:  # the parent groups this one itself, and reports its failure
            continue
        keys[rule.code] = made
    return keys


def default_jobs() -> int:
    """The CPUs this process may run on (its affinity, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _context() -> multiprocessing.context.BaseContext:
    """fork when this process has one thread (fast, nothing to re-import), else forkserver:
    forking a process with other threads can copy a lock that is held."""
    import multiprocessing  # here: a run without workers does not pay for the import

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


def _warm(validator: Validator) -> None:
    """Compile every schema here, before forking: each worker then starts with them (shared
    pages) instead of compiling them again, once per worker."""
    from . import doctypes
    from .schemas import SchemaLoadError, compiled

    for doctype in doctypes.all_types():
        if doctype.schema is None:
            continue
        try:
            compiled(doctype, validator.settings.schema_dir)
        except SchemaLoadError:  # the worker meets it again, and reports it as INT001
            continue


class Workers:
    """A pool of worker processes mapping tasks to results in input order."""

    def __init__(self, validator: Validator, jobs: int) -> None:
        from dataclasses import replace

        settings = replace(validator.settings, today=validator.today)
        context = _context()
        if context.get_start_method() == "fork":
            _warm(validator)
        self._pool: Pool = context.Pool(
            jobs, initializer=_start, initargs=(settings, validator.registry)
        )
        self.pids: set[int] = set()

    def map(self, tasks: Iterable[Task], *, chunksize: int = 32) -> Iterator[Done]:
        """Each task's result, pickled model and group keys, in input order."""
        for done in self._pool.imap(_work, tasks, chunksize=chunksize):
            self.pids.add(done[3])
            yield done

    def close(self) -> None:
        self._pool.close()
        self._pool.join()

    def terminate(self) -> None:
        """Stop every worker now (an interrupt, an error): none is left behind."""
        self._pool.terminate()
        self._pool.join()
