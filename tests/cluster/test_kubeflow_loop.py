"""The issue's integration loop with the real packages: kubeflow-core + a tf-job against the emulator."""

from __future__ import annotations

import json

import pytest


# a cluster where Services get endpoints once their pods are ready and controllers write their webhooks' CA
# (kubeflow-core's training operator and Katib admit TFJobs and Experiments: apply waits for them)
@pytest.mark.emulator(endpoints="workloads", cert_controller="immediate")
def test_kubeflow_core_and_tf_job_loop(cluster):
    k = cluster.kfctl
    k("generate", "kubeflow-core", "kf", check=0)
    k("generate", "tf-job", "train", "--image=tensorflow/tensorflow:2.16.1", "--num_workers=2", check=0)
    rendered = json.loads(k("show", "-o", "json", check=0).stdout)["items"]

    res = k("apply", "default", "--yes", "-o", "json")
    assert res.exit_code == 0, res.stdout + res.stderr
    data = json.loads(res.stdout)
    assert data["ok"] and {o["action"] for o in data["objects"]} == {"created"}
    assert len(data["objects"]) == len(rendered)
    order = [o["kind"] for o in data["objects"]]
    assert order.index("CustomResourceDefinition") < order.index("TFJob")
    tfjob = cluster.emu.get("TFJob", "train", "ml")
    assert tfjob["spec"]["tfReplicaSpecs"]["Worker"]["replicas"] == 2
    for o in rendered:  # everything rendered is on the server, labelled as ours
        meta = o["metadata"]
        live = cluster.emu.get(o["kind"], meta["name"], meta.get("namespace"), api_version=o["apiVersion"])
        assert live is not None, (o["kind"], meta["name"])
        assert live["metadata"]["labels"]["kfctl.dev/app"] == "demo"

    assert k("diff", "default").exit_code == 0

    k("param", "set", "train", "num_workers", "4", check=0)
    res = k("diff", "default")
    assert res.exit_code == 1
    changed = [l for l in res.stdout.splitlines() if l[:1] in "+-" and l[:3] not in ("+++", "---")]
    assert [l[0] + l[1:].strip() for l in changed] == ["-replicas: 2", "+replicas: 4"]
    data = json.loads(k("apply", "default", "--yes", "-o", "json", check=0).stdout)
    actions = {(o["kind"], o["name"]): o["action"] for o in data["objects"]}
    assert actions[("TFJob", "train")] == "configured"
    assert sum(a == "unchanged" for a in actions.values()) == len(actions) - 1
    assert cluster.emu.get("TFJob", "train", "ml")["spec"]["tfReplicaSpecs"]["Worker"]["replicas"] == 4

    k("component", "rm", "train", check=0)
    res = k("prune", "default", "--yes", "-o", "json", check=0)
    assert [(o["kind"], o["name"], o["action"]) for o in json.loads(res.stdout)["objects"]] == [("TFJob", "train", "pruned")]
    assert cluster.emu.get("TFJob", "train", "ml") is None
    assert cluster.emu.get("CustomResourceDefinition", "tfjobs.kubeflow.org") is not None

    res = k("delete", "default", "--yes", "-o", "json", check=0)
    deleted = [o for o in json.loads(res.stdout)["objects"] if o["action"] == "deleted"]
    assert len(deleted) == len(rendered) - 1
    kinds = [o["kind"] for o in deleted]
    assert kinds.index("Deployment") < kinds.index("CustomResourceDefinition")
    assert cluster.emu.get("Namespace", "ml") is not None  # created by apply on its own: left in place
    assert cluster.emu.objects(label_selector="kfctl.dev/app=demo") == []  # kfctl's state ConfigMap too


def test_namespace_in_the_render_is_deleted(cluster):
    (cluster.app / "components" / "ns.jsonnet").write_text(
        '[{ apiVersion: "v1", kind: "Namespace", metadata: { name: "team-a" } },'
        ' { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "team-a" } }]')
    cluster.kfctl("apply", "default", "--yes", check=0)
    assert cluster.emu.get("ConfigMap", "c", "team-a") is not None
    res = cluster.kfctl("delete", "default", "--yes", "-o", "json", check=0)
    assert [o["kind"] for o in json.loads(res.stdout)["objects"] if o["action"] == "deleted"] == ["ConfigMap", "Namespace"]
    assert cluster.emu.get("Namespace", "team-a") is None
    assert cluster.emu.get("Namespace", "ml") is not None
