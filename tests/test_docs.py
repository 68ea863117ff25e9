"""The documentation covers the whole public API and the whole command line."""

from __future__ import annotations

import argparse
import inspect
import re
from pathlib import Path
from types import ModuleType

import pytest

import cse_programme
from cse_programme import analysis, datasets, interop, privacy, testing
from cse_programme.cli import _parser

DOCS = Path(__file__).resolve().parents[1] / "docs"
REFERENCE = (DOCS / "reference" / "api.rst").read_text(encoding="utf-8")
TESTING = (DOCS / "reference" / "testing.rst").read_text(encoding="utf-8")
CLI = (DOCS / "reference" / "cli.rst").read_text(encoding="utf-8")
DOCUMENTED = set(
    re.findall(r"^\.\. (?:auto)?(?:class|function|exception|data):: (\S+)", REFERENCE, re.M)
)


@pytest.mark.parametrize("name", sorted(set(cse_programme.__all__) - {"__version__"}))
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


@pytest.mark.parametrize(
    "name", [n for n in cse_programme.__all__ if callable(getattr(cse_programme, n))]
)
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
