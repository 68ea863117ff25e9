"""The converter: built by one function, the same every time it is built.

``make_converter`` runs once when the package is imported.  These tests build
another and check that it reads, refuses and writes every document kind
exactly as the library's own converter does, down to each problem's path,
message and code, for every field of every golden document broken in turn.
"""

from __future__ import annotations

import json
from typing import Any

import cattrs
import pytest

from cse_programme import KINDS, Problem, ValidationError
from cse_programme._serialisation._converter import CONVERTER, make_converter, problems_of

from .documents import broken_versions, golden


def outcome(converter: cattrs.Converter, data: Any, cls: type) -> tuple[Any, ...]:
    """What reading *data* gives: the object written back out, or the problems."""
    try:
        return ("read", converter.unstructure(converter.structure(data, cls)))
    except Exception as exc:  # compared, not hidden: both converters must agree
        problems: list[Problem] = problems_of(exc)
        return ("refused", type(exc).__name__, problems)


SMALL_KINDS = sorted(kind for kind in KINDS if kind != "programme")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_fresh_converter_reads_and_writes_every_kind_alike(kind: str) -> None:
    fresh, cls, data = make_converter(), KINDS[kind], golden(kind)
    read: Any = CONVERTER.structure(data, cls)
    assert fresh.structure(data, cls) == read
    written = fresh.unstructure(read)
    assert written == CONVERTER.unstructure(read)
    assert json.loads(json.dumps(written)) == data


@pytest.mark.parametrize("kind", SMALL_KINDS)
def test_a_fresh_converter_refuses_every_broken_field_alike(kind: str) -> None:
    fresh, cls = make_converter(), KINDS[kind]
    tried = 0
    for broken in broken_versions(golden(kind)):
        expected = outcome(CONVERTER, broken, cls)
        assert outcome(fresh, broken, cls) == expected, broken
        tried += 1
    assert tried > 10


def test_broken_documents_are_refused_with_the_librarys_error() -> None:
    # The comparison above is only meaningful if the breakages are refused.
    cls = KINDS["support_service"]
    refused = [
        outcome(CONVERTER, broken, cls)[0] == "refused"
        for broken in broken_versions(golden("support_service"))
    ]
    assert refused.count(True) > 0.8 * len(refused)
    for broken in broken_versions(golden("claim")):
        found = outcome(CONVERTER, broken, KINDS["claim"])
        if found[0] == "refused":
            assert found[1] == ValidationError.__name__
            assert all(problem.path.startswith("/") for problem in found[2])


WRONG_AT_THE_TOP: tuple[Any, ...] = (None, "x", [["x"]], [{}])


def test_the_programme_refuses_a_broken_top_level_field_alike() -> None:
    fresh, cls, data = make_converter(), KINDS["programme"], golden("programme")
    for key in data:
        for wrong in WRONG_AT_THE_TOP:
            broken = {**data, key: wrong}
            assert outcome(fresh, broken, cls) == outcome(CONVERTER, broken, cls), key


def test_an_unexpected_failure_is_still_a_problem_with_a_path() -> None:
    found = problems_of(RuntimeError("a value that must not be repeated"), "data", 3)
    assert found == [Problem("/data/3", "could not be read", "invalid")]
