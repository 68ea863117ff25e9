"""A progress line on standard error, drawn only on a terminal.

It is a few dozen lines on purpose: the command line needs one bar with a
total and a rate, and a runtime dependency (tqdm, rich) would be carried by
every program that imports the library for a feature only the command uses.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import Final, TextIO

#: How many records make an input long enough to show progress for.
LONG_INPUT: Final = 10_000
#: The least time between two drawings of the line, in seconds.
REDRAW_EVERY: Final = 0.1
_BAR_WIDTH: Final = 20


def _size(count: int) -> str:
    """A number of bytes as people read it: ``4.2 MB``."""
    amount = float(count)
    for unit in ("B", "kB", "MB", "GB"):
        if amount < 1000 or unit == "GB":
            return f"{amount:,.0f} {unit}" if unit == "B" else f"{amount:,.1f} {unit}"
        amount /= 1000
    raise AssertionError("unreachable")  # pragma: no cover


class Progress:
    """How far a long command has got: a bar towards a total, a count and a rate.

    *total* is what the bar runs up to: the number of records, or, with
    *measure*, the size in bytes of the input, which *measure* says how much
    of has been read.  Without a total (a pipe) the line shows the count and
    the rate alone.  Nothing is drawn unless *stream* is a terminal, nor
    before :data:`LONG_INPUT` records have passed, so a short run or a
    redirected standard error stays silent.

    >>> import io
    >>> from cse_programme._cli import Progress
    >>> with Progress("synthesise", "cases", total=20_000, stream=io.StringIO()) as bar:
    ...     bar.update(20_000)
    >>> bar.drawn
    False
    """

    def __init__(
        self,
        label: str,
        unit: str,
        *,
        total: int | None,
        measure: Callable[[], int] | None = None,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = sys.stderr if stream is None else stream
        self._on_terminal = self._stream.isatty()
        self._label, self._unit, self._total, self._measure = label, unit, total, measure
        self._clock = clock
        self._started = clock()
        self._last = float("-inf")
        self._count = 0
        self.drawn = False
        """Whether the line has been drawn at least once."""

    def update(self, count: int) -> None:
        """Record that *count* records have passed, and redraw if it is time to."""
        self._count = count
        if self._on_terminal and count >= LONG_INPUT and self._clock() - self._last >= REDRAW_EVERY:
            self._draw()

    def line(self) -> str:
        """The line as drawn now, without the return that starts it.

        >>> import io
        >>> from cse_programme._cli import Progress
        >>> clock = iter([0.0, 2.0]).__next__
        >>> bar = Progress("synthesise", "cases", total=20_000, stream=io.StringIO(), clock=clock)
        >>> bar.update(10_000)
        >>> bar.line()
        'synthesise [##########----------]  50% 10,000/20,000 cases 5,000 cases/s'
        """
        elapsed = self._clock() - self._started
        counted = f"{self._count:,} {self._unit}"
        rate = f"{self._count / elapsed:,.0f} {self._unit}/s" if elapsed > 0 else ""
        if self._total is None:
            return " ".join(filter(None, [self._label, counted, rate]))
        done = self._count if self._measure is None else self._measure()
        share = min(done / self._total, 1.0) if self._total else 1.0
        filled = round(share * _BAR_WIDTH)
        bar = "[" + "#" * filled + "-" * (_BAR_WIDTH - filled) + "]"
        if self._measure is None:
            amount = f"{self._count:,}/{self._total:,} {self._unit}"
        else:
            amount = f"of {_size(self._total)}, {counted}"
        return " ".join(filter(None, [self._label, bar, f"{share:4.0%}", amount, rate]))

    def _draw(self) -> None:
        self._last = self._clock()
        self._stream.write("\r\033[K" + self.line())
        self._stream.flush()
        self.drawn = True

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        """Draw the line a last time and end it, if it was ever drawn."""
        if self.drawn:
            if kind is None:
                self._draw()
            self._stream.write("\n")
            self._stream.flush()
