"""The varied profile of synthetic cases keeps the shape its documentation gives.

Varied records may change from one release to the next, so they are checked
against the profile they promise, not byte for byte: notes on about three
records in ten, made of neutral phrases, mostly a few of them and now and
then close to the 2,000-character limit, sometimes broken by a line and a
quotation; and a last change at any second of the day of the last status,
in London's rough offset from UTC (+01:00 from April to October).
"""

from __future__ import annotations

import datetime as dt

from cse_programme import CaseReview
from cse_programme.datasets import synthetic_cases
from cse_programme.datasets._synthetic import _NOTE_PHRASES

NOTES_LIMIT = 2_000
SUMMER = dt.timezone(dt.timedelta(hours=1))


def varied() -> tuple[CaseReview, ...]:
    # Made afresh by each test, not cached, so that mutation testing sees every
    # test that reads the varied profile (see the testing page).
    return tuple(synthetic_cases(6_000, seed=11, varied=True))


def notes() -> list[str]:
    return [case.notes for case in varied() if case.notes is not None]


def phrases(note: str) -> list[str]:
    """The phrases of a note, in order, with its line break and quotation taken out."""
    first, quoted, rest = note.partition(';\n"')
    if quoted:
        assert rest.endswith('"') or len(note) == NOTES_LIMIT, "a quotation left open"
        return [first, *rest.removesuffix('"').split("; ")]
    if "; " not in note:
        # A note of one phrase has no break to make; only its closing mark is added.
        return [note.removesuffix('"')]
    return note.split("; ")


def test_about_three_records_in_ten_carry_notes() -> None:
    share = len(notes()) / len(varied())
    assert 0.27 < share < 0.33


def test_notes_are_neutral_phrases_joined_by_semicolons() -> None:
    for note in notes():
        assert 0 < len(note) <= NOTES_LIMIT
        found = phrases(note)
        # A note cut at the limit may end part-way through a phrase.
        whole = found[:-1] if len(note) == NOTES_LIMIT else found
        assert set(whole) <= set(_NOTE_PHRASES), note
        if len(note) == NOTES_LIMIT:
            cut = found[-1].removesuffix(";")
            assert any(phrase.startswith(cut) for phrase in _NOTE_PHRASES), note


def test_notes_are_mostly_short_and_now_and_then_long() -> None:
    counts = [len(phrases(note)) for note in notes()]
    short = [c for c in counts if c <= 8]
    long = [c for c in counts if c >= 40]
    # One to eight phrases, or 40 and more: nothing between.
    assert len(short) + len(long) == len(counts)
    assert set(short) == set(range(1, 9))
    assert min(long) == 40
    # About one note in twenty is long; some of those reach the limit.
    assert 0.02 < len(long) / len(counts) < 0.09
    assert any(len(note) == NOTES_LIMIT for note in notes())


def test_some_notes_hold_a_line_break_and_a_quotation() -> None:
    broken = [note for note in notes() if "\n" in note]
    # About one note in five; never more than one break in a note.
    assert 0.14 < len(broken) / len(notes()) < 0.26
    assert all(note.count("\n") == 1 for note in broken)
    assert all(note.count('"') == 2 for note in broken if len(note) < NOTES_LIMIT)
    unbroken = [note for note in notes() if "\n" not in note]
    assert all('"' not in note.removesuffix('"') for note in unbroken)
    assert all("; " not in note for note in unbroken if note.endswith('"'))


def test_the_last_change_is_on_the_day_of_the_last_status_in_londons_rough_offset() -> None:
    for case in varied():
        day = case.history[-1].on
        assert updated(case).tzinfo == (SUMMER if 4 <= day.month <= 10 else dt.UTC), day
        assert updated(case).date() == day


def updated(case: CaseReview) -> dt.datetime:
    assert case.updated is not None
    return case.updated


def test_the_last_change_falls_at_any_second_of_the_day() -> None:
    times = [updated(case).time() for case in varied()]
    seconds = [t.hour * 3_600 + t.minute * 60 + t.second for t in times]
    assert len(set(seconds)) > len(seconds) * 0.9
    assert min(seconds) < 60
    assert max(seconds) > 86_400 - 60


def test_every_month_of_the_year_is_seen_on_both_sides_of_the_offset_change() -> None:
    # So that the offset test above meets March, April, October and November.
    assert {case.history[-1].on.month for case in varied()} == set(range(1, 13))


def test_a_force_s_id_spells_its_ampersand_as_and() -> None:
    (case,) = synthetic_cases(1, force="Devon & Cornwall")
    assert case.force == "org-devon-and-cornwall-police"
