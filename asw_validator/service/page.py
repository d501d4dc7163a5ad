"""The service's web page: the upload form, the HTML report shown under it, rule pages.

Plain HTML that works without JavaScript (the form posts to ``/`` and the answer is the same
page with the report under the form); ``static/app.js`` only adds dropping files and showing
which are chosen. No inline script or style: the Content-Security-Policy forbids them; the
report (``HtmlSectionReporter``, written by the workers) is styled by ``static/report.css``,
the HTML report's own rules, which apply only under ``.asw-report``. Every text from a
document or a request goes through ``html.escape``. Links are relative, so the page works
behind a proxy that serves it under a path prefix.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

from ..__about__ import __version__


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


# ----- whole pages -----


def _page(title: str, body: str, *, root: str = "") -> str:
    """A page; ``root`` is the relative way back to the service's root ("" or "../")."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n"
        f'<link rel="stylesheet" href="{root}static/app.css">\n'
        f'<link rel="stylesheet" href="{root}static/report.css">\n'
        f'<script src="{root}static/app.js" defer></script>\n'
        "</head>\n<body>\n"
        '<header class="bar">'
        f'<a class="home" href="{root or "./"}">asw-validator</a>'
        f'<nav><a href="{root}rules">Rules</a><a href="{root}openapi.json">API</a></nav>'
        "</header>\n"
        f"<main>\n{body}</main>\n"
        f"<footer>asw-validator {_e(__version__)} · documents are validated in memory and"
        " never stored</footer>\n"
        "</body>\n</html>\n"
    )


def _options(choices: Iterable[tuple[str, str]], chosen: str) -> str:
    return "".join(
        f'<option value="{_e(v)}"{" selected" if v == chosen else ""}>{_e(label)}</option>'
        for v, label in choices
    )


def form_page(
    doctypes: Iterable[str],
    *,
    token_required: bool,
    signed_in: bool = False,
    values: Mapping[str, str] | None = None,
    report: str = "",
    error: str | None = None,
) -> str:
    """The upload form, with what was chosen (``values``) and, under it, a report or an
    error."""
    v = dict(values or {})
    token = ""
    if token_required:
        hint = " (remembered for this browser session)" if signed_in else ""
        required = "" if signed_in else " required"
        token = (
            '<p><label for="token">Access token' + hint + "</label>"
            '<input type="password" id="token" name="token" autocomplete="current-password"'
            f"{required}></p>\n"
        )
    failure = f'<p class="alert" role="alert">{_e(error)}</p>\n' if error else ""
    doctype_choices = [("", "detect from the root element"), *((d, d) for d in doctypes)]
    fail_on = [(s, s) for s in ("error", "warning", "info", "never")]
    body = (
        "<h1>Validate ASEAN Single Window messages</h1>\n"
        '<p class="lead">ACDD, e-Form D, Customs Response, e-Phyto and WCO export'
        " declarations: schema and business rules, each finding with its code and basis.</p>\n"
        '<form method="post" action="./#report" enctype="multipart/form-data" id="upload">\n'
        # first: the service reads the token before the documents that follow it
        f"{token}"
        '<div class="drop" id="drop">\n'
        '<label for="files">XML files</label>\n'
        '<input type="file" id="files" name="files" multiple'
        ' accept=".xml,application/xml,text/xml">\n'
        '<p class="hint">Choose or drop one or more files. Files sent together are validated'
        " together, so cross-document rules apply (an e-Form D and its Customs Response).</p>\n"
        '<ul class="chosen" id="chosen"></ul>\n'
        "</div>\n"
        '<p><label for="xml">or paste XML</label>'
        '<textarea id="xml" name="xml" rows="6" spellcheck="false" autocomplete="off">'
        "</textarea></p>\n"
        '<fieldset class="options"><legend>Options</legend>\n'
        '<p><label for="doctype">Document type</label><select id="doctype" name="doctype">'
        f"{_options(doctype_choices, v.get('doctype', ''))}</select></p>\n"
        '<p><label for="on_date">Presented at import on</label>'
        f'<input type="date" id="on_date" name="on_date" value="{_e(v.get("on_date", ""))}">'
        "</p>\n"
        '<p><label for="fail_on">Fail on</label><select id="fail_on" name="fail_on">'
        f"{_options(fail_on, v.get('fail_on', 'error'))}</select></p>\n"
        "</fieldset>\n"
        '<p><button type="submit" id="submit">Validate</button></p>\n'
        "</form>\n"
        f"{failure}{report}"
    )
    return _page("asw-validator", body)


def verdict_line(exit_code: int, fail_on: str) -> str:
    """What the run's exit code means, as the CLI would exit."""
    meaning = {
        0: "passes",
        1: f"fails (a finding at or above --fail-on {fail_on})",
        3: "could not be judged (internal error): not known valid",
    }.get(exit_code, "fails")
    return f'<p class="exit exit-{exit_code}">Exit code {exit_code}: the run {_e(meaning)}.</p>\n'


def rules_page(rules: Iterable[Mapping[str, Any]]) -> str:
    rows = "".join(
        f'<li><a class="rule-code" href="rules/{_e(r["code"])}">{_e(r["code"])}</a>'
        f' <span class="rule-severity">{_e(r["severity"])}</span> {_e(r["name"])}:'
        f" {_e(str(r['summary']).replace('``', ''))}</li>\n"
        for r in rules
    )
    return _page("Rules · asw-validator", f'<h1>Rules</h1>\n<ul class="rules">\n{rows}</ul>\n')


_FACTS = (
    ("severity", "Severity"),
    ("family", "Family"),
    ("stage", "Stage"),
    ("doctypes", "Documents"),
    ("countries", "Countries"),
    ("runs_when", "Runs when"),
    ("effective_from", "Effective from"),
    ("effective_until", "Effective until"),
    ("basis", "Basis"),
)


def rule_page(info: Mapping[str, Any]) -> str:
    """One code's explanation (``explain``), with the way back to the form."""
    facts = []
    for key, label in _FACTS:
        value = info.get(key)
        if value in (None, [], ""):
            continue
        text = ", ".join(value) if isinstance(value, list) else str(value)
        facts.append(f"<dt>{label}</dt><dd>{_e(text)}</dd>")
    name = f" {info['name']}" if info.get("name") else ""
    body = (
        f'<h1 id="code"><span class="rule-code">{_e(info["code"])}</span>{_e(name)}</h1>\n'
        f'<dl class="facts">{"".join(facts)}</dl>\n'
        f'<pre class="description">{_e(info["description"])}</pre>\n'
        '<p><a href="../">Validate a document</a> · <a href="../rules">All rules</a></p>\n'
    )
    return _page(f"{info['code']} · asw-validator", body, root="../")


def message_page(title: str, detail: str, *, root: str = "") -> str:
    """An error page for the browser (a bad token, an unknown code)."""
    body = f'<h1>{_e(title)}</h1>\n<p class="alert">{_e(detail)}</p>\n'
    return _page(
        f"{title} · asw-validator", body + f'<p><a href="{root or "./"}">Back</a></p>\n', root=root
    )
