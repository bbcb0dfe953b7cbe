"""The training stack through the real CLI: prototype list, generate (auto-install), validate against
the vendored CRDs without the operator in the render, the in-render CRD clash, pkg verify of upstream
files, and the live CRD clash rules (tests/cluster/test_training_stack.py: on the emulator)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_kfctl

NEW = ["io.ksonnet.pkg.training-operator", "io.ksonnet.pkg.pytorch-job", "io.ksonnet.pkg.xgboost-job",
       "io.ksonnet.pkg.trainer", "io.ksonnet.pkg.train-job", "io.ksonnet.pkg.mpi-operator", "io.ksonnet.pkg.mpi-job",
       "io.ksonnet.pkg.jobset-controller", "io.ksonnet.pkg.jobset", "io.ksonnet.pkg.kueue", "io.ksonnet.pkg.team-queues",
       "io.ksonnet.pkg.scheduler-plugins", "io.ksonnet.pkg.gpu-operator", "io.ksonnet.pkg.gpu-stack"]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    d = tmp_path_factory.mktemp("stack")
    env = {"KUBECONFIG": str(d / "missing"), "XDG_CACHE_HOME": str(d / "cache")}
    run_kfctl("init", "ml", "--dir", str(d / "ml"), "--server", "https://k8s.example:6443", "--namespace", "ml",
              check=0, env=env)
    return d / "ml", env


def kf(app, *args, check=None):
    root, env = app
    return run_kfctl(*args, cwd=root, env=env, check=check)


def test_prototype_list_shows_the_training_stack(app):
    data = json.loads(kf(app, "prototype", "list", "-o", "json", check=0).stdout)["data"]
    by_name = {r["name"]: r for r in data}
    for name in NEW:
        assert by_name[name]["installed"] is False, name
    assert by_name["io.ksonnet.pkg.pytorch-job"]["source"] == "kubeflow/training-operator"
    assert by_name["io.ksonnet.pkg.team-queues"]["source"] == "kubeflow/kueue"
    from tests.test_ks_fidelity import table

    rows = {r[0]: r[1:] for r in table(kf(app, "prototype", "list", check=0).stdout)}
    assert rows["io.ksonnet.pkg.pytorch-job"] == ["kubeflow/training-operator", "", "A PyTorchJob (training-operator v1)."]


def test_generate_validate_and_clash(app):
    root, _ = app
    res = kf(app, "generate", "pytorch-job", "mnist", "--num_workers=2", "--num_gpus=1", "--queue=team-a", check=0)
    assert res.stderr.splitlines()[-2:] == [
        "(package kubeflow/training-operator was installed because it provides io.ksonnet.pkg.pytorch-job)",
        "✓ Wrote component 'mnist' at components/mnist.jsonnet from io.ksonnet.pkg.pytorch-job"]
    kf(app, "generate", "team-queues", "queues", "--teams=[{name: 'team-a', cpu: 8, memory: '32Gi', gpu: 2}]", check=0)
    kf(app, "env", "add", "prem", "--server", "https://10.0.0.1:6443", "--namespace", "ml", "--platform", "on-prem",
       check=0)
    shown = json.loads(kf(app, "show", "prem", "-o", "json", check=0).stdout)["items"]
    kinds = sorted((o["kind"], o["metadata"]["name"], o["metadata"].get("namespace")) for o in shown)
    # no operator in this render: the cluster-scoped Kueue kinds still get no namespace
    assert kinds == [("ClusterQueue", "team-a", None), ("LocalQueue", "team-a", "team-a"), ("Namespace", "team-a", None),
                     ("PyTorchJob", "mnist", "ml"), ("ResourceFlavor", "default-flavor", None),
                     ("ResourceFlavor", "gpu", None)]
    gpu = next(o for o in shown if o["metadata"]["name"] == "gpu")
    assert gpu["spec"] == {"nodeLabels": {"nvidia.com/gpu.present": "true"},
                           "tolerations": [{"effect": "NoSchedule", "key": "nvidia.com/gpu", "operator": "Exists"}]}
    job = next(o for o in shown if o["kind"] == "PyTorchJob")
    assert job["metadata"]["labels"]["kueue.x-k8s.io/queue-name"] == "team-a"
    # validated against the pinned upstream CRDs although neither operator is in the render
    res = kf(app, "validate", "prem", check=0)
    assert res.stdout == "" and res.stderr == "✓ 6 object(s) of env prem valid against Kubernetes 1.30\n"
    (root / "components" / "bad.jsonnet").write_text(
        '{apiVersion: "kubeflow.org/v1", kind: "PyTorchJob", metadata: {name: "bad"},'
        ' spec: {pytorchReplicaSpecs: {Worker: {replicas: "two"}}, runPolicy: {cleanPodPolicy: "None"}, colour: "red"}}\n')
    res = kf(app, "validate", "prem", "-o", "json")
    assert res.exit_code == 1
    problems = sorted((p["object"], p["path"], p["message"]) for p in json.loads(res.stdout)["problems"])
    assert problems == [("bad/PyTorchJob/bad", "spec.colour", "unknown field"),
                        ("bad/PyTorchJob/bad", "spec.pytorchReplicaSpecs.Worker.replicas", 'expected integer, got string "two"')]
    (root / "components" / "bad.jsonnet").unlink()
    # two packages defining mpijobs.kubeflow.org: an error naming both and the params that resolve it
    kf(app, "generate", "mpi-operator", "mpi", check=0)
    kf(app, "generate", "training-operator", "to", check=0)
    clash = ("CRD clash: mpijobs.kubeflow.org is defined by components 'mpi' (kubeflow/mpi-operator v0.8.0, "
             "served v2beta1, storage v2beta1) and 'to' (kubeflow/trainer v1.9.4, served v1, storage v1) (different "
             "definitions); keep one: set to's param enabledKinds without mpijob (or installCrds=false), or mpi's param "
             "installCrds=false")
    # show prints both copies as ks did (issue 13), with the clash as a warning; validate/diff/apply stop
    res = kf(app, "show", "prem", "-o", "json")
    assert (res.exit_code, res.stderr.splitlines()[0]) == (0, f"warning: {clash}; every copy is output, as ks did")
    assert [o["metadata"]["labels"]["kfctl.dev/component"] for o in json.loads(res.stdout)["items"]
            if o["metadata"]["name"] == "mpijobs.kubeflow.org"] == ["mpi", "to"]
    assert kf(app, "validate", "prem").stderr.splitlines()[0] == f"error: {clash}"
    for cmd in ("validate", "diff", "apply"):
        assert kf(app, cmd, "prem").stderr.startswith("error: CRD clash: mpijobs.kubeflow.org is defined by"), cmd
    kf(app, "param", "set", "to", "enabledKinds", "tfjob,pytorchjob,xgboostjob,paddlejob,jaxjob", check=0)
    shown = json.loads(kf(app, "show", "prem", "-o", "json", check=0).stdout)["items"]
    crds = sorted(o["metadata"]["name"] for o in shown if o["kind"] == "CustomResourceDefinition")
    assert crds == ["jaxjobs.kubeflow.org", "mpijobs.kubeflow.org", "paddlejobs.kubeflow.org", "pytorchjobs.kubeflow.org",
                    "tfjobs.kubeflow.org", "xgboostjobs.kubeflow.org"]
    mpi = next(o for o in shown if o["metadata"]["name"] == "mpijobs.kubeflow.org")
    assert [v["name"] for v in mpi["spec"]["versions"]] == ["v2beta1"]
    assert kf(app, "validate", "prem").exit_code == 0


def test_pkg_verify_detects_a_tampered_upstream_file(tmp_path):
    env = {"KUBECONFIG": str(tmp_path / "missing"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    root = tmp_path / "v"
    run_kfctl("init", "v", "--dir", str(root), "--server", "https://k8s.example:6443", check=0, env=env)
    run_kfctl("pkg", "install", "kubeflow/jobset", cwd=root, env=env, check=0)
    assert run_kfctl("pkg", "verify", cwd=root, env=env).exit_code == 0
    target = root / "vendor/kubeflow/jobset/upstream/manifests.json"
    target.write_text(target.read_text().replace("registry.k8s.io/jobset/jobset:v0.12.0", "evil.example/jobset:v0.12.0"))
    # even after the tampered tree is recorded in the lock, upstream.json's sha256 catches it
    run_kfctl("pkg", "lock", cwd=root, env=env, check=0)
    res = run_kfctl("pkg", "verify", cwd=root, env=env)
    assert res.exit_code == 1
    assert res.stdout == ("kubeflow/jobset: vendor/kubeflow/jobset/upstream/manifests.json differs from the sha256 "
                          "upstream.json records (kubernetes-sigs/jobset v0.12.0 f22e565ac3cc)\n")
    assert res.stderr.splitlines()[0] == ("error: vendored upstream files do not match upstream.json: 1 file(s) in "
                                          "kubeflow/jobset; reinstall with 'kfctl pkg install --force REGISTRY/PACKAGE'")
    data = json.loads(run_kfctl("pkg", "verify", "-o", "json", cwd=root, env=env).stdout)
    assert data == {"ok": False, "problems": [{"package": "kubeflow/jobset", "change": "upstream-modified",
                                               "path": "vendor/kubeflow/jobset/upstream/manifests.json"}]}


def test_live_clash_rules():
    from kfctl.render.model import RenderedObject
    from kfctl.validate.crds import live_clashes

    def crd(versions, storage, labels=None, annotations=None):
        return {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                "metadata": {"name": "widgets.acme.io", "labels": labels or {}, "annotations": annotations or {}},
                "spec": {"group": "acme.io", "names": {"kind": "Widget"},
                         "versions": [{"name": v, "served": True, "storage": v == storage} for v in versions]}}

    mine = {"app.kubernetes.io/managed-by": "kfctl", "kfctl.dev/app": "a", "kfctl.dev/env": "e", "kfctl.dev/component": "w"}
    ro = RenderedObject("w", crd(["v1", "v2"], "v2", mine))
    assert live_clashes([ro], {"widgets.acme.io": None}) == []
    assert live_clashes([ro], {"widgets.acme.io": crd(["v1"], "v1")}) == [
        "CRD clash: widgets.acme.io rendered by component 'w' (served v1, v2, storage v2): the cluster's serves v1 "
        "and stores v1"]
    # an unowned live CRD with the same versions is adopted; the same owner may add versions
    assert live_clashes([ro], {"widgets.acme.io": crd(["v1", "v2"], "v2")}) == []
    assert live_clashes([ro], {"widgets.acme.io": crd(["v1"], "v1", mine)}) == []
    # ... but not stop serving the stored one
    assert live_clashes([RenderedObject("w", crd(["v2"], "v2", mine))], {"widgets.acme.io": crd(["v1"], "v1", mine)}) == [
        "CRD clash: widgets.acme.io rendered by component 'w' (served v2, storage v2): the cluster stores v1, which "
        "the render no longer serves (objects stored as v1 would become unreadable)"]
    helm = crd(["v1", "v2"], "v2", {"app.kubernetes.io/managed-by": "Helm"},
               {"meta.helm.sh/release-name": "widgets", "meta.helm.sh/release-namespace": "acme"})
    assert live_clashes([ro], {"widgets.acme.io": helm}) == [
        "CRD clash: widgets.acme.io rendered by component 'w' (served v1, v2, storage v2): the cluster's belongs to "
        "Helm release acme/widgets, or remove the CRD from Helm release acme/widgets first"]
