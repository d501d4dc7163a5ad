"""Country packs: who runs when, registration through entry points, and `rules --country`."""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.metadata
import json
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from asw_validator import Validator, cli
from asw_validator.context import Context
from asw_validator.model import Severity
from asw_validator.rules import registry as registry_mod
from asw_validator.rules.registry import (
    OWN_PACKS,
    Family,
    RuleLoadError,
    default_registry,
)

from .conftest import FIXTURES, REPO, SAMPLES, TODAY
from .test_rule_fixtures import CASES

MEKONG = ("KH", "LA", "MM", "TH", "VN")


def _ctx(**kw: object) -> Context:
    return Context(today=TODAY, **kw)


def _pack_rule(role: str, **kw: object):
    fam = Family("xx", "0", country="VN")

    @fam.rule(
        code="XX001",
        name="x",
        severity=Severity.INFO,
        doctypes=("acdd",),
        role=role,
        basis="b",
        **kw,
    )
    def _x(doc, ctx):
        """X. Fails: x. Passes: y."""
        yield from ()

    return fam.rules[0]


@pytest.mark.parametrize(
    ("role", "export", "import_", "issuer", "runs"),
    [
        ("exporter", "VN", "TH", "VN", True),
        ("exporter", "TH", "VN", "TH", False),
        ("importer", "TH", "VN", "TH", True),
        ("importer", "VN", "TH", "VN", False),
        ("issuer", "VN", "TH", "TH", False),
        ("issuer", "TH", "VN", "VN", True),
        ("any", "TH", "VN", "TH", True),
        ("any", "TH", "LA", "TH", False),
        ("any", None, None, None, False),
    ],
)
def test_a_pack_rule_runs_when_its_country_has_its_role(
    role: str, export: str | None, import_: str | None, issuer: str | None, runs: bool
) -> None:
    rule = _pack_rule(role)
    ctx = _ctx(export_country=export, import_country=import_, issuer_country=issuer)
    assert rule.runs_on(ctx) is runs


def test_a_dated_rule_runs_only_in_its_range_and_never_without_a_date() -> None:
    rule = _pack_rule(
        "any", effective_from=dt.date(2019, 1, 1), effective_until=dt.date(2020, 12, 31)
    )
    vn = {"export_country": "VN"}
    assert not rule.runs_on(_ctx(effective_date=dt.date(2018, 12, 31), **vn))
    assert rule.runs_on(_ctx(effective_date=dt.date(2019, 1, 1), **vn))
    assert rule.runs_on(_ctx(effective_date=dt.date(2020, 12, 31), **vn))
    assert not rule.runs_on(_ctx(effective_date=dt.date(2021, 1, 1), **vn))
    assert not rule.runs_on(_ctx(effective_date=None, **vn))


def test_family_rules_run_everywhere_and_their_countries_are_tags() -> None:
    fob = default_registry().get("FD003")
    assert fob is not None and fob.pack is None and set(fob.countries) == {"ID", "KH", "LA", "MM"}
    assert fob.runs_on(_ctx(export_country="SG", import_country="PH"))


def test_pack_declarations_are_checked() -> None:
    with pytest.raises(ValueError, match="role applies to country-pack rules"):
        Family("f", "0").rule(
            code="ZZ001", name="z", severity=Severity.INFO, doctypes=(), basis="b", role="exporter"
        )
    with pytest.raises(ValueError, match="pack rule's country"):
        Family("f", "0", country="VN").rule(
            code="ZZ001",
            name="z",
            severity=Severity.INFO,
            doctypes=(),
            basis="b",
            countries=("TH",),
        )
    with pytest.raises(ValueError, match="alpha-2"):
        Family("f", "0", country="Viet Nam")


# ----- registration through entry points -----


def test_our_packs_come_through_the_entry_point_group() -> None:
    eps = importlib.metadata.entry_points(group=registry_mod.ENTRY_POINT_GROUP)
    assert set(OWN_PACKS) <= {ep.name for ep in eps}
    packs = {f.name: f for f in registry_mod.pack_families()}
    for name in OWN_PACKS:
        assert packs[name].country == name.upper()
        assert all(r.pack == name.upper() for r in packs[name].rules)


TINY_PACK = '''
from asw_validator.model import Severity
from asw_validator.rules.registry import Family, problem

PACK = Family("sg-tiny", "0.1.0", country="SG")


@PACK.rule(
    code="SG901",
    name="exporter-id-not-uen",
    severity=Severity.WARNING,
    doctypes=("acdd",),
    role="exporter",
    basis="Singapore UEN (test pack)",
)
def exporter_id_not_uen(doc, ctx):
    """The exporter's identifier does not end in a letter, as a UEN does.

    Fails: <acdd:ID>0100233488</acdd:ID>
    Passes: <acdd:ID>53345678D</acdd:ID>
    """
    loc = doc.exporter.id
    if loc.usable and not loc.text[-1:].isalpha():
        yield problem("Exporter ID {value!r} is not a UEN", loc, expected="a UEN")
'''


def _install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entry: str, module: str) -> None:
    """Install a distribution the way pip lays it out: module + dist-info with entry points."""
    (tmp_path / "tiny_pack.py").write_text(module)
    info = tmp_path / "tiny_pack-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: tiny-pack\nVersion: 0.1.0\n")
    (info / "entry_points.txt").write_text(f"[asw_validator.rules]\n{entry}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "tiny_pack", raising=False)  # each test its own module
    importlib.invalidate_caches()


def _sg_declaration() -> bytes:
    base = (FIXTURES / "acdd_base.xml").read_bytes()
    return (
        base.replace(
            b"<acdd:ID>VN</acdd:ID></acdd:ExportCountry>",
            b"<acdd:ID>SG</acdd:ID></acdd:ExportCountry>",
        )
        .replace(
            b"<acdd:CountryCode>VN</acdd:CountryCode>\n    </acdd:Address>\n  </acdd:Exporter>",
            b"<acdd:CountryCode>SG</acdd:CountryCode>\n    </acdd:Address>\n  </acdd:Exporter>",
        )
        .replace(b"VNCLI", b"SGSIN")
    )


def test_a_third_party_pack_installs_lists_explains_and_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _install(tmp_path, monkeypatch, "sg-tiny = tiny_pack:PACK", TINY_PACK)
    registry = default_registry()
    rule = registry.get("SG901")
    assert rule is not None and rule.family == "sg-tiny" and rule.pack == "SG"

    runner = CliRunner()
    listed = runner.invoke(cli.main, ["rules", "--country", "SG"])
    mine = [line.split() for line in listed.stdout.splitlines() if line.startswith("SG901")]
    assert (
        listed.exit_code == 0 and mine and mine[0][:4] == ["SG901", "warning", "acdd", "exporter"]
    )
    explained = runner.invoke(cli.main, ["explain", "SG901"])
    assert "runs when:  the exporting country is SG" in explained.stdout

    doc = _sg_declaration()
    result = Validator(today=TODAY).validate(doc)
    assert [f.code for f in result.findings] == ["SG901"]
    assert result.findings[0].xpath == "/acdd:Declaration/acdd:Exporter/acdd:ID"
    # The same document from VN: the SG pack stays silent.
    vn = (FIXTURES / "acdd_base.xml").read_bytes()
    assert Validator(today=TODAY).validate(vn).findings == ()


def test_a_pack_that_fails_to_load_stops_the_run_with_exit_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _install(
        tmp_path, monkeypatch, "broken = tiny_pack:PACK", "raise ImportError('no stdnum.sg')\n"
    )
    with pytest.raises(RuleLoadError, match=r"rule pack 'broken'.*failed to load"):
        default_registry()
    r = CliRunner().invoke(cli.main, ["validate", str(FIXTURES / "acdd_base.xml")])
    assert r.exit_code == 3
    assert "rule pack 'broken'" in r.stderr


def test_a_pack_reusing_a_code_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _install(tmp_path, monkeypatch, "clash = tiny_pack:PACK", TINY_PACK.replace("SG901", "VN001"))
    with pytest.raises(RuleLoadError, match="VN001 registered twice"):
        default_registry()


def test_two_packs_with_one_name_are_refused_naming_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _install(
        tmp_path, monkeypatch, "again = tiny_pack:PACK", TINY_PACK.replace('"sg-tiny"', '"vn"')
    )
    with pytest.raises(RuleLoadError, match=r"two rule packs are named 'vn': .*\(tiny-pack\)"):
        default_registry()


def test_an_entry_point_that_is_not_a_family_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _install(tmp_path, monkeypatch, "odd = tiny_pack:PACK", "PACK = 42\n")
    with pytest.raises(RuleLoadError, match=r"is a int, not a Family"):
        default_registry()


def test_stale_metadata_without_our_packs_is_an_error_not_a_silent_gap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda **kw: [])
    with pytest.raises(RuleLoadError, match="kh, la, mm, th, vn are not registered"):
        default_registry()


# ----- rules --country and explain -----


def _fired_somewhere() -> set[str]:
    """Codes some fixture fail case or some sample reports."""
    codes = {c["id"].split("_", 1)[0] for c in CASES if c["outcome"] == "fail"}
    catalog = tomllib.loads((SAMPLES / "catalog.toml").read_text("utf-8"))["sample"]
    for s in catalog:
        codes.update(s["expected"])
        codes.update(s.get("in_run", []))
    return codes


@pytest.mark.parametrize("country", MEKONG)
def test_rules_country_lists_at_least_five_rules_each_seen_firing(country: str) -> None:
    r = CliRunner().invoke(cli.main, ["rules", "--country", country, "--format", "json"])
    assert r.exit_code == 0
    rules = json.loads(r.stdout)["rules"]
    assert len(rules) >= 5
    assert all(country in rule["countries"] for rule in rules)
    assert any(rule["pack"] == country for rule in rules)
    assert {rule["code"] for rule in rules} <= _fired_somewhere()


def test_every_code_explains_with_role_documents_dates_basis_and_examples() -> None:
    runner = CliRunner()
    for rule in default_registry():
        out = runner.invoke(cli.main, ["explain", rule.code]).stdout
        for needle in ("severity:", "documents:", "effective:", "basis:", "Fails", "Passes"):
            assert needle in out, (rule.code, needle)
        if rule.pack:
            assert f"country:    {rule.pack} pack (role: {rule.role})" in out


def test_explain_shows_a_dated_pack_rule_range() -> None:
    out = CliRunner().invoke(cli.main, ["explain", "mm002"]).stdout
    assert "effective:  2019-01-01 .. 2020-12-31 (by the document's own date)" in out
    assert "runs when:  the importing country is MM" in out


def test_rules_country_rejects_a_non_country() -> None:
    r = CliRunner().invoke(cli.main, ["rules", "--country", "Vietnam"])
    assert r.exit_code == 2 and "not an ISO 3166-1 alpha-2" in r.stderr


def test_a_vn_exporter_with_a_bad_mst_is_reported_at_the_exporter() -> None:
    base = (FIXTURES / "acdd_base.xml").read_text("utf-8")
    bad = base.replace("<acdd:ID>0100233488</acdd:ID>", "<acdd:ID>0100233480</acdd:ID>")
    line = next(i for i, text in enumerate(bad.splitlines(), 1) if "0100233480" in text)
    result = Validator(today=TODAY).validate(bad.encode())
    (finding,) = result.findings
    assert finding.code == "VN001" and finding.severity is Severity.ERROR
    assert finding.xpath == "/acdd:Declaration/acdd:Exporter/acdd:ID"
    assert finding.line == line
    assert "exporter" in finding.message and "check digit" in finding.message


def test_readme_lists_every_pack() -> None:
    text = (REPO / "README.md").read_text("utf-8")
    for rule in default_registry():
        if rule.pack:
            assert rule.code in text, rule.code
