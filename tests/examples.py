"""Small, fixed domain objects shared by example tests."""

from __future__ import annotations

import datetime as dt

import pytest

from cse_programme import (
    AbuseContext,
    Area,
    CaseReference,
    CaseReview,
    OrganisationId,
    PartialDate,
    Period,
    ReviewStatus,
    StatusChange,
    ValidationError,
)

DAY = dt.date(2025, 6, 2)
MET = OrganisationId("org-metropolitan-police")


def new_case(**changes: object) -> CaseReview:
    """A case just identified, with any field replaced by *changes*."""
    fields: dict[str, object] = {
        "reference": CaseReference("case-" + "a" * 26),
        "force": MET,
        "area": Area.lookup("Camden"),
        "offence_period": Period(PartialDate(2012), PartialDate(2013)),
        "contexts": frozenset({AbuseContext.ONLINE}),
        "suspects": 2,
        "victims": 1,
        "history": (StatusChange(ReviewStatus.IDENTIFIED, DAY),),
    }
    fields.update(changes)
    return CaseReview(**fields)  # type: ignore[arg-type]


def explained(error: pytest.ExceptionInfo[ValidationError]) -> list[tuple[str, str, str]]:
    """Each problem of a raised error as (path, message, code)."""
    return [(p.path, p.message, p.code) for p in error.value.problems]
