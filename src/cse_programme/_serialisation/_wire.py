"""How every scalar travels in JSON: one table for every path.

Each type a document holds as a single JSON value (a string, a whole number
or a boolean) has one :class:`WireType`: the JSON type that carries it, how
such a value is read into it or refused, how it is written, and how the JSON
Schema states it.  The detailed loaders (the converter), the compiled loaders
and the JSON Schema all read this table, so they cannot drift apart.  Rules
on a field's value beyond its type are the model's own
(:mod:`cse_programme.model._rules`).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import cache
from typing import Any, Final

import attrs

from cse_programme._errors import ValidationError
from cse_programme.model import (
    DECIMAL_PATTERN,
    GSS_CODE_PATTERN,
    MONEY_PATTERN,
    PARTIAL_DATE_PATTERN,
    POLICE_FORCE_AREA_CODE_PATTERN,
    Area,
    Identifier,
    Money,
    OrganisationId,
    PartialDate,
    PoliceForceArea,
    decimal_text,
    type_name,
)

#: Calendar days travel as YYYY-MM-DD.
DATE_PATTERN: Final = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
#: Timestamps travel as RFC 3339 with a UTC offset or Z.
TIMESTAMP_PATTERN: Final = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
    r"(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})$"
)

DECIMAL: Final = re.compile(DECIMAL_PATTERN)
MONEY: Final = re.compile(MONEY_PATTERN)
DATE: Final = re.compile(DATE_PATTERN)
TIMESTAMP: Final = re.compile(TIMESTAMP_PATTERN)

#: The JSON Schema name of each JSON type a scalar travels as.
_JSON_TYPES: Final[Mapping[type, str]] = {str: "string", int: "integer", bool: "boolean"}


def wrong_type(wanted: str, value: object) -> ValidationError:
    """The error for a JSON value of the wrong type, which should have been *wanted*."""
    return ValidationError.single("", f"must be {wanted}, not {type_name(value)}", "type")


@attrs.frozen
class WireType:
    """How values of one type travel as single JSON values.

    *json* is the Python type JSON gives for it (``str``, ``int`` or
    ``bool``), and *wanted* names it in the message for a value of another
    type.  *read* turns a JSON value of type *json* into the value, raising
    :class:`ValidationError` for one that is not a value of the type; without
    it the JSON value is the value.  *writes* is the reverse, as a Python
    expression in which ``{}`` stands for the value, so that compiled writers
    can use it in place; *helpers* are the names it uses.  *pattern*,
    *format* and *choices* (every allowed JSON value and the value it reads
    as, listed when the schema is made) are what the JSON Schema states.
    *repeats* says that values recur across records, so that compiled loaders
    keep the ones they have made.  *native* says that orjson (the ``fast``
    extra) writes the value itself in exactly the text *writes* gives, so
    that its writers hand it over as it is.
    """

    json: type
    wanted: str
    read: Callable[[Any], Any] | None = None
    writes: str = "{}"
    pattern: str | None = None
    format: str | None = None
    choices: Callable[[], Mapping[str, Any]] | None = None
    repeats: bool = False
    native: bool = False
    helpers: Mapping[str, Any] = attrs.field(factory=dict, kw_only=True)

    def structure(self, value: Any) -> Any:
        """Read *value*, a JSON value, or raise :class:`ValidationError` saying what is wrong."""
        if type(value) is not self.json:
            raise wrong_type(self.wanted, value)
        return value if self.read is None else self.read(value)

    def write(self, value: Any) -> Any:
        """The JSON value of *value*."""
        return _writer(self.writes, tuple(self.helpers.items()))(value)

    def json_schema(self) -> dict[str, Any]:
        """The JSON Schema of the JSON value."""
        schema: dict[str, Any] = {"type": _JSON_TYPES[self.json]}
        if self.format is not None:
            schema["format"] = self.format
        if self.pattern is not None:
            schema["pattern"] = self.pattern
        if self.choices is not None:
            schema["enum"] = list(self.choices())
        return schema


@cache
def _writer(writes: str, helpers: tuple[tuple[str, Any], ...]) -> Callable[[Any], Any]:
    """The function that evaluates *writes* for a value (made once for each expression)."""
    function: Callable[[Any], Any] = eval(f"lambda value: {writes.format('value')}", dict(helpers))
    return function


def _read_decimal(text: str) -> Decimal:
    if not DECIMAL.fullmatch(text):
        raise ValidationError.single("", 'must be a decimal such as "6.2"', "decimal")
    return Decimal(text)


def _read_money(text: str) -> Money:
    if not MONEY.fullmatch(text):
        raise ValidationError.single(
            "", 'must be pounds with two decimal places, such as "2400000.00"', "money"
        )
    return Money(Decimal(text))


def money_text(pounds: object) -> str:
    """Pounds with exactly two decimal places."""
    return f"{pounds:.2f}"


def _read_date(text: str) -> dt.date:
    if not DATE.fullmatch(text):
        raise ValidationError.single("", "must be a date as YYYY-MM-DD", "date")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError.single("", "is not a day of the calendar", "date") from None


def _read_timestamp(text: str) -> dt.datetime:
    if not TIMESTAMP.fullmatch(text):
        raise ValidationError.single(
            "",
            "must be a timestamp with its UTC offset, such as 2025-11-14T09:30:00+00:00",
            "timestamp",
        )
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError.single("", "is not a moment of the calendar", "timestamp") from None


def timestamp_text(moment: dt.datetime) -> str:
    """RFC 3339 text for an aware timestamp, with ``Z`` for UTC as most tools write it."""
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


@cache
def _areas() -> dict[str, Area]:
    # Built on first use: importing the library never reads the area table.
    return {area.code: area for area in Area.all()}


@cache
def _police_force_areas() -> dict[str, PoliceForceArea]:
    return {force.code: force for force in PoliceForceArea.all()}


def _gss_code(
    places: Callable[[], Mapping[str, Any]], place: str, example: str, pattern: str, code: str
) -> WireType:
    """A place of England or Wales, such as a district, by its GSS code."""

    def read(text: str) -> Any:
        try:
            return places()[text]
        except KeyError:
            raise ValidationError.single(
                "", f"must be the GSS code of {place} of England or Wales, such as {example}", code
            ) from None

    return WireType(str, f"a GSS code such as {example}", read, "{}.code", pattern, choices=places)


def scalar_types() -> dict[Any, WireType]:
    """The table: each scalar type of the model that is not an identifier or an enum.

    It is built afresh on every call, for its few callers to keep.
    """
    return {
        str: WireType(str, "a string"),
        int: WireType(int, "a whole number"),
        bool: WireType(bool, "true or false"),
        Decimal: WireType(
            str,
            'an exact decimal written as a string, such as "6.2"',
            _read_decimal,
            "decimal_text({})",
            DECIMAL_PATTERN,
            helpers={"decimal_text": decimal_text},
        ),
        Money: WireType(
            str,
            'pounds written as a string, such as "2400000.00"',
            _read_money,
            "money_text({}.pounds)",
            MONEY_PATTERN,
            helpers={"money_text": money_text},
        ),
        PartialDate: WireType(
            str,
            "a date as YYYY, YYYY-MM or YYYY-MM-DD",
            PartialDate.parse,
            "{}.text",
            PARTIAL_DATE_PATTERN,
            repeats=True,
        ),
        dt.date: WireType(
            str,
            "a date as YYYY-MM-DD",
            _read_date,
            "{}.isoformat()",
            DATE_PATTERN,
            "date",
            repeats=True,
            native=True,
        ),
        dt.datetime: WireType(
            str,
            "a timestamp with its UTC offset",
            _read_timestamp,
            "timestamp_text({})",
            TIMESTAMP_PATTERN,
            "date-time",
            native=True,
            helpers={"timestamp_text": timestamp_text},
        ),
        Area: _gss_code(
            _areas, "a local authority district", "E09000007", GSS_CODE_PATTERN, "unknown_area"
        ),
        PoliceForceArea: _gss_code(
            _police_force_areas,
            "a police force area",
            "E23000005",
            POLICE_FORCE_AREA_CODE_PATTERN,
            "unknown_police_force_area",
        ),
    }


#: The classes whose every subclass travels as one JSON string.
SCALAR_FAMILIES: Final = (Identifier, enum.Enum)


def _anchored(pattern: str) -> str:
    return pattern if pattern.startswith("^") else f"^(?:{pattern})$"


def _identifier(kind: type[Identifier]) -> WireType:
    """An identifier: a string of its form, read by its own constructor."""
    return WireType(
        str, "a string", kind, "{}", _anchored(kind.pattern), repeats=kind is OrganisationId
    )


def _member(kind: type[enum.Enum]) -> WireType:
    """An enum member, by its value."""
    members = {member.value: member for member in kind}
    allowed = ", ".join(repr(value) for value in members)

    def read(text: str) -> enum.Enum:
        try:
            return members[text]
        except KeyError:
            raise ValidationError.single("", f"must be one of {allowed}", "unknown_value") from None

    return WireType(str, "a string", read, "{}._value_", choices=lambda: members)


def wire_type(kind: Any) -> WireType | None:
    r"""How a value of *kind* travels, or ``None`` for a type that is not a scalar.

    >>> from cse_programme import Money, OrganisationId
    >>> from cse_programme._serialisation._wire import wire_type
    >>> money = wire_type(Money)
    >>> money.structure("2400000.00"), money.write(Money.of("2.4m"))
    (Money(pounds=Decimal('2400000.00')), '2400000.00')
    >>> money.json_schema()
    {'type': 'string', 'pattern': '^(0|[1-9][0-9]{0,14})\\.[0-9]{2}$'}
    >>> money.structure(2400000)
    Traceback (most recent call last):
    ...
    cse_programme._errors.ValidationError: 1 problem:
      (root): must be pounds written as a string, such as "2400000.00", not an integer [type]
    >>> wire_type(OrganisationId).structure("GB-LAE-GLA")
    OrganisationId('GB-LAE-GLA')
    >>> wire_type(tuple[Money, ...]) is None
    True
    """
    table = scalar_types()
    if kind in table:
        return table[kind]
    if isinstance(kind, type) and issubclass(kind, Identifier):
        return _identifier(kind)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return _member(kind)
    return None
