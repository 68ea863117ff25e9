"""The documentation covers the whole public API and the whole command line."""

from __future__ import annotations

import argparse
import ast
import inspect
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

import cse_programme
from cse_programme import analysis, datasets, interop, privacy, testing
from cse_programme.cli import _parser

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PACKAGE = ROOT / "src" / "cse_programme"
REFERENCE = (DOCS / "reference" / "api.rst").read_text(encoding="utf-8")
TESTING = (DOCS / "reference" / "testing.rst").read_text(encoding="utf-8")
CLI = (DOCS / "reference" / "cli.rst").read_text(encoding="utf-8")
#: The public names; cse_programme lists them on first use, out of type checkers' sight.
PUBLIC: list[str] = getattr(cse_programme, "__all__")  # noqa: B009
DOCUMENTED = set(
    re.findall(r"^\.\. (?:auto)?(?:class|function|exception|data):: (\S+)", REFERENCE, re.M)
)


@pytest.mark.parametrize("name", sorted(set(PUBLIC) - {"__version__"}))
def test_every_public_name_is_in_the_reference(name: str) -> None:
    if name in {"analysis", "datasets", "interop", "privacy"}:
        assert f".. module:: cse_programme.{name}" in REFERENCE or name == "datasets"
        return
    assert name in DOCUMENTED


@pytest.mark.parametrize(
    ("module", "name"),
    [(m, n) for m in (analysis, datasets, interop, privacy) for n in m.__all__],
)
def test_every_product_name_is_in_the_reference(module: ModuleType, name: str) -> None:
    assert name in DOCUMENTED or f"{module.__name__}.{name}" in DOCUMENTED


@pytest.mark.parametrize("name", [n for n in PUBLIC if callable(getattr(cse_programme, n))])
def test_every_public_class_and_function_has_a_docstring(name: str) -> None:
    assert inspect.getdoc(getattr(cse_programme, name))


def test_the_testing_reference_documents_every_strategy() -> None:
    assert ".. automodule:: cse_programme.testing" in TESTING
    for name in testing.__all__:
        assert inspect.getdoc(getattr(testing, name)), name


def test_every_subcommand_and_option_is_in_the_cli_reference() -> None:
    parser = _parser()
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    for name, command in commands.choices.items():
        assert f"``{name}``" in CLI, name
        for action in command._actions:
            for flag in action.option_strings:
                if flag not in ("-h", "--help"):
                    assert flag in CLI, f"{name} {flag}"


# Every example runs ---------------------------------------------------------

EXAMPLE = re.compile(r"^\s*>>> ", re.M)


def docstrings_with_examples(path: Path) -> Iterator[str]:
    """The dotted name of every docstring in *path* holding an example, read from its source.

    This reads the text, not the imported objects, so nothing done to a class
    at run time (such as giving it another ``__module__``) can hide one.
    """
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    module = ".".join(parts)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    pending: list[tuple[str, ast.AST]] = [(module, tree)]
    while pending:
        name, node = pending.pop()
        docstring = (
            ast.get_docstring(node)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            else None
        )
        if docstring and EXAMPLE.search(docstring):
            yield name
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                pending.append((f"{name}.{child.name}", child))
            elif isinstance(child, ast.If):
                # Definitions made only on one branch (such as outside type checkers).
                pending.extend(
                    (f"{name}.{grandchild.name}", grandchild)
                    for grandchild in ast.walk(child)
                    if isinstance(grandchild, ast.ClassDef | ast.FunctionDef)
                )


def collected_doctests(*args: str) -> set[str]:
    """The doctests pytest collects from the package, by name."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return {line.split("::", 1)[1] for line in result.stdout.splitlines() if "::" in line}


def test_every_docstring_with_an_example_is_collected_by_pytest() -> None:
    written = {
        name for path in sorted(PACKAGE.rglob("*.py")) for name in docstrings_with_examples(path)
    }
    assert len(written) > 100
    assert collected_doctests(str(PACKAGE)) == written


def test_the_finder_of_examples_sees_methods_and_properties() -> None:
    money = PACKAGE / "model" / "_money.py"
    found = set(docstrings_with_examples(money))
    assert {
        "cse_programme.model._money.Money",
        "cse_programme.model._money.Money.of",
        "cse_programme.model._money.Money.pence",
        "cse_programme.model._money.Money.compact",
    } <= found


PLANTED = '''"""A module whose example leans on a name it never imports.

>>> helper()
1
"""


def helper() -> int:
    return 1
'''


def test_examples_run_without_the_names_of_their_module(tmp_path: Path) -> None:
    (tmp_path / "planted.py").write_text(PLANTED, encoding="utf-8")

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "--doctest-modules",
                "-p",
                "no:cacheprovider",
                "-q",
                "planted.py",
            ],
            capture_output=True,
            text=True,
            check=False,
            cwd=tmp_path,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )

    # Plain doctest lends an example its module's names: the example passes.
    assert run().returncode == 0
    # The project's configuration does not: it fails as in a fresh interpreter.
    shutil.copy(ROOT / "conftest.py", tmp_path / "conftest.py")
    result = run()
    assert result.returncode == 1
    assert "NameError: name 'helper' is not defined" in result.stdout
