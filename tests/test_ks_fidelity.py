"""ksonnet 0.13 fidelity (issue 13): small apps of our own reproducing the shapes real ks apps had.

Truth is ks 0.13.1's source: ``pkg/params/ext_vars.go`` (``__ksonnet/environments``),
``pkg/prototype/jsonnet_parser.go`` (prototype headers), ``pkg/cluster/show.go`` (what show printed),
``pkg/prototype/system/*.jsonnet`` (the built-in prototypes), ``pkg/util/jsonnet/object.go``
(``param set`` value decoding).
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import yaml

from tests.conftest import run_kfctl


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))


def show_json(app_dir: Path, *args: str) -> list[dict]:
    res = run_kfctl("show", *args, "-o", "json", cwd=app_dir, check=0)
    return json.loads(res.stdout)["items"]


def set_component_params(app_dir: Path, body: str) -> None:
    write(app_dir / "components" / "params.libsonnet", "{\n  global: {},\n  components: {\n" + body + "  },\n}\n")


# ------------------------------------------------------------------------------------------------
# 1. __ksonnet/environments is {server, namespace}; kfctl-native code reads __kfctl/env

KF04_LIB = """\
{
  // Kubeflow 0.4/0.5 common/*.libsonnet: new(_env, _params):: { local params = _params + _env, ... }
  new(_env, _params):: {
    local params = _params + _env,
    all:: [
      { apiVersion: "v1", kind: "Service", metadata: { name: params.name, namespace: params.namespace } },
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: params.name + "-login", namespace: params.namespace },
        data: { keys: std.join(",", std.objectFields(_env)) } },
    ],
  },
}
"""


def test_env_ext_var_is_what_ks_passed_so_params_plus_env_keeps_names(app_dir):
    write(app_dir / "lib" / "kf04.libsonnet", KF04_LIB)
    write(app_dir / "components" / "ambassador.jsonnet", """\
        local env = std.extVar("__ksonnet/environments");
        local params = std.extVar("__ksonnet/params").components.ambassador;
        local lib = import "kf04.libsonnet";
        lib.new(env, params).all
        """)
    set_component_params(app_dir, '    ambassador: { name: "ambassador" },\n')
    items = show_json(app_dir, "default")
    assert [(o["kind"], o["metadata"]["name"], o["metadata"]["namespace"]) for o in items] == [
        ("ConfigMap", "ambassador-login", "demo-ns"), ("Service", "ambassador", "demo-ns")]
    assert items[0]["data"] == {"keys": "namespace,server"}


def test_kfctl_env_ext_var_gives_kfctl_native_code_the_env_name(app_dir):
    run_kfctl("env", "add", "prd", "--server", "https://prd:6443", "-n", "prd-ns", "--platform", "gke",
              cwd=app_dir, check=0)
    write(app_dir / "components" / "who.jsonnet", """\
        local e = std.extVar("__kfctl/env");
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "who-" + e.name }, data: {
            namespace: e.namespace, server: e.server, k8sVersion: e.k8sVersion, platform: std.toString(e.platform),
            ks: std.join(",", std.objectFields(std.extVar("__ksonnet/environments"))) } }
        """)
    (cm,) = show_json(app_dir, "prd")
    assert cm["metadata"]["name"] == "who-prd"
    assert cm["data"] == {"namespace": "prd-ns", "server": "https://prd:6443", "k8sVersion": "v1.30.0",
                          "platform": "gke", "ks": "namespace,server"}
    (cm,) = show_json(app_dir, "default")
    assert cm["metadata"]["name"] == "who-default" and cm["data"]["platform"] == "null"


def test_prototype_preview_has_kfctl_env_with_null_name(tmp_path):
    protos = tmp_path / "app"
    run_kfctl("init", "app", "--dir", str(protos), "--server", "https://k:6443", "-n", "ns", check=0,
              env={"KUBECONFIG": str(tmp_path / "none")})
    write(protos / "prototypes" / "who.jsonnet", """\
        // @apiVersion 0.1
        // @name io.acme.who
        // @param name string Name
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: params.name },
          data: { env: std.toString(std.extVar("__kfctl/env").name), ns: std.extVar("__kfctl/env").namespace,
                  ks: std.join(",", std.objectFields(env)) } }
        """)
    out = run_kfctl("prototype", "preview", "who", "--name", "x", "-n", "pv", "-o", "json", cwd=protos, check=0).stdout
    (cm,) = json.loads(out)["items"]
    assert cm["data"] == {"env": "null", "ns": "pv", "ks": "namespace,server"}


def test_nothing_shipped_reads_the_env_name_from_ksonnet_environments():
    """registry/ and prototypes/ must use __kfctl/env for the env name (docs/prototypes.md)."""
    import re

    root = Path(__file__).resolve().parents[1]
    pattern = re.compile(r"""\benv\s*(\.\s*name\b|\[\s*['"]name['"]\s*\])|objectHas\(\s*_?env\s*,\s*['"]name['"]""")
    offenders = [f"{p.relative_to(root)}:{i}" for d in ("registry", "prototypes") for p in sorted((root / d).rglob("*sonnet"))
                 for i, line in enumerate(p.read_text().splitlines(), 1) if pattern.search(line)]
    assert offenders == []
