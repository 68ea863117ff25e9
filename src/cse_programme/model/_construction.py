"""What the model accepts when objects are built in Python, beyond the exact types.

Two conversions cost no strictness, because each leaves nothing to guess:

* plain text where an identifier is expected: ``"GB-LAE-GLA"`` for
  ``OrganisationId("GB-LAE-GLA")``, checked against the identifier's form;
* any collection where a ``frozenset`` or ``tuple`` is expected: a list, a
  set or a generator for a frozenset; a list or a generator for a tuple.
  Text and mappings are not collections here (text would be split into
  letters, a mapping would lose its values), and a set is refused for a tuple,
  since a set has no order to keep.

Everything else stays exact: a float is never money, a bool never a count,
and an identifier of one kind never stands for another.  Documents loaded
from JSON are read by the serialisation layer's own rules, so every value
reaches a constructor with its exact type and these conversions change
nothing there; the fields carry no attrs converter, which the compiled
loaders would have to mirror.

A missing or misspelt argument gets the library's :class:`ValidationError`,
naming each field, rather than Python's ``TypeError``.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

import attrs

from cse_programme._errors import Problem, ValidationError, key_token
from cse_programme.model._ids import Identifier
from cse_programme.model._rules import AndThen, InstanceOf, Optional, SetOf, TupleOf, fail

#: What a missing ``claims`` argument is told: why, and how to record one.
CLAIMS_REQUIRED: Final = (
    "is required: every figure cites at least one Claim (the words of a Source that state it);"
    " for a figure from your own records, describe them as a Source, such as an internal"
    " management information return, and quote it in a Claim"
)


Conversion = Callable[[Any, str], Any]


def _conversion(field: attrs.Attribute[Any]) -> tuple[Conversion, Any] | None:
    """How *field* takes a looser value, and what it then accepts; read off the field's rule.

    Read off the rule, a conversion can never accept what the rule would refuse.
    """
    shape = _shape(field.validator)
    if shape is None:
        return None
    form, kind, wanted, allows_none = shape
    accepted: Any
    if form == "instance_of" and issubclass(kind, Identifier):
        convert, accepted = _identifier(kind), kind | str
    elif form in ("set_of", "tuple_of"):
        collection: type[Any] = frozenset if form == "set_of" else tuple
        convert = _collection(kind, wanted, collection)
        identifiers = issubclass(kind, Identifier)
        accepted = Iterable[kind | str] if identifiers else Iterable[kind]  # type: ignore[valid-type]
    else:
        return None
    return convert, accepted | None if allows_none else accepted


#: The rules a conversion is read from, by the form they describe.
_FORMS: Final = {InstanceOf: "instance_of", SetOf: "set_of", TupleOf: "tuple_of"}


def _shape(rule: Any) -> tuple[str, type, str, bool] | None:
    """What *rule* asks of a field: its form, the kind of value, its words, and whether ``None``."""
    if isinstance(rule, Optional):
        shape = _shape(rule.rule)
        return None if shape is None else (*shape[:3], True)
    if isinstance(rule, AndThen):
        return _shape(rule.rule)
    form = _FORMS.get(type(rule))
    if form is None:
        return None
    return form, rule.kind, rule.wanted, False


def _identifier(kind: type[Identifier]) -> Conversion:
    def convert(value: Any, name: str) -> Any:
        if type(value) is not str:
            return value  # exact, None, or refused by the field's rule
        if not kind._compiled.fullmatch(value):
            raise fail(name, f"must be {kind.rule}", "identifier")
        return kind(value)

    return convert


def _collection(item: type, wanted: str, collection: type[Any]) -> Conversion:
    identifiers = issubclass(item, Identifier)

    def convert(value: Any, name: str) -> Any:
        if type(value) is collection and not (
            identifiers and any(type(each) is str for each in value)
        ):
            return value
        if value is None or isinstance(value, str | bytes | bytearray | Mapping):
            return value  # refused by the field's rule
        if not isinstance(value, Iterable):
            return value
        if collection is tuple and isinstance(value, set | frozenset):
            raise fail(
                name,
                "must be given in order (a tuple or a list), not a set, which has none",
                "unordered",
            )
        items = list(value)
        if identifiers:
            items = _identifiers(item, items, name, ordered=collection is tuple)
        try:
            return collection(items)
        except TypeError:  # a member that cannot be in a set
            raise fail(name, f"must hold only {wanted}", "type") from None

    return convert


def _identifiers(
    kind: type[Identifier], items: list[Any], name: str, *, ordered: bool
) -> list[Any]:
    problems: list[Problem] = []
    for index, each in enumerate(items):
        if type(each) is str:
            if kind._compiled.fullmatch(each):
                items[index] = kind(each)
            else:
                path = f"/{name}/{index}" if ordered else f"/{name}"
                problems.append(Problem(path, f"must be {kind.rule}", "identifier"))
    if problems:
        raise ValidationError(problems)
    return items


def accept_plain_values(cls: type) -> None:
    """Give the attrs class *cls* the conversions above, and errors that say what to do.

    The conversions run in ``__init__``, before attrs checks each field, so
    every way of building an object in Python (a call, :func:`attrs.evolve`)
    has them, while the fields themselves stay exact: the compiled loaders,
    which read documents without calling ``__init__``, never see them.  A
    missing or unknown argument gets a :class:`ValidationError` naming every
    one, and a missing ``claims`` is told how to record a figure.
    """
    init = cls.__init__  # type: ignore[misc]
    signature = inspect.signature(init)
    conversions: dict[str, Conversion] = {}
    accepted: dict[str, Any] = {}
    for field in attrs.fields(cls):
        found = _conversion(field) if field.init else None
        if found is not None:
            name = field.alias or field.name
            conversions[name], accepted[name] = found
    # Only these may be given in order; a keyword-only field never is.
    order = [p.name for p in signature.parameters.values() if p.kind is p.POSITIONAL_OR_KEYWORD]
    del order[:1]  # self

    @functools.wraps(init)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:  # noqa: N807
        in_order = dict(zip(order, args, strict=False))
        # Arguments that do not fit the signature go to attrs untouched, which
        # refuses them: none is converted, moved or overwritten first.
        if conversions and len(args) <= len(order) and in_order.keys().isdisjoint(kwargs):
            kwargs.update(in_order)
            args = ()
            for name, convert in conversions.items():
                if name in kwargs:
                    kwargs[name] = convert(kwargs[name], name)
        try:
            init(self, *args, **kwargs)
        except TypeError:
            problems = _argument_problems(cls, signature, args, kwargs)
            if not problems:
                raise
            raise ValidationError(problems) from None

    _show_accepted(__init__, init, signature, accepted)
    cls.__init__ = __init__  # type: ignore[misc]


def _show_accepted(
    wrapper: Callable[..., None],
    init: Callable[..., None],
    signature: inspect.Signature,
    accepted: dict[str, Any],
) -> None:
    # What the signature shows each field accepts, for help() and the reference.
    try:
        hints: dict[str, Any] = typing.get_type_hints(init)
    except NameError:
        hints = dict(init.__annotations__)
    hints.update(accepted)
    wrapper.__annotations__ = hints
    wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[
            p.replace(annotation=hints.get(p.name, p.annotation))
            for p in signature.parameters.values()
        ]
    )


def _argument_problems(
    cls: type, signature: inspect.Signature, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> list[Problem]:
    # Arguments that fit give no problem here: the error came from somewhere else.
    parameters = list(signature.parameters.values())[1:]
    positional = [p.name for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD]
    if len(args) > len(positional):
        return []
    given = set(positional[: len(args)]) | set(kwargs)
    known = {p.name for p in parameters}
    problems = [
        Problem(f"/{p.name}", CLAIMS_REQUIRED if p.name == "claims" else "is required", "missing")
        for p in parameters
        if p.default is p.empty and p.name not in given
    ]
    problems += [
        Problem(f"/{key_token(name)}", f"is not a field of {cls.__name__}", "unknown_field")
        for name in kwargs
        if name not in known
    ]
    return problems
