"""Where the tests find the third-party standards (read in place, never copied)."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

_DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "standards"
STANDARDS = Path(os.environ.get("CSE_STANDARDS_DIR", _DEFAULT))
SOURCES = STANDARDS.parent / "sources"

#: Set to ``1`` where the shared folder must be present, as continuous
#: integration sets it: a test that needs a missing folder then fails, where
#: on a fresh clone without ``../shared`` it is skipped with the reason.
REQUIRED = "CSE_REQUIRE_STANDARDS"

#: Marks a test that reads the official standards.
needs_standards = pytest.mark.needs_shared(STANDARDS, "the official standards")
#: Marks a test that reads the source documents.
needs_sources = pytest.mark.needs_shared(SOURCES, "the source documents")


def check_shared(item: pytest.Item) -> None:
    """Skip *item*, or fail it where they are required, if a folder it needs is missing."""
    for mark in item.iter_markers("needs_shared"):
        folder, what = mark.args
        if folder.is_dir():
            continue
        reason = f"{what} are not at {folder} (set CSE_STANDARDS_DIR)"
        if os.environ.get(REQUIRED) == "1":
            pytest.fail(f"{reason}, and {REQUIRED}=1 requires them", pytrace=False)
        pytest.skip(reason)


def _load(relative: str) -> Any:
    return json.loads((STANDARDS / relative).read_text(encoding="utf-8"))


@cache
def threesixtygiving_validator() -> Draft202012Validator:
    """The official 360Giving package schema, its remote grant schema mapped to the local file."""
    grant = _load("360giving/schema/360-giving-schema.json")
    package = _load("360giving/schema/360-giving-package-schema.json")
    resource: Resource[Any] = DRAFT202012.create_resource(grant)
    # The package schema refers to the grant schema by its published address
    # (under 1.4.2); both addresses are served from the local copy.
    addresses = {grant["$id"], package["properties"]["grants"]["items"]["$ref"]}
    registry: Registry[Any] = Registry().with_resources((a, resource) for a in addresses)
    return Draft202012Validator(package, registry=registry, format_checker=FormatChecker())


@cache
def hsds_service_validator() -> Draft202012Validator:
    """The official compiled HSDS 3.1 service schema."""
    schema = _load("hsds/schema/compiled/service_with_definitions.json")
    return Draft202012Validator(schema, format_checker=FormatChecker())
