"""Sphinx configuration for the cse-programme documentation."""

from __future__ import annotations

import enum
import re
import zlib
from pathlib import Path
from typing import Any

import attrs

import cse_programme

project = "cse-programme"
author = "The cse-programme maintainers"
copyright = "2026, The cse-programme maintainers"
release = cse_programme.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.intersphinx",
    "sphinx.ext.viewcode",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "_inventories"]
nitpicky = True
default_role = "py:obj"

html_theme = "furo"
html_title = f"cse-programme {release}"

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_preserve_defaults = True
autodoc_default_options = {"members": True, "show-inheritance": False}

# The inventories are written here from the tables below rather than fetched,
# so the build is the same with or without a network.
_HERE = Path(__file__).parent
_PYTHON = "https://docs.python.org/3/"
_ATTRS = "https://www.attrs.org/en/stable/"
_CATTRS = "https://catt.rs/en/stable/"
_HYPOTHESIS = "https://hypothesis.readthedocs.io/en/latest/"
_INVENTORIES: dict[str, tuple[str, list[tuple[str, str, str]]]] = {
    "python": (
        _PYTHON,
        [
            ("datetime.date", "py:class", "library/datetime.html#datetime.date"),
            ("datetime.datetime", "py:class", "library/datetime.html#datetime.datetime"),
            ("decimal.Decimal", "py:class", "library/decimal.html#decimal.Decimal"),
            ("fractions.Fraction", "py:class", "library/fractions.html#fractions.Fraction"),
            ("enum.Enum", "py:class", "library/enum.html#enum.Enum"),
            ("ValueError", "py:exception", "library/exceptions.html#ValueError"),
            ("TypeError", "py:exception", "library/exceptions.html#TypeError"),
            ("KeyError", "py:exception", "library/exceptions.html#KeyError"),
            ("str", "py:class", "library/stdtypes.html#str"),
            ("int", "py:class", "library/functions.html#int"),
            ("bool", "py:class", "library/functions.html#bool"),
            ("bytes", "py:class", "library/stdtypes.html#bytes"),
            ("tuple", "py:class", "library/stdtypes.html#tuple"),
            ("frozenset", "py:class", "library/stdtypes.html#frozenset"),
            ("dict", "py:class", "library/stdtypes.html#dict"),
            ("type", "py:class", "library/functions.html#type"),
            ("object", "py:class", "library/functions.html#object"),
            ("None", "py:data", "library/constants.html#None"),
            ("typing.Any", "py:data", "library/typing.html#typing.Any"),
            ("typing.IO", "py:class", "library/typing.html#typing.IO"),
            (
                "collections.abc.Iterable",
                "py:class",
                "library/collections.abc.html#collections.abc.Iterable",
            ),
            (
                "collections.abc.Iterator",
                "py:class",
                "library/collections.abc.html#collections.abc.Iterator",
            ),
            (
                "collections.abc.Mapping",
                "py:class",
                "library/collections.abc.html#collections.abc.Mapping",
            ),
            ("os.PathLike", "py:class", "library/os.html#os.PathLike"),
            ("random.Random", "py:class", "library/random.html#random.Random"),
            (
                "collections.abc.Sequence",
                "py:class",
                "library/collections.abc.html#collections.abc.Sequence",
            ),
        ],
    ),
    "attrs": (
        _ATTRS,
        [
            ("attrs.evolve", "py:function", "api.html#attrs.evolve"),
            ("attrs.frozen", "py:function", "api.html#attrs.frozen"),
        ],
    ),
    "cattrs": (_CATTRS, [("cattrs.Converter", "py:class", "cattrs.html#cattrs.Converter")]),
    "hypothesis": (
        _HYPOTHESIS,
        [
            (
                "hypothesis.strategies.SearchStrategy",
                "py:class",
                "reference/strategies.html#hypothesis.strategies.SearchStrategy",
            ),
        ],
    ),
}


def _write_inventory(name: str, entries: list[tuple[str, str, str]]) -> str:
    folder = _HERE / "_build" / "inventories"
    folder.mkdir(parents=True, exist_ok=True)
    header = f"# Sphinx inventory version 2\n# Project: {name}\n# Version: \n"
    header += "# The remainder of this file is compressed using zlib.\n"
    body = "".join(f"{obj} {role} 1 {uri} -\n" for obj, role, uri in entries)
    path = folder / f"{name}.inv"
    path.write_bytes(header.encode() + zlib.compress(body.encode()))
    return str(path)


intersphinx_mapping = {
    name: (base, _write_inventory(name, entries)) for name, (base, entries) in _INVENTORIES.items()
}

# Type variables in generic signatures name no documentable object.
nitpick_ignore_regex = [
    ("py:class", r"cse_programme\._serialisation\._(documents|jsonl)\.T"),
    ("py:class", r"cse_programme\.testing\.IdT"),
]

myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3


# attrs writes each default into the __init__ it generates as
# ``attr_dict['name'].default``; autodoc keeps defaults as written in the
# source, so show the value itself instead.
_ATTRS_DEFAULT = re.compile(r"attr_dict\['(\w+)'\]\.default")


def _readable_default(value: Any) -> str:
    if isinstance(value, attrs.Factory):  # type: ignore[arg-type]
        value = value.factory()
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    return repr(value)


def _real_defaults(  # noqa: PLR0917  (Sphinx passes these seven positionally)
    app: Any,
    what: str,
    name: str,
    obj: Any,
    options: Any,
    signature: str | None,
    return_annotation: str | None,
) -> tuple[str | None, str | None] | None:
    if signature is None or not (isinstance(obj, type) and attrs.has(obj)):
        return None
    fields = attrs.fields_dict(obj)
    shown = _ATTRS_DEFAULT.sub(lambda m: _readable_default(fields[m[1]].default), signature)
    return shown, return_annotation


def setup(app: Any) -> None:
    app.connect("autodoc-process-signature", _real_defaults)
