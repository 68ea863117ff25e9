"""Serialisation: the converter, documents, JSON Lines and JSON Schema."""

from cse_programme._serialisation._documents import (
    KINDS,
    SCHEMA_VERSION,
    dump,
    dumps,
    load,
    loads,
)

__all__ = ["KINDS", "SCHEMA_VERSION", "dump", "dumps", "load", "loads"]
