"""GitHub Actions workflow commands: one annotation per finding, then the summary line.

``::error file=PATH,line=L,col=C,title=CODE rule::message (xpath)``; warnings are
``::warning``, info ``::notice``; waived findings are not annotated (the summary counts
them). Paths are relative to the working directory (the workspace). Text from documents is
escaped as the runner reads it: ``%``, CR and LF in the message, and also ``:`` and ``,`` in
properties, so no document can end an annotation or start a command of its own.
"""

from __future__ import annotations

from ..model import Finding, Report
from .base import LineReporter, value_note
from .text import TextReporter

LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter(LineReporter):
    def finding(self, path: str, f: Finding) -> None:
        if f.waived is not None:
            return
        props = [f"file={escape_property(self.relative(path))}"]
        if f.line:
            props.append(f"line={f.line}")
            if f.column:
                props.append(f"col={f.column}")
        title = f"{f.code} {f.rule}" if f.rule else f.code
        props.append(f"title={escape_property(title)}")
        where = f" ({f.xpath})" if f.xpath else ""
        message = escape_data(self.say(f) + value_note(f) + where)
        self.out.write(f"::{LEVEL[f.severity.value]} {','.join(props)}::{message}\n")

    def finish(self, report: Report) -> None:
        TextReporter(self.out, self.options).finish(report)
