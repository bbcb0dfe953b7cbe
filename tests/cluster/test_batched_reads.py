"""diff and delete read what this app/env has live with one labelled list per kind (issue 17, item 6): no
GET per object; an object the lists do not show (absent, or someone else's of the same name) is read alone,
so the answers are what per-object reads gave."""

from __future__ import annotations

import json

import pytest

from kfctl.render.model import LABEL_MANAGED_BY

from tests.cluster.conftest import write_component
from tests.cluster.test_noop_apply import _send

COMPONENT = """\
[
  { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg" }, data: { a: "1" } },
  { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg2" }, data: { b: "2" } },
  { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" },
    spec: { replicas: 2, selector: { matchLabels: { app: "web" } },
            template: { metadata: { labels: { app: "web" } },
                        spec: { containers: [ { name: "web", image: "nginx:1.25" } ] } } } },
]
"""
OBJECT_READS = r"/namespaces/ml/(configmaps|deployments)/[^/]+$"


def object_gets(emu) -> list[str]:
    return sorted(r.path for r in emu.requests_matching("GET", OBJECT_READS) if "kfctl-demo" not in r.path)


def labelled_lists(emu) -> list[str]:
    return sorted(r.path for r in emu.requests_matching("GET", r"/(configmaps|deployments)$")
                  if (r.query.get("labelSelector") or [""])[0].startswith(f"{LABEL_MANAGED_BY}=kfctl"))


@pytest.fixture
def applied(cluster):
    write_component(cluster.app, "app", COMPONENT)
    assert cluster.kfctl("apply", "default", "--yes").exit_code == 0
    cluster.emu.clear_requests()
    return cluster


def test_diff_reads_one_list_per_kind(applied) -> None:
    c = applied
    res = c.kfctl("diff", "default")
    assert res.exit_code == 0, res.stdout + res.stderr
    assert object_gets(c.emu) == []
    assert labelled_lists(c.emu) == ["/api/v1/configmaps", "/apis/apps/v1/deployments"]
    assert len(c.emu.requests_matching("PATCH", OBJECT_READS)) == 3  # (the server's dry run of each)
    # drift another manager made shows from the listed object
    _send(c.emu, "PATCH", "/api/v1/namespaces/ml/configmaps/cfg", {"data": {"a": "changed"}})
    res = c.kfctl("diff", "default")
    assert res.exit_code == 1 and "-  a: changed\n+  a: '1'\n" in res.stdout, res.stdout
    assert res.stderr.strip().endswith("0 to add, 1 to change, 0 to prune, 2 unchanged")


def test_diff_reads_an_unlisted_object_alone(cluster) -> None:
    """Someone else's ConfigMap of the same name (not labelled as this app/env's): read by a GET, shown as
    a change, not an addition."""
    cluster.emu.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "ml"}})
    cluster.emu.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg", "namespace": "ml"},
                        "data": {"a": "theirs"}})
    write_component(cluster.app, "app", COMPONENT)
    cluster.emu.clear_requests()
    res = cluster.kfctl("diff", "default")
    assert res.exit_code == 1
    assert "--- live/app/ConfigMap/ml/cfg" in res.stdout and "-  a: theirs\n+  a: '1'\n" in res.stdout
    assert object_gets(cluster.emu) == ["/api/v1/namespaces/ml/configmaps/cfg",
                                        "/api/v1/namespaces/ml/configmaps/cfg2",
                                        "/apis/apps/v1/namespaces/ml/deployments/web"]
    assert res.stderr.strip().splitlines()[-1].endswith("2 to add, 1 to change, 0 to prune, 0 unchanged")


def test_delete_reads_one_list_per_kind_and_waits_with_lists(applied) -> None:
    c = applied
    res = c.kfctl("delete", "default", "--yes", "--wait", "-o", "json")
    assert res.exit_code == 0, res.stdout + res.stderr
    assert sorted((o["kind"], o["name"], o["action"]) for o in json.loads(res.stdout)["objects"]) == [
        ("ConfigMap", "cfg", "deleted"), ("ConfigMap", "cfg2", "deleted"), ("Deployment", "web", "deleted")]
    assert object_gets(c.emu) == []
    assert c.emu.get("ConfigMap", "cfg", "ml") is None and c.emu.get("Deployment", "web", "ml") is None


def test_delete_leaves_what_it_does_not_own(cluster) -> None:
    cluster.emu.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "ml"}})
    cluster.emu.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg2", "namespace": "ml"},
                        "data": {"b": "theirs"}})
    write_component(cluster.app, "app", COMPONENT.replace('{ apiVersion: "v1", kind: "ConfigMap", metadata: { '
                                                          'name: "cfg2" }, data: { b: "2" } },', ""))
    assert cluster.kfctl("apply", "default", "--yes").exit_code == 0
    write_component(cluster.app, "app", COMPONENT)
    res = cluster.kfctl("delete", "default", "--yes", "-o", "json")
    by = {o["name"]: (o["action"], o.get("error")) for o in json.loads(res.stdout)["objects"]}
    assert by["cfg2"] == ("skipped", "not owned by this app/env: left alone")
    assert by["cfg"][0] == by["web"][0] == "deleted"
    assert cluster.emu.get("ConfigMap", "cfg2", "ml")["data"] == {"b": "theirs"}


def test_lists_refused_fall_back_to_reading_each(applied) -> None:
    c = applied
    c.emu.inject(method="GET", path=r"^/api/v1/(namespaces/ml/)?configmaps$", status=403, count=None)
    res = c.kfctl("delete", "default", "--yes", "-o", "json")
    assert res.exit_code == 0, res.stdout + res.stderr
    assert [o["action"] for o in json.loads(res.stdout)["objects"]] == ["deleted"] * 3
    assert object_gets(c.emu) == ["/api/v1/namespaces/ml/configmaps/cfg", "/api/v1/namespaces/ml/configmaps/cfg2"]
