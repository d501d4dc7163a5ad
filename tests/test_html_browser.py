"""The HTML report in a real browser: headless Chromium renders it offline, loading nothing.

Skipped on a machine without Chromium, except under ``CI=true``, where it must run (``.ci/run``
installs chromium, chromium-driver and fonts-noto-core when they are missing). The
screenshot is kept in ``tests/artifacts/`` (git-ignored) for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from asw_validator import cli

from .conftest import ARTIFACTS, CHROMIUM, DRIVER, REPO

pytestmark = pytest.mark.skipif(
    (CHROMIUM is None or not Path(DRIVER).exists()) and os.environ.get("CI") != "true",
    reason="no chromium / chromedriver here (under CI=true this fails instead)",
)

#: A run a trainer would show: errors, a warning, a missing element, Thai script in the XML,
#: an escaped e-Phyto certificate (every finding on the Content line), a binary file and a
#: valid document.
SAMPLES = [
    "acdd/invalid-port-of-discharge-name.xml",
    "acdd/invalid-unit-kg-keg.xml",
    "acdd/invalid-issue-date-missing.xml",
    "eformd/info-description-thai-script.xml",
    "ephyto/invalid-reexport-without-original-hub.xml",
    "acdd/valid-vn-th-rice.xml",
]


def test_the_html_report_renders_offline_with_the_xml_of_each_finding(
    browser: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver

    assert isinstance(browser, WebDriver)
    monkeypatch.chdir(REPO)
    present = [s for s in SAMPLES if (REPO / "samples" / s).exists()]
    assert present == SAMPLES
    (tmp_path / "scan.xml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    page = tmp_path / "report.html"
    args = ["validate", "--format", "html", "-o", str(page), str(tmp_path / "scan.xml")]
    r = CliRunner().invoke(cli.main, [*args, *(f"samples/{s}" for s in SAMPLES)])
    assert r.exit_code == 1, r.output

    browser.get(page.as_uri())
    assert browser.title == "asw-validator report"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    # nothing was fetched: not a style sheet, font, image or script
    resources = browser.execute_script("return performance.getEntriesByType('resource').length")
    assert resources == 0
    assert browser.find_elements(By.TAG_NAME, "script") == []
    rows = browser.find_elements(By.CSS_SELECTOR, "section.summary tbody tr")
    assert len(rows) == 7
    findings = browser.find_elements(By.CSS_SELECTOR, "article.finding")
    assert len(findings) == 6  # XML010, AC013, AC011, XSD002, FD025, PH014
    hits = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "pre.xml span.hit")]
    assert any("BANGKOK" in h for h in hits), hits  # the finding's own line, highlighted
    assert any("<acdd:TotalGrossMassMeasure" in h for h in hits), hits  # where the missing one goes
    assert any("hub:Content" in h for h in hits), hits  # an escaped certificate: its Content line
    assert any("ข้าว" in h for h in hits), hits  # Thai script, shown as such
    font = browser.execute_script("return getComputedStyle(document.body).fontFamily")
    assert "Noto Sans Khmer" in font and "Noto Sans Myanmar" in font

    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1280, min(int(height) + 200, 12000))  # the whole page
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "html-report.png"
    assert browser.save_screenshot(str(shot))
    print(f"screenshot: {shot}")
