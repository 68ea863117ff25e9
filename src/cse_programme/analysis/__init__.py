"""Questions asked of a programme: the claims audit, the service finder, the report."""

from cse_programme.analysis._audit import RATIO_TOLERANCE, Finding, Verdict, audit
from cse_programme.analysis._finder import RouteMatch, ServiceMatch, find_routes, find_services
from cse_programme.analysis._report import FORMATS, build_report, render

__all__ = [
    "FORMATS",
    "RATIO_TOLERANCE",
    "Finding",
    "RouteMatch",
    "ServiceMatch",
    "Verdict",
    "audit",
    "build_report",
    "find_routes",
    "find_services",
    "render",
]
