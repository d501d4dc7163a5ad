"""The trainer's sample kit: the shipped sample messages and their catalogue.

Each sample in ``samples/catalog.toml`` has a story a trainer can read aloud, its document
type, countries and the exact codes the tool reports for it; ``tests/test_samples.py``
keeps the catalogue true. This module reads it, filters it and copies the kit somewhere a
trainer can edit it, never over an existing file.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .resources import data_dir

CATALOG = "catalog.toml"


@dataclass(frozen=True)
class Sample:
    file: str
    doctype: str
    countries: tuple[str, ...]
    valid: bool
    expected: tuple[str, ...]
    story: str
    #: Cross-document codes the file also gets when every sample is validated in one run.
    in_run: tuple[str, ...] = ()
    #: "soap" or "hub" when the certificate travels in an envelope.
    envelope: str | None = None

    @property
    def path(self) -> Path:
        return data_dir("samples") / self.file

    @property
    def route(self) -> str:
        return " -> ".join(self.countries)

    @property
    def first_sentence(self) -> str:
        end = self.story.find(". ")
        return self.story if end < 0 else self.story[: end + 1]

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "doctype": self.doctype,
            "countries": list(self.countries),
            "valid": self.valid,
            "expected": list(self.expected),
            "in_run": list(self.in_run),
            "envelope": self.envelope,
            "story": self.story,
        }


def catalog() -> list[Sample]:
    """Every shipped sample, in the catalogue's order."""
    import tomllib

    with (data_dir("samples") / CATALOG).open("rb") as fh:
        entries = tomllib.load(fh)["sample"]
    return [
        Sample(
            file=e["file"],
            doctype=e["doctype"],
            countries=tuple(e["countries"]),
            valid=e["valid"],
            expected=tuple(e["expected"]),
            story=" ".join(e["story"].split()),
            in_run=tuple(e.get("in_run", ())),
            envelope=e.get("envelope"),
        )
        for e in entries
    ]


def select(
    samples: Iterable[Sample],
    *,
    doctype: str | None = None,
    country: str | None = None,
    code: str | None = None,
) -> list[Sample]:
    """The samples of a document type, that involve a country, or that report a code (or a
    code starting with ``code``, e.g. ``FD``), in or beside a run."""
    out = []
    for s in samples:
        if doctype is not None and s.doctype != doctype:
            continue
        if country is not None and country.upper() not in s.countries:
            continue
        if code is not None and not any(c.startswith(code.upper()) for c in s.expected + s.in_run):
            continue
        out.append(s)
    return out


class SampleNotFoundError(LookupError):
    pass


def find(name: str, samples: Iterable[Sample]) -> Sample:
    """The sample called ``name``: its catalogue path (``acdd/valid-vn-th-rice.xml``), its
    file name, or its file name without ``.xml``."""
    wanted = name.removesuffix(".xml")
    found = [
        s for s in samples if s.file.removesuffix(".xml") == wanted or Path(s.file).stem == wanted
    ]
    if len(found) == 1:
        return found[0]
    if found:
        raise SampleNotFoundError(f"{name!r} names {', '.join(s.file for s in found)}")
    raise SampleNotFoundError(f"no sample is called {name!r} ('asw-validator samples' lists them)")


def copy_kit(target: Path) -> list[Path]:
    """Copy every sample and the catalogue under ``target`` (made if missing); nothing is
    copied if any of those files is there already. Returns the files written."""
    source = data_dir("samples")
    files = [source / CATALOG, *(s.path for s in catalog())]
    plan = [(f, target / f.relative_to(source)) for f in files]
    taken = [str(dest) for _, dest in plan if dest.exists() or dest.is_symlink()]
    if taken:
        more = f" and {len(taken) - 3} more" if len(taken) > 3 else ""
        raise FileExistsError(f"would overwrite {', '.join(taken[:3])}{more}; nothing copied")
    for src, dest in plan:
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
    return [dest for _, dest in plan]
