"""The service's HTTP API, against the app with real workers (httpx to a real uvicorn).

The report is the CLI's, byte for byte; every status the API documents is reached; a stuck
or dead worker is replaced and its request is a 500 that never says "valid".
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import re
import time
from collections.abc import Iterator

import httpx
import pytest
from click.testing import CliRunner

from asw_validator import cli
from asw_validator.engine import Settings
from asw_validator.reporters import REPORTERS
from asw_validator.service.api import MEDIA_TYPES
from asw_validator.service.settings import ServiceSettings

from . import service_tasks
from .conftest import REPO, SAMPLES
from .service_support import app_of, running, service_of

LIMIT = 256 * 1024
SETTINGS = ServiceSettings(
    validation=Settings(max_bytes=LIMIT),
    workers=1,
    queue=2,
    max_request_bytes=2 * LIMIT,
    max_files=5,
    time_limit=3,
    read_timeout=5,
)
INVALID = "samples/acdd/invalid-port-of-discharge-name.xml"
VALID = "samples/acdd/valid-vn-th-rice.xml"
XML = {"Content-Type": "application/xml"}


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with running(SETTINGS, task=service_tasks.misbehave) as c:
        yield c


def cli_report(monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    monkeypatch.chdir(REPO)
    r = CliRunner().invoke(cli.main, ["validate", "--jobs", "1", *args])
    return r.exit_code, r.stdout


def post_file(client: httpx.Client, path: str, **params: str) -> object:
    return client.post(
        "/v1/validate",
        content=(REPO / path).read_bytes(),
        headers=XML,
        params={"filename": path, **params},
    )


# ----- the same report as the CLI -----


def test_one_document_gets_the_cli_json_report_byte_for_byte(
    client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, expected = cli_report(monkeypatch, "--format", "json", INVALID)
    r = post_file(client, INVALID)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert r.text == expected
    assert r.headers["X-ASW-Valid"] == "false"
    assert r.headers["X-ASW-Exit-Code"] == str(code) == "1"
    assert json.loads(r.text)["documents"][0]["findings"][0]["code"] == "AC013"


def test_several_documents_are_validated_together_as_the_cli_does(
    client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = [
        "samples/eformd/invalid-duplicate-reference-tuna.xml",
        "samples/eformd/invalid-duplicate-reference-starch.xml",
    ]
    code, expected = cli_report(monkeypatch, "--format", "json", *names)
    files = [("files", (n, (REPO / n).read_bytes(), "application/xml")) for n in names]
    r = client.post("/v1/validate", files=files)
    assert r.status_code == 200
    assert r.text == expected
    assert [f["code"] for d in json.loads(r.text)["documents"] for f in d["findings"]] == [
        "BT001",
        "BT001",
    ]  # cross-document: each names the other
    assert r.headers["X-ASW-Exit-Code"] == str(code) == "0"


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_every_report_format_is_the_clis(
    client: httpx.Client, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    _, expected = cli_report(monkeypatch, "--format", fmt, INVALID)
    r = post_file(client, INVALID, format=fmt)
    assert r.status_code == 200
    assert r.text == expected
    assert r.headers["content-type"] == MEDIA_TYPES.get(fmt, "text/plain; charset=utf-8")


def test_the_html_report_may_style_itself_and_nothing_else_may(client: httpx.Client) -> None:
    r = post_file(client, INVALID, format="html")
    style = re.search(r"<style>(.*?)</style>", r.text, re.DOTALL)
    assert style is not None
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    csp = r.headers["Content-Security-Policy"]
    assert f"style-src 'self' 'sha256-{digest}';" in csp
    assert "unsafe-inline" not in csp and "script-src 'self';" in csp


def test_options_change_the_verdict_as_on_the_command_line(
    client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    cert = "samples/eformd/valid-mm-th-rubber-wo.xml"
    code, expected = cli_report(monkeypatch, "--format", "json", "--on-date", "2027-01-01", cert)
    r = post_file(client, cert, on_date="2027-01-01")
    assert r.text == expected and "FD008" in r.text
    assert r.headers["X-ASW-Exit-Code"] == str(code) == "1"
    never = post_file(client, cert, on_date="2027-01-01", fail_on="never")
    assert never.headers["X-ASW-Exit-Code"] == "0"
    assert never.headers["X-ASW-Valid"] == "false"  # the verdict does not change
    wrong_type = post_file(client, VALID, doctype="eformd")
    assert "DOC003" in wrong_type.text


def test_a_valid_document_is_a_200_with_the_valid_header(client: httpx.Client) -> None:
    r = post_file(client, VALID)
    assert r.status_code == 200
    assert r.headers["X-ASW-Valid"] == "true"
    assert r.headers["X-ASW-Exit-Code"] == "0"


def test_without_a_filename_the_body_is_labelled_body(client: httpx.Client) -> None:
    r = client.post("/v1/validate", content=(REPO / VALID).read_bytes(), headers=XML)
    assert json.loads(r.text)["documents"][0]["path"] == "<body>"


# ----- hostile input is a report, not a failure -----


def test_an_external_entity_is_refused_and_never_read(client: httpx.Client) -> None:
    body = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>'
    r = client.post("/v1/validate", content=body, headers=XML)
    assert r.status_code == 200
    codes = [f["code"] for f in r.json()["documents"][0]["findings"]]
    assert codes == ["XML003"]
    assert "root:" not in r.text


def test_garbage_and_emptiness_are_findings(client: httpx.Client) -> None:
    for body, code in ((b"\x00\xff garbage", None), (b"", "XML001"), (b"<a><b></a>", "XML002")):
        r = client.post("/v1/validate", content=body, headers=XML)
        assert r.status_code == 200
        assert r.headers["X-ASW-Valid"] == "false"
        found = [f["code"] for f in r.json()["documents"][0]["findings"]]
        assert found and found[0].startswith("XML")
        if code:
            assert found == [code]


# ----- the statuses the API documents -----


def test_wrong_media_type_is_415(client: httpx.Client) -> None:
    r = client.post("/v1/validate", content=b"<a/>", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["status"] == 415


@pytest.mark.parametrize(
    "params",
    [
        {"doctype": "invoice"},
        {"format": "pdf"},
        {"fail_on": "sometimes"},
        {"on_date": "2027-02-30"},
        {"on_date": "2305-01-01"},
        {"filename": "a\nb.xml"},
        {"filename": "x" * 256},
    ],
)
def test_bad_parameters_are_422(client: httpx.Client, params: dict[str, str]) -> None:
    r = client.post("/v1/validate", content=b"<a/>", headers=XML, params=params)
    assert r.status_code == 422, r.text
    assert r.json()["title"] == "Bad parameters"


def test_a_multipart_request_without_a_document_or_with_a_form_field_is_422(
    client: httpx.Client,
) -> None:
    assert client.post("/v1/validate", files={"x": ("", b"")}).status_code == 422
    r = client.post(
        "/v1/validate",
        files={"files": ("a.xml", b"<a/>")},
        data={"doctype": "acdd"},
    )
    assert r.status_code == 422
    assert "query parameters" in r.json()["detail"]


def test_a_broken_multipart_body_is_400(client: httpx.Client) -> None:
    no_boundary = {"Content-Type": "multipart/form-data"}
    assert client.post("/v1/validate", content=b"x", headers=no_boundary).status_code == 400
    cut = b'--b\r\nContent-Disposition: form-data; name="files"; filename="a.xml"\r\n\r\n<a/>'
    r = client.post(
        "/v1/validate", content=cut, headers={"Content-Type": "multipart/form-data; boundary=b"}
    )
    assert r.status_code == 400


def test_over_the_size_limit_is_413(client: httpx.Client) -> None:
    big = b"<a>" + b"x" * LIMIT + b"</a>"
    r = client.post("/v1/validate", content=big, headers=XML)
    assert r.status_code == 413
    assert "the body is larger" in r.json()["detail"]  # its Content-Length said so
    one = client.post("/v1/validate", files={"files": ("big.xml", big)})
    assert one.status_code == 413
    assert "a document is larger" in one.json()["detail"]
    many = [("files", (f"{i}.xml", b"<a/>")) for i in range(SETTINGS.max_files + 1)]
    assert client.post("/v1/validate", files=many).status_code == 413


def test_a_body_without_a_length_is_counted_as_it_comes(client: httpx.Client) -> None:
    def chunks(total: int) -> Iterator[bytes]:  # chunked: no Content-Length to trust
        for _ in range(total):
            yield b"x" * 65536

    r = client.post("/v1/validate", content=chunks(2 * LIMIT // 65536 + 4), headers=XML)
    assert r.status_code == 413
    assert "the document is larger" in r.json()["detail"]
    half = b"<a>" + b"x" * (LIMIT - 100) + b"</a>"
    parts = httpx.Client().build_request(
        "POST", "http://x", files=[("files", (f"{i}.xml", half)) for i in range(3)]
    )
    body = parts.read()
    r = client.post(
        "/v1/validate",
        content=(body[i : i + 65536] for i in range(0, len(body), 65536)),
        headers={"Content-Type": parts.headers["Content-Type"]},
    )
    assert r.status_code == 413
    assert "the request is larger" in r.json()["detail"]


def test_the_body_is_refused_before_it_is_read_whole(client: httpx.Client) -> None:
    app = app_of(client)
    read = 0

    async def receive() -> dict[str, object]:
        nonlocal read
        read += 1
        return {"type": "http.request", "body": b"x" * 65536, "more_body": read < 1000}

    sent: list[dict[str, object]] = []

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v1/validate",
        "raw_path": b"/v1/validate",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"content-type", b"application/xml"), (b"host", b"test")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 413
    assert read == LIMIT // 65536 + 1  # one chunk past the limit, of 1,000 offered


def test_the_queue_full_is_429(client: httpx.Client) -> None:
    pool = service_of(client).pool
    assert pool is not None
    taken = 0
    try:
        while True:  # every place taken, as by requests in flight
            try:
                pool.take()
            except Exception:
                break
            taken += 1
        assert taken == SETTINGS.workers + SETTINGS.queue
        r = client.post("/v1/validate", content=b"<a/>", headers=XML)
        assert r.status_code == 429
        assert r.json()["title"] == "Too many requests"
    finally:
        for _ in range(taken):
            pool.give_back()
    assert client.post("/v1/validate", content=b"<a/>", headers=XML).status_code == 200


def test_shutting_down_is_503_and_not_ready(client: httpx.Client) -> None:
    service = service_of(client)
    service.draining = True
    try:
        r = client.post("/v1/validate", content=b"<a/>", headers=XML)
        assert r.status_code == 503
        assert client.get("/readyz").status_code == 503
        assert client.get("/healthz").status_code == 200
    finally:
        service.draining = False


def test_a_stuck_worker_is_replaced_and_its_request_is_a_500_not_known_valid(
    client: httpx.Client,
) -> None:
    r = client.post("/v1/validate", content=b"<a/>", headers=XML, params={"filename": "hang.xml"})
    assert r.status_code == 500
    body = r.json()
    assert body["valid"] is False
    assert "time limit of 3 seconds" in body["detail"]
    assert "NOT known valid" in body["detail"]
    assert "Traceback" not in r.text
    assert r.headers["X-ASW-Valid"] == "false"
    after = post_file(client, VALID)  # a new worker took its place
    assert after.status_code == 200 and after.headers["X-ASW-Valid"] == "true"
    assert "asw_validator_workers_replaced_total 1.0" in client.get("/metrics").text


def test_a_worker_that_dies_is_replaced_and_its_request_is_a_500(client: httpx.Client) -> None:
    r = client.post("/v1/validate", content=b"<a/>", headers=XML, params={"filename": "crash.xml"})
    assert r.status_code == 500
    assert r.json()["valid"] is False
    assert "exit code 7" in r.json()["detail"]
    assert post_file(client, VALID).headers["X-ASW-Valid"] == "true"


# ----- rules, schemas, samples, health, metrics, OpenAPI -----


def test_rules_list_and_explain_as_json(client: httpx.Client) -> None:
    rules = client.get("/v1/rules").json()
    codes = {r["code"] for r in rules["rules"]}
    assert {"AC013", "FD003", "VN001", "BT001"} <= codes
    assert "XML003" in {c["code"] for c in rules["pipeline_codes"]}
    vn = client.get("/v1/rules", params={"country": "vn"}).json()["rules"]
    assert vn and all("VN" in r["countries"] or r["pack"] == "VN" for r in vn)
    ac013 = client.get("/v1/rules/ac013").json()
    assert ac013["code"] == "AC013" and ac013["kind"] == "rule"
    assert "UN/ECE Recommendation 16" in ac013["basis"]
    assert "Fails" in ac013["description"] and "Passes" in ac013["description"]
    assert client.get("/v1/rules/XML003").json()["kind"] == "pipeline"
    assert client.get("/v1/rules/TH003").json()["kind"] == "retired"
    assert client.get("/v1/rules/ZZ999").status_code == 404


def test_explain_json_says_what_the_cli_prints(client: httpx.Client) -> None:
    printed = CliRunner().invoke(cli.main, ["explain", "VN005"]).stdout
    data = client.get("/v1/rules/VN005").json()
    for key in ("name", "severity", "basis", "runs_when"):
        assert str(data[key]) in printed
    assert data["description"].splitlines()[0] in printed


def test_schemas_are_those_reports_name(client: httpx.Client) -> None:
    rows = {s["doctype"]: s for s in client.get("/v1/schemas").json()["schemas"]}
    report = post_file(client, VALID).json()
    assert rows["acdd"]["schema"] == report["schemas"][0]
    assert rows["wco-declaration"]["schema"] is None  # no XSD layer


def test_samples_are_the_catalogue_and_its_files(client: httpx.Client) -> None:
    listed = client.get("/v1/samples").json()["samples"]
    files = {s["file"] for s in listed}
    assert files == {p.relative_to(SAMPLES).as_posix() for p in SAMPLES.rglob("*.xml")}
    rice = next(s for s in listed if s["file"] == "acdd/valid-vn-th-rice.xml")
    assert rice["valid"] is True and "rice" in rice["story"]
    r = client.get("/v1/samples/acdd/valid-vn-th-rice.xml")
    assert r.status_code == 200
    assert r.content == (SAMPLES / "acdd" / "valid-vn-th-rice.xml").read_bytes()
    assert r.headers["content-type"] == "application/xml"
    for name in ("acdd/../catalog.toml", "..%2Fpyproject.toml", "nope.xml"):
        assert client.get(f"/v1/samples/{name}").status_code == 404


def test_metrics_count_requests_durations_and_findings(client: httpx.Client) -> None:
    post_file(client, INVALID)
    text = client.get("/metrics").text
    assert 'asw_validator_findings_total{code="AC013"}' in text
    assert (
        'asw_validator_http_requests_total{method="POST",route="/v1/validate",status="200"}' in text
    )
    assert (
        'asw_validator_http_request_duration_seconds_bucket{le="0.1",route="/v1/validate"}' in text
    )
    assert 'asw_validator_documents_total{valid="false"}' in text


def test_openapi_documents_the_api_and_its_statuses(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    validate = spec["paths"]["/v1/validate"]["post"]
    assert set(validate["responses"]) >= {"200", "413", "415", "422", "429", "500", "503"}
    assert set(validate["requestBody"]["content"]) >= {"application/xml", "multipart/form-data"}
    assert "X-ASW-Valid" in validate["responses"]["200"]["headers"]
    params = {p["name"] for p in validate["parameters"]}
    assert params == {"doctype", "on_date", "fail_on", "format", "filename", "lang"}
    for path in ("/v1/rules", "/v1/rules/{code}", "/v1/schemas", "/v1/samples", "/healthz"):
        assert path in spec["paths"]
    assert client.get("/docs").status_code == 404  # its scripts would come from a CDN


def test_the_readme_lists_every_route_and_status(client: httpx.Client) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Service") : readme.index("## Security")]
    listed = set(re.findall(r"`(GET|POST) (/[^`]*)`", section))
    spec = client.get("/openapi.json").json()
    served = {(m.upper(), path) for path, ops in spec["paths"].items() for m in ops}
    assert listed == served | {("GET", "/openapi.json")}  # the document does not list itself
    statuses = set(spec["paths"]["/v1/validate"]["post"]["responses"]) - {"200"}
    assert {s for s in re.findall(r"^\| (\d{3}) \|", section, re.M)} == statuses


# ----- the edge: request ids, headers, access log -----


def test_request_ids_and_security_headers(client: httpx.Client) -> None:
    r = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert r.headers["X-Request-ID"] == "abc-123"
    other = client.get("/healthz", headers={"X-Request-ID": "no spaces <please>"})
    assert len(other.headers["X-Request-ID"]) == 32
    csp = r.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_access_log_has_the_request_id_and_no_message_content(client: httpx.Client) -> None:
    end = b"</acdd:Declaration>"
    body = (REPO / VALID).read_bytes().replace(end, b"<!--SECRET-42-->\n" + end)
    records: list[logging.LogRecord] = []
    catch = logging.Handler()
    catch.emit = records.append  # type: ignore[method-assign]
    access = logging.getLogger("asw_validator.service.access")
    level = access.level
    access.addHandler(catch)
    access.setLevel(logging.INFO)
    try:
        r = client.post(
            "/v1/validate",
            content=body,
            headers={**XML, "X-Request-ID": "req-7"},
            params={"filename": "private-name.xml"},
        )
        deadline = time.monotonic() + 5  # the entry is written once the response is sent
        while not any(isinstance(x.msg, dict) and x.msg["request_id"] == "req-7" for x in records):
            assert time.monotonic() < deadline, "no access log entry"
            time.sleep(0.01)
    finally:
        access.removeHandler(catch)
        access.setLevel(level)
    assert r.status_code == 200
    logged = [x.msg for x in records if isinstance(x.msg, dict)]
    entry = next(e for e in logged if e["request_id"] == "req-7")
    assert entry["status"] == 200 and entry["documents"] == 1 and entry["valid"] is True
    assert entry["route"] == "/v1/validate" and entry["duration_ms"] > 0
    text = repr(logged)
    assert "SECRET-42" not in text and "private-name" not in text


def test_an_unexpected_error_is_a_500_without_a_stack_trace(
    client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from asw_validator.service import api

    def broken(*args: object) -> object:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(api, "schema_info", broken)
    r = client.get("/v1/schemas")
    assert r.status_code == 500
    assert r.json()["valid"] is False
    assert "secret internals" not in r.text and "Traceback" not in r.text


def test_the_fail_on_parameter_takes_what_the_cli_takes() -> None:
    from typing import get_args

    from asw_validator.model import FAIL_ON
    from asw_validator.service.api import FailOn

    assert get_args(FailOn) == tuple(FAIL_ON)


# ----- languages -----


@pytest.mark.parametrize("fmt", ["json", "text", "html"])
def test_lang_gives_the_clis_report_in_that_language(
    client: httpx.Client, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    _, expected = cli_report(monkeypatch, "--format", fmt, "--lang", "km", INVALID)
    r = post_file(client, INVALID, format=fmt, lang="km")
    assert r.status_code == 200 and r.text == expected


def test_accept_language_chooses_the_words_of_a_human_report_only(
    client: httpx.Client,
) -> None:
    headers = {**XML, "Accept-Language": "fr-FR, lo-LA;q=0.8, th;q=0.5"}
    body = (REPO / INVALID).read_bytes()
    text = client.post("/v1/validate", content=body, headers=headers, params={"format": "text"})
    assert re.search("[\u0e80-\u0eff]", text.text)  # Lao, the best the tool speaks
    assert text.headers["Content-Language"] == "lo" and text.headers["Vary"] == "Accept-Language"
    machine = client.post("/v1/validate", content=body, headers=headers)  # json
    assert "locale" not in json.loads(machine.text)["documents"][0]["findings"][0]
    asked = post_file(client, INVALID, lang="km_KH")  # a locale name is a language too
    assert {f["locale"] for f in json.loads(asked.text)["documents"][0]["findings"]} == {"km"}


def test_unknown_routes_and_methods_are_problems_too(client: httpx.Client) -> None:
    for r in (client.get("/v1/nope"), client.get("/v1/validate")):
        assert r.status_code in (404, 405)
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["status"] == r.status_code


def test_an_unknown_lang_is_a_422(client: httpx.Client) -> None:
    r = post_file(client, INVALID, lang="fr")
    assert r.status_code == 422 and "lang" in r.json()["detail"]


def test_a_file_limit_below_the_check_sample_still_becomes_ready() -> None:
    small = ServiceSettings(validation=Settings(max_bytes=2000), workers=1)
    with running(small) as c:
        assert c.get("/readyz").status_code == 200
        big = post_file(c, VALID)  # 3 KB, above the limit: refused as too large, not a 503
        assert big.status_code == 413
