"""Typed identifiers.

Each identifier is a ``str`` subclass that checks its form when made, so a
service id can never stand where an organisation id belongs, in the type
checker or at run time, and the wire form stays a plain JSON string.
"""

from __future__ import annotations

import re
from typing import ClassVar, Final, Self

from cse_programme.model._rules import InstanceOf, Rule, a_or_an, fail, type_name

_SLUG: Final = r"[a-z0-9]+(?:-[a-z0-9]+)*"


class Identifier(str):
    """Base of the library's identifiers: text of a checked form."""

    __slots__ = ()

    pattern: ClassVar[str]
    rule: ClassVar[str]
    _compiled: ClassVar[re.Pattern[str]]

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        cls._compiled = re.compile(cls.pattern)

    def __new__(cls, value: str) -> Self:
        if type(value) is cls:
            return value
        if not isinstance(value, str):
            raise fail("", f"must be text, not {type_name(value)}", "type")
        if not cls._compiled.fullmatch(value):
            raise fail("", f"must be {cls.rule}", "identifier")
        return str.__new__(cls, value)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str.__repr__(self)})"


class OrganisationId(Identifier):
    """An organisation: an org-id.guide identifier or a local ``org-`` slug.

    Registered identifiers follow org-id.guide, such as ``GB-LAE-GLA`` for the
    Greater London Authority or ``GB-CHC-216401`` for a registered charity.
    An organisation without one takes a local slug such as
    ``org-metropolitan-police``.

    >>> from cse_programme import OrganisationId
    >>> OrganisationId("GB-LAE-GLA").registered
    True
    >>> OrganisationId("org-metropolitan-police").registered
    False
    >>> OrganisationId("Met Police")
    Traceback (most recent call last):
    ...
    cse_programme._errors.ValidationError: 1 problem:
      (root): must be an org-id such as GB-LAE-GLA, or a local id such as org-nspcc [identifier]
    """

    __slots__ = ()
    pattern = r"[A-Z]{2}-[A-Z0-9]{2,10}-[A-Za-z0-9][A-Za-z0-9._-]{0,60}|org-" + _SLUG
    rule = "an org-id such as GB-LAE-GLA, or a local id such as org-nspcc"

    @property
    def registered(self) -> bool:
        """Whether the id comes from an org-id.guide register."""
        return not self.startswith("org-")


def _prefixed(prefix: str, example: str) -> tuple[str, str]:
    return (
        f"{prefix}-{_SLUG}",
        f"'{prefix}-' and lower-case words joined by hyphens, such as {example}",
    )


class ServiceId(Identifier):
    """A support service, such as ``svc-lighthouse``.

    >>> from cse_programme import ServiceId
    >>> ServiceId("svc-lighthouse")
    ServiceId('svc-lighthouse')
    """

    __slots__ = ()
    pattern, rule = _prefixed("svc", "svc-lighthouse")


class FundingPackageId(Identifier):
    """A funding package, such as ``pkg-cse-support-2025``."""

    __slots__ = ()
    pattern, rule = _prefixed("pkg", "pkg-cse-support-2025")


class AllocationId(Identifier):
    """An allocation within a funding package, such as ``alloc-isvas``."""

    __slots__ = ()
    pattern, rule = _prefixed("alloc", "alloc-isvas")


class SourceId(Identifier):
    """A published source, such as ``src-mayor-press-release-2025-11``."""

    __slots__ = ()
    pattern, rule = _prefixed("src", "src-mayor-press-release-2025-11")


class ClaimId(Identifier):
    """A claim made in a source, such as ``claim-suspects-charged``."""

    __slots__ = ()
    pattern, rule = _prefixed("claim", "claim-suspects-charged")


class IndicatorId(Identifier):
    """A programme indicator, such as ``ind-officers-trained-cse``."""

    __slots__ = ()
    pattern, rule = _prefixed("ind", "ind-officers-trained-cse")


class MeasureId(Identifier):
    """An outcome measure, such as ``measure-suspects-charged``."""

    __slots__ = ()
    pattern, rule = _prefixed("measure", "measure-suspects-charged")


class ReviewId(Identifier):
    """A case review programme, such as ``review-met-historic-cse``."""

    __slots__ = ()
    pattern, rule = _prefixed("review", "review-met-historic-cse")


class RouteId(Identifier):
    """A way to report an offence or to seek help, such as ``route-crimestoppers``.

    >>> from cse_programme import RouteId
    >>> RouteId("route-crimestoppers")
    RouteId('route-crimestoppers')
    """

    __slots__ = ()
    pattern, rule = _prefixed("route", "route-crimestoppers")


#: Characters of the pseudonymous case token: lower-case RFC 4648 base32.
CASE_TOKEN_LENGTH: Final = 26


class CaseReference(Identifier):
    """A pseudonymous token standing for one case: ``case-`` and 26 base32 letters.

    A force's own crime reference number is never stored.  Tokens are made
    from it with a keyed hash that only the force holds, so the same case gets
    the same token in every file while the token reveals nothing.  Anything
    else, a crime reference number above all, is refused.

    >>> from cse_programme import CaseReference
    >>> CaseReference("case-" + "a" * 26)
    CaseReference('case-aaaaaaaaaaaaaaaaaaaaaaaaaa')
    >>> CaseReference("01/123456/25")
    Traceback (most recent call last):
    ...
    cse_programme._errors.ValidationError: 1 problem:
      (root): must be a pseudonymous token: 'case-' and 26 letters a-z or digits 2-7 [identifier]
    """

    __slots__ = ()
    pattern = f"case-[a-z2-7]{{{CASE_TOKEN_LENGTH}}}"
    rule = f"a pseudonymous token: 'case-' and {CASE_TOKEN_LENGTH} letters a-z or digits 2-7"


def is_id(kind: type[Identifier]) -> Rule:
    """The rule for a field holding an identifier of *kind*.

    Objects built in Python also take plain text of the right form, converted
    when the object is made (see ``_construction``); the field holds the type.
    """
    return InstanceOf(kind, a_or_an(kind.__name__))
