"""Named XPaths in the architecture's convention, written only when a finding needs one.

``/acdd:Declaration/acdd:GoodsShipment/acdd:GovernmentAgencyGoodsItem[2]/acdd:Commodity``:
one fixed prefix per known namespace (``PREFIXES``, listed in every report), a 1-based index
only where an element has same-named siblings. A namespace without a registered prefix is
written as an XPath 3.0 EQName, ``Q{uri}local``, so a path never depends on the prefixes a
document happened to use.

Cost follows size: a ``Path`` is a parent and one step, holds no lxml object (a bound model
that keeps it can outlive its tree and cross a process boundary) and is written out once, in
time proportional to its depth. A ``Locator`` answers "where is this element" for one tree
with a position index built once per parent on first use, so locating every element of a
document is linear in its size (lxml's ``getpath`` and a scan of same-named siblings per
element are quadratic on a declaration of thousands of goods items).
"""

from __future__ import annotations

from lxml import etree

from .work import WORK

#: namespace URI -> fixed prefix; document types register theirs (see doctypes.py).
PREFIXES: dict[str, str] = {}


def register_prefix(namespace: str, prefix: str) -> None:
    existing = PREFIXES.get(namespace)
    if existing is not None and existing != prefix:
        raise ValueError(f"namespace {namespace!r} already has prefix {existing!r}")
    if prefix in PREFIXES.values() and existing is None:
        raise ValueError(f"prefix {prefix!r} is already taken")
    PREFIXES[namespace] = prefix


def local_name(tag: object) -> str:
    """The local part of a Clark-notation tag ("" for a comment or PI). Not lxml's QName:
    an element with an undeclared prefix is named ``hub:X``, which QName refuses."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def step_name(tag: str) -> str:
    """One XPath step name for a Clark-notation tag ``{uri}local``."""
    if tag.startswith("{"):
        uri, local = tag[1:].split("}", 1)
        prefix = PREFIXES.get(uri)
        return f"{prefix}:{local}" if prefix else f"Q{{{uri}}}{local}"
    return tag


class Path:
    """Where a node is: the parent's path (or a fixed prefix) and one step, written lazily.

    ``index`` is the 1-based position among same-named siblings, given only when there are
    several; ``attribute`` makes the step ``/@name``.
    """

    __slots__ = ("_attribute", "_index", "_parent", "_tag", "_text")

    def __init__(
        self,
        parent: Path | str | None,
        tag: str,
        index: int | None = None,
        *,
        attribute: bool = False,
    ) -> None:
        self._parent = parent
        self._tag = tag
        self._index = index
        self._attribute = attribute
        self._text: str | None = None

    def child(self, tag: str, index: int | None = None) -> Path:
        return Path(self, tag, index)

    def attribute(self, name: str) -> Path:
        return Path(self, name, attribute=True)

    def _step(self) -> str:
        name = step_name(self._tag)
        if self._attribute:
            return f"/@{name}"
        return f"/{name}[{self._index}]" if self._index is not None else f"/{name}"

    def __str__(self) -> str:
        if self._text is not None:
            return self._text
        # Walk up to the first written ancestor, then write down: each step once, and every
        # ancestor keeps its text for the siblings that come next.
        chain: list[Path] = []
        node: Path | str | None = self
        while isinstance(node, Path) and node._text is None:
            chain.append(node)
            node = node._parent
        text: str = (node._text or "") if isinstance(node, Path) else (node or "")
        for p in reversed(chain):
            WORK.visits += 1
            text = text + p._step()
            p._text = text
        return text

    def __repr__(self) -> str:
        return f"Path({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Path):
            return str(self) == str(other)
        if isinstance(other, str):
            return str(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(str(self))

    def __reduce__(self) -> tuple[object, ...]:
        # Pickled as its structure: a model's paths share their parents, and pickle's memo
        # sends each parent once; nothing is written out that no finding needs.
        return (Path, (self._parent, self._tag, self._index), {"_attribute": self._attribute})

    def __setstate__(self, state: dict[str, bool]) -> None:
        self._attribute = state["_attribute"]
        self._text = None


class Children:
    """One parent's element children, indexed once: by tag, with each child's position."""

    __slots__ = ("_by_prefix", "elements", "position", "tags")

    def __init__(self, parent: etree._Element) -> None:
        self.elements: list[etree._Element] = []
        self.tags: dict[str, list[etree._Element]] = {}
        self.position: dict[etree._Element, int] = {}
        self._by_prefix: dict[tuple[str | None, str], list[etree._Element]] | None = None
        for child in parent:
            WORK.visits += 1
            tag = child.tag
            if not isinstance(tag, str):  # comment or processing instruction
                continue
            self.elements.append(child)
            same = self.tags.setdefault(tag, [])
            self.position[child] = len(same)
            same.append(child)

    def first(self, tag: str) -> etree._Element | None:
        found = self.tags.get(tag)
        return found[0] if found else None

    def index_of(self, child: etree._Element) -> int | None:
        """The 1-based index an XPath step needs: None when the name is unique here."""
        if len(self.tags[str(child.tag)]) < 2:
            return None
        return self.position[child] + 1

    def by_prefix(self, prefix: str | None, local: str) -> list[etree._Element]:
        """Children written ``prefix:local`` in the document (how libxml2 names them)."""
        if self._by_prefix is None:
            self._by_prefix = {}
            for child in self.elements:
                WORK.visits += 1
                key = (child.prefix, local_name(child.tag))
                self._by_prefix.setdefault(key, []).append(child)
        return self._by_prefix.get((prefix, local), [])


class Locator:
    """Paths and lines of one tree's elements, each computed once and only when asked.

    ``prefix`` is where the tree sits in the file that was given (the XPath of the envelope
    element that holds it) and ``root_index`` the root's index among same-named siblings
    there; ``line`` is the line every finding in this tree is reported on (a certificate
    escaped as text in an envelope has no lines of its own in the file): the engine puts it
    in after ordering the findings by the tree's own lines.
    """

    def __init__(
        self,
        root: etree._Element,
        *,
        prefix: Path | str | None = None,
        root_index: int | None = None,
        line: int | None = None,
    ) -> None:
        self.root = root
        self._line = line
        self.root_path = Path(prefix, str(root.tag), root_index)
        self._paths: dict[etree._Element, Path] = {root: self.root_path}
        self._children: dict[etree._Element, Children] = {}
        self._lines: dict[int, etree._Element] | None = None

    def children(self, parent: etree._Element) -> Children:
        found = self._children.get(parent)
        if found is None:
            found = self._children[parent] = Children(parent)
        return found

    def path(self, elem: etree._Element) -> Path:
        """The element's path (a comment or PI: its parent's)."""
        known = self._paths.get(elem)
        if known is not None:
            return known
        # Up to the nearest element whose path is known (the root at worst), then down.
        chain: list[etree._Element] = []
        node: etree._Element | None = elem
        while node is not None and node not in self._paths:
            WORK.visits += 1
            if isinstance(node.tag, str):
                chain.append(node)
            node = node.getparent()
        if node is None:  # not in this tree
            raise ValueError("element is not inside the located tree")
        path = self._paths[node]
        for child in reversed(chain):
            parent = child.getparent()
            assert parent is not None
            path = Path(path, str(child.tag), self.children(parent).index_of(child))
            self._paths[child] = path
        return path

    @property
    def line_override(self) -> int | None:
        """The one line every element of this tree is reported on, if it has none of its own."""
        return self._line

    def line(self, elem: etree._Element) -> int | None:
        return elem.sourceline

    def at_line(self, line: int) -> etree._Element | None:
        """The first element that starts on ``line`` (an index built once, on first use)."""
        if self._lines is None:
            self._lines = {}
            for el in self.root.iter():
                WORK.visits += 1
                if isinstance(el.tag, str) and el.sourceline is not None:
                    self._lines.setdefault(el.sourceline, el)
        return self._lines.get(line)
