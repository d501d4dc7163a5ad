"""Named XPaths in the architecture's convention.

``/acdd:Declaration/acdd:GoodsShipment/acdd:GovernmentAgencyGoodsItem[2]/acdd:Commodity``:
one fixed prefix per known namespace (``PREFIXES``, listed in every report), a 1-based index
only where an element has same-named siblings. A namespace without a registered prefix is
written as an XPath 3.0 EQName, ``Q{uri}local``, so a path never depends on the prefixes a
document happened to use.
"""

from __future__ import annotations

from lxml import etree

#: namespace URI -> fixed prefix; document types register theirs (see doctypes.py).
PREFIXES: dict[str, str] = {}


def register_prefix(namespace: str, prefix: str) -> None:
    existing = PREFIXES.get(namespace)
    if existing is not None and existing != prefix:
        raise ValueError(f"namespace {namespace!r} already has prefix {existing!r}")
    if prefix in PREFIXES.values() and existing is None:
        raise ValueError(f"prefix {prefix!r} is already taken")
    PREFIXES[namespace] = prefix


def step_name(tag: str) -> str:
    """One XPath step name for a Clark-notation tag ``{uri}local``."""
    if tag.startswith("{"):
        uri, local = tag[1:].split("}", 1)
        prefix = PREFIXES.get(uri)
        return f"{prefix}:{local}" if prefix else f"Q{{{uri}}}{local}"
    return tag


def node_xpath(elem: etree._Element) -> str:
    """The named XPath of an element (comments and PIs are never targets here)."""
    steps: list[str] = []
    node: etree._Element | None = elem
    while node is not None:
        tag = node.tag
        if not isinstance(tag, str):  # comment / processing instruction
            node = node.getparent()
            continue
        step = step_name(tag)
        parent = node.getparent()
        if parent is not None:
            same = [c for c in parent if c.tag == tag]
            if len(same) > 1:
                step += f"[{same.index(node) + 1}]"
        steps.append(step)
        node = parent
    return "/" + "/".join(reversed(steps))
