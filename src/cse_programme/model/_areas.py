"""London's 33 local authority areas, by their GSS codes."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any, Final

import attrs

from cse_programme.model._rules import (
    check_text,
    expect_type,
    fail,
)

#: GSS codes of London's areas: E09 followed by six digits.
GSS_CODE_PATTERN: Final = r"^E09[0-9]{6}$"
_GSS_CODE = re.compile(GSS_CODE_PATTERN)
_NOT_LETTERS = re.compile(r"[^a-z]+")


def _normalise(name: str) -> str:
    folded = _NOT_LETTERS.sub(" ", name.casefold().replace("&", " and ")).split()
    return " ".join(word for word in folded if word not in {"london", "borough", "of", "royal"})


@cache
def _table() -> dict[str, str]:
    raw = resources.files("cse_programme.model").joinpath("data/london_areas.json").read_text()
    return {row["code"]: row["name"] for row in json.loads(raw)["areas"]}


@cache
def _by_name() -> dict[str, str]:
    return {_normalise(name): code for code, name in _table().items()}


def _check_code(instance: Area, attribute: attrs.Attribute[Any], value: Any) -> None:
    expect_type(attribute.name, value, str, "text")
    if not _GSS_CODE.fullmatch(value) or value not in _table():
        raise fail(attribute.name, "must be the GSS code of a London area", "unknown_area")


@attrs.frozen(order=True)
class Area:
    """One of London's 33 local authority areas: the 32 boroughs and the City.

    Areas are identified by their GSS code (``E09000001`` to ``E09000033``).
    The table of codes and names ships with the package.

    >>> camden = Area.lookup("Camden")
    >>> camden
    Area(code='E09000007')
    >>> camden.name
    'Camden'
    >>> Area.lookup("e09000033").name, Area.lookup("Kensington & Chelsea").code
    ('Westminster', 'E09000020')
    >>> Area.lookup("Royal Borough of Greenwich").code
    'E09000011'
    >>> Area.lookup("Kingston").name
    'Kingston upon Thames'
    """

    code: str = attrs.field(validator=_check_code)

    @property
    def name(self) -> str:
        """The area's name as the ONS spells it."""
        return _table()[self.code]

    @property
    def policed_by_met(self) -> bool:
        """Whether the Metropolitan Police polices the area (all but the City).

        >>> Area("E09000001").policed_by_met
        False
        """
        return self.code != CITY_OF_LONDON_CODE

    @classmethod
    def lookup(cls, code_or_name: str) -> Area:
        """Find an area by GSS code or by name, ignoring case and punctuation."""
        check_text("area", code_or_name, 100)
        text = code_or_name.strip()
        if text.upper() in _table():
            return cls(text.upper())
        wanted = _normalise(text)
        code = _by_name().get(wanted)
        if code is None and wanted:
            # A short name people use ("Kingston", "Richmond") when it begins
            # exactly one area's name, word for word.
            starts = [c for n, c in _by_name().items() if (n + " ").startswith(wanted + " ")]
            code = starts[0] if len(starts) == 1 else None
        if code is None:
            raise fail("area", "must name a London area or give its GSS code", "unknown_area")
        return cls(code)

    @classmethod
    def all(cls) -> tuple[Area, ...]:
        """Every London area, in code order.

        >>> len(Area.all())
        33
        """
        return tuple(cls(code) for code in sorted(_table()))

    def __str__(self) -> str:
        return self.name


CITY_OF_LONDON_CODE: Final = "E09000001"


@attrs.frozen
class AreaGroup:
    """A named set of areas, such as the boroughs a service covers.

    >>> NORTH_CENTRAL_LONDON.names()
    ('Barnet', 'Camden', 'Enfield', 'Haringey', 'Islington')
    >>> len(METROPOLITAN_POLICE_DISTRICT)
    32
    """

    name: str
    areas: frozenset[Area] = attrs.field(
        validator=lambda _, a, v: expect_type(a.name, v, frozenset, "a frozenset")
    )

    def __contains__(self, area: object) -> bool:
        return area in self.areas

    def __iter__(self) -> Iterator[Area]:
        return iter(sorted(self.areas))

    def __len__(self) -> int:
        return len(self.areas)

    def names(self) -> tuple[str, ...]:
        """The areas' names, in code order."""
        return tuple(area.name for area in self)


ALL_LONDON: Final = AreaGroup("All of London", frozenset(Area.all()))
METROPOLITAN_POLICE_DISTRICT: Final = AreaGroup(
    "Metropolitan Police district", frozenset(a for a in Area.all() if a.policed_by_met)
)
NORTH_CENTRAL_LONDON: Final = AreaGroup(
    "North Central London",
    frozenset(
        Area.lookup(name) for name in ("Barnet", "Camden", "Enfield", "Haringey", "Islington")
    ),
)
