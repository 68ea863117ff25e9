"""The case record's rules as the peers check them, and the vocabulary they need.

Each peer model enforces what ``cse_programme.CaseReview`` enforces: strict
types, no unknown keys, the identifier and GSS-code patterns, enum values,
counts and their bounds, non-empty and repeat-free sets, timestamps in the
library's strict RFC 3339 form with their offset, real calendar dates, and
the rules between fields (a period that does not end before it starts,
forward-only dated histories, outcomes only once recorded and only for the
case's suspects).

The vocabulary (codes, values, patterns) is read from the JSON file named by
``CSE_BENCH_VOCABULARY`` when it is set, so that a peer's import is measured
without importing cse-programme; otherwise it is taken from the library.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import json
import os
import re
from pathlib import Path
from typing import Any, Literal


def library_vocabulary() -> dict[str, Any]:
    """The codes, values and patterns of the library's case record."""
    from cse_programme import AbuseContext, Area, OutcomeType, ReviewStatus
    from cse_programme.model._ids import CaseReference, OrganisationId
    from cse_programme.model._outcomes import MAX_PEOPLE_IN_A_CASE
    from cse_programme.model._review import TRANSITIONS

    return {
        "reference": "^" + CaseReference.pattern + "$",
        "organisation": "^(?:" + OrganisationId.pattern + ")$",
        "areas": [area.code for area in Area.all()],
        "contexts": [c.value for c in AbuseContext],
        "statuses": [s.value for s in ReviewStatus],
        "outcomes": [o.value for o in OutcomeType],
        "next": {s.value: sorted(n.value for n in TRANSITIONS[s]) for s in ReviewStatus},
        "single_incident": AbuseContext.SINGLE_INCIDENT_MULTIPLE_SUSPECTS.value,
        "max_people": MAX_PEOPLE_IN_A_CASE,
    }


def _vocabulary() -> dict[str, Any]:
    path = os.environ.get("CSE_BENCH_VOCABULARY")
    if path:
        loaded: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
        return loaded
    return library_vocabulary()


VOCABULARY = _vocabulary()
REFERENCE: str = VOCABULARY["reference"]
ORGANISATION: str = VOCABULARY["organisation"]
CODES = tuple(VOCABULARY["areas"])
CONTEXTS = tuple(VOCABULARY["contexts"])
STATUSES = tuple(VOCABULARY["statuses"])
OUTCOMES = tuple(VOCABULARY["outcomes"])
NEXT = {status: frozenset(steps) for status, steps in VOCABULARY["next"].items()}
SINGLE_INCIDENT: str = VOCABULARY["single_incident"]
MAX_PEOPLE: int = VOCABULARY["max_people"]
AreaCode = Literal[CODES]  # type: ignore[valid-type]
Context = Literal[CONTEXTS]  # type: ignore[valid-type]
Status = Literal[STATUSES]  # type: ignore[valid-type]
OutcomeCode = Literal[OUTCOMES]  # type: ignore[valid-type]
PARTIAL_DATE = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
#: The library's timestamp form: T and Z in capitals, seconds, at most six
#: decimals, an offset with a colon.  The peers' own parsers accept more.
TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
    r"(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})"
)
_VISIBLE = re.compile(r"\S")


def read_timestamp(text: Any) -> Any:
    """The moment *text* states, or ValueError unless it is in the library's timestamp form.

    Anything but text is left for the peer's own type check.
    """
    if type(text) is not str:
        return text
    if not TIMESTAMP.fullmatch(text):
        raise ValueError("not a timestamp in RFC 3339 form")
    return dt.datetime.fromisoformat(text)


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
    contexts: Any, suspects: int, history: Any, outcomes: Any, notes: str | None
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
    if notes is not None and not _VISIBLE.search(notes):
        raise ValueError("blank notes")
