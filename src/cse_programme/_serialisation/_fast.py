"""Compiled loaders and dumpers for the model's attrs classes.

For each class, a structuring function and an unstructuring function are
generated once, as straight-line Python built from the class's fields and
their :class:`~cse_programme.model._rules.Rule` descriptions: no dispatch per
record and no validator call per field.  A structuring function either
returns the same object the class's own constructor would build, or raises
:class:`Slow`; the converter then runs the detailed cattrs path, which finds
and reports every problem.  Rules between fields (validators that are not
plain rules, and ``__attrs_post_init__``) still run on every object.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import itertools
import operator
import re
import types
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import Any, Final, Union, get_args, get_origin

import attrs

from cse_programme._serialisation._wire import (
    DATE,
    DECIMAL,
    MONEY,
    TIMESTAMP,
    money_text,
    timestamp_text,
)
from cse_programme.model import (
    LONE_SURROGATE,
    Area,
    Identifier,
    Money,
    OrganisationId,
    PartialDate,
    PoliceForceArea,
    Rule,
    converts_to_utc,
    is_written_when_set,
)

StructureFn = Callable[[Any], Any]
UnstructureFn = Callable[[Any], Any]

_counter = itertools.count()
_set = object.__setattr__
_new = object.__new__
_MISSING: Final = object()
_PARTIAL = re.compile(r"([0-9]{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12][0-9]|3[01]))?)?")


class Slow(Exception):  # noqa: N818 - a signal, not an error a user sees
    """The fast path cannot build this value; the detailed path will say why."""


#: How many distinct values each memo keeps before it starts afresh.
MEMO_SIZE: Final = 4096


def _memo(function: StructureFn) -> StructureFn:
    """Reuse the immutable value already built from the same wire value.

    Dates, areas, organisation ids and sets of codes repeat across records;
    building each once saves both time and memory.  Only values that were
    built successfully are kept, and the memo is bounded.
    """
    memo: dict[Any, Any] = {}

    def structure(value: Any) -> Any:
        key = tuple(value) if type(value) is list else value
        try:
            return memo[key]
        except KeyError:
            pass
        except TypeError:
            raise Slow from None
        return _remember(memo, key, function(value))

    return structure


def _remember(memo: dict[Any, Any], key: Any, value: Any) -> Any:
    """Keep *value* under *key*, starting afresh when the memo is full."""
    if len(memo) >= MEMO_SIZE:
        memo.clear()
    memo[key] = value
    return value


def _partial_date(text: Any) -> PartialDate:
    if type(text) is not str:
        raise Slow
    match = _PARTIAL.fullmatch(text)
    if match is None:
        raise Slow
    year = int(match[1])
    if not 1900 <= year <= 2999:
        raise Slow
    month = None if match[2] is None else int(match[2])
    day = None if match[3] is None else int(match[3])
    if day is not None and day > calendar.monthrange(year, month)[1]:  # type: ignore[arg-type]
        raise Slow
    value = _new(PartialDate)
    _set(value, "year", year)
    _set(value, "month", month)
    _set(value, "day", day)
    return value


def _money(text: Any) -> Money:
    if type(text) is not str or MONEY.fullmatch(text) is None:
        raise Slow
    value = _new(Money)
    _set(value, "pounds", Decimal(text))
    return value


def _date(text: Any) -> dt.date:
    if type(text) is not str or DATE.fullmatch(text) is None:
        raise Slow
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Slow from None


def _timestamp(text: Any) -> dt.datetime:
    if type(text) is not str or TIMESTAMP.fullmatch(text) is None:
        raise Slow
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise Slow from None


def _decimal(text: Any) -> Decimal:
    if type(text) is not str or DECIMAL.fullmatch(text) is None:
        raise Slow
    return Decimal(text)


@cache
def _areas() -> dict[str, Area]:
    # Built on first use: importing the library never reads the area table.
    return {area.code: area for area in Area.all()}


@cache
def _police_force_areas() -> dict[str, PoliceForceArea]:
    return {force.code: force for force in PoliceForceArea.all()}


def _area(code: Any) -> Area:
    try:
        return _areas()[code]
    except (KeyError, TypeError):
        raise Slow from None


def _police_force_area(code: Any) -> PoliceForceArea:
    try:
        return _police_force_areas()[code]
    except (KeyError, TypeError):
        raise Slow from None


def _identifier(kind: type[Identifier]) -> StructureFn:
    pattern = kind._compiled.fullmatch
    make = str.__new__

    def structure(value: Any) -> Identifier:
        if type(value) is not str or pattern(value) is None:
            raise Slow
        return make(kind, value)

    return structure


def _member(kind: type[enum.Enum]) -> StructureFn:
    members = {member.value: member for member in kind}

    def structure(value: Any) -> enum.Enum:
        try:
            return members[value]
        except (KeyError, TypeError):
            raise Slow from None

    return structure


def _exact(kind: type) -> StructureFn:
    def structure(value: Any) -> Any:
        if type(value) is not kind:
            raise Slow
        return value

    return structure


def _is_text(kind: Any) -> bool:
    """Whether a value of *kind* travels as a JSON string (or null)."""
    origin = get_origin(kind)
    if origin in (Union, types.UnionType):
        return all(_is_text(a) for a in get_args(kind) if a is not type(None))
    if kind in (str, Decimal, Money, PartialDate, dt.date, dt.datetime, Area, PoliceForceArea):
        return True
    return isinstance(kind, type) and issubclass(kind, Identifier | enum.Enum)


def _is_textual(kind: type) -> bool:
    """Whether every field of a record travels as a JSON string or null."""
    return all(_is_text(field.type) for field in attrs.fields(kind) if field.init)


def _memo_record(function: StructureFn) -> StructureFn:
    """Share the objects built from equal textual records, such as history steps.

    Fewer objects means less work for the garbage collector when large files
    are loaded; the objects are immutable, so sharing them is safe.  Only
    records whose every field is a string qualify: a string equals nothing but
    the same string, so no number or boolean can match a remembered record.
    """
    memo: dict[Any, Any] = {}

    def structure(value: Any) -> Any:
        if type(value) is not dict:
            raise Slow
        try:
            key = tuple(value.items())
            return memo[key]
        except KeyError:
            pass
        except TypeError:
            return function(value)
        return _remember(memo, key, function(value))

    return structure


def _cached(
    table: dict[Any, Callable[[Any], Any]],
    build: Callable[[Any], Callable[[Any], Any]],
    kind: Any,
) -> Callable[[Any], Any]:
    if kind not in table:
        table[kind] = build(kind)
    return table[kind]


def _or_none(function: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else function(value)


class _Compiler:
    """Builds and caches the functions for every class reachable from the first."""

    def __init__(self) -> None:
        self.structure_fns: dict[Any, StructureFn] = {}
        self.unstructure_fns: dict[Any, UnstructureFn] = {}

    # -- structuring -----------------------------------------------------

    def structure_fn(self, kind: Any) -> StructureFn:
        return _cached(self.structure_fns, self._structure_fn, kind)

    def _structure_fn(self, kind: Any) -> StructureFn:
        origin = get_origin(kind)
        if origin in (Union, types.UnionType):
            (inner,) = [a for a in get_args(kind) if a is not type(None)]
            return _or_none(self.structure_fn(inner))
        if origin is tuple:
            item = self.structure_fn(get_args(kind)[0])

            def structure_tuple(value: Any) -> tuple[Any, ...]:
                if type(value) is not list:
                    raise Slow
                return tuple([item(v) for v in value])

            return structure_tuple
        if origin is frozenset:
            item = self.structure_fn(get_args(kind)[0])

            def structure_set(value: Any) -> frozenset[Any]:
                if type(value) is not list:
                    raise Slow
                result = frozenset([item(v) for v in value])
                if len(result) != len(value):
                    raise Slow
                return result

            return _memo(structure_set)
        simple: dict[Any, StructureFn] = {
            str: _exact(str),
            int: _exact(int),
            bool: _exact(bool),
            Decimal: _decimal,
            Money: _money,
            PartialDate: _memo(_partial_date),
            dt.date: _memo(_date),
            dt.datetime: _timestamp,
            Area: _area,
            PoliceForceArea: _police_force_area,
        }
        if kind in simple:
            return simple[kind]
        if kind is OrganisationId:
            return _memo(_identifier(kind))
        if isinstance(kind, type) and issubclass(kind, Identifier):
            return _identifier(kind)
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            return _member(kind)
        if attrs.has(kind):
            # Reserve the name so that recursive references resolve lazily.
            self.structure_fns[kind] = lambda value: self.structure_fns[kind](value)  # noqa: PLW0108
            record = self._record(kind)
            return _memo_record(record) if _is_textual(kind) else record
        raise TypeError(f"no fast structuring for {kind!r}")

    def _record(self, kind: type) -> StructureFn:
        fields = [f for f in attrs.fields(kind) if f.init]
        names: dict[str, Any] = {
            "Slow": Slow,
            "_new": _new,
            "_set": _set,
            "_MISSING": _MISSING,
            "cls": kind,
            "fields": {f.name: f for f in attrs.fields(kind)},
        }
        lines = [
            "def structure(d):",
            "    if type(d) is not dict:",
            "        raise Slow",
            "    seen = 0",
        ]
        after: list[str] = []
        for index, field in enumerate(fields):
            name = field.name
            local = f"v{index}"
            names[f"conv{index}"] = self.structure_fn(field.type)
            rule = field.validator if isinstance(field.validator, Rule) else None
            if field.default is attrs.NOTHING:
                lines += [
                    f"    {local} = d.get({name!r}, _MISSING)",
                    f"    if {local} is _MISSING:",
                    "        raise Slow",
                    "    seen += 1",
                ]
            else:
                names[f"default{index}"] = field.default
                lines += [
                    f"    {local} = d.get({name!r}, _MISSING)",
                    f"    if {local} is _MISSING:",
                    f"        {local} = default{index}",
                    "    else:",
                    "        seen += 1",
                    f"        {local} = conv{index}({local})",
                ]
            if field.default is attrs.NOTHING:
                lines.append(f"    {local} = conv{index}({local})")
            lines += [f"    {line}" for line in self._inline_rule(rule, local, names, index)]
            if field.validator is not None and (rule is None or rule.further is not None):
                after.append(f"    fields[{name!r}].validator(o, fields[{name!r}], {local})")
        lines += [
            "    if seen != len(d):",
            "        raise Slow",
            "    o = _new(cls)",
        ]
        lines += [f"    _set(o, {f.name!r}, v{i})" for i, f in enumerate(fields)]
        lines += after
        if hasattr(kind, "__attrs_post_init__"):
            lines.append("    o.__attrs_post_init__()")
        lines.append("    return o")
        return self._compile(lines, names, "structure", kind)

    @staticmethod
    def _inline_rule(rule: Rule | None, local: str, names: dict[str, Any], index: int) -> list[str]:
        """Checks of a rule beyond what structuring its type already checked."""
        if rule is None or not rule.name:
            return []
        guard = f"{local} is not None and " if rule.allows_none else ""
        if rule.name == "whole_number":
            minimum, maximum = rule.params
            test = f"{local} < {minimum}"
            if maximum is not None:
                test += f" or {local} > {maximum}"
            return [f"if {guard}({test}):", "    raise Slow"]
        if rule.name == "text":
            (maximum,) = rule.params
            names["surrogate"] = LONE_SURROGATE.search
            return [
                f"if {guard}(len({local}) > {maximum} or not {local}.strip()",
                f"        or surrogate({local}) is not None):",
                "    raise Slow",
            ]
        if rule.name == "matching":
            names[f"pattern{index}"] = rule.params[0].fullmatch
            return [f"if {guard}pattern{index}({local}) is None:", "    raise Slow"]
        checks = []
        if rule.name in ("set_of", "tuple_of") and rule.params[0] is str:
            names["surrogate"] = LONE_SURROGATE.search
            checks += [f"if {guard}any(surrogate(item) for item in {local}):", "    raise Slow"]
        if rule.name in ("set_of", "tuple_of") and rule.params[2]:
            checks += [f"if {guard}not {local}:", "    raise Slow"]
        if rule.name == "tuple_of" and rule.params[3]:
            checks += [f"if {guard}len(set({local})) != len({local}):", "    raise Slow"]
        if checks:
            return checks
        if rule.name == "aware_timestamp":
            names["converts_to_utc"] = converts_to_utc
            return [
                f"if {guard}({local}.utcoffset() is None or not converts_to_utc({local})):",
                "    raise Slow",
            ]
        return []

    # -- unstructuring ---------------------------------------------------

    def unstructure_fn(self, kind: Any) -> UnstructureFn:
        return _cached(self.unstructure_fns, self._unstructure_fn, kind)

    def _unstructure_fn(self, kind: Any) -> UnstructureFn:
        origin = get_origin(kind)
        if origin in (Union, types.UnionType):
            (inner,) = [a for a in get_args(kind) if a is not type(None)]
            return _or_none(self.unstructure_fn(inner))
        if origin is tuple:
            item = self.unstructure_fn(get_args(kind)[0])
            return lambda value: [item(v) for v in value]
        if origin is frozenset:
            item = self.unstructure_fn(get_args(kind)[0])

            def unstructure_set(value: frozenset[Any]) -> tuple[Any, ...]:
                # Sorted, so equal sets always give equal documents.
                return tuple(sorted([item(v) for v in value]))

            return _memo_out(unstructure_set)
        simple: dict[Any, UnstructureFn] = {
            str: _same,
            int: _same,
            bool: _same,
            Decimal: str,
            Money: lambda money: money_text(money.pounds),
            PartialDate: _memo_out(str),
            dt.date: dt.date.isoformat,
            dt.datetime: timestamp_text,
            Area: lambda area: area.code,
            PoliceForceArea: lambda force: force.code,
        }
        if kind in simple:
            return simple[kind]
        if isinstance(kind, type) and issubclass(kind, Identifier):
            return _same
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            return operator.attrgetter("_value_")
        if attrs.has(kind):
            self.unstructure_fns[kind] = lambda value: self.unstructure_fns[kind](value)  # noqa: PLW0108
            return self._unstructure_record(kind)
        raise TypeError(f"no fast unstructuring for {kind!r}")

    def _unstructure_record(self, kind: type) -> UnstructureFn:
        fields = [f for f in attrs.fields(kind) if f.init]
        names: dict[str, Any] = {}
        items = []
        when_set = []
        for index, field in enumerate(fields):
            function = self.unstructure_fn(field.type)
            if function is _same:
                value = f"o.{field.name}"
            else:
                names[f"f{index}"] = function
                value = f"f{index}(o.{field.name})"
            if is_written_when_set(field):
                when_set += [
                    f"    if o.{field.name} is not None:",
                    f"        d[{field.name!r}] = {value}",
                ]
            else:
                items.append(f"{field.name!r}: {value}")
        lines = [
            "def unstructure(o):",
            "    d = {" + ", ".join(items) + "}",
            *when_set,
            "    return d",
        ]
        return self._compile(lines, names, "unstructure", kind)

    @staticmethod
    def _compile(
        lines: list[str], names: dict[str, Any], what: str, kind: type
    ) -> Callable[[Any], Any]:
        source = "\n".join(lines)
        filename = f"<cse_programme {what} {kind.__name__} {next(_counter)}>"
        exec(compile(source, filename, "exec"), names)
        function: Callable[[Any], Any] = names[what]
        return function


def _memo_out(function: UnstructureFn) -> UnstructureFn:
    """Reuse the wire value already made from an equal immutable value."""
    memo: dict[Any, Any] = {}

    def unstructure(value: Any) -> Any:
        try:
            return memo[value]
        except KeyError:
            return _remember(memo, value, function(value))

    return unstructure


def _same(value: Any) -> Any:
    return value


COMPILER: Final = _Compiler()
