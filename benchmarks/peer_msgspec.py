"""The case record as msgspec structs, with the library's rules."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec
from peer_rules import (
    MAX_PEOPLE,
    ORGANISATION,
    PARTIAL_DATE,
    REFERENCE,
    TIMESTAMP,
    AreaCode,
    Context,
    OutcomeCode,
    Status,
    check_case,
    check_period,
    read_timestamp,
)

PartialDate = Annotated[str, msgspec.Meta(pattern=PARTIAL_DATE)]
Timestamp = Annotated[str, msgspec.Meta(pattern="^" + TIMESTAMP.pattern + "$")]


class MsgspecPeriod(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    start: PartialDate
    end: PartialDate | None = None

    def __post_init__(self) -> None:
        check_period(self.start, self.end)


class MsgspecStatusChange(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    status: Status
    on: dt.date


class MsgspecOutcome(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    suspect: Annotated[int, msgspec.Meta(ge=1, le=MAX_PEOPLE)]
    type: OutcomeCode
    recorded: dt.date


# Keyword-only, so that the fields keep the library's order (and its output).
class MsgspecCase(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    reference: Annotated[str, msgspec.Meta(pattern=REFERENCE)]
    force: Annotated[str, msgspec.Meta(pattern=ORGANISATION)]
    area: AreaCode | None = None
    offence_period: MsgspecPeriod
    contexts: Annotated[list[Context], msgspec.Meta(min_length=1)]
    suspects: Annotated[int, msgspec.Meta(ge=0, le=MAX_PEOPLE)]
    victims: Annotated[int, msgspec.Meta(ge=1, le=MAX_PEOPLE)]
    history: Annotated[list[MsgspecStatusChange], msgspec.Meta(min_length=1)]
    outcomes: list[MsgspecOutcome] = []
    synthetic: bool = False
    # Read as text in the library's strict form, then held as a datetime:
    # msgspec's own datetime parser accepts more forms than the library does.
    updated: Timestamp | None = None
    notes: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)] | None = None

    def __post_init__(self) -> None:
        if self.updated is not None:
            msgspec.structs.force_setattr(self, "updated", read_timestamp(self.updated))
        check_case(self.contexts, self.suspects, self.history, self.outcomes, self.notes)


LINE_DECODER = msgspec.json.Decoder(MsgspecCase)
ENCODER = msgspec.json.Encoder()


def load(data: bytes) -> list[MsgspecCase]:
    return LINE_DECODER.decode_lines(data)


def dump(records: list[MsgspecCase]) -> bytes:
    return ENCODER.encode_lines(records)


ValidationError = msgspec.ValidationError
decode_line = LINE_DECODER.decode
