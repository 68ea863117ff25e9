"""cse_programme: London's programme of support for victims and survivors of CSE.

A typed, validated, immutable model of the programme (funding, services, the
review of historic cases, outcomes and the sources behind every figure),
strict JSON documents for it, and the products built on them.

>>> import cse_programme
>>> cse_programme.Money.of("2.4m").compact()
'£2.4m'

Names are loaded on first use, so ``import cse_programme`` stays quick for
command-line tools that need only part of the library.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from cse_programme._version import __version__

if TYPE_CHECKING:
    from cse_programme import analysis, datasets, interop, privacy
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
    from cse_programme.model import (
        ALL_LONDON,
        AREA_NOT_RECORDED,
        CHARGED_ONLY,
        ENGLAND,
        ENGLAND_AND_WALES,
        GSS_CODE_PATTERN,
        METROPOLITAN_POLICE_DISTRICT,
        MONEY_PATTERN,
        NORTH_CENTRAL_LONDON,
        PARTIAL_DATE_PATTERN,
        PHONE_PATTERN,
        POLICE_FORCE_AREA_CODE_PATTERN,
        SANCTION_OR_COMMUNITY_RESOLUTION,
        WALES,
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
        EligibilityDecision,
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
        Occasion,
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
        PoliceForceArea,
        Precision,
        Programme,
        Qualifier,
        ReferralRoute,
        ReportingRoute,
        ReviewFunnel,
        ReviewId,
        ReviewProgramme,
        ReviewStatus,
        RouteId,
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
        area_table_provenance,
        describe_coverage,
    )

__all__ = [
    "ALL_LONDON",
    "AREA_NOT_RECORDED",
    "CHARGED_ONLY",
    "ENGLAND",
    "ENGLAND_AND_WALES",
    "GSS_CODE_PATTERN",
    "KINDS",
    "METROPOLITAN_POLICE_DISTRICT",
    "MONEY_PATTERN",
    "NORTH_CENTRAL_LONDON",
    "PARTIAL_DATE_PATTERN",
    "PHONE_PATTERN",
    "POLICE_FORCE_AREA_CODE_PATTERN",
    "SANCTION_OR_COMMUNITY_RESOLUTION",
    "SCHEMA_VERSION",
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
    "Problem",
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
    "ValidationError",
    "Vocabulary",
    "__version__",
    "analysis",
    "area_table_provenance",
    "datasets",
    "describe_coverage",
    "dump",
    "dumps",
    "interop",
    "iter_jsonl",
    "json_schema",
    "load",
    "loads",
    "privacy",
    "write_jsonl",
]

_HOMES: dict[str, str] = {
    "Problem": "cse_programme._errors",
    "ValidationError": "cse_programme._errors",
    "KINDS": "cse_programme._serialisation",
    "SCHEMA_VERSION": "cse_programme._serialisation",
    "dump": "cse_programme._serialisation",
    "dumps": "cse_programme._serialisation",
    "iter_jsonl": "cse_programme._serialisation",
    "json_schema": "cse_programme._serialisation",
    "load": "cse_programme._serialisation",
    "loads": "cse_programme._serialisation",
    "write_jsonl": "cse_programme._serialisation",
}
_SUBPACKAGES = frozenset({"analysis", "datasets", "interop", "privacy"})


def __getattr__(name: str) -> Any:
    if name in _SUBPACKAGES:
        return importlib.import_module(f"{__name__}.{name}")
    if name in __all__:
        home = importlib.import_module(_HOMES.get(name, "cse_programme.model"))
        value = getattr(home, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
