"""Located values, the navigation helper every binder uses, and the bounded readers of numbers
and dates that every rule reads through.

Rules read ``Located`` leaves, never the tree. An absent element still gets a ``Located``:
its ``value`` is ``None``, its ``xpath`` is where it would be and its ``line`` is that of the
nearest element that exists, so "item missing" findings point somewhere useful.

A ``Located`` holds no lxml object: its path is a ``Path`` written out only when a finding
needs it, so a bound model outlives its tree and can be sent between processes. Numbers are
read once, here, by readers with fixed bounds: a value the schema accepts but no rule can
judge safely (a 40-digit weight, ``1E+1000000``, ``INF``) becomes one ``VAL001`` finding and
an unusable leaf, never an exception in a rule.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Generic, NamedTuple, TypeVar

from lxml import etree

from ..i18n import N_
from ..model import Finding, Severity
from ..work import WORK
from ..xpath import Locator, Path

#: XSD-flagged nodes: (element, attribute name or None for the element itself).
Flagged = frozenset[tuple[etree._Element, str | None]]


class Located:
    """A leaf value (element text or attribute) with where it is.

    ``present`` says the element/attribute exists; ``schema_error`` that this very node was
    already reported (by the XSD layer, or by a binder that could not read it), and
    ``out_of_range`` that it is a number no rule can judge (``VAL001``): rules leave such
    values alone (one problem, one finding). ``number`` is the value read by the bounded
    number readers, when the binder declared the leaf a number.

    A bound leaf keeps its parent's path and its own step (``step``: tag and index, index 0
    for an attribute) rather than a path object of its own: a declaration of 10,000 items has
    150,000 leaves, and their paths are written only for the few that end in a finding.
    """

    __slots__ = (
        "_index",
        "_tag",
        "_where",
        "line",
        "number",
        "out_of_range",
        "present",
        "schema_error",
        "value",
    )

    def __init__(
        self,
        value: str | None,
        xpath: str | Path,
        line: int | None,
        present: bool = True,
        schema_error: bool = False,
        *,
        number: int | Decimal | None = None,
        out_of_range: bool = False,
        step: tuple[str, int | None] | None = None,
    ) -> None:
        self.value = value
        self._where = xpath
        self.line = line
        self.present = present
        self.schema_error = schema_error
        self.number = number
        self.out_of_range = out_of_range
        self._tag: str | None = step[0] if step is not None else None
        self._index: int | None = step[1] if step is not None else None

    @property
    def path(self) -> Path | str:
        """Where the leaf is (a ``Path``, or the text given for a place made by a rule)."""
        if self._tag is None:
            return self._where
        index = self._index
        return Path(self._where, self._tag, index or None, attribute=index == 0)

    @property
    def xpath(self) -> str:
        """The node's XPath (written on first use)."""
        return str(self.path)

    @property
    def blank(self) -> bool:
        """Absent, empty or only white space."""
        return self.value is None or not self.value.strip()

    @property
    def usable(self) -> bool:
        """A value rules should judge: present, not blank, not already a finding."""
        return not self.blank and not self.schema_error and not self.out_of_range

    @property
    def text(self) -> str:
        """The value stripped of surrounding white space ("" when absent)."""
        return (self.value or "").strip()

    def _key(self) -> tuple[object, ...]:
        return (self.value, self.xpath, self.line, self.present, self.schema_error)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Located):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Located({self.value!r}, {self.xpath!r}, line={self.line})"

    def __getstate__(self) -> tuple[object, ...]:
        return (
            self._index,
            self._tag,
            self._where,
            self.line,
            self.number,
            self.out_of_range,
            self.present,
            self.schema_error,
            self.value,
        )

    def __setstate__(self, state: tuple[object, ...]) -> None:
        (
            self._index,
            self._tag,
            self._where,
            self.line,
            self.number,
            self.out_of_range,
            self.present,
            self.schema_error,
            self.value,
        ) = state  # type: ignore[assignment]

    def with_value(self, value: str | None, *, unusable: bool = False) -> Located:
        """The same place with another value: a binder that reads a datum into the model's
        form (an EDIFACT date as an ISO date), or marks it already reported (``unusable``)."""
        copy = self._with(number=None)
        copy.value = value
        if value is not None:
            copy.present = True
        copy.schema_error = copy.schema_error or unusable
        return copy

    def _with(self, *, number: int | Decimal | None = None, out_of_range: bool = False) -> Located:
        """The same leaf, read as a number (or found out of range)."""
        copy = Located.__new__(Located)
        for name in Located.__slots__:
            object.__setattr__(copy, name, getattr(self, name))
        copy.number = number
        copy.out_of_range = out_of_range
        return copy


# ----- bounded readers -----

#: Integers: at most this many digits after leading zeros (a sequence or item number).
MAX_INT_DIGITS = 18
#: Decimals: magnitude below 10**15 and no digit finer than 10**-12 (weights, amounts).
MAX_DECIMAL_EXPONENT = 14
MIN_DECIMAL_EXPONENT = -12
_ASCII_INT = re.compile(r"[+-]?[0-9]+")
_ASCII_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,6})?")
_SPECIAL = frozenset({"INF", "+INF", "-INF", "NAN", "INFINITY", "+INFINITY", "-INFINITY"})
BOUNDS_TEXT = (
    f"whole numbers up to {MAX_INT_DIGITS} digits; decimals below 10^{MAX_DECIMAL_EXPONENT + 1}"
    f" with at most {-MIN_DECIMAL_EXPONENT} decimal places; ASCII digits; no INF or NaN"
)


class Reading(NamedTuple):
    """A number read from text: its value, or why there is none."""

    value: int | Decimal | None
    out_of_range: bool = False


def read_int(text: str) -> Reading:
    """An integer written in ASCII digits (sign and leading zeros allowed), within bounds."""
    text = text.strip()
    if not _ASCII_INT.fullmatch(text):
        return Reading(None)
    sign = -1 if text[0] == "-" else 1
    digits = text.lstrip("+-").lstrip("0") or "0"
    if len(digits) > MAX_INT_DIGITS:
        return Reading(None, True)
    return Reading(sign * int(digits))


def read_decimal(text: str) -> Reading:
    """A decimal (xs:decimal, or xs:double with an exponent) within bounds.

    ``INF``/``NaN``, more than a few exponent digits, a magnitude of 10**15 or more, or a
    digit finer than 10**-12 are out of range: rules cannot judge them, and Decimal
    arithmetic on them would fail or take unbounded time.
    """
    text = text.strip()
    if text.upper() in _SPECIAL:
        return Reading(None, True)
    if not _ASCII_DECIMAL.fullmatch(text):
        huge = re.fullmatch(r"[+-]?[0-9.]+[eE][+-]?[0-9]+", text) is not None
        return Reading(None, huge)  # a 7+-digit exponent: out of range
    try:
        value = Decimal(text)
    except InvalidOperation:
        return Reading(None)
    if not value:
        return Reading(value)
    _sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    if value.adjusted() > MAX_DECIMAL_EXPONENT or exponent + trailing < MIN_DECIMAL_EXPONENT:
        return Reading(None, True)
    return Reading(value)


def as_decimal(loc: Located) -> Decimal | None:
    """The leaf as a Decimal, or None (absent, not a number, out of range, XSD finding)."""
    if isinstance(loc.number, Decimal):
        return loc.number
    if isinstance(loc.number, int):
        return Decimal(loc.number)
    if not loc.usable:
        return None
    found = read_decimal(loc.text).value
    return Decimal(found) if found is not None else None


def as_int(loc: Located) -> int | None:
    """The leaf as an int (ASCII digits only, bounded), or None."""
    if isinstance(loc.number, int):
        return loc.number
    if not loc.usable:
        return None
    found = read_int(loc.text).value
    return found if isinstance(found, int) else None


# ----- binding -----

BASIS_BOUNDS = (
    "asw-validator bounded number reading: a value rules cannot judge leaves the document "
    "not known valid"
)


class Binding:
    """One document's binding: where its nodes are, what the XSD layer flagged, and the
    ``VAL001`` findings of numbers out of range."""

    def __init__(
        self,
        locator: Locator,
        flagged: Flagged = frozenset(),
        *,
        start: etree._Element | None = None,
        context: dict[str, Any] | None = None,
    ) -> None:
        self.locator = locator
        self.flagged = flagged
        self.findings: list[Finding] = []
        self._start = start
        #: What a wrapper around the document said of it (e.g. a WCO MetaData's version).
        self.context: dict[str, Any] = context or {}

    def root(self) -> Node:
        """The document's root (inside a wrapper, the wrapped document's root element)."""
        if self._start is not None:
            return Node.at(self._start, self.locator.path(self._start), self)
        return Node.at(self.locator.root, self.locator.root_path, self)

    def number(self, loc: Located, *, integer: bool) -> Located:
        if not loc.usable:
            return loc
        reading = read_int(loc.text) if integer else read_decimal(loc.text)
        if reading.out_of_range:
            shown = loc.text if len(loc.text) <= 40 else f"{loc.text[:37]}..."
            self.findings.append(
                Finding.worded(
                    "VAL001",
                    Severity.ERROR,
                    N_(
                        "The number {number!r} is beyond what the rules can judge"
                        " ({length} characters); the rules that read it were not applied"
                    ),
                    {"number": shown, "length": len(loc.text)},
                    xpath=loc.xpath,
                    line=loc.line,
                    value=shown,
                    expected=BOUNDS_TEXT,
                    rule="value-out-of-range",
                    basis=BASIS_BOUNDS,
                )
            )
            return loc._with(out_of_range=True)
        if reading.value is None:
            return loc
        return loc._with(number=reading.value)


class Node:
    """An element, or the place where an absent element would be: its parent's path and
    its own step, the path object made only when the node becomes a parent."""

    __slots__ = ("_index", "_parent", "_path", "_tag", "binding", "elem", "line")

    def __init__(
        self,
        elem: etree._Element | None,
        parent: Path | str | None,
        tag: str,
        index: int | None,
        line: int | None,
        binding: Binding,
        path: Path | None = None,
    ) -> None:
        self.elem = elem
        self._parent = parent
        self._tag = tag
        self._index = index
        self.line = line
        self.binding = binding
        self._path = path

    @classmethod
    def at(cls, elem: etree._Element, path: Path, binding: Binding) -> Node:
        """A node whose path is known (a root, or an element located elsewhere)."""
        return cls(elem, path, "", None, elem.sourceline, binding, path)

    @property
    def present(self) -> bool:
        return self.elem is not None

    @property
    def path(self) -> Path:
        path = self._path
        if path is None:
            path = self._path = Path(self._parent, self._tag, self._index)
        return path

    @property
    def xpath(self) -> str:
        return str(self.path)

    def child(self, local: str, namespace: str) -> Node:
        """The first child named ``local`` (or its would-be place).

        One C-level pass over the parent's children (``iterchildren``): a binder asks each
        parent for a fixed handful of names, so binding stays linear in the document's size.
        """
        tag = _TAGS.get((namespace, local)) or _tag(namespace, local)
        parent = self._path or self.path
        elem = self.elem
        if elem is not None:
            WORK.visits += len(elem)
            same = list(elem.iterchildren(tag))
            if same:
                found = same[0]
                index = 1 if len(same) > 1 else None
                return Node(found, parent, tag, index, found.sourceline, self.binding)
        return Node(None, parent, tag, None, self.line, self.binding)

    def children(self, local: str, namespace: str) -> Iterator[Node]:
        elem = self.elem
        if elem is None:
            return
        tag = _tag(namespace, local)
        WORK.visits += len(elem)
        same = list(elem.iterchildren(tag))
        several = len(same) > 1
        parent = self.path
        for i, found in enumerate(same, 1):
            yield Node(found, parent, tag, i if several else None, found.sourceline, self.binding)

    def _step(self) -> tuple[str, int | None] | None:
        return None if self._path is not None else (self._tag, self._index)

    def leaf(self) -> Located:
        where: Path | str | None = self._path if self._path is not None else self._parent
        assert where is not None
        elem = self.elem
        if elem is None:
            return Located(None, where, self.line, present=False, step=self._step())
        flagged = self.binding.flagged
        return Located(
            _text(elem),
            where,
            self.line,
            True,
            bool(flagged) and (elem, None) in flagged,
            step=self._step(),
        )

    def number(self) -> Located:
        """The element's text read as a bounded decimal (``VAL001`` when out of range)."""
        return self.binding.number(self.leaf(), integer=False)

    def integer(self) -> Located:
        """The element's text read as a bounded integer (``VAL001`` when out of range)."""
        return self.binding.number(self.leaf(), integer=True)

    def attr(self, name: str) -> Located:
        parent = self.path
        if self.elem is None or name not in self.elem.attrib:
            return Located(None, parent, self.line, present=False, step=(name, 0))
        flagged = self.binding.flagged
        return Located(
            self.elem.attrib[name],
            parent,
            self.line,
            present=True,
            schema_error=bool(flagged) and (self.elem, name) in flagged,
            step=(name, 0),
        )


_TAGS: dict[tuple[str, str], str] = {}


def _tag(namespace: str, local: str) -> str:
    """The Clark tag, one string per name: every path of a bound model shares it (a
    declaration of 10,000 items would otherwise hold 100,000 copies of a dozen tags)."""
    key = (namespace, local)
    tag = _TAGS.get(key)
    if tag is None:
        tag = _TAGS.setdefault(key, f"{{{namespace}}}{local}")
    return tag


def _text(elem: etree._Element) -> str:
    """The element's own character data, as the XSD layer sees it: a comment or processing
    instruction inside a value (``L<!-- x -->A``) does not cut it short."""
    text = elem.text or ""
    if not len(elem):
        return text
    for child in elem:
        WORK.visits += 1
        if not isinstance(child.tag, str):  # comment or PI: its tail is still our text
            text += child.tail or ""
    return text


M = TypeVar("M")


@dataclass(frozen=True)
class BoundDocument(Generic[M]):
    """A bound model plus the facts the engine puts in the rule Context."""

    model: M
    export_country: str | None
    import_country: str | None
    effective_date: dt.date | None
    #: The member whose authority issued the document (see ``Context.issuer_country``).
    issuer_country: str | None = None


# ----- dates -----

_DATE = re.compile(r"^\s*(-?[0-9]{4,})-([0-9]{2})-([0-9]{2})")
#: Years a date of an ASW message can have; outside them a date is a typing error (xs:date
#: itself allows 12025 or -0001), and no dated rule may act on it.
DATE_YEARS = range(1900, 2100)


def as_date(loc: Located) -> dt.date | None:
    """The calendar date of an xs:date / xs:dateTime value (offset left out), or None when
    it is absent, already an XSD finding, or its year is outside ``DATE_YEARS``."""
    if not loc.usable:
        return None
    m = _DATE.match(loc.text)
    if not m or len(m.group(1)) > 5 or int(m.group(1)) not in DATE_YEARS:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
