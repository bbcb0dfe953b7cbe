"""Shared fixtures of the careless-user tests: a template app, copied fresh for each test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import run_kfctl


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("tpl") / "demo"
    env = {"KUBECONFIG": str(root.parent / "missing")}
    run_kfctl("init", "demo", "--dir", str(root), "--server", "https://k8s.example:6443", check=0, env=env)
    run_kfctl("generate", "deployed-service", "web", "--image", "nginx", cwd=root, check=0, env=env)
    return root


@pytest.fixture
def app(template: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "demo"
    shutil.copytree(template, dest, ignore=shutil.ignore_patterns(".kfctl"))
    return dest
