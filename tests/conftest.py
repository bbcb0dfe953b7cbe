"""Shared fixtures: run the CLI in-process, make apps in temp dirs."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


def run_kfctl(*args: str, cwd: Path | str | None = None, env: dict | None = None, input: str | None = None,
              check: int | None = None) -> Result:
    """Run kfctl in a subprocess exactly as a user would (real exit codes, real streams)."""
    full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    full_env.pop("KFCTL_APP", None)
    if env:
        full_env.update(env)
    proc = subprocess.run(
        [sys.executable, "-m", "kfctl", *args], cwd=cwd, env=full_env, input=input,
        capture_output=True, text=True, timeout=300,
    )
    res = Result(proc.returncode, proc.stdout, proc.stderr)
    if check is not None and res.exit_code != check:
        raise AssertionError(f"kfctl {' '.join(args)} exited {res.exit_code}, wanted {check}\n"
                             f"stdout:\n{res.stdout}\nstderr:\n{res.stderr}")
    return res


@pytest.fixture
def kfctl():
    return run_kfctl


@pytest.fixture
def app_dir(tmp_path: Path) -> Path:
    """A fresh app 'demo' with env 'default' pointing at a fake server (no cluster, no kubeconfig)."""
    run_kfctl("init", "demo", "--dir", str(tmp_path / "demo"), "--server", "https://k8s.example:6443",
              "--namespace", "demo-ns", check=0, env={"KUBECONFIG": str(tmp_path / "missing")})
    return tmp_path / "demo"


pytest_plugins = ["tests.emulator.fixture"]
