"""Regression tests from a review of the cluster layer against real API server behaviour."""

from __future__ import annotations

import json

from tests.cluster.conftest import write_component

CM = """\
[{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "%s" }, data: { a: "1" } }]
"""


def test_apply_prune_with_component_keeps_other_components(cluster):
    write_component(cluster.app, "one", CM % "one")
    write_component(cluster.app, "two", CM % "two")
    cluster.kfctl("apply", "default", "--yes", check=0)
    res = cluster.kfctl("apply", "default", "-c", "one", "--prune", "--yes", "-o", "json", check=0)
    data = json.loads(res.stdout)
    assert [(o["name"], o["action"]) for o in data["objects"]] == [("one", "unchanged")]
    assert cluster.emu.get("ConfigMap", "two", "ml") is not None
    # an orphan of the selected component is pruned; an orphan of another component is not
    write_component(cluster.app, "one", "[]")
    write_component(cluster.app, "two", "[]")
    write_component(cluster.app, "three", CM % "three")
    res = cluster.kfctl("apply", "default", "-c", "one", "--prune", "--yes", "-o", "json", check=0)
    data = json.loads(res.stdout)
    assert [(o["name"], o["action"]) for o in data["objects"]] == [("one", "pruned")]
    assert cluster.emu.get("ConfigMap", "one", "ml") is None
    assert cluster.emu.get("ConfigMap", "two", "ml") is not None


PVC = """\
[{ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "data" },
   spec: { %s accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } }]
"""


def _storage_class(name: str, mode: str, default: bool = False) -> dict:
    meta = {"name": name}
    if default:
        meta["annotations"] = {"storageclass.kubernetes.io/is-default-class": "true"}
    return {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": meta,
            "provisioner": "example.com/disk", "volumeBindingMode": mode}


def test_wait_does_not_hang_on_wait_for_first_consumer_pvc(cluster):
    cluster.emu.set_ready("never", "PersistentVolumeClaim")  # no pod uses it: it stays Pending
    cluster.emu.create(_storage_class("local", "WaitForFirstConsumer"))
    cluster.emu.create(_storage_class("std", "WaitForFirstConsumer", default=True))
    cluster.emu.create(_storage_class("fast", "Immediate"))
    write_component(cluster.app, "vol", PVC % 'storageClassName: "local",')
    res = cluster.kfctl("apply", "default", "--yes", "--wait", "--timeout", "20s", "-o", "json")
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout)["notReady"] == []
    # no class named: the default class decides
    write_component(cluster.app, "vol", PVC % "")
    cluster.kfctl("delete", "default", "--yes", check=0)
    res = cluster.kfctl("apply", "default", "--yes", "--wait", "--timeout", "20s", "-o", "json")
    assert res.exit_code == 0, res.stderr
    # an Immediate class that does not bind is still waited for, and reported
    cluster.kfctl("delete", "default", "--yes", check=0)
    write_component(cluster.app, "vol", PVC % 'storageClassName: "fast",')
    res = cluster.kfctl("apply", "default", "--yes", "--wait", "--timeout", "1s", "-o", "json")
    assert res.exit_code == 1
    assert json.loads(res.stdout)["notReady"][0]["object"] == "PersistentVolumeClaim ml/data"


def _sts(strategy: dict, **status) -> dict:
    return {"kind": "StatefulSet", "metadata": {"generation": 2},
            "spec": {"replicas": 3, "updateStrategy": strategy},
            "status": {"observedGeneration": 2, "readyReplicas": 3, "currentRevision": "a", "updateRevision": "b",
                       **status}}


def test_readiness_of_partitioned_and_on_delete_rollouts():
    from kfctl.kube.readiness import readiness

    part = {"type": "RollingUpdate", "rollingUpdate": {"partition": 2}}
    # ordinals >= 2 (one pod) roll; currentRevision never catches up while the partition holds
    assert readiness(_sts(part, updatedReplicas=0))[0] is False
    assert readiness(_sts(part, updatedReplicas=1))[0] is True
    assert readiness(_sts({"type": "RollingUpdate"}, updatedReplicas=3))[0] is False  # still rolling
    assert readiness(_sts({"type": "OnDelete"}, updatedReplicas=0))[0] is True
    ds = {"kind": "DaemonSet", "metadata": {"generation": 1}, "spec": {"updateStrategy": {"type": "OnDelete"}},
          "status": {"observedGeneration": 1, "desiredNumberScheduled": 2, "numberReady": 2,
                     "updatedNumberScheduled": 0}}
    assert readiness(ds)[0] is True
    ds["spec"]["updateStrategy"]["type"] = "RollingUpdate"
    assert readiness(ds) == (False, "0 of 2 pods updated")


def test_readiness_of_deployment_with_old_replicas_and_finished_pods():
    from kfctl.kube.readiness import readiness

    dep = {"kind": "Deployment", "metadata": {"generation": 3}, "spec": {"replicas": 2},
           "status": {"observedGeneration": 3, "replicas": 3, "updatedReplicas": 2, "availableReplicas": 2}}
    assert readiness(dep) == (False, "1 old replicas pending termination")
    dep["status"]["replicas"] = 2
    assert readiness(dep)[0] is True
    assert readiness({"kind": "Pod", "status": {"phase": "Succeeded"}}) == (True, "succeeded")
    ok, why = readiness({"kind": "Pod", "status": {"phase": "Failed", "reason": "Evicted"}})
    assert not ok and why.startswith("failed") and "Evicted" in why


def test_discovery_does_not_back_off_on_an_aggregated_api_that_is_down(cluster):
    # counted in requests, not seconds: a wall-clock bound fails on a loaded 2-core CI machine
    write_component(cluster.app, "one", CM % "one")
    cluster.emu.inject(method="GET", path=r"^/apis/batch/v1$", status=503, count=None,
                       message="the server is currently unable to handle the request")
    res = cluster.kfctl("apply", "default", "--yes", "-o", "json")
    assert res.exit_code == 0, res.stderr
    assert len(cluster.emu.requests_matching("GET", r"^/apis/batch/v1$")) == 2  # one discovery, one retry
    assert cluster.emu.get("ConfigMap", "one", "ml") is not None


def test_apply_as_a_namespace_scoped_user_who_cannot_read_namespaces(cluster):
    write_component(cluster.app, "one", CM % "one")
    cluster.emu.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "ml"}})
    cluster.emu.deny("get", "namespaces")
    res = cluster.kfctl("apply", "default", "--yes", "-o", "json")
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["namespaceCreated"] is None and [o["action"] for o in data["objects"]] == ["created"]


def test_dry_run_of_objects_in_a_namespace_the_render_creates(cluster):
    write_component(cluster.app, "ns", """\
    [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "team" } },
     { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "team" }, data: { a: "1" } }]
    """)
    res = cluster.kfctl("apply", "default", "--yes", "--dry-run", "-o", "json")
    assert res.exit_code == 0, res.stdout + res.stderr
    data = json.loads(res.stdout)
    assert {(o["kind"], o["action"]) for o in data["objects"]} >= {("Namespace", "created"), ("ConfigMap", "created")}
    assert cluster.emu.get("Namespace", "team") is None and cluster.emu.get("ConfigMap", "c", "team") is None


def test_delete_never_deletes_a_system_namespace_the_render_labels(cluster):
    write_component(cluster.app, "sys", """\
    [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } },
     { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { a: "1" } }]
    """)
    cluster.kfctl("apply", "default", "--yes", check=0)
    assert cluster.emu.get("Namespace", "default")["metadata"]["labels"]["kfctl.dev/app"] == "demo"
    res = cluster.kfctl("delete", "default", "--yes", "-o", "json")
    assert res.exit_code == 0, res.stdout + res.stderr
    by = {o["kind"]: o for o in json.loads(res.stdout)["objects"]}
    assert by["Namespace"]["action"] == "skipped" and "system namespace" in by["Namespace"]["error"]
    assert by["ConfigMap"]["action"] == "deleted"
    assert cluster.emu.get("Namespace", "default") is not None


def test_generate_name_objects_get_a_clear_error_and_no_collection_requests(cluster):
    write_component(cluster.app, "gen", """\
    [{ apiVersion: "v1", kind: "ConfigMap", metadata: { generateName: "run-" }, data: { a: "1" } },
     { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "fixed" }, data: { a: "1" } }]
    """)
    res = cluster.kfctl("apply", "default", "--yes", "-o", "json")
    assert res.exit_code == 1
    objs = json.loads(res.stdout)["objects"]
    bad = next(o for o in objs if not o["name"])
    assert bad["action"] == "failed" and "generateName" in bad["error"] and "run-" in bad["error"]
    assert next(o for o in objs if o["name"] == "fixed")["action"] == "created"
    res = cluster.kfctl("diff", "default")
    assert res.exit_code == 2 and "generateName" in res.stderr
    res = cluster.kfctl("delete", "default", "--yes", "-o", "json")
    assert res.exit_code == 0, res.stderr
    # nothing was ever sent to the ConfigMap collection (a PATCH there is a 405 on a real server)
    assert cluster.emu.requests_matching("PATCH", r"/configmaps$") == []
    assert cluster.emu.requests_matching("GET", r"/namespaces/ml/configmaps$") == []


def test_progress_deadline_exceeded_is_a_failure_not_a_wait():
    from kfctl.kube.readiness import readiness

    dep = {"kind": "Deployment", "metadata": {"generation": 1}, "spec": {"replicas": 1},
           "status": {"observedGeneration": 1, "replicas": 1, "updatedReplicas": 1, "availableReplicas": 0,
                      "conditions": [{"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded",
                                      "message": 'ReplicaSet "web-1" has timed out progressing.'}]}}
    ok, why = readiness(dep)
    assert not ok and why.startswith("failed: progress deadline exceeded") and "timed out" in why


def test_prune_never_deletes_the_other_group_alias_of_a_rendered_object(emulator, tmp_path, monkeypatch):
    from kfctl.kube import prune
    from kfctl.kube.client import connect
    from kfctl.kube.discovery import Discovery, Resource
    from kfctl.render.model import Render, RenderedObject

    kc = emulator.kubeconfig(tmp_path / "kc", context="emu", namespace="ml")
    env = type("Env", (), {"name": "default", "context": "emu", "server": None, "namespace": "ml"})()
    kube = connect(env, kubeconfig=str(kc))
    labels = {"app.kubernetes.io/managed-by": "kfctl", "kfctl.dev/app": "demo", "kfctl.dev/env": "default"}
    ing = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
           "metadata": {"name": "web", "namespace": "ml", "labels": labels}}
    render = Render("demo", "default", "ml", [RenderedObject(component="web", obj=ing)])
    # an old server lists the same Ingress (same UID) under extensions/v1beta1 as well
    old = Resource("extensions", "v1beta1", "Ingress", "ingresses", True, ("list", "delete"))
    new = Resource("networking.k8s.io", "v1", "Ingress", "ingresses", True, ("list", "delete"))
    live = {"metadata": {**ing["metadata"], "uid": "u-1"}, "kind": "Ingress"}
    orphan = {"apiVersion": "extensions/v1beta1", "kind": "Ingress",
              "metadata": {"name": "gone", "namespace": "ml", "labels": labels, "uid": "u-2"}}
    monkeypatch.setattr(prune, "list_owned", lambda *a, **k: [
        (old, {**live, "apiVersion": "extensions/v1beta1"}), (new, {**live, "apiVersion": "networking.k8s.io/v1"}),
        (old, orphan)])
    cands = prune.prune_candidates(kube, Discovery(kube), render)
    assert [(c.obj["apiVersion"], c.obj["metadata"]["name"]) for c in cands] == [("extensions/v1beta1", "gone")]
