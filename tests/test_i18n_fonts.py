"""The HTML report in each language, rendered by headless Chromium with fonts that cover it.

For every language, a report of findings is written with ``--lang``, opened offline, and the
DevTools protocol is asked which platform fonts rendered each finding's message
(``CSS.getPlatformFontsForNode``): every font is a family of the report's declared stack, and
the family that covers the language's script (Noto Sans Khmer, Lao, Myanmar, Thai; Noto Sans
for Vietnamese) rendered glyphs, so no run fell back to another font (DejaVu) or to boxes. The
screenshots are kept in ``tests/artifacts/`` for a person to look at.

Needs Debian's chromium, chromium-driver and fonts-noto-core (``.ci/run`` installs them);
skipped without them, except under ``CI=true``, where it fails instead.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from asw_validator import cli
from asw_validator.reporters.html import FONTS

from .conftest import ARTIFACTS, CHROMIUM, DRIVER, REPO, SAMPLES

pytestmark = pytest.mark.skipif(
    (CHROMIUM is None or not Path(DRIVER).exists()) and os.environ.get("CI") != "true",
    reason="no chromium / chromedriver here (under CI=true this fails instead)",
)

DECLARED = {name.strip().strip('"') for name in FONTS.split(",")} - {"sans-serif"}
#: The family that must render each language's script.
COVERING = {
    "km": "Noto Sans Khmer",
    "lo": "Noto Sans Lao",
    "my": "Noto Sans Myanmar",
    "th": "Noto Sans Thai",
    "vi": "Noto Sans",
}
SCRIPT = {
    "km": "[\u1780-\u17ff]",
    "lo": "[\u0e80-\u0eff]",
    "my": "[\u1000-\u109f]",
    "th": "[\u0e00-\u0e7f]",
    "vi": "[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]",
}
#: Findings of several rules and a pipeline code, in one run.
REPORTED = [
    SAMPLES / "acdd" / "invalid-port-of-discharge-name.xml",
    SAMPLES / "acdd" / "invalid-unit-pcs.xml",
    SAMPLES / "eformd" / "invalid-fob-missing-mm-2015-wo.xml",
    SAMPLES / "acdd" / "invalid-elements-out-of-order.xml",
]


@pytest.mark.parametrize("language", sorted(COVERING))
def test_every_message_is_rendered_by_the_declared_fonts(
    language: str, browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    out = tmp_path / f"report-{language}.html"
    r = CliRunner().invoke(
        cli.main,
        ["validate", "--format", "html", "--lang", language, "-o", str(out), *map(str, REPORTED)],
    )
    assert r.exit_code == 1, r.output
    assert f'<html lang="{language}">' in out.read_text("utf-8")
    browser.get(out.as_uri())
    browser.execute_cdp_cmd("DOM.enable", {})
    browser.execute_cdp_cmd("CSS.enable", {})
    root = browser.execute_cdp_cmd("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    nodes = browser.execute_cdp_cmd(
        "DOM.querySelectorAll", {"nodeId": root, "selector": ".asw-report .message"}
    )["nodeIds"]
    assert len(nodes) >= 4
    script = re.compile(SCRIPT[language], re.IGNORECASE)
    covering_glyphs = 0
    for node in nodes:
        text = browser.execute_cdp_cmd("DOM.getOuterHTML", {"nodeId": node})["outerHTML"]
        fonts = browser.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        families = {f["familyName"] for f in fonts}
        assert families <= DECLARED, f"{families - DECLARED} rendered: {text[:120]}"
        if script.search(text):
            glyphs = sum(f["glyphCount"] for f in fonts if f["familyName"] == COVERING[language])
            assert glyphs > 0, f"{COVERING[language]} rendered nothing of {text[:120]}"
            covering_glyphs += glyphs
    assert covering_glyphs > 0, f"no message in the {language} script"
    ARTIFACTS.mkdir(exist_ok=True)
    browser.set_window_size(1280, 1600)
    browser.save_screenshot(str(ARTIFACTS / f"i18n-{language}.png"))
