"""Parser safety: hostile and broken inputs become XML0nn findings, never expansions or crashes."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from asw_validator import Validator
from asw_validator.parsing import parse_bytes

from .conftest import TODAY


def only_code(data: bytes, **limits: int) -> str:
    result = parse_bytes(data, **limits)
    assert result.tree is None
    assert len(result.findings) == 1
    return result.findings[0].code


def test_xxe_to_a_local_file_is_rejected_and_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    doc = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]><r>&x;</r>'
    ).encode()
    result = Validator(today=TODAY).validate(doc)
    assert result.codes() == ["XML003"]
    assert "TOP-SECRET" not in repr(result.to_dict())


def test_billion_laughs_is_rejected_without_expansion() -> None:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    doc = f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]><lolz>&lol9;</lolz>'.encode()
    assert only_code(doc) == "XML003"


def test_plain_doctype_is_rejected() -> None:
    assert only_code(b'<!DOCTYPE r SYSTEM "http://example.invalid/r.dtd"><r/>') == "XML003"


def test_undeclared_entity_is_not_well_formed() -> None:
    assert only_code(b"<r>&nbsp;</r>") == "XML002"


def test_depth_beyond_libxml2_limit() -> None:
    assert only_code(b"<a>" * 300 + b"</a>" * 300) == "XML005"


def test_depth_beyond_configured_limit() -> None:
    doc = b"<a>" * 20 + b"</a>" * 20
    assert only_code(doc, max_depth=10) == "XML005"
    assert parse_bytes(doc, max_depth=20).tree is not None


def test_over_size_input() -> None:
    result = parse_bytes(b"<r>" + b"x" * 100 + b"</r>", max_bytes=50)
    assert [f.code for f in result.findings] == ["XML004"]


def test_over_size_file_is_not_read_whole(tmp_path: Path) -> None:
    big = tmp_path / "big.xml"
    big.write_bytes(b"<r>" + b" " * 5000 + b"</r>")
    result = Validator(today=TODAY, max_bytes=1000).validate(big)
    assert result.codes() == ["XML004"]
    assert result.size == big.stat().st_size  # true size (file metadata); 1001 bytes read
    assert result.sha256 is None  # the rest was not read, so there is no hash of it
    assert f"{big.stat().st_size} bytes" in result.findings[0].message


def test_huge_text_node() -> None:
    assert only_code(b"<r>" + b"x" * (10 * 1024 * 1024 + 10) + b"</r>") == "XML009"


@pytest.mark.parametrize("data", [b"", b"   \n  ", codecs.BOM_UTF8])
def test_empty(data: bytes) -> None:
    assert only_code(data) == "XML001"


def test_truncated_reports_line_and_column() -> None:
    result = parse_bytes(b"<r>\n  <a>text</a>\n  <b>")
    assert [f.code for f in result.findings] == ["XML002"]
    f = result.findings[0]
    assert f.line == 3 and f.column is not None


def test_invalid_utf8() -> None:
    assert only_code(b'<?xml version="1.0" encoding="UTF-8"?><r>\xff\xfe</r>') == "XML006"


def test_encoding_declaration_contradicting_bom() -> None:
    doc = codecs.BOM_UTF8 + b'<?xml version="1.0" encoding="ISO-8859-1"?><r/>'
    assert only_code(doc) == "XML007"
    utf16 = codecs.BOM_UTF16_LE + '<?xml version="1.0" encoding="UTF-8"?><r/>'.encode("utf-16-le")
    assert only_code(utf16) == "XML007"


def test_bom_agreeing_with_declaration_is_fine() -> None:
    utf16 = codecs.BOM_UTF16_LE + '<?xml version="1.0" encoding="UTF-16"?><r>ý</r>'.encode(
        "utf-16-le"
    )
    result = parse_bytes(utf16)
    assert result.findings == () and result.tree is not None
    assert parse_bytes(codecs.BOM_UTF8 + b'<?xml version="1.0" encoding="utf-8"?><r/>').tree


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(codec: str) -> None:
    assert only_code('<?xml version="1.0" encoding="UTF-16"?><r/>'.encode(codec)) == "XML008"


def test_schema_location_is_ignored(base_acdd: bytes) -> None:
    """A hint to a remote or local schema changes nothing: the schema comes from detection."""
    hinted = base_acdd.replace(
        b'<acdd:Declaration xmlns:acdd="urn:asw-validator:acdd:1.0">',
        b'<acdd:Declaration xmlns:acdd="urn:asw-validator:acdd:1.0"'
        b' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        b' xsi:schemaLocation="urn:asw-validator:acdd:1.0 http://example.invalid/evil.xsd">',
    )
    assert hinted != base_acdd
    assert Validator(today=TODAY).validate(hinted).findings == ()


def test_xinclude_is_not_processed(tmp_path: Path) -> None:
    (tmp_path / "inc.xml").write_text("<x>included</x>")
    doc = (
        b'<r xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="'
        + str(tmp_path / "inc.xml").encode()
        + b'"/></r>'
    )
    tree = parse_bytes(doc).tree
    assert tree is not None
    assert b"included" not in __import__("lxml.etree").etree.tostring(tree)


def test_doctype_text_inside_content_is_not_a_declaration() -> None:
    result = parse_bytes(b"<r><!-- <!DOCTYPE x> --><![CDATA[<!DOCTYPE y>]]></r>")
    assert result.findings == () and result.tree is not None


def test_utf16_doctype_is_found_before_parsing() -> None:
    doc = codecs.BOM_UTF16_LE + '<!DOCTYPE r [<!ENTITY a "b">]><r>&a;</r>'.encode("utf-16-le")
    assert only_code(doc) == "XML003"


def test_doctype_finding_names_its_line() -> None:
    doc = b'<?xml version="1.0"?>\n<!-- a <r> in a comment -->\n<!DOCTYPE r [\n]>\n<r/>'
    result = parse_bytes(doc)
    assert [(f.code, f.line) for f in result.findings] == [("XML003", 3)]


def test_doctype_word_in_a_prolog_comment_is_fine() -> None:
    assert parse_bytes(b"<!-- no <!DOCTYPE here -->\n<r/>").findings == ()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "gzip-compressed data"),
        (b"PK\x03\x04\x14\x00\x06\x00", "a ZIP archive"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        (b"BZh91AY&SY\x00\x01", "bzip2-compressed data"),
        (b"<r>text\x00more</r>", "a NUL byte at offset 7"),
    ],
    ids=["png", "gzip", "zip", "pdf", "bzip2", "nul"],
)
def test_binary_input_is_xml010_not_empty(data: bytes, kind: str) -> None:
    """A PNG or a gzip file was XML001 ("empty"): binary input has its own code."""
    result = parse_bytes(data)
    assert [f.code for f in result.findings] == ["XML010"]
    assert kind in result.findings[0].message


def test_utf16_with_bom_is_text_not_binary() -> None:
    doc = codecs.BOM_UTF16_LE + "<r>x</r>".encode("utf-16-le")
    assert parse_bytes(doc).tree is not None


def _bad_value_line(doc: bytes) -> list[tuple[str, int | None]]:
    result = Validator(today=TODAY).validate(doc)
    return [(f.code, f.line) for f in result.findings]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_cr_only_line_ends_give_true_lines(base_acdd: bytes, encoding: str) -> None:
    """Classic Mac (CR-only) files reported every finding at line 1 (libxml2 counts LFs)."""
    doc = base_acdd.replace(b">THLCH<", b">BANGKOK<").replace(b"2025-03-12", b"2025-02-30")
    want = _bad_value_line(doc)
    assert {line for _, line in want} != {1}
    cr_only = doc.replace(b"\n", b"\r")
    if encoding == "utf-16":
        text = cr_only.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
        cr_only = text.encode("utf-16")  # with its BOM
    assert _bad_value_line(cr_only) == want


def test_mixed_line_ends_count_every_kind(base_acdd: bytes) -> None:
    """CRLF, LF and lone CR each end one line, as XML end-of-line handling says."""
    lines = base_acdd.replace(b">THLCH<", b">BANGKOK<").split(b"\n")
    ends = [b"\r\n", b"\n", b"\r"]
    mixed = b"".join(line + ends[i % 3] for i, line in enumerate(lines[:-1])) + lines[-1]
    assert _bad_value_line(mixed) == _bad_value_line(b"\n".join(lines))


def test_crlf_input_is_parsed_unchanged() -> None:
    from asw_validator.parsing import normalise_line_ends

    crlf = b"<r>\r\n<a/>\r\n</r>"
    assert normalise_line_ends(crlf) is crlf
    assert normalise_line_ends(b"<r>\r<a/>\r</r>") == b"<r>\n<a/>\n</r>"
    assert normalise_line_ends(b"\x00\r") == b"\x00\r"  # not XML text: left to the parser
