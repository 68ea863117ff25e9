"""Hostile input: whatever the loaders are given, the only exception is the library's own.

Nothing turns an unexpected exception into a problem, so a crash anywhere in
reading fails these tests.  Beyond that, every refusal carries problems with
paths and the library's own codes (never a catch-all), every document read
is read again unchanged after it is written (``loads(dumps(x)) == x``) and
passes every constructor again, and where the envelope is sound the library
reads exactly the documents a plain cattrs converter (:mod:`tests.oracle`)
reads, into the same objects.

The normal test run keeps these short; ``make fuzz`` runs a long campaign
(``HYPOTHESIS_PROFILE=fuzz``, at least 100,000 examples per test).
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from cse_programme import KINDS, SCHEMA_VERSION, ValidationError, dumps, iter_jsonl, loads
from cse_programme._serialisation._json import parse, parse_line

from . import oracle
from .test_serialisation import EVERY_KIND

#: Codes that would say only that something went wrong, not which rule.
CATCH_ALL_CODES = frozenset({"invalid", "error", "unknown"})

JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=30,
)


def assert_explained(error: ValidationError) -> None:
    """Every problem has a path, a message and one of the library's own codes."""
    assert error.problems
    for problem in error.problems:
        assert problem.path == "" or problem.path.startswith("/")
        assert problem.code
        assert problem.code not in CATCH_ALL_CODES
        assert problem.message


def assert_read_again_unchanged(obj: object) -> None:
    """What was read is read again, unchanged, once written; and every part is valid."""
    assert loads(dumps(obj)) == obj
    assert oracle.rebuilt(obj) == obj


def outcome(raw: bytes | str) -> Any:
    """What loading *raw* gives: the object, or :data:`oracle.REFUSED`.

    Any other exception than the library's error fails the test.
    """
    try:
        loaded = loads(raw)
    except ValidationError as error:
        assert_explained(error)
        return oracle.REFUSED
    assert_read_again_unchanged(loaded)
    return loaded


def assert_only_our_error(raw: bytes | str) -> None:
    """Load *raw*; any other exception than ValidationError fails the test."""
    outcome(raw)


def expected_reading(document: Any) -> Any:
    """What a document should load as: the plain converter's reading of its data.

    A document whose envelope is not sound (the kind, the version, the keys)
    is refused before its data is read.
    """
    if type(document) is not dict or set(document) != {"kind", "schema_version", "data"}:
        return oracle.REFUSED
    kind, version = document["kind"], document["schema_version"]
    if type(kind) is not str or kind not in KINDS:
        return oracle.REFUSED
    if type(version) is not int or not 1 <= version <= SCHEMA_VERSION:
        return oracle.REFUSED
    return oracle.read(document["data"], KINDS[kind])


def assert_read_as_the_plain_converter_reads(document: Any) -> None:
    found = outcome(json.dumps(document))
    expected = expected_reading(document)
    if expected == oracle.REFUSED:
        assert found == oracle.REFUSED, "read what the plain converter refuses"
    else:
        assert found == expected, "refused or misread what the plain converter reads"


@given(JSON_VALUES)
def test_any_json_value(value: Any) -> None:
    assert_read_as_the_plain_converter_reads(value)


@given(JSON_VALUES, st.booleans(), st.sampled_from(["", " ", "\n", " \t\r\n"]))
@example(12, False, "")
@example(-5, False, "")
def test_any_json_text_is_read_as_the_value_it_was_written_from(
    value: Any, ascii_only: bool, space: str
) -> None:
    text = space + json.dumps(value, ensure_ascii=ascii_only) + space
    assert parse(text) == value
    assert parse(text.encode("utf-8")) == value


@given(st.sampled_from(sorted(KINDS)), JSON_VALUES)
def test_any_data_in_a_valid_envelope(kind: str, data: Any) -> None:
    assert_read_as_the_plain_converter_reads({"kind": kind, "schema_version": 1, "data": data})


def mutate(value: Any, data: st.DataObject) -> Any:
    """Change one thing somewhere inside *value*."""
    if isinstance(value, dict) and value and data.draw(st.booleans()):
        key = data.draw(st.sampled_from(sorted(value)))
        action = data.draw(st.sampled_from(["delete", "replace", "descend", "add"]))
        changed = dict(value)
        if action == "delete":
            del changed[key]
        elif action == "replace":
            changed[key] = data.draw(JSON_VALUES)
        elif action == "add":
            changed[data.draw(st.text(max_size=8))] = data.draw(JSON_VALUES)
        else:
            changed[key] = mutate(value[key], data)
        return changed
    if isinstance(value, list) and value and data.draw(st.booleans()):
        index = data.draw(st.integers(0, len(value) - 1))
        changed_list = list(value)
        if data.draw(st.booleans()):
            changed_list[index] = mutate(value[index], data)
        else:
            changed_list.append(value[index])
        return changed_list
    return data.draw(JSON_VALUES)


@given(EVERY_KIND, st.data())
def test_mutations_of_valid_documents(obj: object, data: st.DataObject) -> None:
    document = json.loads(dumps(obj))
    assert_read_as_the_plain_converter_reads(mutate(document, data))


@given(EVERY_KIND, st.data())
def test_truncated_and_corrupted_bytes(obj: object, data: st.DataObject) -> None:
    raw = dumps(obj)
    cut = data.draw(st.integers(0, len(raw)))
    assert_only_our_error(raw[:cut])
    position = data.draw(st.integers(0, len(raw) - 1))
    assert_only_our_error(
        raw[:position] + data.draw(st.binary(min_size=1, max_size=4)) + raw[position + 1 :]
    )


@given(EVERY_KIND)
def test_duplicated_keys_are_refused(obj: object) -> None:
    raw = dumps(obj)
    doubled = raw.replace(b'{"kind":', b'{"schema_version":1,"kind":', 1)
    with pytest.raises(ValidationError) as error:
        loads(doubled)
    assert error.value.problems[0].code == "duplicate_key"


def _outcome(read: Any, raw: bytes) -> tuple[str, Any]:
    try:
        return "value", read(raw)
    except ValidationError as error:
        return "error", error.problems


LINES = st.one_of(
    st.binary(max_size=60),
    st.tuples(
        st.sampled_from([b"", b"\xef\xbb\xbf", b" ", b"\t"]),
        st.tuples(JSON_VALUES, st.booleans()).map(
            lambda drawn: json.dumps(drawn[0], ensure_ascii=drawn[1]).encode(
                "utf-8", "surrogatepass"
            )
        ),
        # Form feed and no-break space are whitespace to Python, not to JSON.
        st.sampled_from([b"", b"\n", b" \r\n", b" x", b"]", b",1", b"\x0c\n", b"\xc2\xa0"]),
    ).map(b"".join),
    st.text(max_size=20).map(lambda text: text.encode("utf-8", "surrogatepass")),
    # A lone surrogate reaches a line only as a \u escape.
    st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF).map(
        lambda half: json.dumps({"notes": f"a{half}"}).encode("ascii")
    ),
    st.dictionaries(st.sampled_from("abc"), JSON_SCALARS, min_size=1).map(
        lambda value: json.dumps(value).replace('{"', '{"a":0,"', 1).encode("utf-8")
    ),
)


@given(LINES)
@example(b'{"suspects": 2} x\n')  # more after the value
@example(b'{"suspects": 2}\x0c\n')  # whitespace to Python, not to JSON
@example(b'\xef\xbb\xbf{"suspects": 2}\n')  # a byte-order mark
@example(b'{"notes": "\\udc00"}\n')  # a lone surrogate, escaped
@example(b'{"suspects": 2, "suspects": 3}\n')  # a key repeated
@example(b'{"notes": "caf\xe9"}\n')  # not UTF-8
def test_a_line_of_a_file_is_read_as_a_whole_text_is(raw: bytes) -> None:
    line = _outcome(parse_line, raw)
    assert line == _outcome(parse, raw)
    if line[0] == "value":
        assert line[1] == json.loads(raw.decode("utf-8"))


@given(st.binary(max_size=300))
def test_random_bytes(raw: bytes) -> None:
    assert_only_our_error(raw)


@given(st.lists(st.one_of(JSON_VALUES.map(json.dumps), st.text(max_size=20)), max_size=8))
def test_random_json_lines(lines: list[str]) -> None:
    stream = io.BytesIO(
        "\n".join(line.replace("\n", " ") for line in lines).encode("utf-8", "surrogatepass")
    )
    found: list[ValidationError] = []
    for record in iter_jsonl(stream, errors=found):
        assert_read_again_unchanged(record)
    for error in found:
        assert_explained(error)
        for problem in error.problems:
            assert problem.line is not None


def test_deep_nesting_and_giant_numbers() -> None:
    assert_only_our_error(b"[" * 50_000 + b"]" * 50_000)
    assert_only_our_error(b'{"kind": "source", "schema_version": ' + b"9" * 5000 + b', "data": {}}')
    assert_only_our_error(b'{"kind": "source", "schema_version": 1e999, "data": {}}')


def test_every_lone_surrogate_is_refused_where_it_is_and_a_key_at_its_object() -> None:
    text = b'{"a": ["ok", "\\ud800"], "\\udc00x": 1, "b": {"c": "\\udfff", "d": "\\ud83d\\ude00"}}'
    lone = "must be text without a lone surrogate (half of a UTF-16 pair)"
    key = "has a key holding a lone surrogate (half of a UTF-16 pair)"
    with pytest.raises(ValidationError) as error:
        parse(text)
    assert [(p.path, p.message, p.code) for p in error.value.problems] == [
        ("", key, "surrogate"),
        ("/a/1", lone, "surrogate"),
        ("/b/c", lone, "surrogate"),
    ]
    # A pair, escaped, is one character, and reads.
    assert parse(b'["\\ud83d\\ude00"]') == ["\U0001f600"]


def test_a_key_holding_a_slash_or_a_tilde_is_escaped_in_the_path_as_json_pointer_says() -> None:
    with pytest.raises(ValidationError) as error:
        parse(b'{"a/b~c": ["\\ud800"]}')
    assert [p.path for p in error.value.problems] == ["/a~1b~0c/0"]
