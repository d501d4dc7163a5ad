"""Messages in Vietnamese, Thai, Khmer, Lao and Burmese: complete, faithful, consistent, fresh.

Every message the tool may write (``tools/i18n.py extract``) is translated in every language;
a translation keeps its source's placeholders exactly, is not the English text, is written in
its language's script, and renders every glossary term the glossary's way. The template and
the compiled catalogues are what the sources and the ``.po`` files give.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from click.testing import CliRunner

from asw_validator import cli
from asw_validator.i18n import (
    LANGUAGES,
    Localizer,
    T,
    UnknownLanguageError,
    language_of,
    placeholders,
    select_language,
)

from .conftest import REPO, SAMPLES

sys.path.insert(0, str(REPO))
from tools import i18n as tool

TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]
#: A character of each language's script (Vietnamese: a letter with its diacritics).
SCRIPTS = {
    "km": re.compile("[\u1780-\u17ff]"),
    "lo": re.compile("[\u0e80-\u0eff]"),
    "my": re.compile("[\u1000-\u109f]"),
    "th": re.compile("[\u0e00-\u0e7f]"),
    "vi": re.compile(
        "[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE
    ),
}
_WORDS = re.compile(r"[A-Za-z]{2,}")


def _catalog(language: str) -> Catalog:
    with tool.po_path(language).open("rb") as fh:
        return read_po(fh, locale=language)


def _template() -> Catalog:
    with tool.POT.open("rb") as fh:
        return read_po(fh)


def _has_words(msgid: str) -> bool:
    """Whether a message says anything in words (``", "`` and ``{tool} {version}`` do not)."""
    return bool(_WORDS.search(re.sub(r"\{[^}]*\}", "", msgid)))


def test_the_template_is_what_the_sources_give() -> None:
    fresh = {m for m, *_ in tool.messages()}
    committed = {m.id for m in _template() if m.id}
    assert fresh == committed, (
        f"run python tools/i18n.py all: new {sorted(fresh - committed)[:5]},"
        f" gone {sorted(committed - fresh)[:5]}"
    )


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated(language: str) -> None:
    template = {m.id for m in _template() if m.id}
    catalog = _catalog(language)
    present = {m.id for m in catalog if m.id}
    assert template <= present, f"run tools/i18n.py update: {sorted(template - present)[:5]}"
    missing = [m.id for m in catalog if m.id in template and not m.string]
    assert not missing, f"{len(missing)} not translated, e.g. {missing[:3]}"
    fuzzy = [m.id for m in catalog if m.id in template and m.fuzzy]
    assert not fuzzy, f"fuzzy entries are not used: {fuzzy[:3]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_their_placeholders(language: str) -> None:
    wrong = [
        (m.id, m.string)
        for m in _catalog(language)
        if m.id and m.string and placeholders(str(m.id)) != placeholders(str(m.string))
    ]
    assert not wrong, f"{len(wrong)} translations change their placeholders: {wrong[:3]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_are_in_their_language(language: str) -> None:
    same, latin = [], []
    for m in _catalog(language):
        if not (m.id and m.string and _has_words(str(m.id))):
            continue
        if m.string == m.id:
            same.append(m.id)
        elif not SCRIPTS[language].search(str(m.string)):
            latin.append((m.id, m.string))
    assert not same, f"{len(same)} translations are the English text: {same[:3]}"
    assert not latin, f"{len(latin)} translations hold no {language} script: {latin[:3]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_glossary_is_the_single_source_of_terms(language: str) -> None:
    glossary = tomllib.loads(
        (tool.LOCALE / "glossary" / f"{language}.toml").read_text("utf-8")
    ).get("terms", {})
    assert len(glossary) >= 15, "a glossary names the domain's terms"
    off = []
    for m in _catalog(language):
        if not (m.id and m.string):
            continue
        words = re.sub(r"\{[^}]*\}", " ", str(m.id))  # a placeholder's name is no term
        for term, rendering in glossary.items():
            used = re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", words, re.IGNORECASE)
            if used and rendering.casefold() not in str(m.string).casefold():
                off.append((term, m.id, m.string))
    assert not off, f"{len(off)} messages render a term otherwise: {off[:3]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalogue_headers_say_how_they_were_made(language: str) -> None:
    header = _catalog(language).header_comment
    assert "How made:" in header and "Reviewed by:" in header


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalogues_are_fresh(language: str) -> None:
    committed = tool.po_path(language).with_suffix(".mo").read_bytes()
    assert committed == tool.compiled(language), "run python tools/i18n.py compile"


# ----- selection -----


@pytest.mark.parametrize(
    ("value", "language"),
    [("km_KH.UTF-8", "km"), ("vi-VN", "vi"), ("C", "en"), ("POSIX", "en"), ("fr_FR", None)],
)
def test_locale_names_are_read(value: str, language: str | None) -> None:
    assert language_of(value) == language


def test_the_language_comes_from_the_option_then_the_environment() -> None:
    assert select_language("th", {"LANG": "km_KH.UTF-8"}) == "th"
    env = {"ASW_VALIDATOR_LANG": "lo", "LC_ALL": "km_KH.UTF-8", "LANG": "vi_VN.UTF-8"}
    assert select_language(None, env) == "lo"
    assert select_language(None, {"LC_ALL": "km_KH.UTF-8", "LANG": "vi_VN.UTF-8"}) == "km"
    assert select_language(None, {"LC_MESSAGES": "my_MM", "LANG": "vi_VN"}) == "my"
    assert select_language(None, {"LANG": "fr_FR.UTF-8"}) == "en"
    assert select_language(None, {}) == "en"
    with pytest.raises(UnknownLanguageError):
        select_language("fr")


# ----- what a report says -----


def test_document_values_stay_verbatim_and_the_tools_numbers_are_localised() -> None:
    loc = Localizer("vi")
    text = loc.format(
        "Item {n} of {total}: {value!r} on {day}",
        {"n": 12000, "total": 12000, "value": "2568-03-12", "day": "2568-03-12"},
    )
    assert "'2568-03-12'" in text and "2568-03-12" in text  # a Buddhist-era date as written
    assert "12.000" in text  # the tool's number in the Vietnamese form


class _Broken:
    """A catalogue whose translation renamed a placeholder."""

    def gettext(self, message: str) -> str:
        return message.replace("{n}", "{count}") + " (km)"


def test_a_translation_that_breaks_its_placeholders_gives_the_english_text() -> None:
    loc = Localizer("km")
    loc._translations = _Broken()  # type: ignore[assignment]
    assert loc.format("Item {n} is wrong", {"n": 3}) == "Item 3 is wrong"
    assert loc.format("All is wrong", {}) == "All is wrong (km)"
    term = T("the net weight of item {n}", n=3)
    assert str(term) == "the net weight of item 3"
    assert loc.format("The {what} is zero", {"what": term}) == (
        "The the net weight of item 3 is zero (km)"  # the term's translation broke: English
    )


def test_the_cli_speaks_khmer_with_the_same_codes_and_exit_code() -> None:
    runner = CliRunner()
    english = runner.invoke(cli.main, ["validate", "--format", "json", str(SAMPLES / "acdd")])
    khmer = runner.invoke(
        cli.main, ["validate", "--format", "json", "--lang", "km", str(SAMPLES / "acdd")]
    )
    assert english.exit_code == khmer.exit_code == 1
    en, km = json.loads(english.stdout), json.loads(khmer.stdout)
    assert [[f["code"] for f in d["findings"]] for d in en["documents"]] == [
        [f["code"] for f in d["findings"]] for d in km["documents"]
    ]
    findings = [f for d in km["documents"] for f in d["findings"]]
    assert all(f["locale"] == "km" for f in findings)
    assert [f["message"] for d in en["documents"] for f in d["findings"]] == [
        f["message"] for f in findings
    ]  # the English message stays
    khmer_script = SCRIPTS["km"]
    localized = [f["message_localized"] for f in findings if f["code"][:3] not in ("XSD",)]
    assert sum(bool(khmer_script.search(m)) for m in localized) == len(localized)
    text = runner.invoke(cli.main, ["validate", "--lang", "km", str(SAMPLES / "acdd")])
    assert text.exit_code == 1 and khmer_script.search(text.stdout)


def test_the_language_has_a_configuration_key(tmp_path: Path) -> None:
    (tmp_path / ".asw-validator.toml").write_text('lang = "th"\n')
    sample = SAMPLES / "acdd" / "invalid-port-of-discharge-name.xml"
    r = CliRunner().invoke(
        cli.main, ["validate", "--config", str(tmp_path / ".asw-validator.toml"), str(sample)]
    )
    assert r.exit_code == 1 and SCRIPTS["th"].search(r.stdout)
