"""The README's example outputs are what the tool prints (a README that lies is a bug)."""

from __future__ import annotations

import re
import shlex

import pytest
from click.testing import CliRunner

from asw_validator import cli

from .conftest import REPO

BLOCK = re.compile(r"```text\n\$ (asw-validator [^\n]*)\n(.*?)```", re.DOTALL)
EXAMPLES = BLOCK.findall((REPO / "README.md").read_text("utf-8"))


def test_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize(("command", "output"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_readme_example_output(command: str, output: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    args = shlex.split(command)[1:]
    result = CliRunner().invoke(cli.main, args)
    assert result.stdout == output
