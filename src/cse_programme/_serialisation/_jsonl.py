"""JSON Lines: records one per line, read and written in constant memory.

A file is made of sections.  Each starts with a header line naming the kind
and schema version of the records after it, up to the next header::

    {"kind": "case_review", "schema_version": 2}
    {"reference": "case-...", ...}

Each record line holds one record's data, as a document's ``"data"`` does,
without the envelope.  A file of case records has one section; a programme's
export has one for each kind of record it holds.

Two more shapes are read, so that every file earlier releases wrote still
reads: records before any header are taken to be of the kind asked for, at
the current version; and a line holding a whole document (``kind``,
``schema_version`` and ``data``) is one record of its own kind and version.

Blank lines are skipped, before a header too.  No line is read whole before
its length is known: a line longer than :data:`MAX_LINE_BYTES` is an error
(even a blank one), and reading goes on after it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from itertools import groupby, islice
from typing import IO, Any, Final, Protocol, TypeVar, overload

from cse_programme._errors import Problem, ValidationError
from cse_programme._serialisation._converter import CONVERTER
from cse_programme._serialisation._documents import (
    KINDS,
    SCHEMA_VERSION,
    kind_of,
    migrate,
    open_envelope,
)
from cse_programme._serialisation._fast import COMPILER, Slow
from cse_programme._serialisation._files import safe_writer
from cse_programme._serialisation._json import encode, native_writers, parse_line
from cse_programme.model import CaseReview

T = TypeVar("T")

#: The longest line the reader accepts, in bytes, its line break included.
MAX_LINE_BYTES = 16 * 1024 * 1024

_HEADER_KEYS: Final = frozenset({"kind", "schema_version"})
_DOCUMENT_KEYS: Final = frozenset({"kind", "schema_version", "data"})


class ErrorSink(Protocol):
    """Where a reader puts the error of each bad line: a list, or a sink that counts."""

    def append(self, error: ValidationError, /) -> None: ...


def line_too_long() -> ValidationError:
    return ValidationError.single("", f"is longer than {MAX_LINE_BYTES} bytes", "too_large")


#: A line of a file by its number: its bytes, or ``None`` when it is over the limit.
NumberedLine = tuple[int, bytes | None]


def numbered_lines(stream: IO[bytes]) -> Iterator[NumberedLine]:
    """Each line of *stream* that is not blank, with its number, never holding a long one.

    A line over :data:`MAX_LINE_BYTES` comes as ``None``, blank or not, and
    is skipped no more than that many bytes at a time.
    """
    number = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES:
            while raw and not raw.endswith(b"\n"):
                raw = stream.readline(MAX_LINE_BYTES + 1)
            yield number, None
        elif not raw.isspace():
            yield number, raw


def _shape(value: Any) -> frozenset[str] | None:
    """The keys of a line that may be a header or a whole document; ``None`` for a record."""
    if type(value) is dict and len(value) <= len(_DOCUMENT_KEYS) and "schema_version" in value:
        keys = frozenset(value)
        if keys in (_HEADER_KEYS, _DOCUMENT_KEYS):
            return keys
    return None


def _kind_wanted(kind: Any, cls: type) -> type:
    """The class of records of *kind*, if they are records of *cls*; else the error."""
    found = KINDS.get(kind) if type(kind) is str else None
    if found is not None and issubclass(found, cls):
        return found
    # As in a document: a kind the library does not know is unknown, whatever
    # was asked for; a known kind that is not what was asked for is wrong.
    if found is None:
        message, code = f"must be one of {', '.join(map(repr, KINDS))}", "unknown_kind"
    else:
        message, code = f"must be {kind_of(cls)!r} in this file", "wrong_kind"
    raise ValidationError.single("/kind", message, code)


class _Section:
    """The kind and version of the records under the latest header, if it could be read."""

    def __init__(self, cls: type) -> None:
        # Records before any header are of the kind asked for, at the current
        # version; asked for any kind, they are case records, which files
        # without a header have always held.
        self._set(CaseReview if cls is object else cls, SCHEMA_VERSION)
        self.readable = True

    def _set(self, cls: type, version: int) -> None:
        self.cls, self.kind, self.version = cls, kind_of(cls), version
        self.structure = CONVERTER.get_structure_hook(cls)
        self.fast = COMPILER.structure_fn(cls)

    def start(self, header: dict[str, Any], wanted: type) -> None:
        """Begin a section; if its header is wrong, skip its records and raise why."""
        self.readable = False
        problems: list[Problem] = []
        try:
            cls = _kind_wanted(header["kind"], wanted)
        except ValidationError as error:
            problems += error.problems
        version = header["schema_version"]
        if type(version) is not int or not 1 <= version <= SCHEMA_VERSION:
            problems.append(
                Problem(
                    "/schema_version",
                    f"must be a version this release reads (1 to {SCHEMA_VERSION})",
                    "version",
                )
            )
        if problems:
            raise ValidationError(problems)  # the reader places it on its line
        self._set(cls, version)
        self.readable = True

    def record(self, value: Any) -> Any:
        """The record *value* holds, migrated forward and structured."""
        if self.version != SCHEMA_VERSION:
            value = migrate(self.kind, self.version, value)
        try:
            return self.fast(value)
        except Slow:  # the converter says what is wrong
            return self.structure(value, self.cls)


def _document(value: dict[str, Any], wanted: type) -> Any:
    """The record in a whole document on one line, as ``export --to jsonl`` once wrote."""
    kind, data = open_envelope(value)
    cls = _kind_wanted(kind, wanted)
    try:
        return CONVERTER.structure(data, cls)
    except ValidationError as error:
        raise error.under("data") from None


def read_jsonl(stream: IO[bytes], cls: type[T], errors: ErrorSink | None) -> Iterator[T]:
    """The records of *cls* (``object``: of any kind) in a JSON Lines *stream*.

    This is :func:`iter_jsonl` on an open binary stream, with *errors* any
    object with an ``append`` method, such as one that counts them.
    """
    section = _Section(cls)
    for number, raw in numbered_lines(stream):
        try:
            if raw is None:
                raise line_too_long()
            value = parse_line(raw)
            shape = _shape(value)
            if shape == _HEADER_KEYS:
                section.start(value, cls)
                continue
            if shape is not None:
                record = _document(value, cls)
            elif section.readable:
                record = section.record(value)
            else:
                continue  # under a header that could not be read
        except ValidationError as error:
            located = error.at_line(number)
            if errors is None:
                raise located from None
            errors.append(located)
            continue
        yield record


Source = str | os.PathLike[str] | IO[bytes]


@overload
def iter_jsonl(
    source: Source, *, errors: list[ValidationError] | None = ...
) -> Iterator[CaseReview]: ...
@overload
def iter_jsonl(
    source: Source, cls: type[T], *, errors: list[ValidationError] | None = ...
) -> Iterator[T]: ...
def iter_jsonl(
    source: Source,
    cls: type[Any] = CaseReview,
    *,
    errors: list[ValidationError] | None = None,
) -> Iterator[Any]:
    """Read the records of *cls* from a JSON Lines file, one at a time.

    The file's header lines say the kind and schema version of the records
    after them (see :doc:`/reference/jsonl`); records of an older version
    are migrated forward.  With ``cls=object`` the records of every kind are
    read, as in a programme's export.  A header naming a kind that is not a
    *cls* is an error, and the records under it are skipped.

    A bad line raises :class:`ValidationError` with its line number, unless
    *errors* is given: then each bad line's error is appended to it and
    reading goes on with the next line.  No line is read whole before its
    length is known: one longer than 16 MiB is an error, even a blank one, so
    memory stays bounded whatever the file holds.  Blank lines are skipped.

    >>> import io
    >>> from cse_programme import iter_jsonl
    >>> lines = io.BytesIO(b'\\n{"kind": "case_review", "schema_version": 2}\\n{"suspects": -1}\\n')
    >>> found = []
    >>> list(iter_jsonl(lines, errors=found))
    []
    >>> print(found[0].problems[0])
    line 3: /reference: is required [missing]
    """
    with ExitStack() as stack:
        if isinstance(source, str | os.PathLike):
            stream: IO[bytes] = stack.enter_context(open(source, "rb"))
        else:
            stream = source
        yield from read_jsonl(stream, cls, errors)


def write_jsonl(records: Iterable[Any], target: str | os.PathLike[str] | IO[bytes]) -> int:
    """Write *records* as JSON Lines; return how many.

    Each run of records of one document kind is preceded by a header line
    naming that kind and the schema version written, so a file of case
    records has one header and a programme's records one for each kind.  A
    path is written by :func:`~cse_programme.dump`'s rules: a regular file
    through a temporary file renamed into place, so a reader never sees half
    a file.

    >>> import io
    >>> from cse_programme import iter_jsonl, write_jsonl
    >>> from cse_programme.datasets import london_2025
    >>> london = london_2025()
    >>> buffer = io.BytesIO()
    >>> write_jsonl([*london.organisations[:2], london.sources[0]], buffer)
    3
    >>> for line in buffer.getvalue().splitlines():
    ...     print(line[:50].decode())
    {"kind":"organisation","schema_version":2}
    {"id":"GB-LAE-GLA","name":"Mayor of London (Greate
    {"id":"org-mopac","name":"Mayor's Office for Polic
    {"kind":"source","schema_version":2}
    {"id":"src-mayor-press-release-2025-11","title":"N
    >>> _ = buffer.seek(0)
    >>> [type(record).__name__ for record in iter_jsonl(buffer, object)]
    ['Organisation', 'Organisation', 'Source']
    """
    if isinstance(target, str | os.PathLike):
        with safe_writer(target) as stream:
            return write_jsonl(records, stream)
    count = 0
    kind: str | None = None
    for cls, run in groupby(records, type):
        if kind_of(cls) != kind:
            kind = kind_of(cls)
            target.write(encode({"kind": kind, "schema_version": SCHEMA_VERSION}) + b"\n")
        lines = _lines_of(cls)
        while batch := list(islice(run, _BATCH)):
            target.write(lines(batch))
            count += len(batch)
    return count


#: How many records are written at once: few enough to keep memory flat.
_BATCH = 512


def _lines_of(cls: type) -> Callable[[list[Any]], bytes]:
    """How records of *cls* are written as lines, a batch at a time, joined once.

    Without orjson (the ``fast`` extra) each record's JSON text is written
    directly by a compiled function.  With it, orjson encodes each record's
    values, with days and timestamps handed over as they are; a batch it
    cannot write is written the first way.  The bytes are the same.
    """

    def standard(batch: list[Any]) -> bytes:
        # Compiled on first use: with orjson, only a batch it refuses needs it.
        text = COMPILER.text_fn(cls)
        return "".join([text(record) + "\n" for record in batch]).encode("utf-8")

    native = native_writers()
    if native is None:
        return standard
    values, lines = COMPILER.native_fn(cls), native[1]

    def fast(batch: list[Any]) -> bytes:
        written = lines(values, batch)
        return standard(batch) if written is None else written

    return fast
