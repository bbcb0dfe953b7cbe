#!/usr/bin/env python3
"""A Kubeflow 0.3-style ksonnet app (written against ksonnet-lib, app.yaml 0.2.0, k8s v1.8):
20 components, ~150 objects.  Measures `kfctl show` per engine (ksonnet's `ks show` took ~2 s).

    .venv/bin/python bench/ksonnet_app_bench.py [--components 20] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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
name: kf03
registries: {}
version: 0.0.1
"""

COMPONENT = """\
local env = std.extVar("__ksonnet/environments");
local params = std.extVar("__ksonnet/params").components["%(name)s"];
local k = import "k.libsonnet";
local deployment = k.apps.v1beta1.deployment;
local container = deployment.mixin.spec.template.spec.containersType;
local service = k.core.v1.service;
local servicePort = service.mixin.spec.portsType;
local configMap = k.core.v1.configMap;
local serviceAccount = k.core.v1.serviceAccount;
local role = k.rbac.v1beta1.role;
local rules = role.rulesType;
local roleBinding = k.rbac.v1beta1.roleBinding;
local labels = { app: params.name };
local name(s) = params.name + "-" + s;
local objects = [
  configMap.new(name("config"), { "config.yaml": std.manifestYamlDoc({ replicas: params.replicas, image: params.image }) }),
  serviceAccount.new(name("sa")),
  role.new() + role.mixin.metadata.withName(name("role")) + role.withRulesMixin([
    rules.new() + rules.withApiGroups(["kubeflow.org"]) + rules.withResources(["tfjobs", "tfjobs/status"])
    + rules.withVerbs(["get", "list", "watch", "create", "update", "delete"]),
  ]),
  roleBinding.new() + roleBinding.mixin.metadata.withName(name("binding"))
  + roleBinding.mixin.roleRef.withApiGroup("rbac.authorization.k8s.io") + roleBinding.mixin.roleRef.withKind("Role")
  + roleBinding.mixin.roleRef.withName(name("role"))
  + roleBinding.withSubjects([{ kind: "ServiceAccount", name: name("sa"), namespace: env.namespace }]),
  deployment.new(params.name, params.replicas,
                 container.new(params.name, params.image) + container.withPorts([{ containerPort: 8080 }])
                 + container.withArgs(["--port=8080", "--name=" + params.name]), labels)
  + deployment.mixin.spec.template.spec.withServiceAccountName(name("sa"))
  + deployment.mixin.metadata.withLabels(labels),
  service.new(params.name, labels, servicePort.new(80, 8080)) + service.mixin.spec.withType("ClusterIP"),
  service.new(name("headless"), labels, servicePort.new(8080, 8080)) + service.mixin.spec.withClusterIp("None"),
  configMap.new(name("extra"), { ["k%%d" %% i]: std.toString(i) for i in std.range(1, 20) }),
];
k.core.v1.list.new(objects)
"""


def make_app(base: Path, n: int) -> Path:
    root = base / "kf03"
    (root / "components").mkdir(parents=True)
    (root / "environments" / "default").mkdir(parents=True)
    (root / "app.yaml").write_text(APP_YAML)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from kfctl.app.scaffold import BASE_LIBSONNET, ENV_GLOBALS, ENV_MAIN, ENV_PARAMS

    (root / "environments" / "base.libsonnet").write_text(BASE_LIBSONNET)
    for f, t in (("main.jsonnet", ENV_MAIN), ("params.libsonnet", ENV_PARAMS), ("globals.libsonnet", ENV_GLOBALS)):
        (root / "environments" / "default" / f).write_text(t)
    params = []
    for i in range(n):
        name = f"svc-{i:02d}"
        (root / "components" / f"{name}.jsonnet").write_text(COMPONENT % {"name": name})
        params.append(f'    "{name}": {{ name: "{name}", image: "gcr.io/kubeflow/app:{i}", replicas: {1 + i % 3} }},\n')
    (root / "components" / "params.libsonnet").write_text(
        "{\n  global: {},\n  components: {\n" + "".join(params) + "  },\n}\n")
    return root


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--components", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "XDG_CACHE_HOME": str(Path(tmp) / "cache"), "NO_COLOR": "1"}
        root = make_app(Path(tmp), a.components)
        # first run generates ksonnet-lib v1.8 into the cache (once per machine)
        t = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "kfctl", "show", "-o", "json"], cwd=root, env=env,
                             check=True, capture_output=True, text=True).stdout
        first = time.perf_counter() - t
        count = len(json.loads(out)["items"])
        print(f"\nKubeflow 0.3-style ksonnet app: {a.components} components, {count} objects, "
              f"ksonnet-lib v1.8 (first run, generating the library: {first:.2f} s)\n")
        print("| engine | `kfctl show` (s, median) |")
        print("|---|---|")
        for engine in ("default", "rjsonnet", "gojsonnet"):
            args = [sys.executable, "-m", "kfctl", "show", "-o", "json"] + ([] if engine == "default" else ["--engine", engine])
            times = []
            for _ in range(a.repeat):
                t = time.perf_counter()
                subprocess.run(args, cwd=root, env=env, check=True, capture_output=True)
                times.append(time.perf_counter() - t)
            print(f"| {engine} | {statistics.median(times):.2f} |")


if __name__ == "__main__":
    main()
