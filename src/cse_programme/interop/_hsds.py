"""Open Referral HSDS 3.1: services and reporting routes as service documents, and back.

HSDS identifiers are UUIDs.  They are derived from the library's own ids with
UUID version 5 under :data:`HSDS_NAMESPACE`, so the same service always gets
the same UUID and exports are stable.  A service's areas are written as few
service areas as name them: one for each named group it covers whole (all of
London, England and Wales, a police force area) and one for each district
left over.  A district's or a police force area's ``uri`` is the ONS
statistical-geography address of its GSS code; London, England, Wales and
England and Wales are written by name.
Support kinds, abuse contexts, referral routes, survivor groups, the
library's own id of each service and the kind of each organisation travel as
attributes with terms of the ``cse-programme`` taxonomy.  A reporting route
is a service document too, with its telephone number in ``phones``.

Reading is strict: a service the library cannot place in England or Wales, or
that nothing says serves survivors of child sexual abuse or exploitation, is
refused with a problem at its own path in the file, unless the person
importing it states the missing fact.  Nothing is filled in silently.
"""

from __future__ import annotations

import enum
import re
import uuid
from collections.abc import Iterable, Iterator
from typing import Any, Final, TypeVar

from cse_programme._errors import ValidationError
from cse_programme.interop._imported import Imported, Reading, slug
from cse_programme.model import (
    PHONE_PATTERN,
    URL_PATTERN,
    AbuseContext,
    AgeRange,
    Area,
    AreaGroup,
    Eligibility,
    Identifier,
    Organisation,
    OrganisationId,
    OrganisationKind,
    PoliceForceArea,
    Programme,
    ReferralRoute,
    ReportingRoute,
    RouteId,
    ServiceId,
    SupportKind,
    SupportService,
    SurvivorGroup,
    Vocabulary,
    describe_coverage,
)

#: The namespace of every HSDS UUID the library derives (UUID v5 of its URL).
HSDS_NAMESPACE: Final = uuid.uuid5(uuid.NAMESPACE_URL, "https://cse-programme.readthedocs.io/hsds")
#: Where a GSS code's statistical geography is published.
GSS_URI: Final = "http://statistics.data.gov.uk/id/statistical-geography/"
TAXONOMY: Final = "cse-programme"
#: The identifier scheme of the library's local organisation ids (``org-...``).
LOCAL_SCHEME: Final = "cse-programme"
_SERVICE, _ROUTE = "support_service", "reporting_route"
_YES, _NO = "yes", "no"


def hsds_id(kind: str, *parts: object) -> str:
    """The stable HSDS UUID for one of the library's objects.

    >>> from cse_programme.interop import hsds_id
    >>> hsds_id("service", "svc-lighthouse") == hsds_id("service", "svc-lighthouse")
    True
    """
    return str(uuid.uuid5(HSDS_NAMESPACE, ":".join([kind, *map(str, parts)])))


# Writing ---------------------------------------------------------------------


def _attribute(
    owner: Identifier, link: str, group: str, member: str, label: str, *, entity: str = "service"
) -> dict[str, Any]:
    code = f"{group}:{member}"
    return {
        "id": hsds_id("attribute", owner, code),
        "link_id": link,
        "link_type": entity,
        "link_entity": entity,
        "value": member,
        "label": label,
        "taxonomy_term": {
            "id": hsds_id("taxonomy_term", code),
            "code": code,
            "name": label,
            "description": f"{group.capitalize()}: {label}",
            "taxonomy": TAXONOMY,
        },
    }


def _terms(
    owner: Identifier, link: str, groups: Iterable[tuple[str, Iterable[Vocabulary]]]
) -> list[dict[str, Any]]:
    return [
        _attribute(owner, link, group, str(member.value), member.label)
        for group, members in groups
        for member in sorted(members, key=lambda m: str(m.value))
    ]


def _ended(text: str) -> str:
    """*text* with a full stop, unless it already ends a sentence (before any closing quote)."""
    return text if re.search(r"[.!?][\"'\u201d\u2019)\]]*$", text) else f"{text}."


def _organisation_description(organisation: Organisation) -> str:
    if organisation.kind is OrganisationKind.OTHER:
        return _ended(organisation.name)
    return f"{_ended(organisation.name)} Kind of organisation: {organisation.kind.label}."


def _organisation(organisation: Organisation) -> dict[str, Any]:
    link = hsds_id("organization", organisation.id)
    registered = organisation.id.registered
    return {
        "id": link,
        "name": organisation.name,
        "description": _organisation_description(organisation),
        "organization_identifiers": [
            {
                "id": hsds_id("organization_identifier", organisation.id),
                "organization_id": link,
                "identifier_scheme": "org-id" if registered else LOCAL_SCHEME,
                "identifier_type": "org-id" if registered else "local",
                "identifier": str(organisation.id),
            }
        ],
        "attributes": [
            _attribute(
                organisation.id,
                link,
                "organisation",
                organisation.kind.value,
                organisation.kind.label,
                entity="organization",
            )
        ],
    }


def _common(
    programme: Programme, part: SupportService | ReportingRoute, provider: OrganisationId | None
) -> dict[str, Any]:
    """What a service document says of any record: its ids, name, areas and provider."""
    own = part.id
    record = _ROUTE if isinstance(part, ReportingRoute) else _SERVICE
    link = hsds_id("service", own)
    document: dict[str, Any] = {
        "id": link,
        "name": part.name,
        "status": "active",
        "service_areas": [_service_area(own, link, place) for place in _places(part.coverage)],
        "attributes": [
            _attribute(own, link, "record", record, record.replace("_", " ")),
            _attribute(own, link, "id", str(own), str(own)),
        ],
    }
    if provider is not None:
        organisation = _organisation(programme.organisation(provider))
        document["organization"] = organisation
        document["organization_id"] = organisation["id"]
    return document


def _places(coverage: frozenset[Area]) -> list[Area | AreaGroup]:
    """The coverage by the named groups it holds whole, then its other districts, in code order."""
    parts = describe_coverage(coverage)
    groups = [part for part in parts if isinstance(part, AreaGroup)]
    return [*groups, *sorted(part for part in parts if isinstance(part, Area))]


def _service_area(own: Identifier, link: str, place: Area | AreaGroup) -> dict[str, Any]:
    """One service area: a district or a police force area with its GSS code, or a named place."""
    if isinstance(place, Area):
        code: str | None = place.code
        description = f"{place.name} (GSS code {place.code})"
    else:
        force = place.police_force_area
        code = None if force is None else force.code
        districts = f"its {len(place)} local authority districts"
        description = f"{place.name}: {districts}" + (f" (GSS code {code})" if code else "")
    entry = {
        "id": hsds_id("service_area", own, code or place.name),
        "service_id": link,
        "name": place.name,
        "description": description,
    }
    return entry if code is None else {**entry, "uri": GSS_URI + code}


def _eligibility_text(rules: Eligibility) -> str:
    parts = [" and ".join(sorted(group.label.lower() for group in rules.groups)).capitalize()]
    parts.append(f"aged {rules.age}" if rules.age is not None else "no age limits published")
    parts.extend(f"also {rule.age} {rule.condition}" for rule in rules.extended)
    text = "; ".join(parts) + "."
    if rules.notes:
        # The notes are the publisher's own sentences, given after the rules.
        text += " " + _ended(rules.notes)
    return text


def to_hsds_service(programme: Programme, service: SupportService) -> dict[str, Any]:
    """One service as a compiled HSDS 3.1 service document.

    >>> from cse_programme.datasets import london_2025
    >>> from cse_programme.interop import to_hsds_service
    >>> london = london_2025()
    >>> document = to_hsds_service(london, london.services[0])
    >>> document["organization"]["organization_identifiers"][0]["identifier"]
    'org-uclh'
    >>> sorted({a["taxonomy_term"]["code"].split(":")[0] for a in document["attributes"]})
    ['context', 'group', 'id', 'record', 'referral', 'support']
    """
    rules = service.eligibility
    document = _common(programme, service, service.provider)
    document["eligibility_description"] = _eligibility_text(rules)
    document["attributes"] += _terms(
        service.id,
        document["id"],
        (
            ("support", service.support),
            ("context", service.contexts),
            ("referral", service.referral_routes),
            ("group", rules.groups),
        ),
    )
    if rules.age is not None:
        document["minimum_age"] = rules.age.min
        if rules.age.max is not None:
            document["maximum_age"] = rules.age.max
    if service.description:
        document["description"] = service.description
    if service.url:
        document["url"] = service.url
    return document


def _route_document(programme: Programme, route: ReportingRoute) -> dict[str, Any]:
    document = _common(programme, route, route.organisation)
    answer = _YES if route.anonymous else _NO
    label = "reports can be anonymous" if route.anonymous else "reports are not anonymous"
    document["attributes"].append(_attribute(route.id, document["id"], "anonymous", answer, label))
    if route.phone is not None:
        document["phones"] = [
            {
                "id": hsds_id("phone", route.id),
                "service_id": document["id"],
                "number": route.phone,
                "type": "voice",
                "description": f"{route.name}: {label}",
            }
        ]
    if route.description:
        document["description"] = route.description
    if route.url:
        document["url"] = route.url
    return document


def to_hsds(programme: Programme) -> list[dict[str, Any]]:
    """The programme's services and reporting routes as compiled HSDS 3.1 service documents.

    >>> from cse_programme.datasets import london_2025
    >>> from cse_programme.interop import to_hsds
    >>> documents = to_hsds(london_2025())
    >>> documents[0]["name"], documents[0]["minimum_age"], documents[0]["maximum_age"]
    ('The Lighthouse', 0, 18)
    >>> [area["name"] for area in documents[0]["service_areas"]][:2]
    ['Barnet', 'Camden']
    >>> crimestoppers = documents[-1]
    >>> crimestoppers["name"], crimestoppers["phones"][0]["number"]
    ('Crimestoppers', '0800 555 111')
    """
    return [to_hsds_service(programme, service) for service in programme.services] + [
        _route_document(programme, route) for route in programme.reporting_routes
    ]


# Reading ---------------------------------------------------------------------

E = TypeVar("E", bound=enum.Enum)
T = TypeVar("T")
_HOW: Final = {
    "areas": "--area (areas= in Python)",
    "contexts": "--context (contexts= in Python)",
    "support": "--support (support= in Python)",
    "groups": "--group (groups= in Python)",
}
#: The keys of a service document the library reads.
_READ: Final = frozenset(
    {
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
        "phones",
    }
)


def _service_documents(document: Any) -> list[tuple[str, Any]]:
    """Every service document in a file, with its path: one, a list, or a page."""
    if isinstance(document, list):
        found = [(f"/{index}", item) for index, item in enumerate(document)]
        where = ""
    elif isinstance(document, dict) and "contents" in document:
        contents = document["contents"]
        if not isinstance(contents, list):
            raise ValidationError.single("/contents", "must be a list of services", "type")
        found = [(f"/contents/{index}", item) for index, item in enumerate(contents)]
        where = "/contents"
    elif isinstance(document, dict):
        return [("", document)]
    else:
        raise ValidationError.single(
            "", "must be an HSDS service, a list of services or a service_list page", "not_hsds"
        )
    if not found:
        raise ValidationError.single(where, "must hold at least one service", "empty")
    return found


def _stated(values: Iterable[T] | None, kind: type[T], option: str) -> frozenset[T] | None:
    """What the person importing states for *option*: one or more values of *kind*."""
    if values is None:
        return None
    found = frozenset(values)
    if not found or not all(isinstance(value, kind) for value in found):
        raise ValidationError.single(
            f"/{option}", f"must be one or more {kind.__name__} values", "type"
        )
    return found


class _Reader(Reading):
    """Reads service documents one by one, gathering every problem and note."""

    def __init__(
        self,
        areas: frozenset[Area] | None,
        contexts: frozenset[AbuseContext] | None,
        support: frozenset[SupportKind] | None,
        groups: frozenset[SurvivorGroup] | None,
    ) -> None:
        super().__init__()
        self.areas, self.contexts, self.support, self.groups_stated = (
            areas,
            contexts,
            support,
            groups,
        )
        self.services: list[SupportService] = []
        self.routes: list[ReportingRoute] = []
        self.ids: set[Identifier] = set()
        # Every name given to each id, the ids made from a name, and the notes
        # of organisations whose kind no document has stated so far.
        self.names: dict[OrganisationId, set[str]] = {}
        self.derived: set[OrganisationId] = set()
        self.unstated: dict[OrganisationId, list[str]] = {}

    def gap(self, path: str, message: str, code: str, option: str) -> None:
        self.problem(path, f"{message}: state it with {_HOW[option]}", code)

    # -- attributes of the cse-programme taxonomy -----------------------------

    def tagged(self, path: str, raw: dict[str, Any], group: str) -> Iterator[tuple[str, str]]:
        """(path, value) of each cse-programme attribute of *group*."""
        attributes = raw.get("attributes")
        if not isinstance(attributes, list):
            return
        for index, attribute in enumerate(attributes):
            term = attribute.get("taxonomy_term") if isinstance(attribute, dict) else None
            if not isinstance(term, dict) or term.get("taxonomy") != TAXONOMY:
                continue
            prefix, _, value = str(term.get("code") or "").partition(":")
            if prefix == group:
                yield f"{path}/attributes/{index}/taxonomy_term/code", value

    def members(self, path: str, raw: dict[str, Any], group: str, kind: type[E]) -> frozenset[E]:
        allowed = {str(member.value): member for member in kind}
        found: set[E] = set()
        for where, value in self.tagged(path, raw, group):
            if value in allowed:
                found.add(allowed[value])
            else:
                self.problem(
                    where,
                    f"must be one of the {group} terms of the {TAXONOMY} taxonomy",
                    "unknown_value",
                )
        return frozenset(found)

    def own_id(
        self, path: str, raw: dict[str, Any], kind: type[ServiceId | RouteId], name: str
    ) -> Identifier | None:
        """The library's id from its own attribute, else from the HSDS id, else the name."""
        for where, value in self.tagged(path, raw, "id"):
            try:
                return kind(value)
            except ValidationError:
                self.problem(where, f"must be {kind.rule}", "identifier")
                return None
        prefix = "svc" if kind is ServiceId else "route"
        hsds = raw.get("id")
        if isinstance(hsds, str):
            try:
                return kind(f"{prefix}-{hsds.lower()}")
            except ValidationError:
                pass
        derived = kind(f"{prefix}-{slug(name)}")
        self.note(path, f"no usable id: {derived} is made from the name")
        return derived

    # -- the parts of a service -----------------------------------------------

    def coverage(self, path: str, raw: dict[str, Any]) -> frozenset[Area] | None:
        stated = self.areas
        entries = raw.get("service_areas") or []
        if not isinstance(entries, list):
            self.problem(f"{path}/service_areas", "must be a list", "type")
            entries = []
        if stated is not None:
            if entries:
                self.note(f"{path}/service_areas", "replaced by the areas stated")
            return stated
        found: set[Area] = set()
        left_out = []
        for index, entry in enumerate(entries):
            areas = _areas_of(entry)
            if areas is None:
                left_out.append(index)
            else:
                found |= areas
        if not found:
            self.gap(
                f"{path}/service_areas",
                "must place the service in a district of England or Wales, or a named group "
                "of them",
                "no_area",
                "areas",
            )
            return None
        for index in left_out:
            self.note(
                f"{path}/service_areas/{index}",
                "not a district of England or Wales, nor a named group of them: left out",
            )
        return frozenset(found)

    def required(
        self,
        *,
        path: str,
        raw: dict[str, Any],
        group: str,
        kind: type[E],
        stated: frozenset[E] | None,
        option: str,
        message: str,
        code: str,
    ) -> frozenset[E] | None:
        """The terms of *group*, or what is stated instead; a gap when there are neither."""
        found = self.members(path, raw, group, kind)
        if stated is not None:
            return stated
        if not found:
            self.gap(f"{path}/attributes", message, code, option)
            return None
        return found

    def age(self, path: str, raw: dict[str, Any], key: str) -> int | None:
        value = raw.get(key)
        if value is None:
            return None
        whole = (
            not isinstance(value, bool) and isinstance(value, int | float) and value == int(value)
        )
        if not whole or not 0 <= value <= 130:
            self.problem(f"{path}/{key}", "must be a whole number of years from 0 to 130", "age")
            return None
        return int(value)

    def ages(self, path: str, raw: dict[str, Any]) -> tuple[bool, AgeRange | None]:
        low, high = self.age(path, raw, "minimum_age"), self.age(path, raw, "maximum_age")
        if low is not None and high is not None and high < low:
            self.problem(
                f"{path}/maximum_age", "must not be below the minimum age", "max_below_min"
            )
            return False, None
        return True, None if low is None and high is None else AgeRange(low or 0, high)

    def groups(
        self, path: str, raw: dict[str, Any], age: AgeRange | None
    ) -> frozenset[SurvivorGroup] | None:
        found = self.members(path, raw, "group", SurvivorGroup)
        if self.groups_stated is not None:
            return self.groups_stated
        if found:
            return found
        if age is None:
            self.gap(f"{path}/attributes", "must say whom the service is for", "no_group", "groups")
            return None
        derived = frozenset(
            group
            for group, admitted in (
                (SurvivorGroup.CHILDREN, age.min < 18),
                (SurvivorGroup.ADULTS, age.max is None or age.max >= 18),
            )
            if admitted
        )
        self.note(path, "whom the service is for is taken from its ages")
        return derived

    def text(self, path: str, raw: dict[str, Any], key: str, limit: int) -> str | None:
        value = raw.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, str) and not value.strip():
            self.problem(f"{path}/{key}", "must not be blank: leave it out instead", "text")
            return None
        if not isinstance(value, str) or len(value) > limit:
            self.problem(f"{path}/{key}", f"must be text of at most {limit} characters", "text")
            return None
        return value

    def url(self, path: str, raw: dict[str, Any]) -> str | None:
        value = raw.get("url")
        if isinstance(value, str) and re.fullmatch(URL_PATTERN, value):
            return value
        if value:
            self.note(f"{path}/url", "not an https address: not carried over")
        return None

    def organisation(self, path: str, raw: Any) -> OrganisationId | None:
        if not isinstance(raw, dict):
            return None
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > 200:
            self.problem(
                f"{path}/name", "must be the organisation's name, of at most 200 characters", "text"
            )
            return None
        identifier = None
        for entry in raw.get("organization_identifiers") or []:
            try:
                identifier = OrganisationId(
                    str(entry.get("identifier")) if isinstance(entry, dict) else ""
                )
                break
            except ValidationError:
                continue
        derived = identifier is None
        if identifier is None:
            identifier = OrganisationId(f"org-{slug(name)}")
        kinds = sorted(self.members(path, raw, "organisation", OrganisationKind), key=str)
        if len(kinds) > 1:
            self.problem(f"{path}/attributes", "must give one kind of organisation", "kinds")
        known = self.organisations.get(identifier)
        named = self.names.setdefault(identifier, set())
        if named - {name}:
            if derived or identifier in self.derived:
                # An id made from a name proves nothing about who is meant, so two
                # names that make one id (or none, in a script without Latin
                # letters), or a made id given again as an identifier, must not
                # merge two organisations into one.
                self.problem(
                    f"{path}/organization_identifiers",
                    (
                        f"must give an identifier: the name makes {identifier}, which another "
                        "organisation in the file has"
                        if derived
                        else f"must not give {identifier}: another organisation in the file has "
                        "a name that makes it"
                    ),
                    "duplicate_id",
                )
                return None
            if known is not None and known.name != name:
                self.note(path, f"{identifier} is named differently here: its first name is kept")
        named.add(name)
        if derived:
            self.derived.add(identifier)
            self.note(path, f"no org-id: {identifier} is made from the name")
        if not kinds:
            if known is None or identifier in self.unstated:
                self.unstated.setdefault(identifier, []).append(
                    self.note(path, "the kind of organisation is not stated: recorded as other")
                )
            if known is None:
                self.organisations[identifier] = Organisation(
                    id=identifier, name=name, kind=OrganisationKind.OTHER
                )
            return identifier
        kind = kinds[0]
        if known is not None and identifier not in self.unstated and known.kind != kind:
            self.problem(
                f"{path}/attributes",
                f"must give the kind of organisation that {identifier} has elsewhere in the file",
                "kinds",
            )
            return None
        # A kind stated anywhere in the file is the organisation's kind: notes
        # that it was recorded as other no longer hold.
        for stale in self.unstated.pop(identifier, []):
            self.notes.remove(stale)
        self.organisations[identifier] = Organisation(
            id=identifier, name=known.name if known else name, kind=kind
        )
        return identifier

    def phone(self, path: str, raw: dict[str, Any]) -> str | None:
        phones = raw.get("phones") or []
        if not isinstance(phones, list) or len(phones) > 1:
            self.problem(
                f"{path}/phones", "must hold at most one number for a reporting route", "phones"
            )
            return None
        if not phones:
            return None
        number = phones[0].get("number") if isinstance(phones[0], dict) else None
        if not isinstance(number, str) or not re.fullmatch(PHONE_PATTERN, number):
            self.problem(f"{path}/phones/0/number", "must be a telephone number", "phone")
            return None
        return number

    # -- whole documents ------------------------------------------------------

    def read(self, path: str, raw: Any) -> None:
        if not isinstance(raw, dict):
            self.problem(path, "must be an HSDS service: an object", "type")
            return
        if "attributes" in raw and not isinstance(raw["attributes"], list):
            self.problem(f"{path}/attributes", "must be a list", "type")
        name = self.text(path, raw, "name", 200)
        if name is None:
            if not raw.get("name"):
                self.problem(f"{path}/name", "must be the service's name", "missing")
            return
        records = [value for _, value in self.tagged(path, raw, "record")]
        record = records[0] if records else _SERVICE
        if record not in (_SERVICE, _ROUTE):
            self.problem(
                f"{path}/attributes", "must name a record the library knows", "unknown_value"
            )
            return
        before = len(self.problems)
        part = self.route(path, raw, name) if record == _ROUTE else self.service(path, raw, name)
        if part is None or len(self.problems) > before:
            return
        if part.id in self.ids:
            self.problem(
                f"{path}/id", "must not give the same service as an earlier one", "duplicate_id"
            )
            return
        self.ids.add(part.id)
        left = sorted(key for key, value in raw.items() if key not in _READ and value)
        if left:
            self.note(path, f"not carried over: {', '.join(left)}")

    def service(self, path: str, raw: dict[str, Any], name: str) -> SupportService | None:
        own = self.own_id(path, raw, ServiceId, name)
        coverage = self.coverage(path, raw)
        contexts = self.required(
            path=path,
            raw=raw,
            group="context",
            kind=AbuseContext,
            stated=self.contexts,
            option="contexts",
            message="must say that the service serves survivors of child sexual abuse or "
            "exploitation",
            code="no_context",
        )
        support = self.required(
            path=path,
            raw=raw,
            group="support",
            kind=SupportKind,
            stated=self.support,
            option="support",
            message="must say what support the service gives",
            code="no_support",
        )
        ages_read, age = self.ages(path, raw)
        groups = self.groups(path, raw, age) if ages_read else None
        provider = self.organisation(f"{path}/organization", raw.get("organization"))
        referral = self.members(path, raw, "referral", ReferralRoute)
        description = self.text(path, raw, "description", 2000)
        url = self.url(path, raw)
        if not (own and coverage and contexts and support and groups):
            return None
        service = SupportService(
            id=ServiceId(own),
            name=name,
            provider=provider,
            support=support,
            eligibility=Eligibility(groups=groups, age=age),
            contexts=contexts,
            coverage=coverage,
            referral_routes=referral,
            description=description,
            url=url,
        )
        self.services.append(service)
        return service

    def route(self, path: str, raw: dict[str, Any], name: str) -> ReportingRoute | None:
        own = self.own_id(path, raw, RouteId, name)
        coverage = self.coverage(path, raw)
        organisation = self.organisation(f"{path}/organization", raw.get("organization"))
        if not isinstance(raw.get("organization"), dict):
            self.problem(
                f"{path}/organization", "must name the organisation that takes reports", "missing"
            )
        # One answer, however often it is given: two that disagree say nothing.
        answers = {value for _, value in self.tagged(path, raw, "anonymous")}
        answered = answers in ({_YES}, {_NO})
        if not answered:
            self.problem(
                f"{path}/attributes", "must say whether reports can be anonymous", "no_anonymity"
            )
        phone = self.phone(path, raw)
        description = self.text(path, raw, "description", 2000)
        url = self.url(path, raw)
        if not (own and coverage and organisation and answered):
            return None
        route = ReportingRoute(
            id=RouteId(own),
            name=name,
            organisation=organisation,
            anonymous=answers == {_YES},
            phone=phone,
            url=url,
            coverage=coverage,
            description=description,
        )
        self.routes.append(route)
        return route


def _areas_of(entry: Any) -> frozenset[Area] | None:
    """The districts a service area names: by the GSS code in its ``uri`` (a district or a
    police force area), else by its name (a named group of districts, or a district)."""
    if not isinstance(entry, dict):
        return None
    uri, name = entry.get("uri"), entry.get("name")
    if isinstance(uri, str) and uri.startswith(GSS_URI):
        code = uri.removeprefix(GSS_URI)
        try:
            return frozenset({Area.lookup(code)})
        except ValidationError:
            pass
        try:
            return PoliceForceArea(code).areas
        except ValidationError:
            pass
    if not isinstance(name, str):
        return None
    # Only a group's own name stands for a group: "Kent" is not the Kent Police area.
    for group in AreaGroup.named():
        if name.strip().casefold() == group.name.casefold():
            return group.areas
    try:
        return frozenset({Area.lookup(name)})
    except ValidationError:
        return None


def from_hsds(
    document: Any,
    *,
    areas: Iterable[Area] | None = None,
    contexts: Iterable[AbuseContext] | None = None,
    support: Iterable[SupportKind] | None = None,
    groups: Iterable[SurvivorGroup] | None = None,
) -> Imported:
    """Read HSDS service documents: one service, a list of them, or a ``service_list`` page.

    Each service must be placed in England or Wales, by service areas whose
    ``uri`` holds the GSS code of a district or a police force area, or
    whose name is a district's or the exact name of a named group ("All of
    London", "England and Wales", "Kent Police area").  It must say that it serves
    survivors of child sexual abuse or exploitation and what support it
    gives (by terms of the ``cse-programme`` taxonomy), and must say whom it
    is for (by those terms, or by its ages).  A service that does not is
    refused: every gap is a problem at its path in the file, and its message
    says how to state the fact.  Facts stated with *areas*, *contexts*,
    *support* and *groups* apply to every service in the file and replace
    what the file says.  Reporting routes the library exported come back as
    routes.

    >>> from cse_programme import AbuseContext, Area, SupportKind, ValidationError
    >>> from cse_programme.interop import from_hsds
    >>> document = {"id": "b9d4b5b4-0c4e-4a3c-9d0e-2f6f6f1d2b1a", "name": "Counselling",
    ...             "status": "active", "minimum_age": 12}
    >>> try:
    ...     from_hsds(document)
    ... except ValidationError as error:
    ...     problems = error.problems
    >>> for problem in problems:
    ...     print(problem.path, problem.code)
    /service_areas no_area
    /attributes no_context
    /attributes no_support
    >>> print(problems[0].message.split(": ")[1])
    state it with --area (areas= in Python)
    >>> imported = from_hsds(
    ...     document,
    ...     areas=[Area.lookup("Camden")],
    ...     contexts=[AbuseContext.ONLINE],
    ...     support=[SupportKind.COUNSELLING],
    ... )
    >>> service = imported.services[0]
    >>> service.id, [area.name for area in service.coverage], str(service.eligibility.age)
    (ServiceId('svc-b9d4b5b4-0c4e-4a3c-9d0e-2f6f6f1d2b1a'), ['Camden'], '12+')
    """
    reader = _Reader(
        _stated(areas, Area, "areas"),
        _stated(contexts, AbuseContext, "contexts"),
        _stated(support, SupportKind, "support"),
        _stated(groups, SurvivorGroup, "groups"),
    )
    for path, raw in _service_documents(document):
        reader.read(path, raw)
    reader.refuse_if_wrong()
    return Imported(
        organisations=tuple(reader.organisations.values()),
        services=tuple(reader.services),
        reporting_routes=tuple(reader.routes),
        notes=tuple(reader.notes),
    )
