"""An oracle for the loaders and writers: a converter built the plain way, here.

The library's converter and compiled loaders are held to this one, which
shares no code with them.  Records are read by the functions cattrs itself
generates for attrs classes (``make_dict_structure_fn``, with unknown keys
forbidden), every scalar by a strict hook written below from the wire forms
the documentation gives, and the model's own constructors, with every rule
of the model, decide what may exist.  Writing walks the object by hand.

The oracle does not explain: it says whether data is read, and into what.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import Any, get_args, get_origin

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn

from cse_programme import Area, Identifier, Money, PartialDate, PoliceForceArea

# The wire forms of the reference, written out again here.
DECIMAL = re.compile(r"-?(0|[1-9][0-9]{0,30})(\.[0-9]{1,30})?")
POUNDS = re.compile(r"(0|[1-9][0-9]{0,14})\.[0-9]{2}")
PARTIAL_DATE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MOMENT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})"
)


class Refused(Exception):  # noqa: N818 - an outcome, not a fault
    """The plain converter does not read the data."""


#: What reading gives back when the data is refused.
REFUSED = "refused"


def _exactly(kind: type) -> Callable[[Any, Any], Any]:
    def structure(value: Any, _: Any) -> Any:
        if type(value) is not kind:
            raise Refused
        return value

    return structure


def _text_as(read: Callable[[str], Any], form: re.Pattern[str] | None = None) -> Any:
    """A hook for a value written as a JSON string, read by *read* if it has the *form*."""

    def structure(value: Any, _: Any) -> Any:
        if type(value) is not str or (form is not None and not form.fullmatch(value)):
            raise Refused
        return read(value)

    return structure


def _by_class(value: Any, kind: Any) -> Any:
    """Identifiers and enum members: the class itself reads its wire value."""
    if type(value) is not str:
        raise Refused
    return kind(value)


def _collection(converter: cattrs.Converter, kind: Any) -> Callable[[Any, Any], Any]:
    item_type = get_args(kind)[0]

    def structure(value: Any, _: Any) -> Any:
        if type(value) is not list:
            raise Refused
        items = [converter.structure(item, item_type) for item in value]
        if get_origin(kind) is tuple:
            return tuple(items)
        if len(set(items)) != len(items):
            raise Refused  # a repeated item of a set is refused, not merged
        return frozenset(items)

    return structure


def _is_collection(kind: Any) -> bool:
    origin: Any = get_origin(kind)
    return origin is tuple or origin is frozenset


@cache
def plain_converter() -> cattrs.Converter:
    """The oracle's converter: cattrs' own record functions and the hooks above."""
    converter = cattrs.Converter(forbid_extra_keys=True)
    for json_type in (str, int, bool):
        converter.register_structure_hook(json_type, _exactly(json_type))
    hooks: tuple[tuple[Any, Callable[[Any, Any], Any]], ...] = (
        (Decimal, _text_as(Decimal, DECIMAL)),
        (Money, _text_as(lambda text: Money(Decimal(text)), POUNDS)),
        (PartialDate, _text_as(lambda text: PartialDate(*map(int, text.split("-"))), PARTIAL_DATE)),
        (dt.date, _text_as(dt.date.fromisoformat, DAY)),
        (dt.datetime, _text_as(dt.datetime.fromisoformat, MOMENT)),
        (Area, _text_as(Area)),
        (PoliceForceArea, _text_as(PoliceForceArea)),
        (Identifier, _by_class),
        (enum.Enum, _by_class),
    )
    for kind, hook in hooks:
        converter.register_structure_hook(kind, hook)
    converter.register_structure_hook_factory(
        _is_collection, lambda kind: _collection(converter, kind)
    )
    converter.register_structure_hook_factory(
        attrs.has,
        lambda kind: make_dict_structure_fn(kind, converter, _cattrs_forbid_extra_keys=True),
    )
    return converter


def read(data: Any, cls: type) -> Any:
    """The object the plain converter reads from *data*, or :data:`REFUSED`."""
    try:
        return plain_converter().structure(data, cls)
    except Exception:  # any refusal, by a hook, by cattrs or by a constructor
        return REFUSED


def write(value: Any) -> Any:
    """*value* as JSON values, written field by field."""
    if isinstance(value, Money):
        return str(value.pounds.quantize(Decimal("0.01")))
    if isinstance(value, PartialDate | Decimal):
        return str(value)
    if isinstance(value, Area | PoliceForceArea):
        return value.code
    if isinstance(value, dt.datetime):
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple):
        return [write(item) for item in value]
    if isinstance(value, frozenset):
        return sorted(write(item) for item in value)
    if attrs.has(type(value)):
        return {
            field.name: write(getattr(value, field.name))
            for field in attrs.fields(type(value))
            if field.init
            and not (getattr(value, field.name) is None and field.metadata.get("written_when_set"))
        }
    return str(value) if isinstance(value, str) else value


def rebuilt(value: Any) -> Any:
    """*value* built again through every constructor, from its innermost parts out.

    Each attrs object is made anew with :func:`attrs.evolve`, so every rule
    of the model runs again on every part: an object that should not exist
    raises :class:`~cse_programme.ValidationError`.
    """
    if isinstance(value, tuple):
        return tuple(rebuilt(item) for item in value)
    if isinstance(value, frozenset):
        return frozenset(rebuilt(item) for item in value)
    if attrs.has(type(value)):
        changes = {
            field.alias: rebuilt(getattr(value, field.name))
            for field in attrs.fields(type(value))
            if field.init
        }
        return attrs.evolve(value, **changes)
    return value
