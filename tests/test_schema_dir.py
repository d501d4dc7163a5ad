"""``--schema-dir``: validate with a schema set the user supplies, read from files under the
directory only (no network, no escape through ``..``, symbolic links or absolute paths)."""

from __future__ import annotations

import hashlib
import json
import shutil
import tomllib
from dataclasses import fields
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from asw_validator import Validator, cli, doctypes
from asw_validator.engine import Settings
from asw_validator.schemas import SchemaLoadError, compiled, schema_info
from asw_validator.schemaset import SchemaSet, find

from .conftest import FIXTURES, REPO, SAMPLES, SHARED_REFERENCE, TODAY, needs_shared_reference

REFERENCE = SHARED_REFERENCE / "uncefact-sps-d17a"
ENTRY = "data/standard/SPSCertificate_17p0.xsd"
PHYTO = doctypes.get("ephyto")
SPS = PHYTO.namespace
REPORT_SCHEMA = json.loads((REPO / "asw_validator" / "data" / "report-v1.schema.json").read_text())
CATALOG = tomllib.loads((SAMPLES / "catalog.toml").read_text("utf-8"))["sample"]
PHYTO_SAMPLES = [s for s in CATALOG if s["doctype"] == "ephyto"]


def run(*args: str) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(cli.main, ["validate", "--format", "json", *args])
    return result.exit_code, json.loads(result.stdout)


# ----- with the reference set: its imports climb ../../codelist inside it -----


@needs_shared_reference
def test_reference_set_validates_a_valid_sample_and_is_named_in_the_report() -> None:
    code, report = run("--schema-dir", str(REFERENCE), str(SAMPLES / "ephyto/valid-th-vn-rice.xml"))
    assert code == 0, report
    jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(report)
    (schema,) = report["schemas"]
    found = find(REFERENCE.resolve(), SPS, "SPSCertificate")
    assert schema == {
        "id": "ephyto/user-supplied",
        "doctype": "ephyto",
        "version": "17.0",
        "file": ENTRY,
        "sha256": found.sha256,
        "user_supplied": True,
        "schema_dir": str(REFERENCE.resolve()),
    }
    # The digest covers the entry point and everything it imports (code lists included).
    assert len(found.files) > 100 and found.files[0] == (REFERENCE / ENTRY).resolve()
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in found.files)).hexdigest()
    assert schema["sha256"] == digest


@needs_shared_reference
@pytest.mark.parametrize("sample", PHYTO_SAMPLES, ids=[s["file"] for s in PHYTO_SAMPLES])
def test_reference_set_gives_every_sample_its_catalogued_codes(sample: dict[str, Any]) -> None:
    """Our schema and the reference agree on every e-Phyto sample."""
    validator = Validator(today=TODAY, schema_dir=REFERENCE)
    assert set(validator.validate(SAMPLES / sample["file"]).codes()) == set(sample["expected"])


@needs_shared_reference
def test_the_users_schema_is_the_one_applied_and_named_in_the_basis() -> None:
    """A fixed listVersionID D17A declares (D16B) and ours leaves to rules: only the user's
    schema reports it, and the XSD finding's basis names the user's file."""
    base = (FIXTURES / "ephyto_base.xml").read_bytes()
    doc = base.replace(b"<ram:TypeCode>851<", b'<ram:TypeCode listVersionID="D20A">851<')
    assert doc != base
    assert Validator(today=TODAY).validate(doc).findings == ()
    result = Validator(today=TODAY, schema_dir=REFERENCE).validate(doc)
    (finding,) = result.findings
    assert finding.code == "XSD099" and "fixed value constraint 'D16B'" in finding.message
    assert (
        finding.xpath == "/rsm:SPSCertificate/rsm:SPSExchangedDocument/ram:TypeCode/@listVersionID"
    )
    assert finding.basis == (
        f"user-supplied schema {ENTRY} in {REFERENCE.resolve()} (--schema-dir)"
    )


@needs_shared_reference
def test_compiled_schemas_are_cached_per_directory(tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(REFERENCE, copy, copy_function=shutil.copyfile)
    # A changed code list is a different schema: a different digest in the report.
    module = "codelist/standard/UNECE_TransportModeCode_2.xsd"
    (copy / module).write_text((REFERENCE / module).read_text("utf-8") + "<!-- -->")
    ref = compiled(PHYTO, REFERENCE.resolve())
    assert compiled(PHYTO, REFERENCE.resolve()) is ref
    other = compiled(PHYTO, copy.resolve())
    assert other is not ref and compiled(PHYTO) is not ref
    mine, theirs = schema_info(PHYTO, copy.resolve()), schema_info(PHYTO, REFERENCE.resolve())
    assert mine.sha256 != theirs.sha256


@needs_shared_reference
def test_a_document_type_the_set_does_not_declare_is_a_tool_failure() -> None:
    code, report = run("--schema-dir", str(REFERENCE), str(SAMPLES / "acdd/valid-vn-th-rice.xml"))
    assert code == 3
    (finding,) = report["documents"][0]["findings"]
    assert finding["code"] == "INT001"
    assert (
        "no schema under it declares {urn:asw-validator:acdd:1.0}Declaration" in finding["message"]
    )


# ----- small schema sets: where a location may and may not lead -----

ROOT = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:t"
  targetNamespace="{sps}" elementFormDefault="qualified" version="9.9">
  <xs:import namespace="urn:t" schemaLocation="{location}"/>
  <xs:element name="SPSCertificate" type="t:Cert"/>
</xs:schema>"""
TYPES = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t">
  <xs:complexType name="Cert"><xs:sequence>
    <xs:any processContents="skip" minOccurs="0" maxOccurs="unbounded"/>
  </xs:sequence></xs:complexType>
</xs:schema>"""


def schema_set(tmp_path: Path, location: str, types_at: str = "sub/types.xsd") -> Path:
    """DIR with root/root.xsd importing ``location``; a valid types module at ``types_at``
    (relative to tmp_path: it may lie outside DIR)."""
    directory = tmp_path / "dir"
    (directory / "root").mkdir(parents=True)
    (directory / "root" / "root.xsd").write_text(ROOT.format(sps=SPS, location=location))
    types = tmp_path / types_at
    types.parent.mkdir(parents=True, exist_ok=True)
    types.write_text(TYPES)
    return directory


def load_error(directory: Path) -> str:
    with pytest.raises(SchemaLoadError) as err:
        find(directory, SPS, "SPSCertificate")
    return str(err.value)


def test_a_location_climbing_inside_the_set_is_followed(tmp_path: Path) -> None:
    directory = schema_set(tmp_path, "../sub/x/../../sub/types.xsd", "dir/sub/types.xsd")
    found = find(directory, SPS, "SPSCertificate")
    assert found.relative == "root/root.xsd" and found.version == "9.9"
    assert [p.name for p in found.files] == ["root.xsd", "types.xsd"]
    result = Validator(today=TODAY, schema_dir=directory).validate(FIXTURES / "ephyto_base.xml")
    assert result.findings == ()


def test_a_location_climbing_out_of_the_set_is_refused(tmp_path: Path) -> None:
    directory = schema_set(tmp_path, "../../outside/types.xsd", "outside/types.xsd")
    message = load_error(directory)
    assert "names '../../outside/types.xsd'" in message and "outside the directory" in message


def test_a_symbolic_link_out_of_the_set_is_refused(tmp_path: Path) -> None:
    directory = schema_set(tmp_path, "../link.xsd", "outside/types.xsd")
    (directory / "link.xsd").symlink_to(tmp_path / "outside" / "types.xsd")
    assert "outside the directory" in load_error(directory)


def test_an_absolute_location_is_refused_even_inside_the_set(tmp_path: Path) -> None:
    inside = tmp_path / "dir" / "sub" / "types.xsd"
    directory = schema_set(tmp_path, str(inside), "dir/sub/types.xsd")
    assert "an absolute path" in load_error(directory)


@pytest.mark.parametrize(
    "location", ["http://www.w3.org/2001/xml.xsd", "file:///etc/passwd", "urn:x:types"]
)
def test_a_url_is_refused_and_never_fetched(tmp_path: Path, location: str) -> None:
    assert "a URL" in load_error(schema_set(tmp_path, location))


def test_a_missing_module_is_named(tmp_path: Path) -> None:
    assert "does not exist" in load_error(schema_set(tmp_path, "../sub/nothere.xsd"))


def test_no_entry_point_or_two_are_clear_errors(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "no schema under it declares" in load_error(empty)
    directory = schema_set(tmp_path, "../sub/types.xsd", "dir/sub/types.xsd")
    shutil.copy(directory / "root" / "root.xsd", directory / "root" / "again.xsd")
    assert "several schemas declare" in load_error(directory)
    assert "root/again.xsd, root/root.xsd" in load_error(directory)


def test_the_compile_reads_only_the_files_checked(tmp_path: Path) -> None:
    """The second barrier: libxml2 asks the resolver for every file, and one that the
    checks did not pass is refused (here a set whose list leaves its import out)."""
    directory = schema_set(tmp_path, "../sub/types.xsd", "dir/sub/types.xsd")
    entry = (directory / "root" / "root.xsd").resolve()
    partial = SchemaSet(directory.resolve(), entry, (entry,), "0" * 64, "9.9")
    with pytest.raises(SchemaLoadError) as err:
        partial.compile()
    assert "refused to read" in str(err.value) and "types.xsd" in str(err.value)


def test_a_broken_set_is_int001_and_exit_3(tmp_path: Path) -> None:
    directory = schema_set(tmp_path, "../../outside/types.xsd", "outside/types.xsd")
    code, report = run("--schema-dir", str(directory), str(FIXTURES / "ephyto_base.xml"))
    assert code == 3
    (finding,) = report["documents"][0]["findings"]
    assert finding["code"] == "INT001" and "outside the directory" in finding["message"]
    assert report["schemas"] == []


def test_schema_dir_is_a_settings_field_and_must_be_a_directory(tmp_path: Path) -> None:
    assert "schema_dir" in {f.name for f in fields(Settings)}
    assert Settings(schema_dir=str(tmp_path)).schema_dir == tmp_path.resolve()
    with pytest.raises(ValueError, match="not a directory"):
        Settings(schema_dir=tmp_path / "none")
    r = CliRunner().invoke(
        cli.main, ["validate", "--schema-dir", str(tmp_path / "none"), str(FIXTURES)]
    )
    assert r.exit_code == 2
