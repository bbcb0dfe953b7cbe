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


def atomic_write(path: Path | str, content: str | bytes, *, mode: int | None = None) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    if mode is None:
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def app_lock(root: Path | str, timeout: float = 60.0) -> Iterator[None]:
    """Hold the app's inter-process write lock (re-entrant within one process)."""
    from filelock import FileLock, Timeout

    from kfctl.errors import AppError

    lock_dir = Path(root).resolve() / LOCK_DIR
    lock_dir.mkdir(exist_ok=True)
    key = str(lock_dir / LOCK_NAME)
    lock = _LOCKS.get(key)
    if lock is None:
        lock = _LOCKS[key] = FileLock(key, timeout=timeout)
    try:
        with lock:
            yield
    except Timeout:
        raise AppError(
            f"{lock_dir / LOCK_NAME}: another kfctl process holds the app lock",
            hint="wait for it to finish, or remove the lock file if no kfctl is running",
        ) from None
