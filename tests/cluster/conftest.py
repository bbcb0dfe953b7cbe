"""Cluster tests: an app whose env points at the API server emulator through a real kubeconfig."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.conftest import run_kfctl

CRD_COMPONENT = """\
[
  { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition",
    metadata: { name: "widgets.acme.io" },
    spec: { group: "acme.io", scope: "Namespaced",
            names: { kind: "Widget", plural: "widgets", singular: "widget", listKind: "WidgetList" },
            versions: [ { name: "v1", served: true, storage: true,
                          schema: { openAPIV3Schema: { type: "object", properties: {
                            spec: { type: "object", properties: { size: { type: "integer" } } } } } } } ] } },
  { apiVersion: "acme.io/v1", kind: "Widget", metadata: { name: "w1" }, spec: { size: 3 } },
]
"""


class Cluster:
    def __init__(self, emulator, app_dir: Path, env: dict):
        self.emu = emulator
        self.app = app_dir
        self.env = env

    def kfctl(self, *args, check=None, input=None):
        return run_kfctl(*args, cwd=self.app, env=self.env, check=check, input=input)


@pytest.fixture
def cluster(emulator, tmp_path):
    kc = emulator.kubeconfig(tmp_path / "kubeconfig", context="emu", namespace="ml")
    env = {"KUBECONFIG": str(kc), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    run_kfctl("init", "demo", "--dir", str(tmp_path / "demo"), "--context", "emu", cwd=tmp_path, env=env, check=0)
    return Cluster(emulator, tmp_path / "demo", env)


def write_component(app: Path, name: str, text: str) -> None:
    (app / "components" / f"{name}.jsonnet").write_text(textwrap.dedent(text))
