"""``kfctl.lock``: what was vendored, from where, and a content hash of each vendored tree; ``pkg verify``
and ``pkg lock``.

The file is JSON with sorted keys and a trailing newline, so it diffs cleanly and two installs of
the same thing write the same bytes.  The tree hash covers relative paths, file contents and the
executable bit — never mtimes or directory order.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from kfctl.errors import AppError, NotFoundError
from kfctl.registry.inventory import VENDOR, installed, parse_ref

LOCK_FILE = "kfctl.lock"
LOCK_KIND = "kfctl.dev/lock"
LOCK_VERSION = 1
_SKIP = {".git", ".DS_Store"}


def tree_files(root: Path) -> dict[str, str]:
    """{relative posix path: sha256 hex} for every file under ``root`` (symlinks by their target text)."""
    out: dict[str, str] = {}
    root = Path(root)
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP)
        for fn in filenames:
            if fn in _SKIP:
                continue
            p = Path(dirpath) / fn
            rel = p.relative_to(root).as_posix()
            if p.is_symlink():
                digest = "link:" + os.readlink(p)
            else:
                h = hashlib.sha256()
                with open(p, "rb") as fh:
                    for chunk in iter(lambda: fh.read(1 << 20), b""):
                        h.update(chunk)
                digest = h.hexdigest()
                if os.access(p, os.X_OK):
                    digest += "+x"
            out[rel] = digest
    return dict(sorted(out.items()))


def tree_hash(files: dict[str, str]) -> str:
    h = hashlib.sha256()
    for rel in sorted(files):
        h.update(rel.encode("utf-8") + b"\0" + files[rel].encode("ascii") + b"\n")
    return "sha256:" + h.hexdigest()


def lock_path(app_root: Path) -> Path:
    return Path(app_root) / LOCK_FILE


def read_lock(app_root: Path) -> dict[str, Any]:
    p = lock_path(app_root)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {"apiVersion": LOCK_VERSION, "kind": LOCK_KIND, "packages": {}}
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise AppError(f"{p}: malformed lock file: {exc}", hint="restore it from version control") from None
    if not isinstance(data, dict) or not isinstance(data.get("packages", {}), dict):
        raise AppError(f"{p}: malformed lock file: expected {{\"packages\": {{...}}}}")
    data.setdefault("packages", {})
    return data


def render_lock(data: dict[str, Any]) -> str:
    data = dict(data)
    data["apiVersion"] = LOCK_VERSION
    data["kind"] = LOCK_KIND
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_lock(app_root: Path, data: dict[str, Any]) -> None:
    from kfctl.util.fsutil import atomic_write

    p = lock_path(app_root)
    text = render_lock(data)
    try:
        if p.read_text(encoding="utf-8") == text:
            return
    except FileNotFoundError:
        pass
    atomic_write(p, text)


def diff_files(locked: dict[str, str], actual: dict[str, str]) -> list[tuple[str, str]]:
    """[(change, path)] with change in modified | added | removed."""
    out = []
    for rel in sorted(set(locked) | set(actual)):
        if rel not in actual:
            out.append(("removed", rel))
        elif rel not in locked:
            out.append(("added", rel))
        elif locked[rel] != actual[rel]:
            out.append(("modified", rel))
    return out


# ------------------------------------------------------------------------------ verify / lock
@dataclass
class Problem:
    package: str
    change: str  # modified | added | removed | missing | unlocked | upstream-modified | upstream-missing
    path: str = ""
    detail: str = ""

    def __str__(self) -> str:
        if self.change == "upstream-modified":
            return f"{self.package}: {self.path} differs from the sha256 upstream.json records ({self.detail})"
        if self.change == "upstream-missing":
            return f"{self.package}: {self.path} is missing (upstream.json records it: {self.detail})"
        if self.change == "missing":
            return f"{self.package}: vendored folder {self.path} is missing"
        if self.change == "unlocked":
            return f"{self.package}: installed but not in the lock (run 'kfctl pkg lock')"
        return f"{self.package}: {self.change} {self.path}"


def verify(app) -> list[Problem]:
    root = app.root
    lock = read_lock(root)
    problems: list[Problem] = []
    for q, entry in sorted(lock["packages"].items()):
        path = root / str(entry.get("path") or f"{VENDOR}/{q}")
        if not path.is_dir():
            problems.append(Problem(q, "missing", str(entry.get("path"))))
            continue
        actual = tree_files(path)
        locked = entry.get("files")
        if isinstance(locked, dict):
            for change, rel in diff_files(locked, actual):
                problems.append(Problem(q, change, f"{path.relative_to(root).as_posix()}/{rel}"))
        elif tree_hash(actual) != entry.get("sha256"):
            problems.append(Problem(q, "modified", path.relative_to(root).as_posix()))
    for q, inst in installed(app).items():
        if q not in lock["packages"] and inst.path is not None:
            problems.append(Problem(q, "unlocked", inst.path.relative_to(root).as_posix()))
        if inst.path is not None:
            problems += verify_upstream(q, inst.path, root)
    return problems


def verify_upstream(package: str, pkg_dir: Path, root: Path) -> list[Problem]:
    """Vendored upstream data (``upstream/**/upstream.json``, written by scripts/vendor_upstream.py):
    every file it records must have the recorded sha256."""
    import hashlib
    import json

    out: list[Problem] = []
    for meta_path in sorted(pkg_dir.glob("upstream/**/upstream.json")):
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            out.append(Problem(package, "upstream-modified", meta_path.relative_to(root).as_posix(), f"unreadable: {exc}"))
            continue
        pin = f"{meta.get('repo')} {meta.get('tag')} {str(meta.get('commit') or '')[:12]}"
        for rel, digest in sorted((meta.get("files") or {}).items()):
            f = meta_path.parent / rel
            shown = f.relative_to(root).as_posix()
            try:
                actual = hashlib.sha256(f.read_bytes()).hexdigest()
            except FileNotFoundError:
                out.append(Problem(package, "upstream-missing", shown, pin))
                continue
            if actual != digest:
                out.append(Problem(package, "upstream-modified", shown, pin))
    return out


def lock_vendor(app, refs: Iterable[str] = ()) -> list[str]:
    """Record the current vendored trees of installed packages in the lock (all, or the ones named)."""
    root = app.root
    wanted = {str(parse_ref(r)).split("@")[0] for r in refs}
    inst = installed(app)
    for w in wanted:
        if w not in inst:
            raise NotFoundError(f"package {w!r} is not installed")
    with app.locked():
        lock = read_lock(root)
        done = []
        for q, i in inst.items():
            if (wanted and q not in wanted) or i.path is None:
                continue
            files = tree_files(i.path)
            prev = lock["packages"].get(q, {})
            lock["packages"][q] = {
                **prev, "registry": i.registry, "package": i.package, "name": i.name, "version": i.version,
                "path": i.path.relative_to(root).as_posix(), "sha256": tree_hash(files), "files": files,
            }
            prev.setdefault("commit", None)
            lock["packages"][q].setdefault("commit", None)
            done.append(q)
        write_lock(root, lock)
    return done
