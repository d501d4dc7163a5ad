"""Report formats: one class per format behind ``Reporter``; ``REPORTERS`` names them all.

A format's module is imported only when that format is used: validating one file to text
pays for neither SARIF nor HTML (``tests/test_lazy.py``).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping

from .base import Reporter, ReportOptions

#: Format name -> ``module:class``; ``--format`` offers these and ``auto``.
REPORTERS: dict[str, str] = {
    "text": "asw_validator.reporters.text:TextReporter",
    "json": "asw_validator.reporters.json:JsonReporter",
    "jsonl": "asw_validator.reporters.jsonl:JsonLinesReporter",
    "sarif": "asw_validator.reporters.sarif:SarifReporter",
    "junit": "asw_validator.reporters.junit:JunitReporter",
    "github": "asw_validator.reporters.github:GithubReporter",
    "html": "asw_validator.reporters.html:HtmlReporter",
}
#: What ``--format`` accepts: ``auto`` picks ``github`` or ``text`` (``resolve_format``).
FORMATS = ("auto", *REPORTERS)


def reporter_class(name: str) -> type[Reporter]:
    """The class of format ``name``, its module imported now."""
    module, _, attribute = REPORTERS[name].partition(":")
    found: type[Reporter] = getattr(importlib.import_module(module), attribute)
    return found


def resolve_format(name: str, *, to_stdout: bool, env: Mapping[str, str] = os.environ) -> str:
    """``auto``: workflow commands (``github``) when GitHub Actions reads stdout, else text."""
    if name != "auto":
        return name
    return "github" if to_stdout and env.get("GITHUB_ACTIONS") == "true" else "text"


__all__ = [
    "FORMATS",
    "REPORTERS",
    "ReportOptions",
    "Reporter",
    "reporter_class",
    "resolve_format",
]
