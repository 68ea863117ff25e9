"""What an importer read from another standard's file."""

from __future__ import annotations

import re

import attrs

from cse_programme._errors import Problem, ValidationError
from cse_programme.model import (
    Claim,
    FundingPackage,
    Organisation,
    OrganisationId,
    Programme,
    ReportingRoute,
    Source,
    SupportService,
)


@attrs.frozen(kw_only=True)
class Imported:
    """The parts of a programme an importer read, and notes on what it left out.

    Every part is one the file states; *notes* say, in words that never repeat
    a value from the file, what the file held that the library did not carry
    over.

    >>> from cse_programme.interop import Imported
    >>> imported = Imported(notes=("/0: not carried over: email",))
    >>> imported.programme("Imported from services.json").services
    ()
    """

    organisations: tuple[Organisation, ...] = ()
    services: tuple[SupportService, ...] = ()
    reporting_routes: tuple[ReportingRoute, ...] = ()
    funding_packages: tuple[FundingPackage, ...] = ()
    sources: tuple[Source, ...] = ()
    claims: tuple[Claim, ...] = ()
    notes: tuple[str, ...] = ()

    def programme(self, name: str) -> Programme:
        """A programme named *name* holding everything that was imported."""
        return Programme(
            name=name,
            organisations=self.organisations,
            services=self.services,
            reporting_routes=self.reporting_routes,
            funding_packages=self.funding_packages,
            sources=self.sources,
            claims=self.claims,
        )


def slug(text: str) -> str:
    """Lower-case words of *text* joined by hyphens, for building identifiers.

    >>> from cse_programme.interop._imported import slug
    >>> slug("Community Counselling (MyCity)")
    'community-counselling-mycity'
    """
    words: list[str] = []
    for word in re.findall(r"[a-z0-9]+", text.lower()):
        if len("-".join([*words, word])) > 60:
            break
        words.append(word)
    return "-".join(words) or "unnamed"


class Reading:
    """What an importer has found so far: problems, notes and the organisations named.

    Every problem is kept, so that a file is refused once with all of them.
    """

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self.organisations: dict[OrganisationId, Organisation] = {}

    def problem(self, path: str, message: str, code: str) -> None:
        """Record a problem at *path* in the file."""
        self.problems.append(Problem(path, message, code))

    def note(self, path: str, text: str) -> str:
        """Say what was left out or worked out, at its path (never repeating a value).

        Returns the note as recorded, so that one a later document makes untrue can be
        taken back.
        """
        said = f"{path or '(root)'}: {text}"
        self.notes.append(said)
        return said

    def refuse_if_wrong(self) -> None:
        """Raise every problem found, if there is any."""
        if self.problems:
            raise ValidationError(self.problems)
