"""The case record as a strict pydantic v2 model, with the library's rules."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import pydantic
from peer_rules import (
    MAX_PEOPLE,
    ORGANISATION,
    PARTIAL_DATE,
    REFERENCE,
    AreaCode,
    Context,
    OutcomeCode,
    Status,
    check_case,
    check_period,
    read_timestamp,
)

PartialDate = Annotated[str, pydantic.StringConstraints(pattern=PARTIAL_DATE)]
Timestamp = Annotated[pydantic.AwareDatetime, pydantic.BeforeValidator(read_timestamp)]
_STRICT = pydantic.ConfigDict(strict=True, extra="forbid", frozen=True)


class PydanticPeriod(pydantic.BaseModel):
    model_config = _STRICT
    start: PartialDate
    end: PartialDate | None = None

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
    updated: Timestamp | None = None
    notes: Annotated[str, pydantic.StringConstraints(min_length=1, max_length=2000)] | None = None

    @pydantic.model_validator(mode="after")
    def _rules(self) -> PydanticCase:
        check_case(self.contexts, self.suspects, self.history, self.outcomes, self.notes)
        return self


def load(data: bytes) -> list[PydanticCase]:
    validate = PydanticCase.model_validate_json
    return [validate(line) for line in data.splitlines()]


def dump(records: list[PydanticCase]) -> bytes:
    # The serializer writes bytes itself: no str is made and encoded again.
    to_json = PydanticCase.__pydantic_serializer__.to_json
    return b"".join([to_json(record) + b"\n" for record in records])


ValidationError = pydantic.ValidationError
decode_line = PydanticCase.model_validate_json
