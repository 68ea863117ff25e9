"""Words typed on the command line: matched without regard to case, never echoed.

What a person types may be anything, including a child's name typed into
the wrong box or a control sequence.  A message about a word that matches
nothing therefore never repeats it: it offers the closest words of the
library's own vocabulary instead.
"""

from __future__ import annotations

import argparse
import difflib
from collections.abc import Callable, Iterable, Sequence
from typing import Final

#: How close a word must be to be offered (see :func:`difflib.get_close_matches`).
_CUTOFF: Final = 0.6


def suggestions(typed: str, vocabulary: Iterable[str], *, most: int = 3) -> list[str]:
    """The words of *vocabulary* closest to *typed*, ignoring case, closest first.

    >>> from cse_programme._cli import suggestions
    >>> suggestions("Camdn", ["Camden", "Croydon", "Barnet"])
    ['Camden']
    >>> suggestions("zzzz", ["Camden", "Croydon"])
    []
    """
    words = {word.casefold(): word for word in vocabulary}
    folded = typed.strip().casefold()
    # A word begun is offered first ("peer" for peer_on_peer), then words spelt alike.
    begun = [word for word in words if len(folded) >= 2 and word.startswith(folded)]
    alike = difflib.get_close_matches(folded, words, n=most, cutoff=_CUTOFF)
    close = list(dict.fromkeys([*begun, *alike]))[:most]
    return [words[word] for word in close]


def did_you_mean(typed: str, vocabulary: Iterable[str]) -> str:
    """``"; did you mean X?"`` for the closest words, or ``""`` when none is close.

    >>> from cse_programme._cli import did_you_mean
    >>> did_you_mean("onlin", ["online", "institutional"])
    '; did you mean online?'
    >>> did_you_mean("peer", ["peer_on_peer", "cse", "online"])
    '; did you mean peer_on_peer?'
    """
    close = suggestions(typed, vocabulary)
    if not close:
        return ""
    words = close[0] if len(close) == 1 else ", ".join(close[:-1]) + " or " + close[-1]
    return f"; did you mean {words}?"


def choice(what: str, words: Sequence[str]) -> Callable[[str], str]:
    """An argparse type: one of *words*, ignoring case, else a message that offers the closest.

    >>> from cse_programme._cli import choice
    >>> context = choice("abuse context", ["cse", "online"])
    >>> context("CSE")
    'cse'
    >>> context("onlne")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: not a known abuse context; did you mean online?
    >>> context("x")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: not a known abuse context; choose from cse, online
    """
    by_folded = {word.casefold(): word for word in words}

    def match(typed: str) -> str:
        found = by_folded.get(typed.strip().casefold())
        if found is not None:
            return found
        offer = did_you_mean(typed, words) or "; choose from " + ", ".join(words)
        raise argparse.ArgumentTypeError(f"not a known {what}{offer}")

    match.__name__ = what
    return match
