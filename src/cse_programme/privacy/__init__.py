"""Privacy: pseudonymous case references and disclosure control for published tables."""

from cse_programme.privacy._disclosure import (
    DEFAULT_THRESHOLD,
    TOTAL,
    Cell,
    ProtectedTable,
    Reason,
    Symbol,
    protect,
)
from cse_programme.privacy._pseudonyms import MIN_KEY_BYTES, pseudonymise
from cse_programme.privacy._redaction import public_document
from cse_programme.privacy._release import FunnelRelease, release_funnel

__all__ = [
    "DEFAULT_THRESHOLD",
    "MIN_KEY_BYTES",
    "TOTAL",
    "Cell",
    "FunnelRelease",
    "ProtectedTable",
    "Reason",
    "Symbol",
    "protect",
    "pseudonymise",
    "public_document",
    "release_funnel",
]
