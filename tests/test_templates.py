"""Every word a finding says can be translated, and the English stays as it was.

A finding keeps the English template its message was made from and the parameters that
fill it (``asw_validator.i18n``). For every code but the XSD and XML ones the template filled
with its parameters is the message, to the letter; an XSD or XML finding keeps libxml2's own
English as its message and gives libxml2's parts in a template of its own. A translator
needs a fixed msgid: every rule's template and every term is a string literal in the source.
"""

from __future__ import annotations

import ast
import codecs
import datetime as dt
import pickle
import string
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from asw_validator import Severity, Validator
from asw_validator.binding import wco
from asw_validator.context import Context
from asw_validator.convert import convert_to_acdd
from asw_validator.engine import NotRegularFileError, unreadable
from asw_validator.i18n import T
from asw_validator.model import DocumentResult, Finding
from asw_validator.policy import Waiver
from asw_validator.rules.base import Family
from asw_validator.rules.registry import Registry, default_registry

from .conftest import REPO, SAMPLES, TODAY
from .test_envelope import CERT, HEADER, HUB_NS, SOAP, hub, soap
from .test_rule_fixtures import CASES, FIXTURES, apply_edits

PACKAGE = REPO / "asw_validator"
CATALOG: list[dict[str, Any]] = tomllib.loads((SAMPLES / "catalog.toml").read_text("utf-8"))[
    "sample"
]
VALIDATOR = Validator(today=TODAY)
#: Codes whose message is libxml2's English: their template gives its parts instead.
LIBXML2_CODES = ("XSD", "XML")


def check(findings: Iterator[Finding] | tuple[Finding, ...]) -> list[Finding]:
    """Every finding has a template whose placeholders its parameters fill; outside the
    libxml2 codes, that is its message to the letter. The findings, for more checks."""
    seen = list(findings)
    for f in seen:
        assert f.template is not None, (f.code, f.message)
        params = dict(f.params or {})
        filled = f.template.format(**params)
        if not f.code.startswith(LIBXML2_CODES):
            assert filled == f.message, (f.code, f.template, params)
        for value in params.values():
            _check_term(value)
    return seen


def _check_term(value: Any) -> None:
    if isinstance(value, T):
        assert value.template.format(**value.params) == str(value)
        for inner in value.params.values():
            _check_term(inner)


def codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


# ----- (a) what the tool reports: samples, rule fixtures, the pipeline's codes -----


@pytest.mark.parametrize("sample", CATALOG, ids=[s["file"] for s in CATALOG])
def test_every_sample_finding_has_its_template(sample: dict[str, Any]) -> None:
    check(VALIDATOR.validate(SAMPLES / sample["file"]).findings)


def test_every_finding_of_the_whole_catalogue_in_one_run_has_its_template() -> None:
    results = VALIDATOR.validate_many(SAMPLES / s["file"] for s in CATALOG)
    found = check(f for r in results for f in r.findings)
    assert any(f.code.startswith("BT") for f in found)


def test_every_rule_fixture_finding_has_its_template() -> None:
    found: list[Finding] = []
    for case in CASES:
        base = (FIXTURES / case.get("base", case["suite"].base)).read_bytes()
        on = dt.date.fromisoformat(case["on_date"]) if "on_date" in case else None
        today = dt.date.fromisoformat(case["on_today"]) if "on_today" in case else TODAY
        result = Validator(today=today, presented_on=on).validate(apply_edits(base, case["edits"]))
        found.extend(check(result.findings))
    rules = {r.code for r in default_registry() if not r.is_batch}
    assert rules <= codes(found)


def _odd_inputs() -> dict[str, bytes]:
    deep = b"<a>" * 300 + b"</a>" * 300
    return {
        "empty": b"",
        "no element": b"text only",
        "png": b"\x89PNG\r\n\x1a\nxxxx",
        "nul": b"<a>\x00</a>",
        "utf-16 without bom": "<?xml version='1.0'?><a/>".encode("utf-16-le"),
        "bom contradicted": codecs.BOM_UTF8 + b"<?xml version='1.0' encoding='ISO-8859-1'?><a/>",
        "doctype": b"<!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>",
        "tag mismatch": b"<a><b></a>",
        "premature end": b"<a><b>",
        "unclosed start tag": b"<a",
        "extra content": b"<a/><b/>",
        "attribute twice": b"<a x='1' x='2'/>",
        "attribute without value": b"<a b/>",
        "undeclared prefix": b"<p:a/>",
        "undefined entity": b"<a>&foo;</a>",
        "comment": b"<a><!-- x </a>",
        "cdata": b"<a><![CDATA[x</a>",
        "invalid name": b"<1a/>",
        "control character": b"<a>\x01</a>",
        "other syntax": b"<a>]]></a>",
        "bad bytes": b"<?xml version='1.0' encoding='UTF-8'?><a>\xe9</a>",
        "unknown encoding": b"<?xml version='1.0' encoding='foo'?><a/>",
        "too deep": deep,
        "unknown root": b"<a/>",
        "huge text": b"<a>" + b"x" * 10_000_001 + b"</a>",
    }


def test_every_xml_finding_has_its_template() -> None:
    found = check(f for data in _odd_inputs().values() for f in VALIDATOR.validate(data).findings)
    small = Validator(today=TODAY, max_bytes=10, max_depth=5)
    found += check(small.validate(b"<a>" + b" " * 20 + b"</a>").findings)
    found += check(Validator(today=TODAY, max_depth=5).validate(b"<a>" * 8 + b"</a>" * 8).findings)
    want = {f"XML00{n}" for n in range(1, 10)} | {"XML010", "DOC001"}
    assert want <= codes(found)
    parts = [f for f in found if f.code in ("XML002", "XML006") and "detail" not in f.params]
    assert len(parts) >= 10  # libxml2's messages read in parts, not given whole


def test_every_xsd_finding_gives_libxml2_s_parts() -> None:
    base = (FIXTURES / "acdd_base.xml").read_bytes()
    edits = {
        b"<acdd:FunctionCode>9</acdd:FunctionCode>": b"<acdd:FunctionCode>x</acdd:FunctionCode>",
        b'unitCode="KGM"': b'unitCode="KGM" bogus="1"',
        b'currencyID="THB"': b"",
    }
    for old, new in edits.items():
        base = base.replace(old, new, 1)
    found = check(VALIDATOR.validate(base).findings)
    found += check(f for r in VALIDATOR.validate_many(SAMPLES.rglob("*.xml")) for f in r.findings)
    xsd = [f for f in found if f.code.startswith("XSD")]
    assert {"XSD001", "XSD002", "XSD003", "XSD006"} <= codes(xsd)
    assert all("detail" not in f.params for f in xsd), [f.message for f in xsd]


def _wco(old: bytes, new: bytes) -> bytes:
    data = (SAMPLES / "wco" / "valid-th-kh-sugar-ready.xml").read_bytes()
    assert old in data
    return data.replace(old, new, 1)


def test_every_wco_and_envelope_finding_has_its_template() -> None:
    inner = (SAMPLES / "wco" / "valid-th-kh-sugar-ready.xml").read_text().split("?>", 1)[-1]
    wco_inputs = [
        _wco(b"<TypeCode>EXA</TypeCode>", b"<TypeCode>XYZ</TypeCode>"),
        _wco(b"<TypeCode>EXA</TypeCode>", b""),
        _wco(b"<FunctionCode>9</FunctionCode>", b"<FunctionCode>4</FunctionCode>"),
        _wco(b"<FunctionCode>9</FunctionCode>", b"<FunctionCode>7</FunctionCode>"),
        _wco(b">20250917081500+07<", b">2025-99-99<"),
        _wco(b"<TypeCode>EXA</TypeCode>", b"<TypeCode>INV</TypeCode>"),
        f'<md:MetaData xmlns:md="{wco.METADATA}">{inner}{inner}</md:MetaData>'.encode(),
        f'<md:MetaData xmlns:md="{wco.METADATA}"/>'.encode(),
    ]
    envelopes = [
        soap(CERT + CERT),
        soap(CERT).replace("<s:Header/>", f"<s:Header>{CERT}</s:Header>"),
        f'<s:Envelope xmlns:s="{SOAP["1.1"]}"><x/></s:Envelope>',
        f'<s:Envelope xmlns:s="{SOAP["1.1"]}"><s:Body/>text</s:Envelope>',
        f'<s:Envelope xmlns:s="{SOAP["1.1"]}"><s:Body><x:Ping xmlns:x="urn:x"/></s:Body>'
        "</s:Envelope>",
        soap(CERT).replace("<eph:ePhytoEnvelope>", "<eph:Other/><eph:ePhytoEnvelope>"),
        soap(CERT).replace("</eph:DeliverPhytoEnvelope>", "<x/></eph:DeliverPhytoEnvelope>"),
        f"<hub:Envelope {HUB_NS}>{HEADER}{HEADER}<hub:Extra/></hub:Envelope>",
        f"<hub:Envelope {HUB_NS}>{HEADER}<hub:Content><x/></hub:Content></hub:Envelope>",
        f"<hub:Envelope {HUB_NS}>{HEADER}<hub:Content>&lt;x/&gt;</hub:Content></hub:Envelope>",
        hub("<a><b></a>"),
    ]
    found = check(f for data in wco_inputs for f in VALIDATOR.validate(data).findings)
    found += check(
        f for text in envelopes for f in VALIDATOR.validate(text.encode("utf-8")).findings
    )
    for supplied in ({"m": "KHPPT"}, {"o": "EX-1"}):
        found += check(
            convert_to_acdd(_wco(b"", b""), validator=VALIDATOR, supplied=supplied).result.findings
        )
    want = {f"WCO00{n}" for n in (2, 3, 6, 7)} | {f"DOC00{n}" for n in range(4, 9)}
    assert want <= codes(found)


def test_the_engine_s_own_findings_have_their_templates(tmp_path: Path) -> None:
    fam = Family("broken", "0")

    @fam.rule(
        code="ZZ001", name="always-raises", severity=Severity.INFO, doctypes=("acdd",), basis="t"
    )
    def always_raises(doc: Any, ctx: Context) -> Iterator[Any]:
        """Fails: always. Passes: never."""
        raise RuntimeError("boom")
        yield  # pragma: no cover

    @fam.rule(
        code="BT998",
        name="batch-raises",
        severity=Severity.INFO,
        doctypes=("acdd",),
        basis="t",
        scope="batch",
    )
    def batch_raises(docs: Any, ctx: Context) -> Iterator[Any]:
        """Fails: always. Passes: never."""
        raise RuntimeError("boom")
        yield  # pragma: no cover

    acdd = FIXTURES / "acdd_base.xml"
    broken = Validator(today=TODAY, registry=Registry([fam]))
    found = check(f for r in broken.validate_many([acdd]) for f in r.findings)
    capped = Validator(today=TODAY, max_findings=1)
    found += check(capped.validate(SAMPLES / "acdd" / MANY_FINDINGS).findings)
    found += check(Validator(today=TODAY, doctype="eformd").validate(acdd).findings)
    found += check(unreadable("x.xml", FileNotFoundError(2, "No such file")).findings)
    found += check(unreadable("y.xml", NotRegularFileError(22, "a FIFO, not opened")).findings)
    expired = Waiver("AC013", "*.xml", str(tmp_path), "fixed", TODAY - dt.timedelta(1), "w, 1")
    document = tmp_path / "a.xml"
    document.write_bytes(acdd.read_bytes())
    found += check(Validator(today=TODAY, waivers=(expired,)).validate(document).findings)
    assert {"INT001", "LIM001", "DOC003", "IO001", "IO002", "CFG001"} <= codes(found)
    assert sum(f.code == "INT001" for f in found) == 2


#: A sample with several findings: past a cap of one, LIM001 stands for the others.
MANY_FINDINGS = "invalid-same-export-import-country.xml"


# ----- (b), (c) a translator's msgids are literals in the source -----


def _literals(node: ast.expr) -> bool:
    """A string literal, or a conditional choosing between such."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.IfExp):
        return _literals(node.body) and _literals(node.orelse)
    return False


def _calls(paths: list[Path], name: str) -> Iterator[tuple[Path, ast.Call]]:
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            func = node.func if isinstance(node, ast.Call) else None
            if isinstance(func, ast.Name) and func.id == name:
                assert isinstance(node, ast.Call)
                yield path, node


RULES = sorted((PACKAGE / "rules").rglob("*.py"))
SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "i18n.py")


def test_every_problem_template_is_a_literal() -> None:
    calls = list(_calls(RULES, "problem"))
    assert len(calls) > 150
    bad = [f"{p.name}:{c.lineno}" for p, c in calls if not (c.args and _literals(c.args[0]))]
    assert not bad


@pytest.mark.parametrize("name", ["T", "N_"])
def test_every_term_and_mark_is_a_literal(name: str) -> None:
    calls = list(_calls(SOURCES, name))
    assert calls
    bad = [
        f"{p.relative_to(PACKAGE)}:{c.lineno}"
        for p, c in calls
        if not (len(c.args) == 1 and _literals(c.args[0]))
    ]
    assert not bad


def test_every_template_names_its_placeholders() -> None:
    """Placeholders are named: a translation reorders them (``{0}`` or ``{}`` cannot be)."""
    for path in [*RULES, *SOURCES]:
        for name in ("problem", "T", "N_"):
            for _, call in _calls([path], name):
                for node in ast.walk(call.args[0]) if call.args else ():
                    if isinstance(node, ast.Constant) and isinstance(node.value, str):
                        fields = [f for _, f, _, _ in string.Formatter().parse(node.value)]
                        assert all(f for f in fields if f is not None), (path.name, node.value)


def test_pipeline_findings_carry_their_template() -> None:
    """No finding is made outside the rules without a template (``Finding.worded`` or an
    explicit ``template=``)."""
    bad = []
    for path, call in _calls(SOURCES, "Finding"):
        if not any(k.arg == "template" for k in call.keywords):
            bad.append(f"{path.relative_to(PACKAGE)}:{call.lineno}")
    assert not bad


def test_results_pickle_with_their_terms() -> None:
    """Parallel runs send results between processes: templates and terms travel with them."""
    result = VALIDATOR.validate(SAMPLES / "acdd" / MANY_FINDINGS)
    assert any(isinstance(v, T) for f in result.findings for v in (f.params or {}).values())
    back: DocumentResult = pickle.loads(pickle.dumps(result))
    for old, new in zip(result.findings, back.findings, strict=True):
        assert (new.template, new.params) == (old.template, old.params)
