"""``asw-validator serve`` as a command: what it needs, what it refuses, and what it costs the
other commands (nothing: the web framework is imported only when ``serve`` runs)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from asw_validator import cli
from asw_validator.service import EXTRA_MODULES
from asw_validator.service.settings import TOKEN_ENV

SERVICE_ONLY = (*EXTRA_MODULES, "starlette", "anyio", "httpx", "pydantic", "multipart")


def test_the_cli_imports_nothing_of_the_service() -> None:
    code = (
        "import sys; import asw_validator.cli;"
        f" print(sorted(m for m in sys.modules if m.split('.')[0] in {SERVICE_ONLY!r}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out.replace("'", '"')) == []


def test_serve_without_the_extra_says_how_to_install_it_and_exits_2() -> None:
    # A finder that hides FastAPI, as in an installation without the serve extra.
    code = """
import sys
class Hide:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "fastapi":
            raise ModuleNotFoundError(name)
sys.meta_path.insert(0, Hide())
from asw_validator.cli import main
main(["serve"])
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 2, r.stderr
    assert "pip install 'asw-validator[serve]'" in r.stderr
    assert "fastapi" in r.stderr


def test_serve_refuses_a_short_token_or_two_tokens(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(TOKEN_ENV, "short")
    r = CliRunner().invoke(cli.main, ["serve", "--port", "1"])
    assert r.exit_code == 2
    assert "at least 16" in r.output
    token_file = tmp_path / "token"
    token_file.write_text("another-long-enough-token\n")
    r = CliRunner().invoke(cli.main, ["serve", "--token-file", str(token_file)])
    assert r.exit_code == 2
    assert "use one" in r.output


def test_serve_help_lists_the_limits() -> None:
    r = CliRunner().invoke(cli.main, ["serve", "--help"])
    assert r.exit_code == 0
    for option in ("--workers", "--queue", "--time-limit", "--max-bytes", "--token-file"):
        assert option in r.output


def test_serve_takes_the_configuration_file_of_validate(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from asw_validator.service import server
    from asw_validator.service.settings import ServiceSettings

    started: list[tuple[ServiceSettings, dict[str, object]]] = []
    monkeypatch.setattr(server, "serve", lambda s, **kw: started.append((s, kw)))
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    token = tmp_path / "secrets" / "token"
    token.parent.mkdir()
    token.write_text("a-token-read-from-a-file\n")
    (tmp_path / ".asw-validator.toml").write_text(
        'port = 9001\nworkers = 3\ntime-limit = 5\nmax-bytes = 4096\nignore = ["AC013"]\n'
        'doctype = "acdd"\ntoken-file = "secrets/token"\nformat = "json"\n'
    )
    r = CliRunner().invoke(cli.main, ["serve", "--workers", "2"])
    assert r.exit_code == 0, r.output
    settings, kwargs = started[0]
    assert kwargs["port"] == 9001 and kwargs["host"] == "127.0.0.1"
    assert settings.workers == 2  # the command line over the file
    assert settings.queue == 8 and settings.time_limit == 5
    assert settings.token == "a-token-read-from-a-file"
    validation = settings.validation
    assert validation.max_bytes == 4096 and validation.doctype == "acdd"
    assert validation.ignore == ("AC013",)  # a key with no option of its own
    (tmp_path / ".asw-validator.toml").write_text("token = 'in-the-file-itself-no'\n")
    r = CliRunner().invoke(cli.main, ["serve"])
    assert r.exit_code == 2 and "token-file" in r.output  # did you mean


def test_a_stop_signal_turns_the_service_away_at_once() -> None:
    import signal

    import uvicorn

    from asw_validator.service.app import create_app
    from asw_validator.service.server import _Server
    from asw_validator.service.settings import ServiceSettings

    app = create_app(ServiceSettings())  # not started: no worker
    service = app.state.service
    service.ready = True
    server = _Server(uvicorn.Config(app), service)
    server.handle_exit(signal.SIGTERM, None)
    # before uvicorn waits for open connections: new requests get 503, /readyz fails
    assert service.draining and not service.ready
    assert server.should_exit
