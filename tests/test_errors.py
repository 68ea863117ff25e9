"""The one error type: what a person reads, and the paths a program follows."""

from __future__ import annotations

import pickle

from hypothesis import given
from hypothesis import strategies as st

from cse_programme import Problem, ValidationError
from cse_programme._errors import key_token


def test_a_problem_reads_as_path_message_and_code() -> None:
    assert str(Problem("/total", "must not be negative", "negative_amount")) == (
        "/total: must not be negative [negative_amount]"
    )
    assert str(Problem("", "must be an object", "type")) == "(root): must be an object [type]"
    on_line = Problem("/suspects", "must be at least 0", "minimum", line=12)
    assert str(on_line) == "line 12: /suspects: must be at least 0 [minimum]"
    assert str(Problem("", "is empty", "empty", line=1)) == "line 1: (root): is empty [empty]"


def test_an_error_counts_its_problems() -> None:
    one = ValidationError.single("/a", "is wrong", "x")
    assert str(one) == "1 problem:\n  /a: is wrong [x]"
    two = ValidationError([Problem("/a", "is wrong", "x"), Problem("/b", "is odd", "y")])
    assert str(two) == "2 problems:\n  /a: is wrong [x]\n  /b: is odd [y]"
    assert str(ValidationError([])) == "0 problems:"


def test_paths_are_escaped_json_pointers() -> None:
    problem = Problem("/min", "too small", "range").under("a/b", "c~d", 3)
    assert problem.path == "/a~1b/c~0d/3/min"
    assert Problem("", "m", "c").under().path == ""
    assert ValidationError.single("", "m", "c").under("data").problems[0].path == "/data"


def test_line_numbers_are_kept_when_an_error_moves_under_a_container() -> None:
    error = ValidationError.single("/x", "m", "c").at_line(4).under("records")
    assert error.problems == (Problem("/records/x", "m", "c", line=4),)


def test_the_error_is_a_value_error_that_pickles_and_shows_its_problems() -> None:
    error = ValidationError.single("/a", "is wrong", "x")
    assert isinstance(error, ValueError)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is ValidationError
    assert copy.problems == error.problems
    assert repr(error) == (
        "ValidationError([Problem(path='/a', message='is wrong', code='x', line=None)])"
    )
    assert error.args == (error.problems,)


@given(
    st.lists(st.text() | st.integers(), max_size=4),
    st.text(st.characters(exclude_characters="/~"), max_size=5),
)
def test_every_part_is_one_step_of_the_path(parts: list[str | int], tail: str) -> None:
    path = Problem("/" + tail if tail else "", "m", "c").under(*parts).path
    steps = path.split("/")[1:] if path else []
    unescaped = [step.replace("~1", "/").replace("~0", "~") for step in steps]
    expected = [str(part) for part in parts] + ([tail] if tail else [])
    assert unescaped == expected


def test_a_key_is_shown_with_every_character_outside_printable_ascii_escaped() -> None:
    assert key_token("a\\b") == "a\\u005cb"
    assert key_token("\x7f\u00e9\uffff") == "\\u007f\\u00e9\\uffff"
    assert key_token("\U00010000\U000e0001") == "\\U00010000\\U000e0001"
    assert key_token(" ~") == " ~"


def test_a_key_of_forty_characters_is_shown_whole_and_a_longer_one_cut() -> None:
    assert key_token("k" * 40) == "k" * 40
    assert key_token("k" * 41) == "k" * 40 + "..."
