"""Render vs. GitOps directory diff (what `kfctl diff ENV` reports for a --gitops-dir env)."""

from __future__ import annotations

from kfctl.gitops.dirdiff import diff_render_against_dir
from kfctl.gitops.export import write_export

from .helpers import cluster_role, deployment, make_render, service


def test_same_render_is_no_change(tmp_path):
    r = make_render(("web", deployment("web")), ("web", service("web")))
    write_export(r, tmp_path)
    res = diff_render_against_dir(r, tmp_path)
    assert res.exit_code == 0 and not res.different
    assert res.counts() == {"create": 0, "update": 0, "delete": 0, "unchanged": 2}
    assert res.unified() == ""


def test_create_update_delete(tmp_path):
    write_export(make_render(("web", deployment("web")), ("web", service("web"))), tmp_path)
    r = make_render(("web", deployment("web", replicas=3)), ("rbac", cluster_role("reader")))
    res = diff_render_against_dir(r, tmp_path)
    assert res.exit_code == 1
    by = {c.path: c for c in res.changes}
    assert by["demo-ns/Deployment-web.yaml"].action == "update"
    assert by["demo-ns/Deployment-web.yaml"].ref == "web/Deployment/demo-ns/web"
    d = by["demo-ns/Deployment-web.yaml"].diff
    assert d.startswith("--- a/demo-ns/Deployment-web.yaml\n+++ b/demo-ns/Deployment-web.yaml\n")
    assert "-  replicas: 1\n" in d and "+  replicas: 3\n" in d
    assert by["_cluster/ClusterRole-reader.yaml"].action == "create"
    assert by["_cluster/ClusterRole-reader.yaml"].diff.startswith("--- /dev/null\n+++ b/_cluster/ClusterRole-reader.yaml\n")
    assert by["demo-ns/Service-web.yaml"].action == "delete"
    assert "+++ /dev/null" in by["demo-ns/Service-web.yaml"].diff
    assert res.to_dict()["counts"] == {"create": 1, "update": 1, "delete": 1, "unchanged": 0}
    # applying (exporting with replace-env) makes the diff empty
    write_export(r, tmp_path, merge_strategy="replace-env")
    assert diff_render_against_dir(r, tmp_path).exit_code == 0


def test_hand_edit_shows_as_update(tmp_path):
    r = make_render(("web", service("web")))
    write_export(r, tmp_path)
    p = tmp_path / "demo-ns/Service-web.yaml"
    p.write_text(p.read_text().replace("port: 80", "port: 8080"))
    res = diff_render_against_dir(r, tmp_path)
    (c,) = res.changed
    assert c.action == "update" and "-  - port: 8080\n" in c.diff and "+  - port: 80\n" in c.diff


def test_other_envs_files_are_not_deletions(tmp_path):
    t = "{env}/{kind}-{name}.yaml"
    write_export(make_render(("web", service("web")), env="dev"), tmp_path, template=t)
    r = make_render(("web", service("web")), env="prd")
    res = diff_render_against_dir(r, tmp_path, template=t)
    assert [(c.path, c.action) for c in res.changes] == [("prd/Service-web.yaml", "create")]


def test_empty_or_missing_dir_is_all_creates(tmp_path):
    r = make_render(("web", service("web")))
    res = diff_render_against_dir(r, tmp_path / "missing")
    assert [c.action for c in res.changes] == ["create"]


def test_secret_values_redacted_in_diff_text(tmp_path):
    sec = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "demo-ns"},
           "data": {"password": "aHVudGVyMg=="}}
    write_export(make_render(("db", sec)), tmp_path)
    sec2 = {**sec, "data": {"password": "c3dvcmRmaXNo"}}
    res = diff_render_against_dir(make_render(("db", sec2)), tmp_path, show_secrets=False)
    (c,) = res.changed
    assert c.action == "update"
    assert "aHVudGVyMg==" not in c.diff and "c3dvcmRmaXNo" not in c.diff and "<redacted:" in c.diff
    shown = diff_render_against_dir(make_render(("db", sec2)), tmp_path, show_secrets=True).changed[0].diff
    assert "-  password: aHVudGVyMg==\n" in shown and "+  password: c3dvcmRmaXNo\n" in shown
