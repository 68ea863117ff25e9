"""JSON Lines: case records one per line, read and written in constant memory.

A file may start with a header line naming the kind and schema version of
its records, ``{"kind": "case_review", "schema_version": 1}``; the writer
always writes one.  Each further line holds one record's data, without an
envelope.  Blank lines are skipped, before the header too.  No line is read
whole before its length is known: a line longer than :data:`MAX_LINE_BYTES`
is an error (even a blank one), and reading goes on after it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from typing import IO, Any, Protocol, TypeVar, overload

from cse_programme._errors import Problem, ValidationError
from cse_programme._serialisation._converter import CONVERTER
from cse_programme._serialisation._documents import SCHEMA_VERSION, kind_of, migrate
from cse_programme._serialisation._fast import COMPILER, Slow
from cse_programme._serialisation._files import safe_writer
from cse_programme._serialisation._json import encode, native_writers, parse
from cse_programme.model import CaseReview

T = TypeVar("T")

#: The longest line the reader accepts, in bytes, its line break included.
MAX_LINE_BYTES = 16 * 1024 * 1024


class ErrorSink(Protocol):
    """Where a reader puts the error of each bad line: a list, or a sink that counts."""

    def append(self, error: ValidationError, /) -> None: ...


def _header_of(value: Any) -> tuple[str, Any] | None:
    if type(value) is dict and set(value) == {"kind", "schema_version"}:
        return value["kind"], value["schema_version"]
    return None


def _check_header(kind: Any, version: Any, expected: str) -> int:
    problems = []
    if kind != expected:
        problems.append(Problem("/kind", f"must be {expected!r} in this file", "wrong_kind"))
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
    assert isinstance(version, int)
    return version


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


def read_records(
    lines: Iterable[NumberedLine], cls: type[Any], errors: ErrorSink | None
) -> Iterator[Any]:
    """The records of *cls* on *lines*, after an optional header on the first of them."""
    expected = kind_of(cls)
    structure = CONVERTER.get_structure_hook(cls)
    fast = COMPILER.structure_fn(cls)
    version = SCHEMA_VERSION
    first = True
    for number, raw in lines:
        try:
            if raw is None:
                raise line_too_long()
            value = parse(raw)
            header = _header_of(value) if first else None
            first = False
            if header is not None:
                version = _check_header(*header, expected)
                continue
            if version != SCHEMA_VERSION:
                value = migrate(expected, version, value)
            try:
                record = fast(value)
            except Slow:  # the converter says what is wrong
                record = structure(value, cls)
        except ValidationError as error:
            first = False
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
    """Read records of *cls* from a JSON Lines file, one at a time.

    A bad line raises :class:`ValidationError` with its line number, unless
    *errors* is given: then each bad line's error is appended to it and
    reading goes on with the next line.  No line is read whole before its
    length is known: one longer than 16 MiB is an error, even a blank one, so
    memory stays bounded whatever the file holds.  Blank lines are skipped,
    before the header too.

    >>> import io
    >>> lines = io.BytesIO(b'\\n{"kind": "case_review", "schema_version": 1}\\n{"suspects": -1}\\n')
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
        yield from read_records(numbered_lines(stream), cls, errors)


def write_jsonl(records: Iterable[Any], target: str | os.PathLike[str] | IO[bytes]) -> int:
    """Write *records* (all of one document kind) as JSON Lines; return how many.

    A path is written by :func:`~cse_programme.dump`'s rules: a regular file
    through a temporary file renamed into place, so a reader never sees half
    a file.  The header line names the kind of the first record; every record
    must be of that kind.
    """
    if isinstance(target, str | os.PathLike):
        with safe_writer(target) as stream:
            return write_jsonl(records, stream)
    count = 0
    kind: str | None = None
    cls: type | None = None
    batch: list[Any] = []
    for record in records:
        if type(record) is not cls:
            target.write(_lines_of(cls)(batch))
            batch.clear()
            cls = type(record)
            record_kind = kind_of(cls)
            if kind is None:
                kind = record_kind
                target.write(encode({"kind": kind, "schema_version": SCHEMA_VERSION}) + b"\n")
            elif record_kind != kind:
                raise TypeError(
                    f"a JSON Lines file holds one kind of record: {kind}, not {record_kind}"
                )
        batch.append(record)
        count += 1
        if len(batch) == _BATCH:
            target.write(_lines_of(cls)(batch))
            batch.clear()
    target.write(_lines_of(cls)(batch))
    return count


#: How many records are written at once: few enough to keep memory flat.
_BATCH = 512


def _lines_of(cls: type | None) -> Callable[[list[Any]], bytes]:
    """How records of *cls* are written as lines, a batch at a time, joined once.

    With orjson (the ``fast`` extra) each record's JSON values are encoded by
    it; without, each record's JSON text is written directly by a compiled
    function.  The bytes are the same.
    """
    if cls is None:
        return _nothing
    native = native_writers()
    if native is not None:
        unstructure, line = CONVERTER.get_unstructure_hook(cls), native[1]
        return lambda batch: b"".join([line(unstructure(record)) for record in batch])
    text = COMPILER.text_fn(cls)
    return lambda batch: "".join([text(record) + "\n" for record in batch]).encode("utf-8")


def _nothing(batch: list[Any]) -> bytes:
    return b""
