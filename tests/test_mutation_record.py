"""The record of the mutation run: the testing page shows it, and mutmut gets it back whole."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import re
import tempfile
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
RECORD = ROOT / "docs" / "explanation" / "mutation-record.json"
PAGE = ROOT / "docs" / "explanation" / "testing.rst"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "mutation_record", ROOT / "tools" / "mutation_record.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _page_rows() -> dict[str, list[str]]:
    text = PAGE.read_text(encoding="utf-8")
    section = text.split("The state of the run\n", 1)[1]
    table = next(block for block in section.split("\n\n") if block.startswith("===")).splitlines()
    return {
        " ".join(re.findall(r"[a-z]+", line)): line.split()[-6:]
        for line in table
        if line[:1].isalpha() and not line.startswith("Layer")
    }


def test_the_testing_page_shows_the_record() -> None:
    record = json.loads(RECORD.read_text(encoding="utf-8"))
    layer_of = {
        "model": "model",
        "_serialisation": "serialisation",
        "_errors.py": "error type",
        "analysis": "analysis",
        "interop": "interop",
        "privacy": "privacy",
        "datasets": "datasets",
    }
    found: dict[str, Counter[object]] = {name: Counter() for name in layer_of.values()}
    for source, entry in record["files"].items():
        layer = layer_of[source.split("/")[2]]
        for recorded in entry["functions"].values():
            found[layer].update(recorded["exit_codes"])
    found["all six"] = sum(found.values(), Counter())

    rows = _page_rows()
    assert set(rows) == set(found)
    for layer, codes in found.items():
        killed = codes[1] + codes[3]
        timeout = codes[24] + codes[-24] + codes[36] + codes[152] + codes[255]
        survived, unchecked, total = codes[0], codes[None], codes.total()
        shown = [int(cell.replace(",", "")) for cell in rows[layer][:5]]
        assert shown == [total, killed, timeout, survived, unchecked], layer
        checked = total - unchecked
        if checked:
            assert rows[layer][5] == f"{100 * (killed + timeout) / checked:.1f}%", layer


def _meta(codes: dict[str, int | None], hashes: dict[str, str]) -> dict[str, Any]:
    return {
        "exit_code_by_key": codes,
        "hash_by_function_name": hashes,
        "type_check_error_by_key": {},
        "durations_by_key": {},
        "estimated_durations_by_key": {},
    }


MODULE = "cse_programme.model._money"
META = Path("mutants/src/cse_programme/model/_money.py.meta")


def test_a_record_is_saved_function_by_function_and_handed_back_to_mutmut() -> None:
    script = _script()
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        Path("docs/explanation").mkdir(parents=True)
        META.parent.mkdir(parents=True)
        codes = {
            f"{MODULE}.x_parse__mutmut_2": 0,
            f"{MODULE}.x_parse__mutmut_1": 1,
            f"{MODULE}.xǁMoneyǁof__mutmut_1": None,
            f"{MODULE}.xǁMoneyǁof__mutmut_2": 36,
        }
        hashes = {"x_parse": "aaaa", "xǁMoneyǁof": "bbbb"}
        META.write_text(json.dumps(_meta(codes, hashes)), encoding="utf-8")

        script.save()
        assert json.loads(Path("docs/explanation/mutation-record.json").read_text()) == {
            "files": {
                "src/cse_programme/model/_money.py": {
                    "module": MODULE,
                    "functions": {
                        "x_parse": {"hash": "aaaa", "exit_codes": [1, 0]},
                        "xǁMoneyǁof": {"hash": "bbbb", "exit_codes": [None, 36]},
                    },
                }
            }
        }

        # mutmut has made the mutants again: one function is unchanged and
        # unchecked, the other has changed since the record was kept.
        META.write_text(
            json.dumps(
                _meta(
                    {
                        f"{MODULE}.x_parse__mutmut_1": None,
                        f"{MODULE}.x_parse__mutmut_2": None,
                        f"{MODULE}.xǁMoneyǁof__mutmut_1": None,
                        f"{MODULE}.xǁMoneyǁof__mutmut_2": None,
                    },
                    {"x_parse": "aaaa", "xǁMoneyǁof": "cccc"},
                )
            ),
            encoding="utf-8",
        )
        assert script.restore() == 2
        assert json.loads(META.read_text())["exit_code_by_key"] == {
            f"{MODULE}.x_parse__mutmut_1": 1,
            f"{MODULE}.x_parse__mutmut_2": 0,
            f"{MODULE}.xǁMoneyǁof__mutmut_1": None,
            f"{MODULE}.xǁMoneyǁof__mutmut_2": None,
        }


def test_a_record_is_not_handed_to_mutants_made_without_their_own() -> None:
    # mutmut would take a .meta written beside mutants it already made as its
    # own, without comparing the functions' hashes.
    script = _script()
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        Path("docs/explanation").mkdir(parents=True)
        Path("docs/explanation/mutation-record.json").write_text(
            json.dumps(
                {
                    "files": {
                        "src/cse_programme/model/_money.py": {
                            "module": MODULE,
                            "functions": {"x_parse": {"hash": "aaaa", "exit_codes": [1]}},
                        }
                    }
                }
            )
        )
        META.parent.mkdir(parents=True)
        META.with_suffix("").write_text("# mutants\n")
        assert script.restore() == 0
        assert not META.exists()


exit_codes = st.one_of(st.none(), st.sampled_from([0, 1, 3, 5, 24, 33, 36, 152, -24]))
functions = st.dictionaries(
    st.from_regex(r"x_[a-z]{1,8}|xǁ[A-Z][a-z]{0,5}ǁ[a-z]{1,6}", fullmatch=True),
    st.tuples(
        st.text("0123456789abcdef", min_size=12, max_size=12),
        st.lists(exit_codes, min_size=1, max_size=6),
    ),
    min_size=1,
    max_size=5,
)


@given(functions)
def test_every_verdict_comes_back_from_the_record_to_fresh_mutants(
    drawn: dict[str, tuple[str, list[int | None]]],
) -> None:
    script = _script()
    codes = {
        f"{MODULE}.{name}__mutmut_{number}": code
        for name, (_, listed) in drawn.items()
        for number, code in enumerate(listed, start=1)
    }
    hashes = {name: digest for name, (digest, _) in drawn.items()}
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        Path("docs/explanation").mkdir(parents=True)
        META.parent.mkdir(parents=True)
        META.write_text(json.dumps(_meta(codes, hashes)), encoding="utf-8")
        script.save()
        META.unlink()
        assert script.restore() == sum(code is not None for code in codes.values())
        restored = json.loads(META.read_text())
    assert restored["hash_by_function_name"] == hashes
    assert restored["exit_code_by_key"] == {
        key: code for key, code in codes.items() if code is not None
    }
