"""Datasets that ship with the library.

>>> from cse_programme.datasets import london_2025
>>> london = london_2025()
>>> len(london.services), str(london.funding_packages[1].total)
(7, '£2,400,000.00')
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from cse_programme._serialisation import loads
from cse_programme.datasets._synthetic import SYNTHETIC_FORCE, synthetic_case, synthetic_cases
from cse_programme.model import Programme

__all__ = ["SYNTHETIC_FORCE", "london_2025", "synthetic_case", "synthetic_cases"]


@cache
def london_2025() -> Programme:
    """London's programme as announced in November 2025, with every figure's source.

    It holds the organisations, services, funding, review figures, outcome
    measures and indicators named in the Mayor of London's press release of
    November 2025, each linked to the claim that states it in the source's own
    words.  Amounts that were not published are held as unknown.  The same
    object is returned on every call: it is immutable.
    """
    raw = resources.files(__name__).joinpath("data/london_2025.json").read_bytes()
    return loads(raw, Programme)
