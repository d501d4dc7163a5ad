"""The service's web page without a browser: the form works as plain HTML (no JavaScript),
its answer is the report under the form, nothing inline that a Content-Security-Policy would
have to allow; and the token: bearer for the API, a password field (then a cookie derived
from it) for the page, nothing for health."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from asw_validator.engine import Settings
from asw_validator.service.core import SESSION_COOKIE
from asw_validator.service.settings import (
    TOKEN_ENV,
    ServiceSettings,
    ServiceSettingsError,
    read_token,
)

from .conftest import SAMPLES
from .service_support import running

TOKEN = "s3cret-token-for-tests-only"
INVALID = SAMPLES / "acdd" / "invalid-port-of-discharge-name.xml"
VALID = SAMPLES / "acdd" / "valid-vn-th-rice.xml"


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with running(ServiceSettings(validation=Settings(max_bytes=1 << 20), workers=1)) as c:
        yield c


@pytest.fixture(scope="module")
def guarded() -> Iterator[httpx.Client]:
    with running(ServiceSettings(workers=1, token=TOKEN)) as c:
        yield c


def upload(client: httpx.Client, *paths: Path, **fields: str) -> httpx.Response:
    files = [("files", (p.name, p.read_bytes(), "application/xml")) for p in paths]
    if not files:
        files = [("files", ("", b"", "application/octet-stream"))]  # a file input left empty
    return client.post("/", files=files, data=fields)


def assert_no_inline_code(page: str) -> None:
    """Nothing a CSP without 'unsafe-inline' would block: no inline script or handler, no
    style element or attribute."""
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert not re.search(r"<[a-z][^>]*\son[a-z]+=", page)
    assert "<style" not in page and not re.search(r"<[a-z][^>]*\sstyle=", page)


def test_the_form_is_plain_html_with_its_script_and_style_from_the_service(
    client: httpx.Client,
) -> None:
    r = client.get("/")
    assert r.status_code == 200
    page = r.text
    assert '<form method="post" action="./#report" enctype="multipart/form-data"' in page
    assert '<input type="file" id="files" name="files" multiple' in page
    assert '<textarea id="xml" name="xml"' in page
    assert 'name="token"' not in page  # no token configured
    assert_no_inline_code(page)
    assert '<link rel="stylesheet" href="static/app.css">' in page
    assert '<script src="static/app.js" defer></script>' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page)  # nothing from elsewhere
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for name, kind in (
        ("app.css", "text/css"),
        ("app.js", "text/javascript"),
        ("report.css", "text/css"),
    ):
        asset = client.get(f"/static/{name}")
        assert asset.status_code == 200 and asset.headers["content-type"].startswith(kind)
        assert "http" not in asset.text  # loads nothing from anywhere
    assert client.get("/static/../app.py").status_code == 404


def test_posting_the_form_answers_the_report_under_the_form(client: httpx.Client) -> None:
    r = upload(client, INVALID, VALID)
    assert r.status_code == 200
    page = r.text
    assert_no_inline_code(page)
    # the HTML report (its own style sheet, rules only under .asw-report) under the form
    assert page.index('<form method="post"') < page.index('<div class="asw-report" id="report">')
    assert '<link rel="stylesheet" href="static/report.css">' in page
    assert "<li>Documents checked:<b>2</b></li>\n<li>Valid:<b>1</b></li>" in page
    assert '<a class="code" href="rules/AC013">AC013</a>' in page
    assert '<span class="l hit"><span class="n">49</span>' in page  # the XML around it
    assert "Place code &#x27;BANGKOK&#x27; is not a well-formed UN/LOCODE" in page
    assert "Exit code 1" in page
    assert r.headers["X-ASW-Valid"] == "false"


def test_pasted_xml_and_options_are_used(client: httpx.Client) -> None:
    cert = SAMPLES / "eformd" / "valid-mm-th-rubber-wo.xml"
    r = upload(client, xml=cert.read_text(encoding="utf-8"), on_date="2027-01-01")
    assert r.status_code == 200
    assert "pasted.xml" in r.text and "FD008" in r.text
    assert 'value="2027-01-01"' in r.text  # the chosen options stay chosen
    r = upload(client, VALID, fail_on="never", doctype="eformd")
    assert "DOC003" in r.text and "Exit code 0" in r.text


def test_mistakes_come_back_as_the_form_with_a_message(client: httpx.Client) -> None:
    r = upload(client)
    assert r.status_code == 422 and "no document in the request" in r.text
    r = upload(client, VALID, on_date="2027-02-30")
    assert r.status_code == 422
    assert '<p class="alert" role="alert">' in r.text and "<form" in r.text
    assert client.post("/", content=b"<a/>").status_code == 415


def test_text_from_a_document_is_escaped(client: httpx.Client) -> None:
    hostile = VALID.read_bytes().replace(
        b"<acdd:ID>THLCH</acdd:ID>", b"<acdd:ID><![CDATA[<i>x</i>]]></acdd:ID>"
    )
    assert hostile != VALID.read_bytes()
    r = client.post("/", files=[("files", ('<img src=x onerror="alert(2)">.xml', hostile))])
    assert r.status_code == 200
    assert "AC013" in r.text  # the message quotes the value
    assert "<i>x" not in r.text and "<img" not in r.text
    assert "&lt;i&gt;x&lt;/i&gt;" in r.text
    assert "&lt;img src=x onerror=%22alert(2)%22&gt;.xml" in r.text  # quotes sent as %22
    assert_no_inline_code(r.text)


def test_rule_pages_explain_each_code(client: httpx.Client) -> None:
    r = client.get("/rules/AC013")
    assert r.status_code == 200
    assert "UN/ECE Recommendation 16" in r.text and "Fails" in r.text
    assert '<link rel="stylesheet" href="../static/app.css">' in r.text
    assert_no_inline_code(r.text)
    assert client.get("/rules/ZZ999").status_code == 404
    listing = client.get("/rules")
    assert '<a class="rule-code" href="rules/FD003">FD003</a>' in listing.text


# ----- the token -----


def test_with_a_token_the_api_wants_it_as_a_bearer_and_health_does_not(
    guarded: httpx.Client,
) -> None:
    for path in ("/v1/rules", "/v1/schemas", "/v1/samples", "/metrics", "/openapi.json"):
        r = guarded.get(path)
        assert r.status_code == 401, path
        assert r.headers["WWW-Authenticate"] == "Bearer"
        assert guarded.get(path, headers={"Authorization": "Bearer wrong"}).status_code == 401
        ok = guarded.get(path, headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 200, path
    post = guarded.post("/v1/validate", content=b"<a/>", headers={"Content-Type": "text/xml"})
    assert post.status_code == 401
    for path in ("/healthz", "/readyz"):
        assert guarded.get(path).status_code == 200


def test_with_a_token_the_page_asks_for_it_then_remembers_the_browser(
    guarded: httpx.Client,
) -> None:
    form = guarded.get("/")
    assert form.status_code == 200  # the empty form: where the token is typed
    assert '<input type="password" id="token" name="token"' in form.text
    assert guarded.get("/rules/AC013").status_code == 401
    refused = upload(guarded, INVALID, token="wrong")
    assert refused.status_code == 401 and "AC013" not in refused.text
    assert guarded.cookies.get(SESSION_COOKIE) is None
    accepted = upload(guarded, INVALID, token=TOKEN)
    assert accepted.status_code == 200 and "AC013" in accepted.text
    cookie = accepted.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert TOKEN not in cookie
    assert guarded.get("/rules/AC013").status_code == 200  # the cookie, not the token
    assert upload(guarded, VALID).status_code == 200
    assert guarded.get("/v1/rules").status_code == 401  # the API takes only the bearer
    guarded.cookies.clear()
    assert guarded.get("/rules/AC013").status_code == 401


def test_the_token_comes_from_the_environment_or_a_file(tmp_path: Path) -> None:
    assert read_token(None, {}) is None
    assert read_token(None, {TOKEN_ENV: f" {TOKEN}\n"}) == TOKEN
    file = tmp_path / "token"
    file.write_text(f"{TOKEN}\nignored\n")
    file.chmod(0o600)
    assert read_token(file, {}) == TOKEN
    with pytest.raises(ServiceSettingsError, match="use one"):
        read_token(file, {TOKEN_ENV: TOKEN})
    file.write_text("\n")
    with pytest.raises(ServiceSettingsError, match="empty"):
        read_token(file, {})
    with pytest.raises(ServiceSettingsError, match="cannot read"):
        read_token(tmp_path / "missing", {})
    with pytest.raises(ServiceSettingsError, match="at least 16"):
        ServiceSettings(token="short")
    assert TOKEN not in repr(ServiceSettings(token=TOKEN))


def test_a_wrong_token_is_refused_before_the_documents_are_read(guarded: httpx.Client) -> None:
    boundary = "t0ken"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="token"\r\n\r\nwrong\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="big.xml"\r\n'
        "Content-Type: application/xml\r\n\r\n<a>"
    ).encode()

    def body() -> Iterator[bytes]:  # 100 MB that never need to be sent
        yield head
        for _ in range(1600):
            yield b"x" * 65536

    r = guarded.post(
        "/", content=body(), headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    assert r.status_code == 401  # not 413: refused at the token, before the file
    assert "The access token is wrong or missing." in r.text
    no_token = guarded.post("/", files=[("files", ("a.xml", VALID.read_bytes()))])
    assert no_token.status_code == 401


def test_the_page_speaks_the_language_asked_or_the_browsers(client: httpx.Client) -> None:
    vi = client.get("/?lang=vi")
    assert '<html lang="vi">' in vi.text and '<option value="vi" selected>' in vi.text
    browser = client.get("/", headers={"Accept-Language": "km-KH,km;q=0.9,en;q=0.5"})
    assert '<html lang="km">' in browser.text
    assert '<html lang="en">' in client.get("/?lang=xx").text  # an unknown lang: English
    report = upload(client, SAMPLES / "acdd" / "invalid-unit-pcs.xml", lang="th")
    assert '<html lang="th">' in report.text
    assert '<div class="asw-report" id="report" lang="th">' in report.text
    assert 'href="rules/AC010?lang=th"' in report.text  # rule links keep the language
