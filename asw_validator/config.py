"""Configuration: ``[tool.asw-validator]`` in ``pyproject.toml``, or ``.asw-validator.toml``
(keys at its top level), and waiver files; loaded into ``Settings`` for the CLI and for any
program using the library (a service passes its file to ``load``).

Every ``validate`` and ``serve`` option has a key of the same kebab-case name
(``tests/test_config.py`` enumerates the options; a command takes the keys it has options
for), plus ``select`` and ``ignore`` (codes or prefixes) and ``severity`` (a table of code =
severity). The service's token is never a key: ``token-file`` names the file that holds it.
Paths (``output``, ``waivers``, ``token-file``) are relative to the file's directory. An
unknown key or a bad value is a ``ConfigError`` naming the file and the key. Precedence (the
CLI's): command line > configuration file > defaults.

A waiver file holds ``[[waiver]]`` tables, each with ``code`` (a code or a prefix),
``path`` (a glob relative to the waiver file's directory, ``**`` for any depth),
``justification`` and ``expires`` (the last day it applies).
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import doctypes
from .dates import parse_day
from .engine import Settings
from .i18n import LANGUAGES, T
from .model import FAIL_ON, Severity
from .parsing import DEFAULT_MAX_DEPTH
from .policy import PROTECTED, Waiver, is_protected, refused
from .reporters import FORMATS

#: The table in pyproject.toml.
TABLE = "asw-validator"
#: A configuration file of its own, keys at the top level.
OWN_FILE = ".asw-validator.toml"


class ConfigError(ValueError):
    """A configuration or waiver file that cannot be used; the message names file and key."""

    def __init__(self, file: Path | str, key: str | None, message: str) -> None:
        where = f"{file}: {key}: " if key else f"{file}: "
        super().__init__(where + message)
        self.file = str(file)
        self.key = key


# ----- value checks: each takes the TOML value and the file's directory -----

Check = Callable[[object, Path], object]


def _choice(*choices: str) -> Check:
    def check(value: object, base: Path) -> str:
        if not isinstance(value, str) or value not in choices:
            raise ValueError(f"{value!r} is not one of {', '.join(choices)}")
        return value

    return check


def _integer(low: int, high: int | None = None) -> Check:
    def check(value: object, base: Path) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{value!r} is not a whole number")
        if value < low or (high is not None and value > high):
            bound = f"from {low} to {high}" if high is not None else f"at least {low}"
            raise ValueError(f"{value} is not {bound}")
        return value

    return check


def _seconds(value: object, base: Path) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ValueError(f"{value!r} is not a number of seconds above 0")
    return float(value)


def _text(value: object, base: Path) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{value!r} is not a text")
    return value.strip()


def _boolean(value: object, base: Path) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{value!r} is not true or false")
    return value


def _date(value: object, base: Path) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, (dt.date, str)):
        raise ValueError(f"{value!r} is not a date (2027-01-01, or the string '2027-01-01')")
    return parse_day(value if isinstance(value, str) else value.isoformat())


def _path(value: object, base: Path) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{value!r} is not a file name")
    return os.path.normpath(base / value)


def _file(value: object, base: Path) -> str:
    path = _path(value, base)
    if not Path(path).is_file():
        raise ValueError(f"{path} does not exist (or is not a file)")
    return path


def _directory(value: object, base: Path) -> str:
    path = _path(value, base)
    if not Path(path).is_dir():
        raise ValueError(f"{path} does not exist (or is not a directory)")
    return path


def _codes(value: object, base: Path) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{value!r} is not a list of codes or prefixes, e.g. ['AC', 'FD003']")
    codes = tuple(v.strip().upper() for v in value)
    _unprotected(codes)
    return codes


def _severities(value: object, base: Path) -> dict[str, Severity]:
    if not isinstance(value, dict):
        raise ValueError(f"{value!r} is not a table of code = severity, e.g. {{AC011 = 'error'}}")
    out: dict[str, Severity] = {}
    for code, severity in value.items():
        if severity not in ("error", "warning", "info"):
            raise ValueError(f"{code} = {severity!r}: the severity is error, warning or info")
        out[code.upper()] = Severity(severity)
    _unprotected(out)
    return out


def _unprotected(codes: Collection[str]) -> None:
    bad = refused(codes)
    if bad:
        raise ValueError(
            f"{', '.join(bad)}: codes of the {'/'.join(PROTECTED)} families are never"
            " configured (an unread or crashed document can never become valid)"
        )


@dataclass(frozen=True)
class Key:
    """One configuration key: its check and what it sets."""

    name: str
    check: Check
    #: The ``Settings`` field it sets (None: a CLI matter, e.g. the report format).
    setting: str | None = None


KEYS: dict[str, Key] = {
    k.name: k
    for k in (
        Key("format", _choice(*FORMATS)),
        Key("output", _path),
        Key("fail-on", _choice(*FAIL_ON)),
        Key("doctype", _choice(*doctypes.names()), "doctype"),
        Key("stop-on-schema-error", _boolean, "stop_on_schema_error"),
        Key("schema-dir", _directory, "schema_dir"),
        Key("max-bytes", _integer(1), "max_bytes"),
        Key("max-depth", _integer(1, DEFAULT_MAX_DEPTH), "max_depth"),
        Key("max-findings", _integer(0), "max_findings"),
        Key("on-date", _date, "presented_on"),
        Key("jobs", _integer(1)),
        Key("waivers", _file),
        Key("statistics", _boolean),
        Key("lang", _choice(*LANGUAGES)),
        Key("verbose", _integer(0)),
        Key("quiet", _integer(0)),
        Key("select", _codes, "select"),
        Key("ignore", _codes, "ignore"),
        Key("severity", _severities, "severity"),
        # serve's own
        Key("host", _text),
        Key("port", _integer(0, 65535)),
        Key("workers", _integer(1)),
        Key("queue", _integer(0)),
        Key("time-limit", _seconds),
        Key("read-timeout", _seconds),
        Key("max-request-bytes", _integer(1)),
        Key("max-files", _integer(1)),
        Key("token-file", _file),
    )
}


@dataclass(frozen=True)
class Config:
    """A loaded configuration: checked values by key (only the keys the file sets)."""

    path: Path | None = None
    values: Mapping[str, Any] = field(default_factory=dict)

    def settings(
        self,
        base: Settings | None = None,
        *,
        known: Collection[str] | None = None,
        **overrides: Any,
    ) -> Settings:
        """``Settings`` from these values (over ``base``, under ``overrides``), with the
        waiver file, if one is named, loaded; codes checked against ``known`` if given."""
        if known is not None:
            self.check_codes(known)
        fields: dict[str, Any] = {}
        for name, value in self.values.items():
            setting = KEYS[name].setting
            if setting == "max_findings":
                value = value or None  # 0: no limit
            if setting is not None:
                fields[setting] = value
        waivers = self.values.get("waivers")
        if waivers is not None:
            fields["waivers"] = load_waivers(waivers, known)
        fields.update(overrides)
        return replace(base or Settings(), **fields)

    def check_codes(self, known: Collection[str]) -> None:
        """Every code or prefix in ``select``, ``ignore`` and ``severity`` names a known
        code (a typo would otherwise silently change nothing)."""
        for key in ("select", "ignore", "severity"):
            unknown = _unknown(self.values.get(key, ()), known, exact=key == "severity")
            if unknown:
                raise ConfigError(self.path or "configuration", key, _unknown_message(unknown))


def _unknown(entries: Collection[str], known: Collection[str], *, exact: bool) -> list[str]:
    if exact:
        return [e for e in entries if e not in known]
    return [e for e in entries if not any(k.startswith(e) for k in known)]


def _unknown_message(unknown: list[str]) -> str:
    listed = ", ".join(unknown)
    return f"no code is or starts with {listed} ('asw-validator rules --all' lists them)"


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib  # only when a file is read: validating needs no TOML parser

    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as err:
        raise ConfigError(path, None, f"cannot read it: {err.strerror or err}") from err
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(path, None, f"not valid TOML: {err}") from err


def _table(path: Path, data: dict[str, Any]) -> dict[str, Any] | None:
    """The keys a file holds: pyproject.toml's ``[tool.asw-validator]`` (None when it has
    none), any other file's top level."""
    if path.name != "pyproject.toml":
        return data
    tool = data.get("tool")
    table = tool.get(TABLE) if isinstance(tool, dict) else None
    if table is not None and not isinstance(table, dict):
        raise ConfigError(path, f"tool.{TABLE}", "is not a table")
    return table


def has_table(pyproject: Path) -> bool:
    """Whether a pyproject.toml configures asw-validator."""
    return _table(pyproject, _read_toml(pyproject)) is not None


def load(path: Path | str) -> Config:
    """The configuration in ``path`` (a pyproject.toml: its ``[tool.asw-validator]``), every
    key and value checked."""
    path = Path(path)
    table = _table(path, _read_toml(path)) or {}
    base = path.parent.absolute()
    values: dict[str, Any] = {}
    for name, value in table.items():
        key = KEYS.get(name)
        if key is None:
            near = difflib.get_close_matches(name, KEYS, n=1)
            hint = f"; did you mean {near[0]!r}?" if near else f"; known keys: {', '.join(KEYS)}"
            raise ConfigError(path, name, "unknown key" + hint)
        try:
            values[name] = key.check(value, base)
        except ValueError as err:
            raise ConfigError(path, name, str(err)) from err
    return Config(path, values)


def load_settings(
    path: Path | str, *, known: Collection[str] | None = None, **overrides: Any
) -> Settings:
    """``Settings`` from the configuration in ``path``: the library's one-call entry."""
    return load(path).settings(known=known, **overrides)


_WAIVER_KEYS = ("code", "path", "justification", "expires")


def load_waivers(path: Path | str, known: Collection[str] | None = None) -> tuple[Waiver, ...]:
    """The ``[[waiver]]`` tables of ``path``; every key checked, codes against ``known``."""
    path = Path(path)
    data = _read_toml(path)
    extra = sorted(set(data) - {"waiver"})
    if extra:
        raise ConfigError(path, extra[0], "unknown key; a waiver file holds [[waiver]] tables")
    tables = data.get("waiver", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise ConfigError(path, "waiver", "is not an array of tables ([[waiver]])")
    base = str(path.parent.absolute())
    shown = _shown(path)
    waivers: list[Waiver] = []
    for number, table in enumerate(tables, 1):
        where = f"waiver {number}"
        unknown = sorted(set(table) - set(_WAIVER_KEYS))
        if unknown:
            raise ConfigError(path, f"{where}.{unknown[0]}", "unknown key")
        missing = [k for k in _WAIVER_KEYS if k not in table]
        if missing:
            raise ConfigError(path, f"{where}.{missing[0]}", "missing")
        for text in ("code", "path", "justification"):
            if not isinstance(table[text], str) or not table[text].strip():
                raise ConfigError(path, f"{where}.{text}", f"{table[text]!r} is not a text")
        code = table["code"].strip().upper()
        try:
            _unprotected([code])
            expires = _date(table["expires"], path.parent)
        except ValueError as err:
            key = "code" if is_protected(code) else "expires"
            raise ConfigError(path, f"{where}.{key}", str(err)) from err
        if known is not None and _unknown([code], known, exact=False):
            raise ConfigError(path, f"{where}.code", _unknown_message([code]))
        waivers.append(
            Waiver(
                code=code,
                path=table["path"],
                base=base,
                justification=table["justification"].strip(),
                expires=expires,
                source=T("{file}, waiver {n}", file=shown, n=number),
            )
        )
    return tuple(waivers)


def _shown(path: Path) -> str:
    """A path as people should read it: relative to the working directory when inside it."""
    relative = os.path.relpath(path.absolute())
    return str(path) if relative.startswith("..") else relative


def find(start: Path | None = None) -> Path | None:
    """The configuration that applies in ``start`` (the working directory): walking up,
    the first ``.asw-validator.toml``, or ``pyproject.toml`` with ``[tool.asw-validator]``."""
    from .resources import find_config

    return find_config(start or Path.cwd())
