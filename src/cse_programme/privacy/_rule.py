"""The rule a protected table follows, and what it tells a reader.

The rule is published with every table, so it is part of what an attacker
knows: which counts are hidden for being small, whether zeros are shown, and
how the published counts were rounded.  This module holds the rule and
translates it into the bounds a reader can put on each cell.
"""

from __future__ import annotations

import math
from typing import Final

import attrs

from cse_programme._errors import ValidationError
from cse_programme.privacy._ranges import Interval

#: UK publication practice: counts from 1 to 5 are suppressed.
DEFAULT_THRESHOLD: Final = 5
#: Each hidden count must be consistent with at least this many whole numbers.
PROTECTION: Final = 3


def _check_threshold(_: object, __: object, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError.single("/threshold", "must be a whole number of at least 0", "type")


def _check_rounding(_: object, __: object, value: int | None) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ValidationError.single("/rounding", "must be a whole number of at least 1", "type")


@attrs.frozen(kw_only=True)
class Rule:
    """Which counts are small, whether zeros are hidden, and the rounding base."""

    threshold: int = attrs.field(default=DEFAULT_THRESHOLD, validator=_check_threshold)
    rounding: int | None = attrs.field(default=None, validator=_check_rounding)
    hide_zeros: bool = False

    @property
    def largest_small(self) -> int:
        """The largest count hidden for being small.

        With rounding, a count that would round to 0 is hidden too, so that a
        published 0 is always a true zero.
        """
        rounds_to_zero = 0 if self.rounding is None else (self.rounding - 1) // 2
        return max(self.threshold, rounds_to_zero)

    def is_small(self, count: int) -> bool:
        """Whether *count* is hidden for its own sake (primary suppression)."""
        return (count == 0 and self.hide_zeros) or 1 <= count <= self.largest_small

    def shown(self, count: int) -> int:
        """The count as published: rounded to the nearest multiple, halves up."""
        if self.rounding is None:
            return count
        return self.rounding * ((count + self.rounding // 2) // self.rounding)

    def published(self, shown: int) -> Interval:
        """The true counts a reader knows could lie behind a published value."""
        if self.rounding is None or shown == 0:
            return (shown, shown)
        least = shown - self.rounding // 2
        return (max(least, self.largest_small + 1), least + self.rounding - 1)

    @staticmethod
    def hidden(zeros_hidden: bool) -> Interval:
        """What a reader knows of a hidden count: at least 0 or at least 1."""
        return (0 if zeros_hidden else 1, math.inf)

    def small_counts(self) -> str:
        """The counts hidden for being small, in words."""
        low = 0 if self.hide_zeros else 1
        high = self.largest_small
        if high < 1:
            # With nothing hidden at all, describe() says so in words of its own.
            return "zeros"
        if high == low:
            return f"counts of {high}"
        return f"counts from {low} to {high}"

    def describe(self) -> str:
        """The rule in words, as a notice to publish with the tables.

        >>> from cse_programme.privacy._rule import Rule
        >>> import textwrap
        >>> print(textwrap.fill(Rule(threshold=5).describe(), 78))
        Disclosure control applied: counts from 1 to 5 are shown as [c], and so are
        further cells chosen so that every hidden count could be any of at least 3
        whole numbers given everything published here. Zeros are shown as 0 unless a
        table says otherwise.
        >>> print(textwrap.fill(Rule(threshold=0).describe(), 78))
        Disclosure control applied with threshold 0: no count is small enough to be
        hidden, so every count is shown.
        """
        if self.largest_small < 1 and not self.hide_zeros:
            text = (
                "Disclosure control applied with threshold 0: no count is small enough to be "
                "hidden, so every count is shown."
            )
        else:
            zeros = (
                "" if self.hide_zeros else " Zeros are shown as 0 unless a table says otherwise."
            )
            extra = ""
            if self.largest_small > self.threshold:
                extra = (
                    f" (the threshold is {self.threshold}; counts up to {self.largest_small} "
                    "would round to 0)"
                )
            text = (
                f"Disclosure control applied: {self.small_counts()} are shown as [c]{extra}, "
                "and so are further cells chosen so that every hidden count could be any of "
                f"at least {PROTECTION} whole numbers given everything published here.{zeros}"
            )
        if self.rounding is not None:
            text += (
                f" Every count shown, totals included, is rounded to the nearest "
                f"{self.rounding} (halves up), so totals may differ from the sum of their rows."
            )
        return text
