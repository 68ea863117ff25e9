"""Output files: nothing the user had is lost, and nothing half-written is left behind.

Special files here are temporary FIFOs and symbolic links made for each test,
never real devices.
"""

from __future__ import annotations

import errno
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cse_programme import dump, write_jsonl
from cse_programme._serialisation._files import safe_writer
from cse_programme.datasets import london_2025, synthetic_cases

from .test_cli import cli

OLD = b"what the user had before\n"
AS_ROOT = os.geteuid() == 0


class BoomError(Exception):
    """Raised inside a writing block to stand for any failure of the caller."""


def names(folder: Path) -> set[str]:
    return {path.name for path in folder.iterdir()}


@contextmanager
def fifo_reader(fifo: Path) -> Iterator[list[bytes]]:
    """Read *fifo* to its end in a thread; the list holds what arrived once the block ends."""
    received: list[bytes] = []
    thread = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    thread.start()
    try:
        yield received
    finally:
        deadline = time.monotonic() + 10
        while thread.is_alive() and not received and time.monotonic() < deadline:
            # Nothing opened the FIFO for writing: open it once so the reader ends.
            # With no reader at that moment (it has not opened the FIFO yet, or
            # has read to the end and is about to keep what it read) try again.
            try:
                with open(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK), "wb"):
                    pass
            except OSError as error:
                if error.errno != errno.ENXIO:
                    raise
                time.sleep(0.01)
            else:
                break
        thread.join(timeout=10)
    assert not thread.is_alive()


# The helper itself -------------------------------------------------------


def test_a_regular_file_is_replaced_whole_and_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "cases.jsonl"
    target.write_bytes(OLD)
    target.chmod(0o600)
    with safe_writer(target) as stream:
        stream.write(b"new")
        assert target.read_bytes() == OLD  # readers still see the old file
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert names(tmp_path) == {"cases.jsonl"}


def test_a_new_file_gets_the_umask_permissions(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        with safe_writer(tmp_path / "new.json") as stream:
            stream.write(b"{}")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o640


def test_the_temporary_file_is_owner_only_and_unpredictable(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    seen = []
    for _ in range(2):
        with safe_writer(target) as stream:
            stream.write(b"secret case records")
            (temporary,) = names(tmp_path) - {"out.jsonl"}
            assert stat.S_IMODE((tmp_path / temporary).stat().st_mode) == 0o600
            seen.append(temporary)
    assert seen[0] != seen[1]
    assert all(str(os.getpid()) not in name for name in seen)


def write_then_raise(target: Path, failure: BaseException) -> None:
    with safe_writer(target) as stream:
        stream.write(b"half")
        raise failure


def test_an_exception_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "programme.json"
    target.write_bytes(OLD)
    for failure in (BoomError(), KeyboardInterrupt(), SystemExit(143)):
        with pytest.raises(type(failure)):
            write_then_raise(target, failure)
        assert target.read_bytes() == OLD
        assert names(tmp_path) == {"programme.json"}


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_bytes(OLD)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    dump(london_2025(), link)
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert real.read_bytes().startswith(b'{\n  "kind": "programme"')


def test_a_fifo_is_written_directly_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with fifo_reader(fifo) as received:
        write_jsonl(synthetic_cases(3), fifo)
    assert received[0].count(b"\n") == 4
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert names(tmp_path) == {"pipe"}


def test_a_failure_to_write_leaves_the_old_file(tmp_path: Path) -> None:
    """Past a file-size limit the write fails with EFBIG, in a process of its own."""
    target = tmp_path / "big.jsonl"
    target.write_bytes(OLD)
    script = (
        "import resource, signal, sys\n"
        "from cse_programme import write_jsonl\n"
        "from cse_programme.datasets import synthetic_cases\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))\n"
        "try:\n"
        "    write_jsonl(synthetic_cases(200), sys.argv[1])\n"
        "except OSError as error:\n"
        "    print(error.errno)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(target)], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == str(27)  # EFBIG
    assert target.read_bytes() == OLD
    assert names(tmp_path) == {"big.jsonl"}


@pytest.mark.skipif(AS_ROOT, reason="the superuser may write into a read-only folder")
def test_a_read_only_folder_is_refused_and_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "out.json").write_bytes(OLD)
    folder.chmod(0o500)
    try:
        with pytest.raises(PermissionError), safe_writer(folder / "out.json") as stream:
            stream.write(b"new")
        assert (folder / "out.json").read_bytes() == OLD
        assert names(folder) == {"out.json"}
    finally:
        folder.chmod(0o700)


# Every kind of target, as a property ---------------------------------------

TARGETS = (
    "missing",
    "regular",
    "owner-only",
    "symlink",
    "fifo",
    "missing folder",
    "read-only folder",
    "folder is a file",
)


def make_target(kind: str, folder: Path) -> Path:
    """A target of *kind* inside *folder*, holding OLD where it can hold anything."""
    if kind == "missing":
        return folder / "out"
    if kind in ("regular", "owner-only", "read-only folder"):
        (folder / "out").write_bytes(OLD)
        (folder / "out").chmod(0o600 if kind == "owner-only" else 0o644)
        if kind == "read-only folder":
            folder.chmod(0o500)
        return folder / "out"
    if kind == "symlink":
        (folder / "real").write_bytes(OLD)
        (folder / "out").symlink_to(folder / "real")
        return folder / "out"
    if kind == "fifo":
        os.mkfifo(folder / "out")
        return folder / "out"
    if kind == "missing folder":
        return folder / "absent" / "out"
    (folder / "file").write_bytes(OLD)
    return folder / "file" / "out"


def snapshot(folder: Path) -> dict[str, tuple[str, int, bytes | None]]:
    """Every entry of *folder*: its type, permission bits, and content if a regular file."""
    found = {}
    for path in folder.iterdir():
        info = path.lstat()
        kind = (
            "link"
            if stat.S_ISLNK(info.st_mode)
            else "fifo"
            if stat.S_ISFIFO(info.st_mode)
            else "file"
        )
        found[path.name] = (
            kind,
            stat.S_IMODE(info.st_mode),
            path.read_bytes() if kind == "file" else None,
        )
    return found


@given(kind=st.sampled_from(TARGETS), data=st.binary(max_size=3000), fails=st.booleans())
def test_every_kind_of_target_is_written_whole_or_left_as_it_was(
    kind: str, data: bytes, fails: bool
) -> None:
    folder = Path(tempfile.mkdtemp())
    try:
        target = make_target(kind, folder)
        before = snapshot(folder)
        # Whether writing can succeed, as the system sees it (the superuser
        # may write into a read-only folder).
        writable = target.parent.is_dir() and os.access(target.parent, os.W_OK)
        received: list[bytes] = []
        error: BaseException | None = None
        with fifo_reader(target) if kind == "fifo" else _nothing() as arrived:
            try:
                with safe_writer(target) as stream:
                    stream.write(data)
                    if fails:
                        raise BoomError
            except (BoomError, OSError) as caught:
                error = caught
            received = arrived
        folder.chmod(0o700)
        # Every branch compares the whole folder: no temporary file survives.
        after = snapshot(folder)
        if kind == "fifo":
            assert after == before
            assert received == [data]  # a FIFO's reader gets the data as it is written
        elif not writable:
            assert isinstance(error, OSError)
            assert after == before
        elif fails:
            assert isinstance(error, BoomError)
            assert after == before
        else:
            assert error is None
            written = "real" if kind == "symlink" else "out"
            _, mode, _ = before.get(written, ("file", _new_mode(), None))
            assert after.pop(written) == ("file", mode, data)
            before.pop(written, None)
            assert after == before
    finally:
        folder.chmod(0o700)
        shutil.rmtree(folder)


@contextmanager
def _nothing() -> Iterator[list[bytes]]:
    yield []


def _new_mode() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


# The command line ----------------------------------------------------------


def test_planted_links_at_likely_temporary_names_redirect_nothing(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(OLD)
    last = int(Path("/proc/sys/kernel/ns_last_pid").read_text())
    for pid in range(last + 1, last + 400):
        (tmp_path / f".out.jsonl.{pid}.tmp").symlink_to(victim)
    result = cli("synthesise", "--cases", "2", "-o", "out.jsonl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert victim.read_bytes() == OLD
    assert (tmp_path / "out.jsonl").read_bytes().count(b"\n") == 3
    assert all(
        (tmp_path / f".out.jsonl.{pid}.tmp").is_symlink() for pid in range(last + 1, last + 400)
    )


def test_the_command_line_writes_through_links_and_into_fifos(tmp_path: Path) -> None:
    (tmp_path / "real.jsonl").write_bytes(OLD)
    (tmp_path / "real.jsonl").chmod(0o600)
    (tmp_path / "link.jsonl").symlink_to("real.jsonl")
    assert cli("synthesise", "--cases", "2", "-o", "link.jsonl", cwd=tmp_path).returncode == 0
    assert (tmp_path / "link.jsonl").is_symlink()
    assert (tmp_path / "real.jsonl").read_bytes().count(b"\n") == 3
    assert stat.S_IMODE((tmp_path / "real.jsonl").stat().st_mode) == 0o600
    os.mkfifo(tmp_path / "pipe")
    with fifo_reader(tmp_path / "pipe") as received:
        result = cli("export", "--to", "jsonl", "-o", "pipe", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert received[0].startswith(b'{"kind":"organisation"')
    assert stat.S_ISFIFO((tmp_path / "pipe").lstat().st_mode)
    assert names(tmp_path) == {"real.jsonl", "link.jsonl", "pipe"}


@pytest.mark.parametrize("output", ["absent/out.jsonl", "/proc/version", "file/out.jsonl", "."])
def test_an_unwritable_output_is_one_line_and_exit_2(tmp_path: Path, output: str) -> None:
    (tmp_path / "file").write_bytes(OLD)
    result = cli("synthesise", "--cases", "2", "-o", output, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"cse-programme: {output}: ")
    assert "Traceback" not in result.stderr
    assert names(tmp_path) == {"file"}
    assert (tmp_path / "file").read_bytes() == OLD


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))


def test_a_file_size_limit_is_one_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "big.jsonl").write_bytes(OLD)
    result = subprocess.run(
        [sys.executable, "-m", "cse_programme", "synthesise", "--cases", "500", "-o", "big.jsonl"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        preexec_fn=_limit_file_size,
    )
    assert result.returncode == 2
    assert result.stderr == "cse-programme: big.jsonl: cannot be written (File too large)\n"
    assert (tmp_path / "big.jsonl").read_bytes() == OLD
    assert names(tmp_path) == {"big.jsonl"}


def _interrupt_as_from_a_terminal() -> None:
    # A test run started in the background (``&``, ``nohup``) ignores
    # interrupts, and a child inherits that: give the command the default.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize(("signal_number", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_leaves_no_temporary_file(tmp_path: Path, signal_number: int, code: int) -> None:
    (tmp_path / "big.jsonl").write_bytes(OLD)
    command = ("synthesise", "--cases", "10000000", "-o", "big.jsonl")
    process = subprocess.Popen(
        [sys.executable, "-m", "cse_programme", *command],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=_interrupt_as_from_a_terminal,
    )
    deadline = time.monotonic() + 60
    while len(names(tmp_path)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(names(tmp_path)) == 2, "the temporary file never appeared"
    process.send_signal(signal_number)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == code
    assert b"Traceback" not in stderr
    assert names(tmp_path) == {"big.jsonl"}
    assert (tmp_path / "big.jsonl").read_bytes() == OLD
