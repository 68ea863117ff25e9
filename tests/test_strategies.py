"""The public strategies reach the model's edges, and what they reach is checked.

The expected edges are written out here by hand from the model's rules, not
read from the code that draws them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

import attrs
import pytest
from hypothesis import Phase, assume, find, given, settings
from hypothesis import strategies as st

from cse_programme import (
    Claim,
    ClaimId,
    Figure,
    FigureUnit,
    FundingPackageId,
    Money,
    PartialDate,
    Programme,
    SourceId,
    ValidationError,
    dumps,
    loads,
    testing,
)
from cse_programme.datasets import london_2025, synthetic_cases

T = TypeVar("T")

#: Enough draws to meet an edge that is drawn a few times in a hundred.
SEARCH = settings(max_examples=3000, database=None, phases=[Phase.generate], deadline=None)


def reaches(strategy: st.SearchStrategy[T], condition: Callable[[T], bool]) -> None:
    """Fail unless *strategy* draws a value meeting *condition*."""
    find(strategy, condition, settings=SEARCH)


# Edges reached ---------------------------------------------------------------


@pytest.mark.parametrize("longest", [1, 40, 200, 2000])
def test_text_reaches_its_longest_and_never_passes_it(longest: int) -> None:
    reaches(testing.texts(longest), lambda text: len(text) == longest)
    reaches(testing.texts(longest), lambda text: len(text) == 1)


@given(
    st.integers(1, 3000).flatmap(
        lambda longest: st.tuples(st.just(longest), testing.texts(longest))
    )
)
def test_text_is_never_blank_nor_too_long(drawn: tuple[int, str]) -> None:
    longest, text = drawn
    assert text.strip()
    assert len(text) <= longest


def test_each_field_reaches_the_longest_text_its_rule_allows() -> None:
    reaches(testing.sources(), lambda source: len(source.title) == 500)
    reaches(testing.sources(), lambda source: len(source.publisher) == 200)
    reaches(testing.claims(), lambda claim: len(claim.quote) == 2000)
    reaches(testing.outcome_policies(), lambda policy: len(policy.name) == 100)
    reaches(
        testing.organisations(),
        lambda org: org.short_name is not None and len(org.short_name) == 40,
    )


def test_dates_reach_the_first_and_last_years_the_model_allows() -> None:
    reaches(testing.partial_dates(), lambda date: date.year == 1900)
    reaches(testing.partial_dates(), lambda date: date.year == 2999)
    reaches(testing.partial_dates(), lambda date: date == PartialDate(2999, 12, 31))
    reaches(testing.outcomes(), lambda outcome: outcome.recorded.year == 1900)


def test_money_reaches_zero_and_the_largest_amount() -> None:
    reaches(testing.money(), lambda amount: amount == Money(Decimal(0)))
    reaches(testing.money(), lambda amount: amount == Money(Decimal("999999999999999.99")))
    reaches(testing.money(7), lambda amount: amount == Money(Decimal(7)))


def test_counts_reach_the_most_people_in_a_case() -> None:
    reaches(testing.case_reviews(), lambda case: case.suspects == 10_000)
    reaches(testing.case_reviews(), lambda case: case.victims == 10_000)
    reaches(testing.outcomes(), lambda outcome: outcome.suspect == 10_000)
    reaches(testing.age_ranges(), lambda ages: ages.max == 130)


def test_counts_without_a_maximum_reach_the_largest_64_bit_integer() -> None:
    reaches(testing.estimates(), lambda estimate: estimate.low == 2**63 - 1)


def test_timestamps_reach_the_first_and_last_centuries() -> None:
    def year(case: Any) -> int | None:
        return None if case.updated is None else case.updated.astimezone(dt.UTC).year

    reaches(testing.case_reviews(), lambda case: (year(case) or 5000) < 100)
    reaches(testing.case_reviews(), lambda case: (year(case) or 0) > 9900)


def test_programmes_hold_packages_within_packages() -> None:
    def depth(programme: Programme) -> int:
        parents = {p.id: p.parent for p in programme.funding_packages}
        deepest = 0
        for package in programme.funding_packages:
            steps, parent = 0, package.parent
            while parent is not None:
                steps, parent = steps + 1, parents[parent]
            deepest = max(deepest, steps)
        return deepest

    reaches(testing.programmes(), lambda programme: depth(programme) >= 2)


# The cycle check of funding packages ------------------------------------------


def endless(start: FundingPackageId, parents: Mapping[FundingPackageId, Any]) -> bool:
    """Whether following parents from *start* never ends (it enters a cycle)."""
    node = parents[start]
    for _ in range(len(parents) + 1):
        if node is None or node not in parents:
            return False
        node = parents[node]
    return True


@given(testing.programmes(), st.data())
def test_a_package_whose_parents_lead_round_in_a_circle_is_refused(
    programme: Programme, data: st.DataObject
) -> None:
    packages = list(programme.funding_packages)
    assume(packages)
    # Make one package part of any package of the programme, itself included.
    index = data.draw(st.integers(0, len(packages) - 1))
    parent = data.draw(st.sampled_from(packages)).id
    packages[index] = attrs.evolve(packages[index], parent=parent)
    parents = {package.id: package.parent for package in packages}
    expected = [
        f"/funding_packages/{number}/parent"
        for number, package in enumerate(packages)
        if endless(package.id, parents)
    ]
    assert expected or parent != packages[index].id
    if expected:
        with pytest.raises(ValidationError) as error:
            attrs.evolve(programme, funding_packages=tuple(packages))
        assert [(p.path, p.code) for p in error.value.problems] == [
            (path, "cycle") for path in expected
        ]
    else:
        changed = attrs.evolve(programme, funding_packages=tuple(packages))
        assert changed.funding_packages[index].parent == parent


def test_the_london_packages_refuse_to_contain_each_other() -> None:
    london = london_2025()
    vawg, support = london.funding_packages
    # The £2.4m package as part of the £233m investment is fine ...
    nested = (vawg, attrs.evolve(support, parent=vawg.id))
    assert attrs.evolve(london, funding_packages=nested).funding_packages[1].parent == vawg.id
    # ... but not both ways round, nor a package within itself.
    for packages, paths in [
        ((attrs.evolve(vawg, parent=support.id), nested[1]), [0, 1]),
        ((attrs.evolve(vawg, parent=vawg.id), support), [0]),
        ((attrs.evolve(vawg, parent=vawg.id), nested[1]), [0, 1]),
    ]:
        with pytest.raises(ValidationError) as error:
            attrs.evolve(london, funding_packages=packages)
        assert [(p.path, p.code) for p in error.value.problems] == [
            (f"/funding_packages/{index}/parent", "cycle") for index in paths
        ]


# What a document can carry ---------------------------------------------------


def claim_with(value: Decimal) -> Claim:
    figure = Figure(value, FigureUnit.COUNT)
    return Claim(id=ClaimId("claim-x"), source=SourceId("src-x"), quote="q", figures=(figure,))


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (Decimal("1E+2"), '"100"'),
        (Decimal("0.0000001"), '"0.0000001"'),
        (Decimal("6.20"), '"6.20"'),
        (Decimal("-0"), '"-0"'),
    ],
)
def test_a_figure_is_written_in_plain_notation_and_read_back(value: Decimal, written: str) -> None:
    claim = claim_with(value)
    text = dumps(claim).decode()
    assert f'"value":{written}' in text.replace(" ", "")
    assert loads(text) == claim


@pytest.mark.parametrize("value", [Decimal("1E+31"), Decimal("1E-31"), Decimal("-1.5E+40")])
def test_a_figure_no_document_can_carry_is_refused(value: Decimal) -> None:
    with pytest.raises(ValidationError) as error:
        claim_with(value)
    assert [(p.path, p.code) for p in error.value.problems] == [("/value", "decimal_range")]


def test_a_timestamp_whose_offset_has_seconds_is_refused() -> None:
    zone = dt.timezone(dt.timedelta(minutes=1, seconds=30))
    with pytest.raises(ValidationError) as error:
        attrs.evolve(next(synthetic_cases(1)), updated=dt.datetime(2025, 1, 1, tzinfo=zone))
    assert [(p.path, p.code) for p in error.value.problems] == [("/updated", "timestamp")]
