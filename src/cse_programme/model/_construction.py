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
from JSON are read by the serialisation layer's own rules and never reach
these conversions.

A missing or misspelt argument gets the library's :class:`ValidationError`,
naming each field, rather than Python's ``TypeError``.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

import attrs

from cse_programme._errors import Problem, ValidationError, key_token
from cse_programme.model._ids import Identifier
from cse_programme.model._rules import Rule, fail

#: What a missing ``claims`` argument is told: why, and how to record one.
CLAIMS_REQUIRED: Final = (
    "is required: every figure cites at least one Claim (the words of a Source that state it);"
    " for a figure from your own records, describe them as a Source, such as an internal"
    " management information return, and quote it in a Claim"
)


def accept_plain_values(
    cls: type, fields: list[attrs.Attribute[Any]]
) -> list[attrs.Attribute[Any]]:
    """An attrs field transformer giving each identifier and collection field its conversion.

    The conversion is read off the field's rule, so it can never accept what
    the rule would refuse.
    """
    return [_with_conversion(field) for field in fields]


def _with_conversion(field: attrs.Attribute[Any]) -> attrs.Attribute[Any]:
    rule = field.validator
    if field.converter is not None or not isinstance(rule, Rule):
        return field
    kind = rule.params[0] if rule.params else None
    if not isinstance(kind, type):
        return field
    if rule.name == "instance_of" and issubclass(kind, Identifier):
        convert = _identifier(kind)
    elif rule.name == "set_of":
        convert = _collection(kind, rule.params[1], frozenset)
    elif rule.name == "tuple_of":
        convert = _collection(kind, rule.params[1], tuple)
    else:
        return field
    if rule.allows_none:
        convert.__annotations__["value"] = convert.__annotations__["value"] | None
    return field.evolve(converter=attrs.Converter(convert, takes_field=True))


def _identifier(kind: type[Identifier]) -> Callable[[Any, attrs.Attribute[Any]], Any]:
    def convert(value: Any, field: attrs.Attribute[Any]) -> Any:
        if type(value) is not str:
            return value  # exact, None, or refused by the field's rule
        if not kind._compiled.fullmatch(value):
            raise fail(field.name, f"must be {kind.rule}", "identifier")
        return kind(value)

    return _accepting(convert, kind | str)


def _collection(
    item: type, wanted: str, collection: type[tuple[Any, ...]] | type[frozenset[Any]]
) -> Callable[[Any, attrs.Attribute[Any]], Any]:
    identifiers = issubclass(item, Identifier)

    def convert(value: Any, field: attrs.Attribute[Any]) -> Any:
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
                field.name,
                "must be given in order (a tuple or a list), not a set, which has none",
                "unordered",
            )
        items = list(value)
        if identifiers:
            items = _identifiers(item, items, field.name, ordered=collection is tuple)
        try:
            return collection(items)
        except TypeError:  # a member that cannot be in a set
            raise fail(field.name, f"must hold only {wanted}", "type") from None

    return _accepting(convert, Iterable[item | str] if identifiers else Iterable[item])  # type: ignore[valid-type]


def _accepting(
    convert: Callable[[Any, attrs.Attribute[Any]], Any], accepted: Any
) -> Callable[[Any, attrs.Attribute[Any]], Any]:
    # What the signature of __init__ shows a field accepts.  attrs reads it from
    # the converter; an object rather than text, so it never needs resolving.
    convert.__annotations__ = {"value": accepted, "field": attrs.Attribute, "return": Any}
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


def explain_arguments(cls: type) -> None:
    """Make *cls* answer a missing or unknown argument with a :class:`ValidationError`.

    Python's own ``TypeError`` names one argument and says nothing of why it
    is needed; this names every one, and tells a missing ``claims`` how to
    record a figure.
    """
    init = cls.__init__  # type: ignore[misc]
    signature = inspect.signature(init)

    @functools.wraps(init)
    def explained(self: Any, *args: Any, **kwargs: Any) -> None:
        try:
            init(self, *args, **kwargs)
        except TypeError:
            problems = _argument_problems(cls, signature, args, kwargs)
            if not problems:
                raise
            raise ValidationError(problems) from None

    cls.__init__ = explained  # type: ignore[misc]


def _argument_problems(
    cls: type, signature: inspect.Signature, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> list[Problem]:
    try:
        signature.bind(None, *args, **kwargs)
    except TypeError:
        pass
    else:
        return []  # the arguments fit: the error came from somewhere else
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
