"""One self-contained HTML page, made to be shown to a room of trainees.

Inline CSS only: no script, no font, image or style sheet from anywhere, and a
Content-Security-Policy that forbids loading any (the page reads the same offline). A table
of the documents and their verdicts; then each document's findings grouped by severity
(waived ones last), each with its rule's explanation and basis and the lines of XML around
it, the finding's line highlighted (the lines were kept while the document was read:
``Reporter.excerpt_lines``). Every word the page says itself is in ``labels.py``; every
text from a document passes through ``html.escape``.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from typing import TYPE_CHECKING

from ..model import DocumentResult, Explanation, Finding, Report, Severity
from .base import Reporter, readiness_text
from .labels import LABELS, LANG

if TYPE_CHECKING:
    from ..i18n import Localizer

#: The language of the page being written (the generators below read it; a report is written
#: in one go, by one thread).
_SPEAKER: ContextVar[Localizer | None] = ContextVar("asw_html_speaker", default=None)

#: Lines of XML shown before and after each finding's line.
AROUND = 2

FONTS = (
    '"Noto Sans", "Noto Sans Khmer", "Noto Sans Lao", "Noto Sans Myanmar", "Noto Sans Thai",'
    " sans-serif"
)
MONO = (
    '"Noto Sans Mono", "DejaVu Sans Mono", ui-monospace, monospace, "Noto Sans Khmer",'
    ' "Noto Sans Lao", "Noto Sans Myanmar", "Noto Sans Thai"'
)

CSS = f"""
.asw-report {{ --error: #b3261e; --warning: #8a5a00; --info: #1f5f99; --waived: #5f6368;
  --ok: #1e6b30; --line: #d8dde3; --bg: #f6f7f9; }}
.asw-report, .asw-report * {{ box-sizing: border-box; }}
.asw-report {{ margin: 0; font-family: {FONTS}; font-size: 18px; line-height: 1.5; color: #1b1f24;
  background: #fff; }}
.asw-report header.page, .asw-report main, .asw-report footer {{ max-width: 72rem; margin: 0 auto;
  padding: 0 1.5rem; }}
.asw-report header.page {{ padding-top: 1.5rem; }}
.asw-report h1 {{ font-size: 2rem; margin: 0 0 .25rem; }}
.asw-report h2 {{ font-size: 1.4rem; margin: 2.5rem 0 .5rem; word-break: break-all; }}
.asw-report h3 {{ font-size: 1.15rem; margin: 1.5rem 0 .5rem; }}
.asw-report .totals {{ display: flex; flex-wrap: wrap; gap: .75rem; margin: 1rem 0 0; padding: 0;
  list-style: none; }}
.asw-report .totals li {{ background: var(--bg); border: 1px solid var(--line);
  border-radius: .5rem; padding: .4rem .9rem; }}
.asw-report .totals b {{ font-size: 1.3rem; margin-left: .35rem; }}
.asw-report table {{ border-collapse: collapse; width: 100%; margin: .5rem 0; }}
.asw-report th, .asw-report td {{ text-align: left; padding: .45rem .6rem;
  border-bottom: 1px solid var(--line); vertical-align: top; }}
.asw-report th {{ background: var(--bg); font-weight: 600; }}
.asw-report td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
.asw-report td.path {{ word-break: break-all; }}
.asw-report section.summary {{ overflow-x: auto; }}
.asw-report .badge {{ display: inline-block; border-radius: 1rem; padding: .05rem .7rem;
  font-weight: 700; font-size: .9em; color: #fff; white-space: nowrap; }}
.asw-report .badge.valid {{ background: var(--ok); }}
.asw-report .badge.invalid {{ background: var(--error); }}
.asw-report .badge.failed {{ background: #4a148c; }}
.asw-report .meta {{ color: #4a525c; font-size: .95rem; margin: .25rem 0; word-break: break-all; }}
.asw-report section.document {{ border-top: 3px solid var(--line); }}
.asw-report .group h3 {{ border-left: .4rem solid; padding-left: .6rem; }}
.asw-report .group.error h3 {{ border-color: var(--error); color: var(--error); }}
.asw-report .group.warning h3 {{ border-color: var(--warning); color: var(--warning); }}
.asw-report .group.info h3 {{ border-color: var(--info); color: var(--info); }}
.asw-report .group.waived h3 {{ border-color: var(--waived); color: var(--waived); }}
.asw-report article.finding {{ border: 1px solid var(--line); border-left: .4rem solid var(--line);
  border-radius: .4rem; padding: .75rem 1rem; margin: .75rem 0; }}
.asw-report article.error {{ border-left-color: var(--error); }}
.asw-report article.warning {{ border-left-color: var(--warning); }}
.asw-report article.info {{ border-left-color: var(--info); }}
.asw-report article.waived {{ border-left-color: var(--waived); background: #fafafa; }}
.asw-report .finding .head {{ display: flex; flex-wrap: wrap; gap: .6rem; align-items: baseline; }}
.asw-report .code {{ font-family: {MONO}; font-weight: 700; font-size: 1.05rem; }}
.asw-report .rule {{ color: #4a525c; }}
.asw-report .message {{ font-size: 1.1rem; margin: .35rem 0; overflow-wrap: anywhere; }}
.asw-report dl {{ display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem;
  margin: .5rem 0; }}
.asw-report dt {{ font-weight: 600; color: #4a525c; }}
.asw-report dd {{ margin: 0; overflow-wrap: anywhere; }}
.asw-report code, .asw-report pre {{ font-family: {MONO}; font-size: .9rem; }}
.asw-report pre.xml {{ background: #1e2227; color: #e6e6e6; border-radius: .4rem; padding: .6rem 0;
  overflow-x: auto; margin: .5rem 0; }}
.asw-report pre.xml span.l {{ display: block; padding: 0 .8rem; white-space: pre; }}
.asw-report pre.xml span.hit {{ background: #6b4e00; color: #fff; font-weight: 700; }}
.asw-report pre.xml span.n {{ display: inline-block; min-width: 3.5rem; color: #9aa3ad;
  user-select: none; }}
.asw-report pre.xml span.hit span.n {{ color: #ffd54f; }}
.asw-report .waiver {{ color: var(--waived); font-style: italic; }}
.asw-report .none {{ color: #4a525c; font-style: italic; }}
.asw-report details {{ margin-top: .4rem; }}
.asw-report summary {{ cursor: pointer; color: var(--info); }}
.asw-report details pre {{ white-space: pre-wrap; background: var(--bg); padding: .6rem;
  border-radius: .4rem; }}
.asw-report footer {{ margin: 3rem auto 2rem; color: #4a525c; font-size: .9rem; }}
.asw-report footer p {{ overflow-wrap: anywhere; }}
@media print {{ .asw-report {{ font-size: 12pt; }} .asw-report details {{ display: none; }} }}
"""

_SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _label(key: str, **values: object) -> str:
    loc = _SPEAKER.get()
    text = LABELS[key].format(**values) if loc is None else loc.format(LABELS[key], values)
    return _e(text)


def _said(f: Finding) -> str:
    loc = _SPEAKER.get()
    return f.message if loc is None else loc.message(f)


def _words(text: str) -> str:
    """A sentence of the tool's own (a rule's summary) in the page's language."""
    loc = _SPEAKER.get()
    return text if loc is None else loc.gettext(text)


def _lang() -> str:
    loc = _SPEAKER.get()
    return LANG if loc is None else loc.language


class HtmlReporter(Reporter):
    excerpt_lines = AROUND

    def finish(self, report: Report) -> None:
        token = _SPEAKER.set(self.options.localizer)
        try:
            self.out.write("".join(_page(report, self.options.rule_links)))
        finally:
            _SPEAKER.reset(token)


class HtmlSectionReporter(HtmlReporter):
    """The same report as a section of another page (the service's): no head and no style
    element; that page links ``CSS`` as a style sheet of its own, whose rules all apply
    under ``.asw-report`` and so leave the rest of the page alone."""

    def finish(self, report: Report) -> None:
        token = _SPEAKER.set(self.options.localizer)
        try:
            lang = "" if self.options.localizer is None else f' lang="{_lang()}"'
            self.out.write(f'<div class="asw-report" id="report"{lang}>\n')
            self.out.write("".join(_body(report, self.options.rule_links)))
            self.out.write("</div>\n")
        finally:
            _SPEAKER.reset(token)


def _page(report: Report, links: str | None = None) -> Iterator[str]:
    yield "<!DOCTYPE html>\n"
    yield f'<html lang="{_lang()}">\n<head>\n<meta charset="utf-8">\n'
    yield '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
    # Nothing may be loaded from anywhere: styles are inline, there is nothing else.
    yield (
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';'
        " style-src 'unsafe-inline'\">\n"
    )
    yield f"<title>{_label('title')}</title>\n<style>{CSS}</style>\n</head>\n"
    yield '<body class="asw-report">\n'
    yield from _body(report, links)
    yield "</body>\n</html>\n"


def _body(report: Report, links: str | None) -> Iterator[str]:
    """The report's header, documents and footer; ``links``: see ``ReportOptions``."""
    counts = report.counts()
    valid = sum(1 for d in report.documents if d.is_valid)
    yield '<header class="page">\n'
    yield f"<h1>{_label('heading')}</h1>\n"
    tool = _label("generated_by", tool="asw-validator", version=report.tool_version)
    yield f'<p class="meta">{tool}</p>\n<ul class="totals">\n'
    totals = [("documents_checked", len(report.documents)), ("documents_valid", valid)]
    totals += [(s.value, counts[s.value]) for s in _SEVERITIES]
    if counts.get("waived"):
        totals.append(("waived", counts["waived"]))
    for key, n in totals:
        yield f"<li>{_label(key)}:<b>{n}</b></li>\n"
    yield "</ul>\n</header>\n<main>\n"
    yield from _summary(report)
    for number, doc in enumerate(report.documents, 1):
        yield from _document(number, doc, report.explanations, links)
    yield "</main>\n"
    yield from _footer(report)


def _verdict(doc: DocumentResult) -> str:
    if doc.tool_failed:
        return f'<span class="badge failed">{_label("tool_failed")}</span>'
    if doc.is_valid:
        return f'<span class="badge valid">{_label("valid")}</span>'
    return f'<span class="badge invalid">{_label("not_valid")}</span>'


def _doctype(doc: DocumentResult) -> str:
    if doc.doctype is None:
        return _label("doctype_unknown")
    return _e(f"{doc.doctype} {doc.doctype_version or ''}".strip())


def _summary(report: Report) -> Iterator[str]:
    yield f'<section class="summary">\n<h2>{_label("documents")}</h2>\n<table>\n<thead><tr>'
    heads = ["document", "doctype", "verdict", "error", "warning", "info", "waived"]
    yield "".join(f"<th>{_label(h)}</th>" for h in heads)
    yield "</tr></thead>\n<tbody>\n"
    for number, doc in enumerate(report.documents, 1):
        c = doc.counts()
        yield (
            f'<tr><td class="path"><a href="#doc-{number}">{_e(doc.path)}</a></td>'
            f"<td>{_doctype(doc)}</td><td>{_verdict(doc)}</td>"
            + "".join(f'<td class="n">{c.get(k, 0)}</td>' for k in heads[3:])
            + "</tr>\n"
        )
    yield "</tbody>\n</table>\n</section>\n"


def _document(
    number: int, doc: DocumentResult, explained: Mapping[str, Explanation], links: str | None
) -> Iterator[str]:
    yield f'<section class="document" id="doc-{number}">\n'
    yield f"<h2>{_e(doc.path)} {_verdict(doc)}</h2>\n"
    facts = [f"{_label('doctype')}: {_doctype(doc)}"]
    if doc.size is not None:
        facts.append(f"{_label('size')}: {doc.size}")
    if doc.sha256 is not None:
        facts.append(f"{_label('sha256')}: <code>{_e(doc.sha256)}</code>")
    yield f'<p class="meta">{" · ".join(facts)}</p>\n'
    if doc.readiness is not None:  # a WCO declaration read as an ACDD
        said = readiness_text(doc.readiness, _SPEAKER.get())
        yield f'<p class="meta">{_label("readiness")}: {_e(said)}</p>\n'
    if not doc.findings:
        yield f'<p class="none">{_label("no_findings")}</p>\n'
    groups: list[tuple[str, list[Finding]]] = [
        (s.value, [f for f in doc.findings if f.severity is s and f.counted]) for s in _SEVERITIES
    ]
    groups.append(("waived", [f for f in doc.findings if not f.counted]))
    for key, findings in groups:
        if not findings:
            continue
        yield f'<section class="group {key}">\n<h3>{_label(key)}: {len(findings)}</h3>\n'
        for f in findings:
            yield from _finding(f, key, doc.source_lines, explained.get(f.code), links)
        yield "</section>\n"
    yield "</section>\n"


def _finding(
    f: Finding, key: str, lines: Mapping[int, str], e: Explanation | None, links: str | None
) -> Iterator[str]:
    yield f'<article class="finding {key}">\n<div class="head">'
    if links is None:
        yield f'<span class="code">{_e(f.code)}</span>'
    else:
        yield f'<a class="code" href="{_e(links.format(code=f.code))}">{_e(f.code)}</a>'
    if f.rule:
        yield f'<span class="rule">{_e(f.rule)}</span>'
    yield f'<span class="rule">{_label("severity_" + f.severity.value)}</span></div>\n'
    yield f'<p class="message">{_e(_said(f))}</p>\n'
    if f.waived is not None:
        w = f.waived
        text = _label(
            "waived_because", justification=w.justification, expires=w.expires, source=w.source
        )
        yield f'<p class="waiver">{text}</p>\n'
    facts: list[tuple[str, str]] = []
    if f.xpath:
        facts.append(("where", f"<code>{_e(f.xpath)}</code>"))
    if f.line:
        where = str(f.line) + (f", {_label('column')} {f.column}" if f.column else "")
        facts.append(("line", where))
    if f.acdd_item is not None:
        facts.append(("acdd_item", _e(f.acdd_item)))
    if f.source is not None:
        facts.append(("source", f"<code>{_e(f.source)}</code>"))
    if f.value is not None:
        facts.append(("value", f"<code>{_e(f.value)}</code>"))
    if f.expected is not None:
        facts.append(("expected", _e(f.expected)))
    if e is not None:
        facts.append(("what", _e(_words(e.summary))))
    basis = f.basis or (e.basis if e else None)
    if basis:
        facts.append(("basis", _e(basis)))
    yield "<dl>" + "".join(f"<dt>{_label(k)}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>\n"
    yield from _excerpt(f.line, lines)
    if e is not None and e.description != e.summary:
        summary = f"<summary>{_label('details')}</summary>"
        yield f"<details>{summary}<pre>{_e(e.description)}</pre></details>\n"
    yield "</article>\n"


def _excerpt(line: int | None, lines: Mapping[int, str]) -> Iterator[str]:
    if not line:
        yield f'<p class="none">{_label("context_none")}</p>\n'
        return
    if line not in lines:
        yield f'<p class="none">{_label("context_not_kept")}</p>\n'
        return
    yield f'<pre class="xml" aria-label="{_label("context")}"><code>'
    for n in range(line - AROUND, line + AROUND + 1):
        if n in lines:
            cls = "l hit" if n == line else "l"
            yield f'<span class="{cls}"><span class="n">{n}</span>{_e(lines[n])}</span>'
    yield "</code></pre>\n"


def _footer(report: Report) -> Iterator[str]:
    yield "<footer>\n"
    if report.schemas:
        schemas = ", ".join(
            f"{s['id']} (SHA-256 {str(s['sha256'])[:12]}…)"
            + (f", yours from {s['schema_dir']}" if s.get("user_supplied") else "")
            for s in report.schemas
        )
        yield f"<p>{_label('schemas')}: {_e(schemas)}</p>\n"
    families = ", ".join(f"{k} {v}" for k, v in report.rule_families.items())
    yield f"<p>{_label('rule_families')}: {_e(families)}</p>\n"
    prefixes = ", ".join(f"{k} = {v}" for k, v in report.namespaces.items())
    yield f"<p>{_label('namespaces')}: {_e(prefixes)}</p>\n"
    yield f"<p>{_label('offline')}</p>\n</footer>\n"
