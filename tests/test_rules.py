"""Field rules: each factory's check, message, code, path and JSON Schema.

The model's classes build their rules when the package is imported; these
tests build them afresh so that each rule's behaviour is pinned on its own.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cse_programme import ValidationError
from cse_programme.model._rules import (
    Rule,
    a_or_an,
    aware_timestamp,
    calendar_day,
    instance_of,
    is_sensitive,
    matching,
    member_of,
    optional,
    set_of,
    text,
    tuple_of,
    type_name,
    whole_number,
)
from cse_programme.model._rules import and_then as rule_and_then


class Colour(enum.Enum):
    RED = "red"


@attrs.define
class Holder:
    field: object = None


def problems(rule: Rule, value: object, *, instance: object = None) -> list[tuple[str, str, str]]:
    """What *rule* reports for *value* in a field named ``field``: (path, message, code)."""
    try:
        rule(instance, attrs.fields(Holder).field, value)
    except ValidationError as error:
        return [(p.path, p.message, p.code) for p in error.problems]
    return []


def test_whole_number_bounds_and_schema() -> None:
    rule = whole_number(1, 5)
    assert rule.json_schema == {"minimum": 1, "maximum": 5}
    assert whole_number().json_schema == {"minimum": 0}
    assert problems(rule, 1) == problems(rule, 5) == []
    assert problems(rule, 0) == [("/field", "must be at least 1", "minimum")]
    assert problems(rule, 6) == [("/field", "must be at most 5", "maximum")]
    assert problems(whole_number(), 10**30) == []
    assert problems(whole_number(), -1) == [("/field", "must be at least 0", "minimum")]


@pytest.mark.parametrize(
    ("value", "named"),
    [(True, "a boolean"), (1.0, "a floating-point number"), ("1", "a string"), (None, "null")],
)
def test_whole_number_refuses_other_types(value: object, named: str) -> None:
    assert problems(whole_number(), value) == [
        ("/field", f"must be a whole number, not {named}", "type")
    ]


def test_text_rule() -> None:
    rule = text(3)
    assert rule.json_schema == {"minLength": 1, "maxLength": 3, "pattern": r"\S"}
    assert text().json_schema["maxLength"] == 500
    assert problems(rule, "abc") == problems(rule, " a ") == []
    assert problems(rule, "abcd") == [("/field", "must be at most 3 characters", "too_long")]
    assert problems(rule, " \t") == [("/field", "must not be blank", "blank")]
    assert problems(rule, "") == [("/field", "must not be blank", "blank")]
    assert problems(rule, 3) == [("/field", "must be text, not an integer", "type")]
    assert problems(text(), "x" * 500) == []
    assert problems(text(), "x" * 501)[0][2] == "too_long"


def test_matching_rule() -> None:
    rule = matching(r"[a-z]+", "lower-case letters")
    assert rule.json_schema == {"pattern": "[a-z]+"}
    assert problems(rule, "abc") == []
    # The whole value must match, not only its start.
    assert problems(rule, "abc1") == [("/field", "must be lower-case letters", "pattern")]
    assert problems(rule, b"abc") == [("/field", "must be text, not a bytes", "type")]


def test_instance_of_rule() -> None:
    rule = instance_of(dt.timedelta, "a duration")
    assert rule.json_schema == {}
    assert problems(rule, dt.timedelta(days=1)) == []
    assert problems(rule, 1) == [("/field", "must be a duration, not an integer", "type")]


def test_member_of_rule() -> None:
    rule = member_of(Colour)
    assert rule.json_schema == {}
    assert problems(rule, Colour.RED) == []
    assert problems(rule, "red") == [("/field", "must be a Colour, not a string", "type")]


def test_calendar_day_rule() -> None:
    rule = calendar_day()
    assert problems(rule, dt.date(2025, 11, 1)) == []
    moment = dt.datetime(2025, 11, 1, tzinfo=dt.UTC)
    assert problems(rule, moment) == [("/field", "must be a datetime.date, not a datetime", "type")]
    assert problems(rule, "2025-11-01") == [
        ("/field", "must be a datetime.date, not a string", "type")
    ]


def test_aware_timestamp_rule() -> None:
    rule = aware_timestamp()
    assert problems(rule, dt.datetime(2025, 11, 1, tzinfo=dt.UTC)) == []
    assert problems(rule, dt.datetime(2025, 11, 1)) == [
        ("/field", "must carry a timezone (a UTC offset)", "naive_timestamp")
    ]
    assert problems(rule, dt.date(2025, 11, 1)) == [
        ("/field", "must be a datetime.datetime, not a date", "type")
    ]


class NoOffset(dt.tzinfo):
    """A timezone that does not know its offset: still ambiguous."""

    def utcoffset(self, _: dt.datetime | None) -> None:
        return None

    def dst(self, _: dt.datetime | None) -> None:
        return None

    def tzname(self, _: dt.datetime | None) -> None:
        return None


def test_a_timezone_without_an_offset_is_naive() -> None:
    moment = dt.datetime(2025, 11, 1, tzinfo=NoOffset())
    assert problems(aware_timestamp(), moment)[0][2] == "naive_timestamp"


def test_set_of_rule() -> None:
    rule = set_of(int, "a whole number", non_empty=True)
    assert rule.json_schema == {"minItems": 1}
    assert set_of(int, "a whole number").json_schema == {}
    assert problems(rule, frozenset({1, 2})) == []
    assert problems(set_of(int, "a whole number"), frozenset()) == []
    assert problems(rule, frozenset()) == [("/field", "must name at least one", "empty")]
    assert problems(rule, {1}) == [("/field", "must be a frozenset, not a set", "type")]
    # A set has no order, so a wrong item is reported on the set itself.
    assert problems(rule, frozenset({"a"})) == [
        ("/field", "must be a whole number, not a string", "type")
    ]


def test_tuple_of_rule() -> None:
    rule = tuple_of(int, "a whole number", non_empty=True, unique=True)
    assert rule.json_schema == {"minItems": 1, "uniqueItems": True}
    assert tuple_of(int, "a whole number").json_schema == {}
    assert tuple_of(int, "n", unique=True).json_schema == {"uniqueItems": True}
    assert problems(rule, (1, 2)) == []
    assert problems(tuple_of(int, "n"), ()) == []
    assert problems(tuple_of(int, "n"), (1, 1)) == []
    assert problems(rule, ()) == [("/field", "must hold at least one", "empty")]
    assert problems(rule, (1, 1)) == [("/field", "must not hold the same item twice", "duplicate")]
    assert problems(rule, [1]) == [("/field", "must be a tuple, not a list", "type")]
    assert problems(rule, (1, "a", True)) == [
        ("/field/1", "must be a whole number, not a string", "type"),
        ("/field/2", "must be a whole number, not a boolean", "type"),
    ]


def test_optional_allows_none_and_keeps_the_rule() -> None:
    rule = optional(whole_number(1))
    assert rule.allows_none
    assert not whole_number(1).allows_none
    assert problems(rule, None) == []
    assert problems(rule, 0)[0][2] == "minimum"
    assert problems(whole_number(1), None)[0][2] == "type"


def test_a_further_check_runs_after_the_rule_and_only_on_an_object() -> None:
    seen: list[Any] = []

    def further(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        seen.append((instance, attribute.name, value))

    rule = rule_and_then(whole_number(), further)
    assert problems(rule, 3, instance="object") == []
    assert problems(rule, 4) == []  # no object yet: the further check waits
    assert problems(rule, -1, instance="object")[0][2] == "minimum"
    assert seen == [("object", "field", 3)]


def test_a_further_check_sees_none_only_on_an_optional_rule() -> None:
    seen: list[Any] = []

    def further(instance: Any, _: attrs.Attribute[Any], value: Any) -> None:
        seen.append((instance, value))

    rule = rule_and_then(optional(whole_number()), further)
    assert rule.further_on_none
    assert not rule_and_then(whole_number(), further).further_on_none
    assert problems(rule, None, instance="object") == []
    assert problems(rule, None) == []
    assert seen == [("object", None)]

    # Made optional after the further check, None skips it.
    later = optional(rule_and_then(whole_number(), further))
    assert problems(later, None, instance="object") == []
    assert seen == [("object", None)]


@pytest.mark.parametrize(
    ("noun", "phrase"),
    [("OrganisationId", "an OrganisationId"), ("ServiceId", "a ServiceId"), ("Isva", "an Isva")],
)
def test_a_or_an(noun: str, phrase: str) -> None:
    assert a_or_an(noun) == phrase


@pytest.mark.parametrize(
    ("value", "named"),
    [
        (False, "a boolean"),
        (0, "an integer"),
        (0.5, "a floating-point number"),
        ("", "a string"),
        ([], "a list"),
        ({}, "a mapping"),
        ((), "a tuple"),
        (None, "null"),
        (Colour.RED, "a Colour"),
    ],
)
def test_messages_name_a_type_never_the_value(value: object, named: str) -> None:
    assert type_name(value) == named


def test_sensitivity_is_read_from_the_field_metadata() -> None:
    @attrs.define
    class Record:
        secret: str = attrs.field(metadata={"sensitive": True})
        open_: str = ""

    secret, open_ = attrs.fields(Record)
    assert is_sensitive(secret)
    assert not is_sensitive(open_)


@given(st.integers(), st.integers(min_value=0, max_value=100), st.integers(min_value=0))
def test_whole_number_accepts_exactly_its_range(value: int, minimum: int, span: int) -> None:
    maximum = minimum + span
    found = problems(whole_number(minimum, maximum), value)
    assert (found == []) == (minimum <= value <= maximum)
