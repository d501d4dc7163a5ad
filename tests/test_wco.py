"""WCO Data Model export declarations read as an ACDD: the mapping, the wrapper, the
readiness verdict and the conversion (issue 16).

Each test edits the ready base declaration (tests/fixtures/wco_base.xml) in one place, so a
finding is the effect of that one change.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from lxml import etree

from asw_validator import Validator, cli
from asw_validator.binding import wco
from asw_validator.convert import (
    ConversionError,
    convert_to_acdd,
    parse_assignments,
)
from asw_validator.model import DocumentResult

from .conftest import FIXTURES, REPO, SAMPLES, TODAY

NS = {"w": wco.NAMESPACE, "ds": wco.DS}
BASE = (FIXTURES / "wco_base.xml").read_bytes()
CATALOG = tomllib.loads((SAMPLES / "catalog.toml").read_text("utf-8"))["sample"]
READY = [s["file"] for s in CATALOG if s.get("doctype") == "wco-declaration" and s["valid"]]


def edited(change: Callable[[etree._Element], None], data: bytes = BASE) -> bytes:
    root = etree.fromstring(data)
    change(root)
    return etree.tostring(root)


def one(root: etree._Element, path: str) -> etree._Element:
    found = root.find(path, NS)
    assert found is not None, path
    return found


def drop(path: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        el = one(root, path)
        parent = el.getparent()
        assert parent is not None
        parent.remove(el)

    return change


def wrapped(declaration: bytes, version: str = "3.6", extra: str = "") -> bytes:
    inner = declaration.decode().split("?>", 1)[-1].strip()
    return (
        f'<md:MetaData xmlns:md="{wco.METADATA}">'
        f"<md:WCODataModelVersionCode>{version}</md:WCODataModelVersionCode>"
        f"<md:WCOTypeName>DEC</md:WCOTypeName>{extra}{inner}</md:MetaData>"
    ).encode()


@pytest.fixture
def v() -> Validator:
    return Validator(today=TODAY)


def test_the_base_declaration_is_ready(v: Validator) -> None:
    r = v.validate(BASE)
    assert r.doctype == "wco-declaration" and r.findings == ()
    assert r.readiness == {
        "ready": True,
        "missing": [],
        "wrong": [],
        "lacks": [],
        "other": [],
        "summary": "ACDD-ready",
    }


def test_bare_and_wrapped_give_the_same_findings_with_paths_from_the_file_root(
    v: Validator,
) -> None:
    data = edited(drop("w:GoodsShipment/w:Consignee/w:Name"))
    bare, meta = v.validate(data), v.validate(wrapped(data))
    assert set(bare.codes()) == set(meta.codes()) == {"AC001"}
    (b,), (m,) = bare.findings, meta.findings
    assert b.xpath == "/wco:Declaration/wco:GoodsShipment/wco:Consignee/wco:Name"
    assert m.xpath == "/md:MetaData" + b.xpath
    assert b.acdd_item == m.acdd_item == "c"
    assert b.source == m.source == "GoodsShipment/Consignee/Name"
    assert meta.readiness is not None and meta.readiness["summary"] == "not ACDD-ready: missing c"


def test_the_wrapper_version_is_reported_and_an_unchecked_one_warns(v: Validator) -> None:
    checked = v.validate(wrapped(BASE, "3.6"))
    assert checked.doctype_version == "3.6" and checked.findings == ()
    later = v.validate(wrapped(BASE, "3.10"))
    assert later.doctype_version == "3.10"
    assert set(later.codes()) == {"WCO001"} and later.is_valid  # a warning, not a refusal


def test_comments_schema_location_and_national_elements_are_no_findings(v: Validator) -> None:
    def change(root: etree._Element) -> None:
        root.set("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation", "urn:x DEC.xsd")
        root.insert(0, etree.Comment(" national gateway 4.2 "))
        etree.SubElement(root, "{urn:th:customs:ext:1}PrivilegeCode").text = "BOI"
        one(root, "w:GoodsShipment").append(etree.Element(f"{{{wco.NAMESPACE}}}Warehouse"))

    data = edited(change)
    assert v.validate(data).findings == ()
    meta = wrapped(data, extra="<md:ResponsibleAgencyName>TCD</md:ResponsibleAgencyName>")
    assert v.validate(meta).findings == ()


@pytest.mark.parametrize(
    ("path", "letter"),
    [
        ("w:Exporter/w:ID", "a"),
        ("w:Exporter/w:Name", "b"),
        ("w:GoodsShipment/w:Consignee/w:Name", "c"),
        ("w:GoodsShipment/w:Consignee/w:Address", "d"),
        ("w:GoodsShipment/w:ExitDateTime", "g"),
        ("w:GoodsShipment/w:GovernmentAgencyGoodsItem/w:Commodity/w:Classification", "h"),
        ("w:GoodsShipment/w:GovernmentAgencyGoodsItem/w:Origin", "k"),
        ("w:GoodsShipment/w:Consignment/w:UnloadingLocation", "m"),
        ("w:GoodsShipment/w:GovernmentAgencyGoodsItem/w:SequenceNumeric", "n"),
    ],
)
def test_each_missing_item_is_named_in_the_verdict(v: Validator, path: str, letter: str) -> None:
    r = v.validate(edited(drop(path)))
    assert r.readiness is not None
    assert r.readiness["missing"] == [letter], r.findings
    assert r.readiness["summary"] == f"not ACDD-ready: missing {letter}"
    assert {f.acdd_item for f in r.findings if f.code == "AC001"} == {letter}


def test_quantity_and_unit_come_from_the_tariff_quantity(v: Validator) -> None:
    path = "w:GoodsShipment/w:GovernmentAgencyGoodsItem/w:Commodity/w:GoodsMeasure"
    r = v.validate(edited(drop(f"{path}/w:TariffQuantity")))
    assert r.readiness is not None and r.readiness["missing"] == ["i", "j"]

    def no_unit(root: etree._Element) -> None:
        del one(root, f"{path}/w:TariffQuantity").attrib["unitCode"]

    r = v.validate(edited(no_unit))
    assert r.readiness is not None and r.readiness["missing"] == ["j"]


def test_fallbacks_are_read_and_said(v: Validator) -> None:
    def change(root: etree._Element) -> None:
        drop("w:ID")(root)
        declarant = one(root, "w:Declarant")
        declarant.tag = f"{{{wco.NAMESPACE}}}Agent"
        mode = one(root, "w:BorderTransportMeans")
        root.remove(mode)
        consignment = one(root, "w:GoodsShipment/w:Consignment")
        means = etree.Element(f"{{{wco.NAMESPACE}}}DepartureTransportMeans")
        etree.SubElement(means, f"{{{wco.NAMESPACE}}}ModeCode").text = "03"  # Canada's form
        consignment.insert(0, means)

    r = v.validate(edited(change))
    assert set(r.codes()) == {"WCO005"} and r.is_valid
    said = {f.acdd_item: f.message for f in r.findings}
    assert set(said) == {"o", "e", "l"}
    assert "FunctionalReferenceID" in said["o"] and "Agent" in said["e"]
    assert "DepartureTransportMeans" in said["l"]


def test_the_tariff_classification_is_chosen_among_several(v: Validator) -> None:
    path = "w:GoodsShipment/w:GovernmentAgencyGoodsItem/w:Commodity"

    def national_first(root: etree._Element) -> None:
        commodity = one(root, path)
        other = etree.Element(f"{{{wco.NAMESPACE}}}Classification")
        etree.SubElement(other, f"{{{wco.NAMESPACE}}}ID").text = "NOT-A-CODE"
        etree.SubElement(other, f"{{{wco.NAMESPACE}}}IdentificationTypeCode").text = "GN"
        commodity.insert(1, other)

    assert v.validate(edited(national_first)).findings == ()

    def only_national(root: etree._Element) -> None:
        one(root, f"{path}/w:Classification/w:IdentificationTypeCode").text = "GN"
        one(root, f"{path}/w:Classification/w:ID").text = "NOT-A-CODE"

    assert "AC007" in v.validate(edited(only_national)).codes()


@pytest.mark.parametrize(
    ("text", "fmt", "ok"),
    [
        ("20250917", "102", True),
        ("20250917081500+07", "304", True),
        ("20250917081500Z", "304", True),
        ("2025-09-17", None, True),
        ("20250931", "102", False),
        ("17/09/2025", "102", False),
    ],
)
def test_dates_are_read_in_edifact_and_iso(v: Validator, text: str, fmt: str, ok: bool) -> None:
    def change(root: etree._Element) -> None:
        string = one(root, "w:IssueDateTime/ds:DateTimeString")
        string.text = text
        if fmt is None:
            del string.attrib["formatCode"]
        else:
            string.set("formatCode", fmt)

    r = v.validate(edited(change))
    assert ("WCO003" not in r.codes()) is ok, r.findings
    assert r.is_valid is ok


def test_a_mass_without_unit_is_in_kilograms(v: Validator) -> None:
    def change(root: etree._Element) -> None:
        for el in root.iter(f"{{{wco.NAMESPACE}}}GrossMassMeasure"):
            del el.attrib["unitCode"]

    assert v.validate(edited(change)).findings == ()


def test_wrong_values_are_named_wrong(v: Validator) -> None:
    def change(root: etree._Element) -> None:
        one(root, "w:BorderTransportMeans/w:ModeCode").text = "31"

    r = v.validate(edited(change))
    assert set(r.codes()) == {"AC012"}
    assert r.readiness is not None and r.readiness["summary"] == "not ACDD-ready: wrong l"


def test_type_code_decides_export_and_import(v: Validator) -> None:
    def no_type(root: etree._Element) -> None:
        drop("w:TypeCode")(root)

    r = v.validate(edited(no_type))
    assert set(r.codes()) == {"WCO002"} and r.is_valid

    def imports(root: etree._Element) -> None:
        one(root, "w:TypeCode").text = "IMZ"

    r = v.validate(edited(imports))
    assert set(r.codes()) == {"DOC007"} and r.doctype is None and "import" in r.findings[0].message


@pytest.mark.parametrize(
    "carried",
    [
        f'<Response xmlns="{wco.RESPONSE}"><FunctionCode>1</FunctionCode></Response>',
        "",
    ],
)
def test_metadata_carrying_no_declaration_is_doc007(v: Validator, carried: str) -> None:
    r = v.validate(
        f'<md:MetaData xmlns:md="{wco.METADATA}"><md:WCODataModelVersionCode>3.6'
        f"</md:WCODataModelVersionCode>{carried}</md:MetaData>".encode()
    )
    assert set(r.codes()) == {"DOC007"}
    assert "WCO Data Model 3.6" in r.findings[0].message


def test_wco_fields_extend_the_report_schema(v: Validator) -> None:
    schema = json.loads((REPO / "asw_validator" / "data" / "report-v1.schema.json").read_text())
    results: list[DocumentResult] = [
        v.validate(SAMPLES / s["file"], path=s["file"])
        for s in CATALOG
        if s["file"].startswith("wco/")
    ]
    report = v.report(results).to_dict()
    jsonschema.validate(report, schema)
    findings = [f for d in report["documents"] for f in d["findings"]]
    assert any("acdd_item" in f and "source" in f for f in findings)
    assert report["report_version"] == 1


# ----- conversion -----


@pytest.mark.parametrize("name", READY)
def test_every_ready_sample_converts_to_an_acdd_with_no_findings(v: Validator, name: str) -> None:
    done = convert_to_acdd(SAMPLES / name, validator=v)
    assert done.ready and done.xml is not None
    again = v.validate(done.xml)
    assert again.doctype == "acdd" and again.findings == (), again.findings
    assert b"UNOFFICIAL urn:asw-validator:acdd:1.0" in done.xml


def test_the_round_trip_keeps_every_value(v: Validator) -> None:
    done = convert_to_acdd(BASE, validator=v)
    assert done.xml is not None
    source, _ = v.validate_with_model(BASE)
    out, model = v.validate_with_model(done.xml)
    _, wco_model = v.validate_with_model(BASE)
    assert out.findings == () and source.findings == ()
    for field in ("id", "issue_date", "transport_mode", "unloading_location", "departure_date"):
        assert getattr(model, field).text == getattr(wco_model, field).text
    assert model.issue_date.text == "2025-09-17T08:15:00+07:00"  # 304: time and zone kept
    assert [i.hs_code.text for i in model.items] == [i.hs_code.text for i in wco_model.items]
    assert model.consignee.postcode.text == wco_model.consignee.postcode.text


def test_supplied_values_complete_a_declaration_and_are_said(v: Validator) -> None:
    data = edited(drop("w:GoodsShipment/w:Consignment/w:UnloadingLocation"))
    assert not convert_to_acdd(data, validator=v).ready
    done = convert_to_acdd(data, validator=v, supplied={"m": "KHPPT"})
    assert done.ready and done.xml is not None
    assert set(done.result.codes()) == {"WCO006"}
    assert b"(m) Port of Discharge: KHPPT" in done.xml
    assert b"<acdd:ID>KHPPT</acdd:ID>" in done.xml


def test_a_supplied_value_is_judged_by_the_rules(v: Validator) -> None:
    data = edited(drop("w:GoodsShipment/w:Consignment/w:UnloadingLocation"))
    done = convert_to_acdd(data, validator=v, supplied={"m": "Poipet"})
    assert not done.ready and "AC013" in done.result.codes()


def test_an_acdd_the_schema_refuses_is_not_written(v: Validator) -> None:
    def long_name(root: etree._Element) -> None:
        one(root, "w:Exporter/w:Name").text = "Siam Sugar " * 60  # over the ACDD's 512

    assert v.validate(edited(long_name)).findings == ()  # no XSD layer for WCO input
    done = convert_to_acdd(edited(long_name), validator=v)
    assert not done.ready and done.xml is None
    assert [f.code for f in done.output_findings] == ["XSD006"]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (["m"], "ITEM=VALUE"),
        (["k=TH"], "belongs to each goods item"),
        (["z=1"], "not an ACDD item"),
        (["m="], "1 to 512"),
        (["m=A\x01"], "1 to 512"),
        (["m=THLCH", "m=THBKK"], "twice"),
    ],
)
def test_bad_assignments_are_refused(given: list[str], message: str) -> None:
    with pytest.raises(ConversionError, match=message):
        parse_assignments(given)


def test_another_document_type_is_refused(v: Validator) -> None:
    with pytest.raises(ConversionError, match="not a WCO Data Model export declaration"):
        convert_to_acdd(SAMPLES / "acdd" / "valid-vn-th-rice.xml", validator=v)


# ----- the command -----


def test_convert_writes_the_acdd_and_says_what_was_supplied(tmp_path: Path) -> None:
    src = tmp_path / "in.xml"
    src.write_bytes(edited(drop("w:GoodsShipment/w:Consignment/w:UnloadingLocation")))
    out = tmp_path / "out.xml"
    r = CliRunner().invoke(
        cli.main, ["convert", "--to", "acdd", str(src), "-o", str(out), "--set", "m=KHPPT"]
    )
    assert r.exit_code == 0, r.output
    assert "ACDD written to" in r.stderr and "m=KHPPT" in r.stderr and r.stdout == ""
    assert Validator(today=TODAY).validate(out).findings == ()


def test_convert_refuses_a_declaration_that_is_not_ready(tmp_path: Path) -> None:
    out = tmp_path / "out.xml"
    out.write_text("earlier")
    src = SAMPLES / "wco" / "invalid-la-th-coffee-dm39-no-exporter-name.xml"
    r = CliRunner().invoke(cli.main, ["convert", "--to", "acdd", str(src), "-o", str(out)])
    assert r.exit_code == 1
    assert "not converted: not ACDD-ready: missing b, k" in r.stderr
    assert "AC001" in r.stderr and r.stdout == ""
    assert out.read_text() == "earlier"  # nothing written, nothing destroyed


def test_convert_usage_errors(tmp_path: Path) -> None:
    src = SAMPLES / "wco" / "valid-th-kh-sugar-ready.xml"
    runner = CliRunner()
    assert runner.invoke(cli.main, ["convert", str(src)]).exit_code == 2  # --to is required
    r = runner.invoke(cli.main, ["convert", "--to", "acdd", str(src), "--set", "h=0101"])
    assert r.exit_code == 2 and "belongs to each goods item" in r.output
    acdd = SAMPLES / "acdd" / "valid-vn-th-rice.xml"
    r = runner.invoke(cli.main, ["convert", "--to", "acdd", str(acdd)])
    assert r.exit_code == 2 and "WCO" in r.output


def test_convert_to_stdout(tmp_path: Path) -> None:
    src = SAMPLES / "wco" / "valid-th-kh-sugar-ready.xml"
    r = CliRunner().invoke(cli.main, ["convert", "--to", "acdd", str(src)])
    assert r.exit_code == 0
    assert r.stdout.startswith("<?xml") and "ACDD-ready" in r.stderr


def test_countries_are_read_from_their_second_sources(v: Validator) -> None:
    def canada_and_item_level(root: etree._Element) -> None:
        one(root, "w:GoodsShipment/w:ExportCountry/w:ID").tag = f"{{{wco.NAMESPACE}}}CountryCode"
        destination = one(root, "w:GoodsShipment/w:Destination")
        shipment = one(root, "w:GoodsShipment")
        shipment.remove(destination)
        one(root, "w:GoodsShipment/w:GovernmentAgencyGoodsItem").append(destination)

    r = v.validate(edited(canada_and_item_level))
    assert r.is_valid and set(r.codes()) == {"WCO005"}
    messages = sorted(f.message for f in r.findings)
    assert "exporting country is read from GoodsShipment/ExportCountry/CountryCode" in messages[0]
    assert "importing country is read from GoodsShipment/GovernmentAgencyGoodsItem" in messages[1]


def test_a_wrapper_with_several_documents_is_not_valid(v: Validator) -> None:
    inner = BASE.decode().split("?>", 1)[-1].strip()
    two = (
        f'<md:MetaData xmlns:md="{wco.METADATA}">{inner}{inner.replace("EXA", "IMA")}</md:MetaData>'
    ).encode()
    r = v.validate(two)
    assert set(r.codes()) == {"DOC008"} and not r.is_valid
    (f,) = r.findings
    assert f.xpath == "/md:MetaData/wco:Declaration[2]" and "2 documents" in f.message
    assert not convert_to_acdd(two, validator=v).ready
    first_foreign = (
        f'<md:MetaData xmlns:md="{wco.METADATA}"><Response xmlns="{wco.RESPONSE}"/>{inner}'
        "</md:MetaData>"
    ).encode()
    assert set(v.validate(first_foreign).codes()) == {"DOC007", "DOC008"}


def test_versions_are_compared_as_the_wco_writes_them(v: Validator) -> None:
    r = v.validate(wrapped(BASE, "3.6.0"))
    assert r.findings == () and r.doctype_version == "3.6"
    r = v.validate(wrapped(BASE, " "))
    assert set(r.codes()) == {"WCO001"} and "names no" in r.findings[0].message


def test_an_empty_wrapper_says_so(v: Validator) -> None:
    r = v.validate(f'<md:MetaData xmlns:md="{wco.METADATA}"/>'.encode())
    assert set(r.codes()) == {"DOC007"}
    assert r.findings[0].message.startswith("The MetaData wrapper carries no document")


@pytest.mark.parametrize(("code", "said"), [("1", "cancellation"), ("4", "change"), ("X", "")])
def test_a_function_other_than_original_warns(v: Validator, code: str, said: str) -> None:
    def change(root: etree._Element) -> None:
        one(root, "w:FunctionCode").text = code

    r = v.validate(edited(change))
    assert set(r.codes()) == {"WCO007"} and r.is_valid
    assert said in r.findings[0].message


def test_the_agent_names_a_declarant_given_by_id_only(v: Validator) -> None:
    def hmrc(root: etree._Element) -> None:
        declarant = one(root, "w:Declarant")
        name = one(declarant, "w:Name")
        agent = etree.Element(f"{{{wco.NAMESPACE}}}Agent")
        agent.append(name)  # moved: the Declarant keeps only its ID
        etree.SubElement(agent, f"{{{wco.NAMESPACE}}}ID").text = one(declarant, "w:ID").text
        declarant.addnext(agent)

    r = v.validate(edited(hmrc))
    assert set(r.codes()) == {"WCO005"} and r.is_valid
    assert r.findings[0].acdd_item == "f" and "Agent/Name" in r.findings[0].message

    def other_agent(root: etree._Element) -> None:
        hmrc(root)
        one(root, "w:Agent/w:ID").text = "0994000165510"

    r = v.validate(edited(other_agent))
    assert "AC002" in r.codes()  # another party's name is not borrowed


@pytest.mark.parametrize(
    ("given", "kept"),
    [("g=2025-09-18", "2025-09-18"), ("g=20250918", "2025-09-18")],
)
def test_a_supplied_departure_date_is_read_as_an_iso_date(given: str, kept: str) -> None:
    assert parse_assignments([given]) == {"g": kept}


@pytest.mark.parametrize("given", ["g=2026-11-31", "g=20261131", "g=18/09/2025", "g=2200-01-01"])
def test_a_supplied_departure_date_must_be_a_day(given: str) -> None:
    with pytest.raises(ConversionError, match="calendar date"):
        parse_assignments([given])


def test_convert_says_why_an_input_is_not_read(tmp_path: Path) -> None:
    src = tmp_path / "broken.xml"
    src.write_bytes(b"<Declaration xmlns='urn:wco:datamodel:WCO:DEC-DMS:2'>")
    r = CliRunner().invoke(cli.main, ["convert", "--to", "acdd", str(src)])
    assert r.exit_code == 1
    assert "not converted: not a WCO export declaration that could be read (XML002)" in r.stderr


def test_rules_of_a_wco_declaration_are_the_acdd_rules() -> None:
    r = CliRunner().invoke(cli.main, ["rules", "--doctype", "wco-declaration"])
    assert r.exit_code == 0 and "AC001" in r.stdout and "read as acdd" in r.stderr


def test_the_html_report_shows_the_verdict_and_the_acdd_items(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    src = SAMPLES / "wco" / "invalid-la-th-coffee-dm39-no-exporter-name.xml"
    r = CliRunner().invoke(cli.main, ["validate", "--format", "html", "-o", str(out), str(src)])
    assert r.exit_code == 1
    page = out.read_text("utf-8")
    assert "As an ACDD: not ACDD-ready: missing b, k" in page
    assert "<dt>ACDD item</dt><dd>b</dd>" in page and "<code>Exporter/Name</code>" in page


@pytest.mark.parametrize(
    ("function", "type_code", "said"),
    [
        ("9", "830", None),  # UN/EDIFACT 1001: goods declaration for exportation
        ("9", "929", "import declaration (TypeCode 929"),
        ("9", "930", "goods declaration for home use"),
        ("9", "IMZ", "import declaration (TypeCode IMZ)"),
        ("13", "INV", "cancellation request"),
        ("13", "COR", "amendment request"),
        ("13", "EXA", "request (FunctionCode 13"),
    ],
)
def test_type_and_function_codes_say_what_a_declaration_is(
    v: Validator, function: str, type_code: str, said: str | None
) -> None:
    def change(root: etree._Element) -> None:
        one(root, "w:FunctionCode").text = function
        one(root, "w:TypeCode").text = type_code

    r = v.validate(edited(change))
    if said is None:
        assert r.findings == ()
    else:
        assert set(r.codes()) == {"DOC007"} and said in r.findings[0].message
