"""Progress on standard error: drawn on a terminal for long inputs, and never anywhere else."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import pytest

from cse_programme._cli import LONG_INPUT, Progress
from cse_programme._cli._progress import REDRAW_EVERY

from .test_cli import read_until_closed


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def terminal() -> Iterator[tuple[int, TextIO]]:
    """A pseudo-terminal: its controlling end, and its far end opened as a text stream."""
    controller, far_end = os.openpty()
    stream = os.fdopen(far_end, "w")
    try:
        yield controller, stream
    finally:
        stream.close()
        os.close(controller)


def drawn(controller: int) -> str:
    """What the terminal has been sent and not yet read."""
    os.set_blocking(controller, False)
    try:
        return os.read(controller, 1 << 20).decode()
    except BlockingIOError:
        return ""


def test_the_line_shows_a_bar_towards_the_total_and_the_rate() -> None:
    clock = Clock()
    bar = Progress("synthesise", "cases", total=48_000, clock=clock, stream=io.StringIO())
    clock.now += 3.0
    bar.update(12_000)
    # 12,000 of 48,000 is a quarter: 5 of 20 marks; 12,000 in 3 seconds is 4,000 a second.
    assert bar.line() == (
        "synthesise [#####---------------]  25% 12,000/48,000 cases 4,000 cases/s"
    )


def test_the_line_of_a_file_runs_towards_its_size_and_counts_its_records() -> None:
    clock = Clock()
    read = 1_100_000
    bar = Progress(
        "cases.jsonl",
        "records",
        total=4_400_000,
        measure=lambda: read,
        clock=clock,
        stream=io.StringIO(),
    )
    clock.now += 2.0
    bar.update(12_000)
    assert bar.line() == (
        "cases.jsonl [#####---------------]  25% of 4.4 MB, 12,000 records 6,000 records/s"
    )


def test_without_a_total_the_line_shows_the_count_and_the_rate() -> None:
    clock = Clock()
    bar = Progress("standard input", "records", total=None, clock=clock)
    clock.now += 4.0
    bar.update(30_000)
    assert bar.line() == "standard input 30,000 records 7,500 records/s"


def test_on_a_terminal_it_is_drawn_from_a_long_input_on_and_no_more_than_ten_times_a_second(
    terminal: tuple[int, TextIO],
) -> None:
    controller, stream = terminal
    assert REDRAW_EVERY == 0.1
    clock = Clock()
    with Progress("synthesise", "cases", total=40_000, clock=clock, stream=stream) as bar:
        for count in range(1, LONG_INPUT):
            bar.update(count)
        stream.flush()
        assert drawn(controller) == ""
        bar.update(LONG_INPUT)
        assert (
            drawn(controller)
            == "\r\x1b[Ksynthesise [#####---------------]  25% 10,000/40,000 cases"
        )
        # Times a binary fraction can hold exactly: half of REDRAW_EVERY, then more than all.
        clock.now += 0.0625
        bar.update(LONG_INPUT + 1)
        assert drawn(controller) == ""
        clock.now += 0.0625
        bar.update(20_000)
        assert drawn(controller).startswith("\r\x1b[Ksynthesise [##########----------]  50%")
        clock.now += 0.01
        bar.update(40_000)
    # Ended: drawn once more, whatever the time, and the line is closed.
    last = drawn(controller)
    assert last.startswith("\r\x1b[Ksynthesise [####################] 100% 40,000/40,000 cases")
    assert last.endswith("\r\n")


def test_nothing_is_drawn_when_the_stream_is_not_a_terminal(tmp_path: Path) -> None:
    target = tmp_path / "stderr"
    with target.open("w") as stream, Progress("x", "records", total=None, stream=stream) as bar:
        for count in range(1, 3 * LONG_INPUT):
            bar.update(count)
    assert target.read_text() == ""
    assert not bar.drawn


def command(*arguments: str, stderr_on_a_terminal: bool, cwd: Path) -> tuple[int, str]:
    """Run the command with standard error on a pseudo-terminal or a pipe: its status and stderr."""
    controller, far_end = os.openpty() if stderr_on_a_terminal else os.pipe()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "cse_programme", *arguments],
            stdout=subprocess.DEVNULL,
            stderr=far_end,
            stdin=subprocess.DEVNULL,
            cwd=cwd,
            env={**os.environ, "NO_COLOR": "1"},
        )
        os.close(far_end)
        far_end = -1
        shown = read_until_closed(controller).decode()
        return process.wait(timeout=300), shown
    finally:
        os.close(controller)
        if far_end >= 0:
            os.close(far_end)


def last_line(shown: str) -> str:
    """The line as it was left: the text after the last return that redraws it."""
    assert shown.endswith("\r\n")
    return shown[:-2].rsplit("\r\x1b[K", 1)[-1]


@pytest.fixture(scope="module")
def long_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("long")
    status, shown = command(
        "synthesise",
        "--cases",
        str(LONG_INPUT),
        "-o",
        "cases.jsonl",
        stderr_on_a_terminal=True,
        cwd=folder,
    )
    assert status == 0
    (folder / "synthesise.stderr").write_bytes(shown.encode())
    return folder / "cases.jsonl"


RATE = r"[\d,]+ {unit}/s"


def test_synthesise_shows_its_progress_towards_the_cases_asked_for(long_file: Path) -> None:
    shown = (long_file.parent / "synthesise.stderr").read_bytes().decode()
    assert re.fullmatch(
        r"synthesise \[#{20}\] 100% 10,000/10,000 cases " + RATE.format(unit="cases"),
        last_line(shown),
    )
    assert long_file.read_bytes().count(b"\n") == LONG_INPUT + 1


@pytest.mark.parametrize("name", ["validate", "funnel"])
def test_validate_and_funnel_show_the_file_size_and_the_records_read(
    long_file: Path, name: str
) -> None:
    status, shown = command(name, long_file.name, stderr_on_a_terminal=True, cwd=long_file.parent)
    assert status == 0
    megabytes = f"{long_file.stat().st_size / 1_000_000:.1f} MB"
    assert re.fullmatch(
        rf"cases\.jsonl \[#{{20}}\] 100% of {re.escape(megabytes)}, 10,000 records "
        + RATE.format(unit="records"),
        last_line(shown),
    )


@pytest.mark.parametrize(
    "arguments",
    [
        ["synthesise", "--cases", str(LONG_INPUT), "-o", "again.jsonl"],
        ["validate", "cases.jsonl"],
        ["funnel", "cases.jsonl"],
    ],
)
def test_nothing_is_shown_when_standard_error_is_not_a_terminal(
    long_file: Path, arguments: list[str]
) -> None:
    status, shown = command(*arguments, stderr_on_a_terminal=False, cwd=long_file.parent)
    assert status == 0
    assert shown == ""


def test_a_short_input_shows_nothing_even_on_a_terminal(long_file: Path) -> None:
    status, shown = command(
        "synthesise",
        "--cases",
        str(LONG_INPUT - 1),
        stderr_on_a_terminal=True,
        cwd=long_file.parent,
    )
    assert status == 0
    assert shown == ""
