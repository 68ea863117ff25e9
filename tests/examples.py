"""Small, fixed domain objects shared by example tests."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import strategies as st

from cse_programme import (
    AbuseContext,
    Area,
    AreaGroup,
    CaseReference,
    CaseReview,
    OrganisationId,
    PartialDate,
    Period,
    ReviewStatus,
    StatusChange,
    SupportService,
    ValidationError,
    testing,
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


@st.composite
def coverages(draw: st.DrawFn) -> frozenset[Area]:
    """Districts a service covers: whole named groups, single districts, or both."""
    groups = draw(st.lists(st.sampled_from(AreaGroup.named()), max_size=2))
    districts = draw(st.frozensets(testing.areas(), max_size=4))
    return frozenset().union(*(group.areas for group in groups), districts) or frozenset(
        {draw(testing.areas())}
    )


@st.composite
def standalone_services(draw: st.DrawFn) -> SupportService:
    """A service that refers to nothing else, so that it fits in any programme."""
    return attrs.evolve(
        draw(testing.support_services()),
        provider=None,
        partners=frozenset(),
        people_supported=None,
        sources=(),
        claims=(),
        coverage=draw(coverages()),
    )
