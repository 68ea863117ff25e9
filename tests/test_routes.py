"""Reporting routes: whom to report to, how, and whether anonymously."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import given

from cse_programme import (
    ALL_LONDON,
    NORTH_CENTRAL_LONDON,
    Area,
    ClaimId,
    OrganisationId,
    Programme,
    ReportingRoute,
    RouteId,
    ServiceId,
    ValidationError,
    dumps,
    loads,
    testing,
)
from cse_programme.datasets import london_2025

from .examples import explained


def route(**changes: Any) -> ReportingRoute:
    fields: dict[str, Any] = {
        "id": RouteId("route-crimestoppers"),
        "name": "Crimestoppers",
        "organisation": OrganisationId("org-crimestoppers"),
        "anonymous": True,
        "phone": "0800 555 111",
        "coverage": ALL_LONDON.areas,
        "claims": (ClaimId("claim-reporting-routes"),),
    }
    fields.update(changes)
    return ReportingRoute(**fields)


def test_a_route_says_how_to_reach_it_and_whether_it_is_anonymous() -> None:
    assert str(route()) == "Crimestoppers (anonymous): 0800 555 111"
    both = route(anonymous=False, url="https://example.org/report")
    assert str(both) == "Crimestoppers: 0800 555 111, https://example.org/report"
    assert str(route(phone=None)) == "Crimestoppers (anonymous): no number or address published"


def test_a_route_covers_its_areas_only() -> None:
    local = route(coverage=NORTH_CENTRAL_LONDON.areas)
    assert local.covers(Area.lookup("Camden"))
    assert not local.covers(Area.lookup("Croydon"))


def test_a_route_decides_by_area_alone_and_says_why() -> None:
    local = route(coverage=NORTH_CENTRAL_LONDON.areas, anonymous=False)
    outside = local.eligibility_for(area=Area.lookup("Croydon"))
    assert outside.eligible is False
    assert outside.reasons == ("does not cover Croydon",)
    inside = route().eligibility_for(area=Area.lookup("Camden"))
    assert inside.eligible is True
    assert inside.reasons[1:] == ("takes anonymous reports",)
    assert "Camden" in inside.reasons[0]
    assert local.eligibility_for(area=Area.lookup("Camden")).reasons[1:] == ()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"phone": "call 0800"}, [("/phone", "must be a telephone number", "pattern")]),
        ({"phone": "0800 555 111 "}, [("/phone", "must be a telephone number", "pattern")]),
        ({"url": "http://example.org"}, [("/url", "must be an https:// address", "pattern")]),
        ({"anonymous": 1}, [("/anonymous", "must be true or false, not an integer", "type")]),
        ({"coverage": frozenset()}, [("/coverage", "must name at least one", "empty")]),
        (
            {"claims": (ClaimId("claim-a"), ClaimId("claim-a"))},
            [("/claims", "must not hold the same item twice", "duplicate")],
        ),
        (
            {"id": ServiceId("svc-crimestoppers")},
            [("/id", "must be a RouteId, not a ServiceId", "type")],
        ),
        (
            {"id": "crimestoppers"},
            [
                (
                    "/id",
                    "must be 'route-' and lower-case words joined by hyphens, "
                    "such as route-crimestoppers",
                    "identifier",
                )
            ],
        ),
    ],
)
def test_a_route_refuses_what_its_rules_forbid(
    changes: dict[str, Any], expected: list[tuple[str, str, str]]
) -> None:
    with pytest.raises(ValidationError) as error:
        route(**changes)
    assert explained(error) == expected


def test_a_routes_organisation_and_citations_must_resolve_in_a_programme() -> None:
    london = london_2025()
    stray = route(
        id=RouteId("route-elsewhere"),
        organisation=OrganisationId("org-nobody"),
        claims=(ClaimId("claim-nowhere"),),
    )
    with pytest.raises(ValidationError) as error:
        attrs.evolve(london, reporting_routes=(*london.reporting_routes, stray))
    assert [(p.path, p.code) for p in error.value.problems] == [
        ("/reporting_routes/2/organisation", "dangling_reference"),
        ("/reporting_routes/2/claims/0", "dangling_reference"),
    ]
    with pytest.raises(ValidationError) as error:
        attrs.evolve(
            london, reporting_routes=(*london.reporting_routes, london.reporting_routes[0])
        )
    assert [(p.path, p.code) for p in error.value.problems] == [
        ("/reporting_routes/2/id", "duplicate_id")
    ]


def test_a_route_is_found_by_its_id() -> None:
    london = london_2025()
    assert london.route(RouteId("route-crimestoppers")).phone == "0800 555 111"
    with pytest.raises(KeyError):
        london.route(RouteId("route-nowhere"))


@given(testing.programmes())
def test_routes_travel_in_programme_documents(programme: Programme) -> None:
    assert loads(dumps(programme), Programme).reporting_routes == programme.reporting_routes
