"""Shared test fixtures: repository paths, the shared reference data, a fixed clock."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from asw_validator import Validator

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_REFERENCE = REPO.parent / "shared" / "reference"
TODAY = dt.date(2026, 11, 23)

#: Tests that read ../shared/reference: skipped in a checkout without it, but under CI=true
#: they run and fail, so a missing reference never passes for a green build.
needs_shared_reference = pytest.mark.skipif(
    not SHARED_REFERENCE.is_dir() and os.environ.get("CI") != "true",
    reason="shared/reference not beside the repo (under CI=true this fails instead)",
)


@pytest.fixture(autouse=True)
def _not_under_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """``--format auto`` writes workflow commands under GitHub Actions; the tests expect the
    text the README shows, wherever they run."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


@pytest.fixture
def validator() -> Validator:
    return Validator(today=TODAY)


@pytest.fixture
def base_acdd() -> bytes:
    return (FIXTURES / "acdd_base.xml").read_bytes()


def load_tool(name: str) -> ModuleType:
    """A script of ``tools/`` imported as a module (``tools`` is not a package)."""
    spec = importlib.util.spec_from_file_location(name, REPO / "tools" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: Debian's Chromium and its driver, for the tests that look at pages in a real browser.
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
ARTIFACTS = REPO / "tests" / "artifacts"


def chromium(
    profile: Path, width: int = 1280, height: int = 900, *, javascript: bool = True
) -> Any:
    """Debian's headless Chromium through its own driver (never a downloaded one), offline,
    its profile in ``profile``; the caller quits it."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager: never fetch a driver
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM or "/usr/bin/chromium"
    for flag in (
        "--headless=new",
        "--no-sandbox",  # we may run as root
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        f"--window-size={width},{height}",
    ):
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(DRIVER), options=options)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    driver = chromium(tmp_path / "profile")
    try:
        yield driver
    finally:
        driver.quit()
