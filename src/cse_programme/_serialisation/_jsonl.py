"""JSON Lines: case records one per line, read and written in constant memory.

A file may start with a header line naming the kind and schema version of
its records, ``{"kind": "case_review", "schema_version": 1}``; the writer
always writes one.  Each further line holds one record's data, without an
envelope.  Blank lines are skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from typing import IO, Any, TypeVar, overload

from cse_programme._errors import Problem, ValidationError
from cse_programme._serialisation._converter import CONVERTER, problems_of
from cse_programme._serialisation._documents import SCHEMA_VERSION, kind_of, migrate
from cse_programme._serialisation._files import atomic_writer
from cse_programme._serialisation._json import encode, parse
from cse_programme.model import CaseReview

T = TypeVar("T")

#: The longest line the reader accepts, in bytes.
MAX_LINE_BYTES = 16 * 1024 * 1024


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
    reading goes on with the next line.

    >>> import io
    >>> lines = io.BytesIO(b'{"kind": "case_review", "schema_version": 1}\\n{"suspects": -1}\\n')
    >>> found = []
    >>> list(iter_jsonl(lines, errors=found))
    []
    >>> print(found[0].problems[0])
    line 2: /reference: is required [missing]
    """
    expected = kind_of(cls)
    structure = CONVERTER.get_structure_hook(cls)
    with ExitStack() as stack:
        if isinstance(source, str | os.PathLike):
            stream: IO[bytes] = stack.enter_context(open(source, "rb"))
        else:
            stream = source
        version = SCHEMA_VERSION
        for number, raw in enumerate(stream, start=1):
            if not raw.strip():
                continue
            try:
                if len(raw) > MAX_LINE_BYTES:
                    raise ValidationError.single(
                        "", f"is longer than {MAX_LINE_BYTES} bytes", "too_large"
                    )
                value = parse(raw)
                header = _header_of(value) if number == 1 else None
                if header is not None:
                    version = _check_header(*header, expected)
                    continue
                data = migrate(expected, version, value)
                try:
                    yield structure(data, cls)
                except Exception as exc:  # every failure becomes a Problem
                    raise ValidationError(problems_of(exc)) from None
            except ValidationError as error:
                located = error.at_line(number)
                if errors is None:
                    raise located from None
                errors.append(located)


def write_jsonl(records: Iterable[Any], target: str | os.PathLike[str] | IO[bytes]) -> int:
    """Write *records* (all of one document kind) as JSON Lines; return how many.

    A path is written through a temporary file and renamed into place, so a
    reader never sees half a file.  The header line names the kind of the
    first record; every record must be of that kind.
    """
    if isinstance(target, str | os.PathLike):
        with atomic_writer(target) as stream:
            return write_jsonl(records, stream)
    count = 0
    kind: str | None = None
    for record in records:
        record_kind = kind_of(type(record))
        if kind is None:
            kind = record_kind
            target.write(encode({"kind": kind, "schema_version": SCHEMA_VERSION}) + b"\n")
        elif record_kind != kind:
            raise TypeError(
                f"a JSON Lines file holds one kind of record: {kind}, not {record_kind}"
            )
        target.write(encode(CONVERTER.unstructure(record)) + b"\n")
        count += 1
    return count
