"""A schema set the user supplies (``--schema-dir``): an official UN/CEFACT package, a
national message guide. Its entry point is found by what it declares, and it is read from
files under its directory only.

A schema set is input like any document: its ``schemaLocation`` attributes could name a URL
(network), an absolute path, or climb out of the directory through ``..`` or a symbolic
link, and so make libxml2 read any file. Every location is therefore resolved here first,
relative to the file that names it, and its real path must lie under the directory's real
path; the compile then gets a resolver that hands libxml2 those files and nothing else.
Imported lazily: a run without ``--schema-dir`` never loads this module.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from lxml import etree

from .i18n import N_, T
from .schemas import SchemaLoadError

XSD = "http://www.w3.org/2001/XMLSchema"
#: The XSD elements whose ``schemaLocation`` makes a processor read another file.
_LOCATING = tuple(f"{{{XSD}}}{name}" for name in ("import", "include", "redefine", "override"))
#: A location with a URI scheme (``http:``, ``file:``, ``urn:``...) names no file under DIR.
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def _parser() -> etree.XMLParser:
    # A schema file is parsed as carefully as any input: no network, no DTD, no entities.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@dataclass(frozen=True)
class SchemaSet:
    """The files of one user schema set for one root element."""

    directory: Path  # real path of DIR
    entry: Path  # real path of the entry point
    files: tuple[Path, ...]  # the entry point, then every file it reaches (sorted)
    sha256: str  # over ``files``, in that order
    version: str  # the entry point's xs:schema/@version, if any

    @property
    def relative(self) -> str:
        """The entry point's path inside DIR, as reports name it."""
        return self.entry.relative_to(self.directory).as_posix()

    def compile(self) -> etree.XMLSchema:
        """Compile with a resolver that gives libxml2 only the files of this set."""
        gate = _Inside(frozenset(str(f) for f in self.files))
        parser = _parser()
        parser.resolvers.add(gate)
        try:
            return etree.XMLSchema(etree.parse(str(self.entry), parser))
        except (etree.XMLSyntaxError, etree.XMLSchemaParseError) as err:
            where = {"dir": str(self.directory), "file": str(self.relative), "error": str(err)}
            if gate.refused:
                raise SchemaLoadError(
                    N_(
                        "--schema-dir {dir}: {file} does not compile: {error}; refused to read"
                        " {refused}"
                    ),
                    refused=", ".join(gate.refused),
                    **where,
                ) from err
            raise SchemaLoadError(
                N_("--schema-dir {dir}: {file} does not compile: {error}"), **where
            ) from err


class _Inside(etree.Resolver):
    """Hands libxml2 the files of the set; anything else gets a document that is no schema,
    so the compile fails (and says what was refused) rather than reading it."""

    def __init__(self, allowed: frozenset[str]) -> None:
        super().__init__()
        self.allowed = allowed
        self.refused: list[str] = []

    def resolve(self, system_url: str | None, public_id: str | None, context: Any) -> Any:
        path = _local_path(system_url or "")
        if path is not None and os.path.realpath(path) in self.allowed:
            return self.resolve_filename(os.path.realpath(path), context)
        self.refused.append(system_url or "(no URL)")
        return self.resolve_string('<refused xmlns="urn:asw-validator:refused"/>', context)


def _local_path(url: str) -> str | None:
    """The file a URL libxml2 asks for names (a plain path or ``file:``), else None."""
    if url.startswith("file:"):
        parts = urlsplit(url)
        return unquote(parts.path) if parts.netloc in ("", "localhost") else None
    if _SCHEME.match(url):
        return None
    return unquote(url)


@cache
def find(directory: Path, namespace: str, root: str) -> SchemaSet:
    """The schema set under ``directory`` whose entry point declares ``{namespace}root``.

    Raises ``SchemaLoadError`` with a message that names the problem: no entry point or more
    than one, a location that is a URL, absolute, missing or outside the directory.
    """
    base = Path(os.path.realpath(directory))
    if not base.is_dir():
        raise SchemaLoadError(N_("--schema-dir {dir}: not a directory"), dir=str(directory))
    qname = f"{{{namespace}}}{root}"
    entries = [path for path in _schema_files(base) if _declares(path, namespace, root)]
    if not entries:
        raise SchemaLoadError(
            N_(
                "--schema-dir {dir}: no schema under it declares {qname} (an xs:schema"
                " with targetNamespace {namespace} and a global element {root})"
            ),
            dir=str(directory),
            qname=qname,
            namespace=namespace,
            root=root,
        )
    if len(entries) > 1:
        names = ", ".join(p.relative_to(base).as_posix() for p in entries)
        raise SchemaLoadError(
            N_("--schema-dir {dir}: several schemas declare {qname}: {names}"),
            dir=str(directory),
            qname=qname,
            names=names,
        )
    entry = entries[0]
    reached = _reach(base, entry)
    files = (entry, *sorted(reached - {entry}))
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes())
    version = etree.parse(str(entry), _parser()).getroot().get("version") or "unversioned"
    return SchemaSet(base, entry, files, digest.hexdigest(), version)


def _schema_files(base: Path) -> list[Path]:
    """``*.xsd`` files under ``base`` whose real path is inside it (a symbolic link out of
    the directory is not followed), sorted."""
    found: list[Path] = []
    for root, dirs, files in os.walk(base):  # links to directories are not walked
        dirs.sort()
        for name in sorted(files):
            if name.lower().endswith(".xsd"):
                real = Path(os.path.realpath(Path(root) / name))
                if real.is_relative_to(base) and real.is_file():
                    found.append(real)
    return found


def _declares(path: Path, namespace: str, root: str) -> bool:
    data = path.read_bytes()
    if namespace.encode() not in data:  # cheap: most files of a package are code lists
        return False
    try:
        schema = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError:
        return False
    if schema.tag != f"{{{XSD}}}schema" or schema.get("targetNamespace") != namespace:
        return False
    return any(e.get("name") == root for e in schema.iterchildren(f"{{{XSD}}}element"))


def _reach(base: Path, entry: Path) -> set[Path]:
    """Every file the entry point reaches through schemaLocation, each checked."""
    seen = {entry}
    todo = [entry]
    while todo:
        current = todo.pop()
        try:
            schema = etree.parse(str(current), _parser()).getroot()
        except etree.XMLSyntaxError as err:
            raise SchemaLoadError(
                N_("--schema-dir {dir}: {file} is not well-formed: {error}"),
                dir=str(base),
                file=current.relative_to(base).as_posix(),
                error=str(err),
            ) from err
        for elem in schema.iter(*_LOCATING):
            location = elem.get("schemaLocation")
            if location is None:
                continue
            target = _resolve(base, current, location)
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def _resolve(base: Path, current: Path, location: str) -> Path:
    """The file a schemaLocation names, relative to the file naming it, inside ``base``."""
    where = T(
        "--schema-dir {dir}: {file} names {location!r}",
        dir=str(base),
        file=current.relative_to(base).as_posix(),
        location=location,
    )
    text = location.strip()
    if _SCHEME.match(text):
        raise SchemaLoadError(
            N_("{where}, a URL; a schema set is read from files under DIR only"), where=where
        )
    if text.startswith(("/", "\\")) or Path(text).is_absolute():
        raise SchemaLoadError(
            N_("{where}, an absolute path; locations must be relative"), where=where
        )
    target = Path(os.path.realpath(current.parent / unquote(text)))
    if not target.is_relative_to(base):
        raise SchemaLoadError(
            N_("{where}, which is {target}: outside the directory"),
            where=where,
            target=str(target),
        )
    if not target.is_file():
        raise SchemaLoadError(N_("{where}, which does not exist"), where=where)
    return target
