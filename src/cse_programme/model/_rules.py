"""Rules that the model's fields obey.

Each rule is an attrs validator that states one invariant in the domain's
words and raises the library's :class:`ValidationError` with the field's
path.  A rule also carries the JSON Schema keywords that say the same thing,
so the serialisation layer publishes each rule without a second definition.

Fields that hold something able to single out a child are declared with
``repr=False, metadata=SENSITIVE``.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs

from cse_programme._errors import Problem, ValidationError

SENSITIVE: Final[Mapping[str, Any]] = {"sensitive": True}

Check = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def fail(field: str, message: str, code: str) -> ValidationError:
    """The error for one broken rule on *field* (a name, or ``""`` for the object)."""
    return ValidationError.single(f"/{field}" if field else "", message, code)


def type_name(value: object) -> str:
    """How a value's type is named in messages (never the value itself)."""
    return {
        bool: "a boolean",
        int: "an integer",
        float: "a floating-point number",
        str: "a string",
        list: "a list",
        dict: "a mapping",
        tuple: "a tuple",
        type(None): "null",
    }.get(type(value), f"a {type(value).__name__}")


def expect_type(name: str, value: object, kind: type | tuple[type, ...], wanted: str) -> None:
    """Refuse a value not of *kind*; a bool never passes as a number."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        raise fail(name, f"must be {wanted}, not {type_name(value)}", "type")


@attrs.frozen
class Rule:
    """A field validator, described as data as well as code.

    *name* and *params* say which rule it is, so the serialisation layer can
    compile the same check into its loaders and publish it as the JSON
    Schema keywords in *json_schema*.  *further* is a rule between fields,
    checked once the whole object exists.
    """

    check: Check
    json_schema: Mapping[str, Any] = attrs.field(factory=dict)
    name: str = ""
    params: tuple[Any, ...] = ()
    allows_none: bool = False
    further: Check | None = None

    def __call__(self, instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        self.check(instance, attribute, value)


def optional(rule: Rule) -> Rule:
    """Let a field be ``None`` as well as satisfy *rule*."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            rule.check(instance, attribute, value)

    return attrs.evolve(rule, check=check, allows_none=True)


def and_then(rule: Rule, further: Check) -> Rule:
    """*rule*, then a further check that may assume the rule holds.

    The further check may look at the rest of the object; without one
    (``instance`` is ``None``) only *rule* is checked.
    """

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        rule.check(instance, attribute, value)
        if instance is not None:
            further(instance, attribute, value)

    return attrs.evolve(rule, check=check, further=further)


def whole_number(minimum: int = 0, maximum: int | None = None) -> Rule:
    """A count: an ``int`` (never a bool or a float) from *minimum* to *maximum*."""

    def check(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        expect_type(attribute.name, value, int, "a whole number")
        if value < minimum:
            raise fail(attribute.name, f"must be at least {minimum}", "minimum")
        if maximum is not None and value > maximum:
            raise fail(attribute.name, f"must be at most {maximum}", "maximum")

    schema = {"minimum": minimum} if maximum is None else {"minimum": minimum, "maximum": maximum}
    return Rule(check, schema, "whole_number", (minimum, maximum))


def check_text(name: str, value: object, max_length: int) -> None:
    """Refuse anything but non-blank text of at most *max_length* characters."""
    expect_type(name, value, str, "text")
    assert isinstance(value, str)
    if not value.strip():
        raise fail(name, "must not be blank", "blank")
    if len(value) > max_length:
        raise fail(name, f"must be at most {max_length} characters", "too_long")


def text(max_length: int = 500) -> Rule:
    """Human-readable text: a non-blank ``str`` of at most *max_length* characters."""

    def check(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        check_text(attribute.name, value, max_length)

    schema = {"minLength": 1, "maxLength": max_length, "pattern": r"\S"}
    return Rule(check, schema, "text", (max_length,))


def matching(pattern: str, rule: str) -> Rule:
    """Text matching the regular expression *pattern*, described as *rule*."""
    compiled = re.compile(pattern)

    def check(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        expect_type(attribute.name, value, str, "text")
        if not compiled.fullmatch(value):
            raise fail(attribute.name, f"must be {rule}", "pattern")

    return Rule(check, {"pattern": pattern}, "matching", (compiled,))


def instance_of(kind: type, wanted: str) -> Rule:
    """A value of *kind*, described to people as *wanted*."""

    def check(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        expect_type(attribute.name, value, kind, wanted)

    return Rule(check, name="instance_of", params=(kind,))


def member_of(kind: type[enum.Enum]) -> Rule:
    """A member of the enum *kind*; its wire value alone is not accepted."""

    def check(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if type(value) is not kind:
            raise fail(attribute.name, f"must be a {kind.__name__}, not {type_name(value)}", "type")

    return Rule(check, name="member_of", params=(kind,))


def calendar_day() -> Rule:
    """A :class:`datetime.date`; a datetime is refused, its time would be lost."""

    def check(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise fail(attribute.name, f"must be a datetime.date, not {type_name(value)}", "type")

    return Rule(check, name="calendar_day")


def aware_timestamp() -> Rule:
    """A timezone-aware :class:`datetime.datetime`; a naive one is ambiguous and refused."""

    def check(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, dt.datetime):
            raise fail(
                attribute.name, f"must be a datetime.datetime, not {type_name(value)}", "type"
            )
        if value.tzinfo is None or value.utcoffset() is None:
            raise fail(attribute.name, "must carry a timezone (a UTC offset)", "naive_timestamp")

    return Rule(check, name="aware_timestamp")


def _check_items(name: str, items: Any, kind: type, wanted: str) -> None:
    problems: list[Problem] = []
    ordered = isinstance(items, tuple)
    for index, item in enumerate(items):
        try:
            expect_type(name, item, kind, wanted)
        except ValidationError as err:
            path = f"/{name}/{index}" if ordered else f"/{name}"
            problems.extend(Problem(path, p.message, p.code) for p in err.problems)
    if problems:
        raise ValidationError(problems)


def set_of(kind: type, wanted: str, *, non_empty: bool = False) -> Rule:
    """A ``frozenset`` of *kind*: "one or more of", without order or repeats."""

    def check(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        expect_type(attribute.name, value, frozenset, "a frozenset")
        if non_empty and not value:
            raise fail(attribute.name, "must name at least one", "empty")
        _check_items(attribute.name, value, kind, wanted)

    return Rule(check, {"minItems": 1} if non_empty else {}, "set_of", (kind, non_empty))


def tuple_of(kind: type, wanted: str, *, non_empty: bool = False, unique: bool = False) -> Rule:
    """A ``tuple`` of *kind*, in the order given; *unique* refuses repeats."""

    def check(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        expect_type(attribute.name, value, tuple, "a tuple")
        if non_empty and not value:
            raise fail(attribute.name, "must hold at least one", "empty")
        _check_items(attribute.name, value, kind, wanted)
        if unique and len(set(value)) != len(value):
            raise fail(attribute.name, "must not hold the same item twice", "duplicate")

    schema: dict[str, Any] = {}
    if non_empty:
        schema["minItems"] = 1
    if unique:
        schema["uniqueItems"] = True
    return Rule(check, schema, "tuple_of", (kind, non_empty, unique))


def is_sensitive(attribute: attrs.Attribute[Any]) -> bool:
    """Whether a field holds something that could single out a person."""
    return bool(attribute.metadata.get("sensitive", False))
