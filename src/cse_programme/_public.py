"""Showing public names as ``cse_programme.X``, wherever they are defined."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs


def present_as_public(namespace: Mapping[str, Any], names: Iterable[str]) -> None:
    """Give the public classes and functions in *names* the module ``cse_programme``.

    Documentation, pickles and tracebacks then name them as users import
    them.  Annotations are resolved first, while they can still be found in
    the module that defines them.
    """
    values = [namespace[name] for name in names]
    for value in values:
        if isinstance(value, type) and attrs.has(value):
            attrs.resolve_types(value)
    for value in values:
        if isinstance(value, type) or callable(value):
            value.__module__ = "cse_programme"
