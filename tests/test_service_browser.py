"""The service's page in a real headless Chromium (Debian's chromium and chromedriver,
driven by Selenium; no browser or driver is downloaded): type the token, upload an invalid
sample, read its findings, follow a rule link; the same upload with JavaScript off; the page
on a phone's screen. The browser's console must hold no Content-Security-Policy violation.

Skipped on a machine without Chromium, except under ``CI=true``, where it must run (``.ci/run``
installs chromium, chromium-driver and fonts-noto-core when they are missing). Screenshots are
kept in ``tests/artifacts/`` (git-ignored) for a person to look at.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from asw_validator.service.settings import ServiceSettings

from .conftest import ARTIFACTS, CHROMIUM, DRIVER, SAMPLES, chromium
from .service_support import running

TOKEN = "browser-test-token-0123456789"
INVALID = SAMPLES / "acdd" / "invalid-port-of-discharge-name.xml"
WARNING = SAMPLES / "acdd" / "invalid-unit-kg-keg.xml"

pytestmark = pytest.mark.skipif(
    (CHROMIUM is None or not Path(DRIVER).exists()) and os.environ.get("CI") != "true",
    reason="no chromium / chromedriver here (under CI=true this fails instead)",
)

Browser = Callable[..., Any]


@pytest.fixture(scope="module")
def service() -> Iterator[httpx.Client]:
    with running(ServiceSettings(workers=1, token=TOKEN)) as client:
        yield client


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    """Start Chromium: ``browser(width, height, javascript=True)``; every one is quit."""
    started: list[Any] = []

    def start(width: int = 1280, height: int = 900, *, javascript: bool = True) -> Any:
        driver = chromium(
            tmp_path / f"profile-{len(started)}", width, height, javascript=javascript
        )
        driver.set_page_load_timeout(60)
        started.append(driver)
        return driver

    try:
        yield start
    finally:
        for driver in started:
            driver.quit()


def submitted(driver: Any) -> str:
    """Send the form and wait for the page that answers it: the report's text."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver.find_element(By.ID, "submit").click()
    WebDriverWait(driver, 30).until(ec.presence_of_element_located((By.ID, "report")))
    text: str = driver.find_element(By.ID, "report").text
    return text


def full_page(driver: Any, name: str) -> None:
    """A screenshot of the whole page, not only the window: the window is made as tall."""
    width, height = driver.get_window_size()["width"], driver.get_window_size()["height"]
    tall = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(tall + 200, 6000))
    driver.save_screenshot(str(ARTIFACTS / name))
    driver.set_window_size(width, height)


def csp_violations(driver: Any) -> list[str]:
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if "Content Security Policy" in entry["message"] or "Refused to" in entry["message"]
    ]


def test_upload_an_invalid_sample_read_its_findings_and_follow_a_rule_link(
    service: httpx.Client, browser: Browser
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    ARTIFACTS.mkdir(exist_ok=True)
    driver = browser()
    driver.get(str(service.base_url))
    driver.find_element(By.ID, "files").send_keys(f"{INVALID}\n{WARNING}")
    chosen = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#chosen li")]
    assert [c.split(" (")[0] for c in chosen] == [INVALID.name, WARNING.name]  # app.js ran
    driver.find_element(By.ID, "token").send_keys(TOKEN)
    report = submitted(driver)
    assert "Documents checked:2" in report and "Valid:1" in report
    assert "Place code 'BANGKOK' is not a well-formed UN/LOCODE" in report
    assert "AC011" in report
    driver.save_screenshot(str(ARTIFACTS / "service-report.png"))
    full_page(driver, "service-page.png")

    driver.find_element(By.LINK_TEXT, "AC013").click()
    WebDriverWait(driver, 30).until(ec.presence_of_element_located((By.ID, "code")))
    assert driver.current_url.endswith("/rules/AC013")
    page = driver.find_element(By.TAG_NAME, "main").text
    assert "locode-malformed" in page and "UN/ECE Recommendation 16" in page
    driver.save_screenshot(str(ARTIFACTS / "service-rule.png"))
    assert csp_violations(driver) == []


def test_the_upload_works_without_javascript(service: httpx.Client, browser: Browser) -> None:
    from selenium.webdriver.common.by import By

    driver = browser(javascript=False)
    driver.get(str(service.base_url))
    driver.find_element(By.ID, "files").send_keys(str(INVALID))
    assert driver.find_elements(By.CSS_SELECTOR, "#chosen li") == []  # no script ran
    driver.find_element(By.ID, "token").send_keys(TOKEN)
    report = submitted(driver)
    assert "AC013" in report and "Documents checked:1" in report


def test_the_page_fits_a_phone_screen(service: httpx.Client, browser: Browser) -> None:
    from selenium.webdriver.common.by import By

    driver = browser(390, 844)
    driver.get(str(service.base_url))
    driver.find_element(By.ID, "files").send_keys(str(INVALID))
    driver.find_element(By.ID, "token").send_keys(TOKEN)
    assert "AC013" in submitted(driver)
    width = driver.execute_script("return document.documentElement.scrollWidth")
    inner = driver.execute_script("return window.innerWidth")
    assert width <= inner, f"the page is {width} px wide on a {inner} px screen"
    driver.save_screenshot(str(ARTIFACTS / "service-phone.png"))
    assert csp_violations(driver) == []
