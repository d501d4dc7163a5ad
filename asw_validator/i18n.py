"""Messages in the trainees' languages: Vietnamese, Thai, Khmer, Lao, Burmese (and English).

What the tool writes in words is an English *template* with named placeholders: a rule's
``problem("HS code {value!r} of item {n} ...", loc, n=...)``, a pipeline code's message, a
label of the HTML report. A finding keeps its template and its parameters; a report in another
language formats the template's translation (a gettext catalogue per language, compiled from
``asw_validator/locale/<lang>/LC_MESSAGES/asw_validator.po``) with the same parameters:

- a parameter made by the tool in words is a ``T`` (a term: itself a template and parameters),
  translated the same way, recursively;
- a number the tool computed (``int``, ``Decimal``) and a date it writes itself (a ``Day``:
  today, a validity's end) are written the locale's way, with Babel's CLDR data (the OS rarely
  has ``km_KH`` or ``lo_LA``); a date read from the document stays ISO;
- anything else, above all a value quoted from the document, is written as it is, whatever the
  language: a Thai Buddhist-era year stays as the document has it.

Codes, XPaths, JSON keys and log events are never translated; machine formats keep the English
message and add the localised one. A translation that is missing, or that breaks its
placeholders, gives the English text: a report is never lost to a catalogue.
"""

from __future__ import annotations

import datetime as dt
import gettext
import os
import re
import string
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Finding

#: The languages the tool speaks: English (the source) and the five of the Mekong members'
#: customs and plant-protection trainees.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "vi": "Tiếng Việt",
    "th": "ภาษาไทย",
    "km": "ភាសាខ្មែរ",
    "lo": "ພາສາລາວ",
    "my": "မြန်မာဘာသာ",
}
DOMAIN = "asw_validator"
#: The catalogues: ``<lang>/LC_MESSAGES/asw_validator.po`` and its compiled ``.mo``.
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
#: Where a language comes from, in order: the option (and its configuration key), then
#: these environment variables (the locale's, as POSIX reads them), then English.
ENVIRONMENT = ("ASW_VALIDATOR_LANG", "LC_ALL", "LC_MESSAGES", "LANG")


class UnknownLanguageError(ValueError):
    """A language asked for by name (``--lang``) that the tool does not speak."""


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "mark for translation"
    """Marks ``message`` for extraction; translated where it is shown, not here."""
    return message


class T(str):
    """A term: words the tool passes as a template's parameter ("gross mass", "item 3's net
    weight"), translated with the template. Its English text is the string itself."""

    __slots__ = ("params", "template")
    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> T:
        term = super().__new__(cls, template.format(**params) if params else template)
        term.template = template
        term.params = params
        return term

    def __reduce__(self) -> tuple[Any, ...]:
        return (_term, (self.template, self.params))


class Day(dt.date):
    """A date the tool itself writes (today, the end of a validity it computed): in another
    language it is written the language's way. Any other date a finding gives comes from the
    document and is written as ISO, as the document writes it, in every language."""

    @classmethod
    def of(cls, day: dt.date) -> Day:
        return cls(day.year, day.month, day.day)


def _term(template: str, params: dict[str, Any]) -> T:
    return T(template, **params)


def _fold(items: Sequence[Any], pair: Callable[[Any, Any], T]) -> Any:
    if not items:
        return ""
    out = items[0]
    for item in items[1:]:
        out = pair(out, item)
    return out


def words_and(items: Sequence[Any]) -> Any:
    """``a and b and c`` as a term (each ``and`` translated); one item is itself."""
    return _fold(items, lambda a, b: T("{a} and {b}", a=a, b=b))


def words_or(items: Sequence[Any]) -> Any:
    """``a or b or c`` as a term (each ``or`` translated); one item is itself."""
    return _fold(items, lambda a, b: T("{a} or {b}", a=a, b=b))


def words_list(items: Sequence[Any]) -> Any:
    """``a, b, c`` as a term: a list of terms, each translated, in the language's list form."""
    return _fold(items, lambda a, b: T("{a}, {b}", a=a, b=b))


def language_of(value: str | None) -> str | None:
    """The language a locale name or language tag names, when the tool speaks it: ``km_KH.UTF-8``
    and ``km-KH`` are ``km``; ``C`` and ``POSIX`` are English; None when it speaks none."""
    if not value:
        return None
    base = re.split(r"[_.@-]", value.strip(), maxsplit=1)[0].lower()
    if base in ("c", "posix"):
        return "en"
    return base if base in LANGUAGES else None


def select_language(explicit: str | None = None, env: Mapping[str, str] = os.environ) -> str:
    """The report language: ``explicit`` (``--lang`` or the configuration's ``lang``), else the
    first of ``ENVIRONMENT`` that is set (``LANGUAGE``-style lists are not read), else English.

    An explicit language the tool does not speak is an error; an environment naming one it does
    not speak means English (a French terminal gets English, not an error)."""
    if explicit:
        found = language_of(explicit)
        if found is None:
            raise UnknownLanguageError(
                f"unknown language {explicit!r}; known: {', '.join(LANGUAGES)}"
            )
        return found
    for name in ENVIRONMENT:
        value = env.get(name)
        if value:
            return language_of(value) or "en"
    return "en"


@cache
def _catalogue(language: str) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with path.open("rb") as fh:
        return gettext.GNUTranslations(fh)


class Localizer:
    """Everything a report writes in one language."""

    def __init__(self, language: str) -> None:
        if language not in LANGUAGES:
            raise UnknownLanguageError(f"unknown language {language!r}")
        self.language = language
        self._translations = _catalogue(language)

    @property
    def english(self) -> bool:
        return self.language == "en"

    def gettext(self, message: str) -> str:
        """The translation of ``message``, or ``message`` itself."""
        return message if self.english else self._translations.gettext(message)

    def format(self, template: str, params: Mapping[str, Any]) -> str:
        """``template`` translated and filled with ``params`` written for the language; the
        English text when the translation does not fit its placeholders."""
        english = template.format(**params) if params else template
        if self.english:
            return english
        plain = _plain_fields(template)
        values = {k: self._param(v) if k in plain else v for k, v in params.items()}
        values = {k: self.term(v) if isinstance(v, T) else v for k, v in values.items()}
        try:
            return self.gettext(template).format(**values)
        except (KeyError, IndexError, ValueError, AttributeError):
            return english

    def message(self, finding: Finding) -> str:
        """A finding's message in the language (its English message when it has no template)."""
        if self.english or finding.template is None:
            return finding.message
        return self.format(finding.template, finding.params or {})

    def term(self, text: str) -> str:
        return self.format(text.template, text.params) if isinstance(text, T) else text

    def number(self, value: int | Decimal | float) -> str:
        if self.english:
            return str(value)
        from babel.numbers import format_decimal

        # every digit the tool computed (Babel would round to 3 decimals by default)
        return str(format_decimal(value, locale=self.language, decimal_quantization=False))

    def date(self, value: dt.date) -> str:
        """A date the tool writes: the language's medium form (ISO in English, as always)."""
        if self.english:
            return value.isoformat()
        from babel.dates import format_date

        return str(format_date(value, format="medium", locale=self.language))

    def _param(self, value: Any) -> Any:
        if isinstance(value, T):
            return self.term(value)
        if isinstance(value, (bool, str)):
            return value
        if isinstance(value, (int, Decimal)):
            return self.number(value)
        if isinstance(value, Day):  # the tool's own date; a document's stays ISO
            return self.date(value)
        return value


@cache
def _plain_fields(template: str) -> frozenset[str]:
    """The placeholders written without a conversion or format spec: only those take a number
    or a date in the language's form (``{pct:.1f}`` keeps its number)."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return frozenset()
    return frozenset(
        name for _, name, spec, conversion in parsed if name and not spec and not conversion
    )


def placeholders(template: str) -> list[str]:
    """Every ``{...}`` of ``template`` as written (name, conversion, spec), for the tests that
    keep translations faithful to their source."""
    out = []
    for _, name, spec, conversion in string.Formatter().parse(template):
        if name is not None:
            out.append(
                name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            )
    return sorted(out)


@cache
def localizer(language: str = "en") -> Localizer:
    return Localizer(language)


#: What a format does with a finding's text: its message in the report's language.
Speaker = Callable[["Finding"], str]
