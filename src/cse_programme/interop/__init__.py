"""Interoperability: 360Giving grants and Open Referral HSDS services."""

from cse_programme.interop._hsds import HSDS_NAMESPACE, from_hsds, hsds_id, to_hsds, to_hsds_service
from cse_programme.interop._imported import Imported
from cse_programme.interop._threesixtygiving import from_360giving, to_360giving

__all__ = [
    "HSDS_NAMESPACE",
    "Imported",
    "from_360giving",
    "from_hsds",
    "hsds_id",
    "to_360giving",
    "to_hsds",
    "to_hsds_service",
]
