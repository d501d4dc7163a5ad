"""``explain CODE`` examples: one convention, every fragment parsed, every code with a passing
example.

The convention (README, Codes): a rule's docstring and a pipeline code's entry give a
``Fails:`` (``Fails (warning):`` / ``Fails (info):`` for a rule of that severity) and a
``Passes:`` example. Each holds XML fragments in double backquotes: well-formed XML with at
least one element, written with the prefixes of the report's ``namespaces`` table and
declaring none of them; ``<!-- ... -->`` stands for what is left out; words around a fragment
say what else holds. An example of a cross-document rule names the file of each fragment
(``a.xml: ``<fd:ReferenceNumber>...``). Pipeline codes of stages that read no XML (input,
report, configuration, the tool) are examples in words. The ``wco`` stage reads XML too; its
fragments (prefixes ``wco``, ``md``, ``wcores``, ``wcods``) are checked for well-formedness
and prefixes, not against declared names: no schema of ours declares WCO Data Model elements.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from asw_validator import Validator, cli
from asw_validator import envelope as env
from asw_validator.codes import PIPELINE_CODES
from asw_validator.rules.registry import Rule, default_registry

from .conftest import REPO, TODAY

NAMESPACES = dict(Validator(today=TODAY).report([]).namespaces)
WRAP = "<wrap " + " ".join(f'xmlns:{p}="{u}"' for p, u in NAMESPACES.items()) + ">{}</wrap>"
RULES = list(default_registry())
XML_STAGES = {"parse", "detect", "envelope", "schema", "bind", "wco"}
UNDECLARED_STAGES = {"wco"}  # XML no schema of ours declares: prefixes checked, names not
FRAGMENT = re.compile(r"``(.+?)``", re.DOTALL)
SECTION = re.compile(r"^(Fails(?: \((warning|info)\))?|Passes): (.*?)(?=^Passes: |\Z)", re.S | re.M)


def declared() -> set[tuple[str, str]]:
    """Every element name our schemas declare, and the envelopes' parts, by namespace."""
    names: set[tuple[str, str]] = set()
    xs = "{http://www.w3.org/2001/XMLSchema}"
    for xsd in (REPO / "schemas").rglob("*.xsd"):
        root = etree.parse(str(xsd)).getroot()
        target = root.get("targetNamespace", "")
        names |= {(target, e.get("name", "")) for e in root.iter(f"{xs}element") if e.get("name")}
    tags = {*env.SOAP_ENVELOPES, *env.HOLDERS, *env.OPERATIONS, *env.OPERATIONS.values()}
    tags |= {f"{{{env.HUB}}}{n}" for n in (*env.HEADER_FIELDS, "Content")}
    tags |= {f"{{{ns}}}{n}" for ns in (env.SOAP11, env.SOAP12) for n in ("Header", "Body")}
    for tag in tags:
        ns, local = tag[1:].split("}")
        names.add((ns, local))
    return names


DECLARED = declared()


def sections(doc: str) -> dict[str, str]:
    return {m.group(1): m.group(3).strip() for m in SECTION.finditer(doc)}


def parse(fragment: str) -> etree._Element:
    return etree.fromstring(WRAP.format(fragment))


def elements(wrapper: etree._Element) -> Iterator[etree._Element]:
    for e in wrapper.iter():
        if e is not wrapper and isinstance(e.tag, str):
            yield e


def check_fragment(fragment: str, *, prefixes: bool = True, names: bool = True) -> None:
    wrapper = parse(fragment)  # raises on anything not well-formed
    found = list(elements(wrapper))
    assert found, f"no element in {fragment!r}"
    if prefixes:
        for e in found:
            ns, local = e.tag[1:].split("}") if e.tag.startswith("{") else ("", e.tag)
            assert ns in NAMESPACES.values(), f"{e.tag}: not a prefix of the namespaces table"
            if names:
                assert (ns, local) in DECLARED, f"{e.tag} is declared by no schema or envelope"


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_examples_are_well_formed_fragments(rule: Rule) -> None:
    got = sections(rule.doc)
    label = "Fails" if rule.severity.value == "error" else f"Fails ({rule.severity.value})"
    assert set(got) == {label, "Passes"}, f"{rule.code}: {sorted(got)}, want {label} and Passes"
    for name, text in got.items():
        fragments = FRAGMENT.findall(text)
        assert fragments, f"{rule.code} {name}: no fragment in {text!r}"
        for fragment in fragments:
            check_fragment(fragment)
        if rule.is_batch:  # each fragment's document is named, and there are two at least
            named = re.findall(r"([\w.-]+\.xml):\s+``", text)
            assert len(named) == len(fragments) and len(set(named)) >= 2, (rule.code, text)


@pytest.mark.parametrize("code", sorted(PIPELINE_CODES))
def test_every_pipeline_code_has_a_passing_example(code: str) -> None:
    pc = PIPELINE_CODES[code]
    fails, passes = pc.examples
    assert fails.strip() and passes.strip()
    if pc.stage in XML_STAGES:
        undeclared = pc.stage in UNDECLARED_STAGES
        fragments = FRAGMENT.findall(passes)
        assert fragments, f"{code}: the passing example of an XML stage is a fragment"
        for fragment in fragments:
            check_fragment(fragment, names=not undeclared)
        if pc.stage != "parse":  # a parse error's example need not parse; the others do
            for fragment in FRAGMENT.findall(fails):
                check_fragment(fragment, prefixes=undeclared, names=False)
    else:
        assert "``" not in fails + passes, f"{code}: no XML in the examples of {pc.stage}"


def test_every_code_explain_lists_has_examples() -> None:
    codes = [r.code for r in RULES] + sorted(PIPELINE_CODES)
    runner = CliRunner()
    for code in codes:
        r = runner.invoke(cli.main, ["explain", code])
        assert r.exit_code == 0, code
        assert "\nPasses: " in r.stdout and "\nFails" in r.stdout, code
        assert "``" not in r.stdout


def test_the_convention_is_stated_where_rule_authors_read(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    assert "namespaces" in readme and "<!-- ... -->" in readme
