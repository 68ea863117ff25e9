"""Serialisation: the converter, documents, JSON Lines and JSON Schema.

The names in ``__all__`` are public: :mod:`cse_programme` exports them, and
reads them from this list.  The names imported with ``as`` are this layer's
face towards the rest of the library (the command line and the products):
strict JSON text, bounded reading, safe writing and the JSON Lines reader that
counts its errors.  They are not public, and no module outside this package
imports the modules behind them.
"""

from cse_programme._serialisation._documents import (
    KINDS,
    SCHEMA_VERSION,
    dump,
    dumps,
    from_data,
    load,
    loads,
    to_data,
)
from cse_programme._serialisation._documents import kind_of as kind_of
from cse_programme._serialisation._files import safe_writer as safe_writer
from cse_programme._serialisation._json import encode as encode
from cse_programme._serialisation._json import parse as parse
from cse_programme._serialisation._json import read_limited as read_limited
from cse_programme._serialisation._jsonl import MAX_LINE_BYTES as MAX_LINE_BYTES
from cse_programme._serialisation._jsonl import ErrorSink as ErrorSink
from cse_programme._serialisation._jsonl import iter_jsonl, write_jsonl
from cse_programme._serialisation._jsonl import read_jsonl as read_jsonl
from cse_programme._serialisation._schema import json_schema

__all__ = [
    "KINDS",
    "SCHEMA_VERSION",
    "dump",
    "dumps",
    "from_data",
    "iter_jsonl",
    "json_schema",
    "load",
    "loads",
    "to_data",
    "write_jsonl",
]
