"""The one converter between domain objects and JSON-ready Python values.

Every hook here is strict: a value of the wrong JSON type is refused, never
coerced, and every problem is reported with its path.  Structure and
unstructure functions are built once per type and cached by cattrs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError

from cse_programme._errors import Problem, ValidationError, key_token
from cse_programme._serialisation._fast import COMPILER, Slow
from cse_programme._serialisation._wire import (
    SCALAR_FAMILIES,
    WireType,
    scalar_types,
    wire_type,
    wrong_type,
)
from cse_programme.model._rules import Rule


def problems_of(exc: BaseException, *where: str | int) -> list[Problem]:
    """Every problem a :class:`ValidationError` raised while structuring holds, with its path.

    The hooks raise only :class:`ValidationError` for what is wrong with the
    input.  Any other exception is a fault of the library and is raised
    again, unchanged, so that it shows.
    """
    if isinstance(exc, ValidationError):
        return list(exc.under(*where).problems)
    raise exc


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


def _scalar_hook() -> Callable[[Any, Any], Any]:
    """The hook for every scalar type: each reads as its wire type says, found once."""
    wires: dict[Any, WireType] = {}

    def structure(value: Any, kind: Any) -> Any:
        wire = wires.get(kind)
        if wire is None:
            wire = wire_type(kind)
            if wire is None:
                raise TypeError(f"no wire type for {kind!r}")
            wires[kind] = wire
        return wire.structure(value)

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
            except ValidationError as exc:
                problems.extend(exc.under(index).problems)
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
        except Slow:  # the detailed pass below says what is wrong
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
            rule(None, field, converter.structure(value[field.name], field.type))
        except ValidationError as error:
            problems.extend(error.problems)
    return ValidationError(problems)


def _is_sequence(kind: Any) -> bool:
    origin: Any = get_origin(kind)
    return origin is tuple or origin is frozenset


def _is_record(kind: Any) -> bool:
    """Whether *kind* travels as a JSON object: an attrs class that is not a scalar."""
    return attrs.has(kind) and wire_type(kind) is None


def make_converter() -> cattrs.Converter:
    """Build the library's converter.  Call once: hooks are compiled per type."""
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    converter.register_structure_hook_factory(_is_record, lambda kind: _attrs_hook(converter, kind))
    # Registered by class, so that each subclass of a family (each identifier,
    # a str subclass, and each enum) finds the same hook, and cattrs' own hooks
    # for str and int are replaced: nothing is coerced.
    scalar = _scalar_hook()
    for kind in (*scalar_types(), *SCALAR_FAMILIES):
        converter.register_structure_hook(kind, scalar)
    converter.register_structure_hook_factory(
        _is_sequence, lambda kind: _sequence_hook(converter, kind)
    )
    # Only whole records are ever written, by the compiled functions, which
    # write every field's value and sort every set so that equal sets always
    # give equal documents.
    converter.register_unstructure_hook_factory(_is_record, COMPILER.unstructure_fn)
    return converter


CONVERTER: Final = make_converter()
