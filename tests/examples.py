"""Small, fixed domain objects shared by example tests."""

from __future__ import annotations

import datetime as dt

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
