"""The import contracts: layers import one way, and packages meet at their faces.

    errors < model < serialisation < products < edges

The model is the glossary of the programme: besides the error type it
imports nothing from the package, and no serialisation or I/O library.

A module whose name starts with ``_`` is private to the package that holds
it: only modules inside that package import it.  Everything else uses the
package's face, its ``__init__``.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

#: The package checked: this source tree's, or a copy named in the environment.
PACKAGE = Path(
    os.environ.get(
        "CSE_LAYERS_PACKAGE", Path(__file__).resolve().parents[1] / "src" / "cse_programme"
    )
)

LAYERS: dict[str, int] = {
    "cse_programme._errors": 0,
    "cse_programme._version": 0,
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
    """Every module or name *path* imports, by its dotted name.

    ``from m import n`` gives ``m`` and ``m.n``, since ``n`` may be a module;
    a constant string given to :func:`importlib.import_module` counts too.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{path}: relative import"
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names if alias.name != "*")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.args[0].value


def owner_of(name: str) -> str | None:
    """The package a private name belongs to: the one holding its last ``_`` part.

    ``cse_programme._serialisation._json`` belongs to ``cse_programme._serialisation``;
    ``cse_programme._serialisation`` to ``cse_programme``; a public name to no package.
    """
    parts = name.split(".")
    private = [i for i, part in enumerate(parts) if part.startswith("_") and i > 0]
    private = [i for i in private if not (parts[i].startswith("__") and parts[i].endswith("__"))]
    return ".".join(parts[: private[-1]]) if private else None


def is_within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def reaches_into(importer: str, imported: str) -> bool:
    """Whether *importer* uses a private module or name of a package it is not part of."""
    owner = owner_of(imported)
    return owner is not None and not is_within(importer, owner)


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


@pytest.mark.parametrize("path", SOURCES, ids=module_name)
def test_no_module_imports_another_packages_private_module(path: Path) -> None:
    importer = module_name(path)
    reached = [
        imported
        for imported in imports_of(path)
        if imported.startswith("cse_programme.") and reaches_into(importer, imported)
    ]
    assert not reached, f"{importer} reaches past the face of a package: {reached}"


@pytest.mark.parametrize("path", sorted((PACKAGE / "model").rglob("*.py")), ids=module_name)
def test_the_model_uses_no_serialisation_or_io_library(path: Path) -> None:
    used = {name.split(".")[0] for name in imports_of(path)}
    assert not used & FORBIDDEN_IN_MODEL


def test_the_contract_catches_an_upward_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from cse_programme._serialisation import dumps\n")
    upward = [m for m in imports_of(bad) if layer_of(m) > layer_of("cse_programme.model")]
    assert upward == ["cse_programme._serialisation", "cse_programme._serialisation.dumps"]


@pytest.mark.parametrize(
    ("importer", "line", "reached"),
    [
        # A product reaching into the serialisation layer's modules.
        (
            "cse_programme.cli",
            "from cse_programme._serialisation._json import parse",
            ["cse_programme._serialisation._json", "cse_programme._serialisation._json.parse"],
        ),
        ("cse_programme.cli", "import cse_programme.model._ids", ["cse_programme.model._ids"]),
        (
            "cse_programme.privacy._pseudonyms",
            "from cse_programme.model import _ids",
            ["cse_programme.model._ids"],
        ),
        (
            "cse_programme.interop._hsds",
            "from cse_programme.model import _private_helper",
            ["cse_programme.model._private_helper"],
        ),
        (
            "cse_programme.testing",
            'importlib.import_module("cse_programme.model._review")',
            ["cse_programme.model._review"],
        ),
        # Faces, and a package's own private modules, are fine.
        ("cse_programme.cli", "from cse_programme._serialisation import parse", []),
        ("cse_programme.cli", "from cse_programme.model import CASE_TOKEN_LENGTH", []),
        ("cse_programme.model._money", "from cse_programme._errors import Problem", []),
        ("cse_programme.model", "from cse_programme.model._money import Money", []),
        ("cse_programme.interop._hsds", "from cse_programme.interop._imported import slug", []),
        ("cse_programme", "from cse_programme._version import __version__", []),
    ],
)
def test_the_contract_catches_a_planted_reach_past_a_face(
    tmp_path: Path, importer: str, line: str, reached: list[str]
) -> None:
    planted = tmp_path / "planted.py"
    planted.write_text(f"import importlib\n{line}\n", encoding="utf-8")
    found = [name for name in imports_of(planted) if reaches_into(importer, name)]
    assert found == reached


def test_the_contract_fails_on_a_module_planted_in_the_package(tmp_path: Path) -> None:
    # The whole test, run on a copy of the package with one bad module added.
    copy = tmp_path / "cse_programme"
    shutil.copytree(PACKAGE, copy)
    (copy / "cli.py").write_text(
        (copy / "cli.py").read_text(encoding="utf-8")
        + "\nfrom cse_programme.model._ids import CASE_TOKEN_LENGTH\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            __file__,
            "-q",
            "-p",
            "no:cacheprovider",
            "-k",
            "private_module",
            "--no-header",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "CSE_LAYERS_PACKAGE": str(copy)},
        cwd=tmp_path,
    )
    assert result.returncode == 1, result.stdout
    assert "1 failed" in result.stdout
    assert "cse_programme.cli reaches past the face of a package" in result.stdout
