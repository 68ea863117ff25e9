"""The claims audit: test every published figure against the data and the other claims.

Each record of a programme cites the claims that state its figures.  The
audit reads every figure of every cited claim, except those that only set the
scene (:attr:`~cse_programme.FigureRole.CONTEXT`), and gives one finding per
figure and record, with one of five verdicts; the rule for each is written in
the docs (:doc:`/explanation/programme`) and on :class:`Verdict`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Final

import attrs

from cse_programme.model import (
    Claim,
    ClaimId,
    Estimate,
    EstimateKind,
    Figure,
    FigureRole,
    FigureUnit,
    FundingPackage,
    OutcomeMeasure,
    Programme,
    Qualifier,
    ReviewProgramme,
    TotalKind,
)

#: How close a stated whole-number multiple ("three times") must be to the exact
#: ratio: it is consistent when the ratio rounds to it, i.e. lies within a half.
RATIO_TOLERANCE: Final = Fraction(1, 2)
#: The longest quote a finding shows before it is cut at a word.
QUOTE_LENGTH: Final = 60


class Verdict(enum.Enum):
    """What the audit concluded about one figure of a claim.

    >>> from cse_programme.analysis import Verdict
    >>> [verdict.value for verdict in Verdict]
    ['consistent', 'inconsistent', 'conflicting', 'not_comparable', 'not_checkable']
    """

    CONSISTENT = "consistent"
    """The figure is the data's own, the same number in the same form ("more
    than", "about", a range), over the same period, within the rounding the
    figure was stated with."""
    INCONSISTENT = "inconsistent"
    """The figure differs from the data over the same thing and period, by its
    number or by its form."""
    CONFLICTING = "conflicting"
    """The figure disagrees with what another claim of the same source says the
    record holds, over a period the source words differently, so the source
    cannot be read both ways and does not say which one to trust."""
    NOT_COMPARABLE = "not_comparable"
    """The figure is about a different measure or period than the data, and the
    reason says which."""
    NOT_CHECKABLE = "not_checkable"
    """The data needed to test the figure has not been published."""


@attrs.frozen(kw_only=True)
class Finding:
    """The audit's conclusion about one figure of one claim, tested against one record.

    *claim* and *quote* name the claim (its id and the start of its words);
    *record* and *subject* name the record (its id and its name); *stated* is
    what the claim says and *held* what the data holds, each with its
    qualifier.

    >>> from cse_programme.datasets import london_2025
    >>> from cse_programme.analysis import audit
    >>> finding = next(f for f in audit(london_2025()) if f.claim == "claim-vawg-233m")
    >>> finding.quote
    'The Mayor has invested more than £233m to tackle VAWG in…'
    >>> finding.stated, finding.held, finding.verdict.value
    ('more than £233,000,000', 'more than £233,000,000.00', 'consistent')
    """

    claim: ClaimId
    quote: str
    record: str
    subject: str
    check: str
    stated: str
    held: str
    verdict: Verdict
    why: str


def short_quote(quote: str, limit: int = QUOTE_LENGTH) -> str:
    """The start of *quote*, cut at a word to at most *limit* characters.

    >>> from cse_programme.analysis._audit import short_quote
    >>> short_quote("from 63 to 207 suspects charged")
    'from 63 to 207 suspects charged'
    >>> short_quote("The Mayor has invested more than £233m to tackle VAWG in all its forms", 40)
    'The Mayor has invested more than £233m…'
    """
    if len(quote) <= limit:
        return quote
    head = quote[: limit - 1]
    if quote[limit - 1] != " " and " " in head:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:-") + "…"


@attrs.frozen
class _Held:
    """What a record holds for one kind of figure, and how a figure agrees with it.

    *agrees* is ``None`` when the record holds the kind of figure but its
    value has not been published.
    """

    text: str
    agrees: Callable[[Figure], tuple[bool, str]] | None
    only_as_stated: bool = False
    """The data holds the figure only as a claim states it, without the values
    that would test it: agreeing with it shows nothing."""


#: Why a figure cannot be tested when the values behind it are unknown.
UNPUBLISHED: Final = "the values needed to test this figure were not published"


def _form(qualifier: Qualifier | None) -> str:
    return "plainly" if qualifier is None else f"'{qualifier.label}'"


def _same_form(forms: frozenset[Qualifier | None], held: str) -> Callable[[Figure], str | None]:
    def check(figure: Figure) -> str | None:
        if figure.qualifier in forms:
            return None
        return f"the claim states its figure {_form(figure.qualifier)}; the data holds {held}"

    return check


def _whole(value: Decimal | int, forms: frozenset[Qualifier | None], text: str) -> _Held:
    """A number held exactly in a given form: it agrees only as the same number in that form."""
    form = _same_form(forms, text)

    def agrees(figure: Figure) -> tuple[bool, str]:
        mismatch = form(figure)
        if mismatch:
            return False, mismatch
        if figure.value != value:
            return False, f"the data holds {text}, not {figure}"
        return True, "the data holds the figure as the claim states it"

    return _Held(text, agrees)


def _rounded(exact: Fraction, tolerance: Callable[[Decimal], Fraction], text: str) -> _Held:
    """An exact quantity that a stated figure gives rounded, or as a floor."""

    def agrees(figure: Figure) -> tuple[bool, str]:
        if figure.qualifier is Qualifier.MORE_THAN:
            above = exact > Fraction(figure.value)
            return above, f"the exact value {text} is {'' if above else 'not '}above {figure.value}"
        within = abs(exact - Fraction(figure.value)) <= tolerance(figure.value)
        return within, f"the exact value is {text}; {figure} is {'' if within else 'not '}" + (
            "within the rounding it was stated with"
        )

    return _Held(text, agrees)


def _stated_precision(stated: Decimal) -> Fraction:
    exponent = stated.as_tuple().exponent
    assert isinstance(exponent, int)
    return Fraction(1, 2) * Fraction(10) ** exponent


_ESTIMATE_FORMS: Final[Mapping[EstimateKind, frozenset[Qualifier | None]]] = {
    EstimateKind.EXACT: frozenset({None}),
    EstimateKind.ABOUT: frozenset({Qualifier.ABOUT}),
    EstimateKind.MORE_THAN: frozenset({Qualifier.MORE_THAN}),
    EstimateKind.RANGE: frozenset({None, Qualifier.MAYBE}),
}
_Key = tuple[FigureRole, FigureUnit]


def _estimate(estimate: Estimate) -> dict[_Key, _Held]:
    text = str(estimate)
    forms = _ESTIMATE_FORMS[estimate.kind]
    if estimate.kind is EstimateKind.RANGE:
        assert estimate.high is not None
        ends = {FigureRole.LOW: estimate.low, FigureRole.HIGH: estimate.high}
    else:
        ends = {FigureRole.VALUE: estimate.low}
    shape = "a range" if estimate.kind is EstimateKind.RANGE else "a single figure"
    return {
        (role, FigureUnit.COUNT): _whole(ends[role], forms, text)
        if role in ends
        else _Held(text, _never(f"the data holds {shape}, {text}"))
        for role in (FigureRole.VALUE, FigureRole.LOW, FigureRole.HIGH)
    }


def _never(why: str) -> Callable[[Figure], tuple[bool, str]]:
    return lambda _: (False, why)


def _package(package: FundingPackage) -> dict[_Key, _Held]:
    floor = package.total_kind is TotalKind.MORE_THAN
    text = ("more than " if floor else "") + str(package.total)
    forms = frozenset({Qualifier.MORE_THAN} if floor else {None})
    return {(FigureRole.VALUE, FigureUnit.GBP): _whole(package.total.pounds, forms, text)}


def _measure(measure: OutcomeMeasure) -> dict[_Key, _Held]:
    exact: frozenset[Qualifier | None] = frozenset({None})

    def count(value: int | None, what: str = "") -> _Held:
        if value is None:
            return _Held("not published", None)
        return _whole(value, exact, f"{value:,}{what}")

    baseline = measure.baseline.value if measure.baseline is not None else None
    difference, ratio, change = measure.difference(), measure.ratio(), measure.percent_change()
    return {
        (FigureRole.VALUE, FigureUnit.COUNT): count(measure.current.value),
        (FigureRole.BASELINE, FigureUnit.COUNT): count(baseline),
        (FigureRole.DIFFERENCE, FigureUnit.COUNT): count(
            difference, f" ({measure.current.value} - {baseline})"
        ),
        (FigureRole.RATIO, FigureUnit.RATIO): _Held("not published", None)
        if ratio is None
        else _rounded(ratio, lambda _: RATIO_TOLERANCE, f"{float(ratio):.2f} times"),
        (FigureRole.PERCENT_CHANGE, FigureUnit.PERCENT): _stated_change(measure)
        if change is None
        else _rounded(change, _stated_precision, f"{float(change):.2f}%"),
    }


def _stated_change(measure: OutcomeMeasure) -> _Held:
    stated = measure.stated_change_percent
    if stated is None:
        return _Held("not published", None)

    def agrees(figure: Figure) -> tuple[bool, str]:
        same = figure.value == stated and figure.qualifier is None
        return same, f"the data holds only the change as stated, {stated}%"

    # The values behind a stated change are unknown: a figure that repeats it
    # is not checkable, while one that differs from it disagrees with the data.
    return _Held(f"{stated}% as stated", agrees, only_as_stated=True)


def _period_clash(measure: OutcomeMeasure, claim: Claim) -> str | None:
    if claim.period_label is None or claim.period_label == measure.current.period_label:
        return None
    against = f" against '{measure.baseline.period_label}'" if measure.baseline else ""
    return (
        f"the claim speaks of '{claim.period_label}', the measure of "
        f"'{measure.current.period_label}'{against}"
    )


def _same_source_basis(
    measure: OutcomeMeasure, claim: Claim, claims: Mapping[ClaimId, Claim]
) -> Claim | None:
    """Another claim of the same source, cited by the measure, about its own period.

    A claim that names no period is read as speaking of the measure's own.
    """
    for other_id in measure.claims:
        other = claims[other_id]
        if (
            other.id != claim.id
            and other.source == claim.source
            and other.period_label in (None, measure.current.period_label)
        ):
            return other
    return None


def _judge(
    figure: Figure, found: _Held, clash: str | None, basis: Claim | None
) -> tuple[Verdict, str]:
    """The verdict on a figure of a kind the record holds, and why."""
    if found.agrees is None:
        verdict = Verdict.NOT_COMPARABLE if clash else Verdict.NOT_CHECKABLE
        return verdict, "; ".join(filter(None, (clash, UNPUBLISHED)))
    agrees, why = found.agrees(figure)
    if clash is None:
        if agrees and found.only_as_stated:
            return Verdict.NOT_CHECKABLE, f"{why}; {UNPUBLISHED}"
        return (Verdict.CONSISTENT if agrees else Verdict.INCONSISTENT), why
    if agrees or basis is None:
        return Verdict.NOT_COMPARABLE, f"{clash}; on the measure's own figures, {why}"
    return Verdict.CONFLICTING, (
        f"{clash}, as {basis.id} of the same source states; on those figures {why}. "
        "The source gives both and does not say whether the periods differ"
    )


_Period = Callable[[Claim], tuple[str | None, Claim | None]]


def _same_period(_: Claim) -> tuple[str | None, Claim | None]:
    return None, None


class _Audit:
    def __init__(self, programme: Programme) -> None:
        self.claims = {claim.id: claim for claim in programme.claims}
        self.findings: dict[tuple[str, ...], Finding] = {}

    def add(
        self,
        claim: Claim,
        record: tuple[str, str],
        *,
        check: str,
        stated: str,
        held: str,
        verdict: Verdict,
        why: str,
    ) -> None:
        finding = Finding(
            claim=claim.id,
            quote=short_quote(claim.quote),
            record=record[0],
            subject=record[1],
            check=check,
            stated=stated,
            held=held,
            verdict=verdict,
            why=why,
        )
        # The same figure stated twice in one claim is one finding.
        key = (claim.id, finding.record, finding.check, finding.stated)
        self.findings.setdefault(key, finding)

    def figures(
        self,
        record: tuple[str, str],
        claim_ids: tuple[ClaimId, ...],
        held: Mapping[_Key, _Held],
        period: _Period = _same_period,
    ) -> None:
        """Test every figure of every claim that a record cites for its figures."""
        for claim_id in claim_ids:
            claim = self.claims[claim_id]
            clash, basis = period(claim)
            for figure in claim.figures:
                if figure.role is FigureRole.CONTEXT:
                    continue
                check = figure.role.label.lower()
                found = held.get((figure.role, figure.unit))
                if found is None:
                    verdict = Verdict.NOT_COMPARABLE
                    why = f"the record holds no {check} in {figure.unit.label}: a different measure"
                else:
                    verdict, why = _judge(figure, found, clash, basis)
                text = "not held" if found is None else found.text
                self.add(
                    claim,
                    record,
                    check=check,
                    stated=str(figure),
                    held=text,
                    verdict=verdict,
                    why=why,
                )

    def categories(self, review: ReviewProgramme) -> None:
        record = (str(review.id), review.name)
        held = f"{len(review.categories)} categories" if review.categories else "not recorded"
        for claim_id in review.claims:
            claim = self.claims[claim_id]
            if not claim.contexts:
                continue
            stated = ", ".join(sorted(context.value for context in claim.contexts))
            missing = sorted(context.value for context in claim.contexts - review.categories)
            if not review.categories:
                verdict, why = Verdict.NOT_CHECKABLE, "the review's categories are not recorded"
            elif missing:
                verdict, why = (
                    Verdict.INCONSISTENT,
                    "the review's categories lack " + ", ".join(missing),
                )
            else:
                verdict, why = Verdict.CONSISTENT, "every category named is one of the review's"
            self.add(
                claim,
                record,
                check="categories",
                stated=stated,
                held=held,
                verdict=verdict,
                why=why,
            )

    def measure(self, measure: OutcomeMeasure) -> None:
        def period(claim: Claim) -> tuple[str | None, Claim | None]:
            clash = _period_clash(measure, claim)
            return clash, None if clash is None else _same_source_basis(measure, claim, self.claims)

        record = (str(measure.id), measure.name)
        self.figures(record, measure.claims, _measure(measure), period)


def audit(programme: Programme) -> tuple[Finding, ...]:
    """Test every figure of every cited claim against the record that cites it.

    Each finding names the claim (its id and a short quote) and the record,
    says what the claim states and what the data holds, each with its
    qualifier, and gives the verdict and why.  The review's categories are
    tested against every claim of the review that names categories.

    >>> from cse_programme.datasets import london_2025
    >>> from cse_programme.analysis import audit
    >>> findings = audit(london_2025())
    >>> mismatch = next(f for f in findings if f.check == "difference")
    >>> mismatch.stated, mismatch.held, mismatch.verdict.value
    ('134', '144 (207 - 63)', 'conflicting')
    >>> floor = next(f for f in findings if f.record == "pkg-vawg-investment")
    >>> floor.stated, floor.held
    ('more than £233,000,000', 'more than £233,000,000.00')
    """
    run = _Audit(programme)
    for package in programme.funding_packages:
        run.figures((str(package.id), package.name), package.claims, _package(package))
    for review in programme.reviews:
        for field, name in (
            ("cases_under_review", "cases under review"),
            ("expected_reinvestigations", "cases expected to be considered for reinvestigation"),
        ):
            sourced = getattr(review, field)
            if sourced is not None:
                record = (f"{review.id}/{field}", f"{review.name}: {name}")
                run.figures(record, sourced.claims, _estimate(sourced.estimate))
        run.categories(review)
    for measure in programme.measures:
        run.measure(measure)
    for indicator in programme.indicators:
        record = (str(indicator.id), indicator.name)
        run.figures(record, indicator.claims, _estimate(indicator.value))
    return tuple(run.findings.values())
