"""Configuration files and waiver files: discovery, precedence, checks, and the codes they may
not touch. Every test runs in its own directory (a config found above it would leak in)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from asw_validator import Severity, cli
from asw_validator.config import KEYS, ConfigError, load, load_settings, load_waivers

from .conftest import FIXTURES

TODAY = dt.date.today()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project directory with one declaration holding AC013 (error) and, in the working
    directory, nothing else."""
    base = (FIXTURES / "acdd_base.xml").read_bytes()
    (tmp_path / "decl").mkdir()
    (tmp_path / "decl" / "bad.xml").write_bytes(base.replace(b">THLCH<", b">BANGKOK<"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(cli.main, ["validate", *args])


def report(r: Result) -> dict[str, object]:
    data: dict[str, object] = json.loads(r.stdout)
    return data


def option_keys(command: click.Command = cli.validate) -> dict[str, click.Option]:
    """A command's options by their long name (the configuration key they must have)."""
    out = {}
    for param in command.params:
        if isinstance(param, click.Option):
            long = max(param.opts, key=len)
            assert long.startswith("--"), param.opts
            out[long[2:]] = param
    return out


#: Options that configure the configuration itself.
NOT_CONFIGURABLE = {"config", "help"}


@pytest.mark.parametrize("command", [cli.validate, cli.serve], ids=["validate", "serve"])
def test_every_option_has_a_configuration_key(command: click.Command) -> None:
    """An option added without its key fails here (the issue that adds an option adds it)."""
    missing = set(option_keys(command)) - set(KEYS) - NOT_CONFIGURABLE
    assert not missing, f"options without a configuration key: {sorted(missing)}"


def test_every_key_is_an_option_or_a_policy_key() -> None:
    options = set(option_keys()) | set(option_keys(cli.serve))
    assert set(KEYS) - options == {"select", "ignore", "severity"}


def test_choice_keys_accept_what_their_options_accept() -> None:
    options = option_keys(cli.serve) | option_keys()
    for name, key in KEYS.items():
        option = options.get(name)
        if option is not None and isinstance(option.type, click.Choice):
            for choice in option.type.choices:
                assert key.check(choice, Path()) == choice, (name, choice)
            with pytest.raises(ValueError):
                key.check("no-such-choice", Path())


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def test_file_over_defaults_and_command_line_over_file(project: Path) -> None:
    write(project / ".asw-validator.toml", 'format = "json"\nfail-on = "never"\n')
    r = run("decl")
    assert r.exit_code == 0 and report(r)["summary"] == {  # json, and fail-on never
        "documents": 1,
        "valid": 0,
        "error": 1,
        "warning": 0,
        "info": 0,
    }
    r = run("--format", "text", "--fail-on", "error", "decl")
    assert r.exit_code == 1 and r.stdout.startswith("decl/bad.xml:")
    write(project / ".asw-validator.toml", "")
    r = run("decl")  # defaults: text, fail on errors
    assert r.exit_code == 1 and r.stdout.startswith("decl/bad.xml:")


def test_pyproject_table_is_found_walking_up(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        project / "pyproject.toml",
        '[project]\nname = "x"\n[tool.asw-validator]\nignore = ["AC013"]\n',
    )
    deep = project / "a" / "b"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    r = run(str(project / "decl"))
    assert r.exit_code == 0, r.output


def test_the_nearest_file_wins_and_own_file_before_pyproject(project: Path) -> None:
    write(project / "pyproject.toml", '[tool.asw-validator]\nformat = "json"\n')
    write(project / ".asw-validator.toml", 'ignore = ["AC013"]\n')
    r = run("decl")
    assert r.exit_code == 0 and r.stdout.startswith("1 document checked")  # text: not json


def test_a_pyproject_without_the_table_is_passed_over(project: Path) -> None:
    write(project / "pyproject.toml", '[project]\nname = "asw-validator-rules"\n')
    assert run("decl").exit_code == 1


def test_config_option_names_the_file(project: Path) -> None:
    write(project / "ci" / "strict.toml", 'fail-on = "never"\n')
    write(project / ".asw-validator.toml", 'fail-on = "error"\n')
    assert run("--config", "ci/strict.toml", "decl").exit_code == 0
    assert run("decl").exit_code == 1


@pytest.mark.parametrize(
    ("text", "key", "says"),
    [
        ('fromat = "json"\n', "fromat", "did you mean 'format'?"),
        ('format = "yaml"\n', "format", "'yaml' is not one of auto, text, json"),
        ("max-bytes = 0\n", "max-bytes", "0 is not at least 1"),
        ('max-findings = "10"\n', "max-findings", "is not a whole number"),
        ("max-depth = 300\n", "max-depth", "300 is not from 1 to 256"),
        ('on-date = "2027-13-01"\n', "on-date", "is not a calendar date"),
        ("on-date = 1999-01-01T10:00:00\n", "on-date", "is not a date"),
        ('select = "AC"\n', "select", "is not a list of codes"),
        ("stop-on-schema-error = 1\n", "stop-on-schema-error", "is not true or false"),
        ('severity = {AC011 = "fatal"}\n', "severity", "error, warning or info"),
        ('waivers = "none.toml"\n', "waivers", "does not exist"),
    ],
)
def test_unknown_keys_and_bad_values_are_usage_errors_naming_file_and_key(
    project: Path, text: str, key: str, says: str
) -> None:
    config = write(project / ".asw-validator.toml", text)
    r = run("decl")
    assert r.exit_code == 2, r.output
    assert f"{config}: {key}: " in r.stderr and says in r.stderr


def test_invalid_toml_is_a_usage_error(project: Path) -> None:
    write(project / ".asw-validator.toml", "format = \n")
    r = run("decl")
    assert r.exit_code == 2 and "not valid TOML" in r.stderr


@pytest.mark.parametrize(
    "text",
    [
        'ignore = ["XML002"]\n',
        'select = ["DOC"]\n',
        'ignore = ["io001"]\n',
        'severity = {INT001 = "info"}\n',
        'ignore = ["VAL"]\n',
    ],
)
def test_protected_codes_cannot_be_configured(project: Path, text: str) -> None:
    write(project / ".asw-validator.toml", text)
    r = run("decl")
    assert r.exit_code == 2 and "never configured" in r.stderr


def test_unknown_codes_are_refused(project: Path) -> None:
    write(project / ".asw-validator.toml", 'ignore = ["AC0133"]\n')
    r = run("decl")
    assert r.exit_code == 2 and "ignore: no code is or starts with AC0133" in r.stderr


def test_select_ignore_and_severity_from_a_file(project: Path) -> None:
    write(project / ".asw-validator.toml", 'severity = {AC013 = "warning"}\n')
    r = run("--format", "json", "decl")
    assert r.exit_code == 0
    assert report(r)["summary"]["warning"] == 1  # type: ignore[index]
    assert run("--fail-on", "warning", "decl").exit_code == 1


def test_an_unparsed_document_stays_invalid_whatever_the_configuration(project: Path) -> None:
    (project / "decl" / "broken.xml").write_bytes(b"<not-closed>")
    write(project / ".asw-validator.toml", 'select = ["AC013"]\nseverity = {AC013 = "info"}\n')
    r = run("--format", "json", "decl")
    assert r.exit_code == 1
    docs = report(r)["documents"]
    assert [[f["code"] for f in d["findings"]] for d in docs] == [["AC013"], ["XML002"]]  # type: ignore[index, union-attr]


WAIVER = """
[[waiver]]
code = "AC013"
path = "../decl/*.xml"
justification = "Port code corrected in the next release"
expires = {expires}
"""


def test_waivers_from_the_configuration_relative_to_the_waiver_file(project: Path) -> None:
    write(project / "policy" / "waivers.toml", WAIVER.format(expires=TODAY.isoformat()))
    write(project / ".asw-validator.toml", 'waivers = "policy/waivers.toml"\n')
    r = run("--format", "json", "decl")
    assert r.exit_code == 0, r.output
    (finding,) = report(r)["documents"][0]["findings"]  # type: ignore[index]
    assert finding["waived"] == {
        "justification": "Port code corrected in the next release",
        "expires": TODAY.isoformat(),
        "source": "policy/waivers.toml, waiver 1",
    }
    assert report(r)["summary"]["waived"] == 1  # type: ignore[index]


def test_an_expired_waiver_stops_waiving_and_warns(project: Path) -> None:
    yesterday = TODAY - dt.timedelta(days=1)
    write(project / "policy" / "waivers.toml", WAIVER.format(expires=yesterday.isoformat()))
    r = run("--waivers", "policy/waivers.toml", "decl")
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert (
        "CFG001 warning Waiver policy/waivers.toml, waiver 1 (AC013 in ../decl/*.xml)" in lines[0]
    )
    assert "AC013 error Place code" in lines[1]


@pytest.mark.parametrize(
    ("table", "key", "says"),
    [
        ('code = "DOC001"', "waiver 1.code", "never configured"),
        ('code = "ZZ"', "waiver 1.code", "no code is or starts with ZZ"),
        ('code = "AC013"\nowner = "me"', "waiver 1.owner", "unknown key"),
    ],
)
def test_bad_waivers_are_usage_errors(project: Path, table: str, key: str, says: str) -> None:
    text = f'[[waiver]]\n{table}\npath = "*.xml"\njustification = "x"\nexpires = 2030-01-01\n'
    waivers = write(project / "w.toml", text)
    r = run("--waivers", str(waivers), "decl")
    assert r.exit_code == 2, r.output
    assert f"{waivers}: {key}: " in r.stderr and says in r.stderr


def test_a_waiver_without_an_expiry_date_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "w.toml", '[[waiver]]\ncode = "AC"\npath = "*"\njustification = "x"\n')
    with pytest.raises(ConfigError, match=r"w.toml: waiver 1.expires: missing"):
        load_waivers(path)


def test_paths_in_a_file_are_relative_to_it(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(project / ".asw-validator.toml", 'output = "reports/latest.txt"\n')
    (project / "reports").mkdir()
    (project / "decl" / "sub").mkdir()
    monkeypatch.chdir(project / "decl" / "sub")
    assert run("..").exit_code == 1
    assert "1 document checked" in (project / "reports" / "latest.txt").read_text()


def test_the_library_loads_settings_from_a_file(tmp_path: Path) -> None:
    path = write(
        tmp_path / "pyproject.toml",
        '[tool.asw-validator]\nmax-findings = 0\non-date = 2027-01-01\nignore = ["AC0"]\n'
        'severity = {FD008 = "warning"}\n',
    )
    settings = load_settings(path)
    assert settings.max_findings is None
    assert settings.presented_on == dt.date(2027, 1, 1)
    assert settings.ignore == ("AC0",)
    assert settings.severity == {"FD008": Severity.WARNING}
    assert load(tmp_path / "pyproject.toml").path == path


def test_verbosity_from_the_file_and_global_options(project: Path) -> None:
    write(project / ".asw-validator.toml", "verbose = 1\n")
    r = run("decl")
    assert "validated" in r.stderr
    r = CliRunner().invoke(cli.main, ["-q", "validate", "decl"])
    assert "validated" not in r.stderr
