"""--jobs: worker processes give the very report a single process gives, in input order."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

from click.testing import CliRunner

from asw_validator import Validator
from asw_validator.cli import main
from asw_validator.context import Context
from asw_validator.model import Severity
from asw_validator.rules.base import Family, problem
from asw_validator.rules.registry import Registry, core_families, pack_families

from .conftest import SAMPLES, TODAY

ALL_SAMPLES = sorted(SAMPLES.rglob("*.xml"))


def _json(*args: str) -> dict:  # type: ignore[type-arg]
    out = CliRunner().invoke(main, ["validate", "--format", "json", *args])
    assert out.exit_code in (0, 1), out.output
    return json.loads(out.output)  # type: ignore[no-any-return]


def test_the_report_with_workers_is_the_report_without() -> None:
    # The whole corpus: every document type, envelopes, and the cross-document rules.
    one = _json("--jobs", "1", str(SAMPLES))
    two = _json("--jobs", "2", str(SAMPLES))
    assert one == two
    assert any(f["code"].startswith("BT") for d in one["documents"] for f in d["findings"])


def test_two_jobs_put_two_worker_processes_to_work() -> None:
    run = Validator(today=TODAY).run(jobs=2)
    results = list(run.map(ALL_SAMPLES * 3))
    assert [r.path for r in results] == [str(p) for p in ALL_SAMPLES * 3]  # input order
    assert len(run.worker_pids) >= 2
    assert os.getpid() not in run.worker_pids


def test_one_input_never_starts_workers() -> None:
    run = Validator(today=TODAY).run(jobs=4)
    (result,) = list(run.map([ALL_SAMPLES[0]]))
    assert run.worker_pids == set()
    assert result.path == str(ALL_SAMPLES[0])


PID_PACK = Family("pids", "1.0.0")


@PID_PACK.rule(
    code="ZZ701",
    name="process-seen",
    severity=Severity.INFO,
    doctypes=("acdd",),
    basis="test",
)
def process_seen(doc: object, ctx: Context) -> Iterator[object]:
    """Says which process and which clock judged the document."""
    yield problem("judged in {pid} on {today}", None, pid=os.getpid(), today=ctx.today)


def test_workers_use_the_custom_registry_and_the_parents_clock(tmp_path: Path) -> None:
    registry = Registry([*core_families(), *pack_families(), PID_PACK])
    acdd = sorted((SAMPLES / "acdd").glob("valid-*.xml"))
    results = Validator(today=TODAY, registry=registry).validate_many(acdd, jobs=2)
    messages = [f.message for r in results for f in r.findings if f.code == "ZZ701"]
    assert len(messages) == len(acdd)
    assert all(m.endswith(f"on {TODAY}") for m in messages)
    assert {m.split()[2] for m in messages} - {str(os.getpid())}  # judged in the workers


def test_bytes_and_streams_are_read_by_the_parent() -> None:
    import io

    data = [p.read_bytes() for p in ALL_SAMPLES[:6]]
    one = Validator(today=TODAY).validate_many([io.BytesIO(d) for d in data])
    two = Validator(today=TODAY).validate_many([io.BytesIO(d) for d in data], jobs=2)
    assert [(r.findings, r.sha256) for r in one] == [(r.findings, r.sha256) for r in two]


def test_models_travel_pickled_and_are_built_only_for_documents_that_pair() -> None:
    eformd = sorted((SAMPLES / "eformd").glob("*.xml"))
    run = Validator(today=TODAY).run(jobs=2)
    list(run.map(eformd))
    done = run.finish()
    docs = run._docs  # white-box: which models the parent had to build
    assert docs and all(d.keys is not None for d in docs)
    assert any(not d.loaded for d in docs)  # a certificate alone in all its groups
    assert any(d.loaded for d in docs)  # BT001's duplicate references pair up
    one = Validator(today=TODAY).validate_many(eformd)
    assert [r.findings for r in done.documents] == [r.findings for r in one]


PAIRS = Family("pairs", "1.0.0")


def _by_exporting_country(doc: object) -> list[str]:
    return [getattr(doc, "model").export_country.text]  # noqa: B009


@PAIRS.rule(
    code="ZZ702",
    name="group-seen",
    severity=Severity.INFO,
    doctypes=("acdd",),
    basis="test",
    scope="batch",
    group_by=_by_exporting_country,
    pairs=True,
)
def group_seen(docs: list[object], ctx: Context) -> Iterator[object]:
    """Says the size of every group it is given."""
    for d in docs:
        yield getattr(d, "index"), problem("group of {n}", None, n=len(docs))  # noqa: B009


def test_a_pairs_rule_never_judges_a_group_of_one() -> None:
    registry = Registry([*core_families(), *pack_families(), PAIRS])
    acdd = sorted((SAMPLES / "acdd").glob("valid-*.xml"))
    results = Validator(today=TODAY, registry=registry).validate_many(acdd)
    sizes = [f.message for r in results for f in r.findings if f.code == "ZZ702"]
    assert sizes and "group of 1" not in sizes  # e.g. the lone LA exporter is not judged
    assert len(sizes) < len(acdd)


def test_the_cli_starts_no_workers_for_a_small_run_unless_asked() -> None:
    few = [str(p) for p in ALL_SAMPLES[:5]]
    auto = CliRunner().invoke(main, ["-v", "validate", "--format", "json", *few])
    assert "workers" not in auto.stderr
    asked = CliRunner().invoke(main, ["-v", "validate", "--jobs", "2", "--format", "json", *few])
    assert "workers" in asked.stderr
    assert json.loads(auto.stdout)["documents"] == json.loads(asked.stdout)["documents"]
