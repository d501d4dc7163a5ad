"""e-Phyto in transport envelopes: the bare certificate, the same certificate as an element of
the IPPC hub's ePhytoEnvelope inside SOAP 1.1 or 1.2, and as an escaped string in the hub's
Envelope/Content give the same findings, pointed into the file that was given."""

from __future__ import annotations

from xml.sax.saxutils import escape

import pytest

from asw_validator import Validator

from .conftest import FIXTURES, TODAY

BARE = (FIXTURES / "ephyto_base.xml").read_text("utf-8")
CERT = BARE[BARE.index("<rsm:SPSCertificate") :].strip()
HEADER = (
    "<hub:From>TH</hub:From><hub:To>VN</hub:To><hub:CertificateType>851</hub:CertificateType>"
    "<hub:CertificateStatus>70</hub:CertificateStatus>"
    "<hub:NPPOCertificateNumber>TH-DOA-2025-0471203</hub:NPPOCertificateNumber>"
)
HUB_NS = 'xmlns:hub="http://ephyto.ippc.int/HUB.Entities"'
SOAP = {
    "1.1": "http://schemas.xmlsoap.org/soap/envelope/",
    "1.2": "http://www.w3.org/2003/05/soap-envelope",
}
# Broken on purpose: an unnamed consignee and an item without a scientific name.
BAD = CERT.replace("<ram:Name>Mekong Rice Joint Stock Company</ram:Name>", "<ram:Name/>").replace(
    "<ram:ScientificName>Oryza sativa</ram:ScientificName>", ""
)


def soap(cert: str, version: str = "1.1") -> str:
    return (
        f'<?xml version="1.0"?>\n<s:Envelope xmlns:s="{SOAP[version]}"'
        f' xmlns:eph="http://ephyto.ippc.int/" {HUB_NS}>\n<s:Header/>\n<s:Body>\n'
        f"<eph:DeliverPhytoEnvelope>\n<eph:ePhytoEnvelope>\n{HEADER}\n{cert}\n"
        "</eph:ePhytoEnvelope>\n</eph:DeliverPhytoEnvelope>\n</s:Body>\n</s:Envelope>\n"
    )


def hub(cert: str) -> str:
    content = f"<hub:Content>{escape(cert)}</hub:Content>"
    return f"<hub:Envelope {HUB_NS}>\n{HEADER}\n{content}\n</hub:Envelope>"


def check(text: str):  # type: ignore[no-untyped-def]
    return Validator(today=TODAY).validate(text.encode("utf-8"))


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_bare_certificate_findings() -> None:
    bare = check(BARE.replace(CERT, BAD))
    assert bare.doctype == "ephyto"
    assert [(f.code, f.xpath) for f in bare.findings] == [
        ("PH015", "/rsm:SPSCertificate/rsm:SPSConsignment/ram:ConsigneeSPSParty/ram:Name"),
        (
            "PH010",
            "/rsm:SPSCertificate/rsm:SPSConsignment/ram:IncludedSPSConsignmentItem"
            "/ram:IncludedSPSTradeLineItem",
        ),
    ]


@pytest.mark.parametrize("version", ["1.1", "1.2"])
def test_soap_wrapped_gives_the_bare_findings_at_their_own_lines(version: str) -> None:
    bare = check(BARE.replace(CERT, BAD))
    text = soap(BAD, version)
    wrapped = check(text)
    assert wrapped.doctype == "ephyto"
    prefix = "/soap:Envelope/soap:Body" if version == "1.1" else "/soap12:Envelope/soap12:Body"
    prefix += "/eph:DeliverPhytoEnvelope/eph:ePhytoEnvelope"
    assert [(f.code, f.message) for f in wrapped.findings] == [
        (f.code, f.message) for f in bare.findings
    ]
    assert [f.xpath for f in wrapped.findings] == [prefix + str(f.xpath) for f in bare.findings]
    consignee, item = wrapped.findings
    assert consignee.line == _line_of(text, "<ram:Name/>")
    assert item.line == _line_of(text, "<ram:IncludedSPSTradeLineItem>")


def test_escaped_content_gives_the_bare_findings_at_the_content_line() -> None:
    bare = check(BARE.replace(CERT, BAD))
    text = hub(BAD)
    wrapped = check(text)
    assert [(f.code, f.message) for f in wrapped.findings] == [
        (f.code, f.message) for f in bare.findings
    ]
    assert [f.xpath for f in wrapped.findings] == [
        "/hub:Envelope/hub:Content" + str(f.xpath) for f in bare.findings
    ]
    assert {f.line for f in wrapped.findings} == {_line_of(text, "<hub:Content>")}


def test_a_clean_certificate_is_clean_in_every_wrapping() -> None:
    for text in (BARE, soap(CERT), soap(CERT, "1.2"), hub(CERT)):
        result = check(text)
        assert result.doctype == "ephyto" and result.findings == (), result.findings


def test_schema_errors_inside_an_envelope_point_into_the_file() -> None:
    broken = CERT.replace("<ram:StatusCode>70</ram:StatusCode>", "")
    text = soap(broken)
    (finding,) = check(text).findings
    # a required element is missing: XSD002 naming it, at the path it would have
    assert finding.code == "XSD002" and "Missing child element 'ram:StatusCode'" in finding.message
    assert finding.xpath is not None and finding.xpath.startswith(
        "/soap:Envelope/soap:Body/eph:DeliverPhytoEnvelope/eph:ePhytoEnvelope/rsm:SPSCertificate/"
    )
    assert finding.xpath.endswith("/ram:StatusCode")
    assert finding.line is not None and finding.line > 5


def test_escaped_content_is_parsed_as_safely_as_any_input() -> None:
    xxe = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + CERT
    result = check(hub(xxe))
    assert [f.code for f in result.findings] == ["XML003"]
    assert result.findings[0].xpath == "/hub:Envelope/hub:Content"
    broken = check(hub(CERT[:-20]))
    assert [f.code for f in broken.findings] == ["XML002"]
    assert broken.findings[0].line == 3


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (f'<s:Envelope xmlns:s="{SOAP["1.1"]}"><s:Body/></s:Envelope>', "/soap:Envelope/soap:Body"),
        (
            f'<s:Envelope xmlns:s="{SOAP["1.1"]}"><s:Body><x:Ping xmlns:x="urn:x"/></s:Body>'
            "</s:Envelope>",
            "/soap:Envelope/soap:Body/Q{urn:x}Ping",
        ),
        (
            f"<hub:Envelope {HUB_NS}>{HEADER}<hub:Content> </hub:Content></hub:Envelope>",
            "/hub:Envelope",
        ),
    ],
)
def test_an_envelope_without_a_certificate_is_doc004(text: str, where: str) -> None:
    result = check(text)
    assert [(f.code, f.xpath) for f in result.findings] == [("DOC004", where)]
    assert not result.is_valid


def test_a_certificate_directly_in_a_soap_body_has_no_header_to_check() -> None:
    text = f'<s:Envelope xmlns:s="{SOAP["1.1"]}"><s:Body>{CERT}</s:Body></s:Envelope>'
    assert check(text).findings == ()


def test_an_envelope_with_two_certificates_says_so_and_reads_the_first() -> None:
    text = soap(CERT + "\n" + BAD)
    result = check(text)
    assert [f.code for f in result.findings] == ["DOC005"]
    assert result.findings[0].xpath == (
        "/soap:Envelope/soap:Body/eph:DeliverPhytoEnvelope/eph:ePhytoEnvelope/rsm:SPSCertificate[2]"
    )
    assert not result.is_valid
    both = soap(CERT).replace(
        "</eph:ePhytoEnvelope>", "<hub:Content>x</hub:Content></eph:ePhytoEnvelope>"
    )
    assert [f.code for f in check(both).findings] == ["DOC005"]


def test_a_missing_from_is_one_finding() -> None:
    text = soap(CERT).replace("<hub:From>TH</hub:From>", "")
    assert [f.code for f in check(text).findings] == ["PH006"]
