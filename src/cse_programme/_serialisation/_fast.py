"""Compiled loaders and dumpers for the model's attrs classes.

For each class, a structuring function and an unstructuring function are
generated once, as straight-line Python built from the class's fields: each
scalar is read and written as the wire table (:mod:`._wire`) says, and each
field's :class:`~cse_programme.model._rules.Rule` is checked in the form the
rule itself gives (:meth:`~cse_programme.model._rules.Rule.inline`): no
dispatch per record and no validator call per field.  A rule without such a
form is refused when the loader is compiled, never skipped.

A structuring function either returns the same object the class's own
constructor would build, or raises :class:`Slow`, and only that: the
converter then runs the detailed cattrs path, which finds and reports every
problem.  Any other exception is a fault and goes through.  Checks that look
at the whole object (validators that are not plain rules, and
``__attrs_post_init__``) still run on every object.

The writers write each field in place, as its wire type's expression says
(``{}.isoformat()`` for a day): an unstructuring function builds a record's
JSON values as one dict display, and a text function writes its JSON text
directly, byte for byte what the standard library's encoder makes of those
values, so that no dict is built when orjson is not there to encode one.
"""

from __future__ import annotations

import enum
import itertools
import json
from collections.abc import Callable, Iterable, Mapping
from json.encoder import encode_basestring
from typing import Any, Final, get_args, get_origin

import attrs

from cse_programme._errors import ValidationError
from cse_programme._serialisation._wire import WireType, wire_type
from cse_programme.model import Optional as OptionalRule
from cse_programme.model import Rule, is_written_when_set, without_none

StructureFn = Callable[[Any], Any]
UnstructureFn = Callable[[Any], Any]
TextFn = Callable[[Any], str]

_counter = itertools.count()
_set = object.__setattr__
_new = object.__new__
_MISSING: Final = object()


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


def _reader(wire: WireType) -> StructureFn:
    """The compiled reader of a scalar: its wire type's, giving up instead of explaining.

    A scalar whose values repeat across records is read once per distinct
    JSON value, which is remembered (a bounded memo, the reader's ``made``).
    """
    json, read = wire.json, wire.read
    if wire.choices is not None:
        choices: Mapping[Any, Any] = wire.choices()

        def structure_choice(value: Any) -> Any:
            if type(value) is not json or value not in choices:
                raise Slow
            return choices[value]

        return structure_choice
    if read is None:

        def structure_json(value: Any) -> Any:
            if type(value) is not json:
                raise Slow
            return value

        return structure_json
    memo: dict[Any, Any] | None = {} if wire.repeats else None

    def structure(value: Any) -> Any:
        if memo is not None:
            try:
                return memo[value]
            except (KeyError, TypeError):
                pass
        # Only values of the JSON type are remembered, so no number or list
        # can match a remembered string.
        if type(value) is not json:
            raise Slow
        try:
            built = read(value)
        except ValidationError:
            raise Slow from None
        return built if memo is None else _remember(memo, value, built)

    structure.made = memo  # type: ignore[attr-defined]
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


def _shape(kind: Any) -> tuple[str, Any]:
    """What the compiler makes of *kind*, and what it is made of.

    ``("optional", T)`` for ``T | None``, ``("tuple", T)`` and ``("set", T)``
    for collections of *T*, ``("scalar", wire type)`` for a type in the wire
    table, ``("record", kind)`` for an attrs class; any other type is refused.
    """
    inner = without_none(kind)
    if inner is not None:
        return "optional", inner
    origin = get_origin(kind)
    if origin is tuple:
        return "tuple", get_args(kind)[0]
    if origin is frozenset:
        return "set", get_args(kind)[0]
    wire = wire_type(kind)
    if wire is not None:
        return "scalar", wire
    if attrs.has(kind):
        return "record", kind
    raise TypeError(f"no compiled form for {kind!r}")


def _structure_tuple(item: StructureFn) -> StructureFn:
    def structure_tuple(value: Any) -> tuple[Any, ...]:
        if type(value) is not list:
            raise Slow
        return tuple([item(v) for v in value])

    return structure_tuple


def _structure_set(item: StructureFn) -> StructureFn:
    def structure_set(value: Any) -> frozenset[Any]:
        if type(value) is not list:
            raise Slow
        result = frozenset([item(v) for v in value])
        if len(result) != len(value):
            raise Slow
        return result

    return structure_set


def _read_field(field: attrs.Attribute[Any], index: int, read: str) -> list[str]:
    """Lines that read *field* from the dict ``d`` into ``v{index}``, counting it in ``seen``.

    *read* is the expression that reads the field's JSON value, held in ``v{index}``.
    """
    if field.converter is not None or isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
        raise TypeError(f"no fast structuring for the field {field.name!r}")
    local = f"v{index}"
    lines = [f"    {local} = d.get({field.name!r}, _MISSING)", f"    if {local} is _MISSING:"]
    if field.default is attrs.NOTHING:
        return [*lines, "        raise Slow", f"    {local} = {read}", "    seen += 1"]
    return [
        *lines,
        f"        {local} = default{index}",
        "    else:",
        f"        {local} = {read}",
        "        seen += 1",
    ]


def _give_up() -> Any:
    raise Slow


def _rule_test(field: attrs.Attribute[Any], local: str, names: dict[str, Any]) -> str:
    """The test that *field*'s rule fails on the value read into *local*; ``""`` if none can."""
    rule = field.validator
    if not isinstance(rule, Rule):
        return ""
    inline = rule.inline(local, field.type)
    for name, thing in inline.names.items():
        if names.setdefault(name, thing) != thing:
            raise TypeError(f"two rules use the name {name!r} for different things")
    return inline.test


def _object_check(field: attrs.Attribute[Any], local: str, names: dict[str, Any]) -> str:
    """The line that checks *field*'s value, in *local*, against the built object ``o``.

    ``""`` when its rule looks at nothing but the value, which is checked
    inline.  A validator that is not a rule runs whole.
    """
    rule, name = field.validator, repr(field.name)
    if rule is None:
        return ""
    if not isinstance(rule, Rule):
        return f"    fields[{name}].validator(o, fields[{name}], {local})"
    if rule.object_check is None:
        return ""
    names[f"check_{local}"] = rule.object_check
    call = f"check_{local}(o, fields[{name}], {local})"
    return (
        f"    if {local} is not None: {call}" if isinstance(rule, OptionalRule) else f"    {call}"
    )


class _Compiler:
    """Builds and caches the functions for every class reachable from the first."""

    def __init__(self) -> None:
        self.structure_fns: dict[Any, StructureFn] = {}
        self.unstructure_fns: dict[Any, UnstructureFn] = {}
        self.native_fns: dict[Any, UnstructureFn] = {}
        self.text_fns: dict[Any, TextFn] = {}

    # -- structuring -----------------------------------------------------

    def structure_fn(self, kind: Any) -> StructureFn:
        return _cached(self.structure_fns, self._structure_fn, kind)

    def _structure_fn(self, kind: Any) -> StructureFn:
        shape, inner = _shape(kind)
        if shape == "optional":
            return _or_none(self.structure_fn(inner))
        if shape == "tuple":
            return _structure_tuple(self.structure_fn(inner))
        if shape == "set":
            return _memo(_structure_set(self.structure_fn(inner)))
        if shape == "scalar":
            return _reader(inner)
        # Reserve the name so that recursive references resolve lazily.
        self.structure_fns[kind] = lambda value: self.structure_fns[kind](value)  # noqa: PLW0108
        return self._record(kind)

    def _record(self, kind: type) -> StructureFn:
        fields = [f for f in attrs.fields(kind) if f.init]
        names: dict[str, Any] = {
            "Slow": Slow,
            "ValidationError": ValidationError,
            "give_up": _give_up,
            "_new": _new,
            "_set": _set,
            "_MISSING": _MISSING,
            "cls": kind,
            "fields": {f.name: f for f in attrs.fields(kind)},
        }
        lines = [
            "    if type(d) is not dict:",
            "        raise Slow",
            "    seen = 0",
        ]
        on_the_object: list[str] = []
        for index, field in enumerate(fields):
            local = f"v{index}"
            names[f"default{index}"] = field.default
            lines += _read_field(field, index, self._read(field.type, local, index, names))
            test = _rule_test(field, local, names)
            if test:
                lines += [f"    if {test}:", "        raise Slow"]
            check = _object_check(field, local, names)
            if check:
                on_the_object.append(check)
        if hasattr(kind, "__attrs_post_init__"):
            on_the_object.append("    o.__attrs_post_init__()")
        lines += [
            "    if seen != len(d):",
            "        raise Slow",
            "    o = _new(cls)",
            *(f"    _set(o, {f.name!r}, v{i})" for i, f in enumerate(fields)),
            *on_the_object,
            "    return o",
        ]
        # A value the wire table cannot read, or an object that breaks a check
        # on the whole object, raises the library's error: the detailed pass
        # reports it with its path.
        source = [
            "def structure(d):",
            "  try:",
            *(f"  {line}" for line in lines),
            "  except ValidationError:",
            "    raise Slow from None",
        ]
        return self._compile(source, names, "structure", kind)

    def _read(self, kind: Any, local: str, index: int, names: dict[str, Any]) -> str:
        """The expression that reads *local*, a JSON value, as *kind*.

        A scalar is read in place, its JSON type checked first: one of a
        fixed set of values by looking it up, one that recurs by finding it
        among those already made, any other by its wire type's reader.  A
        tuple is read in place too, each item by its own function.  Anything
        else is read by the function compiled for its type.
        """
        shape, inner = _shape(kind)
        if shape == "optional":
            read = self._read(inner, local, index, names)
            return f"None if {local} is None else ({read})"
        if shape == "tuple":
            # Read in place, item by item: a call fewer for each record's history.
            names[f"conv{index}"] = self.structure_fn(inner)
            each = f"[conv{index}(x) for x in {local}]"
            return f"tuple({each}) if type({local}) is list else give_up()"
        if shape != "scalar":
            names[f"conv{index}"] = self.structure_fn(kind)
            return f"conv{index}({local})"
        names[f"json{index}"] = inner.json
        is_json = f"type({local}) is json{index}"
        if inner.choices is not None:
            names[f"choices{index}"] = inner.choices()
            found = f"{local} in choices{index}"
            return f"choices{index}[{local}] if {is_json} and {found} else give_up()"
        if inner.repeats:
            names[f"conv{index}"] = reader = self.structure_fn(kind)
            names[f"made{index}"] = reader.made  # type: ignore[attr-defined]
            found = f"{local} in made{index}"
            return f"made{index}[{local}] if {is_json} and {found} else conv{index}({local})"
        if inner.read is None:
            return f"{local} if {is_json} else give_up()"
        names[f"read{index}"] = inner.read
        return f"read{index}({local}) if {is_json} else give_up()"

    # -- unstructuring ---------------------------------------------------

    def unstructure_fn(self, kind: Any) -> UnstructureFn:
        """The function that gives a value of *kind* as JSON values."""
        return _cached(self.unstructure_fns, self._unstructure_fn, kind)

    def native_fn(self, kind: Any) -> UnstructureFn:
        """As :meth:`unstructure_fn`, for orjson: values it writes itself are left as they are.

        Those are the scalars whose wire type is :attr:`~WireType.native`
        (days and timestamps), outside sets, whose members are sorted by
        their written text.
        """
        return _cached(self.native_fns, self._native_fn, kind)

    def _unstructure_fn(self, kind: Any, native: bool = False) -> UnstructureFn:
        if _shape(kind)[0] == "record":
            # Reserve the name so that recursive references resolve lazily.
            table = self.native_fns if native else self.unstructure_fns
            table[kind] = lambda value: table[kind](value)  # noqa: PLW0108
            return self._unstructure_record(kind, native)
        names: dict[str, Any] = {}
        source = ["def unstructure(o):", f"    return {self._written(kind, 'o', names, 0, native)}"]
        return self._compile(source, names, "unstructure", kind)

    def _native_fn(self, kind: Any) -> UnstructureFn:
        return self._unstructure_fn(kind, native=True)

    def _written(
        self, kind: Any, value: str, names: dict[str, Any], depth: int, native: bool = False
    ) -> str:
        """The expression that writes *value*, a simple expression for a value of *kind*.

        Scalars are written as their wire type's expression, in place (or
        left as they are for orjson, when *native* and orjson writes them);
        collections by comprehensions; a record by its literal dict when it
        has no field written only when set, else by its own function.
        """
        shape, inner = _shape(kind)
        item = f"x{depth}"
        if shape == "optional":
            written = self._written(inner, value, names, depth, native)
            if written == value:  # a value written as it is: None is too
                return value
            return f"None if {value} is None else {written}"
        if shape == "tuple":
            # An empty tuple, the usual list of outcomes, costs no comprehension.
            written = self._written(inner, item, names, depth + 1, native)
            return f"([{written} for {item} in {value}] if {value} else [])"
        if shape == "set":
            # Sorted by written text, so equal sets always give equal documents.
            if native and _few_members(inner):
                # orjson only reads what it is handed, so the sorted members of
                # each set of a small vocabulary are worked out once and shared.
                sort_names: dict[str, Any] = {}
                member = self._written(inner, "x", sort_names, depth + 1)
                sort = self._compile(
                    ["def sort(s):", f"    return tuple(sorted([{member} for x in s]))"],
                    sort_names,
                    "sort",
                    inner,
                )
                memo = f"m{len(names)}"
                names[memo] = _SortedOnce(sort)
                return f"{memo}[{value}]"
            return f"sorted([{self._written(inner, item, names, depth + 1)} for {item} in {value}])"
        if shape == "scalar":
            wire: WireType = inner
            if native and wire.native:
                return value
            _share(names, wire.helpers)
            return wire.writes.format(value)
        fields = [f for f in attrs.fields(inner) if f.init]
        if depth > _INLINE_DEPTH or any(is_written_when_set(f) for f in fields):
            function = f"w{len(names)}"
            names[function] = self.native_fn(inner) if native else self.unstructure_fn(inner)
            return f"{function}({value})"
        return _literal(
            (f.name, self._written(f.type, f"{value}.{f.name}", names, depth + 1, native))
            for f in fields
        )

    def _unstructure_record(self, kind: type, native: bool) -> UnstructureFn:
        fields = [f for f in attrs.fields(kind) if f.init]
        names: dict[str, Any] = {}
        items = []
        when_set = []
        for field in fields:
            value = self._written(field.type, f"o.{field.name}", names, 1, native)
            if is_written_when_set(field):
                when_set += [
                    f"    if o.{field.name} is not None:",
                    f"        d[{field.name!r}] = {value}",
                ]
            else:
                items.append((field.name, value))
        lines = [
            "def unstructure(o):",
            f"    d = {_literal(items)}",
            *when_set,
            "    return d",
        ]
        return self._compile(lines, names, "unstructure", kind)

    # -- writing JSON text ------------------------------------------------

    def text_fn(self, kind: Any) -> TextFn:
        """The function that writes a value of *kind* as compact JSON text.

        Its text is byte for byte the standard library's encoding of the
        value's :meth:`unstructure_fn`, without building those values first.
        """
        return _cached(self.text_fns, self._text_fn, kind)

    def _text_fn(self, kind: Any) -> TextFn:
        names: dict[str, Any] = {"text": encode_basestring, "int_text": int.__repr__}
        if _shape(kind)[0] != "record":
            source = ["def write(o):", f"    return {self._text(kind, 'o', names, 0)}"]
            return self._compile(source, names, "write", kind)
        self.text_fns[kind] = lambda value: self.text_fns[kind](value)  # noqa: PLW0108
        fields = [f for f in attrs.fields(kind) if f.init]
        always = [f for f in fields if not is_written_when_set(f)]
        lines = [
            "def write(o):",
            "    parts = ["
            + ", ".join(self._member(f, f"o.{f.name}", names, 1) for f in always)
            + "]",
        ]
        for field in fields:
            if is_written_when_set(field):
                member = self._member(field, f"o.{field.name}", names, 1)
                lines += [f"    if o.{field.name} is not None:", f"        parts.append({member})"]
        lines.append("    return '{' + ','.join(parts) + '}'")
        return self._compile(lines, names, "write", kind)

    def _member(
        self, field: attrs.Attribute[Any], value: str, names: dict[str, Any], depth: int
    ) -> str:
        """The expression of one member of an object: its key, a colon and its value."""
        return f"{json.dumps(field.name) + ':'!r} + {self._text(field.type, value, names, depth)}"

    def _text(self, kind: Any, value: str, names: dict[str, Any], depth: int) -> str:
        """The expression writing *value*, a simple expression for a *kind*, as JSON text."""
        shape, inner = _shape(kind)
        item = f"x{depth}"
        if shape == "optional":
            return f"('null' if {value} is None else {self._text(inner, value, names, depth)})"
        if shape == "tuple":
            each = self._text(inner, item, names, depth + 1)
            return f"('[' + ','.join([{each} for {item} in {value}]) + ']')"
        if shape == "set":
            # Sorted by written value, as the values are, so the texts agree.
            written = self._written(inner, item, names, depth + 1)
            each = _json_text(_shape(inner)[1], item)
            values = f"sorted([{written} for {item} in {value}])"
            return f"('[' + ','.join([{each} for {item} in {values}]) + ']')"
        if shape == "scalar":
            return _json_text(inner, self._written(kind, value, names, depth))
        fields = [f for f in attrs.fields(inner) if f.init]
        if depth > _INLINE_DEPTH or any(is_written_when_set(f) for f in fields):
            function = f"t{len(names)}"
            names[function] = self.text_fn(inner)
            return f"{function}({value})"
        members = " + ',' + ".join(
            self._member(f, f"{value}.{f.name}", names, depth + 1) for f in fields
        )
        return f"('{{' + {members} + '}}')"

    @staticmethod
    def _compile(
        lines: list[str], names: dict[str, Any], what: str, kind: type
    ) -> Callable[[Any], Any]:
        source = "\n".join(lines)
        # A class by its name; a union or a collection (``Money | None``) by its repr.
        named = kind.__name__ if isinstance(kind, type) else repr(kind)
        filename = f"<cse_programme {what} {named} {next(_counter)}>"
        exec(compile(source, filename, "exec"), names)
        function: Callable[[Any], Any] = names[what]
        return function


#: How deep records are written as literal dicts inside their parent's writer.
_INLINE_DEPTH: Final = 3


def _json_text(wire: WireType, written: str) -> str:
    """The expression writing *written*, the JSON value of a scalar, as JSON text."""
    if wire.json is str:
        return f"text({written})"
    if wire.json is bool:
        return f"('true' if {written} else 'false')"
    return f"int_text({written})"


def _literal(items: Iterable[tuple[str, str]]) -> str:
    """A dict display of *items*, each a key and the expression of its value."""
    return "{" + ", ".join(f"{key!r}: {value}" for key, value in items) + "}"


def _few_members(kind: Any) -> bool:
    """Whether *kind* is a vocabulary small enough that all its sets may be kept."""
    return isinstance(kind, type) and issubclass(kind, enum.Enum) and len(kind) <= _FEW


#: The most members a vocabulary may have for its sets' written forms to be kept:
#: at most 2 ** 10 sets, however many records are written.
_FEW: Final = 10


class _SortedOnce(dict[frozenset[Any], tuple[Any, ...]]):
    """The sorted written members of each set met so far, worked out on first sight."""

    def __init__(self, sort: Callable[[frozenset[Any]], tuple[Any, ...]]) -> None:
        super().__init__()
        self.sort = sort

    def __missing__(self, members: frozenset[Any]) -> tuple[Any, ...]:
        written = self[members] = self.sort(members)
        return written


def _share(names: dict[str, Any], helpers: Mapping[str, Any]) -> None:
    """Add *helpers* to the names of generated code, refusing two things under one name."""
    for name, thing in helpers.items():
        if names.setdefault(name, thing) is not thing:
            raise TypeError(f"two writers use the name {name!r} for different things")


COMPILER: Final = _Compiler()
