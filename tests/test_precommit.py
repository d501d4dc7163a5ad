"""The pre-commit hook definition: what pre-commit reads, and a command that works."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys

import yaml

from .conftest import REPO, SAMPLES


def hook() -> dict[str, object]:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    (only,) = hooks
    assert isinstance(only, dict)
    return only


def test_the_hook_validates_xml_files_in_one_process() -> None:
    h = hook()
    assert h["id"] == "asw-validator" and h["language"] == "python"
    assert h["require_serial"] is True  # one process: the files of a commit are compared
    files = re.compile(str(h["files"]))
    assert files.search("declarations/2025/a.xml") and not files.search("schema.xsd")


def test_the_hook_entry_runs_on_the_files_pre_commit_passes() -> None:
    entry = shlex.split(str(hook()["entry"]))
    assert entry[:2] == ["asw-validator", "validate"]
    files = [
        SAMPLES / "acdd" / "valid-vn-th-rice.xml",
        SAMPLES / "acdd" / "invalid-unit-kg-keg.xml",
    ]
    command = [sys.executable, "-m", "asw_validator", *entry[1:], *map(str, files)]
    assert subprocess.run(command, capture_output=True, check=False).returncode == 0
    bad = SAMPLES / "acdd" / "invalid-port-of-discharge-name.xml"
    assert subprocess.run([*command, str(bad)], capture_output=True, check=False).returncode == 1
