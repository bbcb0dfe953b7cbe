"""The built-in registry's packages through the real CLI: install, generate, show, per platform."""

from __future__ import annotations

import json

from tests.conftest import run_kfctl
from tests.packages.validation import crd_schemas, validate_objects


def test_install_generate_show_with_platform_profiles(tmp_path):
    env = {"KUBECONFIG": str(tmp_path / "missing")}
    app = tmp_path / "kf"
    run_kfctl("init", "kf", "--dir", str(app), "--server", "https://k8s.example:6443", "--namespace", "kubeflow",
              check=0, env=env)
    for pkg in ("core", "tf-job", "tf-serving", "gpu"):
        run_kfctl("pkg", "install", f"kubeflow/{pkg}", cwd=app, check=0, env=env)
    run_kfctl("generate", "kubeflow-core", "kubeflow-core", "--disks=data", "--cloud=gke", cwd=app, check=0, env=env)
    run_kfctl("generate", "tf-job", "mnist", "--num_workers=2", "--num_gpus=1", cwd=app, check=0, env=env)
    run_kfctl("generate", "tf-serving", "serve", "--model_path=s3://models/mnist", cwd=app, check=0, env=env)
    run_kfctl("generate", "nvidia-device-plugin", "nvidia-device-plugin-daemonset", cwd=app, check=0, env=env)
    run_kfctl("env", "add", "prem", "--server", "https://10.0.0.1:6443", "--namespace", "ml", "--platform", "on-prem",
              cwd=app, check=0, env=env)

    shown = {}
    for name in ("default", "prem"):
        res = run_kfctl("show", name, "-o", "json", cwd=app, check=0, env=env)
        shown[name] = json.loads(res.stdout)["items"]
    schemas = crd_schemas(shown["default"])
    for objs in shown.values():
        validate_objects(objs, schemas)
    # core 69 + NFS for one disk (8 on GKE, 9 elsewhere: the export claim), 1 TFJob, 2 serving, 1 DaemonSet
    assert len(shown["default"]) == 69 + 8 + 1 + 2 + 1
    assert len(shown["prem"]) == 69 + 9 + 1 + 2 + 1

    def find(objs, kind, name):
        [o] = [o for o in objs if o["kind"] == kind and o["metadata"]["name"] == name]
        return o

    # default env: the component's own params (cloud=gke: JupyterHub inside the cluster)
    assert find(shown["default"], "Service", "proxy-public")["spec"]["type"] == "ClusterIP"
    assert find(shown["default"], "Service", "proxy-public")["metadata"]["namespace"] == "kubeflow"
    # the on-prem profile overrides cloud and the service types, and steers GPU workers
    prem = shown["prem"]
    assert find(prem, "Service", "proxy-public")["spec"]["type"] == "NodePort"
    assert find(prem, "Service", "serve")["spec"]["type"] == "NodePort"
    assert find(prem, "Service", "katib-ui")["metadata"]["namespace"] == "ml"
    worker = find(prem, "TFJob", "mnist")["spec"]["tfReplicaSpecs"]["Worker"]["template"]["spec"]
    assert worker["tolerations"] == [{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}]
    assert worker["nodeSelector"] == {"nvidia.com/gpu.present": "true"}
    # on-prem: the disk is exported from a claim on the profile's storage class, not a GCE disk
    export = find(prem, "PersistentVolumeClaim", "data-export")
    assert export["spec"]["storageClassName"] == "nfs-client"
    assert find(prem, "DaemonSet", "nvidia-device-plugin-daemonset")["metadata"]["namespace"] == "kube-system"


def test_generate_kubeflow_platform_installs_its_dependencies(tmp_path):
    """The platform package imports other packages: generating its prototype installs it and every
    package its parts.yaml names, and the component renders from the app's vendor/ copies."""
    env = {"KUBECONFIG": str(tmp_path / "missing")}
    app = tmp_path / "kf"
    run_kfctl("init", "kf", "--dir", str(app), "--server", "https://k8s.example:6443", "--namespace", "kubeflow",
              check=0, env=env)
    res = run_kfctl("generate", "kubeflow-platform", "platform", "--installCrds=false", "--workflows=false",
                    cwd=app, check=0, env=env)
    deps = ["training-operator", "trainer", "kueue", "cert-manager", "kserve", "katib", "notebooks", "argo-workflows",
            "gpu"]
    assert res.stderr.splitlines() == [
        "✓ Installed kubeflow/platform@master into vendor/kubeflow/platform",
        "(package kubeflow/platform was installed because it provides io.ksonnet.pkg.kubeflow-platform)",
        *[f"✓ Installed kubeflow/{d}@{v} into vendor/kubeflow/{d} (needed by kubeflow/platform)"
          for d, v in zip(deps, ["v1.9.4", "v2.3.0", "v0.19.2", "v1.21.1", "v0.20.0", "v0.19.0", "v1.11.0", "v4.1.2",
                                 "master"])],
        "✓ Wrote component 'platform' at components/platform.jsonnet from io.ksonnet.pkg.kubeflow-platform",
    ]
    assert sorted(p.name for p in (app / "vendor" / "kubeflow").iterdir()) == sorted(["platform", *deps])
    items = json.loads(run_kfctl("show", "-o", "json", cwd=app, check=0, env=env).stdout)["items"]
    namespaces = {o["metadata"]["name"] for o in items if o["kind"] == "Namespace"}
    assert namespaces == {"kubeflow", "kueue-system", "cert-manager", "kserve", "notebook-controller-system"}
    assert not any(o["kind"] == "CustomResourceDefinition" for o in items)
    assert {o["metadata"]["labels"]["kfctl.dev/component"] for o in items} == {"platform"}
    # installing again changes nothing; a dependency already there is left alone
    res = run_kfctl("pkg", "install", "kubeflow/platform", cwd=app, check=0, env=env)
    assert res.stderr == "kubeflow/platform@master is already installed\n"
