"""The documentation covers the whole public API and the whole command line."""

from __future__ import annotations

import argparse
import ast
import enum
import inspect
import os
import re
import runpy
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import attrs
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


# Examples in the reference ----------------------------------------------------

#: The share of public classes and functions whose docstring holds an example.
EXAMPLE_COVERAGE = 0.9
FACES: tuple[ModuleType, ...] = (cse_programme, analysis, datasets, interop, privacy)


def public_classes_and_functions() -> dict[str, object]:
    """Every public class and function by its public name; enums and identifiers are exempt."""
    found: dict[str, object] = {}
    for face in FACES:
        for name in getattr(face, "__all__"):  # noqa: B009
            value = getattr(face, name)
            if inspect.ismodule(value) or not callable(value):
                continue
            if isinstance(value, type) and issubclass(value, enum.Enum | cse_programme.Identifier):
                continue
            found[f"{face.__name__}.{name}"] = value
    return found


def has_example(value: object) -> bool:
    return bool(EXAMPLE.search(inspect.getdoc(value) or ""))


def test_most_public_classes_and_functions_show_an_example() -> None:
    public = public_classes_and_functions()
    assert len(public) > 50
    without = sorted(name for name, value in public.items() if not has_example(value))
    share = 1 - len(without) / len(public)
    assert share >= EXAMPLE_COVERAGE, f"{share:.0%} have an example; none in {without}"


@pytest.mark.parametrize(
    "name",
    [
        "cse_programme.load",
        "cse_programme.dump",
        "cse_programme.write_jsonl",
        "cse_programme.ReviewFunnel",
        "cse_programme.analysis.render",
        "cse_programme.interop.from_360giving",
        "cse_programme.interop.from_hsds",
        "cse_programme.privacy.ProtectedTable",
        "cse_programme.datasets.london_2025",
    ],
)
def test_the_names_people_reach_for_first_show_an_example(name: str) -> None:
    assert has_example(public_classes_and_functions()[name])


def test_the_example_count_sees_a_missing_example() -> None:
    def undocumented() -> None:
        """No example here."""

    assert not has_example(undocumented)
    assert has_example(cse_programme.Money)


# Constants and signatures in the reference ------------------------------------

DATA_ENTRY = re.compile(r"^\.\. data:: (\S+)\n((?:\n|   .*\n)*)", re.M)


def test_every_public_constant_is_described_in_its_own_words() -> None:
    # autodata would show the docstring of the value's type (Fraction's, for
    # a Fraction) when the constant is defined in a private module.
    assert "autodata" not in REFERENCE
    described = {
        name.rsplit(".", 1)[-1]: body.strip() for name, body in DATA_ENTRY.findall(REFERENCE)
    }
    for face in FACES:
        for name in getattr(face, "__all__"):  # noqa: B009
            value = getattr(face, name)
            if name == "__version__" or inspect.ismodule(value) or callable(value):
                continue
            assert described.get(name), f"{face.__name__}.{name} has no words of its own"


def test_signatures_show_the_defaults_themselves() -> None:
    # Sphinx calls this hook with the signature as attrs writes it in the
    # __init__ it generates; every default must come out as a value.
    hook = runpy.run_path(str(DOCS / "conf.py"))["_real_defaults"]
    for name, value in public_classes_and_functions().items():
        if not (isinstance(value, type) and attrs.has(value)):
            continue
        fields = [field for field in attrs.fields(value) if field.init]
        written = ", ".join(
            field.alias
            if field.default is attrs.NOTHING
            else f"{field.alias}=attr_dict['{field.name}'].default"
            for field in fields
        )
        shown, _ = hook(None, "class", name, value, None, f"(*, {written})", None)
        assert "attr_dict" not in shown, name
    assert hook(
        None,
        "class",
        "FundingPackage",
        cse_programme.FundingPackage,
        None,
        "(*, id: Any, total_kind=attr_dict['total_kind'].default,"
        " purposes=attr_dict['purposes'].default, parent=attr_dict['parent'].default)",
        "None",
    ) == ("(*, id: Any, total_kind=TotalKind.EXACT, purposes=(), parent=None)", "None")
    assert hook(
        None,
        "class",
        "SupportService",
        cse_programme.SupportService,
        None,
        "(*, partners=attr_dict['partners'].default)",
        None,
    ) == ("(*, partners=frozenset())", None)


# The README -----------------------------------------------------------------

README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.M | re.S)


def test_the_readme_python_examples_are_run_as_doctests() -> None:
    blocks = [body for language, body in FENCE.findall(README) if language == "python"]
    assert blocks
    assert all(EXAMPLE.search(body) for body in blocks), "a Python block with no example"
    assert collected_doctests("README.md") == {"README.md"}


def test_the_readme_command_lines_work_as_written(tmp_path: Path) -> None:
    (block,) = [
        body
        for language, body in FENCE.findall(README)
        if language == "console" and body.startswith("cse-programme ")
    ]
    commands = [line.split("#", 1)[0].split() for line in block.splitlines()]
    assert len(commands) >= 5
    for command in commands:
        assert command[0] == "cse-programme"
        result = subprocess.run(
            [sys.executable, "-m", "cse_programme", *command[1:]],
            capture_output=True,
            text=True,
            check=False,
            cwd=tmp_path,
        )
        assert result.returncode == 0, f"{' '.join(command)}: {result.stderr}"


def test_the_scope_is_stated_before_anything_else() -> None:
    index = (DOCS / "index.rst").read_text(encoding="utf-8")
    for text in (README, index):
        opening = text[: text.index(">>>")]
        assert "England and Wales" in opening
        assert "London" in opening
        assert "embed" in opening


# The site ---------------------------------------------------------------------


def test_the_tutorial_comes_first_and_every_new_page_is_reachable() -> None:
    index = (DOCS / "index.rst").read_text(encoding="utf-8")
    entries = re.findall(r"^   (\S+)$", index, re.M)
    assert entries[0] == "tutorial/own-programme"
    assert {"which-page", "glossary", "tutorial/index"} <= set(entries)


GLOSSARY_TERMS = (
    "GSS code",
    "LAD",
    "police force area",
    "HSDS",
    "360Giving",
    "org-id",
    "identifier prefix",
    "ISVA",
    "Child House",
    "IICSA",
    "disclosure control",
)


@pytest.mark.parametrize("term", GLOSSARY_TERMS)
def test_the_glossary_defines_each_term_with_a_link(term: str) -> None:
    glossary = (DOCS / "glossary.rst").read_text(encoding="utf-8")
    match = re.search(rf"^   {re.escape(term)}\n(?:   \S.*\n)*((?:      .*\n|\n)+)", glossary, re.M)
    assert match, term
    assert "https://" in match[1] or ":doc:" in match[1], term
