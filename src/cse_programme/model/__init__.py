"""The programme's vocabulary: typed, validated, immutable domain objects.

This layer is pure: it imports nothing else from the package but the error
type, no serialisation and no I/O.  Every name in ``__all__`` is also exported
from :mod:`cse_programme`, which reads this list.  The names imported below
with ``as`` are the model's face towards the rest of the library (the rules
the serialisation layer compiles, for one); they are not public.
"""

from typing import TYPE_CHECKING, Any

import attrs

from cse_programme.model._areas import (
    GSS_CODE_PATTERN,
    LAZY_GROUPS,
    POLICE_FORCE_AREA_CODE_PATTERN,
    Area,
    AreaGroup,
    PoliceForceArea,
    area_table_provenance,
    describe_coverage,
)
from cse_programme.model._construction import accept_plain_values
from cse_programme.model._dates import PARTIAL_DATE_PATTERN, PartialDate, Period, Precision
from cse_programme.model._eligibility import EligibilityDecision
from cse_programme.model._evidence import URL_PATTERN as URL_PATTERN
from cse_programme.model._evidence import Claim, Figure, Indicator, Occasion, Source
from cse_programme.model._funding import Allocation, FundingPackage, TotalKind
from cse_programme.model._ids import CASE_TOKEN_LENGTH as CASE_TOKEN_LENGTH
from cse_programme.model._ids import (
    AllocationId,
    CaseReference,
    ClaimId,
    FundingPackageId,
    Identifier,
    IndicatorId,
    MeasureId,
    OrganisationId,
    ReviewId,
    RouteId,
    ServiceId,
    SourceId,
)
from cse_programme.model._money import MONEY_PATTERN, Money
from cse_programme.model._outcomes import (
    CHARGED_ONLY,
    SANCTION_OR_COMMUNITY_RESOLUTION,
    Observation,
    Outcome,
    OutcomeGroup,
    OutcomeMeasure,
    OutcomePolicy,
    OutcomeType,
)
from cse_programme.model._programme import Programme
from cse_programme.model._quantities import AgeRange, Estimate, EstimateKind
from cse_programme.model._review import (
    AREA_NOT_RECORDED,
    CaseReview,
    ReviewFunnel,
    ReviewProgramme,
    ReviewStatus,
    SourcedEstimate,
    StatusChange,
)
from cse_programme.model._routes import PHONE_PATTERN, ReportingRoute
from cse_programme.model._rules import DECIMAL_PATTERN as DECIMAL_PATTERN
from cse_programme.model._rules import LONE_SURROGATE as LONE_SURROGATE
from cse_programme.model._rules import Optional as Optional
from cse_programme.model._rules import Rule as Rule
from cse_programme.model._rules import converts_to_utc as converts_to_utc
from cse_programme.model._rules import decimal_text as decimal_text
from cse_programme.model._rules import is_sensitive as is_sensitive
from cse_programme.model._rules import is_written_when_set as is_written_when_set
from cse_programme.model._rules import type_name as type_name
from cse_programme.model._rules import without_none as without_none
from cse_programme.model._services import (
    Eligibility,
    ExtendedEligibility,
    Organisation,
    SupportService,
)
from cse_programme.model._vocabulary import (
    AbuseContext,
    FigureRole,
    FigureUnit,
    OrganisationKind,
    Qualifier,
    ReferralRoute,
    SupportKind,
    SurvivorGroup,
    Unit,
    Vocabulary,
)

if TYPE_CHECKING:
    from cse_programme.model._areas import (
        ALL_LONDON,
        ENGLAND,
        ENGLAND_AND_WALES,
        METROPOLITAN_POLICE_DISTRICT,
        NORTH_CENTRAL_LONDON,
        WALES,
    )

__all__ = [
    "ALL_LONDON",
    "AREA_NOT_RECORDED",
    "CHARGED_ONLY",
    "ENGLAND",
    "ENGLAND_AND_WALES",
    "GSS_CODE_PATTERN",
    "METROPOLITAN_POLICE_DISTRICT",
    "MONEY_PATTERN",
    "NORTH_CENTRAL_LONDON",
    "PARTIAL_DATE_PATTERN",
    "PHONE_PATTERN",
    "POLICE_FORCE_AREA_CODE_PATTERN",
    "SANCTION_OR_COMMUNITY_RESOLUTION",
    "WALES",
    "AbuseContext",
    "AgeRange",
    "Allocation",
    "AllocationId",
    "Area",
    "AreaGroup",
    "CaseReference",
    "CaseReview",
    "Claim",
    "ClaimId",
    "Eligibility",
    "EligibilityDecision",
    "Estimate",
    "EstimateKind",
    "ExtendedEligibility",
    "Figure",
    "FigureRole",
    "FigureUnit",
    "FundingPackage",
    "FundingPackageId",
    "Identifier",
    "Indicator",
    "IndicatorId",
    "MeasureId",
    "Money",
    "Observation",
    "Occasion",
    "Organisation",
    "OrganisationId",
    "OrganisationKind",
    "Outcome",
    "OutcomeGroup",
    "OutcomeMeasure",
    "OutcomePolicy",
    "OutcomeType",
    "PartialDate",
    "Period",
    "PoliceForceArea",
    "Precision",
    "Programme",
    "Qualifier",
    "ReferralRoute",
    "ReportingRoute",
    "ReviewFunnel",
    "ReviewId",
    "ReviewProgramme",
    "ReviewStatus",
    "RouteId",
    "ServiceId",
    "Source",
    "SourceId",
    "SourcedEstimate",
    "StatusChange",
    "SupportKind",
    "SupportService",
    "SurvivorGroup",
    "TotalKind",
    "Unit",
    "Vocabulary",
    "area_table_provenance",
    "describe_coverage",
]


def __getattr__(name: str) -> Any:
    # The named groups of areas are built from the area table on first use.
    if name in LAZY_GROUPS:
        group = LAZY_GROUPS[name]()
        globals()[name] = group
        return group
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _finish_records() -> None:
    # Annotations are written as strings (PEP 563); turn every field's type
    # into the class it names once, here, so that the layers reading
    # attrs.fields() (the converter, the compiled loaders, the schema) see
    # classes.  Each record then answers a missing argument in the library's
    # words.
    for name in __all__:
        value = globals().get(name)
        if isinstance(value, type) and attrs.has(value):
            attrs.resolve_types(value)
            accept_plain_values(value)


_finish_records()
