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
#: Metadata of an optional field added to a document kind after its first
#: release: documents carry the field only when it holds a value, so every
#: document an earlier release wrote is written back exactly as it was.
WRITTEN_WHEN_SET: Final[Mapping[str, Any]] = {"written_when_set": True}

#: Half of a UTF-16 surrogate pair on its own: Python text can hold one, but no
#: UTF-8 file can, so text holding one could be read but never written.
LONE_SURROGATE: Final = re.compile(r"[\ud800-\udfff]")

Check = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def fail(field: str, message: str, code: str) -> ValidationError:
    """The error for one broken rule on *field* (a name, or ``""`` for the object)."""
    return ValidationError.single(f"/{field}" if field else "", message, code)


def a_or_an(noun: str) -> str:
    """*noun* with its indefinite article: "an OrganisationId", "a ServiceId"."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


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
    }.get(type(value), a_or_an(type(value).__name__))


def expect_type(name: str, value: object, kind: type | tuple[type, ...], wanted: str) -> None:
    """Refuse a value not of *kind*; a bool never passes as a number."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        raise fail(name, f"must be {wanted}, not {type_name(value)}", "type")


@attrs.frozen
class Rule:
    """A field validator, described as data.

    *name* and *params* say which rule it is; the check itself is the module's
    function of that name, run when the rule is called.  The serialisation
    layer compiles the same description into its loaders and publishes
    *json_schema*.  *further* is a rule between fields, checked once the whole
    object exists; it also sees ``None`` when *further_on_none* is set.
    """

    name: str
    params: tuple[Any, ...] = ()
    json_schema: Mapping[str, Any] = attrs.field(factory=dict)
    allows_none: bool = False
    further: Check | None = None
    further_on_none: bool = False

    def __call__(self, instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and self.allows_none:
            if self.further is not None and self.further_on_none and instance is not None:
                self.further(instance, attribute, value)
            return
        _CHECKS[self.name](self, attribute.name, value)
        if self.further is not None and instance is not None:
            self.further(instance, attribute, value)


def optional(rule: Rule) -> Rule:
    """Let a field be ``None`` as well as satisfy *rule*."""
    return attrs.evolve(rule, allows_none=True)


def and_then(rule: Rule, further: Check) -> Rule:
    """*rule*, then a further check that may look at the rest of the object.

    Without an object (``instance`` is ``None``) only *rule* is checked.
    """
    return attrs.evolve(rule, further=further, further_on_none=rule.allows_none)


def whole_number(minimum: int = 0, maximum: int | None = None) -> Rule:
    """A count: an ``int`` (never a bool or a float) from *minimum* to *maximum*."""
    schema = {"minimum": minimum} if maximum is None else {"minimum": minimum, "maximum": maximum}
    return Rule("whole_number", (minimum, maximum), schema)


def _check_whole_number(rule: Rule, name: str, value: Any) -> None:
    minimum, maximum = rule.params
    expect_type(name, value, int, "a whole number")
    if value < minimum:
        raise fail(name, f"must be at least {minimum}", "minimum")
    if maximum is not None and value > maximum:
        raise fail(name, f"must be at most {maximum}", "maximum")


def check_text(name: str, value: object, max_length: int) -> None:
    """Refuse anything but non-blank text of at most *max_length* characters."""
    expect_type(name, value, str, "text")
    assert isinstance(value, str)
    if not value.strip():
        raise fail(name, "must not be blank", "blank")
    if len(value) > max_length:
        raise fail(name, f"must be at most {max_length} characters", "too_long")
    refuse_surrogates(name, value)


def refuse_surrogates(name: str, value: str) -> None:
    """Refuse text holding a lone surrogate: it could be read but never written as UTF-8."""
    if LONE_SURROGATE.search(value):
        raise fail(name, "must not hold a lone surrogate (half of a UTF-16 pair)", "surrogate")


def text(max_length: int = 500) -> Rule:
    """Human-readable text: a non-blank ``str`` of at most *max_length* characters."""
    schema = {"minLength": 1, "maxLength": max_length, "pattern": r"\S"}
    return Rule("text", (max_length,), schema)


def _check_text_rule(rule: Rule, name: str, value: Any) -> None:
    check_text(name, value, rule.params[0])


def matching(pattern: str, rule: str) -> Rule:
    """Text matching the regular expression *pattern*, described as *rule*."""
    return Rule("matching", (re.compile(pattern), rule), {"pattern": pattern})


def _check_matching(rule: Rule, name: str, value: Any) -> None:
    compiled, description = rule.params
    expect_type(name, value, str, "text")
    if not compiled.fullmatch(value):
        raise fail(name, f"must be {description}", "pattern")


def instance_of(kind: type, wanted: str) -> Rule:
    """A value of *kind*, described to people as *wanted*."""
    return Rule("instance_of", (kind, wanted))


def _check_instance_of(rule: Rule, name: str, value: Any) -> None:
    kind, wanted = rule.params
    expect_type(name, value, kind, wanted)


def member_of(kind: type[enum.Enum]) -> Rule:
    """A member of the enum *kind*; its wire value alone is not accepted."""
    return Rule("member_of", (kind,))


def _check_member_of(rule: Rule, name: str, value: Any) -> None:
    (kind,) = rule.params
    if type(value) is not kind:
        raise fail(name, f"must be {a_or_an(kind.__name__)}, not {type_name(value)}", "type")


def calendar_day() -> Rule:
    """A :class:`datetime.date`; a datetime is refused, its time would be lost."""
    return Rule("calendar_day")


def _check_calendar_day(_: Rule, name: str, value: Any) -> None:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise fail(name, f"must be a datetime.date, not {type_name(value)}", "type")


def aware_timestamp() -> Rule:
    """A timezone-aware :class:`datetime.datetime`; a naive one is ambiguous and refused."""
    return Rule("aware_timestamp")


def _check_aware_timestamp(_: Rule, name: str, value: Any) -> None:
    if not isinstance(value, dt.datetime):
        raise fail(name, f"must be a datetime.datetime, not {type_name(value)}", "type")
    if value.tzinfo is None or value.utcoffset() is None:
        raise fail(name, "must carry a timezone (a UTC offset)", "naive_timestamp")
    if not converts_to_utc(value):
        raise fail(name, "must be a moment that UTC can express (years 1 to 9999)", "timestamp")


def converts_to_utc(moment: dt.datetime) -> bool:
    """Whether an aware *moment* is still within the calendar once moved to UTC.

    >>> import datetime as dt
    >>> from cse_programme.model._rules import converts_to_utc
    >>> late = dt.datetime.fromisoformat("9999-12-31T23:59:59-23:59")
    >>> converts_to_utc(late), converts_to_utc(late.replace(tzinfo=dt.UTC))
    (False, True)
    """
    try:
        moment.astimezone(dt.UTC)
    except OverflowError:
        return False
    return True


def _check_items(name: str, items: Any, kind: type, wanted: str) -> None:
    problems: list[Problem] = []
    ordered = isinstance(items, tuple)
    for index, item in enumerate(items):
        try:
            expect_type(name, item, kind, wanted)
            if kind is str:
                refuse_surrogates(name, item)
        except ValidationError as err:
            path = f"/{name}/{index}" if ordered else f"/{name}"
            problems.extend(Problem(path, p.message, p.code) for p in err.problems)
    if problems:
        raise ValidationError(problems)


def set_of(kind: type, wanted: str, *, non_empty: bool = False) -> Rule:
    """A ``frozenset`` of *kind*: "one or more of", without order or repeats."""
    return Rule("set_of", (kind, wanted, non_empty), {"minItems": 1} if non_empty else {})


def _check_set_of(rule: Rule, name: str, value: Any) -> None:
    kind, wanted, non_empty = rule.params
    expect_type(name, value, frozenset, "a frozenset")
    if non_empty and not value:
        raise fail(name, "must name at least one", "empty")
    _check_items(name, value, kind, wanted)


def tuple_of(kind: type, wanted: str, *, non_empty: bool = False, unique: bool = False) -> Rule:
    """A ``tuple`` of *kind*, in the order given; *unique* refuses repeats."""
    schema: dict[str, Any] = {}
    if non_empty:
        schema["minItems"] = 1
    if unique:
        schema["uniqueItems"] = True
    return Rule("tuple_of", (kind, wanted, non_empty, unique), schema)


def _check_tuple_of(rule: Rule, name: str, value: Any) -> None:
    kind, wanted, non_empty, unique = rule.params
    expect_type(name, value, tuple, "a tuple")
    if non_empty and not value:
        raise fail(name, "must hold at least one", "empty")
    _check_items(name, value, kind, wanted)
    if unique and len(set(value)) != len(value):
        raise fail(name, "must not hold the same item twice", "duplicate")


_CHECKS: Final[Mapping[str, Callable[[Rule, str, Any], None]]] = {
    "whole_number": _check_whole_number,
    "text": _check_text_rule,
    "matching": _check_matching,
    "instance_of": _check_instance_of,
    "member_of": _check_member_of,
    "calendar_day": _check_calendar_day,
    "aware_timestamp": _check_aware_timestamp,
    "set_of": _check_set_of,
    "tuple_of": _check_tuple_of,
}


def is_sensitive(attribute: attrs.Attribute[Any]) -> bool:
    """Whether a field holds something that could single out a person."""
    return bool(attribute.metadata.get("sensitive", False))


def is_written_when_set(attribute: attrs.Attribute[Any]) -> bool:
    """Whether documents leave out a field while it holds its default, ``None``."""
    return bool(attribute.metadata.get("written_when_set", False))
