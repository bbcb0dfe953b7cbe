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
    # core 28 + NFS for one disk (8 on GKE, 9 elsewhere: the export claim), 1 TFJob, 2 serving, 1 DaemonSet
    assert len(shown["default"]) == 28 + 8 + 1 + 2 + 1
    assert len(shown["prem"]) == 28 + 9 + 1 + 2 + 1

    def find(objs, kind, name):
        [o] = [o for o in objs if o["kind"] == kind and o["metadata"]["name"] == name]
        return o

    # default env: the component's own params (cloud=gke)
    assert find(shown["default"], "Service", "ambassador")["spec"]["type"] == "LoadBalancer"
    assert find(shown["default"], "Service", "ambassador")["metadata"]["namespace"] == "kubeflow"
    # the on-prem profile overrides cloud and the service types, and steers GPU workers
    prem = shown["prem"]
    assert find(prem, "Service", "ambassador")["spec"]["type"] == "NodePort"
    assert find(prem, "Service", "tf-hub-lb")["spec"]["type"] == "NodePort"
    assert find(prem, "Service", "serve")["spec"]["type"] == "NodePort"
    assert find(prem, "Service", "ambassador")["metadata"]["namespace"] == "ml"
    worker = find(prem, "TFJob", "mnist")["spec"]["tfReplicaSpecs"]["Worker"]["template"]["spec"]
    assert worker["tolerations"] == [{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}]
    assert worker["nodeSelector"] == {"nvidia.com/gpu.present": "true"}
    # on-prem: the disk is exported from a claim on the profile's storage class, not a GCE disk
    export = find(prem, "PersistentVolumeClaim", "data-export")
    assert export["spec"]["storageClassName"] == "nfs-client"
    assert find(prem, "DaemonSet", "nvidia-device-plugin-daemonset")["metadata"]["namespace"] == "kube-system"
