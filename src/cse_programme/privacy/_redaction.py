"""Public views: documents with every sensitive field taken out."""

from __future__ import annotations

from typing import Any

import attrs

from cse_programme._serialisation import SCHEMA_VERSION, kind_of, to_data
from cse_programme.model import is_sensitive


def _strip(obj: Any, data: Any) -> Any:
    if attrs.has(type(obj)) and isinstance(data, dict):
        kept = {}
        for field in attrs.fields(type(obj)):
            if field.name not in data or is_sensitive(field):
                continue
            kept[field.name] = _strip(getattr(obj, field.name), data[field.name])
        return kept
    if isinstance(obj, tuple) and isinstance(data, list):
        return [_strip(item, part) for item, part in zip(obj, data, strict=True)]
    return data


def public_document(obj: object) -> dict[str, Any]:
    """A document of *obj* for publication: sensitive fields are left out.

    Case records lose their offence period and free-text notes; everything
    else is as :func:`cse_programme.dumps` writes it.  The document says it is
    a public view, and the loaders refuse it, since it is incomplete.

    >>> from cse_programme.datasets import synthetic_cases
    >>> from cse_programme.privacy import public_document
    >>> case = next(synthetic_cases(1))
    >>> view = public_document(case)
    >>> view["view"], "offence_period" in view["data"], "notes" in view["data"]
    ('public', False, False)
    """
    return {
        "kind": kind_of(type(obj)),
        "schema_version": SCHEMA_VERSION,
        "view": "public",
        "data": _strip(obj, to_data(obj)),
    }
