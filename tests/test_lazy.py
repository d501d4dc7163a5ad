"""What ``validate`` of one small file imports: only what it uses (it stays within 0.35 s).

Other report formats, the configuration loader (and tomllib), the output writer, worker
processes and the test-only libraries are imported only when asked for.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SAMPLES

NOT_WHEN_UNASKED = [
    "asw_validator.config",
    "asw_validator.output",
    "asw_validator.progress",
    "asw_validator.excerpt",
    "asw_validator.reporters.json",
    "asw_validator.reporters.jsonl",
    "asw_validator.reporters.sarif",
    "asw_validator.reporters.junit",
    "asw_validator.reporters.github",
    "asw_validator.reporters.html",
    "asw_validator.reporters.labels",
    "tomllib",
    "difflib",
    "html",
    "xml.etree.ElementTree",
    "multiprocessing",
    "junitparser",
    "selenium",
    "jinja2",
]

PROBE = """
import json, sys
from asw_validator.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)))
"""


def imported(cwd: Path, *args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "validate", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    modules: list[str] = json.loads(done.stdout.splitlines()[-1])
    return set(modules)


@pytest.fixture
def one_file(tmp_path: Path) -> Path:
    """A small valid declaration in a directory with no configuration above it."""
    shutil.copy(SAMPLES / "acdd" / "valid-vn-th-rice.xml", tmp_path / "d.xml")
    return tmp_path


def test_validating_one_file_to_text_imports_nothing_it_does_not_use(one_file: Path) -> None:
    modules = imported(one_file, "d.xml")
    assert "asw_validator.reporters.text" in modules
    assert sorted(m for m in NOT_WHEN_UNASKED if m in modules) == []


@pytest.mark.parametrize(
    ("args", "module"),
    [
        (["--format", "html"], "asw_validator.reporters.html"),
        (["--format", "sarif"], "asw_validator.reporters.sarif"),
        (["--format", "junit"], "asw_validator.reporters.junit"),
        (["-o", "r.txt"], "asw_validator.output"),
    ],
)
def test_what_is_asked_for_is_imported(one_file: Path, args: list[str], module: str) -> None:
    """The probe sees imports at all (a test that cannot fail is a defect)."""
    assert module in imported(one_file, *args, "d.xml")


def test_a_configuration_file_loads_the_loader(one_file: Path) -> None:
    (one_file / ".asw-validator.toml").write_text('fail-on = "warning"\n')
    modules = imported(one_file, "d.xml")
    assert {"asw_validator.config", "tomllib"} <= modules


def test_a_pyproject_that_does_not_name_the_tool_is_not_parsed(one_file: Path) -> None:
    (one_file / "pyproject.toml").write_text('[project]\nname = "customs-messages"\n')
    assert "tomllib" not in imported(one_file, "d.xml")
