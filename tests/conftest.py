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


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory) -> Path:
    """One XDG cache for in-process tests (generated ksonnet-lib is made once per session)."""
    return tmp_path_factory.mktemp("kfctl-cache")


@pytest.fixture(scope="session", autouse=True)
def _no_user_cache(shared_cache):
    """Every kfctl the tests start, in-process or not, caches (discovery, the root help, ksonnet-lib)
    under the session's temp dir, never in the user's ~/.cache; a test may still pass its own."""
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(shared_cache)
    yield
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before


@pytest.fixture
def kube_app(emulator, tmp_path, monkeypatch, shared_cache):
    """An app made in-process (no subprocess) whose env 'default' points at the API server emulator
    through a real kubeconfig (context 'emu', namespace 'ml'), with one component 'web'
    (deployed-service, nginx:1.27).  For unit tests of the use cases in kfctl.ops."""
    from kfctl.app.environments import init_app
    from kfctl.kube.destination import resolve_destination
    from kfctl.ops.generate import add_from_prototype
    from kfctl.registry.index import PrototypeIndex

    kc = emulator.kubeconfig(tmp_path / "kubeconfig", context="emu", namespace="ml")
    monkeypatch.setenv("KUBECONFIG", str(kc))
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared_cache))
    monkeypatch.delenv("KFCTL_JSONNET_ENGINE", raising=False)
    app = init_app("demo", tmp_path / "demo", resolve_destination(context="emu", server=None, namespace=None))
    add_from_prototype(app, PrototypeIndex(app.root).find("deployed-service"), "web", {"image": "nginx:1.27"})
    app.reload()
    return app
