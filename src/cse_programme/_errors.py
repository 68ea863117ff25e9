"""The library's one error type.

Every problem the library finds in what it was given, whether an object built
in Python or a document loaded from JSON, is reported as a
:class:`ValidationError` carrying each :class:`Problem` with the JSON Pointer
path to where it is.  Messages name the field and the rule; they never repeat
the value that broke it, so an error can be logged or shown without leaking
what a case record holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import attrs

__all__ = ["Problem", "ValidationError"]

#: The most characters of a key from the input that a path or message shows.
MAX_KEY_SHOWN: Final = 40


@attrs.frozen
class Problem:
    """One thing wrong with the input, and where it is.

    ``path`` is a JSON Pointer (:rfc:`6901`) from the root of what was being
    checked; ``""`` is the root itself.  ``code`` is a stable, machine-readable
    name for the rule, suitable for tests and for translating messages.

    >>> from cse_programme import Problem
    >>> Problem("/total", "must not be negative", "negative_amount")
    Problem(path='/total', message='must not be negative', code='negative_amount', line=None)
    """

    path: str
    message: str
    code: str
    line: int | None = attrs.field(default=None, kw_only=True)
    """The line of a JSON Lines file the problem is on; ``None`` elsewhere."""

    def under(self, *parts: str | int) -> Problem:
        """Return this problem as seen from a container, *parts* above it.

        >>> from cse_programme import Problem
        >>> Problem("/min", "too small", "range").under("eligibility", "age")
        Problem(path='/eligibility/age/min', message='too small', code='range', line=None)
        """
        prefix = "".join("/" + _escape(str(part)) for part in parts)
        return Problem(prefix + self.path, self.message, self.code, line=self.line)

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{where}{self.path or '(root)'}: {self.message} [{self.code}]"


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def key_token(key: str) -> str:
    r"""A key from the input as a path or message may show it.

    A key names a field, so a path may show it, but a key can be anything:
    it is cut to :data:`MAX_KEY_SHOWN` characters (marked with ``...``) and
    every character outside printable ASCII, and the backslash, is written as
    a ``\u`` escape, so no key can carry a long value, a control sequence or
    a lone surrogate into an error.

    >>> from cse_programme._errors import key_token
    >>> key_token("suspect")
    'suspect'
    >>> print(key_token("caf\u00e9\x1b[2J"))
    caf\u00e9\u001b[2J
    >>> len(key_token("x" * 1000))
    43
    """
    shown = "".join(
        char if " " <= char <= "~" and char != "\\" else _escaped(char)
        for char in key[:MAX_KEY_SHOWN]
    )
    return shown + ("..." if len(key) > MAX_KEY_SHOWN else "")


def _escaped(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


class ValidationError(ValueError):
    """Input that does not describe a valid programme.

    It lists every problem found, not only the first, each with its path.

    >>> from cse_programme import Problem, ValidationError
    >>> err = ValidationError([Problem("/suspects", "must be a whole number >= 0", "minimum")])
    >>> print(err)
    1 problem:
      /suspects: must be a whole number >= 0 [minimum]
    >>> err.problems[0].code
    'minimum'
    >>> isinstance(err, ValueError)
    True
    """

    problems: tuple[Problem, ...]

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(self.problems)

    @classmethod
    def single(cls, path: str, message: str, code: str) -> ValidationError:
        """Build an error holding one problem.

        >>> from cse_programme import ValidationError
        >>> ValidationError.single("/name", "must not be empty", "empty").problems
        (Problem(path='/name', message='must not be empty', code='empty', line=None),)
        """
        return cls([Problem(path, message, code)])

    def under(self, *parts: str | int) -> ValidationError:
        """Return the same problems, with their paths seen from a container.

        >>> from cse_programme import ValidationError
        >>> print(ValidationError.single("/min", "too small", "range").under("data", 3))
        1 problem:
          /data/3/min: too small [range]
        """
        return ValidationError(problem.under(*parts) for problem in self.problems)

    def at_line(self, line: int) -> ValidationError:
        """Return the same problems, placed on *line* of a JSON Lines file.

        >>> from cse_programme import ValidationError
        >>> print(ValidationError.single("/suspects", "must be at least 0", "minimum").at_line(7))
        1 problem:
          line 7: /suspects: must be at least 0 [minimum]
        """
        return ValidationError(attrs.evolve(problem, line=line) for problem in self.problems)

    def __str__(self) -> str:
        count = len(self.problems)
        head = f"{count} problem" + ("" if count == 1 else "s") + ":"
        return "\n".join([head, *(f"  {problem}" for problem in self.problems)])

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list(self.problems)!r})"

    def __reduce__(self) -> tuple[type[ValidationError], tuple[tuple[Problem, ...]]]:
        return (type(self), (self.problems,))
