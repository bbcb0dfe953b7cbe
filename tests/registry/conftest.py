"""Fixture registries: local git repositories and ksonnet-format folders made in temp dirs (no network)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

REGISTRY_YAML_01 = """apiVersion: '0.1'
kind: ksonnet.io/registry
libraries:
  core:
    version: master
    path: core
  tf-job:
    version: master
    path: tf-job"""  # no trailing newline, like Kubeflow 0.1's


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@e", "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(cwd)}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout.strip()


def write_package(root: Path, name: str, *, value: str = "1", proto_name: str | None = None) -> None:
    d = root / name
    (d / "prototypes").mkdir(parents=True, exist_ok=True)
    (d / "tests").mkdir(exist_ok=True)
    (d / "parts.yaml").write_text(json.dumps({
        "name": name, "apiVersion": "0.0.1", "kind": "ksonnet.io/parts",
        "description": f"The {name} package.\n", "author": "t <t@e>", "license": "Apache 2.0",
        "quickStart": {"prototype": f"io.ksonnet.pkg.{name}", "componentName": name, "flags": {"name": name}},
    }, indent=2))
    (d / "README.md").write_text(f"# {name}\n")
    (d / f"{name}.libsonnet").write_text(
        '{\n  parts(name):: [{apiVersion: "v1", kind: "ConfigMap", metadata: {name: name}, data: {v: "%s"}}],\n}\n'
        % value)
    (d / "util.libsonnet").write_text('{ upper(s):: std.asciiUpper(s), version:: "%s" }\n' % value)
    (d / "tests" / "util_test.jsonnet").write_text('local u = import "../util.libsonnet"; u.upper("a")\n')
    pname = proto_name or f"io.ksonnet.pkg.{name}"
    (d / "prototypes" / f"{name}.jsonnet").write_text(
        f"// @apiVersion 0.1\n// @name {pname}\n// @description The {name} prototype\n"
        f"// @shortDescription {name} in one line\n// @param name string Name of the component\n"
        f'local lib = import "kf/{name}/{name}.libsonnet";\n'
        "lib.parts(import 'param://name')\n")


@pytest.fixture
def cache_env(tmp_path: Path, monkeypatch) -> dict:
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    return {"XDG_CACHE_HOME": str(cache)}


@pytest.fixture
def git_registry(tmp_path: Path) -> dict:
    """A git repo with the registry in subdir ``kf/``: tag v1 (value 1), tag v2 (value 2), branch dev (value 3)."""
    repo = tmp_path / "repo"
    reg = repo / "kf"
    reg.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    (reg / "registry.yaml").write_text(REGISTRY_YAML_01)
    write_package(reg, "core", value="1")
    write_package(reg, "tf-job", value="1")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "v1")
    git(repo, "tag", "v1")
    c1 = git(repo, "rev-parse", "HEAD")
    write_package(reg, "core", value="2")
    git(repo, "commit", "-qam", "v2")
    git(repo, "tag", "-a", "v2", "-m", "release 2")
    c2 = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "-b", "dev")
    write_package(reg, "core", value="3")
    git(repo, "commit", "-qam", "dev")
    c3 = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "main")
    return {"repo": repo, "url": repo.as_uri(), "v1": c1, "v2": c2, "dev": c3}


@pytest.fixture
def ks_registry(tmp_path: Path) -> Path:
    """A ksonnet-format registry folder (Kubeflow 0.1 layout), not a git repo."""
    reg = tmp_path / "ksreg" / "kubeflow"
    reg.mkdir(parents=True)
    (reg / "registry.yaml").write_text(REGISTRY_YAML_01)
    write_package(reg, "core", value="ks")
    write_package(reg, "tf-job", value="ks")
    write_package(reg, "seldon", value="ks")  # present but not listed, as in Kubeflow 0.1
    return reg
