"""Our import resolution, identical on every engine.

``import "x"`` (and ``importstr``/``importbin``) resolves relative to the importing file's directory, then
each jpath directory in order (first match wins — note the jsonnet CLI's ``-J`` is right-most-wins);
absolute paths are used as they are.  File contents are cached per evaluation, and across evaluations
keyed by (mtime, size).  ``import_rewriter(path, text)`` may transform a file's text when it is served.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path
from typing import Callable

_DISK_CACHE: dict[str, tuple[int, int, bytes]] = {}
_DISK_LOCK = threading.Lock()
_DISK_CACHE_LIMIT = 4096


def _after_fork_in_child() -> None:  # (a forked evaluation, kfctl.jsonnet.parallel: no lock held by a thread
    global _DISK_LOCK                # it does not have)
    _DISK_LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def read_cached(path: str, st: os.stat_result | None = None) -> bytes:
    st = st if st is not None else os.stat(path)
    key = (st.st_mtime_ns, st.st_size)
    with _DISK_LOCK:
        hit = _DISK_CACHE.get(path)
    if hit is not None and hit[:2] == key:
        return hit[2]
    with open(path, "rb") as fh:
        data = fh.read()
    with _DISK_LOCK:
        if len(_DISK_CACHE) >= _DISK_CACHE_LIMIT:
            _DISK_CACHE.clear()
        _DISK_CACHE[path] = (key[0], key[1], data)
    return data


class ImportFailure(Exception):
    """Raised inside the engine's import callback; the message is already user-facing."""


class Importer:
    """The import callback for one evaluation.

    ``want_bytes``: go-jsonnet and C++ jsonnet take ``(found_path, bytes)``; rjsonnet takes ``(found_path, str)``.
    ``virtual``: path → text served without touching the disk (rjsonnet's entry wrapper).
    ``named``: import string → text, served under that very name wherever it is imported from
    (rjsonnet's ext codes, ``<extvar:NAME>``).
    ``on_demand``: jpath directory → function that creates it and returns where it is (None: nowhere),
    called once, when a candidate path first falls in it (a generated library, see kfctl.ops.prepare).
    """

    def __init__(self, *, jpath, rewriter: Callable[[Path, str], str] | None, want_bytes: bool,
                 display: Callable[[str], str], virtual: dict[str, str] | None = None,
                 named: dict[str, str] | None = None, on_demand=None):
        self.jpath = [os.path.abspath(os.fspath(p)) for p in jpath]
        self.rewriter = rewriter
        self.want_bytes = want_bytes
        self.display = display
        self.virtual = dict(virtual or {})
        self.named = dict(named or {})
        self.served: dict[str, str | bytes] = {}
        self.error: str | None = None  # first failure, in our words (engines mangle callback messages)
        self.on_demand = {os.path.abspath(os.fspath(d)): make for d, make in (on_demand or {}).items()}
        self._made: dict[str, str | None] = {}

    def preload(self, paths) -> None:
        """Read and serve ``paths`` now (files the evaluation will import: an env's components), in one
        tight loop before the engine starts — the same text the import would serve, cheaper than reading
        each from inside the engine's callback.  A file that cannot be served is left to its import,
        which reports it."""
        for p in paths:
            path = os.path.normpath(os.path.abspath(os.fspath(p)))
            if path in self.served or path in self.virtual:
                continue
            try:
                st = os.stat(path)
                if stat.S_ISREG(st.st_mode):
                    self.served[path] = self._serve(path, path, st)
            except Exception:  # (unreadable, not UTF-8, a rewriter failing): its import says what is wrong
                continue

    def __call__(self, base: str, rel: str):
        try:
            return self._import(base, rel)
        except ImportFailure as exc:
            self.error = self.error or str(exc)
            raise
        except Exception as exc:  # a bug in a rewriter, an unreadable file...
            msg = f'import "{rel}": {type(exc).__name__}: {exc}'
            self.error = self.error or msg
            raise ImportFailure(msg) from exc

    def candidates(self, base: str, rel: str) -> list[str]:
        if os.path.isabs(rel):
            return [os.path.normpath(rel)]
        base_dir = os.path.abspath(base) if base else os.getcwd()
        dirs = [base_dir] + [d for d in self.jpath if d != base_dir]
        return [os.path.normpath(os.path.join(d, rel)) for d in dirs]

    def _import(self, base: str, rel: str):
        if rel in self.named:
            content = self.named[rel]
            return rel, (content.encode() if self.want_bytes else content)
        cands = self.candidates(base, rel)
        for path in cands:
            if path in self.served:
                return path, self.served[path]
            if path in self.virtual:
                content = self.virtual[path]
                served = content.encode() if self.want_bytes else content
                self.served[path] = served
                return path, served
            try:
                st = os.stat(path)
            except (OSError, ValueError):
                if not self.on_demand:
                    continue
                path = self._demanded(path)
                try:
                    st = os.stat(path) if path else None
                except (OSError, ValueError):
                    st = None
                if st is None:
                    continue
            if stat.S_ISREG(st.st_mode):
                served = self._serve(path, rel, st)
                self.served[path] = served
                return path, served
        if os.path.isabs(rel):
            raise ImportFailure(f'import "{rel}" not found')
        searched = ", ".join(self.display(os.path.dirname(c)) + "/" for c in cands)
        raise ImportFailure(f'import "{rel}" not found (searched: {searched})')

    def _demanded(self, path: str) -> str | None:
        """``path`` in a directory made on demand: made now (once), and where the path is in it."""
        for d, make in self.on_demand.items():
            if path.startswith(d + os.sep):
                if d not in self._made:
                    made = make()
                    self._made[d] = os.path.abspath(os.fspath(made)) if made is not None else None
                real = self._made[d]
                return None if real is None else real + path[len(d):]
        return None

    def _serve(self, path: str, rel: str, st: os.stat_result | None = None) -> str | bytes:
        try:
            data = read_cached(path, st)
        except OSError as exc:
            raise ImportFailure(f'import "{rel}": cannot read {self.display(path)}: {exc.strerror}') from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            if self.want_bytes:
                return data  # binary file (importbin): served as is, never rewritten
            raise ImportFailure(f'import "{rel}": {self.display(path)} is not UTF-8 text '
                                f"(rjsonnet can only serve text files)") from None
        if self.rewriter is not None:
            text = self.rewriter(Path(path), text)
        return text.encode("utf-8") if self.want_bytes else text
