"""Serialisation: the converter, documents, JSON Lines and JSON Schema."""

from cse_programme._public import present_as_public
from cse_programme._serialisation._documents import (
    KINDS,
    SCHEMA_VERSION,
    dump,
    dumps,
    load,
    loads,
)
from cse_programme._serialisation._jsonl import iter_jsonl, write_jsonl
from cse_programme._serialisation._schema import json_schema

__all__ = [
    "KINDS",
    "SCHEMA_VERSION",
    "dump",
    "dumps",
    "iter_jsonl",
    "json_schema",
    "load",
    "loads",
    "write_jsonl",
]

present_as_public(globals(), __all__)
