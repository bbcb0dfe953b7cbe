"""Revisions in-process against the emulator (kfctl.ops.history / rollback, kfctl.kube.revisions):
failed and crashed applies, CRD downgrades refused, the history limit, large payloads, who and what."""

from __future__ import annotations

import subprocess

import pytest

from kfctl.errors import KfctlError
from kfctl.ops import deploy
from kfctl.ops.history import history
from kfctl.ops.hooks import Hooks
from kfctl.ops.rollback import RollbackRefused, rollback


def _revs(app):
    return [(r.number, r.outcome, r.reason) for r in history(app, app.env("default")).revisions]


def _set(app, component, path, value):
    from kfctl.app.params import set_param

    set_param(app, component, path, value)
    app.reload()


def test_a_failed_apply_records_a_failed_revision_and_rollback_skips_it(kube_app, emulator):
    deploy.apply(kube_app, kube_app.env("default"))
    _set(kube_app, "web", ["replicas"], 2)
    emulator.inject(method="PATCH", path=r"/deployments/web$", status=422, count=None, message="replicas is odd today")
    out = deploy.apply(kube_app, kube_app.env("default"))
    assert not out.report.ok and out.revision == 2
    assert _revs(kube_app) == [(1, "succeeded", ""), (2, "partial", "1 of 2 objects failed")]
    (r2,) = [r for r in history(kube_app, kube_app.env("default")).revisions if r.number == 2]
    assert r2.counts == {"failed": 1, "unchanged": 1} and r2.changed == ["web/Deployment ml/web: failed"]
    emulator.clear_faults()
    rb = rollback(kube_app, kube_app.env("default"))  # the newest succeeded one before the latest: 1
    assert (rb.target, rb.revision, rb.report.ok) == (1, 3, True)


def test_a_crashed_apply_leaves_a_failed_revision_not_a_lock(kube_app, emulator):
    from kfctl.kube.client import connect
    from kfctl.ops.history import start_revision
    from kfctl.ops.render import render

    env = kube_app.env("default")
    deploy.apply(kube_app, env)
    # what a process killed mid-apply leaves: the revision written before the first object, never updated
    kube = connect(env)
    start_revision(kube_app, env, kube, render(kube_app, env))
    assert _revs(kube_app)[-1] == (2, "failed", "apply did not finish (interrupted, crashed or lost its connection)")
    out = deploy.apply(kube_app, env, force_apply=True)  # nothing waits for, or has to clear, the crashed one
    assert out.report.ok and out.revision == 3
    assert [r[1] for r in _revs(kube_app)] == ["succeeded", "failed", "succeeded"]


def test_an_apply_that_changes_nothing_records_no_revision(kube_app, emulator):
    env = kube_app.env("default")
    extra = kube_app.components_dir / "extra.jsonnet"
    extra.write_text('{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "extra" }, data: { a: "1" } }\n')
    assert deploy.apply(kube_app, env).revision == 1
    out = deploy.apply(kube_app, env)
    assert {r.action for r in out.report.results} == {"unchanged"} and out.revision is None
    assert [r[0] for r in _revs(kube_app)] == [1]
    extra.unlink()  # a prune alone is a change
    out = deploy.apply(kube_app, env, prune=True)
    assert out.revision == 2 and out.pruned == ["extra/ConfigMap ml/extra"]
    assert [r[:2] for r in _revs(kube_app)] == [(1, "succeeded"), (2, "succeeded")]


def test_ctrl_c_marks_the_revision_interrupted(kube_app, emulator):
    import contextlib

    def progress(total, what):
        def advance(_result=None):
            raise KeyboardInterrupt

        return contextlib.nullcontext(advance)

    deploy.apply(kube_app, kube_app.env("default"))
    out = deploy.apply(kube_app, kube_app.env("default"), hooks=Hooks(progress=progress),
                       force_apply=True)  # sent again, interrupted after the first: returns what was done
    assert out.report.interrupted and out.revision == 2, out.warnings
    assert _revs(kube_app)[-1] == (2, "interrupted", "interrupted (Ctrl-C) while applying")


CRD = """\
[{ apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: "widgets.acme.io" },
   spec: { group: "acme.io", scope: "Namespaced",
           names: { kind: "Widget", plural: "widgets", singular: "widget", listKind: "WidgetList" },
           versions: [%s] } }]
"""
VERSION = ('{ name: "%s", served: true, storage: %s, schema: { openAPIV3Schema: { type: "object", '
           '"x-kubernetes-preserve-unknown-fields": true } } }')


def test_rollback_refuses_to_downgrade_or_remove_a_crd(kube_app, emulator):
    env = kube_app.env("default")
    widgets = kube_app.components_dir / "widgets.jsonnet"
    deploy.apply(kube_app, env)  # 1: no CRD
    widgets.write_text(CRD % (VERSION % ("v1", "true")))
    deploy.apply(kube_app, env)  # 2: widgets v1
    widgets.write_text(CRD % (VERSION % ("v1", "false") + ", " + VERSION % ("v2", "true")))
    deploy.apply(kube_app, env)  # 3: v1 + v2, storage v2
    with pytest.raises(RollbackRefused) as exc:
        rollback(kube_app, env, 2)
    assert exc.value.message == (
        "refusing to roll back to revision 2: CRD widgets.acme.io would be downgraded (version v2 no longer served): "
        "revision 3 has served v1, v2 (storage v2), revision 2 serves v1 (storage v1)")
    assert exc.value.hint == "roll forward instead: change the params or components and apply"
    with pytest.raises(RollbackRefused) as exc:
        rollback(kube_app, env, 1, prune=True)
    assert exc.value.message == ("refusing to roll back to revision 1: CRD widgets.acme.io (installed by revision 2) "
                                 "would be removed: revision 1 does not have it")
    emulator.clear_requests()
    out = rollback(kube_app, env, 1)  # without --prune the CRD stays: allowed
    assert out.report.ok and emulator.get("CustomResourceDefinition", "widgets.acme.io") is not None


def test_history_limit_keeps_the_newest(kube_app, emulator):
    from kfctl.app.environments import set_env

    set_env(kube_app, "default", history_limit=2)
    for replicas in (1, 2, 3):
        _set(kube_app, "web", ["replicas"], replicas)
        deploy.apply(kube_app, kube_app.env("default"))
    assert [r[0] for r in _revs(kube_app)] == [2, 3]
    with pytest.raises(KfctlError) as exc:
        rollback(kube_app, kube_app.env("default"), 1)
    assert exc.value.message == "revision 1 does not exist (revisions on the cluster: 2, 3)"


def test_trimming_uses_the_list_read_to_number_the_revision(kube_app, emulator):
    """One LIST of the revision Secrets per apply: the one that numbers the new revision also tells what
    to trim."""
    from kfctl.app.environments import set_env

    set_env(kube_app, "default", history_limit=2)
    for replicas in (1, 2):
        _set(kube_app, "web", ["replicas"], replicas)
        deploy.apply(kube_app, kube_app.env("default"))
    emulator.clear_requests()
    _set(kube_app, "web", ["replicas"], 3)
    deploy.apply(kube_app, kube_app.env("default"))
    assert len(emulator.requests_matching("GET", r"/namespaces/ml/secrets$")) == 1
    assert [r.path for r in emulator.requests_matching("DELETE", "secrets")] == [
        "/api/v1/namespaces/ml/secrets/kfctl-demo-default-rev-1"]
    assert [r[0] for r in _revs(kube_app)] == [2, 3]


def test_large_payloads_are_split_over_secrets(kube_app, emulator, monkeypatch):
    from kfctl.kube import revisions

    monkeypatch.setattr(revisions, "CHUNK", 200)
    env = kube_app.env("default")
    deploy.apply(kube_app, env)
    names = sorted(s["metadata"]["name"] for s in emulator.objects("Secret", "ml"))
    parts = [n for n in names if "-part-" in n]
    assert parts and names[0] == "kfctl-demo-default-rev-1" and all(n.startswith("kfctl-demo-default-rev-1-part-")
                                                                     for n in parts)
    _set(kube_app, "web", ["replicas"], 4)
    deploy.apply(kube_app, env)
    out = rollback(kube_app, env, 1)
    assert out.report.ok and emulator.get("Deployment", "web", "ml")["spec"]["replicas"] == 1
    from kfctl.app.environments import set_env

    set_env(kube_app, "default", history_limit=1)
    deploy.apply(kube_app, kube_app.env("default"))
    left = sorted(s["metadata"]["name"] for s in emulator.objects("Secret", "ml"))
    assert left and all(n.startswith("kfctl-demo-default-rev-4") for n in left)


def test_who_and_which_commit(kube_app, emulator):
    env = kube_app.env("default")
    subprocess.run(["git", "init", "-q", str(kube_app.root)], check=True)
    subprocess.run(["git", "-C", str(kube_app.root), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(kube_app.root), "-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qm", "x"],
                   check=True)
    head = subprocess.run(["git", "-C", str(kube_app.root), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    deploy.apply(kube_app, env)
    _set(kube_app, "web", ["replicas"], 2)  # uncommitted
    emulator.self_subject_review = False  # a server before 1.28: the kubeconfig's user
    deploy.apply(kube_app, env)
    r1, r2 = history(kube_app, env).revisions
    assert (r1.commit, r1.dirty, r1.user, r1.user_source) == (head, False, "emulator-user", "SelfSubjectReview")
    assert (r2.commit, r2.dirty, r2.user, r2.user_source) == (head, True, "emu-user", "kubeconfig")


def test_partial_apply_records_what_is_deployed(kube_app, emulator):
    from kfctl.kube.client import connect
    from kfctl.kube.revisions import list_revisions, load_payload
    from kfctl.ops.generate import add_from_prototype
    from kfctl.registry.index import PrototypeIndex

    add_from_prototype(kube_app, PrototypeIndex(kube_app.root).find("deployed-service"), "db", {"image": "postgres"})
    kube_app.reload()
    env = kube_app.env("default")
    deploy.apply(kube_app, env)
    _set(kube_app, "db", ["replicas"], 2)
    _set(kube_app, "web", ["replicas"], 5)  # not applied below
    deploy.apply(kube_app, env, components=["db"])
    kube = connect(env)
    objects, params = load_payload(kube, list_revisions(kube, "demo", "default", "ml")[-1], "ml")
    replicas = {o["component"]: o["object"]["spec"]["replicas"] for o in objects if o["object"]["kind"] == "Deployment"}
    assert replicas == {"db": 2, "web": 1}
    assert params["db"]["replicas"] == 2 and params["web"]["replicas"] == 5  # the env's params as resolved


def test_prune_and_delete(kube_app, emulator):
    env = kube_app.env("default")
    deploy.apply(kube_app, env)
    out = deploy.apply(kube_app, env, prune=True)
    assert out.pruned == [] and emulator.get("Secret", "kfctl-demo-default-rev-1", "ml") is not None
    deploy.delete(kube_app, env)
    assert [s["metadata"]["name"] for s in emulator.objects("Secret", "ml")] == []


def test_nothing_to_roll_back_to(kube_app, emulator):
    with pytest.raises(KfctlError) as exc:
        rollback(kube_app, kube_app.env("default"))
    assert (exc.value.message, exc.value.hint) == (
        "nothing to roll back to: the env has no revisions on its cluster",
        "name a revision: kfctl rollback ENV REV (see 'kfctl history ENV')")


def test_a_gitops_env_has_no_cluster_history(kube_app, emulator):
    from kfctl.app.environments import Destination, add_env

    add_env(kube_app, "gp", Destination(None, "ml", None), gitops_dir="gitops/gp")
    with pytest.raises(KfctlError) as exc:
        history(kube_app, kube_app.env("gp"))
    assert exc.value.message == ("environment 'gp' deploys to its GitOps directory gitops/gp: its history is kept by "
                                 "Git there")
