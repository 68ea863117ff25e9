"""Ages, estimates and areas."""

from __future__ import annotations

import csv

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cse_programme import (
    ALL_LONDON,
    METROPOLITAN_POLICE_DISTRICT,
    NORTH_CENTRAL_LONDON,
    AgeRange,
    Area,
    Estimate,
    EstimateKind,
    ValidationError,
    testing,
)

from .examples import explained
from .standards import STANDARDS, needs_standards


@given(testing.age_ranges(), st.integers(0, 140))
def test_age_range_contains_exactly_its_ages(ages: AgeRange, age: int) -> None:
    expected = ages.min <= age and (ages.max is None or age <= ages.max)
    assert ages.contains(age) is expected


def test_age_range_maximum_below_minimum_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        AgeRange(18, 5)
    assert error.value.problems[0].code == "max_below_min"


def test_a_boolean_is_not_an_age() -> None:
    with pytest.raises(ValidationError):
        AgeRange(True)


def test_the_review_estimates_are_held_as_stated() -> None:
    expected = Estimate.between(2_000, 3_000)
    assert expected.kind is EstimateKind.RANGE
    assert (expected.low, expected.high) == (2_000, 3_000)
    assert str(expected) == "2,000 to 3,000"
    assert str(Estimate.about(9_000)) == "about 9,000"
    assert Estimate.more_than(11_000).midpoint() is None


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (lambda: Estimate(EstimateKind.RANGE, 5, 5), "range_order"),
        (lambda: Estimate(EstimateKind.EXACT, 5, 6), "single_value"),
        (lambda: Estimate(EstimateKind.MORE_THAN, 5, 6), "unexpected"),
        (lambda: Estimate.exact(-1), "minimum"),
    ],
)
def test_inconsistent_estimates_are_refused(build: object, code: str) -> None:
    with pytest.raises(ValidationError) as error:
        build()  # type: ignore[operator]
    assert code in [p.code for p in error.value.problems]


@given(testing.estimates())
def test_estimates_keep_their_bounds_in_order(estimate: Estimate) -> None:
    assert estimate.high is None or estimate.low <= estimate.high


def test_london_has_33_areas_with_the_met_policing_32() -> None:
    assert len(ALL_LONDON) == 33
    assert len(METROPOLITAN_POLICE_DISTRICT) == 32
    assert Area("E09000001") not in METROPOLITAN_POLICE_DISTRICT
    assert NORTH_CENTRAL_LONDON.names() == ("Barnet", "Camden", "Enfield", "Haringey", "Islington")


@pytest.mark.parametrize(
    "name", ["Camden", "camden", " CAMDEN ", "London Borough of Camden", "E09000007", "e09000007"]
)
def test_area_lookup_ignores_case_and_punctuation(name: str) -> None:
    assert Area.lookup(name) == Area("E09000007")


@pytest.mark.parametrize(
    ("short", "name"),
    [
        ("Kingston", "Kingston upon Thames"),
        ("Richmond", "Richmond upon Thames"),
        ("Hammersmith", "Hammersmith and Fulham"),
        ("Barking", "Barking and Dagenham"),
    ],
)
def test_short_names_find_the_one_area_they_begin(short: str, name: str) -> None:
    assert Area.lookup(short).name == name


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Kensington & Chelsea", "E09000020"),
        ("Royal Borough of Kensington and Chelsea", "E09000020"),
        ("Royal Borough of Greenwich", "E09000011"),
        ("Hammersmith & Fulham", "E09000013"),
    ],
)
def test_area_lookup_reads_ampersands_and_formal_titles(name: str, code: str) -> None:
    assert Area.lookup(name).code == code


@pytest.mark.parametrize(
    ("name", "message", "code"),
    [
        (
            "Atlantis",
            "must name a local authority district of England or Wales or give its GSS code",
            "unknown_area",
        ),
        (
            "Camd",
            "must name a local authority district of England or Wales or give its GSS code",
            "unknown_area",
        ),
        (
            "London",
            "must name a local authority district of England or Wales or give its GSS code",
            "unknown_area",
        ),
        ("  ", "must not be blank", "blank"),
        ("C" * 101, "must be at most 100 characters", "too_long"),
    ],
)
def test_unknown_area_is_refused(name: str, message: str, code: str) -> None:
    with pytest.raises(ValidationError) as error:
        Area.lookup(name)
    assert explained(error) == [("/area", message, code)]
    with pytest.raises(ValidationError):
        Area("E09000034")


@given(testing.areas())
def test_every_area_is_found_by_its_own_name(area: Area) -> None:
    assert Area.lookup(area.name) == area


@needs_standards
def test_london_agrees_with_the_published_borough_codes() -> None:
    with open(STANDARDS / "london_boroughs.csv", newline="", encoding="utf-8") as stream:
        published = {row["code"]: row["name"] for row in csv.DictReader(stream)}
    assert {area.code: area.name for area in ALL_LONDON} == published


@pytest.mark.parametrize(
    ("build", "path", "message"),
    [
        (lambda: AgeRange(-1), "/min", "must be at least 0"),
        (lambda: AgeRange(0, 131), "/max", "must be at most 130"),
        (lambda: AgeRange(18, 5), "/max", "must not be below the minimum age"),
        (
            lambda: AgeRange(1.5),  # type: ignore[arg-type]
            "/min",
            "must be a whole number, not a floating-point number",
        ),
        (
            lambda: Estimate(EstimateKind.RANGE, 5, None),
            "/high",
            "is required unless the figure is a floor",
        ),
        (
            lambda: Estimate(EstimateKind.RANGE, 5, 5),
            "/high",
            "must be above the low end of a range",
        ),
        (lambda: Estimate(EstimateKind.ABOUT, 5, 6), "/high", "must equal low for a single figure"),
        (
            lambda: Estimate(EstimateKind.MORE_THAN, 5, 6),
            "/high",
            "must be absent for a 'more than' figure",
        ),
        (
            lambda: Estimate("range", 5, 6),  # type: ignore[arg-type]
            "/kind",
            "must be an EstimateKind, not a string",
        ),
        (
            lambda: Area("E09000099"),
            "/code",
            "must be the GSS code of a local authority district of England or Wales",
        ),
        (
            lambda: Area.lookup("Atlantis"),
            "/area",
            "must name a local authority district of England or Wales or give its GSS code",
        ),
    ],
)
def test_messages_name_the_field_and_the_rule(build: object, path: str, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        build()  # type: ignore[operator]
    (problem,) = error.value.problems
    assert (problem.path, problem.message) == (path, message)


def test_age_range_overlap_and_text() -> None:
    assert AgeRange(0, 18).overlaps(AgeRange(18, 25))
    assert not AgeRange(0, 17).overlaps(AgeRange(18, 25))
    assert AgeRange(30).overlaps(AgeRange(0))
    assert not AgeRange(30).overlaps(AgeRange(0, 29))
    assert str(AgeRange(0, 18)) == "0-18"
    assert str(AgeRange(18)) == "18+"


def test_estimate_midpoints_and_text() -> None:
    assert Estimate.between(2_000, 3_000).midpoint() == 2_500
    assert Estimate.exact(207).midpoint() == 207
    assert str(Estimate.exact(207)) == "207"
    assert Estimate.about(9_000).high == 9_000


def test_age_range_bounds_are_inclusive() -> None:
    young = AgeRange(0, 18)
    assert young.contains(0)
    assert young.contains(18)
    assert not young.contains(19)
    assert AgeRange(18).contains(130)
    assert not AgeRange(18).contains(17)


@pytest.mark.parametrize(("age", "named"), [(True, "a boolean"), (15.0, "a floating-point number")])
def test_an_age_must_be_a_whole_number(age: object, named: str) -> None:
    with pytest.raises(ValidationError) as error:
        AgeRange(0, 18).contains(age)  # type: ignore[arg-type]
    assert explained(error) == [("/age", f"must be a whole number, not {named}", "type")]


def test_a_midpoint_is_a_whole_number_of_cases() -> None:
    middle = Estimate.between(2_000, 3_001).midpoint()
    assert middle == 2_500
    assert type(middle) is int


def test_an_age_range_may_be_a_single_year() -> None:
    assert AgeRange(18, 18).contains(18)
    with pytest.raises(ValidationError) as error:
        AgeRange(18, 17)
    assert [p.code for p in error.value.problems] == ["max_below_min"]
