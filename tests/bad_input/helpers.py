"""Helpers of the careless-user suites: run kfctl as a user would, snapshot the app tree, assert
one `error:` line, its exit code and that nothing changed."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from tests.conftest import Result, run_kfctl

NO_KUBE = "missing-kubeconfig"


def snapshot(root: Path) -> dict[str, str]:
    """Every path under ``root`` (the lock directory aside) → its content hash, link target or <dir>."""
    out = {}
    for p in sorted(root.rglob("*")):
        if ".kfctl" in p.relative_to(root).parts:
            continue
        rel = str(p.relative_to(root))
        if p.is_symlink():
            out[rel] = "-> " + os.readlink(p)
        elif p.is_dir():
            out[rel] = "<dir>"
        else:
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    """Paths added, removed or rewritten between two snapshots."""
    return {k for k in set(before) | set(after) if before.get(k) != after.get(k)}


def run(app: Path, *args: str, env: dict | None = None, input: str | None = None) -> Result:
    return run_kfctl(*args, cwd=app, env={"KUBECONFIG": str(app.parent / NO_KUBE), **(env or {})}, input=input)


def fails(app: Path, *args: str, code: int, message: str | None = None, line: str | None = None,
          env: dict | None = None) -> str:
    """Run kfctl in ``app``; assert exit ``code``, exactly one stderr line, ``error: <line>`` when
    ``line`` is given (else a line containing ``message``), no traceback, and no file changed."""
    before = snapshot(app)
    res = run(app, *args, env=env)
    lines = res.stderr.strip().splitlines()
    assert res.exit_code == code, res
    assert len(lines) == 1 and lines[0].startswith("error: "), res.stderr
    if line is not None:
        assert lines[0] == "error: " + line, lines[0]
    if message is not None:
        assert message in lines[0], lines[0]
    assert "Traceback" not in res.stderr
    assert snapshot(app) == before
    return lines[0]


def succeeds(app: Path, *args: str, stderr: str | None = None, touched: set[str] | None = None,
             env: dict | None = None) -> Result:
    """Run kfctl; assert exit 0, the exact stderr (when given) and that exactly ``touched`` changed."""
    before = snapshot(app)
    res = run(app, *args, env=env)
    assert res.exit_code == 0, res
    if stderr is not None:
        assert res.stderr == stderr, res.stderr
    if touched is not None:
        assert changed(before, snapshot(app)) == touched
    return res


# --------------------------------------------------------------------------- a read-only app
def make_read_only(root: Path) -> None:
    for p in [root, *root.rglob("*")]:
        if not p.is_symlink():
            p.chmod(p.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def make_writable(root: Path) -> None:
    for p in [root, *root.rglob("*")]:
        if not p.is_symlink():
            p.chmod(p.stat().st_mode | stat.S_IWUSR)


def _drop_root_powers() -> None:  # pragma: no cover - runs in the child
    """As root, file modes do not stop writes (CAP_DAC_OVERRIDE, CAP_FOWNER): drop those powers from
    the bounding set before exec, so the child meets the modes as any user would."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def run_as_user(*args: str, cwd: Path, env: dict | None = None) -> Result:
    """Run kfctl so that file permissions apply even when the tests run as root."""
    import subprocess
    import sys

    full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", "KUBECONFIG": str(cwd.parent / NO_KUBE)}
    full_env.pop("KFCTL_APP", None)
    full_env.update(env or {})
    proc = subprocess.run([sys.executable, "-m", "kfctl", *args], cwd=cwd, env=full_env, capture_output=True,
                          text=True, timeout=300, preexec_fn=_drop_root_powers if os.geteuid() == 0 else None)
    return Result(proc.returncode, proc.stdout, proc.stderr)
