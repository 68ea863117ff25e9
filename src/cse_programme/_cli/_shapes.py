"""What an input file holds, told from its first lines, so a command can say what it wanted.

A command given the wrong kind of file (case records for a report, a
programme for the funnel) says so in one line instead of listing every
problem the wrong file has.  The file is only looked at: its problems are
still found, and reported, by the reader the command uses.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import IO, Any, Final, Literal

import attrs

from cse_programme._errors import ValidationError
from cse_programme._serialisation import KINDS, MAX_LINE_BYTES, parse

#: The first lines looked at: the first that is not blank, and the one after it.
_LINES_LOOKED_AT: Final = 2
_BRACKETS: Final = frozenset({b"{", b"["})

Form = Literal["document", "jsonl", "json"]


@attrs.frozen
class Holds:
    """What a file holds: a document, JSON Lines or other JSON, and of which kind.

    >>> from cse_programme._cli import Holds
    >>> str(Holds("document", "programme")), str(Holds("jsonl", "case_review"))
    ('a programme document', 'JSON Lines of case_review records')
    >>> str(Holds("json", None))
    'JSON that is not a cse-programme document'
    """

    form: Form
    kind: str | None

    def __str__(self) -> str:
        if self.form == "document":
            return f"a {self.kind} document" if self.kind else "one JSON document on many lines"
        if self.form == "jsonl":
            return f"JSON Lines of {self.kind} records" if self.kind else "JSON Lines"
        return (
            "a JSON Schema"
            if self.kind == "schema"
            else "JSON that is not a cse-programme document"
        )


def _kind(value: Any) -> str | None:
    kind = value.get("kind") if isinstance(value, dict) else None
    return kind if isinstance(kind, str) and kind in KINDS else None


def _parsed(line: bytes | None) -> Any:
    """The JSON value of one line, or ``None`` when it holds none."""
    if line is None:
        return None
    try:
        return parse(line)
    except ValidationError:
        return None


def of_lines(first: bytes | None, second: bytes | None) -> Holds | None:
    """What a file holds, by its first two lines that are not blank; ``None`` when unclear.

    >>> from cse_programme._cli._shapes import of_lines
    >>> of_lines(b'{"kind": "case_review", "schema_version": 2}', b'{"reference": "x"}')
    Holds(form='jsonl', kind='case_review')
    >>> of_lines(b"{", b'  "kind": "programme",')
    Holds(form='document', kind='programme')
    >>> of_lines(b'{"kind": "source", "schema_version": 2, "data": {}}', None)
    Holds(form='document', kind='source')
    """
    if first is not None and first.strip() in _BRACKETS:
        # No line of JSON Lines is a lone bracket: this is one document over
        # many lines.  A document written by this library names its kind next.
        named = _parsed(b"{" + (second or b"").strip().rstrip(b",") + b"}")
        return Holds("document", _kind(named))
    value = _parsed(first)
    if not isinstance(value, dict):
        return None if value is None or second is None else Holds("jsonl", None)
    kind = _kind(value)
    if set(value) == {"kind", "schema_version"}:
        return Holds("jsonl", kind)
    if kind is not None and "data" in value:
        return Holds("document" if second is None else "jsonl", kind)
    return Holds("jsonl", None)


def _first_lines(stream: IO[bytes]) -> Iterator[bytes | None]:
    """The lines of *stream* that are not blank, ``None`` for one over the line limit."""
    while True:
        line = stream.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_LINE_BYTES:
            yield None
            return
        if line.strip():
            yield line


def of_value(value: Any) -> Holds | None:
    """What a file holds by the JSON value in it; ``None`` for a document of no known kind.

    >>> from cse_programme._cli import of_value
    >>> of_value({"kind": "programme", "schema_version": 2, "data": {}})
    Holds(form='document', kind='programme')
    >>> of_value({"$schema": "https://json-schema.org/draft/2020-12/schema"})
    Holds(form='json', kind='schema')
    >>> of_value({"grants": []})
    Holds(form='json', kind=None)
    """
    if isinstance(value, dict) and "$schema" in value:
        return Holds("json", "schema")
    if isinstance(value, dict) and ("kind" in value or "data" in value):
        kind = _kind(value)
        return None if kind is None else Holds("document", kind)
    return Holds("json", None)


def of_document(raw: bytes) -> Holds | None:
    """What the bytes of a file meant to be one document hold; ``None`` when unclear.

    >>> from cse_programme._cli import of_document
    >>> of_document(b'{"kind": "case_review", "schema_version": 2}\\n{"reference": "x"}\\n')
    Holds(form='jsonl', kind='case_review')
    >>> of_document(b"[1, 2")
    """
    try:
        value = parse(raw)
    except ValidationError:
        lines = _first_lines(io.BytesIO(raw))
        return of_lines(next(lines, None), next(lines, None))
    return of_value(value)


class _Replayed(io.RawIOBase):
    """A stream whose first bytes were taken already: they come again, then the rest."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def peek(stream: IO[bytes]) -> tuple[Holds | None, IO[bytes]]:
    """What *stream* holds, and a stream that reads it again from where it was.

    A file is read again by seeking; a pipe through what was taken, which is
    at most two lines within the line limit.
    """
    seekable = stream.seekable()
    start = stream.tell() if seekable else 0
    taken = bytearray()
    lines: list[bytes | None] = []
    while len(lines) < _LINES_LOOKED_AT and len(taken) <= MAX_LINE_BYTES:
        line = stream.readline(MAX_LINE_BYTES + 1)
        if not line:
            break
        taken += line
        if len(line) > MAX_LINE_BYTES:
            lines.append(None)
            break
        if line.strip():
            lines.append(line)
    holds = of_lines(*lines, *[None] * (_LINES_LOOKED_AT - len(lines)))
    if seekable:
        stream.seek(start)
        return holds, stream
    return holds, io.BufferedReader(_Replayed(bytes(taken), stream))
