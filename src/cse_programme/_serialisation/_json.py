"""Reading and writing JSON text safely.

Parsing is strict (:rfc:`8259`): ``NaN`` and ``Infinity`` are refused, a key
repeated in one object is an error instead of silently keeping the last
value, text holding a lone surrogate (half of a UTF-16 pair, which no UTF-8
file can hold) is refused wherever it is, and over-deep or over-large input
fails with the library's error.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Callable
from itertools import repeat
from typing import IO, Any, Final

from cse_programme._errors import Problem, ValidationError, key_token

#: The largest document, in bytes, that the loaders accept by default.
MAX_DOCUMENT_BYTES: Final = 256 * 1024 * 1024

_BOM: Final = b"\xef\xbb\xbf"


class _DuplicateKeyError(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKeyError(key)
            seen.add(key)
    return result


def _constant(name: str) -> Any:
    raise ValueError(name)


def _text_of(data: bytes | str, limit: int) -> str:
    if isinstance(data, str):
        if len(data) > limit:
            raise _too_large(limit)
        return data
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"expected bytes or str, not {type(data).__name__}")
    if len(data) > limit:
        raise _too_large(limit)
    raw = bytes(data)
    if raw.startswith(_BOM):
        raise ValidationError.single("", "must not start with a byte-order mark", "bom")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError.single(
            "", f"is not valid UTF-8 (at byte {exc.start})", "not_utf8"
        ) from None


def _too_large(limit: int) -> ValidationError:
    return ValidationError.single("", f"is larger than the limit of {limit} bytes", "too_large")


_DECODER: Final = json.JSONDecoder(object_pairs_hook=_object, parse_constant=_constant)
_SCAN: Final = _DECODER.scan_once  # type: ignore[attr-defined]
_WHITESPACE: Final = " \t\n\r"


def _decode(text: str) -> Any:
    """What ``_DECODER.decode`` gives, the usual text read by the scanner alone.

    Text that starts with a value and ends with nothing but whitespace (a
    line of a file) needs none of the decoder's Python steps around its
    scanner; anything else, and every error, goes through the decoder.
    """
    try:
        value, end = _SCAN(text, 0)
    except StopIteration:
        return _DECODER.decode(text)
    if end != len(text) and text[end:].strip(_WHITESPACE):
        return _DECODER.decode(text)
    return value


def parse(data: bytes | str, *, limit: int = MAX_DOCUMENT_BYTES) -> Any:
    """Parse one JSON text into Python values, or raise :class:`ValidationError`."""
    text = _text_of(data, limit)
    try:
        value = _decode(text)
    except _DuplicateKeyError as exc:
        raise ValidationError(
            [Problem("", f'repeats the key "{key_token(exc.key)}" in one object', "duplicate_key")]
        ) from None
    except json.JSONDecodeError as exc:
        raise ValidationError.single(
            "", f"is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", "json"
        ) from None
    except RecursionError:
        raise ValidationError.single("", "is nested too deeply", "too_deep") from None
    except ValueError as exc:
        # NaN and Infinity literals, and integers too long to read.
        reason = (
            "NaN and Infinity are not JSON" if str(exc) in _CONSTANTS else "a number is too long"
        )
        raise ValidationError.single("", f"is not valid JSON: {reason}", "json") from None
    # A lone surrogate reaches a string only through a \u escape (UTF-8 cannot
    # carry one) or in text given as str: only then is the value searched.
    if "\\u" in text or (type(data) is str and _SURROGATE.search(text)):
        _refuse_surrogates(value)
    return value


def parse_line(line: bytes) -> Any:
    """What :func:`parse` gives for *line*, a line of a file, in fewer steps.

    The usual line, UTF-8 text holding one JSON value and no ``\\u``
    escape, is decoded and scanned at once; any other line, and any line in
    error, goes to :func:`parse`, which gives its value or says what is wrong.

    >>> from cse_programme._serialisation._json import parse_line
    >>> parse_line(b'{"suspects": 2}\\n')
    {'suspects': 2}
    >>> parse_line(b'{"suspects": 2, "suspects": 3}\\n')
    Traceback (most recent call last):
    ...
    cse_programme._errors.ValidationError: 1 problem:
      (root): repeats the key "suspects" in one object [duplicate_key]
    """
    try:
        text = line.decode("utf-8")
        value, end = _SCAN(text, 0)
    except (ValueError, StopIteration, RecursionError, _DuplicateKeyError):
        # UnicodeDecodeError and JSONDecodeError are ValueErrors.
        return parse(line)
    # A byte-order mark needs no look: the scanner refuses the character it
    # decodes to, and so sends its line to parse.
    if "\\u" in text or text[end:].strip(_WHITESPACE):
        return parse(line)
    return value


_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def _refuse_surrogates(value: Any) -> None:
    """Refuse every string or key holding a lone surrogate, by its path."""
    problems: list[Problem] = []
    pending: list[tuple[str, Any]] = [("", value)]
    while pending:
        path, item = pending.pop()
        if type(item) is str:
            if _SURROGATE.search(item):
                problems.append(Problem(path, _LONE_SURROGATE, "surrogate"))
        elif type(item) is list:
            pending.extend((f"{path}/{index}", child) for index, child in enumerate(item))
        elif type(item) is dict:
            for key, child in item.items():
                if _SURROGATE.search(key):
                    problems.append(Problem(path, _KEY_SURROGATE, "surrogate"))
                else:
                    pending.append((f"{path}/{_pointer(key)}", child))
    if problems:
        raise ValidationError(sorted(problems, key=lambda problem: problem.path))


_SURROGATE_WORDS: Final = "a lone surrogate (half of a UTF-16 pair)"
_LONE_SURROGATE: Final = "must be text without " + _SURROGATE_WORDS
_KEY_SURROGATE: Final = "has a key holding " + _SURROGATE_WORDS


def _pointer(key: str) -> str:
    return key_token(key).replace("~", "~0").replace("/", "~1")


def read_limited(stream: IO[bytes], limit: int = MAX_DOCUMENT_BYTES) -> bytes:
    """All of *stream*, or :class:`ValidationError` as soon as it is over *limit* bytes.

    A regular file's size is checked before anything is read; a pipe or a
    terminal is read no further than one byte past the limit.

    >>> import io
    >>> from cse_programme._serialisation import read_limited
    >>> read_limited(io.BytesIO(b"[1, 2]"))
    b'[1, 2]'
    >>> read_limited(io.BytesIO(b"[1, 2]"), limit=4)
    Traceback (most recent call last):
    ...
    cse_programme._errors.ValidationError: 1 problem:
      (root): is larger than the limit of 4 bytes [too_large]
    """
    try:
        status = os.fstat(stream.fileno())
    except (AttributeError, OSError, ValueError):
        status = None  # an in-memory stream
    if status is not None and stat.S_ISREG(status.st_mode) and status.st_size > limit:
        raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        # A pipe may give fewer bytes than asked for before its end.
        chunk = stream.read(limit + 1 - size)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
    raise _too_large(limit)


_CONSTANTS: Final = frozenset({"NaN", "Infinity", "-Infinity"})


def _standard_writer() -> Callable[[Any], str]:
    """The standard library's compact encoder, made once and reused for every value.

    ``JSONEncoder.encode`` builds its C encoder afresh on every call; the
    values written here are trees of JSON-ready values, never cycles, so one
    C encoder without the cycle check serves every call.
    """
    encoder = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # an interpreter without the C accelerator
        return encoder.encode
    chunks = make(
        None, encoder.default, json.encoder.encode_basestring, None, ":", ",", False, False, False
    )
    return lambda value: "".join(chunks(value, 0))


_STANDARD: Final = _standard_writer()


#: orjson's writers (``fast`` extra): of a value, and of a batch of records as lines.
NativeWriters = tuple[
    Callable[[Any], bytes], Callable[[Callable[[Any], Any], list[Any]], bytes | None]
]


def _native_writers() -> NativeWriters | None:
    """orjson's writers, when it is installed (the ``fast`` extra).

    The first writes JSON-ready values, byte for byte as the standard
    library does; a value orjson cannot write (an integer beyond 64 bits) is
    written by the standard library instead, which says what is wrong with
    one that neither can write.

    The second writes a batch of values as lines, joined, or gives ``None``
    if orjson cannot write one of them.  Its values may hold days and
    timestamps as they are (see :attr:`WireType.native`): orjson writes them
    in the very text the standard path writes, ``Z`` for UTC.
    """
    try:
        import orjson  # optional, and only loaded when something is written
    except ImportError:
        return None
    native, refused = orjson.dumps, orjson.JSONEncodeError
    line = orjson.OPT_APPEND_NEWLINE | orjson.OPT_UTC_Z

    def write(value: Any) -> bytes:
        try:
            return native(value)
        except refused as error:
            _only_too_large(error)
            return _standard_bytes(value)

    def write_lines(values: Callable[[Any], Any], records: list[Any]) -> bytes | None:
        # Each record's values are written as soon as they are made, and freed:
        # a whole batch of them alive at once would have the garbage collector
        # walk them over and over while the batch is written.
        try:
            return b"".join(map(native, map(values, records), repeat(None), repeat(line)))
        except refused as error:
            _only_too_large(error)
            return None

    return write, write_lines


def _only_too_large(error: Exception) -> None:
    """Re-raise *error* unless it is orjson refusing an integer beyond 64 bits.

    orjson's error is Python's ``TypeError`` itself, so a mistake anywhere
    in a write would be caught with it; only the one refusal the standard
    library can answer is passed to it.
    """
    # Matched by its start, so that a detail a later orjson adds still passes.
    if not str(error).startswith("Integer exceeds 64-bit range"):
        raise error


class _Writers:
    """orjson's writers once looked for (``None`` when it is not installed)."""

    looked = False
    native: NativeWriters | None = None


def native_writers() -> NativeWriters | None:
    """orjson's writers of a value and of lines (``fast`` extra), or ``None`` without it.

    orjson is looked for on the first write, so that importing the library
    never loads it.
    """
    if not _Writers.looked:
        _Writers.native = _native_writers()
        _Writers.looked = True
    return _Writers.native


def _standard_bytes(value: Any) -> bytes:
    return _STANDARD(value).encode("utf-8")


def encode(value: Any, *, indent: int | None = None) -> bytes:
    """Write JSON-ready values as UTF-8 JSON text, keys in the model's field order.

    Compact text is written by orjson when the ``fast`` extra is installed,
    and by the standard library otherwise: the bytes are the same.
    """
    if indent is None:
        native = native_writers()
        return _standard_bytes(value) if native is None else native[0](value)
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, indent=indent)
    return text.encode("utf-8")
