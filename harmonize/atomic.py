"""Write files all-or-nothing: a reader never sees half a report, and an interrupted run leaves nothing.

* A regular file (or a new one) is written to a temporary file beside it, synced, then renamed over it,
  with the permissions the umask gives any new file.
* A special file (``/dev/null``, ``/dev/stdout``, a FIFO, a terminal) is written to as a stream, never
  replaced.
* A folder, a read-only place or a full disk is a UsageError (one line, exit 2), never a traceback.
* SIGINT and SIGTERM are held back while a temporary file is created and renamed, so a signal either
  comes before anything exists or after the rename; the temporary file is removed on any error.
* ``write_set`` writes several files into a staging folder first, then moves them all in at once;
  ``staged_set`` does the same one file at a time, as they are made.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Callable, Iterator, Mapping

from .errors import UsageError

_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def held_signals() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block ends (then they are delivered as usual)."""
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    except (AttributeError, ValueError, OSError):  # no pthread_sigmask here
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _usage(path: Path, exc: OSError) -> UsageError:
    return UsageError(f"cannot write {path}: {exc.strerror or exc}")


def _kind(path: Path) -> str:
    """'missing', 'file', 'folder' or 'special' (following links, as opening does)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        raise _usage(path, exc) from None
    if stat.S_ISDIR(mode):
        return "folder"
    return "file" if stat.S_ISREG(mode) else "special"


@contextmanager
def open_atomic(path: Path) -> Iterator[IO[bytes]]:
    """A binary file object whose content appears at ``path`` only when the block ends without error."""
    path = Path(path)
    kind = _kind(path)
    if kind == "folder":
        raise UsageError(f"cannot write {path}: it is a folder; give a file name")
    if kind == "special":
        try:
            with open(path, "wb") as fh:
                yield fh
        except OSError as exc:
            raise _usage(path, exc) from None
        return
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with held_signals():
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        with held_signals():
            os.replace(tmp, path)
            tmp = None
    except OSError as exc:
        raise _usage(path, exc) from None
    finally:
        if tmp is not None:
            with held_signals():
                try:
                    os.unlink(tmp)
                except OSError:
                    pass


def write_atomic(path: Path, data: str | bytes) -> None:
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with open_atomic(path) as fh:
        fh.write(payload)


def write_set(folder: Path, files: Mapping[str, str | bytes]) -> None:
    """Write every file of a set into ``folder``: all are written and synced in a staging folder
    inside it first, then moved in together with signals held, so an interrupted run leaves the old
    set (and no staging folder), never a mix. Other files in ``folder`` are left alone."""
    with staged_set(folder) as put:
        for name in files:
            _not_a_folder(Path(folder) / name)
        for name, data in files.items():
            put(name, data)


@contextmanager
def staged_set(folder: Path) -> Iterator[Callable[[str, str | bytes], None]]:
    """``write_set`` one file at a time: ``put(name, data)`` writes and syncs a file into the staging
    folder at once, so the caller need not hold the whole set in memory (a report's nine editions);
    the set is moved in when the block ends without error, and an error leaves the old set."""
    folder = Path(folder)
    kind = _kind(folder)
    if kind not in ("missing", "folder"):
        raise UsageError(f"cannot write into {folder}: it is not a folder")
    stage = None
    names: list[str] = []
    mode = 0o666 & ~_umask()
    try:

        def put(name: str, data: str | bytes) -> None:
            nonlocal stage
            if stage is None:  # made with the first file: nothing is created before there is one
                try:
                    folder.mkdir(parents=True, exist_ok=True)
                    with held_signals():
                        stage = tempfile.mkdtemp(prefix=".harmonize-", suffix=".tmp", dir=folder)
                except OSError as exc:
                    raise _usage(folder, exc) from None
            _not_a_folder(folder / name)
            payload = data.encode("utf-8") if isinstance(data, str) else data
            try:
                fd = os.open(os.path.join(stage, name), os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(payload)
                    fh.flush()
                    os.fsync(fh.fileno())
            except OSError as exc:
                raise _usage(folder, exc) from None
            names.append(name)

        yield put
        if stage is None:  # an empty set
            return
        try:
            with held_signals():
                for name in names:
                    os.replace(os.path.join(stage, name), folder / name)
                os.rmdir(stage)
                stage = None
        except OSError as exc:
            raise _usage(folder, exc) from None
    finally:
        if stage is not None:
            with held_signals():
                shutil.rmtree(stage, ignore_errors=True)


def _not_a_folder(path: Path) -> None:
    if _kind(path) == "folder":
        raise UsageError(f"cannot write {path}: it is a folder")
