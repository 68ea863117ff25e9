"""Local authority districts of England and Wales, their police force areas, and named groups.

The codes and names come from the ONS lookup of every local authority district
to its police force area (December 2024, Open Government Licence v3.0), shipped
as package data (``model/data/areas.json``, built by ``make areas``) and read on
first use, so importing the library never reads it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Final

import attrs

from cse_programme.model._rules import (
    check_text,
    expect_type,
    fail,
)

#: GSS codes of local authority districts: E06, E07, E08, E09 (England) or W06 (Wales),
#: then six digits.
GSS_CODE_PATTERN: Final = r"^(?:E0[6-9]|W06)[0-9]{6}$"
#: GSS codes of police force areas: E23 (England) or W15 (Wales), then six digits.
POLICE_FORCE_AREA_CODE_PATTERN: Final = r"^(?:E23|W15)[0-9]{6}$"

_GSS_CODE = re.compile(GSS_CODE_PATTERN)
_FORCE_AREA_CODE = re.compile(POLICE_FORCE_AREA_CODE_PATTERN)
_NOT_LETTERS = re.compile(r"[^a-z]+")
# ONS puts a title after the name: "Bristol, City of", "London, City of".
_TITLE_AFTER = re.compile(r"(?P<name>.+), (?P<title>(?:\w+ )*of)")
# Words of formal titles that people add or leave out ("Royal Borough of Greenwich").
_TITLE_WORDS: Final = frozenset({"london", "borough", "of", "royal"})
# Words people add to a police force area's name ("Greater Manchester Police").
_FORCE_WORDS: Final = frozenset({"police", "area", "force", "constabulary", "service", "the"})

# Short names in common use that the word-for-word prefix rule cannot settle,
# each with the ONS name of the district it means.
_SHORT_NAMES: Final[Mapping[str, str]] = {
    "Kingston": "Kingston upon Thames",
    "Hull": "Kingston upon Hull, City of",
}
_FORCE_SHORT_NAMES: Final[Mapping[str, str]] = {"Met": "Metropolitan Police"}


@attrs.frozen
class _Table:
    districts: Mapping[str, tuple[str, str]]  # code -> (ONS name, police force area code)
    forces: Mapping[str, str]  # code -> ONS name
    about: Mapping[str, str]  # description, source, vintage, licence


@cache
def _table() -> _Table:
    raw = resources.files("cse_programme.model").joinpath("data/areas.json").read_text("utf-8")
    data = json.loads(raw)
    return _Table(
        districts={code: (name, force) for code, name, force in data["districts"]},
        forces=dict(data["police_force_areas"]),
        about={key: value for key, value in data.items() if isinstance(value, str)},
    )


def area_table_provenance() -> Mapping[str, str]:
    """Where the table of districts and police force areas comes from.

    >>> about = area_table_provenance()
    >>> about["vintage"], about["licence"]
    ('December 2024', 'Open Government Licence v3.0')
    >>> about["source"].startswith("Office for National Statistics")
    True
    """
    return dict(_table().about)


def _words(name: str, dropped: frozenset[str]) -> str:
    folded = _NOT_LETTERS.sub(" ", name.casefold().replace("&", " and ")).split()
    return " ".join(word for word in folded if word not in dropped)


def _title_first(name: str) -> str | None:
    """ "City of Bristol" for "Bristol, City of"; None for a name without a title after it."""
    match = _TITLE_AFTER.fullmatch(name)
    return None if match is None else f"{match['title']} {match['name']}"


def _index(
    forms: Iterable[tuple[str, str]], short_names: Mapping[str, str], dropped: frozenset[str]
) -> dict[str, str | None]:
    """Each name form, normalised, with its code; ``None`` where several codes share it."""
    index: dict[str, str | None] = {}
    codes: dict[str, str] = {}
    for code, form in forms:
        codes[form] = code
        key = _words(form, dropped)
        if key:
            index[key] = code if index.get(key, code) == code else None
    for short, name in short_names.items():
        index[_words(short, dropped)] = codes[name]
    return index


@cache
def _by_name() -> dict[str, str | None]:
    def forms() -> Iterator[tuple[str, str]]:
        for code, (name, _) in _table().districts.items():
            yield code, name
            title_first = _title_first(name)
            if title_first is not None:
                yield code, title_first
                yield code, name.rsplit(",", 1)[0]

    return _index(forms(), _SHORT_NAMES, _TITLE_WORDS)


@cache
def _forces_by_name() -> dict[str, str | None]:
    def forms() -> Iterator[tuple[str, str]]:
        for code, name in _table().forces.items():
            yield code, name
            yield code, _title_first(name) or name

    return _index(forms(), _FORCE_SHORT_NAMES, _FORCE_WORDS)


def _find(text: str, index: Mapping[str, str | None], dropped: frozenset[str]) -> str | None:
    """The code *text* names in *index*, or None; raises where it names several."""
    wanted = _words(text, dropped)
    if not wanted:
        return None
    if wanted in index:
        codes = {index[wanted]}
    else:
        # A short name people use ("Bristol", "Richmond") when it begins
        # exactly one name, word for word.
        codes = {code for name, code in index.items() if (name + " ").startswith(wanted + " ")}
    if None in codes or len(codes) > 1:
        raise ValueError("ambiguous")
    return next(iter(codes), None)


def _check_code(instance: Area, attribute: attrs.Attribute[Any], value: Any) -> None:
    expect_type(attribute.name, value, str, "text")
    if not _GSS_CODE.fullmatch(value) or value not in _table().districts:
        raise fail(
            attribute.name,
            "must be the GSS code of a local authority district of England or Wales",
            "unknown_area",
        )


@attrs.frozen(order=True)
class Area:
    """A local authority district of England or Wales, by its GSS code.

    Districts are the unitary authorities (``E06``), non-metropolitan
    districts (``E07``), metropolitan districts (``E08``) and London's 32
    boroughs and the City (``E09``) of England, and the principal areas of
    Wales (``W06``): 318 in all, as the ONS lists them in December 2024.

    >>> manchester = Area.lookup("Manchester")
    >>> manchester
    Area(code='E08000003')
    >>> manchester.police_force_area.display_name
    'Greater Manchester Police area'
    >>> Area.lookup("Camden").name, Area.lookup("e09000033").name
    ('Camden', 'Westminster')
    >>> Area.lookup("Kensington & Chelsea").code, Area.lookup("Royal Borough of Greenwich").code
    ('E09000020', 'E09000011')
    >>> Area.lookup("Kingston").name, Area.lookup("Hull").name, Area.lookup("Bristol").name
    ('Kingston upon Thames', 'Kingston upon Hull, City of', 'Bristol, City of')

    A name that begins several districts' names is refused, not guessed:

    >>> Area.lookup("Newcastle")
    Traceback (most recent call last):
    ...
    cse_programme.ValidationError: 1 problem:
      /area: names more than one district: give more of the name or the GSS code [ambiguous_area]
    """

    code: str = attrs.field(validator=_check_code)

    @property
    def name(self) -> str:
        """The district's name as the ONS writes it ("Bristol, City of")."""
        return _table().districts[self.code][0]

    @property
    def police_force_area(self) -> PoliceForceArea:
        """The police force area the district lies in.

        >>> Area.lookup("Cardiff").police_force_area.name
        'South Wales'
        """
        return PoliceForceArea(_table().districts[self.code][1])

    @property
    def policed_by_met(self) -> bool:
        """Whether the district lies in the Metropolitan Police's force area.

        All London boroughs do; the City of London has its own force.

        >>> Area.lookup("Camden").policed_by_met, Area("E09000001").policed_by_met
        (True, False)
        """
        return self.police_force_area == _metropolitan_police()

    @classmethod
    def lookup(cls, code_or_name: str) -> Area:
        """Find a district by GSS code or by name, ignoring case and punctuation.

        A name may be the ONS name, the name with its title first ("City of
        Bristol") or without it ("Bristol"), a formal London title ("London
        Borough of Camden"), a short name that begins exactly one district's
        name word for word ("Richmond"), or a short name in common use that
        the prefix rule cannot settle ("Kingston" for Kingston upon Thames,
        "Hull").  A name that could mean several districts is refused.
        """
        check_text("area", code_or_name, 100)
        text = code_or_name.strip()
        if text.upper() in _table().districts:
            return cls(text.upper())
        try:
            code = _find(text, _by_name(), _TITLE_WORDS)
        except ValueError:
            raise fail(
                "area",
                "names more than one district: give more of the name or the GSS code",
                "ambiguous_area",
            ) from None
        if code is None:
            raise fail(
                "area",
                "must name a local authority district of England or Wales or give its GSS code",
                "unknown_area",
            )
        return cls(code)

    @classmethod
    def all(cls) -> tuple[Area, ...]:
        """Every district of England and Wales, in code order.

        >>> len(Area.all())
        318
        """
        return _all_areas()

    def __str__(self) -> str:
        return self.name


@cache
def _all_areas() -> tuple[Area, ...]:
    return tuple(Area(code) for code in sorted(_table().districts))


def _check_force_area_code(
    instance: PoliceForceArea, attribute: attrs.Attribute[Any], value: Any
) -> None:
    expect_type(attribute.name, value, str, "text")
    if not _FORCE_AREA_CODE.fullmatch(value) or value not in _table().forces:
        raise fail(
            attribute.name,
            "must be the GSS code of a police force area of England or Wales",
            "unknown_police_force_area",
        )


@attrs.frozen(order=True)
class PoliceForceArea:
    """One of the 43 police force areas of England and Wales, by its GSS code.

    Each local authority district lies in exactly one.  *name* is the ONS
    name ("Greater Manchester", "London, City of"); :attr:`display_name` is
    the readable form.

    >>> gm = PoliceForceArea.lookup("Greater Manchester")
    >>> gm
    PoliceForceArea(code='E23000005')
    >>> len(gm.areas), Area.lookup("Salford") in gm.areas
    (10, True)
    >>> PoliceForceArea.lookup("City of London Police").display_name
    'City of London Police area'
    """

    code: str = attrs.field(validator=_check_force_area_code)

    @property
    def name(self) -> str:
        """The force area's name as the ONS writes it."""
        return _table().forces[self.code]

    @property
    def display_name(self) -> str:
        """The name for people, such as "City of London Police area".

        A title the ONS writes after the name ("London, City of") comes first,
        and "Police area" follows, without repeating "Police".

        >>> [PoliceForceArea.lookup(name).display_name for name in ("E23000034", "Met", "Gwent")]
        ['City of London Police area', 'Metropolitan Police area', 'Gwent Police area']
        """
        name = _title_first(self.name) or self.name
        return f"{name} area" if name.endswith(" Police") else f"{name} Police area"

    @property
    def areas(self) -> frozenset[Area]:
        """The districts that lie in this force area.

        >>> met = PoliceForceArea.lookup("Metropolitan Police")
        >>> len(met.areas), Area.lookup("City of London") in met.areas
        (32, False)
        """
        return _force_areas()[self.code]

    @property
    def group(self) -> AreaGroup:
        """The force area as a named group of districts.

        >>> PoliceForceArea.lookup("Dyfed-Powys").group.names()
        ('Ceredigion', 'Pembrokeshire', 'Carmarthenshire', 'Powys')
        """
        return AreaGroup(self.display_name, self.areas)

    @classmethod
    def lookup(cls, code_or_name: str) -> PoliceForceArea:
        """Find a police force area by GSS code or by name, ignoring case and punctuation.

        The name may be the ONS name, its readable form, or the force's name
        ("Greater Manchester Police", "City of London Police", "the Met").
        """
        check_text("police_force_area", code_or_name, 100)
        text = code_or_name.strip()
        if text.upper() in _table().forces:
            return cls(text.upper())
        code = _forces_by_name().get(_words(text, _FORCE_WORDS))
        if code is None:
            raise fail(
                "police_force_area",
                "must name a police force area of England or Wales or give its GSS code",
                "unknown_police_force_area",
            )
        return cls(code)

    @classmethod
    def all(cls) -> tuple[PoliceForceArea, ...]:
        """Every police force area, in code order.

        >>> len(PoliceForceArea.all())
        43
        """
        return tuple(cls(code) for code in sorted(_table().forces))

    def __str__(self) -> str:
        return self.display_name


@cache
def _force_areas() -> dict[str, frozenset[Area]]:
    found: dict[str, set[Area]] = {code: set() for code in _table().forces}
    for area in Area.all():
        found[_table().districts[area.code][1]].add(area)
    return {code: frozenset(areas) for code, areas in found.items()}


@cache
def _metropolitan_police() -> PoliceForceArea:
    return PoliceForceArea.lookup("Metropolitan Police")


@attrs.frozen
class AreaGroup:
    """A named set of districts, such as London or the areas a service covers.

    >>> NORTH_CENTRAL_LONDON.names()
    ('Barnet', 'Camden', 'Enfield', 'Haringey', 'Islington')
    >>> len(ALL_LONDON), len(ENGLAND), len(WALES), len(ENGLAND_AND_WALES)
    (33, 296, 22, 318)
    >>> Area.lookup("Swansea") in WALES
    True
    """

    name: str
    areas: frozenset[Area] = attrs.field(
        validator=lambda _, a, v: expect_type(a.name, v, frozenset, "a frozenset"),
        repr=lambda areas: f"<{len(areas)} districts>",
    )

    def __contains__(self, area: object) -> bool:
        return area in self.areas

    def __iter__(self) -> Iterator[Area]:
        return iter(sorted(self.areas))

    def __len__(self) -> int:
        return len(self.areas)

    def names(self) -> tuple[str, ...]:
        """The districts' names, in code order."""
        return tuple(area.name for area in self)

    @property
    def police_force_area(self) -> PoliceForceArea | None:
        """The police force area whose districts the group is, if it is one.

        >>> from cse_programme import ALL_LONDON, PoliceForceArea
        >>> PoliceForceArea.lookup("Kent").group.police_force_area
        PoliceForceArea(code='E23000032')
        >>> ALL_LONDON.police_force_area is None
        True
        """
        force = min(self.areas).police_force_area if self.areas else None
        return force if force is not None and force.areas == self.areas else None

    @classmethod
    def named(cls) -> tuple[AreaGroup, ...]:
        """Every named group, largest first: England and Wales, England, London,
        Wales, then each police force area.

        >>> [group.name for group in AreaGroup.named()][:4]
        ['England and Wales', 'England', 'All of London', 'Wales']
        >>> len(AreaGroup.named())
        47
        """
        return _named_groups()

    @classmethod
    def lookup(cls, name: str) -> AreaGroup:
        """Find a named group: "London", "England", "Wales", "England and Wales",
        or a police force area by name or code.

        >>> AreaGroup.lookup("london") == ALL_LONDON
        True
        >>> AreaGroup.lookup("Greater Manchester").name
        'Greater Manchester Police area'
        """
        check_text("group", name, 100)
        wanted = _words(name, _GROUP_WORDS)
        for group in _places():
            if wanted == _words(group.name, _GROUP_WORDS):
                return group
        try:
            return PoliceForceArea.lookup(name).group
        except ValueError:
            raise fail(
                "group",
                "must name London, England, Wales, England and Wales or a police force area",
                "unknown_group",
            ) from None


def describe_coverage(areas: Iterable[Area]) -> tuple[AreaGroup | Area, ...]:
    """Name a set of districts by the largest named groups it holds whole.

    Groups come first, largest first, then the districts left over in name
    order.  Only groups of two or more districts are used, so a district is
    never renamed after a force area that holds nothing else.

    >>> def described(areas):
    ...     return [part.name for part in describe_coverage(areas)]
    >>> described(ENGLAND_AND_WALES.areas)
    ['England and Wales']
    >>> described(ALL_LONDON.areas | {Area.lookup("Cardiff")})
    ['All of London', 'Cardiff']
    >>> described(PoliceForceArea.lookup("Greater Manchester").areas)
    ['Greater Manchester Police area']
    >>> described(Area.lookup(name) for name in ("Salford", "Manchester", "Oldham"))
    ['Manchester', 'Oldham', 'Salford']
    """
    remaining = set(areas)
    groups: list[AreaGroup] = []
    for group in _named_groups():
        if len(group) > 1 and group.areas <= remaining:
            groups.append(group)
            remaining -= group.areas
    return (*groups, *sorted(remaining, key=lambda area: (area.name, area.code)))


_GROUP_WORDS: Final = frozenset({"all", "of", "the"})


def _places() -> tuple[AreaGroup, ...]:
    return (_england_and_wales(), _england(), all_of_london(), _wales())


@cache
def _named_groups() -> tuple[AreaGroup, ...]:
    forces = sorted((force.group for force in PoliceForceArea.all()), key=len, reverse=True)
    return (*_places(), *forces)


# The groups below are built on first use, so that importing the library never
# reads the table.


@cache
def _england_and_wales() -> AreaGroup:
    return AreaGroup("England and Wales", frozenset(Area.all()))


@cache
def _england() -> AreaGroup:
    return AreaGroup("England", frozenset(a for a in Area.all() if a.code.startswith("E")))


@cache
def _wales() -> AreaGroup:
    return AreaGroup("Wales", frozenset(a for a in Area.all() if a.code.startswith("W")))


@cache
def all_of_london() -> AreaGroup:
    return AreaGroup("All of London", frozenset(a for a in Area.all() if a.code.startswith("E09")))


@cache
def _metropolitan_police_district() -> AreaGroup:
    return AreaGroup("Metropolitan Police district", _metropolitan_police().areas)


@cache
def _north_central_london() -> AreaGroup:
    names = ("Barnet", "Camden", "Enfield", "Haringey", "Islington")
    return AreaGroup("North Central London", frozenset(Area.lookup(name) for name in names))


#: The groups built on first use, by name, each with the function that builds it.
LAZY_GROUPS: Final[Mapping[str, Callable[[], AreaGroup]]] = {
    "ALL_LONDON": all_of_london,
    "ENGLAND": _england,
    "WALES": _wales,
    "ENGLAND_AND_WALES": _england_and_wales,
    "METROPOLITAN_POLICE_DISTRICT": _metropolitan_police_district,
    "NORTH_CENTRAL_LONDON": _north_central_london,
}

if TYPE_CHECKING:
    ALL_LONDON: AreaGroup
    ENGLAND: AreaGroup
    WALES: AreaGroup
    ENGLAND_AND_WALES: AreaGroup
    METROPOLITAN_POLICE_DISTRICT: AreaGroup
    NORTH_CENTRAL_LONDON: AreaGroup


def __getattr__(name: str) -> AreaGroup:
    try:
        build = LAZY_GROUPS[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    group = build()
    globals()[name] = group
    return group
