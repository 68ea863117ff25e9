"""cse_programme: London's programme of support for victims and survivors of CSE.

A typed, validated, immutable model of the programme (funding, services, the
review of historic cases, outcomes and the sources behind every figure),
strict JSON documents for it, and the products built on them.

>>> import cse_programme
>>> cse_programme.Money.of("2.4m").compact()
'£2.4m'
"""

import attrs

from cse_programme import datasets
from cse_programme._errors import Problem, ValidationError
from cse_programme._serialisation import (
    KINDS,
    SCHEMA_VERSION,
    dump,
    dumps,
    iter_jsonl,
    json_schema,
    load,
    loads,
    write_jsonl,
)
from cse_programme._version import __version__
from cse_programme.model import (
    ALL_LONDON,
    AREA_NOT_RECORDED,
    CHARGED_ONLY,
    GSS_CODE_PATTERN,
    METROPOLITAN_POLICE_DISTRICT,
    MONEY_PATTERN,
    NORTH_CENTRAL_LONDON,
    PARTIAL_DATE_PATTERN,
    SANCTION_OR_COMMUNITY_RESOLUTION,
    AbuseContext,
    AgeRange,
    Allocation,
    AllocationId,
    Area,
    AreaGroup,
    CaseReference,
    CaseReview,
    Claim,
    ClaimId,
    Eligibility,
    Estimate,
    EstimateKind,
    ExtendedEligibility,
    Figure,
    FigureRole,
    FigureUnit,
    FundingPackage,
    FundingPackageId,
    Identifier,
    Indicator,
    IndicatorId,
    MeasureId,
    Money,
    Observation,
    Organisation,
    OrganisationId,
    OrganisationKind,
    Outcome,
    OutcomeGroup,
    OutcomeMeasure,
    OutcomePolicy,
    OutcomeType,
    PartialDate,
    Period,
    Precision,
    Programme,
    ReferralRoute,
    ReviewFunnel,
    ReviewId,
    ReviewProgramme,
    ReviewStatus,
    ServiceId,
    Source,
    SourcedEstimate,
    SourceId,
    StatusChange,
    SupportKind,
    SupportService,
    SurvivorGroup,
    TotalKind,
    Unit,
    Vocabulary,
)

__all__ = [
    "ALL_LONDON",
    "AREA_NOT_RECORDED",
    "CHARGED_ONLY",
    "GSS_CODE_PATTERN",
    "KINDS",
    "METROPOLITAN_POLICE_DISTRICT",
    "MONEY_PATTERN",
    "NORTH_CENTRAL_LONDON",
    "PARTIAL_DATE_PATTERN",
    "SANCTION_OR_COMMUNITY_RESOLUTION",
    "SCHEMA_VERSION",
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
    "Precision",
    "Problem",
    "Programme",
    "ReferralRoute",
    "ReviewFunnel",
    "ReviewId",
    "ReviewProgramme",
    "ReviewStatus",
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
    "ValidationError",
    "Vocabulary",
    "__version__",
    "datasets",
    "dump",
    "dumps",
    "iter_jsonl",
    "json_schema",
    "load",
    "loads",
    "write_jsonl",
]


def _present_as_public() -> None:
    # Public names are documented, pickled and shown in tracebacks as
    # cse_programme.X, whichever private module defines them.  Annotations
    # are resolved first, while they can still be found in their own module.
    for name in __all__:
        value = globals()[name]
        if isinstance(value, type) and attrs.has(value):
            attrs.resolve_types(value)
    for name in __all__:
        value = globals()[name]
        if isinstance(value, type) or callable(value):
            value.__module__ = __name__


_present_as_public()
