"""Open Referral HSDS 3.1: support services as compiled service documents, and back.

HSDS identifiers are UUIDs.  They are derived from the library's own ids with
UUID version 5 under :data:`HSDS_NAMESPACE`, so the same service always gets
the same UUID and exports are stable.  Areas are written as service areas
whose ``uri`` is the ONS statistical-geography address of the GSS code.
Support kinds, abuse contexts, referral routes and survivor groups travel as
attributes with taxonomy terms of the ``cse-programme`` taxonomy.
"""

from __future__ import annotations

import enum
import uuid
from typing import Any, Final, TypeVar

from cse_programme._errors import ValidationError
from cse_programme.interop._threesixtygiving import slug
from cse_programme.model import (
    ALL_LONDON,
    AbuseContext,
    AgeRange,
    Area,
    Eligibility,
    Organisation,
    OrganisationId,
    OrganisationKind,
    Programme,
    ReferralRoute,
    ServiceId,
    SupportKind,
    SupportService,
    SurvivorGroup,
)

#: The namespace of every HSDS UUID the library derives (UUID v5 of its URL).
HSDS_NAMESPACE: Final = uuid.uuid5(uuid.NAMESPACE_URL, "https://cse-programme.readthedocs.io/hsds")
#: Where a GSS code's statistical geography is published.
GSS_URI: Final = "http://statistics.data.gov.uk/id/statistical-geography/"
TAXONOMY: Final = "cse-programme"


def hsds_id(kind: str, *parts: object) -> str:
    """The stable HSDS UUID for one of the library's objects.

    >>> hsds_id("service", "svc-lighthouse") == hsds_id("service", "svc-lighthouse")
    True
    """
    return str(uuid.uuid5(HSDS_NAMESPACE, ":".join([kind, *map(str, parts)])))


def _organisation(organisation: Organisation) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": hsds_id("organization", organisation.id),
        "name": organisation.name,
        "description": f"{organisation.name} ({organisation.kind.label.lower()}).",
    }
    if organisation.id.registered:
        document["organization_identifiers"] = [
            {
                "id": hsds_id("organization_identifier", organisation.id),
                "organization_id": document["id"],
                "identifier_scheme": "org-id",
                "identifier_type": "org-id",
                "identifier": str(organisation.id),
            }
        ]
    return document


def _attribute(service: SupportService, group: str, member: enum.Enum) -> dict[str, Any]:
    code = f"{group}:{member.value}"
    label = getattr(member, "label", str(member.value))
    return {
        "id": hsds_id("attribute", service.id, code),
        "link_id": hsds_id("service", service.id),
        "link_type": "service",
        "link_entity": "service",
        "value": str(member.value),
        "label": label,
        "taxonomy_term": {
            "id": hsds_id("taxonomy_term", code),
            "code": code,
            "name": label,
            "description": f"{group.capitalize()}: {label}",
            "taxonomy": TAXONOMY,
        },
    }


def _eligibility_text(rules: Eligibility) -> str:
    parts = [" and ".join(sorted(group.label.lower() for group in rules.groups)).capitalize()]
    parts.append(f"aged {rules.age}" if rules.age is not None else "no age limits published")
    parts.extend(f"also {rule.age} {rule.condition}" for rule in rules.extended)
    if rules.notes:
        parts.append(rules.notes)
    return "; ".join(parts) + "."


def to_hsds_service(programme: Programme, service: SupportService) -> dict[str, Any]:
    """One service as a compiled HSDS 3.1 service document."""
    rules = service.eligibility
    document: dict[str, Any] = {
        "id": hsds_id("service", service.id),
        "name": service.name,
        "status": "active",
        "eligibility_description": _eligibility_text(rules),
        "service_areas": [
            {
                "id": hsds_id("service_area", service.id, area.code),
                "service_id": hsds_id("service", service.id),
                "name": area.name,
                "description": f"{area.name} (GSS code {area.code})",
                "uri": GSS_URI + area.code,
            }
            for area in sorted(service.coverage)
        ],
        "attributes": [
            _attribute(service, group, member)
            for group, members in (
                ("support", service.support),
                ("context", service.contexts),
                ("referral", service.referral_routes),
                ("group", rules.groups),
            )
            for member in sorted(members, key=lambda m: m.value)
        ],
    }
    if rules.age is not None:
        document["minimum_age"] = rules.age.min
        if rules.age.max is not None:
            document["maximum_age"] = rules.age.max
    if service.description:
        document["description"] = service.description
    if service.url:
        document["url"] = service.url
    if service.provider is not None:
        organisation = _organisation(programme.organisation(service.provider))
        document["organization"] = organisation
        document["organization_id"] = organisation["id"]
    return document


def to_hsds(programme: Programme) -> list[dict[str, Any]]:
    """Every service of the programme as compiled HSDS 3.1 service documents.

    >>> from cse_programme.datasets import london_2025
    >>> services = to_hsds(london_2025())
    >>> services[0]["name"], services[0]["minimum_age"], services[0]["maximum_age"]
    ('The Lighthouse', 0, 18)
    >>> [area["name"] for area in services[0]["service_areas"]][:2]
    ['Barnet', 'Camden']
    """
    return [to_hsds_service(programme, service) for service in programme.services]


def _areas(document: dict[str, Any], notes: list[str]) -> frozenset[Area]:
    found = set()
    for area in document.get("service_areas") or []:
        uri = str(area.get("uri") or "")
        for candidate in (uri.removeprefix(GSS_URI), str(area.get("name") or "")):
            try:
                found.add(Area.lookup(candidate))
                break
            except ValidationError:
                continue
    if not found:
        notes.append("no London area found in service_areas: coverage set to all of London")
        return ALL_LONDON.areas
    return frozenset(found)


E = TypeVar("E", bound=enum.Enum)


def _terms(document: dict[str, Any], group: str, vocabulary: type[E]) -> frozenset[E]:
    found: set[E] = set()
    for attribute in document.get("attributes") or []:
        term = attribute.get("taxonomy_term") or {} if isinstance(attribute, dict) else {}
        if not isinstance(term, dict) or term.get("taxonomy") != TAXONOMY:
            continue
        prefix, _, value = str(term.get("code") or "").partition(":")
        if prefix == group:
            try:
                found.add(vocabulary(value))
            except ValueError:
                continue
    return frozenset(found)


def _whole(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        return None
    return int(value) if value == int(value) else None


def from_hsds(document: Any) -> tuple[SupportService, Organisation | None, list[str]]:
    """Read a compiled HSDS service document into a support service.

    Returns the service, its provider organisation (when the document has
    one), and notes on everything that could not be carried over or had to
    be assumed.
    """
    if not isinstance(document, dict) or not isinstance(document.get("name"), str):
        raise ValidationError.single("/name", "must be an HSDS service with a name", "not_hsds")
    notes: list[str] = []
    support = _terms(document, "support", SupportKind)
    if not support:
        support = frozenset({SupportKind.INFORMATION})
        notes.append("no cse-programme support terms: support kind set to information")
    contexts = _terms(document, "context", AbuseContext)
    if not contexts:
        contexts = frozenset(AbuseContext)
        notes.append("no cse-programme context terms: every abuse context assumed")
    low, high = _whole(document.get("minimum_age")), _whole(document.get("maximum_age"))
    age = None if low is None and high is None else AgeRange(low or 0, high)
    groups = _terms(document, "group", SurvivorGroup)
    if not groups:
        groups = frozenset(
            g
            for g, admitted in (
                (SurvivorGroup.CHILDREN, age is None or age.min < 18),
                (SurvivorGroup.ADULTS, age is None or age.max is None or age.max >= 18),
            )
            if admitted
        )
        notes.append("no cse-programme group terms: groups taken from the ages")
    provider: Organisation | None = None
    raw_organisation = document.get("organization")
    if isinstance(raw_organisation, dict) and raw_organisation.get("name"):
        provider = _provider(raw_organisation, notes)
    service = SupportService(
        id=ServiceId(f"svc-{slug(document['name'])}"),
        name=document["name"],
        provider=None if provider is None else provider.id,
        support=support,
        eligibility=Eligibility(groups=groups, age=age),
        contexts=contexts,
        coverage=_areas(document, notes),
        referral_routes=_terms(document, "referral", ReferralRoute),
        description=document.get("description") or None,
        url=document["url"] if str(document.get("url", "")).startswith("https://") else None,
    )
    carried = {
        "id",
        "name",
        "status",
        "description",
        "url",
        "minimum_age",
        "maximum_age",
        "eligibility_description",
        "service_areas",
        "attributes",
        "organization",
        "organization_id",
    }
    left = sorted(key for key, value in document.items() if key not in carried and value)
    if left:
        notes.append(f"not carried over: {', '.join(left)}")
    return service, provider, notes


def _provider(raw: dict[str, Any], notes: list[str]) -> Organisation:
    identifier = None
    for entry in raw.get("organization_identifiers") or []:
        try:
            identifier = OrganisationId(str(entry.get("identifier")))
            break
        except ValidationError:
            continue
    if identifier is None:
        identifier = OrganisationId(f"org-{slug(str(raw['name']))}")
        notes.append(f"the organisation has no org-id: using {identifier}")
    return Organisation(id=identifier, name=str(raw["name"]), kind=OrganisationKind.OTHER)
