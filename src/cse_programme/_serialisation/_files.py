"""Writing output files so that nothing is lost, leaked or left half-written.

Every file the library or the command line writes goes through
:func:`safe_writer`, which follows these rules:

* A regular file (or a path that does not exist yet) is written to a
  temporary file created exclusively, with an unpredictable name and
  owner-only permissions, in the same folder.  The data is flushed and synced
  to disk, and the temporary file then replaces the target in one step, so a
  reader sees the old file or the new one, never half of one.  An existing
  target keeps its permission bits (and, where the writer may set them, its
  owner and group); a new file gets the permissions the umask gives.
* A symbolic link is followed: the file it points to is written as above and
  the link itself stays a link.
* A FIFO, a character device or a socket is written directly, never
  replaced: its reader sees the data as it is written.
* If anything goes wrong, or the block is left by an exception (including
  ``KeyboardInterrupt`` or a ``SystemExit`` raised on a signal), the
  temporary file is removed and the target is left exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


def _umask() -> int:
    # os.umask can only be read by setting it; put it straight back.
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


@contextmanager
def safe_writer(path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """A binary stream for *path* that never leaves it half-written.

    See the module's rules: a regular file is replaced atomically, keeping its
    permissions; a symbolic link is written through; a FIFO or a device is
    written directly.  Failures raise :class:`OSError` with *path* unchanged.

    >>> from cse_programme._serialisation import safe_writer
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with safe_writer(folder / "out.txt") as stream:
    ...     _ = stream.write(b"written whole")
    >>> (folder / "out.txt").read_bytes(), sorted(p.name for p in folder.iterdir())
    (b'written whole', ['out.txt'])
    """
    target = Path(os.path.realpath(path))
    try:
        existing: os.stat_result | None = target.stat()
    except FileNotFoundError:
        existing = None
    if existing is not None and stat.S_ISDIR(existing.st_mode):
        raise IsADirectoryError(21, "Is a directory", str(path))
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        with open(target, "wb") as direct:
            yield direct
        return
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with open(descriptor, "wb") as stream:
            yield stream
            stream.flush()
            _take_attributes(stream.fileno(), existing)
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        # Re-raised unchanged: an interrupt or SIGTERM must not leave a temporary file behind.
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)


def _take_attributes(descriptor: int, existing: os.stat_result | None) -> None:
    """Give the new file the old one's permissions and owner, or the umask's."""
    if existing is None:
        os.fchmod(descriptor, 0o666 & ~_umask())
        return
    if (existing.st_uid, existing.st_gid) != (os.getuid(), os.getgid()):
        # Only the superuser may give a file away; others keep the bits alone.
        with contextlib.suppress(PermissionError):
            os.fchown(descriptor, existing.st_uid, existing.st_gid)
    os.fchmod(descriptor, stat.S_IMODE(existing.st_mode))


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable, where the system allows syncing a folder."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
