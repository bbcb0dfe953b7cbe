"""Multi-file changes that a crash cannot leave half done: a write-ahead undo journal.

A command that changes several files (``env add`` writes an env directory and app.yaml,
``generate`` a component, its params and app.yaml, ``pkg install`` moves vendored folders and writes
app.yaml and the lock) runs inside :func:`transaction`.  Before each step the journal
(``.kfctl/journal.json``, written atomically) records how to undo it:

* a file about to be written or deleted: its old bytes (or that it did not exist) — recorded by
  :func:`kfctl.util.fsutil.atomic_write` / :func:`~kfctl.util.fsutil.remove_file` themselves;
* a directory about to be created (:func:`make_dirs`), a rename (:func:`move`);
* a file or tree to delete (:func:`discard`): moved into ``.kfctl/trash/`` now, deleted at commit.

Deleting the journal is the commit.  An exception rolls the steps back at once; a kill -9 leaves the
journal behind, and the next kfctl process that locks the app (any command that writes, and any
that reads while a journal exists) rolls it back under the app lock (:func:`recover`) before it
looks at anything.  So after any crash the app is as it was before the command, or as the command
left it when it completed; never in between.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from kfctl.util.logs import lazy

JOURNAL = "journal.json"
TRASH = "trash"
STATE_DIR = ".kfctl"
log = lazy(__name__)


@dataclass
class _Tx:
    root: Path
    what: str
    thread: int
    entries: list[dict] = field(default_factory=list)
    recorded: set[str] = field(default_factory=set)
    depth: int = 1
    trashed: int = 0

    @property
    def state(self) -> Path:
        return self.root / STATE_DIR

    @property
    def trash(self) -> Path:
        return self.state / TRASH / str(os.getpid())


_active: _Tx | None = None
_guard = threading.Lock()


def journal_path(root: Path | str) -> Path:
    return Path(root) / STATE_DIR / JOURNAL


def _current() -> _Tx | None:
    tx = _active
    if tx is None or tx.thread != threading.get_ident():
        return None
    return tx


def _rel(tx: _Tx, path: Path) -> str | None:
    """``path`` relative to the app root, or None outside it (or in kfctl's own state directory)."""
    p = Path(os.path.abspath(path))
    try:
        rel = p.relative_to(tx.root)
    except ValueError:
        try:  # the root may be spelled through a symlink
            rel = Path(os.path.realpath(p.parent), p.name).relative_to(tx.root)
        except ValueError:
            return None
    if rel.parts[:1] == (STATE_DIR,):
        return None
    return rel.as_posix()


def _save(tx: _Tx) -> None:
    from kfctl.util.fsutil import atomic_write

    doc = {"what": tx.what, "pid": os.getpid(), "entries": tx.entries}
    atomic_write(tx.state / JOURNAL, json.dumps(doc) + "\n")


def _record(tx: _Tx, entry: dict) -> None:
    tx.entries.append(entry)
    _save(tx)


@contextlib.contextmanager
def transaction(root: Path | str, what: str) -> Iterator[None]:
    """Run a multi-file change all-or-nothing.  Call under the app lock; nested calls join the outer one."""
    global _active
    tx = _current()
    if tx is not None:
        tx.depth += 1
        try:
            yield
        finally:
            tx.depth -= 1
        return
    tx = _Tx(Path(root).resolve(), what, threading.get_ident())
    with _guard:
        _active = tx
    try:
        yield
    except BaseException:
        with _guard:
            _active = None
        if tx.entries:
            try:
                _undo(tx.root, tx.entries)
                _finish(tx.root)
            except Exception as exc:  # the journal stays: the next kfctl process rolls back
                log.warning(f"could not roll back '{what}' ({exc}); the next kfctl command will")
        raise
    with _guard:
        _active = None
    if tx.entries:
        from kfctl.util.faults import fault_point

        fault_point()
        _finish(tx.root)


def _finish(root: Path) -> None:
    """Commit (or end a rollback): delete the journal, then the trash."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(journal_path(root))
    import shutil

    shutil.rmtree(root / STATE_DIR / TRASH, ignore_errors=True)


# ------------------------------------------------------------------------------ the recorded steps
def before_write(path: Path) -> None:
    """Called before ``path`` is written or deleted: record its old state once per transaction."""
    tx = _current()
    if tx is None:
        return
    rel = _rel(tx, path)
    if rel is None or rel in tx.recorded:
        return
    entry: dict = {"op": "restore", "path": rel, "content": None}
    if path.is_symlink():
        entry["link"] = os.readlink(path)
    target = Path(os.path.realpath(path))
    if target.is_file():
        entry["content"] = base64.b64encode(target.read_bytes()).decode("ascii")
        entry["mode"] = target.stat().st_mode & 0o7777
    tx.recorded.add(rel)
    _record(tx, entry)


def make_dirs(path: Path | str) -> None:
    """``mkdir -p path``; inside a transaction each directory created is recorded (rollback removes it)."""
    path = Path(path)
    tx = _current()
    missing = []
    p = path
    while not p.exists() and not p.is_symlink():
        missing.append(p)
        if p.parent == p:
            break
        p = p.parent
    for d in reversed(missing):
        rel = _rel(tx, d) if tx is not None else None
        if rel is not None:
            _record(tx, {"op": "mkdir", "path": rel})
            from kfctl.util.faults import fault_point

            fault_point()
        d.mkdir()


def move(src: Path | str, dst: Path | str) -> None:
    """Rename ``src`` to ``dst`` (same filesystem); recorded inside a transaction."""
    src, dst = Path(src), Path(dst)
    tx = _current()
    if tx is not None:
        rs, rd = _rel(tx, src), _rel(tx, dst)
        if rs is None or rd is None:
            rs, rd = str(src.resolve()), str(dst.resolve())  # kfctl's own state directory: absolute
        _record(tx, {"op": "move", "src": rs, "dst": rd})
        from kfctl.util.faults import fault_point

        fault_point()
    os.replace(src, dst)


def discard(path: Path | str) -> None:
    """Delete a file or a directory tree: in a transaction it goes to the trash until the commit."""
    path = Path(path)
    tx = _current()
    if tx is None:
        if path.is_dir() and not path.is_symlink():
            import shutil

            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
        return
    tx.trash.mkdir(parents=True, exist_ok=True)
    tx.trashed += 1
    move(path, tx.trash / f"{tx.trashed}-{path.name}")


# ------------------------------------------------------------------------------ rollback
def _abs(root: Path, p: str) -> Path:
    return Path(p) if os.path.isabs(p) else root / p


def _undo(root: Path, entries: list[dict]) -> None:
    from kfctl.util.fsutil import atomic_write

    for e in reversed(entries):
        op = e.get("op")
        if op == "restore":
            p = _abs(root, e["path"])
            if "link" in e and not p.is_symlink():
                if p.exists():
                    p.unlink()
                p.parent.mkdir(parents=True, exist_ok=True)
                os.symlink(e["link"], p)
            if e.get("content") is None:
                if "link" not in e and (p.is_file() or p.is_symlink()):
                    p.unlink()
                elif "link" in e and os.path.isfile(os.path.realpath(p)):
                    os.unlink(os.path.realpath(p))
                continue
            data = base64.b64decode(e["content"])
            target = Path(os.path.realpath(p))
            if not (target.is_file() and target.read_bytes() == data):
                atomic_write(p, data, mode=e.get("mode"))
        elif op == "move":
            src, dst = _abs(root, e["src"]), _abs(root, e["dst"])
            if (dst.exists() or dst.is_symlink()) and not (src.exists() or src.is_symlink()):
                if not src.parent.is_dir():  # it came from a staging folder since deleted: it goes too
                    if dst.is_dir() and not dst.is_symlink():
                        import shutil

                        shutil.rmtree(dst)
                    else:
                        dst.unlink()
                    continue
                os.replace(dst, src)
        elif op == "mkdir":
            d = _abs(root, e["path"])
            from kfctl.util.leftovers import is_kfctl_temp

            with contextlib.suppress(OSError):
                for child in d.iterdir():  # a temp file of the write the kill interrupted
                    if child.is_file() and is_kfctl_temp(child.name):
                        child.unlink()
                d.rmdir()


def recover(root: Path | str) -> str | None:
    """Roll back the change a killed kfctl process left half done (call under the app lock).
    Returns what was rolled back, or None when there was nothing to do."""
    root = Path(root).resolve()
    path = journal_path(root)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        doc = json.loads(text)
        entries = list(doc["entries"])
    except (ValueError, KeyError, TypeError):
        log.warning(f"{path}: unreadable journal of an interrupted kfctl command; moved it aside")
        os.replace(path, path.with_suffix(".unreadable"))
        return None
    _undo(root, entries)
    _finish(root)
    what = str(doc.get("what") or "a kfctl command")
    log.warning(f"rolled back '{what}', which was interrupted (process {doc.get('pid', '?')}): "
                "the app is as it was before it")
    return what
