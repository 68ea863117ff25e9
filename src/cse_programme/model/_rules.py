"""Rules that the model's fields obey.

Each rule is a small object used as a field's attrs validator.  It states one
invariant in the domain's words and knows it in three forms:

* :meth:`Rule.check` checks a value and raises the library's
  :class:`ValidationError` with the field's path and a message that never
  repeats the value;
* :meth:`Rule.json_schema` gives the JSON Schema keywords that say the same;
* :meth:`Rule.inline` gives the rule as Python source for a compiled loader:
  an expression that is true when a value just read for the field breaks the
  rule, and the names that expression uses.  A rule that cannot say this
  raises :class:`TypeError`, so a loader is never compiled without it.

The serialisation layer reads all three from the rule, so none has a second
definition.  Fields that hold something able to single out a child are
declared with ``repr=False, metadata=SENSITIVE``.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import types
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, Final, Union, get_args, get_origin

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
_MINUTE: Final = dt.timedelta(minutes=1)

Check = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def fail(field: str, message: str, code: str) -> ValidationError:
    """The error for one broken rule on *field* (a name, or ``""`` for the object)."""
    return ValidationError.single(f"/{field}" if field else "", message, code)


#: An exact decimal other than money as documents write it: plain notation,
#: at most 31 digits before the point and 30 after it.
DECIMAL_PATTERN: Final = r"^-?(0|[1-9][0-9]{0,30})(\.[0-9]{1,30})?$"
_DECIMAL: Final = re.compile(DECIMAL_PATTERN)


def decimal_text(value: Decimal) -> str:
    """*value* in plain notation, as documents write it: never an exponent.

    >>> from decimal import Decimal
    >>> from cse_programme.model._rules import decimal_text
    >>> decimal_text(Decimal("1E+2")), decimal_text(Decimal("6.20"))
    ('100', '6.20')
    """
    return format(value, "f")


def check_exact_decimal(field: str, value: Any, wanted: str) -> None:
    """Refuse *value* unless it is a finite :class:`~decimal.Decimal` a document can carry.

    >>> from decimal import Decimal
    >>> from cse_programme.model._rules import check_exact_decimal
    >>> check_exact_decimal("value", Decimal("1E+2"), "a Decimal")
    >>> check_exact_decimal("value", Decimal("1E-31"), "a Decimal")
    Traceback (most recent call last):
    ...
    cse_programme._errors.ValidationError: 1 problem:
      /value: must have at most 31 digits before the point and 30 after it [decimal_range]
    """
    if type(value) is not Decimal:
        raise fail(field, f"must be {wanted}", "type")
    if not value.is_finite():
        raise fail(field, "must be a finite number", "not_finite")
    if not _DECIMAL.fullmatch(decimal_text(value)):
        raise fail(
            field, "must have at most 31 digits before the point and 30 after it", "decimal_range"
        )


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


@attrs.frozen
class Inline:
    """A rule as a compiled loader checks it.

    *test* is a Python expression, true when the value breaks the rule;
    ``""`` when reading the value as its field's type already ensures the
    rule.  *names* are the objects the expression refers to, by name.
    """

    test: str = ""
    names: Mapping[str, Any] = attrs.field(factory=dict)


class Rule:
    """A rule for one field's value, used as the field's attrs validator.

    A rule checks the value on its own; :class:`AndThen` adds a check that
    looks at the rest of the object.

    >>> from cse_programme.model._rules import WholeNumber
    >>> age = WholeNumber(0, 130)
    >>> age.json_schema()
    {'minimum': 0, 'maximum': 130}
    >>> age.inline("v", int).test
    'v < 0 or v > 130'
    >>> age.check("max", 131)
    Traceback (most recent call last):
    ...
    cse_programme._errors.ValidationError: 1 problem:
      /max: must be at most 130 [maximum]
    >>> age.inline("v", int | None)
    Traceback (most recent call last):
    ...
    TypeError: WholeNumber(minimum=0, maximum=130) cannot be compiled for a field of type int | None
    """

    __slots__ = ()

    def __call__(self, instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        self.check(attribute.name, value)

    def check(self, name: str, value: Any) -> None:
        """Refuse *value* for the field *name* unless it keeps the rule."""
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        """The JSON Schema keywords that state the rule for the field's JSON value."""
        return {}

    def inline(self, value: str, kind: Any) -> Inline:
        """The rule as a compiled loader checks it, for a variable *value* read as *kind*.

        *kind* is the field's declared type: the loader has already read the
        value as exactly that type.  Raises :class:`TypeError` when the rule
        cannot be checked that way, so that no loader skips it.
        """
        raise TypeError(f"{self!r} has no compiled form")

    @property
    def looks_at_the_object(self) -> bool:
        """Whether part of the rule needs the whole object, once it is built."""
        return False

    @property
    def object_check(self) -> Check | None:
        """The part of the rule that needs the whole object, or ``None``.

        A compiled loader, having checked the value itself inline, runs only
        this once the object is built.
        """
        return None


def _cannot_compile(rule: Rule, kind: Any) -> TypeError:
    return TypeError(f"{rule!r} cannot be compiled for a field of type {kind!r}")


def _reads_as(rule: Rule, kind: Any, wanted: type) -> None:
    """Refuse to compile *rule* unless a value read as *kind* is always of type *wanted*.

    A field's type is read exactly (a whole number never as a bool), so
    *kind* must be *wanted* or a subclass of it, and a bool is never a number.
    """
    if not isinstance(kind, type) or not issubclass(kind, wanted):
        raise _cannot_compile(rule, kind)
    if kind is bool and wanted is not bool:
        raise _cannot_compile(rule, kind)


def _ensured_by(rule: Rule, kind: Any, wanted: type) -> Inline:
    """Nothing to check once a value is read as *kind*, which must be *wanted* exactly."""
    if kind is not wanted:
        raise _cannot_compile(rule, kind)
    return Inline()


def _items_of(rule: Rule, kind: Any, collection: type, wanted: type) -> None:
    """Refuse to compile *rule* unless *kind* is a *collection* of items read as *wanted*."""
    if get_origin(kind) is not collection:
        raise _cannot_compile(rule, kind)
    _reads_as(rule, get_args(kind)[0], wanted)


@attrs.frozen
class WholeNumber(Rule):
    """A count: an ``int`` (never a bool or a float) from *minimum* to *maximum*."""

    minimum: int = 0
    maximum: int | None = None

    def check(self, name: str, value: Any) -> None:
        expect_type(name, value, int, "a whole number")
        if value < self.minimum:
            raise fail(name, f"must be at least {self.minimum}", "minimum")
        if self.maximum is not None and value > self.maximum:
            raise fail(name, f"must be at most {self.maximum}", "maximum")

    def json_schema(self) -> dict[str, Any]:
        if self.maximum is None:
            return {"minimum": self.minimum}
        return {"minimum": self.minimum, "maximum": self.maximum}

    def inline(self, value: str, kind: Any) -> Inline:
        _reads_as(self, kind, int)
        test = f"{value} < {self.minimum}"
        if self.maximum is not None:
            test += f" or {value} > {self.maximum}"
        return Inline(test)


@attrs.frozen
class Text(Rule):
    """Human-readable text: a non-blank ``str`` of at most *max_length* characters."""

    max_length: int = 500

    def check(self, name: str, value: Any) -> None:
        check_text(name, value, self.max_length)

    def json_schema(self) -> dict[str, Any]:
        return {"minLength": 1, "maxLength": self.max_length, "pattern": r"\S"}

    def inline(self, value: str, kind: Any) -> Inline:
        _reads_as(self, kind, str)
        return Inline(
            f"len({value}) > {self.max_length} or not {value}.strip()"
            f" or surrogate({value}) is not None",
            {"surrogate": LONE_SURROGATE.search},
        )


@attrs.frozen
class Matching(Rule):
    """Text matching the regular expression *pattern* whole, described as *description*."""

    pattern: str
    description: str

    def check(self, name: str, value: Any) -> None:
        expect_type(name, value, str, "text")
        if not re.fullmatch(self.pattern, value):
            raise fail(name, f"must be {self.description}", "pattern")

    def json_schema(self) -> dict[str, Any]:
        return {"pattern": self.pattern}

    def inline(self, value: str, kind: Any) -> Inline:
        _reads_as(self, kind, str)
        matches = f"pattern_{value}"
        return Inline(f"{matches}({value}) is None", {matches: re.compile(self.pattern).fullmatch})


@attrs.frozen
class InstanceOf(Rule):
    """A value of *kind*, described to people as *wanted*."""

    kind: type
    wanted: str

    def check(self, name: str, value: Any) -> None:
        expect_type(name, value, self.kind, self.wanted)

    def inline(self, value: str, kind: Any) -> Inline:
        _reads_as(self, kind, self.kind)
        return Inline()


@attrs.frozen
class MemberOf(Rule):
    """A member of the enum *kind*; its wire value alone is not accepted."""

    kind: type[enum.Enum]

    def check(self, name: str, value: Any) -> None:
        if type(value) is not self.kind:
            wanted = a_or_an(self.kind.__name__)
            raise fail(name, f"must be {wanted}, not {type_name(value)}", "type")

    def inline(self, value: str, kind: Any) -> Inline:
        return _ensured_by(self, kind, self.kind)


@attrs.frozen
class CalendarDay(Rule):
    """A :class:`datetime.date`; a datetime is refused, its time would be lost."""

    def check(self, name: str, value: Any) -> None:
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise fail(name, f"must be a datetime.date, not {type_name(value)}", "type")

    def inline(self, value: str, kind: Any) -> Inline:
        return _ensured_by(self, kind, dt.date)


@attrs.frozen
class AwareTimestamp(Rule):
    """A timezone-aware :class:`datetime.datetime`; a naive one is ambiguous and refused."""

    def check(self, name: str, value: Any) -> None:
        if not isinstance(value, dt.datetime):
            raise fail(name, f"must be a datetime.datetime, not {type_name(value)}", "type")
        offset = value.utcoffset()
        if value.tzinfo is None or offset is None:
            raise fail(name, "must carry a timezone (a UTC offset)", "naive_timestamp")
        if not converts_to_utc(value):
            raise fail(name, "must be a moment that UTC can express (years 1 to 9999)", "timestamp")
        if offset % _MINUTE:
            # RFC 3339 offsets are whole minutes, so a document could not carry it.
            raise fail(name, "must have a UTC offset in whole minutes", "timestamp")

    def inline(self, value: str, kind: Any) -> Inline:
        _reads_as(self, kind, dt.datetime)
        return Inline(
            f"{value}.utcoffset() is None or not converts_to_utc({value})"
            f" or {value}.utcoffset() % MINUTE",
            {"converts_to_utc": converts_to_utc, "MINUTE": _MINUTE},
        )


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


def _inline_items(value: str, kind: type, non_empty: bool) -> list[Inline]:
    """What a compiled loader checks of a collection's items beyond their type."""
    tests = []
    if kind is str:
        tests.append(
            Inline(
                f"any(surrogate(item) for item in {value})",
                {"surrogate": LONE_SURROGATE.search},
            )
        )
    if non_empty:
        tests.append(Inline(f"not {value}"))
    return tests


def _any_of(tests: list[Inline]) -> Inline:
    """One test that fails when any of *tests* does."""
    return Inline(
        " or ".join(f"({test.test})" for test in tests),
        {name: thing for test in tests for name, thing in test.names.items()},
    )


@attrs.frozen
class SetOf(Rule):
    """A ``frozenset`` of *kind*: "one or more of", without order or repeats."""

    kind: type
    wanted: str
    non_empty: bool = attrs.field(default=False, kw_only=True)

    def check(self, name: str, value: Any) -> None:
        expect_type(name, value, frozenset, "a frozenset")
        if self.non_empty and not value:
            raise fail(name, "must name at least one", "empty")
        _check_items(name, value, self.kind, self.wanted)

    def json_schema(self) -> dict[str, Any]:
        return {"minItems": 1} if self.non_empty else {}

    def inline(self, value: str, kind: Any) -> Inline:
        _items_of(self, kind, frozenset, self.kind)
        return _any_of(_inline_items(value, self.kind, self.non_empty))


@attrs.frozen
class TupleOf(Rule):
    """A ``tuple`` of *kind*, in the order given; *unique* refuses repeats."""

    kind: type
    wanted: str
    non_empty: bool = attrs.field(default=False, kw_only=True)
    unique: bool = attrs.field(default=False, kw_only=True)

    def check(self, name: str, value: Any) -> None:
        expect_type(name, value, tuple, "a tuple")
        if self.non_empty and not value:
            raise fail(name, "must hold at least one", "empty")
        _check_items(name, value, self.kind, self.wanted)
        if self.unique and len(set(value)) != len(value):
            raise fail(name, "must not hold the same item twice", "duplicate")

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {}
        if self.non_empty:
            schema["minItems"] = 1
        if self.unique:
            schema["uniqueItems"] = True
        return schema

    def inline(self, value: str, kind: Any) -> Inline:
        _items_of(self, kind, tuple, self.kind)
        tests = _inline_items(value, self.kind, self.non_empty)
        if self.unique:
            tests.append(Inline(f"len(set({value})) != len({value})"))
        return _any_of(tests)


def without_none(kind: Any) -> Any:
    """*T* for the type ``T | None``, or ``None`` for any other type."""
    if get_origin(kind) not in (Union, types.UnionType):
        return None
    options = [option for option in get_args(kind) if option is not type(None)]
    return options[0] if len(options) == 1 and len(get_args(kind)) == 2 else None


@attrs.frozen
class Optional(Rule):
    """``None``, or a value that keeps *rule*."""

    rule: Rule

    def __call__(self, instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            self.rule(instance, attribute, value)

    def check(self, name: str, value: Any) -> None:
        if value is not None:
            self.rule.check(name, value)

    def json_schema(self) -> dict[str, Any]:
        return self.rule.json_schema()

    def inline(self, value: str, kind: Any) -> Inline:
        inner = without_none(kind)
        if inner is None:
            raise _cannot_compile(self, kind)
        rule = self.rule.inline(value, inner)
        if not rule.test:
            return rule
        return Inline(f"{value} is not None and ({rule.test})", rule.names)

    @property
    def looks_at_the_object(self) -> bool:
        return self.rule.looks_at_the_object

    @property
    def object_check(self) -> Check | None:
        # For a value that is not None: the compiled loader checks that first.
        return self.rule.object_check


@attrs.frozen
class AndThen(Rule):
    """*rule*, then *further*, a check that may look at the rest of the object.

    Without an object (``instance`` is ``None``) only *rule* is checked.
    """

    rule: Rule
    further: Check

    def __call__(self, instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        self.rule(instance, attribute, value)
        if instance is not None:
            self.further(instance, attribute, value)

    def check(self, name: str, value: Any) -> None:
        self.rule.check(name, value)

    def json_schema(self) -> dict[str, Any]:
        return self.rule.json_schema()

    def inline(self, value: str, kind: Any) -> Inline:
        # The further check runs once the object is built: see looks_at_the_object.
        return self.rule.inline(value, kind)

    @property
    def looks_at_the_object(self) -> bool:
        return True

    @property
    def object_check(self) -> Check | None:
        return self.further


def is_sensitive(attribute: attrs.Attribute[Any]) -> bool:
    """Whether a field holds something that could single out a person."""
    return bool(attribute.metadata.get("sensitive", False))


def is_written_when_set(attribute: attrs.Attribute[Any]) -> bool:
    """Whether documents leave out a field while it holds its default, ``None``."""
    return bool(attribute.metadata.get("written_when_set", False))
