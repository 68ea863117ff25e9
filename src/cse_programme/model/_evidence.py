"""Where figures come from: sources, the claims made in them, and indicators."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Final

import attrs

from cse_programme.model._dates import PartialDate
from cse_programme.model._ids import ClaimId, IndicatorId, SourceId, is_id
from cse_programme.model._quantities import Estimate
from cse_programme.model._rules import (
    fail,
    instance_of,
    matching,
    member_of,
    optional,
    set_of,
    text,
    tuple_of,
)
from cse_programme.model._vocabulary import AbuseContext, FigureRole, FigureUnit, Qualifier, Unit

#: Web addresses the library stores: https only.
URL_PATTERN = r"^https://[^\s/$.?#][^\s]{0,2000}$"


@attrs.frozen(kw_only=True)
class Source:
    """A published document that figures are taken from.

    *published* is ``None`` for a page that carries no date.

    >>> from cse_programme import PartialDate, Source, SourceId
    >>> release = Source(
    ...     id=SourceId("src-mayor-press-release-2025-11"),
    ...     title="New £2.4m package of support for victims and survivors of CSE",
    ...     publisher="Mayor of London",
    ...     published=PartialDate(2025, 11),
    ... )
    >>> release.published
    PartialDate(year=2025, month=11, day=None)
    """

    id: SourceId = attrs.field(validator=is_id(SourceId))
    title: str = attrs.field(validator=text())
    publisher: str = attrs.field(validator=text(200))
    published: PartialDate | None = attrs.field(
        default=None, validator=optional(instance_of(PartialDate, "a PartialDate"))
    )
    url: str | None = attrs.field(
        default=None, validator=optional(matching(URL_PATTERN, "an https:// address"))
    )


def _check_figure_value(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not Decimal:
        raise fail(attribute.name, "must be a Decimal", "type")
    if not value.is_finite():
        raise fail(attribute.name, "must be a finite number", "not_finite")


_UNIT_FORMS: Final = {
    FigureUnit.COUNT: "{:,f}",
    FigureUnit.GBP: "£{:,f}",
    FigureUnit.PERCENT: "{:f}%",
    FigureUnit.RATIO: "{:f} times",
    FigureUnit.AGE: "age {:f}",
    FigureUnit.YEARS: "{:f} years",
}


@attrs.frozen
class Figure:
    """A number a claim states, in its unit, exactly as stated, and its role.

    *qualifier* keeps the word the source puts before the number ("more
    than", "about", "maybe"); a plainly stated figure has none.

    >>> from decimal import Decimal
    >>> from cse_programme import Figure, FigureRole, FigureUnit, Qualifier
    >>> Figure(Decimal("6.2"), FigureUnit.PERCENT, FigureRole.PERCENT_CHANGE).role.label
    'Percentage change'
    >>> print(Figure(Decimal(233_000_000), FigureUnit.GBP, FigureRole.VALUE, Qualifier.MORE_THAN))
    more than £233,000,000
    """

    value: Decimal = attrs.field(validator=_check_figure_value)
    unit: FigureUnit = attrs.field(validator=member_of(FigureUnit))
    role: FigureRole = attrs.field(default=FigureRole.CONTEXT, validator=member_of(FigureRole))
    qualifier: Qualifier | None = attrs.field(
        default=None, validator=optional(member_of(Qualifier))
    )

    def __str__(self) -> str:
        number = _UNIT_FORMS[self.unit].format(self.value)
        return number if self.qualifier is None else f"{self.qualifier.label} {number}"


@attrs.frozen(kw_only=True)
class Occasion:
    """Where and when words that a source reports were said.

    A press release often quotes what someone said elsewhere; the occasion
    keeps that meeting or event apart from the source the words are read in.

    >>> from cse_programme import Occasion, PartialDate
    >>> plenary = Occasion(
    ...     name="Policing Plenary Meeting", place="City Hall", on=PartialDate(2025, 11, 13)
    ... )
    >>> print(plenary)
    Policing Plenary Meeting, City Hall, 2025-11-13
    """

    name: str = attrs.field(validator=text(200))
    place: str | None = attrs.field(default=None, validator=optional(text(200)))
    on: PartialDate | None = attrs.field(
        default=None, validator=optional(instance_of(PartialDate, "a PartialDate"))
    )

    def __str__(self) -> str:
        return ", ".join(str(part) for part in (self.name, self.place, self.on) if part)


@attrs.frozen(kw_only=True)
class Claim:
    """Words in a source that assert figures, quoted exactly.

    A claim keeps the words and the numbers they state, so that an audit can
    test claims against each other and against the data.  *period_label* is
    the period the claim speaks of, in its own words ("over the past year"),
    where it names one.  *dates* are the years and dates the words state, at
    the precision stated ("since 2022" is the year 2022); *contexts* are the
    abuse contexts the words name; *occasion* is where the words were said,
    when the source reports them from elsewhere.

    >>> from decimal import Decimal
    >>> from cse_programme import Claim, ClaimId, Figure, FigureRole, FigureUnit, SourceId
    >>> claim = Claim(
    ...     id=ClaimId("claim-threefold-charges"),
    ...     source=SourceId("src-mayor-press-release-2025-11"),
    ...     quote="from 63 to 207 suspects charged",
    ...     figures=(
    ...         Figure(Decimal(63), FigureUnit.COUNT, FigureRole.BASELINE),
    ...         Figure(Decimal(207), FigureUnit.COUNT, FigureRole.VALUE),
    ...     ),
    ... )
    >>> [int(f.value) for f in claim.figures]
    [63, 207]
    """

    id: ClaimId = attrs.field(validator=is_id(ClaimId))
    source: SourceId = attrs.field(validator=is_id(SourceId))
    quote: str = attrs.field(validator=text(2000))
    speaker: str | None = attrs.field(default=None, validator=optional(text(200)))
    occasion: Occasion | None = attrs.field(
        default=None, validator=optional(instance_of(Occasion, "an Occasion"))
    )
    period_label: str | None = attrs.field(default=None, validator=optional(text(200)))
    figures: tuple[Figure, ...] = attrs.field(default=(), validator=tuple_of(Figure, "a Figure"))
    dates: tuple[PartialDate, ...] = attrs.field(
        default=(), validator=tuple_of(PartialDate, "a PartialDate")
    )
    contexts: frozenset[AbuseContext] = attrs.field(
        default=frozenset(), validator=set_of(AbuseContext, "an AbuseContext")
    )


#: The rule for the claims a sourced figure cites: at least one, none twice.
CITES_CLAIMS: Final = tuple_of(ClaimId, "a ClaimId", non_empty=True, unique=True)
#: The rule for the claims a record may cite for what it describes: none twice.
MAY_CITE_CLAIMS: Final = tuple_of(ClaimId, "a ClaimId", unique=True)
#: The rule for the sources a record may list for what no claim quotes: none twice.
MAY_LIST_SOURCES: Final = tuple_of(SourceId, "a SourceId", unique=True)


@attrs.frozen(kw_only=True)
class Indicator:
    """A published figure about the programme, with its unit, date and claims.

    >>> from cse_programme import ClaimId, Estimate, Indicator, IndicatorId, PartialDate, Unit
    >>> trained = Indicator(
    ...     id=IndicatorId("ind-officers-trained-cse"),
    ...     name="Officers trained to recognise CSE",
    ...     value=Estimate.more_than(11_000),
    ...     unit=Unit.OFFICERS,
    ...     as_of=PartialDate(2025, 11),
    ...     claims=(ClaimId("claim-training-11000"),),
    ... )
    >>> print(trained)
    Officers trained to recognise CSE: more than 11,000 officers (as of 2025-11)
    """

    id: IndicatorId = attrs.field(validator=is_id(IndicatorId))
    name: str = attrs.field(validator=text(200))
    value: Estimate = attrs.field(validator=instance_of(Estimate, "an Estimate"))
    unit: Unit = attrs.field(validator=member_of(Unit))
    as_of: PartialDate = attrs.field(validator=instance_of(PartialDate, "a PartialDate"))
    claims: tuple[ClaimId, ...] = attrs.field(validator=CITES_CLAIMS)
    description: str | None = attrs.field(default=None, validator=optional(text(2000)))

    def __str__(self) -> str:
        return f"{self.name}: {self.value} {self.unit.label} (as of {self.as_of})"
