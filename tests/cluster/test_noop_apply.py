"""An apply with nothing to change sends nothing; drift is still corrected (issue 17, item 2)."""

from __future__ import annotations

import json
import urllib.request

from tests.cluster.conftest import write_component

COMPONENT = """\
[
  { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg" }, data: { a: "1", b: "2" } },
  { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" },
    spec: { replicas: 2, selector: { matchLabels: { app: "web" } },
            template: { metadata: { labels: { app: "web" } },
                        spec: { containers: [ { name: "web", image: "nginx:1.25" } ] } } } },
]
"""


def _send(emu, method: str, path: str, body: dict | None = None, manager: str = "kubectl-edit"):
    req = urllib.request.Request(f"{emu.url}{path}?fieldManager={manager}", method=method,
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Content-Type": "application/merge-patch+json"})
    return json.loads(urllib.request.urlopen(req).read() or b"null")


def actions(res) -> dict:
    return {(o["kind"], o["name"]): o["action"] for o in json.loads(res.stdout)["objects"]}


REVISION = "/api/v1/namespaces/ml/secrets"  # the revision record (kfctl history), apart from the objects


def applied(cluster, *extra) -> tuple[dict, list[str]]:
    """The actions of one apply, and its writes of objects and of the state record.  An apply that
    sends anything records one revision (created first, updated last); one that sends nothing, none."""
    cluster.emu.clear_requests()
    res = cluster.kfctl("apply", "default", "--yes", "-o", "json", *extra)
    assert res.exit_code == 0, res.stdout + res.stderr
    writes = [f"{r.method} {r.path}" for r in cluster.emu.writes()]
    objects = [w for w in writes if not w.split(" ", 1)[1].startswith(REVISION)]
    revision = [w for w in writes if w not in objects]
    if objects:
        n = json.loads(res.stdout)["revision"]
        assert revision == [f"POST {REVISION}", f"PATCH {REVISION}/kfctl-demo-default-rev-{n}"], writes
        assert writes[0] in (f"POST {REVISION}", "PATCH /api/v1/namespaces/ml")  # before the first object
    else:
        assert revision == [] and json.loads(res.stdout)["revision"] is None, writes
    return actions(res), objects


def test_noop_apply_sends_no_write_and_one_list_per_kind(cluster):
    write_component(cluster.app, "app", COMPONENT)
    first, writes = applied(cluster)
    assert set(first.values()) == {"created"} and len(writes) == 4  # the namespace, two objects, the state record
    # (and a revision: see applied)
    again, writes = applied(cluster)
    assert again == {("ConfigMap", "cfg"): "unchanged", ("Deployment", "web"): "unchanged"}
    assert writes == []
    reads = sorted(r.path for r in cluster.emu.requests_matching())
    assert reads == ["/api/v1/configmaps", "/api/v1/namespaces/ml", "/api/v1/namespaces/ml/configmaps/kfctl-demo-default",
                     "/apis/apps/v1/deployments"]  # kinds + namespace + state record


def test_another_manager_editing_a_kfctl_field_is_reapplied(cluster):
    write_component(cluster.app, "app", COMPONENT)
    applied(cluster)
    _send(cluster.emu, "PATCH", "/apis/apps/v1/namespaces/ml/deployments/web", {"spec": {"replicas": 9}})
    again, writes = applied(cluster, "--force-conflicts")
    assert again == {("ConfigMap", "cfg"): "unchanged", ("Deployment", "web"): "configured"}
    assert writes == ["PATCH /apis/apps/v1/namespaces/ml/deployments/web"]  # kfctl owns the fields again: same record
    assert cluster.emu.get("Deployment", "web", "ml")["spec"]["replicas"] == 2
    # a field kfctl does not own (another manager's own label) changes nothing kfctl applied: not sent
    _send(cluster.emu, "PATCH", "/api/v1/namespaces/ml/configmaps/cfg", {"metadata": {"labels": {"team": "x"}}})
    again, writes = applied(cluster)
    assert set(again.values()) == {"unchanged"} and writes == []


def test_a_deleted_object_is_recreated(cluster):
    write_component(cluster.app, "app", COMPONENT)
    applied(cluster)
    _send(cluster.emu, "DELETE", "/api/v1/namespaces/ml/configmaps/cfg")
    assert cluster.emu.get("ConfigMap", "cfg", "ml") is None
    again, writes = applied(cluster)
    assert again == {("ConfigMap", "cfg"): "created", ("Deployment", "web"): "unchanged"}
    # the recreated object has the same configuration and kfctl-owned fields: the record stands
    assert writes == ["PATCH /api/v1/namespaces/ml/configmaps/cfg"]
    assert cluster.emu.get("ConfigMap", "cfg", "ml")["data"] == {"a": "1", "b": "2"}


def test_a_field_removed_from_the_render_is_removed(cluster):
    write_component(cluster.app, "app", COMPONENT)
    applied(cluster)
    write_component(cluster.app, "app", COMPONENT.replace(', b: "2"', ""))
    again, writes = applied(cluster)
    assert again == {("ConfigMap", "cfg"): "configured", ("Deployment", "web"): "unchanged"}
    assert writes[0] == "PATCH /api/v1/namespaces/ml/configmaps/cfg"
    assert cluster.emu.get("ConfigMap", "cfg", "ml")["data"] == {"a": "1"}


def test_force_apply_sends_everything(cluster):
    write_component(cluster.app, "app", COMPONENT)
    applied(cluster)
    again, writes = applied(cluster, "--force-apply")
    assert set(again.values()) == {"unchanged"}  # sent, and the server changed nothing
    assert sorted(writes) == ["PATCH /api/v1/namespaces/ml/configmaps/cfg", "PATCH /apis/apps/v1/namespaces/ml/deployments/web"]


def test_qps_and_burst_options(cluster):
    write_component(cluster.app, "app", COMPONENT)
    res = cluster.kfctl("apply", "default", "--yes", "--qps", "0")
    assert (res.exit_code, res.stderr) == (2, "error: --qps must be more than 0 and --burst at least 1\n")
    first, writes = applied(cluster, "--qps", "40", "--burst", "2")
    assert set(first.values()) == {"created"} and len(writes) == 4


ACCOUNT = '[{ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "robot" } }]'


def test_a_first_apply_lists_nothing_that_cannot_exist_yet(cluster):
    write_component(cluster.app, "app", COMPONENT)
    first, writes = applied(cluster)
    assert set(first.values()) == {"created"}
    reads = [r for r in cluster.emu.requests_matching() if r.method == "GET"]
    # no state record: no kind was ever applied by this app/env, so no labelled list is sent
    lists = [r.path for r in reads if r.param("labelSelector") and "kfctl.dev/revision" not in r.param("labelSelector")]
    assert lists == []  # (the revision records are read, as on every apply)
    assert {"/api/v1/namespaces/ml", "/api/v1/namespaces/ml/configmaps/kfctl-demo-default"} <= {r.path for r in reads}
    # a kind new to the record is not listed; the kinds it knows are
    write_component(cluster.app, "robot", ACCOUNT)
    again, writes = applied(cluster)
    assert again == {("ConfigMap", "cfg"): "unchanged", ("Deployment", "web"): "unchanged",
                     ("ServiceAccount", "robot"): "created"}
    assert writes == ["PATCH /api/v1/namespaces/ml/serviceaccounts/robot",
                      "PATCH /api/v1/namespaces/ml/configmaps/kfctl-demo-default"]
    lists = sorted(r.path for r in cluster.emu.requests_matching() if r.method == "GET" and r.param("labelSelector")
                   and "kfctl.dev/revision" not in r.param("labelSelector"))
    assert lists == ["/api/v1/configmaps", "/apis/apps/v1/deployments"]


def test_objects_there_before_a_lost_state_record_are_applied_and_called_configured(cluster):
    write_component(cluster.app, "app", COMPONENT)
    applied(cluster)
    _send(cluster.emu, "PATCH", "/apis/apps/v1/namespaces/ml/deployments/web", {"spec": {"replicas": 9}})
    req = urllib.request.Request(f"{cluster.emu.url}/api/v1/namespaces/ml/configmaps/kfctl-demo-default",
                                 method="DELETE")
    urllib.request.urlopen(req).read()
    again, writes = applied(cluster, "--force-conflicts")
    # without a record nothing is listed: both are sent; the server's 200 says they were there
    assert again == {("ConfigMap", "cfg"): "configured", ("Deployment", "web"): "configured"}
    assert sorted(writes) == ["PATCH /api/v1/namespaces/ml/configmaps/cfg",
                              "PATCH /api/v1/namespaces/ml/configmaps/kfctl-demo-default",
                              "PATCH /apis/apps/v1/namespaces/ml/deployments/web"]
    assert cluster.emu.get("Deployment", "web", "ml")["spec"]["replicas"] == 2
    # the record is back: the next apply sends nothing
    again, writes = applied(cluster)
    assert set(again.values()) == {"unchanged"} and writes == []
