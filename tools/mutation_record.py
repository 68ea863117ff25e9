"""Keep the verdicts of a mutation run in the repository, and carry a run on from them.

A run over every layer takes longer than one sitting, and mutmut keeps its
verdicts only in ``mutants/``, which is not committed.  This script copies
them to ``docs/explanation/mutation-record.json`` and back:

    python tools/mutation_record.py save      # mutants/ -> the record
    python tools/mutation_record.py restore   # the record -> mutants/
    python tools/mutation_record.py table     # the testing page's table, and the score

Each function's verdicts are kept with the hash mutmut gives the function's
source.  ``restore`` hands mutmut both, so when it makes the mutants again it
keeps a verdict only where the function has not changed since, as it does
for a run it carries on itself.  ``make mutation-continue`` runs ``restore``
before mutmut and ``save`` after it.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Final

RECORD: Final = Path("docs/explanation/mutation-record.json")
MUTANTS: Final = Path("mutants")
SOURCE: Final = Path("src/cse_programme")

# Where each layer of the testing page's table lives, as a prefix of the path.
LAYERS: Final = (
    ("model", "model/"),
    ("serialisation", "_serialisation/"),
    ("error type", "_errors.py"),
    ("analysis", "analysis/"),
    ("interop", "interop/"),
    ("privacy", "privacy/"),
    ("datasets", "datasets/"),
)

# mutmut's exit codes, by what they mean for the score.
_KILLED: Final = frozenset({1, 3})
_TIMEOUT: Final = frozenset({24, -24, 36, 152, 255})
_SURVIVED: Final = frozenset({0})


def verdict(exit_code: int | None) -> str:
    """The word the testing page uses for one of mutmut's exit codes."""
    if exit_code is None:
        return "unchecked"
    if exit_code in _KILLED:
        return "killed"
    if exit_code in _TIMEOUT:
        return "timeout"
    if exit_code in _SURVIVED:
        return "survived"
    return "other"


def _split(key: str) -> tuple[str, str, int]:
    # "cse_programme.model._money.xǁMoneyǁof__mutmut_3" -> module, function, number
    function_key, _, number = key.rpartition("__mutmut_")
    module, _, function = function_key.rpartition(".")
    return module, function, int(number)


def _meta_path(source: str) -> Path:
    return MUTANTS / (source + ".meta")


def save() -> None:
    """Write the verdicts in ``mutants/`` to ``RECORD``."""
    files: dict[str, Any] = {}
    for meta_path in sorted(MUTANTS.joinpath(SOURCE).rglob("*.py.meta")):
        source = meta_path.relative_to(MUTANTS).as_posix().removesuffix(".meta")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        functions: dict[str, Any] = {}
        module = ""
        for key, exit_code in meta["exit_code_by_key"].items():
            module, function, number = _split(key)
            entry = functions.setdefault(
                function,
                {"hash": meta["hash_by_function_name"][function], "exit_codes": []},
            )
            codes: list[int | None] = entry["exit_codes"]
            codes.extend([None] * (number - len(codes)))
            codes[number - 1] = exit_code
        if functions:
            files[source] = {"module": module, "functions": dict(sorted(functions.items()))}
    RECORD.write_text(_dumps({"files": files}), encoding="utf-8")


def _dumps(record: dict[str, Any]) -> str:
    # One function to a line, so that a diff of the record reads function by function.
    def text(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    files = []
    for source, entry in record["files"].items():
        functions = ",\n".join(
            f"    {text(name)}: {text(recorded)}" for name, recorded in entry["functions"].items()
        )
        files.append(
            f'  {text(source)}: {{\n   "module": {text(entry["module"])},\n'
            f'   "functions": {{\n{functions}\n   }}\n  }}'
        )
    return '{\n "files": {\n' + ",\n".join(files) + "\n }\n}\n"


def restore() -> int:
    """Hand the record's verdicts to mutmut; the number of verdicts handed over.

    A file whose mutants mutmut has already made keeps its own verdicts, and
    takes the record's only for mutants it has not checked, and only where
    the function's hash is the one recorded.
    """
    record = json.loads(RECORD.read_text(encoding="utf-8"))
    handed = 0
    for source, entry in record["files"].items():
        meta_path = _meta_path(source)
        if meta_path.exists():
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        elif MUTANTS.joinpath(source).exists():
            # Mutants made without a record of their own: mutmut would take a
            # new .meta as its own without comparing hashes, so leave it be.
            continue
        else:
            meta = {
                "exit_code_by_key": {},
                "hash_by_function_name": {},
                "type_check_error_by_key": {},
                "durations_by_key": {},
                "estimated_durations_by_key": {},
            }
        hashes: dict[str, str] = meta["hash_by_function_name"]
        exit_codes: dict[str, int | None] = meta["exit_code_by_key"]
        for function, recorded in entry["functions"].items():
            if hashes.setdefault(function, recorded["hash"]) != recorded["hash"]:
                continue
            for number, exit_code in enumerate(recorded["exit_codes"], start=1):
                key = f"{entry['module']}.{function}__mutmut_{number}"
                if exit_codes.get(key) is None and exit_code is not None:
                    exit_codes[key] = exit_code
                    handed += 1
        meta_path.parent.mkdir(parents=True, exist_ok=True)
        meta_path.write_text(json.dumps(meta, indent=1, ensure_ascii=False), encoding="utf-8")
    return handed


def counts(record: dict[str, Any]) -> dict[str, Counter[str]]:
    """How many mutants of each layer reached each verdict."""
    by_layer: dict[str, Counter[str]] = {layer: Counter() for layer, _ in LAYERS}
    for source, entry in record["files"].items():
        inside = source.removeprefix(SOURCE.as_posix() + "/")
        layer = next(name for name, prefix in LAYERS if inside.startswith(prefix))
        for recorded in entry["functions"].values():
            by_layer[layer].update(verdict(code) for code in recorded["exit_codes"])
    return by_layer


def table(record: dict[str, Any]) -> str:
    """The testing page's table of the record, in reStructuredText."""
    rule = "  ".join(["=" * 14, "=" * 7, "=" * 6, "=" * 7, "=" * 8, "=" * 9, "=" * 6])
    heads = ("Layer", "Mutants", "Killed", "Timeout", "Survived", "Unchecked", "Score")
    lines = [rule, _row(heads), rule]
    by_layer = counts(record)
    for name, found in [*by_layer.items(), ("all six", _whole(by_layer))]:
        checked = found.total() - found["unchecked"]
        caught = found["killed"] + found["timeout"]
        score = f"{caught / checked:.1%}" if checked else "-"
        figures = [found.total(), found["killed"], found["timeout"], found["survived"]]
        lines.append(_row((name, *(f"{n:,}" for n in figures), f"{found['unchecked']:,}", score)))
    lines.append(rule)
    return "\n".join(lines)


def _whole(by_layer: dict[str, Counter[str]]) -> Counter[str]:
    whole: Counter[str] = Counter()
    for found in by_layer.values():
        whole.update(found)
    return whole


def _row(cells: tuple[str, ...]) -> str:
    widths = (14, 7, 6, 7, 8, 9, 6)
    first = cells[0].ljust(widths[0])
    rest = [cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)]
    return "  ".join([first, *rest])


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) == 2 else ""
    if command == "save":
        save()
    elif command == "restore":
        print(f"{restore():,} verdicts handed to mutmut from {RECORD}")
    elif command == "table":
        record = json.loads(RECORD.read_text(encoding="utf-8"))
        print(table(record))
        whole = _whole(counts(record))
        checked = whole.total() - whole["unchecked"]
        caught = whole["killed"] + whole["timeout"]
        print(
            f"mutation score: {caught / max(checked, 1):.1%} of the {checked:,} mutants checked"
            f" ({whole['unchecked']:,} of {whole.total():,} not checked yet)"
        )
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
