"""360Giving Data Standard 1.4: funding packages as grants, and back.

Export: each funding package that names a recipient becomes one grant of its
whole total, to every organisation that receives part of it (an allocation
to an organisation, or to a service whose provider is named).  360Giving has
no amount for each recipient of a grant, so what is known of the split is
written in the description and, exactly, in the library's own extension
field ``cseProgramme``; nothing is written as 0 and no amount is given to a
recipient it was not published for.  A package that names no recipient is
not a grant in 360Giving's sense: it is left out, and the file's description
says so.  A package that is the parent of others is named in their
``grantProgramme``.

Dates: 360Giving needs a full ``awardDate``.  A package announced only to the
month or the year is given the first day of that period, its description says
so, and the extension keeps the date at its own precision, so that the
library's own files come back unchanged.

Import: one funding package per grant, with one allocation for each
recipient.  A grant to one recipient gives that recipient its whole amount;
a grant to several gives none of them an amount, unless the library's
extension says what each received.  Every problem is reported together, at
its path in the file, and the 360Giving schema's required fields are
required.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, Final

import attrs

from cse_programme._errors import Problem, ValidationError
from cse_programme.interop._imported import Imported, Reading, slug
from cse_programme.model import (
    MONEY_PATTERN,
    Allocation,
    AllocationId,
    Area,
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
    Qualifier,
    Source,
    SourceId,
    TotalKind,
)

#: The 360Giving schema version the export follows.
VERSION: Final = "1.4"
#: The library's own field in each grant, for what 360Giving cannot say.
EXTENSION: Final = "cseProgramme"
_PREFIX = re.compile(r"360G-[A-Za-z0-9][A-Za-z0-9._-]*")
# 360Giving's ``geoCodeType`` for each kind of district, by the start of its GSS code:
# unitary authorities, non-metropolitan districts, metropolitan districts, London
# boroughs, and Wales's unitary authorities (the 360Giving geoCodeType codelist).
_GEO_CODE_TYPES: Final = {"E06": "UA", "E07": "NMD", "E08": "MD", "E09": "LONB", "W06": "UA"}
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})"
)
_MONEY = re.compile(MONEY_PATTERN)


# Writing ---------------------------------------------------------------------


def _recipients(
    programme: Programme, package: FundingPackage
) -> dict[OrganisationId, Money | None]:
    """Each organisation that receives part of *package*, with its amount where known."""
    found: dict[OrganisationId, list[Money | None]] = {}
    for allocation in package.allocations:
        owner = allocation.organisation
        if owner is None and allocation.service is not None:
            owner = programme.service(allocation.service).provider
        if owner is not None:
            found.setdefault(owner, []).append(allocation.amount)
    result: dict[OrganisationId, Money | None] = {}
    for owner, amounts in found.items():
        known = [amount for amount in amounts if amount is not None]
        result[owner] = sum(known, Money.zero()) if len(known) == len(amounts) else None
    return result


def _organisation(programme: Programme, id: OrganisationId) -> dict[str, str]:
    return {"id": str(id), "name": programme.organisation(id).name}


def _locations(programme: Programme, package: FundingPackage) -> list[dict[str, str]]:
    areas: set[Area] = set()
    for allocation in package.allocations:
        if allocation.service is not None:
            areas |= programme.service(allocation.service).coverage
    return [
        {"name": area.name, "geoCode": area.code, "geoCodeType": _GEO_CODE_TYPES[area.code[:3]]}
        for area in sorted(areas)
    ]


def _description(
    programme: Programme, package: FundingPackage, amounts: dict[OrganisationId, Money | None]
) -> str:
    parts = ["; ".join(package.purposes) or package.name]
    named = programme.organisation
    known = [
        f"{named(owner).name} receives {amount}"
        for owner, amount in amounts.items()
        if amount is not None
    ]
    unknown = [named(owner).name for owner, amount in amounts.items() if amount is None]
    if known:
        parts.append(", ".join(known))
    if unknown:
        # After a colon, so that a name keeps its capital letter.
        parts.append(f"How much each receives has not been published for: {'; '.join(unknown)}")
    without = [
        a.purpose
        for a in package.allocations
        if a.organisation is None
        and a.service is not None
        and programme.service(a.service).provider is None
    ]
    if without:
        parts.append(f"No recipient has been published for: {'; '.join(without)}")
    if package.total_kind is TotalKind.MORE_THAN:
        parts.append(f"The total is more than {package.total}; the exact sum is unknown")
    announced = package.announced
    if announced is not None and announced.precision is not Precision.DAY:
        parts.append(
            f"Announced in {announced.words}; the exact day was not published, so the award date "
            "given is the first day of that period"
        )
    return ". ".join(parts) + "."


def _number(amount: Money) -> int | float:
    # 360Giving amounts are JSON numbers; whole pounds are written as integers,
    # so no float is involved unless the amount has pence.
    pounds = amount.pounds
    if pounds == pounds.to_integral_value():
        return int(pounds)
    return float(pounds)


def _grant_problems(index: int, package: FundingPackage) -> list[Problem]:
    """What stops *package*, the *index*-th, being published as a grant."""
    path = f"/funding_packages/{index}"
    problems = []
    if package.announced is None:
        problems.append(
            Problem(
                f"{path}/announced",
                "must be known to export a grant: 360Giving needs an award date",
                "no_award_date",
            )
        )
    written = _number(package.total)
    if type(written) is float and Decimal(repr(written)) != package.total.pounds:
        problems.append(
            Problem(
                f"{path}/total", "must be an amount a JSON number holds exactly", "inexact_amount"
            )
        )
    return problems


def _grant(
    programme: Programme,
    package: FundingPackage,
    amounts: dict[OrganisationId, Money | None],
    prefix: str,
) -> dict[str, Any]:
    announced = package.announced
    assert announced is not None  # refused by _grant_problems
    grant: dict[str, Any] = {
        "id": f"{prefix}-{package.id}",
        "title": package.name,
        "description": _description(programme, package, amounts),
        "currency": Money.currency,
        "amountAwarded": _number(package.total),
        "awardDate": announced.earliest().isoformat(),
        "recipientOrganization": [_organisation(programme, owner) for owner in amounts],
        "fundingOrganization": [_organisation(programme, package.funder)],
        "beneficiaryLocation": _locations(programme, package),
    }
    if package.parent is not None:
        parent = programme.funding_package(package.parent)
        grant["grantProgramme"] = [{"code": str(parent.id), "title": parent.name}]
    grant[EXTENSION] = {
        "package": str(package.id),
        "announced": str(announced),
        "totalKind": package.total_kind.value,
        "purposes": list(package.purposes),
        "recipientAmounts": [None if a is None else f"{a.pounds:.2f}" for a in amounts.values()],
    }
    return grant


def to_360giving(programme: Programme, *, prefix: str) -> dict[str, Any]:
    """The programme's funding as a 360Giving 1.4 grants package.

    *prefix* is the publisher's own 360Giving identifier prefix, such as
    ``360G-GLA``; the library never invents one.  Everything that stops the
    export is reported in one :class:`~cse_programme.ValidationError`, each
    problem at its path: the prefix, a grant's unknown award date
    (``/funding_packages/N/announced``), an amount no JSON number holds exactly
    (``/funding_packages/N/total``), or nothing to publish.

    >>> from cse_programme.datasets import london_2025
    >>> from cse_programme.interop import to_360giving
    >>> package = to_360giving(london_2025(), prefix="360G-example")
    >>> [(g["id"], g["amountAwarded"]) for g in package["grants"]]
    [('360G-example-pkg-cse-support-2025', 2400000)]
    >>> for recipient in package["grants"][0]["recipientOrganization"]:
    ...     print(recipient["id"])
    org-uclh
    org-pan-london-sv-providers
    >>> package["grants"][0]["cseProgramme"]["announced"]
    '2025-11'
    """
    problems = []
    if not isinstance(prefix, str) or not _PREFIX.fullmatch(prefix):
        problems.append(
            Problem("/prefix", "must be your 360Giving prefix, such as 360G-GLA", "prefix")
        )
    parents = {p.parent for p in programme.funding_packages if p.parent is not None}
    published, left_out = [], []
    for index, package in enumerate(programme.funding_packages):
        if package.id in parents:
            continue
        amounts = _recipients(programme, package)
        if amounts:
            published.append((index, package, amounts))
            problems += _grant_problems(index, package)
        else:
            left_out.append(package.name)
    if not published:
        problems.append(
            Problem(
                "/funding_packages",
                "must include a package with a recipient organisation: 360Giving publishes grants",
                "no_grants",
            )
        )
    if problems:
        raise ValidationError(problems)
    grants = [_grant(programme, package, amounts, prefix) for _, package, amounts in published]
    document: dict[str, Any] = {
        "version": VERSION,
        "title": f"{programme.name}: grants",
        "grants": grants,
    }
    if left_out:
        document["description"] = (
            "Not published as grants, because no recipient organisation is known: "
            + "; ".join(left_out)
            + "."
        )
    return document


# Reading ---------------------------------------------------------------------

#: The fields the 360Giving schema requires of a grant to an organisation.
_REQUIRED: Final = (
    "id",
    "title",
    "description",
    "currency",
    "amountAwarded",
    "awardDate",
    "recipientOrganization",
    "fundingOrganization",
)
#: The grant fields the library reads.
_READ: Final = frozenset({*_REQUIRED, "grantProgramme", "beneficiaryLocation", EXTENSION})


def _award_day(value: Any) -> PartialDate | None:
    if not isinstance(value, str):
        return None
    day = value[:10] if _DATE_TIME.fullmatch(value) else value
    if not _DAY.fullmatch(day):
        return None
    try:
        return PartialDate.parse(day)
    except ValidationError:
        return None


def _amount(value: Any) -> Money | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    try:
        return Money(Decimal(repr(value)) if isinstance(value, float) else Decimal(value))
    except (ValidationError, ArithmeticError):
        return None


class _Grants(Reading):
    """Reads grants one by one, gathering every problem and note."""

    def __init__(self) -> None:
        super().__init__()
        self.packages: list[FundingPackage] = []
        self.claims: list[Claim] = []
        self.grant_ids: set[str] = set()
        self.package_ids: set[FundingPackageId] = set()

    def parties(self, path: str, raw: Any) -> list[OrganisationId]:
        """The organisations of a recipient or funder list; a problem for each unusable one."""
        found: list[OrganisationId] = []
        if not isinstance(raw, list) or not raw:
            self.problem(path, "must name at least one organisation", "missing")
            return found
        for index, party in enumerate(raw):
            where = f"{path}/{index}"
            if not isinstance(party, dict):
                self.problem(where, "must be an organisation: an object with id and name", "type")
                continue
            identifier, name = party.get("id"), party.get("name")
            usable = True
            if "id" not in party:
                self.problem(f"{where}/id", "is required", "missing")
                usable = False
            elif not isinstance(identifier, str) or not re.fullmatch(
                OrganisationId.pattern, identifier
            ):
                self.problem(f"{where}/id", f"must be {OrganisationId.rule}", "identifier")
                usable = False
            if not isinstance(name, str) or not name.strip() or len(name) > 200:
                self.problem(f"{where}/name", "must be a name of at most 200 characters", "text")
                usable = False
            if usable:
                assert isinstance(identifier, str)
                assert isinstance(name, str)
                organisation_id = OrganisationId(identifier)
                if organisation_id in found:
                    self.problem(f"{where}/id", "must not repeat an organisation", "duplicate")
                    continue
                found.append(organisation_id)
                known = self.organisations.get(organisation_id)
                if known is None:
                    self.organisations[organisation_id] = Organisation(
                        id=organisation_id, name=name, kind=OrganisationKind.OTHER
                    )
                elif known.name != name:
                    self.note(
                        where,
                        f"{organisation_id} is named differently here: its first name is kept",
                    )
        return found

    def text(self, path: str, grant: dict[str, Any], key: str, limit: int | None) -> str | None:
        """A text field, of at most *limit* characters unless that is ``None``.

        Only a description may be blank, as the schema allows.
        """
        value = grant.get(key)
        blank = isinstance(value, str) and not value.strip() and key != "description"
        too_long = limit is not None and isinstance(value, str) and len(value) > limit
        if not isinstance(value, str) or too_long or blank:
            wanted = "text" if limit is None else f"text of at most {limit} characters"
            self.problem(f"{path}/{key}", f"must be {wanted}", "text")
            return None
        return value

    def scalars(self, path: str, grant: dict[str, Any]) -> dict[str, Any]:
        """The grant's own fields, checked; a problem for each that is missing or wrong."""
        for key in _REQUIRED:
            individual = key == "recipientOrganization" and "recipientIndividual" in grant
            if key not in grant and not individual:
                self.problem(f"{path}/{key}", "is required", "missing")
        grant_id = grant.get("id")
        if "id" in grant and (not isinstance(grant_id, str) or not grant_id.strip()):
            self.problem(f"{path}/id", "must be the grant's identifier", "type")
        elif isinstance(grant_id, str) and grant_id in self.grant_ids:
            self.problem(f"{path}/id", "must not repeat the id of an earlier grant", "duplicate_id")
        if isinstance(grant_id, str):
            self.grant_ids.add(grant_id)
        if "currency" in grant and grant["currency"] != Money.currency:
            self.problem(
                f"{path}/currency", "must be GBP: the library holds pounds sterling", "currency"
            )
        total = _amount(grant.get("amountAwarded"))
        if "amountAwarded" in grant and total is None:
            self.problem(
                f"{path}/amountAwarded",
                "must be a number of pounds, not negative, with at most two decimal places",
                "amount",
            )
        day = _award_day(grant.get("awardDate"))
        if "awardDate" in grant and day is None:
            self.problem(
                f"{path}/awardDate", "must be a date as YYYY-MM-DD, or a date and time", "date"
            )
        return {
            "grant_id": grant_id,
            "title": self.text(path, grant, "title", 200) if "title" in grant else None,
            # A package's purposes have no length limit, nor has the schema's
            # description: what the exporter writes of a package is read back whole.
            "description": self.text(path, grant, "description", None)
            if "description" in grant
            else None,
            "total": total,
            "day": day,
        }

    def read(self, path: str, grant: Any, source: SourceId) -> None:
        if not isinstance(grant, dict):
            self.problem(path, "must be a grant: an object", "type")
            return
        before = len(self.problems)
        if "recipientIndividual" in grant:
            self.problem(
                f"{path}/recipientIndividual",
                "is not imported: the library holds no personal data about people",
                "individual",
            )
        fields = self.scalars(path, grant)
        funders, recipients = (
            self.parties(f"{path}/{key}", grant[key]) if key in grant else []
            for key in ("fundingOrganization", "recipientOrganization")
        )
        if len(funders) > 1:
            self.problem(
                f"{path}/fundingOrganization",
                "must name one funder: the library holds one funder for each package",
                "funders",
            )
        own = _Extension.read(self, path, grant, day=fields["day"], recipients=len(recipients))
        if len(self.problems) > before:
            return
        self.build(
            path, _Grant(funder=funders[0], recipients=tuple(recipients), **fields), own, source
        )
        left = sorted(key for key in grant if key not in _READ)
        if left:
            self.notes.append(f"{path}: not carried over: {', '.join(left)}")

    def build(self, path: str, grant: _Grant, own: _Extension, source: SourceId) -> None:
        package_id = own.package or FundingPackageId(f"pkg-{slug(grant.grant_id)}")
        if package_id in self.package_ids:
            self.problem(
                f"{path}/id", "must not give the same package as an earlier grant", "duplicate_id"
            )
            return
        self.package_ids.add(package_id)
        amounts = own.amounts
        if amounts is None:
            # Without the library's own field, a grant to one recipient gives it the
            # whole amount; a grant to several does not say how it is shared.
            single = len(grant.recipients) == 1
            amounts = [grant.total] if single else [None] * len(grant.recipients)
        floor = own.total_kind is TotalKind.MORE_THAN
        figure = Figure(
            grant.total.pounds,
            FigureUnit.GBP,
            FigureRole.VALUE,
            Qualifier.MORE_THAN if floor else None,
        )
        claim = Claim(
            id=ClaimId(f"claim-{str(package_id).removeprefix('pkg-')}"),
            source=source,
            quote=grant.title,
            figures=(figure,),
        )
        purposes = own.purposes
        if purposes is None:
            purposes = (grant.description,) if grant.description.strip() else ()
        try:
            package = FundingPackage(
                id=package_id,
                name=grant.title,
                funder=grant.funder,
                total=grant.total,
                total_kind=own.total_kind,
                announced=own.announced or grant.day,
                purposes=purposes,
                allocations=_allocations(grant, amounts),
                claims=(claim.id,),
            )
        except ValidationError:
            self.problem(
                f"{path}/{EXTENSION}/recipientAmounts",
                "must not add up to more than the amount awarded",
                "over_allocated",
            )
            return
        self.packages.append(package)
        self.claims.append(claim)


@attrs.frozen(kw_only=True)
class _Grant:
    """The fields of one grant, each checked."""

    grant_id: str
    title: str
    description: str
    total: Money
    day: PartialDate
    funder: OrganisationId
    recipients: tuple[OrganisationId, ...]


def _allocations(grant: _Grant, amounts: list[Money | None]) -> tuple[Allocation, ...]:
    """One allocation for each recipient of *grant*, with its amount where the file gives it."""
    allocations = []
    used: set[AllocationId] = set()
    for index, (owner, amount) in enumerate(zip(grant.recipients, amounts, strict=True)):
        allocation_id = AllocationId(f"alloc-{slug(owner)}")
        if allocation_id in used:
            allocation_id = AllocationId(f"{allocation_id}-{index + 1}")
        used.add(allocation_id)
        allocations.append(
            Allocation(id=allocation_id, purpose=grant.title, organisation=owner, amount=amount)
        )
    return tuple(allocations)


class _Extension:
    """What the library's own field of a grant says, once checked."""

    def __init__(self) -> None:
        self.package: FundingPackageId | None = None
        self.announced: PartialDate | None = None
        self.total_kind = TotalKind.EXACT
        self.purposes: tuple[str, ...] | None = None
        self.amounts: list[Money | None] | None = None

    @classmethod
    def read(
        cls,
        reader: _Grants,
        path: str,
        grant: dict[str, Any],
        *,
        day: PartialDate | None,
        recipients: int,
    ) -> _Extension:
        own = cls()
        raw = grant.get(EXTENSION)
        where = f"{path}/{EXTENSION}"
        if raw is None:
            return own
        if not isinstance(raw, dict):
            reader.problem(where, "must be an object", "type")
            return own
        for key in sorted(
            set(raw) - {"package", "announced", "totalKind", "purposes", "recipientAmounts"}
        ):
            reader.problem(f"{where}/{key}", "is not a field of the extension", "unknown_key")
        for problem in own._fields(raw, where, day, recipients):
            reader.problems.append(problem)
        return own

    def _fields(
        self, raw: dict[str, Any], where: str, day: PartialDate | None, recipients: int
    ) -> Iterator[Problem]:
        if "package" in raw:
            try:
                self.package = FundingPackageId(raw["package"])
            except ValidationError:
                yield Problem(f"{where}/package", f"must be {FundingPackageId.rule}", "identifier")
        if "announced" in raw:
            try:
                self.announced = PartialDate.parse(raw["announced"])
            except ValidationError:
                yield Problem(
                    f"{where}/announced", "must be a date as YYYY, YYYY-MM or YYYY-MM-DD", "date"
                )
            else:
                if day is not None and not self.announced.contains(day.earliest()):
                    yield Problem(f"{where}/announced", "must contain the award date", "date")
        if "totalKind" in raw:
            kinds = {kind.value: kind for kind in TotalKind}
            if raw["totalKind"] not in kinds:
                yield Problem(
                    f"{where}/totalKind", "must be 'exact' or 'more_than'", "unknown_value"
                )
            else:
                self.total_kind = kinds[raw["totalKind"]]
        if "purposes" in raw:
            purposes = raw["purposes"]
            if not isinstance(purposes, list) or not all(isinstance(p, str) for p in purposes):
                yield Problem(f"{where}/purposes", "must be a list of text", "type")
            else:
                self.purposes = tuple(purposes)
        if "recipientAmounts" in raw:
            amounts = raw["recipientAmounts"]
            if not isinstance(amounts, list) or len(amounts) != recipients:
                yield Problem(
                    f"{where}/recipientAmounts",
                    "must give one amount or null for each recipient organisation",
                    "recipient_amounts",
                )
                return
            self.amounts = []
            for index, amount in enumerate(amounts):
                if amount is None:
                    self.amounts.append(None)
                elif isinstance(amount, str) and _MONEY.fullmatch(amount):
                    self.amounts.append(Money(Decimal(amount)))
                else:
                    yield Problem(
                        f"{where}/recipientAmounts/{index}",
                        'must be pounds with two decimal places, such as "2400000.00", or null',
                        "money",
                    )


def from_360giving(document: Any) -> Imported:
    """Read a 360Giving grants package: one funding package per grant.

    Returns the packages, the organisations they name, a source for the file
    and one claim per grant (its title and amount), with notes on what was
    not carried over.  A grant missing a field the 360Giving schema
    requires, in a currency other than GBP, with an amount that is not exact
    pounds and pence, without a valid award date, with an organisation id
    the library cannot hold, or to an individual, is refused; every problem
    of every grant is reported together, at its path in the file.

    >>> from cse_programme.interop import from_360giving
    >>> document = {"grants": [{"id": "360G-example-1", "title": "Advocacy",
    ...     "description": "ISVAs", "currency": "GBP", "amountAwarded": 1000,
    ...     "awardDate": "2025-11-14",
    ...     "recipientOrganization": [{"id": "GB-CHC-216401", "name": "NSPCC"},
    ...                               {"id": "org-uclh", "name": "UCLH"}],
    ...     "fundingOrganization": [{"id": "GB-LAE-GLA", "name": "Greater London Authority"}]}]}
    >>> (package,) = from_360giving(document).funding_packages
    >>> str(package.total), [a.amount for a in package.allocations]
    ('£1,000.00', [None, None])
    """
    if not isinstance(document, dict) or not isinstance(document.get("grants"), list):
        raise ValidationError.single("/grants", "must be a list of grants", "not_360giving")
    if not document["grants"]:
        raise ValidationError.single("/grants", "must hold at least one grant", "empty")
    publisher = document.get("publisher")
    title = document.get("title")
    source = Source(
        id=SourceId(f"src-360giving-{slug(title if isinstance(title, str) else 'grants')}"),
        title=title
        if isinstance(title, str) and title.strip() and len(title) <= 500
        else "360Giving grants data",
        publisher=publisher["name"]
        if isinstance(publisher, dict)
        and isinstance(publisher.get("name"), str)
        and publisher["name"].strip()
        and len(publisher["name"]) <= 200
        else "Not named in the file",
    )
    reader = _Grants()
    for index, grant in enumerate(document["grants"]):
        reader.read(f"/grants/{index}", grant, source.id)
    reader.refuse_if_wrong()
    if reader.organisations:
        reader.notes.append(
            "360Giving does not say what kind of body an organisation is: each is recorded as other"
        )
    return Imported(
        organisations=tuple(reader.organisations.values()),
        funding_packages=tuple(reader.packages),
        sources=(source,),
        claims=tuple(reader.claims),
        notes=tuple(reader.notes),
    )
