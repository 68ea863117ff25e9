"""360Giving Data Standard 1.4: grants out of funding packages, and back in.

Export: each allocation whose amount is published becomes one grant; what is
left of a package (its whole total when no split has been published) becomes
one grant for the package, whose description says which allocations it
covers and that their amounts are unknown.  Nothing is written as 0.  A
package that is the parent of others is a programme, not a grant: it is
named in its children's ``grantProgramme``.

Dates: 360Giving needs a full ``awardDate``.  A package announced only to
the month is given the first day of that month, and its description says so.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Final

from cse_programme._errors import Problem, ValidationError
from cse_programme.model import (
    Allocation,
    AllocationId,
    Claim,
    ClaimId,
    Figure,
    FigureRole,
    FigureUnit,
    FundingPackage,
    FundingPackageId,
    Money,
    Organisation,
    OrganisationId,
    OrganisationKind,
    PartialDate,
    Precision,
    Programme,
    Source,
    SourceId,
    TotalKind,
)

#: The 360Giving schema version the export follows.
VERSION: Final = "1.4"
_PREFIX = re.compile(r"360G-[A-Za-z0-9][A-Za-z0-9._-]*")
_LONDON_BOROUGHS_CODE_TYPE: Final = "LONB"


def _award_date(package: FundingPackage) -> tuple[str, str]:
    announced = package.announced
    if announced is None:
        raise ValidationError.single(
            f"/funding_packages/{package.id}/announced",
            "must be known to export a grant: 360Giving needs an award date",
            "no_award_date",
        )
    if announced.precision is Precision.DAY:
        return announced.earliest().isoformat(), ""
    return (
        announced.earliest().isoformat(),
        f" Announced in {announced}; the exact day was not published, so the award date "
        "given is the first day of that period.",
    )


def _organisation(programme: Programme, id: OrganisationId) -> dict[str, str]:
    return {"id": str(id), "name": programme.organisation(id).name}


def _locations(programme: Programme, allocation: Allocation) -> list[dict[str, str]]:
    if allocation.service is None:
        return []
    return [
        {"name": area.name, "geoCode": area.code, "geoCodeType": _LONDON_BOROUGHS_CODE_TYPE}
        for area in sorted(programme.service(allocation.service).coverage)
    ]


def _recipients(programme: Programme, allocations: list[Allocation]) -> list[dict[str, str]]:
    found: dict[OrganisationId, dict[str, str]] = {}
    for allocation in allocations:
        if allocation.organisation is not None:
            owner: OrganisationId | None = allocation.organisation
        else:
            assert allocation.service is not None
            owner = programme.service(allocation.service).provider
        if owner is not None:
            found.setdefault(owner, _organisation(programme, owner))
    return list(found.values())


def to_360giving(programme: Programme, *, prefix: str) -> dict[str, Any]:
    """The programme's funding as a 360Giving 1.4 grants package.

    *prefix* is the publisher's own 360Giving identifier prefix, such as
    ``360G-GLA``; the library never invents one.

    >>> from cse_programme.datasets import london_2025
    >>> package = to_360giving(london_2025(), prefix="360G-example")
    >>> [(g["id"], g["amountAwarded"]) for g in package["grants"]]
    [('360G-example-pkg-cse-support-2025', 2400000)]
    """
    if not isinstance(prefix, str) or not _PREFIX.fullmatch(prefix):
        raise ValidationError.single(
            "/prefix", "must be your 360Giving prefix, such as 360G-GLA", "prefix"
        )
    parents = {p.parent for p in programme.funding_packages if p.parent is not None}
    grants: list[dict[str, Any]] = []
    for package in programme.funding_packages:
        if package.id in parents:
            continue
        award_date, date_note = _award_date(package)
        common: dict[str, Any] = {
            "currency": Money.currency,
            "awardDate": award_date,
            "fundingOrganization": [_organisation(programme, package.funder)],
        }
        if package.parent is not None:
            parent = programme.funding_package(package.parent)
            common["grantProgramme"] = [{"code": str(parent.id), "title": parent.name}]
        known = [a for a in package.allocations if a.amount is not None]
        unknown = [a for a in package.allocations if a.amount is None]
        for allocation in known:
            assert allocation.amount is not None
            grants.append(
                {
                    "id": f"{prefix}-{package.id}-{allocation.id}",
                    "title": allocation.purpose,
                    "description": f"Part of {package.name}.{date_note}",
                    "amountAwarded": _number(allocation.amount),
                    "recipientOrganization": _recipients(programme, [allocation])
                    or [_organisation(programme, package.funder)],
                    "beneficiaryLocation": _locations(programme, allocation),
                    **common,
                }
            )
        remainder = package.unallocated()
        if known and not remainder:
            continue
        description = "; ".join(package.purposes) or package.name
        if unknown:
            names = ", ".join(a.purpose for a in unknown)
            description += (
                f". Covers {names}: how the amount is split between them has not been published."
            )
        if package.total_kind is TotalKind.MORE_THAN:
            description += f" The total is more than {package.total}; the exact sum is unknown."
        recipients = _recipients(programme, unknown)
        if not recipients:
            recipients = [_organisation(programme, package.funder)]
            description += " No recipient organisation has been published."
        grants.append(
            {
                "id": f"{prefix}-{package.id}",
                "title": package.name,
                "description": description + date_note,
                "amountAwarded": _number(remainder),
                "recipientOrganization": recipients,
                "beneficiaryLocation": _merged_locations(programme, unknown),
                **common,
            }
        )
    return {
        "version": VERSION,
        "title": f"{programme.name}: grants",
        "grants": grants,
    }


def _merged_locations(programme: Programme, allocations: list[Allocation]) -> list[dict[str, str]]:
    seen: dict[str, dict[str, str]] = {}
    for allocation in allocations:
        for location in _locations(programme, allocation):
            seen.setdefault(location["geoCode"], location)
    return [seen[code] for code in sorted(seen)]


def _number(amount: Money) -> int | float:
    # 360Giving amounts are JSON numbers; whole pounds are written as integers,
    # so no float is involved unless the amount has pence.
    pounds = amount.pounds
    return int(pounds) if pounds == pounds.to_integral_value() else float(pounds)


def slug(text: str) -> str:
    """Lower-case words of *text* joined by hyphens, for building identifiers."""
    words: list[str] = []
    for word in re.findall(r"[a-z0-9]+", text.lower()):
        if len("-".join([*words, word])) > 60:
            break
        words.append(word)
    return "-".join(words) or "unnamed"


def _organisation_id(raw: Any, notes: list[str], where: str) -> OrganisationId:
    text = raw.get("id") if isinstance(raw, dict) else None
    name = raw.get("name") if isinstance(raw, dict) else None
    try:
        return OrganisationId(str(text))
    except ValidationError:
        fallback = OrganisationId(f"org-{slug(str(name or text or 'unknown'))}")
        notes.append(f"{where}: the organisation id is not org-id style; using {fallback}")
        return fallback


_MAPPED: Final = frozenset(
    {
        "id",
        "title",
        "description",
        "currency",
        "amountAwarded",
        "awardDate",
        "recipientOrganization",
        "fundingOrganization",
        "grantProgramme",
    }
)


def from_360giving(
    document: Any,
) -> tuple[
    tuple[FundingPackage, ...], tuple[Organisation, ...], Source, tuple[Claim, ...], list[str]
]:
    """Read a 360Giving grants package: one funding package per grant.

    Returns the packages, the organisations they name, a source for the file,
    one claim per grant (its title and amount), and notes on everything that
    could not be carried over.  Grants in a currency other than GBP, with an
    amount that is not exact pounds and pence, or without a valid award date
    are refused with every problem and its path.
    """
    if not isinstance(document, dict) or not isinstance(document.get("grants"), list):
        raise ValidationError.single("/grants", "must be a list of grants", "not_360giving")
    notes: list[str] = []
    problems: list[ValidationError] = []
    packages, claims = [], []
    organisations: dict[OrganisationId, Organisation] = {}
    source = Source(
        id=SourceId(f"src-360giving-{slug(str(document.get('title', 'grants')))}"),
        title=str(document.get("title") or "360Giving grants data"),
        publisher="360Giving data publisher",
    )
    for index, grant in enumerate(document["grants"]):
        where = f"/grants/{index}"
        try:
            package, parties, claim = _grant(grant, where, source.id, notes)
        except ValidationError as error:
            problems.append(error)
            continue
        packages.append(package)
        claims.append(claim)
        for party in parties:
            organisations.setdefault(party.id, party)
        extra = sorted(set(grant) - _MAPPED)
        if extra:
            notes.append(f"{where}: not carried over: {', '.join(extra)}")
    if problems:
        raise ValidationError(p for error in problems for p in error.problems)
    return tuple(packages), tuple(organisations.values()), source, tuple(claims), notes


def _grant(
    grant: Any, where: str, source: SourceId, notes: list[str]
) -> tuple[FundingPackage, list[Organisation], Claim]:
    if not isinstance(grant, dict):
        raise ValidationError.single(where, "must be an object", "type")
    problems = []
    if grant.get("currency") != Money.currency:
        problems.append(f"{where}/currency")
    amount = grant.get("amountAwarded")
    if isinstance(amount, bool) or not isinstance(amount, int | float | Decimal):
        problems.append(f"{where}/amountAwarded")
    award = grant.get("awardDate")
    try:
        announced = PartialDate.parse(str(award)[:10]) if isinstance(award, str) else None
    except ValidationError:
        announced = None
    if announced is None or announced.precision is not Precision.DAY:
        problems.append(f"{where}/awardDate")
    funders = grant.get("fundingOrganization")
    recipients = grant.get("recipientOrganization")
    if not isinstance(funders, list) or not funders:
        problems.append(f"{where}/fundingOrganization")
    if not isinstance(recipients, list) or not recipients:
        problems.append(f"{where}/recipientOrganization")
    if problems:
        messages = {
            "currency": ("must be GBP", "currency"),
            "amountAwarded": ("must be a number", "type"),
            "awardDate": ("must be a date as YYYY-MM-DD", "date"),
            "fundingOrganization": ("must name at least one funder", "missing"),
            "recipientOrganization": ("must name at least one recipient", "missing"),
        }
        raise ValidationError(Problem(path, *messages[path.rsplit("/", 1)[1]]) for path in problems)
    assert isinstance(funders, list)
    assert isinstance(recipients, list)
    total = Money(Decimal(str(amount)))
    funder = _organisation_id(funders[0], notes, f"{where}/fundingOrganization/0")
    recipient = _organisation_id(recipients[0], notes, f"{where}/recipientOrganization/0")
    if len(recipients) > 1:
        notes.append(f"{where}: only the first recipient organisation is kept")
    title = str(grant.get("title") or grant.get("id") or "Grant")
    key = slug(str(grant.get("id") or title))
    claim = Claim(
        id=ClaimId(f"claim-{key}"),
        source=source,
        quote=title,
        figures=(Figure(total.pounds, FigureUnit.GBP, FigureRole.VALUE),),
    )
    package = FundingPackage(
        id=FundingPackageId(f"pkg-{key}"),
        name=title,
        funder=funder,
        total=total,
        announced=announced,
        purposes=(str(grant["description"]),) if grant.get("description") else (),
        allocations=(
            Allocation(
                id=AllocationId(f"alloc-{key}"),
                purpose=title,
                organisation=recipient,
                amount=total,
            ),
        ),
        claims=(claim.id,),
    )
    parties = [
        Organisation(id=org_id, name=str(raw.get("name") or org_id), kind=OrganisationKind.OTHER)
        for org_id, raw in ((funder, funders[0]), (recipient, recipients[0]))
    ]
    return package, parties, claim
