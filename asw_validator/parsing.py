"""Hardened XML parsing: bytes in, an lxml tree or ``XML0nn`` findings out.

Nothing here fetches, expands or includes anything: no network, no DTD loading, no entity
substitution, no XInclude. A document that carries a DOCTYPE is rejected outright (the
entities it declares are never expanded, so neither an XXE nor a "billion laughs" payload
does harm). ``xsi:schemaLocation`` is ordinary attribute data: the schema is chosen by
document-type detection, never by the document.

A new parser is made for every document: lxml parsers keep an error log per object, so
sharing one between threads would mix documents' errors (see architecture, Threads).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Any

from lxml import etree

from .i18n import N_, T
from .model import Finding, Severity

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
#: libxml2's own nesting limit without XML_PARSE_HUGE; a lower limit is checked by a walk.
LIBXML2_MAX_DEPTH = 256
DEFAULT_MAX_DEPTH = LIBXML2_MAX_DEPTH

BASIS_XML = "W3C XML 1.0 (Fifth Edition)"
BASIS_SECURITY = "asw-validator security policy (no DTD, no entities, bounded input)"


@dataclass(frozen=True)
class ParseResult:
    """The tree, when parsing succeeded, and the findings that stopped or accompanied it."""

    tree: etree._ElementTree | None
    findings: tuple[Finding, ...]


def _finding(
    code: str,
    rule: str,
    template: str,
    params: dict[str, Any] | None = None,
    *,
    message: str | None = None,
    line: int | None = None,
    column: int | None = None,
    basis: str = BASIS_XML,
    value: str | None = None,
    expected: str | None = None,
) -> Finding:
    """An ``XML0nn`` finding: its message is ``template`` filled with ``params``, or, for one
    that quotes libxml2, libxml2's own text (``message``) while ``template`` and ``params``
    give its parts for a report in another language."""
    params = params or {}
    return Finding(
        code=code,
        severity=Severity.ERROR,
        message=template.format(**params) if message is None else message,
        line=line,
        column=column,
        rule=rule,
        basis=basis,
        value=value,
        expected=expected,
        template=template,
        params=params,
    )


#: libxml2's well-formedness errors (XML002) and encoding errors (XML006) whose parts a report
#: in another language can give: libxml2's text (its own English) stays the message; each
#: pattern's named groups fill its template. Anything else is given whole, as ``detail``.
_LIBXML2_PARTS: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    "XML002": (
        (
            re.compile(
                r"Opening and ending tag mismatch: (?P<open>\S+) line (?P<line>\d+)"
                r" and (?P<close>\S+)"
            ),
            N_(
                "Not well-formed XML: the element {open} (line {line}) is closed by the end"
                " tag {close}"
            ),
        ),
        (
            re.compile(r"Premature end of data in tag (?P<tag>\S+) line (?P<line>\d+)"),
            N_(
                "Not well-formed XML: the document ends before the element {tag} (line {line})"
                " is closed"
            ),
        ),
        (
            re.compile(r"Couldn't find end of Start Tag (?P<tag>\S+) line (?P<line>\d+)"),
            N_("Not well-formed XML: the start tag of {tag} (line {line}) is not closed"),
        ),
        (
            re.compile(r"Extra content at the end of the document"),
            N_("Not well-formed XML: there is content after the end of the root element"),
        ),
        (
            re.compile(r"Attribute (?P<attribute>\S+) redefined"),
            N_("Not well-formed XML: the attribute {attribute} is given twice"),
        ),
        (
            re.compile(r"Specification mandates value for attribute (?P<attribute>\S+)"),
            N_("Not well-formed XML: the attribute {attribute} has no value"),
        ),
        (
            re.compile(r"Namespace prefix (?P<prefix>\S+) on (?P<element>\S+) is not defined"),
            N_("Not well-formed XML: the namespace prefix {prefix} of {element} is not declared"),
        ),
        (
            re.compile(r"Entity '(?P<entity>[^']+)' not defined"),
            N_("Not well-formed XML: the entity {entity} is not defined"),
        ),
        (
            re.compile(r"Comment not terminated"),
            N_("Not well-formed XML: a comment is not closed"),
        ),
        (
            re.compile(r"CData section not finished"),
            N_("Not well-formed XML: a CDATA section is not closed"),
        ),
        (
            re.compile(r"StartTag: invalid element name"),
            N_("Not well-formed XML: a start tag has no valid element name"),
        ),
        (
            re.compile(r"PCDATA invalid Char value (?P<char>\d+)"),
            N_("Not well-formed XML: the text holds character {char}, which XML does not allow"),
        ),
    ),
    "XML006": (
        (
            re.compile(r"Unsupported encoding:? (?P<encoding>\S+)"),
            N_("The document's encoding {encoding} is not supported"),
        ),
        (
            re.compile(r"Invalid bytes in character encoding|Input is not proper UTF-8"),
            N_("Bytes are not valid in the document's encoding"),
        ),
    ),
}
#: The template of a libxml2 message none of ``_LIBXML2_PARTS`` reads: libxml2's text whole.
_LIBXML2_WHOLE = {
    "XML002": N_("Not well-formed XML: {detail}"),
    "XML006": N_("Bytes are not valid in the document's encoding: {detail}"),
}


def _libxml2_parts(code: str, message: str) -> tuple[str, dict[str, Any]]:
    """The template and parameters that give libxml2's ``message`` in parts."""
    for pattern, template in _LIBXML2_PARTS[code]:
        m = pattern.match(message)
        if m is not None:
            return template, m.groupdict()
    return _LIBXML2_WHOLE[code], {"detail": message}


# (BOM, encoding family, codec, code unit); UTF-32 LE before UTF-16 LE: same first bytes.
_BOMS: tuple[tuple[bytes, str, str, int], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32-le", 4),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32-be", 4),
    (codecs.BOM_UTF8, "utf-8", "utf-8", 1),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le", 2),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be", 2),
)
_DECL_ENCODING = re.compile(r"""^<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._\-]+)["']""")


def _bom(data: bytes) -> tuple[bytes, str, str, int] | None:
    return next((b for b in _BOMS if data.startswith(b[0])), None)


#: How much of the input the prolog checks read: the XML declaration and a DOCTYPE stand
#: before the root element, after at most some comments and PIs.
_HEAD_BYTES = 64 * 1024


def _head_text(data: bytes) -> str:
    """The first bytes of ``data`` as text, decoded per its BOM; without a BOM as latin-1,
    which keeps every byte and its position (enough for ASCII markup)."""
    bom = _bom(data)
    if bom is None or bom[1] == "utf-8":
        start = len(bom[0]) if bom else 0
        return data[start : start + _HEAD_BYTES].decode("latin-1")
    mark, _, codec, unit = bom
    head = data[len(mark) : len(mark) + _HEAD_BYTES]
    return head[: len(head) - len(head) % unit].decode(codec, errors="replace")


def display_text(data: bytes) -> str:
    """The input as text to show people: decoded per its BOM, else its declared encoding,
    else UTF-8; bytes that do not decode are shown as U+FFFD."""
    bom = _bom(data)
    if bom is not None:
        return data[len(bom[0]) :].decode(bom[2], errors="replace")
    codec = _declared_encoding(data) or "utf-8"
    try:
        return data.decode(codec, errors="replace")
    except LookupError:  # an encoding Python does not know
        return data.decode("utf-8", errors="replace")


def _declared_encoding(data: bytes) -> str | None:
    """The encoding named in the XML declaration."""
    m = _DECL_ENCODING.match(_head_text(data)[:512])
    return m.group(1) if m else None


def _encoding_family(name: str) -> str:
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        return name.lower()
    if canonical.startswith("utf-16"):
        return "utf-16"
    if canonical.startswith("utf-32"):
        return "utf-32"
    return canonical


def _check_encoding(data: bytes) -> Finding | None:
    """Encoding problems libxml2 would otherwise guess its way around."""
    bom = _bom(data)
    if bom is None:
        # UTF-16 without a BOM: XML 1.0 §4.3.3 requires the BOM for UTF-16.
        if data[:4] in (b"<\x00?\x00", b"\x00<\x00?") or data[:2] in (b"<\x00", b"\x00<"):
            return _finding(
                "XML008",
                "utf16-without-bom",
                N_("Document looks UTF-16 encoded but has no byte order mark"),
                line=1,
                column=1,
                expected="a UTF-16 byte order mark (FF FE or FE FF) before the content",
            )
        return None
    family = bom[1]
    declared = _declared_encoding(data)
    if declared is not None and _encoding_family(declared) != family:
        return _finding(
            "XML007",
            "encoding-contradicts-bom",
            N_("XML declaration says encoding {declared!r} but the byte order mark says {bom}"),
            {"declared": declared, "bom": family.upper()},
            line=1,
            column=1,
            value=declared,
            expected=family.upper(),
        )
    return None


# libxml2 messages whose cause is a resource limit, not malformed XML.
_DEPTH_MSG = "Excessive depth"
_TEXT_MSG = "Text node too long"
_HUGE_MSG = ("Resource limit exceeded", "xmlSAX2Characters: huge text node", "Huge input lookup")
_ENCODING_MSG = (
    "Input is not proper UTF-8",
    "Invalid bytes in character encoding",
    "Char 0x",
    "invalid character in attribute value",
    "Unsupported encoding",
    "encoding error",
)


def _syntax_finding(err: etree.XMLSyntaxError, parser: etree.XMLParser) -> Finding:
    entries = list(parser.error_log)
    entry = entries[0] if entries else None
    message = (entry.message if entry is not None else str(err)).strip()
    # libxml2 uses 0 for "unknown"; findings use None.
    line = (entry.line if entry is not None else err.lineno) or None
    column = (entry.column if entry is not None else None) or None
    if _DEPTH_MSG in message:
        return _finding(
            "XML005",
            "document-too-deep",
            N_("Document nesting exceeds libxml2's limit of {limit} levels"),
            {"limit": LIBXML2_MAX_DEPTH},
            line=line,
            column=column,
            basis=BASIS_SECURITY,
        )
    if _TEXT_MSG in message or any(m in message for m in _HUGE_MSG):
        return _finding(
            "XML009",
            "text-node-too-large",
            N_("A text node exceeds libxml2's size limit (10 MB without huge_tree)"),
            message=(
                f"A text node exceeds libxml2's size limit (10 MB without huge_tree): {message}"
            ),
            line=line,
            column=column,
            basis=BASIS_SECURITY,
        )
    if any(m in message for m in _ENCODING_MSG):
        return _finding(
            "XML006",
            "invalid-encoding",
            *_libxml2_parts("XML006", message),
            message=f"Bytes are not valid in the document's encoding: {message}",
            line=line,
            column=column,
        )
    if "Document is empty" in message or ("Start tag expected" in message and line in (0, 1)):
        return _finding(
            "XML001", "empty-input", N_("Input holds no XML element"), line=line, column=column
        )
    return _finding(
        "XML002",
        "not-well-formed",
        *_libxml2_parts("XML002", message),
        message=f"Not well-formed XML: {message}",
        line=line,
        column=column,
    )


_DOCTYPE = re.compile(r"<!DOCTYPE\b")
_START_TAG = re.compile(r"<[A-Za-z_:]")
_PROLOG_NOISE = re.compile(r"<!--.*?-->|<\?.*?\?>", re.DOTALL)


def _doctype_line(data: bytes) -> int | None:
    """The line of a DOCTYPE that stands in the prolog, before the root's start tag, or None.

    Checked before parsing so that libxml2 never sees a DTD at all; a ``<!DOCTYPE`` inside
    content (a comment or CDATA after the root starts) is not a declaration. Only the head of
    the input is read; a DOCTYPE behind more than 64 KB of prolog comments is still caught
    after parsing (entities are never expanded either way).
    """
    text = _head_text(data)
    # Blank out comments and PIs (keeping their line breaks): their text is not markup.
    text = _PROLOG_NOISE.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    start = _START_TAG.search(text)
    end = start.start() if start else len(text)
    found = _DOCTYPE.search(text, 0, end)
    return text.count("\n", 0, found.start()) + 1 if found else None


#: File signatures of the binary inputs people send by mistake (a scan, an archive, a
#: compressed export), each with what to call it.
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", T("a PNG image")),
    (b"\xff\xd8\xff", T("a JPEG image")),
    (b"GIF87a", T("a GIF image")),
    (b"GIF89a", T("a GIF image")),
    (b"%PDF-", T("a PDF document")),
    (b"\x1f\x8b", T("gzip-compressed data")),
    (b"PK\x03\x04", T("a ZIP archive (or an Office document)")),
    (b"PK\x05\x06", T("an empty ZIP archive")),
    (b"\xfd7zXZ\x00", T("xz-compressed data")),
    (b"(\xb5/\xfd", T("zstd-compressed data")),
    (b"7z\xbc\xaf'\x1c", T("a 7-Zip archive")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", T("an OLE2 file (e.g. a .doc or .xls)")),
)
_BZIP2 = re.compile(rb"BZh[1-9]1AY&SY")
#: How far into the input a NUL byte marks it binary (XML text never holds one; UTF-16 and
#: UTF-32, which do, are recognised by their BOM before this check).
_NUL_HEAD = 8 * 1024


def _binary_finding(data: bytes) -> Finding | None:
    """XML010 for input that is binary data, not XML text: a known file signature, or a NUL
    byte near the start. Told apart from "empty" (XML001) and "not well-formed" (XML002)."""
    kind = next((name for sig, name in _BINARY_SIGNATURES if data.startswith(sig)), None)
    if kind is None and _BZIP2.match(data):
        kind = T("bzip2-compressed data")
    if kind is None and _bom(data) is None:
        nul = data.find(b"\x00", 0, _NUL_HEAD)
        if nul >= 0:
            kind = T("binary data (a NUL byte at offset {offset})", offset=nul)
    if kind is None:
        return None
    return _finding(
        "XML010",
        "binary-input",
        N_("Input is {kind}, not XML text"),
        {"kind": kind},
        value=data[:8].hex(" "),
        expected="XML text: an XML declaration or an element first",
    )


_XML_START = re.compile(rb"\s*<")


def normalise_line_ends(data: bytes) -> bytes:
    """``data`` with every CR that is not followed by LF made an LF.

    XML end-of-line handling (XML 1.0 section 2.11) reads a lone CR as a line feed, so the
    document means the same; libxml2 counts only LFs, so without this a file with classic
    Mac (CR-only) line ends reports every finding at line 1. Only ASCII-compatible input
    (it starts with ``<`` after any spaces) and UTF-16/32 with a BOM are rewritten.
    """
    cr = data.count(b"\r")
    if not cr or cr == data.count(b"\r\n"):
        return data
    bom = _bom(data)
    if bom is None or bom[1] == "utf-8":
        start = len(bom[0]) if bom else 0
        if not _XML_START.match(data, start):
            return data
        return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    mark, _, codec, _ = bom
    try:
        text = data[len(mark) :].decode(codec)
    except UnicodeDecodeError:  # left to the parser: XML006
        return data
    if "\r" not in text:
        return data
    return mark + text.replace("\r\n", "\n").replace("\r", "\n").encode(codec)


def _doctype_finding(line: int = 1, value: str | None = None) -> Finding:
    return _finding(
        "XML003",
        "doctype-forbidden",
        N_(
            "Document carries a DOCTYPE declaration; DTDs and entity declarations are "
            "rejected and never expanded"
        ),
        line=line,
        basis=BASIS_SECURITY,
        value=value,
    )


def _depth_exceeds(root: etree._Element, limit: int) -> etree._Element | None:
    """The first element deeper than ``limit`` (root is depth 1), or None."""
    depth = 0
    for event, elem in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            depth += 1
            if depth > limit:
                return elem
        else:
            depth -= 1
    return None


def parse_bytes(
    data: bytes,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
    size: int | None = None,
) -> ParseResult:
    """Parse ``data`` safely; findings instead of exceptions for every bad input.

    ``size`` is the whole input's size when ``data`` holds only its first bytes (None: not
    known, the input was read only up to the limit).
    """
    if len(data) > max_bytes or (size is not None and size > max_bytes):
        # Reading stopped past the limit: a regular file's true size is known from its
        # metadata, a stream's (a pipe, a device) only as "more than the limit".
        said = T("{n} bytes", n=size) if size is not None else T("more than {n} bytes", n=max_bytes)
        return ParseResult(
            None,
            (
                _finding(
                    "XML004",
                    "input-too-large",
                    N_("Input is {size}; the limit is {limit} bytes"),
                    {"size": said, "limit": max_bytes},
                    basis=BASIS_SECURITY,
                    value=str(size) if size is not None else f">{max_bytes}",
                    expected=f"at most {max_bytes} bytes",
                ),
            ),
        )
    if not data.strip():
        return ParseResult(
            None, (_finding("XML001", "empty-input", N_("Input is empty"), line=1, column=1),)
        )
    refused = _check_encoding(data) or _binary_finding(data)
    if refused is not None:
        return ParseResult(None, (refused,))
    data = normalise_line_ends(data)
    doctype_line = _doctype_line(data)
    if doctype_line is not None:
        return ParseResult(None, (_doctype_finding(doctype_line),))

    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        return ParseResult(None, (_syntax_finding(err, parser),))
    if root is None:  # lxml returns None for some recoverable empties
        return ParseResult(None, (_finding("XML001", "empty-input", N_("Input is empty")),))
    tree = root.getroottree()
    docinfo = tree.docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:  # backstop for the prolog scan
        return ParseResult(None, (_doctype_finding(value=docinfo.doctype or None),))
    if max_depth < LIBXML2_MAX_DEPTH:
        deep = _depth_exceeds(root, max_depth)
        if deep is not None:
            return ParseResult(
                None,
                (
                    _finding(
                        "XML005",
                        "document-too-deep",
                        N_("Document nesting exceeds the limit of {limit} levels"),
                        {"limit": max_depth},
                        line=deep.sourceline,
                        basis=BASIS_SECURITY,
                    ),
                ),
            )
    return ParseResult(tree, ())
