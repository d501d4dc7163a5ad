"""XSD layer: locate, compile and cache our schemas; turn libxml2 errors into findings.

Compiled ``XMLSchema`` objects keep their error log on the object, so they are never shared
between threads: each thread compiles a schema once, on first use, and keeps it
(``threading.local``). The schema's bytes are read and hashed once per process.
"""

from __future__ import annotations

import hashlib
import re
import threading
from copy import deepcopy
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

from .doctypes import DocumentType
from .i18n import N_, T
from .model import Finding, Severity, clip
from .resources import data_dir
from .work import WORK
from .xpath import PREFIXES, Locator, local_name, step_name


class SchemaLoadError(RuntimeError):
    """A shipped schema is missing or does not compile: the installation is broken (or a
    ``--schema-dir`` set is unusable). Its message is ``template`` filled with ``params``, both
    kept for the INT001 finding it becomes."""

    def __init__(self, template: str, **params: Any) -> None:
        super().__init__(template.format(**params) if params else template)
        self.template = template
        self.params = params

    def __reduce__(self) -> tuple[Any, ...]:
        return (_schema_load_error, (self.template, self.params))


def _schema_load_error(template: str, params: dict[str, Any]) -> SchemaLoadError:
    return SchemaLoadError(template, **params)


@dataclass(frozen=True)
class SchemaInfo:
    doctype: str
    version: str
    path: Path
    sha256: str
    #: The user's schema directory (``--schema-dir``, its real path), None for ours.
    schema_dir: Path | None = None

    @property
    def file(self) -> str:
        """The entry point as reports name it: ours by file name, the user's by its path
        inside the directory."""
        if self.schema_dir is None:
            return self.path.name
        return self.path.relative_to(self.schema_dir).as_posix()

    def to_dict(self) -> dict[str, str | bool]:
        if self.schema_dir is None:
            return {
                "id": f"{self.doctype}/{self.version}",
                "doctype": self.doctype,
                "version": self.version,
                "file": self.file,
                "sha256": self.sha256,
            }
        return {
            "id": f"{self.doctype}/user-supplied",
            "doctype": self.doctype,
            "version": self.version,
            "file": self.file,
            "sha256": self.sha256,
            "user_supplied": True,
            "schema_dir": str(self.schema_dir),
        }


@cache
def schema_info(doctype: DocumentType, schema_dir: Path | None = None) -> SchemaInfo:
    """What validates ``doctype``: our shipped schema, or the entry point of the user's set
    under ``schema_dir`` (its SHA-256 over the entry point and every file it imports)."""
    if schema_dir is not None:
        from .schemaset import find  # only --schema-dir runs load it

        found = find(schema_dir, doctype.namespace, doctype.root)
        return SchemaInfo(doctype.name, found.version, found.entry, found.sha256, found.directory)
    if doctype.schema is None:
        raise SchemaLoadError(N_("document type {doctype} has no schema"), doctype=doctype.name)
    path = data_dir("schemas") / doctype.schema
    # The main file first, then the modules it imports (siblings): one digest for all, so
    # two runs with different modules never report the same schema hash.
    modules = [path, *sorted(p for p in path.parent.glob("*.xsd") if p != path)]
    sha = hashlib.sha256()
    try:
        for module in modules:
            sha.update(module.read_bytes())
    except OSError as err:
        raise SchemaLoadError(
            N_("cannot read schema {path}: {error}"), path=str(path), error=str(err)
        ) from err
    digest = sha.hexdigest()
    return SchemaInfo(doctype.name, doctype.version, path, digest)


_local = threading.local()
#: libxml2 initialises its built-in schema types lazily and not thread-safely: two threads
#: compiling at once on a cold start could leave a schema that never compiles, hang or crash.
#: Compiling is rare (once per schema per thread), so it is serialised.
_COMPILE_LOCK = threading.Lock()


def compiled(doctype: DocumentType, schema_dir: Path | None = None) -> etree.XMLSchema:
    """This thread's compiled schema for ``doctype`` (compiled on first use): ours, or the
    user's set under ``schema_dir`` (cached per directory)."""
    cache: dict[tuple[str, Path | None], etree.XMLSchema] | None = getattr(_local, "schemas", None)
    if cache is None:
        cache = _local.schemas = {}
    key = (doctype.name, schema_dir)
    schema = cache.get(key)
    if schema is None:
        if schema_dir is not None:
            from .schemaset import find

            found = find(schema_dir, doctype.namespace, doctype.root)
            with _COMPILE_LOCK:
                schema = found.compile()
        else:
            info = schema_info(doctype)
            # The schema is ours, but parse it as carefully as any input: no network, no DTD.
            parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
            try:
                with _COMPILE_LOCK:
                    schema = etree.XMLSchema(etree.parse(str(info.path), parser))
            except (etree.XMLSyntaxError, etree.XMLSchemaParseError) as err:
                raise SchemaLoadError(
                    N_("schema {path} does not compile: {error}"),
                    path=str(info.path),
                    error=str(err),
                ) from err
        cache[key] = schema
    return schema


# ----- libxml2 error class -> XSD code -----
BASIS_XSD = "asw-validator {doctype} schema {version} (unofficial, schemas/{schema})"
BASIS_USER_XSD = "user-supplied schema {file} in {directory} (--schema-dir)"

_FACETS = (
    "MINLENGTH",
    "MAXLENGTH",
    "LENGTH_VALID",
    "TOTALDIGITS",
    "FRACTIONDIGITS",
    "MININCLUSIVE",
    "MAXINCLUSIVE",
    "MINEXCLUSIVE",
    "MAXEXCLUSIVE",
)


def classify(type_name: str, message: str) -> tuple[str, str]:
    """(code, rule name) for a libxml2 schema-validity error class."""
    if type_name == "SCHEMAV_ELEMENT_CONTENT":
        if "Missing child element" in message:
            return "XSD002", "missing-element"
        return "XSD001", "unexpected-element"
    if type_name == "SCHEMAV_CVC_PATTERN_VALID":
        return "XSD004", "value-not-matching-pattern"
    if type_name == "SCHEMAV_CVC_ENUMERATION_VALID":
        return "XSD005", "value-not-in-enumeration"
    if any(f in type_name for f in _FACETS):
        return "XSD006", "value-outside-facet"
    if type_name.startswith("SCHEMAV_CVC_DATATYPE_VALID") or type_name in (
        "SCHEMAV_CVC_ATTRIBUTE_3",
        "SCHEMAV_CVC_ELT_4_3",
    ):
        return "XSD003", "invalid-value"
    if type_name == "SCHEMAV_CVC_COMPLEX_TYPE_4":
        return "XSD007", "missing-attribute"
    if type_name.startswith("SCHEMAV_CVC_COMPLEX_TYPE_3_2"):
        return "XSD008", "unexpected-attribute"
    if type_name.startswith(("SCHEMAV_CVC_COMPLEX_TYPE_2", "SCHEMAV_CVC_TYPE_3_1")):
        return "XSD009", "invalid-content"
    return "XSD099", "schema-violation"


#: Codes about a value (its type, pattern, enumeration or facets): their findings quote it.
_VALUE_CODES = frozenset({"XSD003", "XSD004", "XSD005", "XSD006"})

#: Every XSD code with its rule name, for listings and ``explain``.
XSD_CODES: dict[str, str] = {
    "XSD001": "unexpected-element",
    "XSD002": "missing-element",
    "XSD003": "invalid-value",
    "XSD004": "value-not-matching-pattern",
    "XSD005": "value-not-in-enumeration",
    "XSD006": "value-outside-facet",
    "XSD007": "missing-attribute",
    "XSD008": "unexpected-attribute",
    "XSD009": "invalid-content",
    "XSD099": "schema-violation",
}

_CLARK = re.compile(r"\{([^}]*)\}([A-Za-z_][\w.\-]*)")


def _readable(message: str) -> str:
    """libxml2's message with ``{uri}local`` names written with our fixed prefixes."""

    def repl(m: re.Match[str]) -> str:
        prefix = PREFIXES.get(m.group(1))
        return f"{prefix}:{m.group(2)}" if prefix else m.group(0)

    return _CLARK.sub(repl, message).strip()


# ----- libxml2's message in parts, for a report in another language -----

#: What a libxml2 schema message is about: ``Element 'fd:Item'`` or ``Element 'fd:Item',
#: attribute 'unitCode'``, then what is wrong with it.
_SUBJECT = re.compile(
    r"Element '(?P<element>[^']*)'(?:, attribute '(?P<attribute>[^']*)')?: (?P<rest>.*)", re.DOTALL
)
#: Per XSD code, the libxml2 messages whose parts a report in another language gives (libxml2's
#: own English stays the finding's message): each pattern, read after the subject, fills its
#: template with its named groups, ``element``, ``attribute`` and ``node`` (the element, or
#: the attribute of the element, as a term). A message none reads is given whole
#: (``_XSD_WHOLE``).
_XSD_PARTS: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    "XSD001": (
        (
            re.compile(
                r"This element is not expected\. Expected is (?:one of )?\( (?P<expected>.*) \)"
            ),
            N_("Element '{element}' is not expected here; expected: {expected}"),
        ),
        (
            re.compile(r"This element is not expected"),
            N_("Element '{element}' is not expected here"),
        ),
    ),
    "XSD002": (
        (
            re.compile(
                r"Missing child element\(s\)\. Expected is (?:one of )?\( (?P<expected>.*) \)"
            ),
            N_("Element '{element}' lacks a required child element; expected: {expected}"),
        ),
    ),
    "XSD003": (
        (
            re.compile(
                r"'(?P<value>.*)' is not a valid value of the [a-z ]*type '(?P<type>[^']*)'"
            ),
            N_("The value '{value}' of {node} is not a valid value of type {type}"),
        ),
        (
            re.compile(r"'(?P<value>.*)' is not a valid value of the [a-z ]*type"),
            N_("The value '{value}' of {node} is not valid for its type"),
        ),
    ),
    "XSD004": (
        (
            re.compile(
                r"\[facet 'pattern'\] The value '(?P<value>.*)' is not accepted by the pattern"
                r" '(?P<pattern>.*)'"
            ),
            N_("The value '{value}' of {node} does not match the pattern '{pattern}'"),
        ),
    ),
    "XSD005": (
        (
            re.compile(
                r"\[facet 'enumeration'\] The value '(?P<value>.*)' is not an element of the set"
                r" \{(?P<allowed>.*)\}"
            ),
            N_("The value '{value}' of {node} is not one of {allowed}"),
        ),
    ),
    "XSD006": (
        (
            re.compile(
                r"\[facet 'minLength'\] The value has a length of '(?P<length>[0-9]+)'; this"
                r" underruns the allowed minimum length of '(?P<limit>[0-9]+)'"
            ),
            N_("The value of {node} has a length of {length}, below the minimum length {limit}"),
        ),
        (
            re.compile(
                r"\[facet 'maxLength'\] The value has a length of '(?P<length>[0-9]+)'; this"
                r" exceeds the allowed maximum length of '(?P<limit>[0-9]+)'"
            ),
            N_("The value of {node} has a length of {length}, above the maximum length {limit}"),
        ),
        (
            re.compile(
                r"\[facet 'length'\] The value has a length of '(?P<length>[0-9]+)'; this"
                r" differs from the allowed length of '(?P<limit>[0-9]+)'"
            ),
            N_("The value of {node} has a length of {length}, not the length {limit}"),
        ),
        (
            re.compile(
                r"\[facet 'totalDigits'\] The value '(?P<value>.*)' has more digits than are"
                r" allowed \('(?P<limit>[0-9]+)'\)"
            ),
            N_("The value '{value}' of {node} has more digits than the {limit} allowed"),
        ),
        (
            re.compile(
                r"\[facet 'fractionDigits'\] The value '(?P<value>.*)' has more fractional"
                r" digits than are allowed \('(?P<limit>[0-9]+)'\)"
            ),
            N_(
                "The value '{value}' of {node} has more digits after the decimal point than the"
                " {limit} allowed"
            ),
        ),
        (
            re.compile(
                r"\[facet 'minInclusive'\] The value '(?P<value>.*)' is less than the minimum"
                r" value allowed \('(?P<bound>.*)'\)"
            ),
            N_("The value '{value}' of {node} is less than the minimum {bound}"),
        ),
        (
            re.compile(
                r"\[facet 'maxInclusive'\] The value '(?P<value>.*)' is greater than the maximum"
                r" value allowed \('(?P<bound>.*)'\)"
            ),
            N_("The value '{value}' of {node} is greater than the maximum {bound}"),
        ),
        (
            re.compile(
                r"\[facet 'minExclusive'\] The value '(?P<value>.*)' must be greater than"
                r" '(?P<bound>.*)'"
            ),
            N_("The value '{value}' of {node} must be greater than {bound}"),
        ),
        (
            re.compile(
                r"\[facet 'maxExclusive'\] The value '(?P<value>.*)' must be less than"
                r" '(?P<bound>.*)'"
            ),
            N_("The value '{value}' of {node} must be less than {bound}"),
        ),
    ),
    "XSD007": (
        (
            re.compile(r"The attribute '(?P<attribute>[^']*)' is required but missing"),
            N_("Element '{element}' lacks the required attribute '{attribute}'"),
        ),
    ),
    "XSD008": (
        (
            re.compile(r"The attribute '(?P<attribute>[^']*)' is not allowed"),
            N_("Element '{element}' does not take the attribute '{attribute}'"),
        ),
    ),
    "XSD009": (
        (
            re.compile(
                r"Character content other than whitespace is not allowed because the content"
                r" type is 'element-only'"
            ),
            N_("Element '{element}' holds text, but its type holds only child elements"),
        ),
        (
            re.compile(r"Character content is not allowed, because the content type is empty"),
            N_("Element '{element}' holds text, but its type is empty"),
        ),
        (
            re.compile(r"Element content is not allowed, because the content type is empty"),
            N_("Element '{element}' holds child elements, but its type is empty"),
        ),
        (
            re.compile(
                r"Element content is not allowed, because the content type is a simple type"
            ),
            N_("Element '{element}' holds child elements, but its type is a simple value"),
        ),
    ),
}
#: A libxml2 schema message whose parts are not read: given whole, as libxml2 wrote it.
_XSD_WHOLE = N_("The document does not follow its schema: {detail}")
#: Numbers of characters or digits, written the language's way (limits on values are values).
_COUNTS = frozenset({"length", "limit"})


def _parts(code: str, message: str) -> tuple[str, dict[str, Any]]:
    """The template and parameters that give libxml2's (readable) ``message`` in parts."""
    subject = _SUBJECT.match(message)
    if subject is not None:
        element, attribute, rest = subject.group("element", "attribute", "rest")
        for pattern, template in _XSD_PARTS.get(code, ()):
            m = pattern.match(rest)
            if m is None:
                continue
            params: dict[str, Any] = {
                k: int(v) if k in _COUNTS else v for k, v in m.groupdict().items()
            }
            params.setdefault("element", element)
            if attribute is not None:
                params.setdefault("attribute", attribute)
                params["node"] = T(
                    "attribute '{attribute}' of element '{element}'",
                    attribute=attribute,
                    element=element,
                )
            else:
                params["node"] = T("element '{element}'", element=element)
            return template, params
    return _XSD_WHOLE, {"detail": message}


_ATTRIBUTE = re.compile(
    r"^Element '[^']+', attribute '([^']+)'|The attribute '([^']+)' is required but missing"
)


def _attribute(message: str) -> str | None:
    """The attribute libxml2's message is about (its name as libxml2 writes it), or None."""
    m = _ATTRIBUTE.search(message)
    if m is None:
        return None
    return m.group(1) or m.group(2)


#: One step of the path libxml2 gives an error: ``prefix:local[k]``, ``local`` or ``*[k]``
#: (libxml2 writes ``*`` for an element in a default namespace and counts every element
#: sibling for its index).
_STEP = re.compile(r"(?:(\*)|(?:([\w.\-]+):)?([\w.\-]+))(?:\[([0-9]+)\])?")


def _follow(locator: Locator, path: str) -> etree._Element | None:
    """The element at libxml2's path, found step by step through the per-parent indexes:
    time proportional to its depth, never a scan of the tree or of a sibling list."""
    if not path.startswith("/"):
        return None
    node: etree._Element | None = None
    for step in path[1:].split("/"):
        WORK.visits += 1
        m = _STEP.fullmatch(step)
        if m is None:
            return None
        star, prefix, local, index = m.groups()
        k = int(index) if index else 1
        if node is None:
            root = locator.root
            if k != 1 or not (star or (root.prefix == prefix and local_name(root.tag) == local)):
                return None
            node = root
            continue
        children = locator.children(node)
        same = children.elements if star else children.by_prefix(prefix, local)
        if k > len(same):
            return None
        node = same[k - 1]
    return node


def _locate(locator: Locator, path: str | None, line: int) -> etree._Element | None:
    """The node libxml2 meant: its path first (in the document's own prefixes), then line."""
    if path:
        found = _follow(locator, path)
        if found is not None:
            return found
    return locator.at_line(line) if line else None


_NOT_EXPECTED = re.compile(r"This element is not expected\. Expected is (?:one of )?\( (.*) \)")
_ELEMENT_NAME = re.compile(r"(?:\{[^}]*\})?[A-Za-z_][\w.\-]*")


def _expected(message: str) -> list[str]:
    """The elements libxml2 expected instead of an unexpected one, as Clark names (wildcards
    such as ``##other{...}*`` left out); empty when the message names none."""
    m = _NOT_EXPECTED.search(message)
    if m is None:
        return []
    names = [n.strip() for n in m.group(1).split(",")]
    return [n for n in names if _ELEMENT_NAME.fullmatch(n)]


@dataclass
class _Misplaced:
    """An unexpected element where libxml2 expected others that its parent lacks: either one
    of them is required there (a missing element, XSD002) or it is not (XSD001)."""

    index: int  # of its finding
    element: etree._Element
    expected: list[str]


def _required_missing(
    schema: etree.XMLSchema, tree: etree._ElementTree, misplaced: list[_Misplaced]
) -> set[int]:
    """Which of the ``misplaced`` elements stand where a required element is missing.

    libxml2 stops reading a parent's content at the first unexpected child and names what
    it expected, not whether that was required. A copy of the document in which each such
    parent ends just before its unexpected child answers it: libxml2 then says "Missing
    child element(s)" exactly where the content cannot end there. One copy and one more
    validation per document that has such errors, whatever their number.
    """
    original = tree.getroot()
    copy = deepcopy(original)
    wanted = {m.element: m.index for m in misplaced}
    in_copy: dict[int, etree._Element] = {}
    for old, new in zip(original.iter(), copy.iter(), strict=True):
        WORK.visits += 1
        index = wanted.get(old) if isinstance(old.tag, str) else None
        if index is not None:
            in_copy[index] = new
    parents: dict[int, etree._Element] = {}
    for index, child in in_copy.items():
        parent = child.getparent()
        if parent is None:
            continue
        for later in list(child.itersiblings()):
            parent.remove(later)
        parent.remove(child)
        parents[index] = parent
    copy_tree = copy.getroottree()
    paths = {
        copy_tree.getpath(parent): index
        for index, parent in parents.items()
        if _inside(parent, copy)  # not cut away with another parent's children
    }
    if not paths:
        return set()
    schema.validate(copy_tree)
    return {
        paths[e.path]
        for e in schema.error_log
        if e.path in paths and "Missing child element" in e.message
    }


def _inside(elem: etree._Element, root: etree._Element) -> bool:
    node: etree._Element | None = elem
    while node is not None:
        WORK.visits += 1
        if node is root:
            return True
        node = node.getparent()
    return False


def _names(tags: list[str]) -> str:
    shown = [f"'{step_name(t)}'" for t in tags]
    return shown[0] if len(shown) == 1 else T("one of {names}", names=", ".join(shown))


@dataclass
class SchemaResult:
    """XSD findings (at most ``limit`` of them), how many more there were, and the nodes
    they flag, so binding can mark them by identity."""

    findings: list[Finding]
    flagged: frozenset[tuple[etree._Element, str | None]]
    more: int = 0


def validate_tree(
    doctype: DocumentType,
    tree: etree._ElementTree,
    locator: Locator,
    *,
    limit: int | None = None,
    schema_dir: Path | None = None,
) -> SchemaResult:
    """Validate ``tree`` with the type's schema (or the user's, under ``schema_dir``); each
    error located in time linear in depth."""
    schema = compiled(doctype, schema_dir)
    if schema.validate(tree):
        return SchemaResult([], frozenset())
    if schema_dir is None:
        basis = BASIS_XSD.format(
            doctype=doctype.name, version=doctype.version, schema=doctype.schema
        )
    else:
        info = schema_info(doctype, schema_dir)
        basis = BASIS_USER_XSD.format(file=info.file, directory=info.schema_dir)
    findings: list[Finding] = []
    flagged: set[tuple[etree._Element, str | None]] = set()
    misplaced: list[_Misplaced] = []
    more = 0
    for entry in list(schema.error_log):  # read whole: a second validation may follow
        node = _locate(locator, entry.path, entry.line)
        attribute = _attribute(entry.message)
        if node is not None:
            flagged.add((node, attribute))
        if limit is not None and len(findings) >= limit:
            more += 1
            continue
        xpath = None
        if node is not None:
            where = locator.path(node)
            xpath = str(where.attribute(attribute) if attribute else where)
        line = entry.line or (node.sourceline if node is not None else None)
        column = entry.column or None
        code, rule = classify(entry.type_name, entry.message)
        value = None
        if code in _VALUE_CODES and node is not None:  # the text libxml2 judged
            value = clip(node.get(attribute) if attribute else node.text)
        parent = node.getparent() if node is not None else None
        if code == "XSD001" and node is not None and parent is not None:
            expected = _expected(entry.message)
            present = locator.children(parent).tags
            if expected and not any(tag in present for tag in expected):
                misplaced.append(_Misplaced(len(findings), node, expected))
        message = _readable(entry.message)
        template, params = _parts(code, message)
        findings.append(
            Finding(
                code=code,
                severity=Severity.ERROR,
                message=message,
                xpath=xpath,
                line=line,
                column=column,
                value=value,
                rule=rule,
                basis=basis,
                template=template,
                params=params,
            )
        )
    if misplaced:
        missing = _required_missing(schema, tree, misplaced)
        for m in misplaced:
            if m.index in missing:
                findings[m.index] = _missing_element(findings[m.index], m, locator)
    return SchemaResult(findings, frozenset(flagged), more)


def _missing_element(unexpected: Finding, m: _Misplaced, locator: Locator) -> Finding:
    """The finding for a required element that is missing where libxml2 met another one:
    named after the missing element, at its would-be path, on the line it belongs on."""
    parent = m.element.getparent()
    assert parent is not None
    where = locator.path(parent)
    path = where.child(m.expected[0]) if len(m.expected) == 1 else where
    params = {
        "element": step_name(str(parent.tag)),
        "expected": _names(m.expected),
        "before": step_name(str(m.element.tag)),
    }
    return replace(
        unexpected,
        code="XSD002",
        rule="missing-element",
        message=_MISSING.format(**params),
        xpath=str(path),
        template=_MISSING,
        params=params,
    )


#: A required element that is missing where libxml2 met another (XSD002): the message is the
#: tool's, in libxml2's words.
_MISSING = N_("Element '{element}': Missing child element {expected} (before '{before}')")
