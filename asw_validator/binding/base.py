"""Located values and the navigation helper every binder uses.

Rules read ``Located`` leaves, never the tree. An absent element still gets a ``Located``:
its ``value`` is ``None``, its ``xpath`` is where it would be and its ``line`` is that of the
nearest element that exists, so "item missing" findings point somewhere useful.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Generic, TypeVar

from lxml import etree

from ..xpath import node_xpath, step_name


@dataclass(frozen=True)
class Located:
    """A leaf value (element text or attribute) with where it is.

    ``present`` says the element/attribute exists; ``schema_error`` that the XSD layer already
    reported this very node, so rules leave its value alone (one problem, one finding).
    """

    value: str | None
    xpath: str
    line: int | None
    present: bool = True
    schema_error: bool = False

    @property
    def blank(self) -> bool:
        """Absent, empty or only white space."""
        return self.value is None or not self.value.strip()

    @property
    def usable(self) -> bool:
        """A value rules should judge: present, not blank, not already an XSD finding."""
        return not self.blank and not self.schema_error

    @property
    def text(self) -> str:
        """The value stripped of surrounding white space ("" when absent)."""
        return (self.value or "").strip()


class Node:
    """An element, or the place where an absent element would be."""

    __slots__ = ("elem", "flagged", "line", "xpath")

    def __init__(
        self,
        elem: etree._Element | None,
        xpath: str,
        line: int | None,
        flagged: frozenset[str],
    ) -> None:
        self.elem = elem
        self.xpath = xpath
        self.line = line
        self.flagged = flagged

    @classmethod
    def root(cls, tree: etree._ElementTree, flagged: frozenset[str]) -> Node:
        elem = tree.getroot()
        return cls(elem, node_xpath(elem), elem.sourceline, flagged)

    @property
    def present(self) -> bool:
        return self.elem is not None

    def child(self, local: str, namespace: str) -> Node:
        """The first child named ``local`` (or its would-be place)."""
        tag = f"{{{namespace}}}{local}"
        if self.elem is not None:
            found = self.elem.find(tag)
            if found is not None:
                return Node(found, node_xpath(found), found.sourceline, self.flagged)
        return Node(None, f"{self.xpath}/{step_name(tag)}", self.line, self.flagged)

    def children(self, local: str, namespace: str) -> Iterator[Node]:
        if self.elem is None:
            return
        for found in self.elem.iterfind(f"{{{namespace}}}{local}"):
            yield Node(found, node_xpath(found), found.sourceline, self.flagged)

    def leaf(self) -> Located:
        if self.elem is None:
            return Located(None, self.xpath, self.line, present=False)
        return Located(
            _text(self.elem),
            self.xpath,
            self.line,
            present=True,
            schema_error=self.xpath in self.flagged,
        )

    def attr(self, name: str) -> Located:
        xpath = f"{self.xpath}/@{name}"
        if self.elem is None or name not in self.elem.attrib:
            return Located(None, xpath, self.line, present=False)
        return Located(
            self.elem.attrib[name],
            xpath,
            self.line,
            present=True,
            schema_error=xpath in self.flagged,
        )


def _text(elem: etree._Element) -> str:
    """The element's own character data, as the XSD layer sees it: a comment or processing
    instruction inside a value (``L<!-- x -->A``) does not cut it short."""
    text = elem.text or ""
    for child in elem:
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


# ----- lexical helpers shared by binders and rules -----

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
    if not m or int(m.group(1)) not in DATE_YEARS:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def as_decimal(loc: Located) -> Decimal | None:
    if not loc.usable:
        return None
    try:
        value = Decimal(loc.text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None
