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

import contextlib
import html
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from typing import Any

from ..__about__ import __version__
from ..i18n import LANGUAGES, N_, localizer

#: The language of the page being written (``speaking``), English by default.
_LANG: ContextVar[str] = ContextVar("asw_page_lang", default="en")


@contextlib.contextmanager
def speaking(language: str) -> Iterator[None]:
    """Write the pages made inside in ``language`` (the page's words; what documents and
    requests say stays as it is)."""
    token = _LANG.set(language)
    try:
        yield
    finally:
        _LANG.reset(token)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _t(text: str, **params: object) -> str:
    """One of the page's own texts, in the page's language, escaped."""
    return _e(localizer(_LANG.get()).format(text, params))


def _raw(text: str) -> str:
    """A text whose placeholders the page's script fills, translated and escaped."""
    return _e(localizer(_LANG.get()).gettext(text))


def _query() -> str:
    """What a link adds to keep the page's language (nothing for English)."""
    lang = _LANG.get()
    return "" if lang == "en" else f"?lang={lang}"


# ----- whole pages -----


def _page(title: str, body: str, *, root: str = "") -> str:
    """A page; ``root`` is the relative way back to the service's root ("" or "../")."""
    q = _query()
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_LANG.get()}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n"
        f'<link rel="stylesheet" href="{root}static/app.css">\n'
        f'<link rel="stylesheet" href="{root}static/report.css">\n'
        f'<script src="{root}static/app.js" defer></script>\n'
        "</head>\n<body>\n"
        '<header class="bar">'
        f'<a class="home" href="{root or "./"}{q}">asw-validator</a>'
        f'<nav><a href="{root}rules{q}">{_t(N_("Rules"))}</a>'
        f'<a href="{root}openapi.json">API</a></nav>'
        "</header>\n"
        f"<main>\n{body}</main>\n"
        f"<footer>asw-validator {_e(__version__)} · "
        f"{_t(N_('documents are validated in memory and never stored'))}</footer>\n"
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
        hint = " " + _t(N_("(remembered for this browser session)")) if signed_in else ""
        required = "" if signed_in else " required"
        token = (
            f'<p><label for="token">{_t(N_("Access token"))}{hint}</label>'
            '<input type="password" id="token" name="token" autocomplete="current-password"'
            f"{required}></p>\n"
        )
    failure = f'<p class="alert" role="alert">{_e(error)}</p>\n' if error else ""
    detect = localizer(_LANG.get()).gettext(N_("detect from the root element"))
    doctype_choices = [("", detect), *((d, d) for d in doctypes)]
    fail_on = [(s, s) for s in ("error", "warning", "info", "never")]
    languages = list(LANGUAGES.items())
    body = (
        f"<h1>{_t(N_('Validate ASEAN Single Window messages'))}</h1>\n"
        '<p class="lead">'
        + _t(
            N_(
                "ACDD, e-Form D, Customs Response, e-Phyto, Origin Declaration and WCO export"
                " declarations: schema and business rules, each finding with its code and basis."
            )
        )
        + "</p>\n"
        '<form method="post" action="./#report" enctype="multipart/form-data" id="upload">\n'
        # first: the service reads the token before the documents that follow it
        f"{token}"
        '<div class="drop" id="drop">\n'
        f'<label for="files">{_t(N_("XML files"))}</label>\n'
        '<input type="file" id="files" name="files" multiple'
        ' accept=".xml,application/xml,text/xml">\n'
        '<p class="hint">'
        + _t(
            N_(
                "Choose or drop one or more files. Files sent together are validated together,"
                " so cross-document rules apply (an e-Form D and its Customs Response)."
            )
        )
        + "</p>\n"
        f'<ul class="chosen" id="chosen" data-size="{_raw(N_("{n} bytes"))}"></ul>\n'
        "</div>\n"
        f'<p><label for="xml">{_t(N_("or paste XML"))}</label>'
        '<textarea id="xml" name="xml" rows="6" spellcheck="false" autocomplete="off">'
        "</textarea></p>\n"
        f'<fieldset class="options"><legend>{_t(N_("Options"))}</legend>\n'
        f'<p><label for="lang">{_t(N_("Language"))}</label><select id="lang" name="lang">'
        f"{_options(languages, v.get('lang', _LANG.get()))}</select></p>\n"
        f'<p><label for="doctype">{_t(N_("Document type"))}</label>'
        '<select id="doctype" name="doctype">'
        f"{_options(doctype_choices, v.get('doctype', ''))}</select></p>\n"
        f'<p><label for="on_date">{_t(N_("Presented at import on"))}</label>'
        f'<input type="date" id="on_date" name="on_date" value="{_e(v.get("on_date", ""))}">'
        "</p>\n"
        f'<p><label for="fail_on">{_t(N_("Fail on"))}</label>'
        '<select id="fail_on" name="fail_on">'
        f"{_options(fail_on, v.get('fail_on', 'error'))}</select></p>\n"
        "</fieldset>\n"
        f'<p><button type="submit" id="submit" data-busy="{_t(N_("Validating…"))}">'
        f"{_t(N_('Validate'))}</button></p>\n"
        "</form>\n"
        f"{failure}{report}"
    )
    return _page("asw-validator", body)


def verdict_line(exit_code: int, fail_on: str) -> str:
    """What the run's exit code means, as the CLI would exit."""
    meanings = {
        0: N_("Exit code {code}: the run passes."),
        1: N_("Exit code {code}: the run fails (a finding at or above --fail-on {fail_on})."),
        3: N_("Exit code {code}: the run could not be judged (internal error): not known valid."),
    }
    text = _t(
        meanings.get(exit_code, N_("Exit code {code}: the run fails.")),
        code=exit_code,
        fail_on=fail_on,
    )
    return f'<p class="exit exit-{exit_code}">{text}</p>\n'


def _rule_name(name: str) -> str:
    """A rule's name: kebab-case in English (as reports give it), words in a translation."""
    loc = localizer(_LANG.get())
    return name if loc.english else loc.gettext(name.replace("-", " "))


def rules_page(rules: Iterable[Mapping[str, Any]]) -> str:
    loc = localizer(_LANG.get())
    q = _query()
    rows = "".join(
        f'<li><a class="rule-code" href="rules/{_e(r["code"])}{q}">{_e(r["code"])}</a>'
        f' <span class="rule-severity">{_e(r["severity"])}</span>'
        f" {_e(_rule_name(str(r['name'])))}:"
        f" {_e(loc.gettext(str(r['summary']).replace('``', '')))}</li>\n"
        for r in rules
    )
    title = _t(N_("Rules"))
    return _page(f"{title} · asw-validator", f'<h1>{title}</h1>\n<ul class="rules">\n{rows}</ul>\n')


_FACTS = (
    ("severity", N_("Severity")),
    ("family", N_("Family")),
    ("stage", N_("Stage")),
    ("doctypes", N_("Documents")),
    ("countries", N_("Countries")),
    ("runs_when", N_("Runs when")),
    ("effective_from", N_("Effective from")),
    ("effective_until", N_("Effective until")),
    ("basis", N_("Basis")),
)


def rule_page(info: Mapping[str, Any]) -> str:
    """One code's explanation (``explain``), with the way back to the form."""
    facts = []
    for key, label in _FACTS:
        value = info.get(key)
        if value in (None, [], ""):
            continue
        text = ", ".join(value) if isinstance(value, list) else str(value)
        facts.append(f"<dt>{_t(label)}</dt><dd>{_e(text)}</dd>")
    loc = localizer(_LANG.get())
    phrase = str(info.get("name") or "")
    name = f" {phrase if loc.english else loc.gettext(phrase.replace('-', ' '))}" if phrase else ""
    summary = loc.gettext(str(info.get("summary", "")).replace("``", ""))
    said = f'<p class="lead">{_e(summary)}</p>\n' if summary and not loc.english else ""
    body = (
        f'<h1 id="code"><span class="rule-code">{_e(info["code"])}</span>{_e(name)}</h1>\n'
        f"{said}"
        f'<dl class="facts">{"".join(facts)}</dl>\n'
        f'<pre class="description">{_e(info["description"])}</pre>\n'
        f'<p><a href="../{_query()}">{_t(N_("Validate a document"))}</a> ·'
        f' <a href="../rules{_query()}">{_t(N_("All rules"))}</a></p>\n'
    )
    return _page(f"{info['code']} · asw-validator", body, root="../")


def message_page(title: str, detail: str, *, root: str = "") -> str:
    """An error page for the browser (a bad token, an unknown code)."""
    body = f'<h1>{_e(title)}</h1>\n<p class="alert">{_e(detail)}</p>\n'
    back = f'<p><a href="{root or "./"}{_query()}">{_t(N_("Back"))}</a></p>\n'
    return _page(f"{title} · asw-validator", body + back, root=root)
