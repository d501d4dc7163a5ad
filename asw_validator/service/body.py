"""Request bodies read as they arrive, counted against the limits, never spooled to disk.

A body over a limit is refused as soon as the count passes it (413), before it is read whole;
a client that sends too slowly is cut off (408). Multipart bodies are parsed as a stream by
python-multipart's parser: every file stays in memory (the frameworks' upload helpers spool
large files to a temporary file, and a document must never reach the file system).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

#: Form fields (the page's options and pasted XML) are at most this long, pasted XML aside.
MAX_FIELD_BYTES = 1024
MAX_FIELDS = 16
#: The form field that carries pasted XML (the page's text area): a document of its own.
PASTED_FIELD = "xml"
PASTED_LABEL = "pasted.xml"


class BodyError(Exception):
    """The body cannot be accepted: HTTP ``status``, a title and what to do about it."""

    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail


def too_large(detail: str) -> BodyError:
    return BodyError(413, "Content too large", detail)


@dataclass(frozen=True)
class Limits:
    file_bytes: int
    request_bytes: int
    max_files: int
    read_timeout: float


@dataclass
class Upload:
    """What a body holds: documents (bytes and a label each) and form fields."""

    documents: list[tuple[bytes, str]] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)


async def read_xml(chunks: AsyncIterator[bytes], limits: Limits) -> bytes:
    """One document, the whole body: at most ``file_bytes``."""
    limit = min(limits.file_bytes, limits.request_bytes)
    kept = bytearray()
    async for chunk in _timed(chunks, limits.read_timeout):
        kept += chunk
        if len(kept) > limit:
            raise too_large(f"the document is larger than {limit} bytes")
    return bytes(kept)


#: Told of each form field as it ends (name, value) and of each document as it begins (name,
#: None); may refuse the body by raising ``BodyError`` (the page's token, checked before the
#: documents that follow it are read).
Gate = Callable[[str, str | None], None]


async def read_multipart(
    chunks: AsyncIterator[bytes], boundary: bytes, limits: Limits, gate: Gate | None = None
) -> Upload:
    """Every part of a ``multipart/form-data`` body: a part with a file name is a document,
    the ``xml`` field is a pasted document, any other part is a form field."""
    parts = _Parts(limits, gate)
    try:
        parser = MultipartParser(boundary, parts.callbacks())
    except ValueError as err:
        raise BodyError(400, "Bad multipart body", str(err)) from err
    total = 0
    try:
        async for chunk in _timed(chunks, limits.read_timeout):
            total += len(chunk)
            if total > limits.request_bytes:
                raise too_large(f"the request is larger than {limits.request_bytes} bytes")
            parser.write(chunk)
    except MultipartParseError as err:
        raise BodyError(400, "Bad multipart body", str(err)) from err
    if not parts.ended:
        raise BodyError(400, "Bad multipart body", "the body ends before its closing boundary")
    return parts.upload


async def _timed(chunks: AsyncIterator[bytes], seconds: float) -> AsyncIterator[bytes]:
    """The chunks, as long as the whole body comes within ``seconds`` (else 408)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    iterator = aiter(chunks)
    while True:
        try:
            async with asyncio.timeout_at(deadline):
                chunk = await anext(iterator)
        except StopAsyncIteration:
            return
        except TimeoutError:
            raise BodyError(
                408, "Request timeout", f"the body did not arrive within {seconds:g} seconds"
            ) from None
        if chunk:
            yield chunk


class _Parts:
    """python-multipart callbacks that collect parts, counting each against its limit."""

    def __init__(self, limits: Limits, gate: Gate | None = None) -> None:
        self.limits = limits
        self.gate = gate
        self.upload = Upload()
        self.ended = False
        self._headers: dict[bytes, bytes] = {}
        self._field = bytearray()
        self._value = bytearray()
        self._name = ""
        self._filename: str | None = None
        self._data = bytearray()
        self._limit = 0

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self._begin,
            "on_header_field": self._header_field,
            "on_header_value": self._header_value,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_done,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
            "on_end": self._end,
        }

    def _begin(self) -> None:
        self._headers = {}
        self._data = bytearray()

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def _header_end(self) -> None:
        self._headers[bytes(self._field).lower()] = bytes(self._value)
        self._field, self._value = bytearray(), bytearray()

    def _headers_done(self) -> None:
        disposition, options = parse_options_header(self._headers.get(b"content-disposition"))
        if disposition != b"form-data" or b"name" not in options:
            raise BodyError(400, "Bad multipart body", "a part has no form-data name")
        self._name = options[b"name"].decode("utf-8", "replace")
        filename = options.get(b"filename")
        self._filename = None if filename is None else _label(filename)
        if self._filename is not None or self._name == PASTED_FIELD:
            if self.gate is not None:
                self.gate(self._name, None)
            if len(self.upload.documents) >= self.limits.max_files:
                raise too_large(f"more than {self.limits.max_files} documents in one request")
            self._limit = self.limits.file_bytes
        else:
            if len(self.upload.fields) >= MAX_FIELDS:
                raise BodyError(400, "Bad multipart body", "too many form fields")
            self._limit = MAX_FIELD_BYTES

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        self._data += data[start:end]
        if len(self._data) > self._limit:
            what = "a document" if self._limit == self.limits.file_bytes else "a form field"
            raise too_large(f"{what} is larger than {self._limit} bytes")

    def _part_end(self) -> None:
        data = bytes(self._data)
        if self._filename is not None:
            if self._filename or data:  # a file input left empty sends an empty part
                self.upload.documents.append((data, self._filename or "upload.xml"))
        elif self._name == PASTED_FIELD:
            if data.strip():
                self.upload.documents.append((data, PASTED_LABEL))
        else:
            value = data.decode("utf-8", "replace")
            self.upload.fields[self._name] = value
            if self.gate is not None:
                self.gate(self._name, value)

    def _end(self) -> None:
        self.ended = True


def _label(raw: bytes) -> str:
    """A file name as a report label: as sent (browsers send the base name), decoded, with
    control characters replaced and at most 255 characters. Never used as a path."""
    text = raw.decode("utf-8", "replace")
    return "".join(c if c.isprintable() else "?" for c in text)[:255]


def boundary(content_type: str) -> bytes:
    """The boundary of a ``multipart/form-data`` content type (400 when there is none)."""
    _, options = parse_options_header(content_type)
    found = options.get(b"boundary")
    if not found:
        raise BodyError(400, "Bad multipart body", "the Content-Type names no boundary")
    return found
