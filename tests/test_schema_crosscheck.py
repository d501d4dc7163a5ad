"""A second XSD processor (xmlschema) agrees with libxml2 on our schema and samples.

libxml2 is the validator at run time (speed); xmlschema checks that the schema is sound XSD
1.0 and that no verdict depends on one processor's leniency.
"""

from __future__ import annotations

import tomllib
from functools import cache

import pytest
import xmlschema
from lxml import etree

from asw_validator import doctypes
from asw_validator.envelope import open_envelope

from .conftest import REPO, SAMPLES

CATALOG = tomllib.loads((SAMPLES / "catalog.toml").read_text("utf-8"))["sample"]
# the types with a schema (a WCO declaration has no XSD layer)
XSD_SAMPLES = [s for s in CATALOG if s["doctype"] and doctypes.get(s["doctype"]).schema]


@cache
def schema(doctype: str) -> xmlschema.XMLSchema10:
    return xmlschema.XMLSchema10(str(REPO / "schemas" / doctypes.get(doctype).schema))


@pytest.mark.parametrize("sample", XSD_SAMPLES, ids=[s["file"] for s in XSD_SAMPLES])
def test_xmlschema_agrees_on_schema_validity(sample: dict[str, object]) -> None:
    path = SAMPLES / str(sample["file"])
    expected = sample["expected"]
    assert isinstance(expected, list)
    has_xsd_finding = any(str(c).startswith("XSD") for c in expected)
    if "envelope" in sample:  # the schema is the certificate's: give xmlschema what is inside
        opened = open_envelope(etree.parse(str(path)), max_bytes=10**8, max_depth=256)
        assert opened is not None and opened.tree is not None
        resource = xmlschema.XMLResource(etree.tostring(opened.tree), defuse="always")
    else:
        resource = xmlschema.XMLResource(str(path), defuse="always", allow="sandbox")
    assert schema(str(sample["doctype"])).is_valid(resource) is not has_xsd_finding
