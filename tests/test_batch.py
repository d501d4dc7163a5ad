"""Cross-document (BT) rules: the batch pass after every document of a run is validated."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from asw_validator import Validator, cli
from asw_validator.context import Context
from asw_validator.model import Severity
from asw_validator.rules.registry import BatchDocument, BatchProblem, Family, Registry

from .conftest import FIXTURES, TODAY

CERT = (FIXTURES / "eformd_base.xml").read_bytes()
RESPONSE = (FIXTURES / "response_base.xml").read_bytes()
REF = b"<fd:ReferenceNumber>VN-HCM-25-00123</fd:ReferenceNumber>"


def cert(reference: str = "VN-HCM-25-00123", *, replaces: str | None = None,
         issued: str = "2025-03-12") -> bytes:  # fmt: skip
    doc = CERT.replace(REF, f"<fd:ReferenceNumber>{reference}</fd:ReferenceNumber>".encode())
    if replaces:
        doc = doc.replace(
            b"<fd:IssuingCountry>VN</fd:IssuingCountry>",
            b"<fd:IssuingCountry>VN</fd:IssuingCountry><fd:ReplacesReferenceNumber>"
            + replaces.encode()
            + b"</fd:ReplacesReferenceNumber>",
        )
    return doc.replace(b">2025-03-12<", f">{issued}<".encode())


def run(tmp_path: Path, docs: dict[str, bytes]) -> dict[str, list[tuple[str, str]]]:
    paths = []
    for name, data in docs.items():
        p = tmp_path / name
        p.write_bytes(data)
        paths.append(p)
    results = Validator(today=TODAY).validate_many(paths)
    return {Path(r.path).name: [(f.code, f.message) for f in r.findings] for r in results}


def codes(found: dict[str, list[tuple[str, str]]]) -> dict[str, set[str]]:
    return {name: {c for c, _ in fs} for name, fs in found.items()}


def test_duplicate_reference_is_reported_on_both(tmp_path: Path) -> None:
    found = run(tmp_path, {"a.xml": cert(), "b.xml": cert(issued="2025-03-13")})
    assert codes(found) == {"a.xml": {"BT001"}, "b.xml": {"BT001"}}
    assert "b.xml" in found["a.xml"][0][1] and "a.xml" in found["b.xml"][0][1]


def test_reference_shared_with_a_replacement_is_not_a_duplicate(tmp_path: Path) -> None:
    found = run(
        tmp_path,
        {"a.xml": cert(), "b.xml": cert(replaces="VN-HCM-25-00123", issued="2025-03-14")},
    )
    assert codes(found) == {"a.xml": set(), "b.xml": set()}


def test_references_compare_without_case_and_space(tmp_path: Path) -> None:
    found = run(tmp_path, {"a.xml": cert(), "b.xml": cert(" vn-hcm-25-00123 ")})
    assert codes(found) == {"a.xml": {"BT001"}, "b.xml": {"BT001"}}


def test_replacement_issued_before_original(tmp_path: Path) -> None:
    found = run(
        tmp_path,
        {"a.xml": cert(), "b.xml": cert("VN-HCM-25-00200", replaces="VN-HCM-25-00123",
                                         issued="2025-03-11")},
    )  # fmt: skip
    assert codes(found)["a.xml"] == set()
    assert "BT002" in codes(found)["b.xml"]
    assert "a.xml" in dict(found["b.xml"])["BT002"]


def test_replacement_on_the_same_day_or_later_is_fine(tmp_path: Path) -> None:
    found = run(
        tmp_path,
        {"a.xml": cert(), "b.xml": cert("VN-HCM-25-00200", replaces="VN-HCM-25-00123")},
    )
    assert codes(found) == {"a.xml": set(), "b.xml": set()}


def test_response_names_an_item_the_certificate_lacks(tmp_path: Path) -> None:
    bad = RESPONSE.replace(b"<cr:ItemNumber>2<", b"<cr:ItemNumber>5<")
    found = run(tmp_path, {"cert.xml": cert(), "resp.xml": bad})
    assert codes(found) == {"cert.xml": set(), "resp.xml": {"BT003"}}
    assert "whose item numbers are 1, 2" in dict(found["resp.xml"])["BT003"]


def test_response_alone_or_with_its_certificate_is_clean(tmp_path: Path) -> None:
    assert codes(run(tmp_path, {"resp.xml": RESPONSE})) == {"resp.xml": set()}
    found = run(tmp_path, {"cert.xml": cert(), "resp.xml": RESPONSE})
    assert codes(found) == {"cert.xml": set(), "resp.xml": set()}


def test_response_from_another_importing_country(tmp_path: Path) -> None:
    other = RESPONSE.replace(b">KH</cr:ImportingCountry>", b">TH</cr:ImportingCountry>")
    found = run(tmp_path, {"cert.xml": cert(), "resp.xml": other})
    assert codes(found) == {"cert.xml": set(), "resp.xml": {"BT004"}}


def test_single_validate_never_reports_cross_document_codes(tmp_path: Path) -> None:
    v = Validator(today=TODAY)
    assert v.validate(cert()).findings == ()
    assert v.validate_many([cert()])[0].findings == ()


def test_finished_run_refuses_more_documents() -> None:
    r = Validator(today=TODAY).run()
    r.validate(cert())
    r.finish()
    with pytest.raises(RuntimeError):
        r.validate(cert())


def test_cli_streams_then_reports_cross_document_findings(tmp_path: Path) -> None:
    (tmp_path / "a.xml").write_bytes(cert())
    (tmp_path / "b.xml").write_bytes(cert(issued="2025-03-13"))
    runner = CliRunner()
    text = runner.invoke(cli.main, ["validate", "--fail-on", "warning", str(tmp_path)])
    assert text.exit_code == 1
    lines = text.output.splitlines()
    assert [ln.split(": ")[1].split()[0] for ln in lines[:-1]] == ["BT001", "BT001"]
    assert lines[-1].startswith("2 documents checked, 2 valid; 0 errors, 2 warnings")
    js = runner.invoke(cli.main, ["validate", "--format", "json", str(tmp_path)])
    assert js.exit_code == 0  # BT001 is a warning: Rule 7's numbering is the paper form's
    report = json.loads(js.output)
    assert [[f["code"] for f in d["findings"]] for d in report["documents"]] == [
        ["BT001"],
        ["BT001"],
    ]
    assert report["summary"]["warning"] == 2


def test_a_failing_batch_rule_is_an_internal_error(tmp_path: Path) -> None:
    family = Family("broken", "0")

    @family.rule(
        code="BT999",
        name="always-fails",
        severity=Severity.ERROR,
        doctypes=("eformd",),
        basis="test",
        scope="batch",
    )
    def always_fails(docs: Sequence[BatchDocument], ctx: Context) -> Iterator[BatchProblem]:
        """Fails: always. Passes: never."""
        raise RuntimeError("boom")
        yield  # pragma: no cover

    results = Validator(today=TODAY, registry=Registry([family])).validate_many([cert()])
    assert results[0].codes() == ["INT001"]
    assert results[0].tool_failed and not results[0].is_valid


def test_many_duplicates_keep_messages_short(tmp_path: Path) -> None:
    found = run(tmp_path, {f"c{i}.xml": cert(issued=f"2025-03-{10 + i}") for i in range(6)})
    message = found["c0.xml"][0][1].replace(f"{tmp_path}/", "")
    assert "used by c1.xml, c2.xml, c3.xml and 2 more;" in message


def test_the_same_file_twice_is_not_a_duplicate(tmp_path: Path) -> None:
    p = tmp_path / "a.xml"
    p.write_bytes(cert())
    results = Validator(today=TODAY).validate_many([p, p])
    assert [r.codes() for r in results] == [[], []]


# ----- BT007-BT009: an Origin Declaration and an e-Form D of one commercial invoice -----

OD = (FIXTURES / "od_base.xml").read_bytes()  # the invoice of eformd_base.xml, same exporter
OD_ID = b"<od:ID>0100233488</od:ID>"
FD_ID = b"<fd:ID>0100233488</fd:ID>"
FD_QUANTITY = b'<fd:GrossWeight unitCode="KGM">20100</fd:GrossWeight>'


def od(*swaps: tuple[bytes, bytes]) -> bytes:
    doc = OD
    for old, new in swaps:
        assert old in doc, old
        doc = doc.replace(old, new)
    return doc


def with_quantity(cert_doc: bytes, kgm: str = "20000") -> bytes:
    return cert_doc.replace(
        FD_QUANTITY, FD_QUANTITY + f'<fd:Quantity unitCode="KGM">{kgm}</fd:Quantity>'.encode()
    )


def test_od_and_eformd_of_one_invoice_that_agree(tmp_path: Path) -> None:
    found = run(tmp_path, {"fd.xml": with_quantity(cert()), "od.xml": OD})
    assert codes(found) == {"fd.xml": set(), "od.xml": set()}


def test_od_hs_code_on_no_item_of_the_eformd(tmp_path: Path) -> None:
    bad = od((b"<od:HSCode>1902.30.20<", b"<od:HSCode>1902.19<"))
    found = run(tmp_path, {"fd.xml": cert(), "od.xml": bad})
    assert codes(found) == {"fd.xml": set(), "od.xml": {"BT007"}}
    message = dict(found["od.xml"])["BT007"]
    assert "invoice MAE-2025-0311 of 2025-03-10" in message and "fd.xml" in message
    assert "1006.30, 1902.30" in message


def test_od_criterion_differs_but_spellings_of_one_criterion_agree(tmp_path: Path) -> None:
    other = od((b"<od:OriginCriterion>45%<", b"<od:OriginCriterion>CTH<"))
    found = run(tmp_path, {"fd.xml": cert(), "od.xml": other})
    assert codes(found) == {"fd.xml": set(), "od.xml": {"BT008"}}
    assert "claims 45%" in dict(found["od.xml"])["BT008"]
    same = od((b"<od:OriginCriterion>45%<", b"<od:OriginCriterion>RVC 45%<"))
    assert codes(run(tmp_path, {"fd.xml": cert(), "od.xml": same}))["od.xml"] == set()


def test_od_quantity_differs_in_the_same_unit_only(tmp_path: Path) -> None:
    less = od((b'unitCode="KGM">20000<', b'unitCode="KGM">19000<'))
    found = run(tmp_path, {"fd.xml": with_quantity(cert()), "od.xml": less})
    assert codes(found) == {"fd.xml": set(), "od.xml": {"BT009"}}
    assert "19000 KGM of 1006.30 (item 1)" in dict(found["od.xml"])["BT009"]
    # the gross weight is not the quantity of goods: without box 9's quantity, no comparison
    assert codes(run(tmp_path, {"fd.xml": cert(), "od.xml": less}))["od.xml"] == set()
    tonnes = od((b'unitCode="KGM">20000<', b'unitCode="TNE">19<'))
    assert (
        codes(run(tmp_path, {"fd.xml": with_quantity(cert()), "od.xml": tonnes}))["od.xml"] == set()
    )


def test_exporter_by_identifier_where_both_give_one_else_by_name(tmp_path: Path) -> None:
    bad = (b"<od:HSCode>1902.30.20<", b"<od:HSCode>1902.19<")
    renamed = (b"<od:Name>Mekong Agro Export JSC<", b"<od:Name>MEKONG AGRO EXPORT J.S.C.<")
    # one finding, not one per way of matching
    both = run(tmp_path, {"fd.xml": cert(), "od.xml": od(bad)})
    assert [c for c, _ in both["od.xml"]] == ["BT007"]
    # the OD gives no identifier: matched by name, whatever its case and dots
    no_id = od(bad, renamed, (OD_ID, b""))
    assert codes(run(tmp_path, {"fd.xml": cert(), "od.xml": no_id}))["od.xml"] == {"BT007"}
    # the certificate gives none: the same
    anonymous = cert().replace(FD_ID, b"")
    assert codes(run(tmp_path, {"fd.xml": anonymous, "od.xml": od(bad)}))["od.xml"] == {"BT007"}
    # both give one, and they differ: two exporters of one name, not compared
    other = od(bad, (OD_ID, b"<od:ID>0100112437</od:ID>"))
    assert codes(run(tmp_path, {"fd.xml": cert(), "od.xml": other}))["od.xml"] == set()


def test_another_invoice_date_or_member_is_another_invoice(tmp_path: Path) -> None:
    bad = (b"<od:HSCode>1902.30.20<", b"<od:HSCode>1902.19<")
    later = od(bad, (b"<od:Date>2025-03-10</od:Date>\n  </od:CommercialDocument>",
                     b"<od:Date>2025-03-11</od:Date>\n  </od:CommercialDocument>"))  # fmt: skip
    assert codes(run(tmp_path, {"fd.xml": cert(), "od.xml": later}))["od.xml"] == set()


def test_od_on_a_packing_list_is_compared_through_the_invoice_it_names(tmp_path: Path) -> None:
    on_list = od(
        (b"<od:HSCode>1902.30.20<", b"<od:HSCode>1902.19<"),
        (b">commercial-invoice<", b">packing-list<"),
        (b"<od:Number>MAE-2025-0311</od:Number>", b"<od:Number>PL-0311</od:Number>"),
        (
            b"</od:CommercialDocument>",
            b"<od:CommercialInvoice><od:Number>MAE-2025-0311</od:Number>"
            b"<od:Date>2025-03-10</od:Date></od:CommercialInvoice></od:CommercialDocument>",
        ),
    )
    assert codes(run(tmp_path, {"fd.xml": cert(), "od.xml": on_list}))["od.xml"] == {"BT007"}
