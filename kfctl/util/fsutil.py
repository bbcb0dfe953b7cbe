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
        with open(path, encoding="utf-8", newline="") as fh:  # newline="": CRLF files stay CRLF when edited
            return fh.read()
    except FileNotFoundError:
        raise AppError(f"{label}: {what} not found") from None
    except IsADirectoryError:
        raise AppError(f"{label}: is a directory, expected a {what}") from None
    except UnicodeDecodeError as exc:
        raise AppError(f"{label}: not UTF-8 text (byte {exc.start})", hint=f"save the {what} as UTF-8") from None
    except OSError as exc:
        raise AppError(f"{label}: cannot read the {what}: {os_problem(exc)}") from None


TMP_MARK = ".kfctl-"  # temp files are ".<name>.kfctl-XXXXXXXX.tmp": kfctl's own, cleaned after a kill -9


def real_target(path: Path | str) -> Path:
    """Where a write of ``path`` lands: the final target of a symlink (chain), else ``path``."""
    path = Path(path)
    if path.is_symlink():
        return Path(os.path.realpath(path))
    return path


def atomic_write(path: Path | str, content: str | bytes, *, mode: int | None = None) -> None:
    """Write ``path`` atomically; an OS failure (read-only directory, a directory in the way, a
    full disk) becomes one :class:`AppError` line and leaves the old file untouched.

    A symlink is written through: the new content replaces the link's final target (atomically, in
    the target's directory, keeping its mode), and the link itself stays.  Inside a
    :func:`kfctl.util.journal.transaction`, the old content is recorded first, so the change can be
    rolled back after a crash."""
    from kfctl.errors import AppError
    from kfctl.util import journal
    from kfctl.util.faults import fault_point

    shown = Path(path)
    path = real_target(shown)
    data = content.encode("utf-8") if isinstance(content, str) else content
    tmp = None
    try:
        if path.is_dir():
            raise IsADirectoryError(21, "Is a directory", str(path))
        journal.before_write(shown)
        path.parent.mkdir(parents=True, exist_ok=True)
        if mode is None:
            try:
                mode = path.stat().st_mode & 0o7777
            except FileNotFoundError:
                mode = 0o644
        import tempfile  # (here: commands that write nothing never need it)

        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}{TMP_MARK}", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        fault_point()
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise AppError(f"{shown}: cannot write: {os_problem(exc)}") from None
    except BaseException:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise


def newline_of(text: str) -> str:
    """The line ending a text file uses: "\r\n" when most of its lines end so, else "\n"."""
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf * 2 > text.count("\n") else "\n"


def keep_newlines(old: str, new: str) -> str:
    """``new`` (an edit of ``old`` made with "\n" line ends) with the line ending of ``old`` in the
    part the edit changed; bytes the edit did not touch stay as they were."""
    if newline_of(old) != "\r\n" or new == old:
        return new
    n = min(len(old), len(new))
    start = 0
    while start < n and old[start] == new[start]:
        start += 1
    end = 0
    while end < n - start and old[len(old) - 1 - end] == new[len(new) - 1 - end]:
        end += 1
    if end and new[len(new) - end] == "\n":  # a kept "\n" whose "\r" the edit dropped: convert it too
        end -= 1
    out = [new[:start]]
    for i in range(start, len(new) - end):
        c = new[i]
        if c == "\n" and (new[i - 1] if i else "") != "\r":
            out.append("\r\n")
        else:
            out.append(c)
    out.append(new[len(new) - end:])
    return "".join(out)


def write_edit(path: Path | str, old: str, new: str) -> None:
    """Write ``new``, an in-place edit of ``old`` (the file's text as read), keeping the file's line
    endings (CRLF files stay CRLF) and writing through a symlink."""
    atomic_write(path, keep_newlines(old, new))


def remove_file(path: Path | str) -> None:
    """Delete a file (inside a transaction: recorded first, so a crash can restore it)."""
    from kfctl.util import journal

    journal.before_write(Path(path))
    Path(path).unlink(missing_ok=True)


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
    from filelock import FileLock, Timeout

    from kfctl.errors import AppError

    lock_dir = Path(root).resolve() / LOCK_DIR
    key = str(lock_dir / LOCK_NAME)
    _check_writable(lock_dir, key)
    lock = _LOCKS.get(key)
    if lock is None:
        lock = _LOCKS[key] = FileLock(key, timeout=timeout)
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            from kfctl.util.logs import logger

            logger("kfctl").warning(
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


READ_ONLY_HINT = "commands that only read (show, diff, validate, param list, env list) still work"


def _check_writable(lock_dir: Path, key: str) -> None:
    """The lock directory and file can be made: else the app is read-only, said in one line."""
    from kfctl.errors import AppError

    try:
        lock_dir.mkdir(exist_ok=True)
        os.close(os.open(key, os.O_RDWR | os.O_CREAT, 0o644))
    except OSError as exc:
        raise AppError(f"{lock_dir.parent}: the app directory is read-only ({os_problem(exc)}), kfctl cannot "
                       "change it", hint=READ_ONLY_HINT) from None


@contextlib.contextmanager
def dir_lock(app_root: Path | str, directory: Path | str, timeout: float = 60.0) -> Iterator[None]:
    """A lock for writing ``directory`` outside the app (an export), kept in the app's lock directory;
    without one when the app is read-only (an export of a read-only app still works)."""
    import hashlib

    from filelock import FileLock, Timeout

    from kfctl.errors import AppError

    key = hashlib.sha256(str(Path(directory).resolve()).encode()).hexdigest()[:16]
    path = Path(app_root).resolve() / LOCK_DIR / f"export-{key}.lock"
    try:
        path.parent.mkdir(exist_ok=True)
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o644))
    except OSError:
        yield
        return
    lock = FileLock(str(path), timeout=timeout)
    try:
        with lock:
            yield
    except Timeout:
        raise AppError(f"{directory}: another kfctl export into it is still running after {timeout:g}s") from None
