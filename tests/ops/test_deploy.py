"""The deploy use cases (kfctl.ops.deploy) in-process against the API server emulator: each test
calls one function and checks the report it returns and what reached the cluster."""

from __future__ import annotations

import pytest

from kfctl.errors import KfctlError
from kfctl.ops import deploy
from kfctl.ops.hooks import Hooks


def _rows(report):
    return [(r.component, r.kind, r.namespace, r.name, r.action, r.error) for r in report.results]


def _recording_hooks():
    seen: list[tuple] = []
    return seen, Hooks(confirm=lambda target, verb, preview: seen.append((verb, target.server, target.context,
                                                                         target.namespace, list(preview))))


def test_apply_reports_every_object_and_a_second_apply_changes_nothing(kube_app, emulator):
    seen, hooks = _recording_hooks()
    out = deploy.apply(kube_app, kube_app.env("default"), hooks=hooks)
    assert seen == [("Applying to", emulator.url, "emu", "ml", [])]
    assert out.export is None and out.pruned is None and out.waited is None
    assert out.report.namespace_created == "ml" and out.report.ok and not out.report.dry_run
    assert _rows(out.report) == [("web", "Service", "ml", "web", "created", None),
                                 ("web", "Deployment", "ml", "web", "created", None)]
    dep = emulator.get("Deployment", "web", "ml")
    assert dep["metadata"]["labels"]["kfctl.dev/component"] == "web"
    assert dep["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"
    again = deploy.apply(kube_app, kube_app.env("default"))
    assert [r.action for r in again.report.results] == ["unchanged", "unchanged"]
    assert again.report.namespace_created is None


def test_a_refused_confirmation_changes_nothing(kube_app, emulator):
    def refuse(target, verb, preview):
        raise KfctlError("aborted: you did not type 'yes'")

    with pytest.raises(KfctlError, match="aborted"):
        deploy.apply(kube_app, kube_app.env("default"), hooks=Hooks(confirm=refuse))
    assert emulator.writes() == []


def test_dry_run_creates_nothing(kube_app, emulator):
    out = deploy.apply(kube_app, kube_app.env("default"), dry_run=True)
    assert [r.action for r in out.report.results] == ["created", "created"] and out.report.dry_run
    assert emulator.get("Deployment", "web", "ml") is None and emulator.get("Namespace", "ml") is None


def test_apply_with_prune_deletes_only_this_envs_orphans(kube_app, emulator):
    from kfctl.app.components import remove_component
    from kfctl.ops.generate import add_from_prototype
    from kfctl.registry.index import PrototypeIndex

    add_from_prototype(kube_app, PrototypeIndex(kube_app.root).find("deployed-service"), "db", {"image": "postgres"})
    deploy.apply(kube_app, kube_app.env("default"))
    emulator.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {
        "name": "other-env", "namespace": "ml",
        "labels": {"app.kubernetes.io/managed-by": "kfctl", "kfctl.dev/app": "demo", "kfctl.dev/env": "prd"}}})
    remove_component(kube_app, "db")
    kube_app.reload()
    out = deploy.apply(kube_app, kube_app.env("default"), prune=True)
    assert out.pruned == ["db/Deployment ml/db", "db/Service ml/db"]
    assert _rows(out.report)[-2:] == [("db", "Deployment", "ml", "db", "pruned", None),
                                      ("db", "Service", "ml", "db", "pruned", None)]
    assert emulator.get("Deployment", "db", "ml") is None and emulator.get("Service", "db", "ml") is None
    assert emulator.get("Deployment", "web", "ml") is not None
    assert emulator.get("ConfigMap", "other-env", "ml") is not None


def test_prune_with_nothing_to_prune_asks_nothing(kube_app, emulator):
    deploy.apply(kube_app, kube_app.env("default"))
    seen, hooks = _recording_hooks()
    out = deploy.prune(kube_app, kube_app.env("default"), hooks=hooks)
    assert (out.confirmed, out.pruned, out.report.results, seen) == (False, [], [], [])


@pytest.mark.emulator(ready="never")
def test_wait_reports_what_is_not_ready(kube_app, emulator):
    out = deploy.apply(kube_app, kube_app.env("default"), wait=True, timeout=0.6)
    assert out.report.ok
    assert [(w.result.ref, w.ready) for w in out.not_ready] == [("Deployment ml/web", False)]
    assert out.not_ready[0].reason == "waiting for the controller to observe the new generation"


def test_diff_against_the_cluster_is_exactly_the_param_change(kube_app, emulator):
    from kfctl.app.params import set_param

    deploy.apply(kube_app, kube_app.env("default"))
    assert deploy.diff(kube_app, kube_app.env("default")).changed is False
    set_param(kube_app, "web", ["replicas"], 3)
    d = deploy.diff(kube_app, kube_app.env("default"))
    assert (d.env, d.server, d.directory, d.changed) == ("default", emulator.url, None, True)
    assert d.cluster.counts() == {"added": 0, "removed": 0, "changed": 1, "unchanged": 1}
    (entry,) = d.cluster.entries
    assert (entry.status, entry.ref) == ("changed", "web/Deployment/ml/web")
    changed = [ln for ln in entry.text.splitlines() if ln[:1] in "+-" and ln[:3] not in ("---", "+++")]
    assert changed == ["-  replicas: 1", "+  replicas: 3"]
    assert emulator.get("Deployment", "web", "ml")["spec"]["replicas"] == 1  # a diff changes nothing


def test_status_then_delete_forgets_the_env(kube_app, emulator):
    deploy.apply(kube_app, kube_app.env("default"))
    st = deploy.status(kube_app, kube_app.env("default"))
    assert (st.app, st.env, st.namespace, st.server, st.all_ready) == ("demo", "default", "ml", emulator.url, True)
    assert [(s.kind, s.name, s.state) for s in st.objects] == [("Service", "web", "ready"), ("Deployment", "web", "ready")]
    assert emulator.get("ConfigMap", "kfctl-demo-default", "ml") is not None  # what apply remembers
    report = deploy.delete(kube_app, kube_app.env("default"))
    assert _rows(report) == [("web", "Deployment", "ml", "web", "deleted", None),
                             ("web", "Service", "ml", "web", "deleted", None)]
    assert emulator.get("Deployment", "web", "ml") is None
    assert emulator.get("ConfigMap", "kfctl-demo-default", "ml") is None
    st = deploy.status(kube_app, kube_app.env("default"))
    assert [(s.kind, s.state) for s in st.objects] == [("Service", "missing"), ("Deployment", "missing")]
    assert st.all_ready is False


def test_a_gitops_env_is_exported_and_diffed_against_its_directory(kube_app, emulator):
    from kfctl.app.environments import Destination, add_env

    add_env(kube_app, "git", Destination(None, "git-ns", None), gitops_dir="deploy")
    env = kube_app.env("git")
    assert deploy.is_gitops_env(env) and not deploy.is_gitops_env(kube_app.env("default"))
    d = deploy.diff(kube_app, env)
    assert (d.cluster, d.changed) == (None, True)
    assert d.directory.counts() == {"create": 2, "update": 0, "delete": 0, "unchanged": 0}
    out = deploy.apply(kube_app, env)
    assert out.report is None
    assert sorted(out.export.written) == ["git-ns/Deployment-web.yaml", "git-ns/Service-web.yaml"]
    assert deploy.diff(kube_app, env).changed is False
    assert emulator.requests_matching() == []  # nothing went to a cluster
