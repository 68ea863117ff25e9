"""The command line as a newcomer meets it: help, standard input, suggestions, wrong files."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shlex
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import IO, Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cse_programme import ValidationError, dumps, json_schema
from cse_programme._cli import choice, peek, suggestions
from cse_programme._serialisation import read_limited
from cse_programme.cli import PROGRAM, _area, _parser, main
from cse_programme.datasets import london_2025
from cse_programme.model import AbuseContext, Area

from .test_cli import cli


def run(*arguments: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    """The command run with *stdin* on its standard input."""
    return subprocess.run(
        [sys.executable, "-m", "cse_programme", *arguments],
        input=stdin,
        capture_output=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(commands.choices)


def options_without_help(parser: argparse.ArgumentParser) -> list[str]:
    """Every argument of *parser* and its subcommands that ``--help`` leaves unexplained."""
    found = []
    parsers = {"": parser, **subcommands(parser)}
    for name, command in parsers.items():
        for action in command._actions:
            if isinstance(action, argparse._SubParsersAction):
                continue
            if not action.help or action.help == argparse.SUPPRESS:
                found.append(f"{name} {'/'.join(action.option_strings) or action.dest}".strip())
    return found


# Help -------------------------------------------------------------------


def test_every_option_of_every_subcommand_has_help() -> None:
    assert len(subcommands(_parser())) == 8
    assert options_without_help(_parser()) == []


def test_the_help_check_finds_an_option_without_help() -> None:
    parser = _parser()
    subcommands(parser)["funnel"].add_argument("--planted")
    parser.add_argument("planted_positional")
    assert options_without_help(parser) == ["planted_positional", "funnel --planted"]


def example_commands(epilog: str) -> Iterator[list[str]]:
    """The argument lists of the examples in an epilog, each command of a pipe on its own."""
    for line in epilog.splitlines():
        if not line.startswith(f"  {PROGRAM} "):
            continue
        words = shlex.split(line)
        command: list[str] = []
        for word in [*words, "|"]:
            if word in ("|", ">"):
                if command:
                    yield command[1:]
                command = []
                if word == ">":
                    break
            else:
                command.append(word)


@pytest.mark.parametrize("name", sorted(subcommands(_parser())))
def test_every_subcommand_shows_examples_that_parse(name: str) -> None:
    command = subcommands(_parser())[name]
    assert command.epilog is not None
    assert command.epilog.startswith("examples:\n")
    examples = list(example_commands(command.epilog))
    assert [words[0] for words in examples if words[0] == name], f"no example of {name}"
    for words in examples:
        parsed = _parser().parse_args(words)
        assert parsed.command == words[0]


def test_help_shows_the_examples_and_every_option_explained() -> None:
    shown = cli("funnel", "--help").stdout
    assert "examples:\n  cse-programme funnel cases.jsonl --format csv" in shown
    assert "hide every count from 1 to N" in shown
    assert "- reads standard input" in shown
    top = cli("--help").stdout
    assert "cse-programme find-service --age 15 --area Camden" in top


# Standard input and output ----------------------------------------------


@pytest.fixture(scope="module")
def programme_bytes() -> bytes:
    return dumps(london_2025())


@pytest.fixture(scope="module")
def case_lines() -> bytes:
    return run("synthesise", "--cases", "40", "--seed", "3").stdout


def test_report_export_and_find_service_read_standard_input(programme_bytes: bytes) -> None:
    for arguments in (
        ["report"],
        ["report", "--format", "json"],
        ["export", "--to", "hsds"],
        ["export", "--to", "jsonl"],
        ["find-service", "--age", "15", "--area", "Camden"],
    ):
        piped = run(*arguments[:1], "-", *arguments[1:], stdin=programme_bytes)
        assert piped.returncode == 0, piped.stderr
        assert piped.stdout == run(*arguments).stdout


def test_validate_reads_a_document_or_case_records_from_standard_input(
    programme_bytes: bytes, case_lines: bytes
) -> None:
    assert run("validate", "-", stdin=programme_bytes).stdout == b"standard input: valid\n"
    records = run("validate", "-", stdin=case_lines)
    assert records.stdout == b"standard input: valid (40 records)\n"
    pretty = json.dumps(json.loads(programme_bytes), indent=2).encode()
    assert run("validate", "-", stdin=pretty).stdout == b"standard input: valid\n"
    broken = case_lines.replace(b'"suspects":', b'"suspects":-', 1)
    refused = run("validate", "-", stdin=broken)
    assert refused.returncode == 1
    assert b"line 2: /suspects" in refused.stdout


def test_standard_input_is_read_once(case_lines: bytes) -> None:
    twice = run("validate", "-", "-", stdin=case_lines)
    assert twice.returncode == 2
    assert (
        twice.stderr
        == b"cse-programme: standard input can be read only once: give - at most once\n"
    )


def test_funnel_reads_standard_input_and_writes_standard_output(
    tmp_path: Path, case_lines: bytes
) -> None:
    saved = tmp_path / "cases.jsonl"
    saved.write_bytes(case_lines)
    piped = run("funnel", "-", "--format", "csv", "-o", "-", stdin=case_lines)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == run("funnel", str(saved), "--format", "csv").stdout


def test_dash_o_dash_writes_standard_output(programme_bytes: bytes) -> None:
    assert (
        run("synthesise", "--cases", "3", "-o", "-").stdout
        == run("synthesise", "--cases", "3").stdout
    )
    assert run("export", "--to", "hsds", "-o", "-").stdout == run("export", "--to", "hsds").stdout


def test_import_reads_standard_input(tmp_path: Path) -> None:
    (service, *_) = json.loads(run("export", "--to", "hsds").stdout)
    imported = run("import", "--from", "hsds", "-", stdin=json.dumps(service).encode())
    assert imported.returncode == 0, imported.stderr
    programme = json.loads(imported.stdout)
    assert programme["data"]["name"] == "Imported from standard input"
    assert programme["data"]["services"][0]["name"] == "The Lighthouse"


def test_a_long_line_on_standard_input_is_an_error_on_its_line_and_reading_goes_on(
    case_lines: bytes,
) -> None:
    header, first, *rest = case_lines.splitlines(keepends=True)
    long_line = b" " * (16 * 1024 * 1024) + b"{}\n"
    result = run("validate", "-", stdin=header + first + long_line + b"".join(rest))
    assert result.returncode == 2
    assert b"line 3: (root): is longer than 16777216 bytes [too_large]" in result.stdout
    assert result.stdout.count(b"\n  ") == 1  # the other 39 records were read, and are valid


@pytest.mark.parametrize(
    "arguments",
    [["report", "-"], ["validate", "-"], ["import", "--from", "hsds", "-"]],
)
def test_a_document_on_standard_input_is_read_within_the_limit(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], arguments: list[str]
) -> None:
    # The limit of 256 MiB, lowered so that a test can pass it: what is
    # checked is that standard input goes through the bounded reader.
    monkeypatch.setattr("cse_programme.cli.read_limited", partial(read_limited, limit=1000))
    reader, writer = os.pipe()

    def feed() -> None:
        # The reader stops at the limit, as it should.
        with open(writer, "wb") as pipe, contextlib.suppress(BrokenPipeError):
            pipe.write(b"[" + b"1," * 100_000 + b"1]")

    thread = threading.Thread(target=feed)
    thread.start()
    with open(reader, "rb") as stdin:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(stdin))
        code = main(arguments)
    thread.join()
    shown = capsys.readouterr()
    assert code == 2
    assert "is larger than the limit of 1000 bytes [too_large]" in shown.out + shown.err


# One way to give the input --------------------------------------------------


def test_find_service_takes_the_programme_first_and_still_reads_input(
    tmp_path: Path, programme_bytes: bytes
) -> None:
    path = tmp_path / "programme.json"
    path.write_bytes(programme_bytes)
    first = cli("find-service", str(path), "--age", "15", "--area", "Camden")
    assert first.returncode == 0
    assert first.stderr == ""
    assert first.stdout.startswith("The Lighthouse")
    older = cli("find-service", "--input", str(path), "--age", "15", "--area", "Camden")
    assert older.returncode == 0
    assert older.stdout == first.stdout
    assert older.stderr.startswith("cse-programme: --input is deprecated")
    assert len(older.stderr.splitlines()) == 1
    both = cli("find-service", str(path), "--input", str(path), "--age", "15", "--area", "Camden")
    assert both.returncode == 2
    assert "give the programme once" in both.stderr


# Words on the command line ------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "offered"),
    [
        (["find-service", "--age", "15", "--area", "Camdn"], "did you mean Camden?"),
        (["find-service", "--age", "15", "--area", "Camden", "--context", "onlin"], "online"),
        (["import", "--from", "hsds", "x.json", "--area", "westminstr"], "Westminster"),
        (["import", "--from", "hsds", "x.json", "--support", "counseling"], "counselling"),
        (["schema", "case-review"], "did you mean case_review?"),
        (["reprot"], "did you mean report"),
        (["synthesise", "--cases", "1", "--force", "Mancester"], "Greater Manchester"),
        (["export", "--to", "hsd"], "did you mean hsds?"),
    ],
)
def test_a_mistyped_word_gets_the_closest_words_and_exit_2(
    arguments: list[str], offered: str
) -> None:
    result = cli(*arguments)
    assert result.returncode == 2
    assert offered in result.stderr
    assert "Traceback" not in result.stderr


def test_vocabularies_ignore_case() -> None:
    for arguments, expected in (
        (["find-service", "--age", "15", "--area", "CAMDEN", "--context", "CSE"], 0),
        (["schema", "Case_Review"], 0),
        (["report", "--format", "JSON"], 0),
        (["export", "--to", "HSDS"], 0),
    ):
        assert cli(*arguments).returncode == expected, arguments
    assert cli("schema", "CASE_REVIEW").stdout == cli("schema", "case_review").stdout
    upper = cli("find-service", "--age", "15", "--area", "Camden", "--context", "CSE")
    lower = cli("find-service", "--age", "15", "--area", "Camden", "--context", "cse")
    assert upper.stdout == lower.stdout


HOSTILE = "\x1b[2J\x1b]0;owned\x07Jane Doe " + "x" * 500


@pytest.mark.parametrize(
    "arguments",
    [
        ["find-service", "--age", "15", "--area", HOSTILE],
        ["import", "--from", "hsds", "x.json", "--area", HOSTILE],
        ["find-service", "--age", "15", "--area", "Camden", "--context", HOSTILE],
        ["schema", HOSTILE],
        [HOSTILE],
        ["report", "--format", HOSTILE],
        ["synthesise", "--cases", HOSTILE],
        ["funnel", "x.jsonl", "--round", HOSTILE],
        ["report", "-", HOSTILE],
        ["report", "--" + HOSTILE.replace(" ", "")],
    ],
)
def test_no_usage_error_repeats_what_was_typed(arguments: list[str]) -> None:
    result = cli(*arguments)
    assert result.returncode == 2
    assert "\x1b" not in result.stderr
    assert "\x07" not in result.stderr
    assert "Jane Doe" not in result.stderr
    assert "x" * 50 not in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_option_is_named_escaped_and_cut() -> None:
    result = cli("report", "--\x1b[2J" + "x" * 100)
    assert result.returncode == 2
    shown = "--\\u001b[2J" + "x" * 34 + "..."
    assert result.stderr.endswith(f"error: unrecognised arguments: {shown}\n")


def test_a_file_name_is_shown_escaped_and_cut(tmp_path: Path) -> None:
    result = cli("report", str(tmp_path / ("\x1b[2J" + "x" * 300 + ".json")))
    assert result.returncode == 2
    assert "\x1b" not in result.stderr
    assert "\\u001b[2J" + "x" * 50 in result.stderr
    assert "x" * 250 not in result.stderr


AREA_NAMES = {area.name for area in Area.all()} | {area.name.split(",")[0] for area in Area.all()}


def refusal(typed: str) -> str | None:
    """Why the model's own lookup refuses *typed*, or ``None`` when it finds a district."""
    try:
        Area.lookup(typed)
    except ValidationError as refused:
        return refused.problems[0].message
    return None


@given(st.text(max_size=30))
def test_an_area_is_found_or_the_message_offers_only_areas(typed: str) -> None:
    why = refusal(typed)
    if why is None:
        assert _area(typed) == Area.lookup(typed)
        return
    with pytest.raises(argparse.ArgumentTypeError) as error:
        _area(typed)
    fixed, _, offer = str(error.value).partition("; did you mean ")
    assert fixed == why
    if offer:
        assert offer.endswith("?")
        for name in offer[:-1].replace(" or ", ", ").split(", "):
            assert name in AREA_NAMES
            assert Area.lookup(name).name.startswith(name)


@given(st.sampled_from(sorted(AREA_NAMES)), st.data())
def test_a_name_with_one_letter_dropped_is_offered_back(name: str, data: st.DataObject) -> None:
    if len(name) < 6:
        return
    at = data.draw(st.integers(1, len(name) - 2))
    assert name in suggestions(name[:at] + name[at + 1 :], AREA_NAMES, most=5)


@given(st.text(max_size=20), st.lists(st.text(min_size=1, max_size=10), max_size=8))
def test_suggestions_come_only_from_the_vocabulary(typed: str, vocabulary: list[str]) -> None:
    offered = suggestions(typed, vocabulary)
    assert len(offered) <= 3
    assert set(offered) <= set(vocabulary)


@given(st.sampled_from([context.value for context in AbuseContext]))
def test_a_context_in_any_case_is_offered_first(value: str) -> None:
    assert suggestions(value.upper(), [c.value for c in AbuseContext])[0] == value


# A wrong kind of file -----------------------------------------------------


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("files")
    london = london_2025()
    (folder / "programme.json").write_bytes(dumps(london))
    (folder / "pretty.json").write_bytes(dumps(london, indent=2))
    (folder / "cases.jsonl").write_bytes(run("synthesise", "--cases", "5").stdout)
    (folder / "parts.jsonl").write_bytes(run("export", "--to", "jsonl").stdout)
    (folder / "schema.json").write_text(json.dumps(json_schema("case_review")))
    (folder / "source.json").write_bytes(dumps(london.sources[0]))
    return folder


WANTS_CASES = "but funnel reads case records, one a line"
WANTS_PROGRAMME = "reads a programme document"


@pytest.mark.parametrize(
    ("arguments", "line"),
    [
        (["funnel", "pretty.json"], f"pretty.json: holds a programme document, {WANTS_CASES}"),
        (
            ["funnel", "programme.json"],
            f"programme.json: holds a programme document, {WANTS_CASES}",
        ),
        (
            ["funnel", "parts.jsonl"],
            f"parts.jsonl: holds JSON Lines of organisation records, {WANTS_CASES}",
        ),
        (
            ["report", "cases.jsonl"],
            f"cases.jsonl: holds JSON Lines of case_review records, but report {WANTS_PROGRAMME}",
        ),
        (
            ["report", "schema.json"],
            f"schema.json: holds a JSON Schema, but report {WANTS_PROGRAMME}",
        ),
        (
            ["export", "source.json", "--to", "hsds"],
            f"source.json: holds a source document, but export {WANTS_PROGRAMME}",
        ),
        (
            ["find-service", "cases.jsonl", "--age", "15", "--area", "Camden"],
            "cases.jsonl: holds JSON Lines of case_review records, but find-service "
            + WANTS_PROGRAMME,
        ),
        (
            ["import", "--from", "hsds", "pretty.json"],
            "pretty.json: holds a programme document, but import reads a 360Giving or HSDS file",
        ),
        (
            ["import", "--from", "360giving", "cases.jsonl"],
            "cases.jsonl: holds JSON Lines of case_review records, but import reads a 360Giving",
        ),
    ],
)
def test_a_wrong_kind_of_file_gets_one_line_and_exit_2(
    files: Path, arguments: list[str], line: str
) -> None:
    result = cli(*arguments, cwd=files)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"cse-programme: {line}")


def test_a_wrong_kind_of_file_on_standard_input_is_named_so(files: Path) -> None:
    result = run("funnel", "-", stdin=(files / "pretty.json").read_bytes())
    assert result.returncode == 2
    assert result.stderr.decode().startswith(
        f"cse-programme: standard input: holds a programme document, {WANTS_CASES}"
    )


def test_a_right_file_with_problems_still_gets_its_problems(files: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    document = json.loads((files / "programme.json").read_text())
    document["data"]["services"][0]["coverage"][0] = "E09000099"
    broken.write_text(json.dumps(document))
    result = cli("report", str(broken))
    assert result.returncode == 1
    assert "/data/services/0/coverage/0" in result.stderr


class Pipe(io.RawIOBase):
    """Bytes that can be read once, in pieces of at most *piece* bytes, and never sought."""

    def __init__(self, data: bytes, piece: int) -> None:
        self._data, self._piece = data, piece

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        size = min(len(buffer), self._piece, len(self._data))
        buffer[:size] = self._data[:size]
        self._data = self._data[size:]
        return size


LINES = st.lists(
    st.sampled_from([b"\n", b"  \n", b"{\n", b"[\n", b'{"kind": "source"}\n', b"{}", b"x\r\n"])
    | st.binary(max_size=40),
    max_size=8,
).map(b"".join)


@given(LINES, st.integers(1, 64), st.booleans())
def test_looking_at_a_file_loses_none_of_it(data: bytes, piece: int, seekable: bool) -> None:
    stream: IO[bytes] = (
        io.BytesIO(data) if seekable else io.BufferedReader(Pipe(data, piece), buffer_size=8)
    )
    _, again = peek(stream)
    assert again.read() == data


@given(st.sampled_from([c.value for c in AbuseContext]), st.data())
def test_a_context_is_matched_in_any_case(value: str, data: st.DataObject) -> None:
    flips = data.draw(st.lists(st.booleans(), min_size=len(value), max_size=len(value)))
    typed = "".join(c.upper() if flip else c for c, flip in zip(value, flips, strict=True))
    words = [c.value for c in AbuseContext]
    assert choice("abuse context", words)(typed) == value
