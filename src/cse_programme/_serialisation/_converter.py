"""The one converter between domain objects and JSON-ready Python values.

Every hook here is strict: a value of the wrong JSON type is refused, never
coerced, and every problem is reported with its path.  Structure and
unstructure functions are built once per type and cached by cattrs.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError

from cse_programme._errors import Problem, ValidationError, key_token
from cse_programme._serialisation._fast import COMPILER
from cse_programme._serialisation._wire import (
    DATE,
    DECIMAL,
    MONEY,
    TIMESTAMP,
)
from cse_programme.model import (
    Area,
    Identifier,
    Money,
    PartialDate,
    PoliceForceArea,
    Rule,
    type_name,
)


def wrong_type(wanted: str, value: object) -> ValidationError:
    return ValidationError.single("", f"must be {wanted}, not {type_name(value)}", "type")


def problems_of(exc: BaseException, *where: str | int) -> list[Problem]:
    """Every problem an exception raised while structuring stands for, with its path.

    The hooks raise only :class:`ValidationError`.  Anything else would be a
    fault of the library; it is still reported as a problem at its path, and
    without its text, which might repeat the value being read.
    """
    if isinstance(exc, ValidationError):
        return list(exc.under(*where).problems)
    return [Problem("", "could not be read", "invalid").under(*where)]


def _field_problems(exc: ClassValidationError) -> list[Problem]:
    """The problems cattrs found in an object's fields, each under its field's name."""
    found: list[Problem] = []
    with_notes, without_notes = exc.group_exceptions()
    for inner, note in with_notes:
        if isinstance(inner, KeyError):
            found.append(Problem("", "is required", "missing").under(note.name))
        else:
            found.extend(problems_of(inner, note.name))
    for inner in without_notes:
        if isinstance(inner, ForbiddenExtraKeysError):
            found.extend(
                Problem("", "is not a field of this object", "unknown_key").under(key_token(key))
                for key in sorted(inner.extra_fields)
            )
        else:
            found.extend(problems_of(inner))
    return found


def _exactly(kind: type, wanted: str) -> Callable[[Any, type], Any]:
    """The hook for a JSON scalar that must be of *kind* exactly: no coercion."""

    def structure(value: Any, _: type) -> Any:
        if type(value) is not kind:
            raise wrong_type(wanted, value)
        return value

    return structure


def _structure_decimal(value: Any, _: type) -> Decimal:
    if type(value) is not str:
        raise wrong_type('an exact decimal written as a string, such as "6.2"', value)
    if not DECIMAL.fullmatch(value):
        raise ValidationError.single("", 'must be a decimal such as "6.2"', "decimal")
    return Decimal(value)


def _structure_money(value: Any, _: type) -> Money:
    if type(value) is not str:
        raise wrong_type('pounds written as a string, such as "2400000.00"', value)
    if not MONEY.fullmatch(value):
        raise ValidationError.single(
            "", 'must be pounds with two decimal places, such as "2400000.00"', "money"
        )
    return Money(Decimal(value))


def _structure_partial_date(value: Any, _: type) -> PartialDate:
    if type(value) is not str:
        raise wrong_type("a date as YYYY, YYYY-MM or YYYY-MM-DD", value)
    return PartialDate.parse(value)


def _structure_date(value: Any, _: type) -> dt.date:
    if type(value) is not str:
        raise wrong_type("a date as YYYY-MM-DD", value)
    if not DATE.fullmatch(value):
        raise ValidationError.single("", "must be a date as YYYY-MM-DD", "date")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError.single("", "is not a day of the calendar", "date") from None


def _structure_timestamp(value: Any, _: type) -> dt.datetime:
    if type(value) is not str:
        raise wrong_type("a timestamp with its UTC offset", value)
    if not TIMESTAMP.fullmatch(value):
        raise ValidationError.single(
            "",
            "must be a timestamp with its UTC offset, such as 2025-11-14T09:30:00+00:00",
            "timestamp",
        )
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError.single("", "is not a moment of the calendar", "timestamp") from None


def _gss_hook(
    kind: type[Area | PoliceForceArea], place: str, example: str, code: str
) -> Callable[[Any, type], Area | PoliceForceArea]:
    """A hook reading the GSS code of a place of *kind*, such as a district, from a string."""

    def structure(value: Any, _: type) -> Area | PoliceForceArea:
        if type(value) is not str:
            raise wrong_type(f"a GSS code such as {example}", value)
        try:
            return kind(value)
        except ValidationError:
            raise ValidationError.single(
                "", f"must be the GSS code of {place} of England or Wales, such as {example}", code
            ) from None

    return structure


_structure_area = _gss_hook(Area, "a local authority district", "E09000007", "unknown_area")
_structure_police_force_area = _gss_hook(
    PoliceForceArea, "a police force area", "E23000005", "unknown_police_force_area"
)


def _structure_identifier(value: Any, kind: type[Identifier]) -> Identifier:
    if type(value) is not str:
        raise wrong_type("a string", value)
    return kind(value)


def _enum_hook(kind: type[enum.Enum]) -> Callable[[Any, type], enum.Enum]:
    members = {member.value: member for member in kind}
    allowed = ", ".join(repr(value) for value in members)

    def structure(value: Any, _: type) -> enum.Enum:
        if type(value) is not str:
            raise wrong_type("a string", value)
        try:
            return members[value]
        except KeyError:
            raise ValidationError.single("", f"must be one of {allowed}", "unknown_value") from None

    return structure


def _sequence_hook(
    converter: cattrs.Converter, kind: Any
) -> Callable[[Any, type], tuple[Any, ...] | frozenset[Any]]:
    origin = get_origin(kind)
    item_type = get_args(kind)[0]
    structure_item = converter.get_structure_hook(item_type)
    as_set = origin is frozenset

    def structure(value: Any, _: type) -> tuple[Any, ...] | frozenset[Any]:
        if type(value) is not list:
            raise wrong_type("a list", value)
        items: list[Any] = []
        problems: list[Problem] = []
        for index, raw in enumerate(value):
            try:
                items.append(structure_item(raw, item_type))
            except Exception as exc:
                problems.extend(problems_of(exc, index))
        if problems:
            raise ValidationError(problems)
        if not as_set:
            return tuple(items)
        result = frozenset(items)
        if len(result) != len(items):
            seen: set[Any] = set()
            for index, item in enumerate(items):
                if item in seen:
                    problems.append(
                        Problem("", "repeats an earlier item of the set", "duplicate").under(index)
                    )
                seen.add(item)
            raise ValidationError(problems)
        return result

    return structure


def _attrs_hook(converter: cattrs.Converter, kind: type) -> Callable[[Any, type], Any]:
    fast = COMPILER.structure_fn(kind)
    detailed: Callable[[Any, type], Any] = cattrs.gen.make_dict_structure_fn(kind, converter)
    fields = attrs.fields(kind)

    def structure(value: Any, _: type) -> Any:
        try:
            return fast(value)
        except Exception:  # the detailed pass below says what is wrong
            pass
        if type(value) is not dict:
            raise wrong_type("an object", value)
        try:
            return detailed(value, kind)
        except ClassValidationError as exc:
            raise _with_field_rules(exc, value, fields, converter) from None

    return structure


def _with_field_rules(
    exc: ClassValidationError,
    value: dict[str, Any],
    fields: tuple[attrs.Attribute[Any], ...],
    converter: cattrs.Converter,
) -> ValidationError:
    # The object could not be built, so its validators never ran.  Check the
    # per-field rules of every field that was read, so that one broken field
    # does not hide the problems of the others.
    problems = _field_problems(exc)
    broken = {problem.path.split("/")[1] for problem in problems if problem.path}
    for field in fields:
        rule = field.validator
        if field.name in broken or field.name not in value or not isinstance(rule, Rule):
            continue
        assert field.type is not None  # resolved when the package is imported
        try:
            read = converter.structure(value[field.name], field.type)
            rule(None, field, read)
        except ValidationError as error:
            problems.extend(error.problems)
        except Exception:  # already reported by the first pass
            continue
    return ValidationError(problems)


def _is_sequence(kind: Any) -> bool:
    origin: Any = get_origin(kind)
    return origin is tuple or origin is frozenset


#: attrs classes that travel as a single JSON string rather than an object.
_SCALAR_CLASSES: Final = frozenset({Money, PartialDate, Area, PoliceForceArea})


def _is_record(kind: Any) -> bool:
    return attrs.has(kind) and kind not in _SCALAR_CLASSES


def make_converter() -> cattrs.Converter:
    """Build the library's converter.  Call once: hooks are compiled per type."""
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    converter.register_structure_hook_factory(_is_record, lambda kind: _attrs_hook(converter, kind))
    for kind, hook in (
        (str, _exactly(str, "a string")),
        (int, _exactly(int, "a whole number")),
        (bool, _exactly(bool, "true or false")),
        (Decimal, _structure_decimal),
        (Money, _structure_money),
        (PartialDate, _structure_partial_date),
        (dt.datetime, _structure_timestamp),
        (dt.date, _structure_date),
        (Area, _structure_area),
        (PoliceForceArea, _structure_police_force_area),
    ):
        converter.register_structure_hook(kind, hook)

    def is_enum(kind: Any) -> bool:
        return isinstance(kind, type) and issubclass(kind, enum.Enum)

    # Registered on the base class: the most specific class wins, so
    # identifiers (str subclasses) never reach the hook for plain str.
    converter.register_structure_hook(Identifier, _structure_identifier)
    converter.register_structure_hook_factory(is_enum, _enum_hook)
    converter.register_structure_hook_factory(
        _is_sequence, lambda kind: _sequence_hook(converter, kind)
    )
    # Only whole records are ever written, by the compiled functions, which
    # write every field's value and sort every set so that equal sets always
    # give equal documents.
    converter.register_unstructure_hook_factory(_is_record, COMPILER.unstructure_fn)
    return converter


CONVERTER: Final = make_converter()
