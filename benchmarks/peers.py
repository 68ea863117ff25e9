"""The case record as pydantic v2 (strict) and msgspec models, with the library's rules.

Each peer enforces what ``cse_programme.CaseReview`` enforces: strict types,
no unknown keys, the identifier and GSS-code patterns, enum values, counts
and their bounds, non-empty and repeat-free sets, timezone-aware
timestamps, real calendar dates, and the rules between fields (a period that
does not end before it starts, forward-only dated histories, outcomes only
once recorded and only for the case's suspects).
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import re
from typing import Annotated, Any, Literal

import msgspec
import pydantic

from cse_programme import AbuseContext, Area, OutcomeType, ReviewStatus
from cse_programme.model._ids import CaseReference, OrganisationId
from cse_programme.model._outcomes import MAX_PEOPLE_IN_A_CASE as MAX_PEOPLE
from cse_programme.model._review import TRANSITIONS

REFERENCE = "^" + CaseReference.pattern + "$"
ORGANISATION = "^(?:" + OrganisationId.pattern + ")$"
PARTIAL_DATE = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
CODES = tuple(area.code for area in Area.all())
CONTEXTS = tuple(c.value for c in AbuseContext)
STATUSES = tuple(s.value for s in ReviewStatus)
OUTCOMES = tuple(o.value for o in OutcomeType)
NEXT = {s.value: {n.value for n in TRANSITIONS[s]} for s in ReviewStatus}
SINGLE_INCIDENT = AbuseContext.SINGLE_INCIDENT_MULTIPLE_SUSPECTS.value

AreaCode = Literal[CODES]  # type: ignore[valid-type]
Context = Literal[CONTEXTS]  # type: ignore[valid-type]
Status = Literal[STATUSES]  # type: ignore[valid-type]
OutcomeCode = Literal[OUTCOMES]  # type: ignore[valid-type]
_WHITESPACE = re.compile(r"\S")


def span(text: str) -> tuple[dt.date, dt.date]:
    """The first and last day a partial date could be; ValueError if not a real date."""
    parts = [int(p) for p in text.split("-")]
    year = parts[0]
    if not 1900 <= year <= 2999:
        raise ValueError("year out of range")
    if len(parts) == 1:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    last = calendar.monthrange(year, parts[1])[1]
    if len(parts) == 2:
        return dt.date(year, parts[1], 1), dt.date(year, parts[1], last)
    day = dt.date(year, parts[1], parts[2])
    return day, day


def check_period(start: str, end: str | None) -> None:
    first, _ = span(start)
    if end is not None and span(end)[1] < first:
        raise ValueError("the period ends before it starts")


def check_case(
    contexts: Any,
    suspects: int,
    history: Any,
    outcomes: Any,
    notes: str | None,
) -> None:
    if len(set(contexts)) != len(contexts):
        raise ValueError("contexts repeat")
    if SINGLE_INCIDENT in contexts and suspects < 2:
        raise ValueError("too few suspects")
    if history[0].status != "identified":
        raise ValueError("history must start with identified")
    for before, after in itertools.pairwise(history):
        if after.status not in NEXT[before.status]:
            raise ValueError("invalid transition")
        if after.on < before.on:
            raise ValueError("date backwards")
    seen = set()
    for outcome in outcomes:
        if outcome.suspect > suspects or outcome.suspect in seen:
            raise ValueError("bad outcome suspect")
        seen.add(outcome.suspect)
    if outcomes and history[-1].status != "outcome_recorded":
        raise ValueError("premature outcome")
    if notes is not None and not _WHITESPACE.search(notes):
        raise ValueError("blank notes")


# pydantic v2, strict ------------------------------------------------------

_STRICT = pydantic.ConfigDict(strict=True, extra="forbid", frozen=True)


class PydanticPeriod(pydantic.BaseModel):
    model_config = _STRICT
    start: Annotated[str, pydantic.StringConstraints(pattern=PARTIAL_DATE)]
    end: Annotated[str, pydantic.StringConstraints(pattern=PARTIAL_DATE)] | None = None

    @pydantic.model_validator(mode="after")
    def _order(self) -> PydanticPeriod:
        check_period(self.start, self.end)
        return self


class PydanticStatusChange(pydantic.BaseModel):
    model_config = _STRICT
    status: Status
    on: dt.date


class PydanticOutcome(pydantic.BaseModel):
    model_config = _STRICT
    suspect: Annotated[int, pydantic.Field(ge=1, le=MAX_PEOPLE)]
    type: OutcomeCode
    recorded: dt.date


class PydanticCase(pydantic.BaseModel):
    model_config = _STRICT
    reference: Annotated[str, pydantic.StringConstraints(pattern=REFERENCE)]
    force: Annotated[str, pydantic.StringConstraints(pattern=ORGANISATION)]
    area: AreaCode | None = None
    offence_period: PydanticPeriod
    contexts: Annotated[list[Context], pydantic.Field(min_length=1)]
    suspects: Annotated[int, pydantic.Field(ge=0, le=MAX_PEOPLE)]
    victims: Annotated[int, pydantic.Field(ge=1, le=MAX_PEOPLE)]
    history: Annotated[list[PydanticStatusChange], pydantic.Field(min_length=1)]
    outcomes: list[PydanticOutcome] = []
    synthetic: bool = False
    updated: pydantic.AwareDatetime | None = None
    notes: Annotated[str, pydantic.StringConstraints(min_length=1, max_length=2000)] | None = None

    @pydantic.model_validator(mode="after")
    def _rules(self) -> PydanticCase:
        check_case(self.contexts, self.suspects, self.history, self.outcomes, self.notes)
        return self


PYDANTIC_CASES = pydantic.TypeAdapter(list[PydanticCase])


# msgspec ------------------------------------------------------------------

_M = {"forbid_unknown_fields": True, "frozen": True}


class MsgspecPeriod(msgspec.Struct, **_M):
    start: Annotated[str, msgspec.Meta(pattern=PARTIAL_DATE)]
    end: Annotated[str, msgspec.Meta(pattern=PARTIAL_DATE)] | None = None

    def __post_init__(self) -> None:
        check_period(self.start, self.end)


class MsgspecStatusChange(msgspec.Struct, **_M):
    status: Status
    on: dt.date


class MsgspecOutcome(msgspec.Struct, **_M):
    suspect: Annotated[int, msgspec.Meta(ge=1, le=MAX_PEOPLE)]
    type: OutcomeCode
    recorded: dt.date


class MsgspecCase(msgspec.Struct, **_M):
    reference: Annotated[str, msgspec.Meta(pattern=REFERENCE)]
    force: Annotated[str, msgspec.Meta(pattern=ORGANISATION)]
    offence_period: MsgspecPeriod
    contexts: Annotated[list[Context], msgspec.Meta(min_length=1)]
    suspects: Annotated[int, msgspec.Meta(ge=0, le=MAX_PEOPLE)]
    victims: Annotated[int, msgspec.Meta(ge=1, le=MAX_PEOPLE)]
    history: Annotated[list[MsgspecStatusChange], msgspec.Meta(min_length=1)]
    area: AreaCode | None = None
    outcomes: list[MsgspecOutcome] = []
    synthetic: bool = False
    updated: Annotated[dt.datetime, msgspec.Meta(tz=True)] | None = None
    notes: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)] | None = None

    def __post_init__(self) -> None:
        check_case(self.contexts, self.suspects, self.history, self.outcomes, self.notes)


MSGSPEC_DECODER = msgspec.json.Decoder(list[MsgspecCase])
MSGSPEC_LINE_DECODER = msgspec.json.Decoder(MsgspecCase)
MSGSPEC_ENCODER = msgspec.json.Encoder()
