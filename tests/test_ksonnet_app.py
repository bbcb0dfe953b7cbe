"""A ksonnet app as ks 0.12 left it (app.yaml 0.2.0, ksonnet-lib, vendored package, env overrides)
renders with kfctl unchanged."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from tests.conftest import run_kfctl

APP_YAML = """\
apiVersion: 0.2.0
environments:
  default:
    destination:
      namespace: kubeflow
      server: https://k8s.example:6443
    k8sVersion: v1.8.0
    path: default
kind: ksonnet.io/app
libraries:
  core:
    name: core
    registry: kubeflow
    version: 9f8a1d2
name: ks-app
registries:
  kubeflow:
    protocol: github
    uri: github.com/kubeflow/kubeflow/tree/v0.2.0/kubeflow
version: 0.0.1
"""

UTIL = """\
{
  labels(name):: { app: name, "ksonnet.io/owner": "kubeflow" },
}
"""

COMPONENT = """\
local env = std.extVar("__ksonnet/environments");
local params = std.extVar("__ksonnet/params").components["tf-dashboard"];
local k = import "k.libsonnet";
local util = import "kubeflow/core/util.libsonnet";
local deployment = k.apps.v1beta1.deployment;
local container = deployment.mixin.spec.template.spec.containersType;
local service = k.core.v1.service;
local servicePort = service.mixin.spec.portsType;
local labels = util.labels(params.name);
{
  deployment: deployment.new(params.name, params.replicas,
                             container.new(params.name, params.image) + container.withPorts([{ containerPort: 8080 }]),
                             labels)
              + deployment.mixin.metadata.withNamespace(env.namespace),
  service: service.new(params.name, labels, servicePort.new(80, 8080)) + service.mixin.spec.withClusterIp("None"),
}
"""


def write(p: Path, text: str) -> None:
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(textwrap.dedent(text))


def test_ks012_app_renders_unchanged(tmp_path):
    root = tmp_path / "ks-app"
    from kfctl.app.scaffold import BASE_LIBSONNET, ENV_GLOBALS, ENV_PARAMS

    write(root / "app.yaml", APP_YAML)
    write(root / "environments" / "base.libsonnet", BASE_LIBSONNET)
    write(root / "environments" / "default" / "globals.libsonnet", ENV_GLOBALS)
    write(root / "environments" / "default" / "params.libsonnet",
          ENV_PARAMS.replace("  components +: {\n", '  components +: {\n    "tf-dashboard" +: { replicas: 2 },\n'))
    write(root / "environments" / "default" / "main.jsonnet", """\
        local base = import "base.libsonnet";
        local k = import "k.libsonnet";
        local deployment = k.apps.v1beta1.deployment;
        base + {
          "tf-dashboard"+: { deployment+: deployment.mixin.metadata.withLabels({ tier: "ui" }) },
        }
        """)
    write(root / "vendor" / "kubeflow" / "core" / "util.libsonnet", UTIL)
    write(root / "vendor" / "kubeflow" / "core" / "parts.yaml", '{"apiVersion": "0.0.1", "kind": "ksonnet.io/parts", "name": "core"}')
    write(root / "components" / "params.libsonnet", """\
        {
          global: {},
          components: {
            "tf-dashboard": { name: "tf-job-dashboard", image: "gcr.io/kubeflow/tf-dash:v0.2", replicas: 1 },
          },
        }
        """)
    write(root / "components" / "tf-dashboard.jsonnet", COMPONENT)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    res = run_kfctl("show", "-o", "json", cwd=root, env={"XDG_CACHE_HOME": str(tmp_path / "cache")}, check=0)
    items = json.loads(res.stdout)["items"]
    owner = {"app.kubernetes.io/managed-by": "kfctl", "kfctl.dev/app": "ks-app", "kfctl.dev/env": "default",
             "kfctl.dev/component": "tf-dashboard"}
    labels = {"app": "tf-job-dashboard", "ksonnet.io/owner": "kubeflow"}
    assert items == [
        {"apiVersion": "v1", "kind": "Service",
         "metadata": {"name": "tf-job-dashboard", "namespace": "kubeflow", "labels": owner},
         "spec": {"clusterIP": "None", "ports": [{"port": 80, "targetPort": 8080}], "selector": labels}},
        {"apiVersion": "apps/v1beta1", "kind": "Deployment",
         "metadata": {"name": "tf-job-dashboard", "namespace": "kubeflow", "labels": {"tier": "ui", **owner}},
         "spec": {"replicas": 2,
                  "template": {"metadata": {"labels": labels},
                               "spec": {"containers": [{"image": "gcr.io/kubeflow/tf-dash:v0.2", "name": "tf-job-dashboard",
                                                        "ports": [{"containerPort": 8080}]}]}}}},
    ]
    after = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".kfctl" not in p.parts}
    assert after == before  # rendering wrote nothing into the app (ksonnet-lib comes from the cache)
    # env-level introspection works on the ksonnet files too
    rows = json.loads(run_kfctl("param", "list", "--env", "default", "-o", "json", cwd=root, check=0).stdout)["data"]
    assert {(r["param"], r["value"], r["source"]) for r in rows} == {
        ("name", "tf-job-dashboard", "component"), ("image", "gcr.io/kubeflow/tf-dash:v0.2", "component"),
        ("replicas", 2, "env (default)")}
