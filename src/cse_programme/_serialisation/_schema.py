"""JSON Schema (draft 2020-12) for every document kind, generated from the model.

The schema is read off the same attrs classes and field rules that the
loader enforces, so a new field or rule reaches the schema without a second
definition.  Rules that span several fields (a history's order, references
between parts of a programme) are checked by the loader only.
"""

from __future__ import annotations

import json
from typing import Any, Final, get_args, get_origin

import attrs

from cse_programme._serialisation._documents import KINDS, SCHEMA_VERSION, kind_of
from cse_programme._serialisation._wire import wire_type
from cse_programme.model._rules import Rule, without_none

DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"
BASE_URI: Final = "https://cse-programme.readthedocs.io/schemas/"


class _Builder:
    def __init__(self) -> None:
        self.definitions: dict[str, dict[str, Any]] = {}

    def of(self, kind: Any, rule: Rule | None = None) -> dict[str, Any]:
        inner = without_none(kind)
        if inner is not None:
            return {"anyOf": [self.of(inner, rule), {"type": "null"}]}
        schema = self._bare(kind)
        if rule is not None:
            schema.update(rule.json_schema())
        return schema

    def _bare(self, kind: Any) -> dict[str, Any]:
        origin = get_origin(kind)
        if origin is tuple:
            return {"type": "array", "items": self.of(get_args(kind)[0])}
        if origin is frozenset:
            return {"type": "array", "items": self.of(get_args(kind)[0]), "uniqueItems": True}
        wire = wire_type(kind)
        if wire is not None:
            return wire.json_schema()
        if attrs.has(kind):
            return self._record(kind)
        raise TypeError(f"no JSON Schema for {kind!r}")

    def _record(self, kind: type) -> dict[str, Any]:
        name = kind.__name__
        if name not in self.definitions:
            self.definitions[name] = {}  # reserve the name: records may nest
            properties = {}
            required = []
            for field in attrs.fields(kind):
                if not field.init:
                    continue
                rule = field.validator if isinstance(field.validator, Rule) else None
                properties[field.name] = self.of(field.type, rule)
                if field.default is attrs.NOTHING:
                    required.append(field.name)
            self.definitions[name] = {
                "type": "object",
                "description": (kind.__doc__ or name).strip().splitlines()[0],
                "properties": properties,
                "required": required,
                "additionalProperties": False,
            }
        return {"$ref": f"#/$defs/{name}"}


def json_schema(kind: str | type) -> dict[str, Any]:
    """The JSON Schema of a document of *kind* (a kind name or a document class).

    >>> schema = json_schema("support_service")
    >>> schema["properties"]["kind"], schema["properties"]["schema_version"]
    ({'const': 'support_service'}, {'const': 2})
    >>> schema["$defs"]["AgeRange"]["properties"]["min"]
    {'type': 'integer', 'minimum': 0, 'maximum': 130}
    """
    name = kind if isinstance(kind, str) else kind_of(kind)
    if name not in KINDS:
        raise KeyError(f"unknown document kind {name!r}; use one of {', '.join(KINDS)}")
    builder = _Builder()
    data = builder.of(KINDS[name])
    return {
        "$schema": DIALECT,
        "$id": f"{BASE_URI}{name}-v{SCHEMA_VERSION}.json",
        "title": f"cse-programme {name.replace('_', ' ')} document, version {SCHEMA_VERSION}",
        "type": "object",
        "properties": {
            "kind": {"const": name},
            "schema_version": {"const": SCHEMA_VERSION},
            "data": data,
        },
        "required": ["kind", "schema_version", "data"],
        "additionalProperties": False,
        "$defs": dict(sorted(builder.definitions.items())),
    }


def write_schemas(folder: str) -> list[str]:
    """Write the schema of every kind to *folder* as ``KIND.schema.json``; return the names."""
    written = []
    for name in KINDS:
        path = f"{folder}/{name}.schema.json"
        with open(path, "w", encoding="utf-8") as stream:
            json.dump(json_schema(name), stream, indent=2, ensure_ascii=False)
            stream.write("\n")
        written.append(path)
    return written
