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

    It holds the organisations, services, reporting routes, funding, review
    figures, outcome measures and indicators named in the Mayor of London's
    press release of November 2025.  Every record cites the claims that state
    its facts in their source's own words, and every claim is cited; facts
    from elsewhere cite their own sources, and the library's few assumptions
    are claims of its own, listed in :doc:`/explanation/programme`.  Amounts
    that were not published are held as unknown.  The same object is returned
    on every call: it is immutable.

    >>> from cse_programme import RouteId
    >>> from cse_programme.datasets import london_2025
    >>> london = london_2025()
    >>> print(london.route(RouteId("route-crimestoppers")))
    Crimestoppers (anonymous): 0800 555 111
    """
    raw = resources.files(__name__).joinpath("data/london_2025.json").read_bytes()
    return loads(raw, Programme)
