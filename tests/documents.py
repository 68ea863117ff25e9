"""Golden documents, and the same documents broken one thing at a time."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cse_programme import SCHEMA_VERSION

GOLDEN = Path(__file__).resolve().parent / "golden" / f"v{SCHEMA_VERSION}"

#: Values of every JSON type, each wrong for most fields.
WRONG_VALUES: tuple[Any, ...] = (
    True,
    1.5,
    -1,
    10**20,
    "",
    "x",
    None,
    [],
    {},
    ["x"],
    # Text that a lenient date or time parser would read.
    "20250602",
    "2025-06-02 09:30:00+00:00",
    # Text that no UTF-8 file can hold, and a moment that UTC cannot express.
    "\ud800",
    ["\udfff"],
    "9999-12-31T23:59:59-23:59",
    # A count just past the bound on the people in one case.
    10_001,
)

Path_ = tuple[str | int, ...]


def golden(kind: str) -> Any:
    return json.loads((GOLDEN / f"{kind}.json").read_text(encoding="utf-8"))["data"]


def places(value: Any, where: Path_ = ()) -> Iterator[Path_]:
    """The path of every value inside *value*, the outermost first."""
    yield where
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from places(inner, (*where, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from places(inner, (*where, index))


def replaced(document: Any, where: Path_, new: Any) -> Any:
    changed = copy.deepcopy(document)
    *parents, last = where
    container = changed
    for step in parents:
        container = container[step]
    container[last] = new
    return changed


def without(document: Any, where: Path_) -> Any:
    changed = copy.deepcopy(document)
    *parents, last = where
    container = changed
    for step in parents:
        container = container[step]
    del container[last]
    return changed


def broken_versions(data: Any) -> Iterator[Any]:
    """*data* with one thing wrong: a value replaced, a key deleted or added, an item repeated."""
    for where in places(data):
        if not where:
            continue
        for wrong in WRONG_VALUES:
            yield replaced(data, where, wrong)
        if isinstance(where[-1], str):
            yield without(data, where)
    for where in places(data):
        inner = data
        for step in where:
            inner = inner[step]
        if isinstance(inner, dict):
            yield replaced(data, (*where, "unexpected"), "x") if where else {**data, "x": 1}
        if isinstance(inner, list) and inner:
            yield replaced(data, where, [*inner, inner[0]])
