"""The whole loop against the emulator: apply → diff → change → apply → rm → prune → delete."""

from __future__ import annotations

import json

from tests.cluster.conftest import CRD_COMPONENT, write_component
from tests.conftest import run_kfctl

OWNER = "app.kubernetes.io/managed-by=kfctl,kfctl.dev/app=demo,kfctl.dev/env=default"


def test_full_loop(cluster):
    k = cluster.kfctl
    k("generate", "deployed-service", "web", "--image", "nginx:1.27", check=0)
    write_component(cluster.app, "widgets", CRD_COMPONENT)

    # first apply: the namespace is created, the CRD goes first, the custom resource after it
    res = k("apply", "default", "--yes", "-o", "json", check=0)
    data = json.loads(res.stdout)
    assert data["ok"] is True and data["namespaceCreated"] == "ml"
    actions = {(o["kind"], o["name"]): o["action"] for o in data["objects"]}
    assert actions == {("CustomResourceDefinition", "widgets.acme.io"): "created", ("Service", "web"): "created",
                       ("Deployment", "web"): "created", ("Widget", "w1"): "created"}
    kinds_in_order = [o["kind"] for o in data["objects"]]
    assert kinds_in_order.index("CustomResourceDefinition") < kinds_in_order.index("Widget")
    assert "Applying to namespace ml of cluster emu" in res.stderr and "using context emu" in res.stderr
    dep = cluster.emu.get("Deployment", "web", "ml")
    assert dep["metadata"]["labels"]["kfctl.dev/component"] == "web"
    assert [m["manager"] for m in dep["metadata"]["managedFields"]] == ["kfctl"]
    assert cluster.emu.get("Widget", "w1", "ml")["spec"] == {"size": 3}
    ssa = cluster.emu.requests_matching("PATCH", r"/deployments/web$")
    ctype = {k.lower(): v for k, v in ssa[-1].headers.items()}.get("content-type", "")
    assert ctype.startswith("application/apply-patch+yaml")
    assert ssa[-1].param("fieldManager") == "kfctl"

    # nothing changed: diff exits 0, re-apply reports unchanged
    res = k("diff", "default")
    assert res.exit_code == 0, res.stdout + res.stderr
    data = json.loads(k("apply", "default", "--yes", "-o", "json", check=0).stdout)
    assert {o["action"] for o in data["objects"]} == {"unchanged"}

    # a param change shows as exactly that change
    k("param", "set", "web", "replicas", "3", check=0)
    res = k("diff", "default")
    assert res.exit_code == 1
    minus = [l for l in res.stdout.splitlines() if l.startswith("-") and not l.startswith("---")]
    plus = [l for l in res.stdout.splitlines() if l.startswith("+") and not l.startswith("+++")]
    assert minus == ["-  replicas: 1"] and plus == ["+  replicas: 3"]
    data = json.loads(k("apply", "default", "--yes", "-o", "json", check=0).stdout)
    assert {(o["kind"], o["action"]) for o in data["objects"]} >= {("Deployment", "configured"), ("Service", "unchanged")}
    assert cluster.emu.get("Deployment", "web", "ml")["spec"]["replicas"] == 3
    assert k("diff", "default").exit_code == 0

    # something foreign in the namespace, with and without our labels, must survive prune
    cluster.emu.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "theirs", "namespace": "ml"}})
    cluster.emu.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {
        "name": "other-env", "namespace": "ml",
        "labels": {"app.kubernetes.io/managed-by": "kfctl", "kfctl.dev/app": "demo", "kfctl.dev/env": "prd"}}})

    # component rm → prune removes exactly its objects
    k("component", "rm", "web", check=0)
    res = k("diff", "default", "--prune")
    assert res.exit_code == 1
    headers = [line for line in res.stdout.splitlines() if line.startswith(("---", "+++"))]
    assert headers == ["--- live/web/Deployment ml/web", "+++ /dev/null", "--- live/web/Service ml/web", "+++ /dev/null"]
    assert res.stderr.strip().splitlines()[-1] == \
        f"default vs {cluster.emu.url}: 0 to add, 0 to change, 2 to prune, 2 unchanged"
    res = k("prune", "default", "--dry-run", check=0)
    assert res.stderr.splitlines()[:3] == ["Would prune 2 object(s):", "  - web/Deployment ml/web", "  - web/Service ml/web"]
    assert [line.split() for line in res.stdout.splitlines()[2:]] == [
        ["web", "Deployment", "ml", "web", "pruned", "(dry", "run)"], ["web", "Service", "ml", "web", "pruned", "(dry", "run)"]]
    assert cluster.emu.get("Deployment", "web", "ml") is not None
    res = k("prune", "default", "--yes", "-o", "json", check=0)
    pruned = sorted((o["kind"], o["name"]) for o in json.loads(res.stdout)["objects"])
    assert pruned == [("Deployment", "web"), ("Service", "web")]
    assert cluster.emu.get("Deployment", "web", "ml") is None
    assert cluster.emu.get("ConfigMap", "theirs", "ml") is not None
    assert cluster.emu.get("ConfigMap", "other-env", "ml") is not None
    assert cluster.emu.get("Namespace", "ml") is not None

    # delete: reverse order, custom resource before its CRD, the namespace stays
    res = k("delete", "default", "--yes", "-o", "json", check=0)
    deleted = [o["kind"] for o in json.loads(res.stdout)["objects"] if o["action"] == "deleted"]
    assert deleted == ["Widget", "CustomResourceDefinition"]
    assert cluster.emu.get("CustomResourceDefinition", "widgets.acme.io") is None
    assert cluster.emu.get("Namespace", "ml") is not None
    assert cluster.emu.get("ConfigMap", "theirs", "ml") is not None


def test_refuses_without_tty_or_yes(cluster):
    cluster.kfctl("generate", "deployed-service", "web", "--image", "nginx", check=0)
    res = cluster.kfctl("apply", "default")
    assert res.exit_code == 1 and "--yes" in res.stderr and "not a terminal" in res.stderr
    assert cluster.emu.writes() == []
    res = run_kfctl("apply", "default", cwd=cluster.app, env={**cluster.env, "KFCTL_YES": "1"})
    assert res.exit_code == 0, res.stderr
    assert cluster.emu.get("Deployment", "web", "ml") is not None


def test_dry_run_changes_nothing(cluster):
    cluster.kfctl("generate", "deployed-service", "web", "--image", "nginx", check=0)
    write_component(cluster.app, "widgets", CRD_COMPONENT)
    data = json.loads(cluster.kfctl("apply", "default", "--dry-run", "-o", "json", check=0).stdout)
    assert data["dryRun"] is True
    assert {o["action"] for o in data["objects"]} == {"created"}
    assert cluster.emu.get("Namespace", "ml") is None
    assert cluster.emu.get("Deployment", "web", "ml") is None
    assert all(r.param("dryRun") == "All" for r in cluster.emu.writes())


def test_status_tree_and_json(cluster):
    cluster.kfctl("generate", "deployed-service", "web", "--image", "nginx", check=0)
    res = cluster.kfctl("status", "default", "-o", "json")
    assert res.exit_code == 1
    states = {(o["kind"], o["state"]) for o in json.loads(res.stdout)["objects"]}
    assert states == {("Service", "missing"), ("Deployment", "missing")}
    cluster.kfctl("apply", "default", "--yes", check=0)
    res = cluster.kfctl("status", "default", "-o", "json")
    assert res.exit_code == 0, res.stdout
    assert {o["state"] for o in json.loads(res.stdout)["objects"]} == {"ready"}
    cluster.kfctl("param", "set", "web", "image", "nginx:2", check=0)
    res = cluster.kfctl("status", "default")
    assert res.exit_code == 1 and "out-of-sync" in res.stdout and "web" in res.stdout
