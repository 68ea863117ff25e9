"""The layer contract: each layer imports only from the layers below it.

    errors < model < serialisation < products < edges

The model is the glossary of the programme: besides the error type it
imports nothing from the package, and no serialisation or I/O library.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "cse_programme"

LAYERS: dict[str, int] = {
    "cse_programme._errors": 0,
    "cse_programme._version": 0,
    "cse_programme._public": 0,
    "cse_programme.model": 1,
    "cse_programme._serialisation": 2,
    "cse_programme.datasets": 3,
    "cse_programme.analysis": 3,
    "cse_programme.privacy": 3,
    "cse_programme.interop": 3,
    "cse_programme.testing": 4,
    "cse_programme.cli": 4,
    "cse_programme._cli": 4,
    "cse_programme.__main__": 4,
    "cse_programme": 5,
}
#: Libraries the model may not use: it holds no serialisation and does no I/O
#: beyond reading its own package data (the table of districts and police force areas).
FORBIDDEN_IN_MODEL = {"cattrs", "json_stream", "io", "os", "pathlib", "pickle", "shutil", "socket"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> int:
    for prefix in sorted(LAYERS, key=len, reverse=True):
        if module == prefix or module.startswith(prefix + "."):
            return LAYERS[prefix]
    raise AssertionError(f"{module} is in no layer: add it to LAYERS")


def imports_of(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{path}: relative import"
            yield node.module
            if node.module == "cse_programme":
                yield from (f"cse_programme.{alias.name}" for alias in node.names)


SOURCES = sorted(PACKAGE.rglob("*.py"))


def test_the_package_has_modules_to_check() -> None:
    assert len(SOURCES) > 10


@pytest.mark.parametrize("path", SOURCES, ids=module_name)
def test_no_module_imports_from_a_layer_above_it(path: Path) -> None:
    importer = module_name(path)
    own = layer_of(importer)
    for imported in imports_of(path):
        if imported.split(".")[0] != "cse_programme":
            continue
        if importer == "cse_programme" and imported.startswith("cse_programme."):
            continue
        assert layer_of(imported) <= own, f"{importer} (layer {own}) imports {imported}"


@pytest.mark.parametrize("path", sorted((PACKAGE / "model").rglob("*.py")), ids=module_name)
def test_the_model_uses_no_serialisation_or_io_library(path: Path) -> None:
    used = {name.split(".")[0] for name in imports_of(path)}
    assert not used & FORBIDDEN_IN_MODEL


def test_the_contract_catches_an_upward_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from cse_programme._serialisation import dumps\n")
    upward = [m for m in imports_of(bad) if layer_of(m) > layer_of("cse_programme.model")]
    assert upward == ["cse_programme._serialisation"]
