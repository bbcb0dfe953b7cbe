"""What git says about a directory: its work tree, HEAD commit, dirty flag, branch and origin URL.

Read with the ``git`` command (``rev-parse``, ``status --porcelain``, ``remote get-url``); no git, or
no repository, is ``None`` — callers decide whether that matters.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class GitInfo:
    toplevel: Path
    commit: str | None  # None in a repository without commits
    dirty: bool
    branch: str | None  # None on a detached HEAD
    remote_url: str | None  # origin's URL

    def relative(self, path: Path) -> str:
        """``path`` relative to the work tree, POSIX style ("" for the top level)."""
        rel = Path(path).resolve().relative_to(self.toplevel).as_posix()
        return "" if rel == "." else rel


def _git(cwd: Path, *args: str) -> str | None:
    try:
        proc = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout.strip() if proc.returncode == 0 else None


def git_info(path: Path | str) -> GitInfo | None:
    """The repository holding ``path`` (the nearest existing directory of it), or None."""
    if shutil.which("git") is None:
        return None
    p = Path(path).resolve()
    while not p.is_dir():
        if p.parent == p:
            return None
        p = p.parent
    top = _git(p, "rev-parse", "--show-toplevel")
    if not top:
        return None
    commit = _git(p, "rev-parse", "--verify", "--quiet", "HEAD^{commit}") or None
    status = _git(p, "status", "--porcelain", "--untracked-files=normal")
    branch = _git(p, "symbolic-ref", "--quiet", "--short", "HEAD") or None
    remote = _git(p, "remote", "get-url", "origin") or None
    return GitInfo(Path(top).resolve(), commit, bool(status), branch, remote)
