"""Atomic file writes and the app-wide lock.

Every file kfctl writes in an app repo goes through :func:`atomic_write`: the content is
written to a temporary file in the same directory, flushed, fsynced and renamed over the
target, so a crash or a concurrent reader never sees half a file.  Read-modify-write
sequences run under :func:`app_lock`, an inter-process lock, so two kfctl processes cannot
lose each other's edits.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterator

LOCK_DIR = ".kfctl"
LOCK_NAME = "lock"
_LOCKS: dict = {}  # one FileLock per path, so nested app_lock() calls in a process re-enter


def os_problem(exc: OSError) -> str:
    """A short human reason for an OSError ("permission denied", "is a directory", ...)."""
    import errno

    reasons = {
        errno.ENOENT: "no such file or directory",
        errno.EISDIR: "is a directory",
        errno.ENOTDIR: "a parent path is not a directory",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EROFS: "read-only file system",
        errno.ENOSPC: "no space left on device",
        errno.EEXIST: "already exists",
    }
    return reasons.get(exc.errno or 0) or (exc.strerror or str(exc)).lower()


def read_text(path: Path | str, *, what: str = "file", shown: str | None = None) -> str:
    """Read a UTF-8 text file; every way it can fail becomes one :class:`AppError` line.

    ``shown`` is how the path appears in the message (e.g. relative to the app root)."""
    from kfctl.errors import AppError

    path = Path(path)
    label = shown or str(path)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AppError(f"{label}: {what} not found") from None
    except IsADirectoryError:
        raise AppError(f"{label}: is a directory, expected a {what}") from None
    except UnicodeDecodeError as exc:
        raise AppError(f"{label}: not UTF-8 text (byte {exc.start})", hint=f"save the {what} as UTF-8") from None
    except OSError as exc:
        raise AppError(f"{label}: cannot read the {what}: {os_problem(exc)}") from None


def atomic_write(path: Path | str, content: str | bytes, *, mode: int | None = None) -> None:
    """Write ``path`` atomically; an OS failure (read-only directory, a directory in the way, a
    full disk) becomes one :class:`AppError` line and leaves the old file untouched."""
    from kfctl.errors import AppError

    path = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    tmp = None
    try:
        if path.is_dir():
            raise IsADirectoryError(21, "Is a directory", str(path))
        path.parent.mkdir(parents=True, exist_ok=True)
        if mode is None:
            try:
                mode = path.stat().st_mode & 0o7777
            except FileNotFoundError:
                mode = 0o644
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise AppError(f"{path}: cannot write: {os_problem(exc)}") from None
    except BaseException:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise


OWNER_NAME = "lock.owner"  # who holds the lock (pid, host, command), for the message of whoever waits


def _record_owner(lock_dir: Path) -> None:
    import json
    import socket
    import sys

    words = [w for w in sys.argv[1:] if not w.startswith("-")][:2]  # the command, never its values
    info = {"pid": os.getpid(), "host": socket.gethostname(), "command": " ".join(["kfctl", *words])}
    tmp = lock_dir / f".{OWNER_NAME}.{os.getpid()}.tmp"
    with contextlib.suppress(OSError):
        tmp.write_text(json.dumps(info))
        os.replace(tmp, lock_dir / OWNER_NAME)


def lock_holder(lock_dir: Path) -> str:
    """'pid 42 on host h (kfctl param set)', from what the holder recorded; or a vaguer phrase."""
    import json

    try:
        info = json.loads((lock_dir / OWNER_NAME).read_text())
        who = f"pid {int(info['pid'])} on host {info.get('host') or '?'}"
        return who + (f" ({info['command']})" if info.get("command") else "")
    except (OSError, ValueError, KeyError, TypeError):
        return "another kfctl process"


@contextlib.contextmanager
def app_lock(root: Path | str, timeout: float = 60.0) -> Iterator[None]:
    """Hold the app's inter-process write lock (re-entrant within one process).  Waiting for
    another process's lock is announced on the ``kfctl`` logger (the CLI prints it on stderr)."""
    import logging

    from filelock import FileLock, Timeout

    from kfctl.errors import AppError

    lock_dir = Path(root).resolve() / LOCK_DIR
    lock_dir.mkdir(exist_ok=True)
    key = str(lock_dir / LOCK_NAME)
    lock = _LOCKS.get(key)
    if lock is None:
        lock = _LOCKS[key] = FileLock(key, timeout=timeout)
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            logging.getLogger("kfctl").warning(
                f"waiting up to {timeout:g}s for the app lock {lock_dir / LOCK_NAME}, held by {lock_holder(lock_dir)}")
            lock.acquire(timeout=timeout)
    except Timeout:
        raise AppError(
            f"{lock_dir / LOCK_NAME}: {lock_holder(lock_dir)} still holds the app lock after {timeout:g}s",
            hint="wait for it to finish, or remove the lock file if no kfctl is running",
        ) from None
    try:
        if lock.lock_counter == 1:
            _record_owner(lock_dir)
        yield
    finally:
        lock.release()
