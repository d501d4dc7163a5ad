"""Reference data: the shipped Rec 20 and UN/LOCODE lists equal their derivation from
shared/reference."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from asw_validator.refdata import countries, hs, locodes, units

from .conftest import REPO, SHARED_REFERENCE, needs_shared_reference


def _derive_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "derive_rec20", REPO / "tools" / "derive_rec20.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["derive_rec20"] = mod
    spec.loader.exec_module(mod)
    return mod


@needs_shared_reference
def test_rec20_is_derived_from_the_reference() -> None:
    derived = _derive_module().derive(SHARED_REFERENCE / "unece-rec20-units.csv")
    shipped = (REPO / "asw_validator" / "refdata" / "rec20_units.tsv").read_text("utf-8")
    assert shipped == derived


def test_rec20_lookups() -> None:
    assert units.unit("KGM") is not None and not units.unit("KGM").deleted  # type: ignore[union-attr]
    assert units.unit("KG") is not None and units.unit("KG").deleted  # type: ignore[union-attr]
    assert units.unit("PCS") is None
    assert len(units.rec20()) > 2000


def test_hs2022_list_drops_not_specified_rows() -> None:
    subheadings = hs.hs2022_subheadings()
    assert len(subheadings) == 5612
    assert "100630" in subheadings and "999999" not in subheadings


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [("0101.21.00", "01012100"), ("0103.91.00A", "01039100"), (" 1006 30 30 ", "10063030")],
)
def test_hs_normalise(raw: str, normalised: str) -> None:
    assert hs.normalise(raw) == normalised


def test_asw_parties() -> None:
    import datetime as dt

    assert set(countries.ASW_PARTIES) >= set(countries.MEKONG)
    assert countries.is_asw_party("VN", dt.date(2020, 1, 1))
    assert not countries.is_asw_party("VN", dt.date(2005, 12, 8))
    assert not countries.is_asw_party("TL", dt.date(2026, 1, 1))
    assert not countries.is_iso_country("UK") and countries.is_iso_country("GB")


def _derive_locodes():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "derive_locodes", REPO / "tools" / "derive_locodes.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@needs_shared_reference
def test_locodes_are_derived_from_the_reference() -> None:
    derived = _derive_locodes().derive(SHARED_REFERENCE / "unlocode")
    shipped = (REPO / "asw_validator" / "refdata" / "locodes.tsv").read_text("utf-8")
    assert shipped == derived


def test_locode_lookups() -> None:
    lch = locodes.get("THLCH")
    assert lch is not None and lch.functions == "13" and lch.name == "Laem Chabang"
    # Poipet is listed twice in the CSV (two spellings): one entry.
    assert locodes.get("KHPPT") is not None
    assert locodes.get("THLCX") is None
    assert {"BN", "ID", "KH", "LA", "MM", "MY", "PH", "SG", "TH", "TL", "VN"} <= locodes.countries()
    assert locodes.covers("VN") and not locodes.covers("CN")
    mwd = locodes.get("MMMWD")
    assert mwd is not None and mwd.describe_functions() == "road terminal, border crossing"


def _load_tool(name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(name, REPO / "tools" / f"{name}.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


@needs_shared_reference
def test_rec20_mass_units_are_derived_from_the_reference() -> None:
    derived = _load_tool("derive_rec20_mass").derive(SHARED_REFERENCE / "unece-rec20-units.csv")
    shipped = (REPO / "asw_validator" / "refdata" / "rec20_mass.tsv").read_text("utf-8")
    assert shipped == derived


def test_mass_units_by_their_conversion_factor() -> None:
    from decimal import Decimal

    assert units.kilograms("TNE") == Decimal(1000)
    assert units.kilograms("LBR") == Decimal("0.45359237")
    assert units.kilograms("CTM") == Decimal("0.0002")  # 200 mg
    assert units.is_not_mass("MTR") and units.is_not_mass("LTR")
    assert not units.is_not_mass("58")  # net kilogram: no factor, quantity not stated
    assert not units.is_mass("MTR")


def test_hs_edition_by_member_and_date() -> None:
    import datetime as dt

    assert hs.edition("PH", dt.date(2022, 6, 30)) is None  # AHTN 2017 still
    assert hs.edition("PH", dt.date(2022, 7, 1)) == "2022"
    assert hs.edition("KH", dt.date(2025, 1, 1)) is None  # the date is not known
    assert hs.edition("KH", dt.date(2028, 1, 1)) == "2028"  # HS 2028, no list
    assert hs.edition(None, dt.date(2025, 1, 1)) is None


def test_retired_codes_are_not_used_and_explain_says_why() -> None:
    from click.testing import CliRunner

    from asw_validator import cli
    from asw_validator.codes import RETIRED_CODES
    from asw_validator.rules.registry import default_registry

    live = {r.code for r in default_registry()}
    assert not live & set(RETIRED_CODES)
    out = CliRunner().invoke(cli.main, ["explain", "TH003"])
    assert out.exit_code == 0 and "AC024" in out.output
