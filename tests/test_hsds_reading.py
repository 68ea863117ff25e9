"""Reading reporting routes and service parts from HSDS: what is read, noted and refused.

Each document here is written by hand, as another tool might write it, and
each expected value is the one the importer's documentation promises.
"""

from __future__ import annotations

import copy
import itertools
from typing import Any

import pytest

from cse_programme import (
    ALL_LONDON,
    AbuseContext,
    AgeRange,
    Area,
    Organisation,
    OrganisationId,
    OrganisationKind,
    RouteId,
    ServiceId,
    SupportKind,
    ValidationError,
)
from cse_programme.interop import from_hsds

GSS = "http://statistics.data.gov.uk/id/statistical-geography/"


def term(code: str) -> dict[str, Any]:
    """An attribute holding a term of the library's own taxonomy."""
    return {"taxonomy_term": {"taxonomy": "cse-programme", "code": code}}


ORGANISATION = {
    "name": "Example Police",
    "organization_identifiers": [
        {"identifier_scheme": "cse-programme", "identifier": "org-example-police"}
    ],
}


def route(**changes: Any) -> dict[str, Any]:
    """A reporting route as a hand-written HSDS service."""
    document: dict[str, Any] = {
        "id": "Route-7",
        "name": "Report to Example Police",
        "organization": copy.deepcopy(ORGANISATION),
        "service_areas": [{"name": "All of London"}],
        "attributes": [term("record:reporting_route"), term("anonymous:no")],
        "phones": [{"number": "101"}],
    }
    document.update(changes)
    return document


def refused(document: Any, **stated: Any) -> list[tuple[str, str, str]]:
    with pytest.raises(ValidationError) as error:
        from_hsds(document, **stated)
    return [(p.path, p.message, p.code) for p in error.value.problems]


def test_a_route_is_read_with_every_part_it_states() -> None:
    imported = from_hsds(route())
    (read,) = imported.reporting_routes
    assert read.id == RouteId("route-route-7")  # the HSDS id, lower-cased
    assert read.name == "Report to Example Police"
    assert read.organisation == OrganisationId("org-example-police")
    assert read.anonymous is False
    assert read.phone == "101"
    assert read.coverage == ALL_LONDON.areas
    assert imported.services == ()
    anonymous = from_hsds(
        route(attributes=[term("record:reporting_route"), term("anonymous:yes")])
    ).reporting_routes[0]
    assert anonymous.anonymous is True


def test_a_route_takes_its_id_from_the_library_s_own_attribute_first() -> None:
    tagged = route(attributes=[*route()["attributes"], term("id:route-example-line")])
    assert from_hsds(tagged).reporting_routes[0].id == RouteId("route-example-line")
    wrong = route(attributes=[*route()["attributes"], term("id:Not An Id")])
    assert refused(wrong) == [
        ("/attributes/2/taxonomy_term/code", f"must be {RouteId.rule}", "identifier")
    ]


def test_a_route_without_a_usable_id_takes_one_from_its_name_and_says_so() -> None:
    for hsds_id in ({"id": "not an id!"}, {"id": 7}, {}):
        document = route()
        del document["id"]
        document.update(hsds_id)
        imported = from_hsds(document)
        assert imported.reporting_routes[0].id == RouteId("route-report-to-example-police")
        assert (
            "(root): no usable id: route-report-to-example-police is made from the name"
            in imported.notes
        )


def test_a_route_must_name_who_takes_reports_and_whether_they_may_be_anonymous() -> None:
    assert refused(route(organization=None)) == [
        ("/organization", "must name the organisation that takes reports", "missing")
    ]
    unanswered = ("/attributes", "must say whether reports can be anonymous", "no_anonymity")
    for answers in (
        [],
        [term("anonymous:maybe")],
        [term("anonymous:yes"), term("anonymous:no")],  # two answers that disagree
    ):
        assert refused(route(attributes=[term("record:reporting_route"), *answers])) == [unanswered]
    twice = route(
        attributes=[term("record:reporting_route"), term("anonymous:yes"), term("anonymous:yes")]
    )
    assert from_hsds(twice).reporting_routes[0].anonymous is True


@pytest.mark.parametrize(
    ("phones", "problem"),
    [
        (
            [{"number": "101"}, {"number": "999"}],
            ("/phones", "must hold at most one number for a reporting route", "phones"),
        ),
        ("101", ("/phones", "must hold at most one number for a reporting route", "phones")),
        ([{"number": "call us"}], ("/phones/0/number", "must be a telephone number", "phone")),
        ([{"number": 101}], ("/phones/0/number", "must be a telephone number", "phone")),
        (["101"], ("/phones/0/number", "must be a telephone number", "phone")),
    ],
)
def test_a_route_s_phone_is_one_telephone_number(phones: Any, problem: tuple[str, ...]) -> None:
    assert refused(route(phones=phones)) == [problem]


def test_a_route_without_a_phone_has_none() -> None:
    nothing: list[Any | None] = [[], None]
    for phones in nothing:
        assert from_hsds(route(phones=phones)).reporting_routes[0].phone is None


def test_service_areas_are_read_by_code_or_by_name_and_the_rest_noted() -> None:
    document = route(
        service_areas=[
            {"uri": GSS + "E09000007"},  # Camden, by its code
            {"uri": GSS + "E23000032"},  # a police force area, by its code
            {"name": "Manchester"},
            {"name": "Atlantis"},
            "not an area",
        ]
    )
    imported = from_hsds(document)
    coverage = imported.reporting_routes[0].coverage
    assert Area.lookup("Camden") in coverage
    assert Area.lookup("Manchester") in coverage
    assert len(coverage) > 2  # the force area's districts
    notes = [note for note in imported.notes if "left out" in note]
    assert notes == [
        "/service_areas/3: not a district of England or Wales, nor a named group of them: left out",
        "/service_areas/4: not a district of England or Wales, nor a named group of them: left out",
    ]


def test_service_areas_that_place_nothing_are_refused_with_how_to_state_them() -> None:
    for areas in ([], [{"name": "Atlantis"}], None):
        problems = refused(route(service_areas=areas))
        assert [(path, code) for path, _, code in problems] == [("/service_areas", "no_area")]
        assert problems[0][1].startswith(
            "must place the service in a district of England or Wales, or a named group of them"
        )
    assert refused(route(service_areas={"name": "Camden"})) == [
        ("/service_areas", "must be a list", "type"),
        (
            "/service_areas",
            "must place the service in a district of England or Wales, or a named group of "
            "them: state it with --area (areas= in Python)",
            "no_area",
        ),
    ]


def test_areas_stated_replace_the_file_s_and_say_so() -> None:
    camden = Area.lookup("Camden")
    imported = from_hsds(route(), areas=[camden])
    assert imported.reporting_routes[0].coverage == frozenset({camden})
    assert "/service_areas: replaced by the areas stated" in imported.notes
    quiet = from_hsds(route(service_areas=[]), areas=[camden])
    assert not any("replaced" in note for note in quiet.notes)


def test_a_service_id_comes_from_its_hsds_id_with_the_service_prefix() -> None:
    service = {
        "id": "ABC-1",
        "name": "Counselling",
        "service_areas": [{"name": "Camden"}],
        "attributes": [
            term("context:cse"),
            term("support:counselling"),
            term("group:children"),
        ],
    }
    (read,) = from_hsds(service).services
    assert read.id == ServiceId("svc-abc-1")


def service(**changes: Any) -> dict[str, Any]:
    """A service as a hand-written HSDS service, with every term the library needs."""
    document: dict[str, Any] = {
        "id": "ABC-1",
        "name": "Young people's counselling",
        "service_areas": [{"name": "Camden"}],
        "attributes": [term("context:cse"), term("support:counselling"), term("group:children")],
    }
    document.update(changes)
    return document


def test_a_service_s_problems_and_notes_are_placed_at_its_own_path_in_a_list() -> None:
    bad_id = service(attributes=[*service()["attributes"], term("id:Not An Id")])
    bad_referral = service(id="ABC-2", attributes=[*service()["attributes"], term("referral:fax")])
    assert refused([service(id="ABC-0"), bad_id, bad_referral]) == [
        ("/1/attributes/3/taxonomy_term/code", f"must be {ServiceId.rule}", "identifier"),
        (
            "/2/attributes/3/taxonomy_term/code",
            "must be one of the referral terms of the cse-programme taxonomy",
            "unknown_value",
        ),
    ]
    unnamed = service(id="not an id!")
    imported = from_hsds([service(id="ABC-0"), unnamed])
    assert imported.services[1].id == ServiceId("svc-young-people-s-counselling")
    assert "/1: no usable id: svc-young-people-s-counselling is made from the name" in (
        imported.notes
    )


@pytest.mark.parametrize(
    ("ages", "problem"),
    [
        (
            {"minimum_age": 131},
            ("/minimum_age", "must be a whole number of years from 0 to 130", "age"),
        ),
        (
            {"minimum_age": 16, "maximum_age": 15},
            ("/maximum_age", "must not be below the minimum age", "max_below_min"),
        ),
    ],
)
def test_a_service_s_ages_are_refused_in_words(
    ages: dict[str, int], problem: tuple[str, str, str]
) -> None:
    assert refused(service(**ages)) == [problem]


def test_a_service_may_be_for_one_age_alone_up_to_130() -> None:
    (one,) = from_hsds(service(minimum_age=16, maximum_age=16)).services
    assert one.eligibility.age == AgeRange(16, 16)
    (oldest,) = from_hsds(service(minimum_age=130)).services
    assert oldest.eligibility.age == AgeRange(130)


def other_taxonomy(code: str) -> dict[str, Any]:
    """An attribute holding a term of another publisher's taxonomy."""
    return {"taxonomy_term": {"taxonomy": "local-directory", "code": code}}


TERMS = service()["attributes"]


@pytest.mark.parametrize(
    ("document", "problems"),
    [
        ([service(), 7], [("/1", "must be an HSDS service: an object", "type")]),
        (service(name=""), [("/name", "must be the service's name", "missing")]),
        (
            service(attributes=[*TERMS, term("record:grant")]),
            [("/attributes", "must name a record the library knows", "unknown_value")],
        ),
        (
            service(attributes=[*TERMS, term("support:counselling:weekly")]),
            [
                (
                    "/attributes/3/taxonomy_term/code",
                    "must be one of the support terms of the cse-programme taxonomy",
                    "unknown_value",
                )
            ],
        ),
        (
            service(description="   "),
            [("/description", "must not be blank: leave it out instead", "text")],
        ),
        (
            service(description="x" * 2001),
            [("/description", "must be text of at most 2000 characters", "text")],
        ),
        (
            service(description=["Counselling"]),
            [("/description", "must be text of at most 2000 characters", "text")],
        ),
        (
            service(organization={"name": "x" * 201}),
            [
                (
                    "/organization/name",
                    "must be the organisation's name, of at most 200 characters",
                    "text",
                )
            ],
        ),
        (
            service(
                organization={
                    "name": "Example Trust",
                    "attributes": [term("organisation:charity"), term("organisation:nhs_trust")],
                }
            ),
            [("/organization/attributes", "must give one kind of organisation", "kinds")],
        ),
    ],
)
def test_each_problem_of_a_service_is_told_in_words_at_its_path(
    document: Any, problems: list[tuple[str, str, str]]
) -> None:
    assert refused(document) == problems


def test_attributes_that_are_not_a_list_are_refused_before_what_they_should_say() -> None:
    assert refused(service(attributes={}))[0] == ("/attributes", "must be a list", "type")


def test_terms_of_other_taxonomies_and_entries_that_are_not_terms_are_passed_over() -> None:
    mixed = ["a note", other_taxonomy("support:advocacy"), *TERMS, other_taxonomy("context:war")]
    (read,) = from_hsds(service(attributes=mixed)).services
    assert read.support == frozenset({SupportKind.COUNSELLING})
    assert read.contexts == frozenset({AbuseContext.CHILD_SEXUAL_EXPLOITATION})


def test_an_organisation_takes_its_first_usable_identifier_and_a_kind_of_other() -> None:
    identifiers = [{"identifier": "not valid!"}, "GB-CHC-1", {"identifier": "GB-CHC-216401"}]
    organisation = {"name": "Example Trust", "organization_identifiers": identifiers}
    imported = from_hsds(service(organization=organisation))
    assert imported.services[0].provider == OrganisationId("GB-CHC-216401")
    assert imported.organisations == (
        Organisation(
            id=OrganisationId("GB-CHC-216401"), name="Example Trust", kind=OrganisationKind.OTHER
        ),
    )
    assert imported.notes == (
        "/organization: the kind of organisation is not stated: recorded as other",
    )


def test_two_organisations_whose_names_make_one_id_are_not_merged() -> None:
    # Names in a script without Latin letters make no words for an id at all.
    first = service(organization={"name": "কাউন্সেলিং সেবা"})
    second = service(id="ABC-2", organization={"name": "স্বাস্থ্য কেন্দ্র"})
    assert refused([first, second]) == [
        (
            "/1/organization/organization_identifiers",
            "must give an identifier: the name makes org-unnamed, which another organisation in "
            "the file has",
            "duplicate_id",
        )
    ]
    again = service(id="ABC-2", organization={"name": "কাউন্সেলিং সেবা"})
    providers = [read.provider for read in from_hsds([first, again]).services]
    assert providers == [OrganisationId("org-unnamed")] * 2


def given(name: str, identifier: str | None = None, *kinds: str) -> dict[str, Any]:
    """An HSDS organisation, with an identifier and kinds if given."""
    organisation: dict[str, Any] = {"name": name}
    if identifier is not None:
        organisation["organization_identifiers"] = [{"identifier": identifier}]
    if kinds:
        organisation["attributes"] = [term(f"organisation:{kind}") for kind in kinds]
    return organisation


def in_two_services(first: dict[str, Any], second: dict[str, Any]) -> list[dict[str, Any]]:
    return [service(organization=first), service(id="ABC-2", organization=second)]


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        (
            given("Example Trust"),
            given("Other Body", "org-example-trust"),
            "must not give org-example-trust: another organisation in the file has a name that "
            "makes it",
        ),
        (
            given("Other Body", "org-example-trust"),
            given("Example Trust"),
            "must give an identifier: the name makes org-example-trust, which another "
            "organisation in the file has",
        ),
    ],
)
def test_an_identifier_that_another_organisations_name_makes_is_refused_in_either_order(
    first: dict[str, Any], second: dict[str, Any], message: str
) -> None:
    assert refused(in_two_services(first, second)) == [
        ("/1/organization/organization_identifiers", message, "duplicate_id")
    ]


def test_one_organisation_named_alike_by_its_identifier_and_by_its_name_is_one() -> None:
    imported = from_hsds(
        in_two_services(given("Example Trust", "org-example-trust"), given("Example Trust"))
    )
    assert [read.provider for read in imported.services] == [
        OrganisationId("org-example-trust")
    ] * 2
    assert len(imported.organisations) == 1


def test_an_identifier_given_under_two_names_keeps_the_first_and_says_so() -> None:
    # An org-id names one body in its register however a file spells it.
    imported = from_hsds(
        in_two_services(
            given("Barnardo's", "GB-CHC-216250", "charity"),
            given("Barnardos", "GB-CHC-216250", "charity"),
        )
    )
    assert imported.organisations == (
        Organisation(
            id=OrganisationId("GB-CHC-216250"), name="Barnardo's", kind=OrganisationKind.CHARITY
        ),
    )
    assert imported.notes == (
        "/1/organization: GB-CHC-216250 is named differently here: its first name is kept",
    )


def test_an_organisation_given_two_kinds_in_the_file_is_refused() -> None:
    assert refused(
        in_two_services(
            given("Example Trust", "GB-CHC-1", "charity"),
            given("Example Trust", "GB-CHC-1", "nhs_trust"),
        )
    ) == [
        (
            "/1/organization/attributes",
            "must give the kind of organisation that GB-CHC-1 has elsewhere in the file",
            "kinds",
        )
    ]


@pytest.mark.parametrize("stated_first", [True, False])
def test_a_kind_stated_in_any_document_is_the_organisations_kind(stated_first: bool) -> None:
    stated, unstated = (
        given("Example Trust", "GB-CHC-1", "charity"),
        given("Example Trust", "GB-CHC-1"),
    )
    imported = from_hsds(
        in_two_services(stated, unstated) if stated_first else in_two_services(unstated, stated)
    )
    assert imported.organisations == (
        Organisation(
            id=OrganisationId("GB-CHC-1"), name="Example Trust", kind=OrganisationKind.CHARITY
        ),
    )
    assert not any("kind of organisation" in note for note in imported.notes)


def test_an_organisation_whose_kind_no_document_states_is_noted_at_every_mention() -> None:
    imported = from_hsds(
        in_two_services(given("Example Trust", "GB-CHC-1"), given("Example Trust", "GB-CHC-1"))
    )
    assert imported.organisations[0].kind is OrganisationKind.OTHER
    assert imported.notes == (
        "/0/organization: the kind of organisation is not stated: recorded as other",
        "/1/organization: the kind of organisation is not stated: recorded as other",
    )


def test_an_id_made_from_a_name_joins_no_two_names_in_any_order() -> None:
    # Two names under one org-id would be one body, but not once the id is also
    # made from a name: whatever comes first, the file is refused.
    given_first = given("Example Trust", "org-example-trust")
    given_again = given("Example Trust Ltd", "org-example-trust")
    made = given("Example Trust")
    for order in itertools.permutations([given_first, given_again, made]):
        documents = [
            service(id=f"ABC-{index}", organization=organisation)
            for index, organisation in enumerate(order)
        ]
        assert [code for _, _, code in refused(documents)] == ["duplicate_id"]


@pytest.mark.parametrize(
    ("first", "second", "problem"),
    [
        (
            given("Example Police", "org-example-police", "police_force"),
            given("Example Police", "org-example-police", "charity"),
            ("/1/organization/attributes", "kinds"),
        ),
        (
            given("Other Body", "org-example-police"),
            given("Example Police"),
            ("/1/organization/organization_identifiers", "duplicate_id"),
        ),
    ],
)
def test_a_route_whose_organisation_is_refused_is_not_also_said_to_lack_one(
    first: dict[str, Any], second: dict[str, Any], problem: tuple[str, str]
) -> None:
    routes = [route(organization=first), route(id="Route-8", organization=second)]
    assert [(path, code) for path, _, code in refused(routes)] == [problem]


def test_organisations_without_identifiers_and_with_names_of_their_own_are_two() -> None:
    imported = from_hsds(in_two_services(given("Example Trust"), given("Other Body")))
    assert [read.provider for read in imported.services] == [
        OrganisationId("org-example-trust"),
        OrganisationId("org-other-body"),
    ]
    assert [organisation.name for organisation in imported.organisations] == [
        "Example Trust",
        "Other Body",
    ]


def test_an_organisation_s_unknown_kind_is_refused_at_its_own_term() -> None:
    assert refused(
        in_two_services(given("Example Trust"), given("Other Body", None, "castle"))
    ) == [
        (
            "/1/organization/attributes/0/taxonomy_term/code",
            "must be one of the organisation terms of the cse-programme taxonomy",
            "unknown_value",
        )
    ]


def test_an_identifier_named_again_by_its_first_name_is_not_said_to_be_named_differently() -> None:
    names = ["Barnardo's", "Barnardos", "Barnardo's"]
    imported = from_hsds(
        [
            service(id=f"ABC-{index}", organization=given(name, "GB-CHC-216250", "charity"))
            for index, name in enumerate(names)
        ]
    )
    assert [organisation.name for organisation in imported.organisations] == ["Barnardo's"]
    assert imported.notes == (
        "/1/organization: GB-CHC-216250 is named differently here: its first name is kept",
    )


def test_what_a_service_holds_beyond_the_model_is_named_key_by_key_at_its_path() -> None:
    extra = service(id="ABC-2", email="team@example.org", contacts=[{"name": "A Person"}])
    imported = from_hsds([service(), extra])
    assert [note for note in imported.notes if "not carried over" in note] == [
        "/1: not carried over: contacts, email"
    ]


def test_a_service_with_problems_of_its_own_is_not_also_said_to_repeat_an_earlier_one() -> None:
    again = service(minimum_age=131)
    assert refused([service(), again]) == [
        ("/1/minimum_age", "must be a whole number of years from 0 to 130", "age")
    ]
