"""How values that JSON has no type for are written: one definition for every path.

The compiled loaders, the detailed loaders and the JSON Schema all use these
patterns, so they cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

from cse_programme.model import MONEY_PATTERN

#: Exact decimals other than money travel as JSON strings, such as "6.2".
DECIMAL_PATTERN: Final = r"^-?(0|[1-9][0-9]{0,30})(\.[0-9]{1,30})?$"
#: Calendar days travel as YYYY-MM-DD.
DATE_PATTERN: Final = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
#: Timestamps travel as RFC 3339 with a UTC offset or Z.
TIMESTAMP_PATTERN: Final = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
    r"(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})$"
)

DECIMAL: Final = re.compile(DECIMAL_PATTERN)
MONEY: Final = re.compile(MONEY_PATTERN)
DATE: Final = re.compile(DATE_PATTERN)
TIMESTAMP: Final = re.compile(TIMESTAMP_PATTERN)


def timestamp_text(moment: dt.datetime) -> str:
    """RFC 3339 text for an aware timestamp, with ``Z`` for UTC as most tools write it."""
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def money_text(pounds: object) -> str:
    """Pounds with exactly two decimal places."""
    return f"{pounds:.2f}"
