"""Documents: the versioned envelope around every object the library saves.

A document says what it holds and which schema version wrote it::

    {"kind": "programme", "schema_version": 2, "data": {...}}

Loading a document written by an older version runs it forward through the
registered migrations, one version at a time, before it is structured.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import IO, Any, Final, TypeVar, overload

from cse_programme._errors import Problem, ValidationError, key_token
from cse_programme._serialisation._converter import CONVERTER
from cse_programme._serialisation._files import safe_writer
from cse_programme._serialisation._json import MAX_DOCUMENT_BYTES, encode, parse, read_limited
from cse_programme.model import (
    CaseReview,
    Claim,
    FundingPackage,
    Indicator,
    Organisation,
    Outcome,
    OutcomeMeasure,
    OutcomePolicy,
    Programme,
    ReviewProgramme,
    Source,
    SupportService,
)

#: The version of the document schema this release writes.
SCHEMA_VERSION: Final = 2

#: Every kind of document, by the name it carries in ``"kind"``.
KINDS: Final[Mapping[str, type]] = {
    "programme": Programme,
    "organisation": Organisation,
    "support_service": SupportService,
    "funding_package": FundingPackage,
    "review_programme": ReviewProgramme,
    "case_review": CaseReview,
    "outcome": Outcome,
    "outcome_policy": OutcomePolicy,
    "outcome_measure": OutcomeMeasure,
    "indicator": Indicator,
    "source": Source,
    "claim": Claim,
}
_KIND_OF: Final = {cls: kind for kind, cls in KINDS.items()}

Migration = Callable[[dict[str, Any]], dict[str, Any]]
#: Steps that turn the ``data`` of (kind, version) into that of version + 1.
MIGRATIONS: dict[tuple[str, int], Migration] = {}

T = TypeVar("T")
PathLike = str | os.PathLike[str]


def migration(kind: str, from_version: int) -> Callable[[Migration], Migration]:
    """Register a step that moves *kind* documents from *from_version* to the next."""

    def register(step: Migration) -> Migration:
        MIGRATIONS[(kind, from_version)] = step
        return step

    return register


def _version_1_reads_as_version_2(data: Any) -> Any:
    # Version 2 added only fields with defaults (reporting routes, the claims
    # and sources records cite, qualifiers, dates and contexts of claims, the
    # occasion of reported words), so a version 1 document is already valid.
    return data


for _kind in KINDS:
    migration(_kind, 1)(_version_1_reads_as_version_2)


def kind_of(cls: type) -> str:
    """The document kind for a class, or :class:`TypeError` for one that has none."""
    try:
        return _KIND_OF[cls]
    except KeyError:
        known = ", ".join(c.__name__ for c in _KIND_OF)
        raise TypeError(f"{cls.__name__} is not a document type; use one of {known}") from None


def to_document(obj: object) -> dict[str, Any]:
    """The envelope for *obj*, as JSON-ready Python values."""
    kind = kind_of(type(obj))
    return {"kind": kind, "schema_version": SCHEMA_VERSION, "data": CONVERTER.unstructure(obj)}


def migrate(kind: str, version: int, data: Any) -> Any:
    """Run *data* of a *kind* document at *version* forward to the current version."""
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get((kind, version))
        if step is None:
            raise ValidationError.single(
                "/schema_version",
                f"no migration from version {version} of {kind!r} documents is known",
                "no_migration",
            )
        data = step(data)
        version += 1
    return data


def open_envelope(document: Any, expected: str | None = None) -> tuple[str, Any]:
    """Check the envelope, migrate the data forward, and return (kind, data)."""
    if type(document) is not dict:
        raise ValidationError.single(
            "", "must be a document: an object with kind, schema_version and data", "envelope"
        )
    problems: list[Problem] = []
    for key in sorted(set(document) - {"kind", "schema_version", "data"}):
        problems.append(
            Problem("", "is not part of a document", "unknown_key").under(key_token(key))
        )
    kind, version = document.get("kind"), document.get("schema_version")
    if "data" not in document:
        problems.append(Problem("/data", "is required", "missing"))
    if type(kind) is not str or kind not in KINDS:
        problems.append(
            Problem("/kind", f"must be one of {', '.join(map(repr, KINDS))}", "unknown_kind")
        )
    elif expected is not None and kind != expected:
        problems.append(Problem("/kind", f"must be {expected!r} here", "wrong_kind"))
    if type(version) is not int or version < 1:
        problems.append(Problem("/schema_version", "must be a whole number from 1", "version"))
    elif version > SCHEMA_VERSION:
        problems.append(
            Problem(
                "/schema_version",
                f"is newer than this release reads (up to {SCHEMA_VERSION}): upgrade cse-programme",
                "newer_version",
            )
        )
    if problems:
        raise ValidationError(problems)
    assert isinstance(kind, str)
    assert isinstance(version, int)
    return kind, migrate(kind, version, document["data"])


def from_document(document: Any, cls: type[T] | None = None) -> T:
    """Structure an envelope (JSON-ready values) into a domain object."""
    kind, data = open_envelope(document, None if cls is None else kind_of(cls))
    target: type[T] = KINDS[kind]
    return structure(data, target, "data")


def structure(data: Any, cls: type[T], *where: str | int) -> T:
    """Structure bare data (no envelope) into *cls*; problems carry *where* as path prefix.

    Only a :class:`ValidationError`, for what is wrong with *data*, is
    caught; any other exception is a fault and goes through unchanged.
    """
    try:
        return CONVERTER.structure(data, cls)
    except ValidationError as error:
        raise error.under(*where) from None


def to_data(obj: object) -> Any:
    """*obj* as plain JSON values: what a document of it holds under ``"data"``.

    *obj* is of a document kind (see :data:`KINDS`), as for :func:`dumps`.
    The result is made of dicts, lists, strings, integers, booleans and
    ``None`` alone, equal to what reading the JSON text back gives, so it can
    be embedded in a larger JSON value or compared with one.

    >>> from cse_programme import from_data, to_data
    >>> from cse_programme.datasets import london_2025
    >>> package = london_2025().funding_packages[1]
    >>> data = to_data(package)
    >>> data["total"], data["total_kind"]
    ('2400000.00', 'exact')
    >>> from_data(data, type(package)) == package
    True
    """
    kind_of(type(obj))
    return parse(encode(CONVERTER.unstructure(obj)))


def from_data(data: Any, cls: type[T]) -> T:
    """Build a *cls* from plain JSON values, as strictly as a document is read.

    *cls* is a document kind (see :data:`KINDS`), and *data* what
    :func:`to_data` gives, at the schema version this release writes: a
    document's ``"data"`` without its envelope.  Every problem is
    raised together as one :class:`~cse_programme.ValidationError`, each with
    its path.

    >>> from cse_programme import Source, from_data
    >>> source = from_data({"id": "src-example", "title": "An example", "publisher": "Ex"}, Source)
    >>> source.id, source.published
    (SourceId('src-example'), None)
    >>> from_data({"id": "src-example", "title": 7}, Source)
    Traceback (most recent call last):
    ...
    cse_programme._errors.ValidationError: 2 problems:
      /title: must be a string, not an integer [type]
      /publisher: is required [missing]
    """
    kind_of(cls)
    return structure(data, cls)


def dumps(obj: object, *, indent: int | None = None) -> bytes:
    """Write a domain object as a JSON document (UTF-8 bytes).

    >>> from cse_programme import Money, PartialDate, Source, SourceId, dumps
    >>> data = dumps(Money.of(5), indent=None)
    Traceback (most recent call last):
    ...
    TypeError: Money is not a document type; use one of Programme, Organisation, ...
    >>> source = Source(
    ...     id=SourceId("src-example"), title="An example", publisher="Example",
    ...     published=PartialDate(2025),
    ... )
    >>> dumps(source)[:60]
    b'{"kind":"source","schema_version":2,"data":{"id":"src-exampl'
    """
    return encode(to_document(obj), indent=indent)


@overload
def loads(data: bytes | str, cls: type[T], *, limit: int = ...) -> T: ...
@overload
def loads(data: bytes | str, cls: None = None, *, limit: int = ...) -> Any: ...
def loads(data: bytes | str, cls: type[T] | None = None, *, limit: int = MAX_DOCUMENT_BYTES) -> Any:
    """Read a JSON document into the domain object it holds.

    With *cls*, the document must be of that kind.  Every problem is raised
    together as one :class:`ValidationError`.

    >>> from cse_programme import loads
    >>> loads(b'{"kind": "source", "schema_version": 1, "data": {"id": 7}}')
    Traceback (most recent call last):
    ...
    cse_programme._errors.ValidationError: 3 problems:
      /data/id: must be a string, not an integer [type]
      /data/title: is required [missing]
      /data/publisher: is required [missing]
    """
    return from_document(parse(data, limit=limit), cls)


def dump(obj: object, target: PathLike | IO[bytes], *, indent: int | None = 2) -> None:
    """Write a domain object as a JSON document to a path or a binary file.

    A path that names a regular file, or nothing yet, is written to a
    temporary file beside it (created exclusively, readable by its owner
    only), synced, and renamed into place: readers see the old document or
    the new one, never half of one, and the file keeps its permissions.  A
    symbolic link is followed and stays a link; a FIFO or a device is written
    directly.  On any failure :class:`OSError` is raised and the file is left
    as it was.

    >>> import json
    >>> import tempfile
    >>> from pathlib import Path
    >>> from cse_programme import Programme, dump, load
    >>> from cse_programme.datasets import london_2025
    >>> folder = tempfile.TemporaryDirectory()
    >>> path = Path(folder.name) / "london.json"
    >>> dump(london_2025(), path)
    >>> json.loads(path.read_bytes())["kind"]
    'programme'
    >>> load(path, Programme) == london_2025()
    True
    >>> folder.cleanup()
    """
    payload = dumps(obj, indent=indent)
    if isinstance(target, str | os.PathLike):
        with safe_writer(target) as stream:
            stream.write(payload)
    else:
        target.write(payload)


@overload
def load(source: PathLike | IO[bytes], cls: type[T], *, limit: int = ...) -> T: ...
@overload
def load(source: PathLike | IO[bytes], cls: None = None, *, limit: int = ...) -> Any: ...
def load(
    source: PathLike | IO[bytes], cls: type[T] | None = None, *, limit: int = MAX_DOCUMENT_BYTES
) -> Any:
    """Read a JSON document from a path or a binary file.

    A file over *limit* bytes is refused before it is read (a regular file)
    or as soon as the limit is passed (a pipe).  With *cls*, a document of
    another kind is refused.

    >>> import io
    >>> from cse_programme import Programme, Source, dumps, load
    >>> from cse_programme.datasets import london_2025
    >>> london = load(io.BytesIO(dumps(london_2025())), Programme)
    >>> london.name[:27]
    'London programme of support'
    >>> load(io.BytesIO(dumps(london)), Source)
    Traceback (most recent call last):
    ...
    cse_programme._errors.ValidationError: 1 problem:
      /kind: must be 'source' here [wrong_kind]
    """
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as stream:
            raw = read_limited(stream, limit)
    else:
        raw = read_limited(source, limit)
    return loads(raw, cls, limit=limit)
