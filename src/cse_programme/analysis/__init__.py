"""Questions asked of a programme: the claims audit, the service finder, the report."""

from cse_programme.analysis._audit import RATIO_TOLERANCE, Finding, Verdict, audit
from cse_programme.analysis._finder import MAX_AGE as MAX_AGE
from cse_programme.analysis._finder import RouteMatch, ServiceMatch, find_routes, find_services
from cse_programme.analysis._render import FORMATS, render
from cse_programme.analysis._report import (
    Report,
    ReportAllocation,
    ReportAmount,
    ReportEstimate,
    ReportFinding,
    ReportIndicator,
    ReportMeasure,
    ReportPackage,
    ReportPeriod,
    ReportReview,
    ReportRoute,
    ReportService,
    ReportSource,
    build_report,
)

__all__ = [
    "FORMATS",
    "RATIO_TOLERANCE",
    "Finding",
    "Report",
    "ReportAllocation",
    "ReportAmount",
    "ReportEstimate",
    "ReportFinding",
    "ReportIndicator",
    "ReportMeasure",
    "ReportPackage",
    "ReportPeriod",
    "ReportReview",
    "ReportRoute",
    "ReportService",
    "ReportSource",
    "RouteMatch",
    "ServiceMatch",
    "Verdict",
    "audit",
    "build_report",
    "find_routes",
    "find_services",
    "render",
]
