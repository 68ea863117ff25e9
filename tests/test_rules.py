"""Field rules: each rule's check, message, code, path, JSON Schema and compiled form.

The model's classes build their rules when the package is imported; these
tests build them afresh so that each rule's behaviour is pinned on its own.
A rule's compiled form (an expression a loader evaluates) must fail exactly
the values its check refuses, for every value of the field's type.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from cse_programme import Area, ValidationError
from cse_programme.model._rules import (
    AndThen,
    AwareTimestamp,
    CalendarDay,
    InstanceOf,
    Matching,
    MemberOf,
    Optional,
    Rule,
    SetOf,
    Text,
    TupleOf,
    WholeNumber,
    a_or_an,
    is_sensitive,
    type_name,
)


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
    rule = WholeNumber(1, 5)
    assert rule.json_schema() == {"minimum": 1, "maximum": 5}
    assert WholeNumber().json_schema() == {"minimum": 0}
    assert problems(rule, 1) == problems(rule, 5) == []
    assert problems(rule, 0) == [("/field", "must be at least 1", "minimum")]
    assert problems(rule, 6) == [("/field", "must be at most 5", "maximum")]
    assert problems(WholeNumber(), 10**30) == []
    assert problems(WholeNumber(), -1) == [("/field", "must be at least 0", "minimum")]


@pytest.mark.parametrize(
    ("value", "named"),
    [(True, "a boolean"), (1.0, "a floating-point number"), ("1", "a string"), (None, "null")],
)
def test_whole_number_refuses_other_types(value: object, named: str) -> None:
    assert problems(WholeNumber(), value) == [
        ("/field", f"must be a whole number, not {named}", "type")
    ]


def test_text_rule() -> None:
    rule = Text(3)
    assert rule.json_schema() == {"minLength": 1, "maxLength": 3, "pattern": r"\S"}
    assert Text().json_schema()["maxLength"] == 500
    assert problems(rule, "abc") == problems(rule, " a ") == []
    assert problems(rule, "abcd") == [("/field", "must be at most 3 characters", "too_long")]
    assert problems(rule, " \t") == [("/field", "must not be blank", "blank")]
    assert problems(rule, "") == [("/field", "must not be blank", "blank")]
    assert problems(rule, 3) == [("/field", "must be text, not an integer", "type")]
    assert problems(Text(), "x" * 500) == []
    assert problems(Text(), "x" * 501)[0][2] == "too_long"


def test_matching_rule() -> None:
    rule = Matching(r"[a-z]+", "lower-case letters")
    assert rule.json_schema() == {"pattern": "[a-z]+"}
    assert problems(rule, "abc") == []
    # The whole value must match, not only its start.
    assert problems(rule, "abc1") == [("/field", "must be lower-case letters", "pattern")]
    assert problems(rule, b"abc") == [("/field", "must be text, not a bytes", "type")]


def test_instance_of_rule() -> None:
    rule = InstanceOf(dt.timedelta, "a duration")
    assert rule.json_schema() == {}
    assert problems(rule, dt.timedelta(days=1)) == []
    assert problems(rule, 1) == [("/field", "must be a duration, not an integer", "type")]


def test_member_of_rule() -> None:
    rule = MemberOf(Colour)
    assert rule.json_schema() == {}
    assert problems(rule, Colour.RED) == []
    assert problems(rule, "red") == [("/field", "must be a Colour, not a string", "type")]


def test_calendar_day_rule() -> None:
    rule = CalendarDay()
    assert problems(rule, dt.date(2025, 11, 1)) == []
    moment = dt.datetime(2025, 11, 1, tzinfo=dt.UTC)
    assert problems(rule, moment) == [("/field", "must be a datetime.date, not a datetime", "type")]
    assert problems(rule, "2025-11-01") == [
        ("/field", "must be a datetime.date, not a string", "type")
    ]


def test_aware_timestamp_rule() -> None:
    rule = AwareTimestamp()
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
    assert problems(AwareTimestamp(), moment)[0][2] == "naive_timestamp"


def test_set_of_rule() -> None:
    rule = SetOf(int, "a whole number", non_empty=True)
    assert rule.json_schema() == {"minItems": 1}
    assert SetOf(int, "a whole number").json_schema() == {}
    assert problems(rule, frozenset({1, 2})) == []
    assert problems(SetOf(int, "a whole number"), frozenset()) == []
    assert problems(rule, frozenset()) == [("/field", "must name at least one", "empty")]
    assert problems(rule, {1}) == [("/field", "must be a frozenset, not a set", "type")]
    # A set has no order, so a wrong item is reported on the set itself.
    assert problems(rule, frozenset({"a"})) == [
        ("/field", "must be a whole number, not a string", "type")
    ]


def test_tuple_of_rule() -> None:
    rule = TupleOf(int, "a whole number", non_empty=True, unique=True)
    assert rule.json_schema() == {"minItems": 1, "uniqueItems": True}
    assert TupleOf(int, "a whole number").json_schema() == {}
    assert TupleOf(int, "n", unique=True).json_schema() == {"uniqueItems": True}
    assert problems(rule, (1, 2)) == []
    assert problems(TupleOf(int, "n"), ()) == []
    assert problems(TupleOf(int, "n"), (1, 1)) == []
    assert problems(rule, ()) == [("/field", "must hold at least one", "empty")]
    assert problems(rule, (1, 1)) == [("/field", "must not hold the same item twice", "duplicate")]
    assert problems(rule, [1]) == [("/field", "must be a tuple, not a list", "type")]
    assert problems(rule, (1, "a", True)) == [
        ("/field/1", "must be a whole number, not a string", "type"),
        ("/field/2", "must be a whole number, not a boolean", "type"),
    ]


def test_optional_allows_none_and_keeps_the_rule() -> None:
    rule = Optional(WholeNumber(1))
    assert rule.json_schema() == {"minimum": 1}
    assert problems(rule, None) == []
    assert problems(rule, 0)[0][2] == "minimum"
    assert problems(WholeNumber(1), None)[0][2] == "type"


def test_a_further_check_runs_after_the_rule_and_only_on_an_object() -> None:
    seen: list[Any] = []

    def further(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        seen.append((instance, attribute.name, value))

    rule = AndThen(WholeNumber(), further)
    assert rule.looks_at_the_object
    assert not WholeNumber().looks_at_the_object
    assert rule.json_schema() == {"minimum": 0}
    assert problems(rule, 3, instance="object") == []
    assert problems(rule, 4) == []  # no object yet: the further check waits
    assert problems(rule, -1, instance="object")[0][2] == "minimum"
    assert seen == [("object", "field", 3)]
    rule.check("field", 5)  # a check on the value alone
    with pytest.raises(ValidationError):
        rule.check("field", -1)
    assert seen == [("object", "field", 3)]


def test_a_further_check_sees_none_only_on_an_optional_rule() -> None:
    seen: list[Any] = []

    def further(instance: Any, _: attrs.Attribute[Any], value: Any) -> None:
        seen.append((instance, value))

    rule = AndThen(Optional(WholeNumber()), further)
    assert problems(AndThen(WholeNumber(), further), None, instance="object")[0][2] == "type"
    assert problems(rule, None, instance="object") == []
    assert problems(rule, None) == []
    assert seen == [("object", None)]

    # Made optional after the further check, None skips it.
    later = Optional(AndThen(WholeNumber(), further))
    assert later.looks_at_the_object
    assert not Optional(WholeNumber()).looks_at_the_object
    assert problems(later, None, instance="object") == []
    assert seen == [("object", None)]
    later.check("field", None)
    with pytest.raises(ValidationError):
        later.check("field", -1)


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
    found = problems(WholeNumber(minimum, maximum), value)
    assert (found == []) == (minimum <= value <= maximum)


# The compiled form of each rule -------------------------------------------------


def breaks(rule: Rule, kind: Any, value: object) -> bool:
    """Whether the compiled form of *rule*, for a field of type *kind*, fails *value*."""
    inline = rule.inline("v", kind)
    if not inline.test:
        return False
    assert "v" not in inline.names
    return bool(eval(inline.test, dict(inline.names), {"v": value}))


def refuses(rule: Rule, value: object) -> bool:
    try:
        rule.check("field", value)
    except ValidationError:
        return True
    return False


UTC_EDGE = dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.timezone(-dt.timedelta(hours=23)))


def test_each_compiled_form_is_pinned() -> None:
    assert WholeNumber(1, 5).inline("v", int).test == "v < 1 or v > 5"
    assert WholeNumber().inline("v", int).test == "v < 0"
    assert Optional(WholeNumber(2)).inline("v", int | None).test == "v is not None and (v < 2)"
    assert InstanceOf(Area, "an Area").inline("v", Area).test == ""
    assert MemberOf(Colour).inline("v", Colour).test == ""
    assert CalendarDay().inline("v", dt.date).test == ""
    assert SetOf(Area, "an Area").inline("v", frozenset[Area]).test == ""
    assert TupleOf(Area, "an Area").inline("v", tuple[Area, ...]).test == ""
    assert breaks(Text(3), str, "abcd")
    assert breaks(Text(3), str, " ")
    assert breaks(Text(3), str, "a\ud800")
    assert not breaks(Text(3), str, " a ")
    assert breaks(Matching(r"[a-z]+", "letters"), str, "abc1")
    assert not breaks(Matching(r"[a-z]+", "letters"), str, "abc")
    assert breaks(AwareTimestamp(), dt.datetime, UTC_EDGE)
    assert breaks(AwareTimestamp(), dt.datetime, dt.datetime(2025, 1, 1))
    assert not breaks(AwareTimestamp(), dt.datetime, dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    assert breaks(SetOf(str, "text", non_empty=True), frozenset[str], frozenset())
    assert breaks(SetOf(str, "text"), frozenset[str], frozenset({"\udc00"}))
    assert breaks(TupleOf(Area, "an Area", unique=True), tuple[Area, ...], (Area("E09000007"),) * 2)
    assert breaks(Optional(TupleOf(str, "text", non_empty=True)), tuple[str, ...] | None, ())
    assert not breaks(Optional(TupleOf(str, "text", non_empty=True)), tuple[str, ...] | None, None)


@given(st.integers(), st.integers(-5, 5), st.one_of(st.none(), st.integers(-5, 5)))
def test_a_compiled_whole_number_fails_exactly_what_its_check_refuses(
    value: int, minimum: int, maximum: int | None
) -> None:
    rule = WholeNumber(minimum, maximum)
    assert breaks(rule, int, value) == refuses(rule, value)
    assert breaks(Optional(rule), int | None, value) == refuses(rule, value)
    assert not breaks(Optional(rule), int | None, None)


ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=8)


@given(ANY_TEXT, st.integers(1, 6))
@example(" \t", 3)
@example("", 3)
@example("abc\udfff", 6)
@example("abcd", 3)
@example("abc", 3)
def test_compiled_text_fails_exactly_what_its_check_refuses(value: str, length: int) -> None:
    assert breaks(Text(length), str, value) == refuses(Text(length), value)
    rule = Matching(r"[a-c]+( [a-c]+)?", "words of a to c")
    assert breaks(rule, str, value) == refuses(rule, value)


@given(
    st.lists(ANY_TEXT, max_size=4),
    st.booleans(),
    st.booleans(),
)
def test_compiled_collections_fail_exactly_what_their_checks_refuse(
    items: list[str], non_empty: bool, unique: bool
) -> None:
    ordered = TupleOf(str, "text", non_empty=non_empty, unique=unique)
    assert breaks(ordered, tuple[str, ...], tuple(items)) == refuses(ordered, tuple(items))
    unordered = SetOf(str, "text", non_empty=non_empty)
    value = frozenset(items)
    assert breaks(unordered, frozenset[str], value) == refuses(unordered, value)


@given(
    st.datetimes(timezones=st.one_of(st.none(), st.timezones())),
    st.sampled_from([None, dt.timedelta(hours=23, minutes=59), -dt.timedelta(hours=23)]),
)
@example(dt.datetime(9999, 12, 31, 23), -dt.timedelta(hours=23))
@example(dt.datetime(1, 1, 1), dt.timedelta(hours=23, minutes=59))
@example(dt.datetime(2025, 1, 1), None)
def test_a_compiled_timestamp_fails_exactly_what_its_check_refuses(
    moment: dt.datetime, offset: dt.timedelta | None
) -> None:
    if offset is not None:
        moment = moment.replace(tzinfo=dt.timezone(offset))
    rule = AwareTimestamp()
    assert breaks(rule, dt.datetime, moment) == refuses(rule, moment)


class NoCompiledForm(Rule):
    def check(self, name: str, value: Any) -> None:
        pass


@pytest.mark.parametrize(
    ("rule", "kind"),
    [
        (NoCompiledForm(), str),
        (AndThen(NoCompiledForm(), lambda *_: None), str),
        (Text(), int),
        (Text(), str | None),
        (Optional(Text()), str),
        (Optional(Text()), str | int | None),
        (WholeNumber(), bool),
        (WholeNumber(), int | None),
        (InstanceOf(bool, "true or false"), int),
        (InstanceOf(dt.date, "a date"), "dt.date"),
        (MemberOf(Colour), enum.Enum),
        (CalendarDay(), dt.datetime),
        (AwareTimestamp(), dt.date),
        (SetOf(str, "text"), tuple[str, ...]),
        (TupleOf(str, "text"), frozenset[str]),
        (TupleOf(int, "a whole number"), tuple[bool, ...]),
    ],
)
def test_a_rule_refuses_to_compile_for_a_type_that_does_not_ensure_it(
    rule: Rule, kind: Any
) -> None:
    with pytest.raises(TypeError):
        rule.inline("v", kind)


def test_an_optional_or_further_rule_reports_its_field_by_name() -> None:
    for rule in (Optional(WholeNumber(1)), AndThen(WholeNumber(1), lambda *_: None)):
        with pytest.raises(ValidationError) as error:
            rule.check("victims", 0)
        assert [(p.path, p.code) for p in error.value.problems] == [("/victims", "minimum")]
    with pytest.raises(ValidationError) as error:
        Optional(Text(5)).check("name", "far too long")
    assert [(p.path, p.code) for p in error.value.problems] == [("/name", "too_long")]


class _Unwritten(Rule):
    """A rule that checks values but gives no compiled form."""

    def check(self, name: str, value: Any) -> None:
        pass

    def __repr__(self) -> str:
        return "_Unwritten()"


def test_a_rule_without_a_compiled_form_says_so_by_name() -> None:
    with pytest.raises(TypeError, match=r"^_Unwritten\(\) has no compiled form$"):
        _Unwritten().inline("v0", int)
    with pytest.raises(
        TypeError,
        match=(
            r"^WholeNumber\(minimum=0, maximum=130\) cannot be compiled"
            r" for a field of type <class 'str'>$"
        ),
    ):
        WholeNumber(0, 130).inline("v0", str)
