"""Revisions on the emulator through the CLI: apply → param set → apply → history → diff --revision →
rollback → history; a rollback across a removed component; secrets never in output."""

from __future__ import annotations

import base64
import json
import lzma

from tests.cluster.conftest import write_component


def _history(k):
    return json.loads(k("history", "default", "-o", "json", check=0).stdout)["revisions"]


def _changes(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))]


def test_apply_history_diff_rollback_loop(cluster):
    k = cluster.kfctl
    k("generate", "deployed-service", "web", "--image", "nginx:1.27", check=0)
    res = k("apply", "default", "--yes", check=0)
    assert res.stderr.splitlines()[-2:] == ["Recorded revision 1 (kfctl history default)", "2 created"]
    k("param", "set", "web", "replicas", "3", check=0)
    data = json.loads(k("apply", "default", "--yes", "-o", "json", check=0).stdout)
    assert data["revision"] == 2

    revs = _history(k)
    assert [(r["number"], r["outcome"], r["counts"], r["changed"], r["user"], r["userSource"], r["rollbackOf"])
            for r in revs] == [
        (1, "succeeded", {"created": 2}, ["web/Service ml/web: created", "web/Deployment ml/web: created"],
         "emulator-user", "SelfSubjectReview", None),
        (2, "succeeded", {"configured": 1, "unchanged": 1}, ["web/Deployment ml/web: configured"],
         "emulator-user", "SelfSubjectReview", None)]
    assert all(r["kfctlVersion"] and r["started"].endswith("Z") and r["finished"] for r in revs)
    table = k("history", "default", check=0).stdout.splitlines()
    assert table[0].split() == ["REVISION", "TIME", "USER", "COMMIT", "OUTCOME", "CHANGES", "DESCRIPTION"]
    assert table[2].split()[2:] == ["emulator-user", "-", "succeeded", "2", "created"]
    assert table[3].split()[2:] == ["emulator-user", "-", "succeeded", "1", "configured"]

    # the cluster against revision 1: what rolling back would change
    res = k("diff", "default", "--revision", "1")
    assert res.exit_code == 1, res.stderr
    assert _changes(res.stdout) == ["-  replicas: 3", "+  replicas: 1"]
    assert res.stderr.strip().splitlines()[-1] == \
        f"revision 1 vs {cluster.emu.url}: 0 to add, 1 to change, 0 to prune, 1 unchanged"
    res = k("diff", "default", "--revision", "1", "--revision", "2")
    assert res.exit_code == 1 and _changes(res.stdout) == ["-  replicas: 1", "+  replicas: 3"]
    assert res.stderr.strip() == "revision 1 → revision 2: 0 added, 0 removed, 1 changed, 1 unchanged"
    assert k("diff", "default", "--revision", "2").exit_code == 0

    # rollback: shows the diff, applies revision 1, records revision 3
    res = k("rollback", "default", "--yes", check=0)
    assert _changes(res.stdout) == ["-  replicas: 3", "+  replicas: 1"]
    assert "default: rolling back to revision 1: 0 to add, 1 to change, 0 to prune, 1 unchanged" in res.stderr
    assert res.stderr.strip().splitlines()[-1] == "✓ Rolled back env default to revision 1 (recorded as revision 3)"
    assert cluster.emu.get("Deployment", "web", "ml")["spec"]["replicas"] == 1
    revs = _history(k)
    assert [(r["number"], r["outcome"], r["rollbackOf"], r["changed"]) for r in revs] == [
        (1, "succeeded", None, ["web/Service ml/web: created", "web/Deployment ml/web: created"]),
        (2, "succeeded", None, ["web/Deployment ml/web: configured"]),
        (3, "succeeded", 1, ["web/Deployment ml/web: configured"])]
    assert k("history", "default", check=0).stdout.splitlines()[4].endswith("rollback to 1")
    # the app still says 3: diff against the cluster shows it, the next apply rolls forward
    assert _changes(k("diff", "default").stdout) == ["-  replicas: 1", "+  replicas: 3"]
    # rollback with no revision before the latest that succeeded... there are: 2 is the default now
    res = k("rollback", "default", "--dry-run", check=0)
    assert _changes(res.stdout) == ["-  replicas: 1", "+  replicas: 3"]
    assert cluster.emu.get("Deployment", "web", "ml")["spec"]["replicas"] == 1
    assert len(_history(k)) == 3  # a dry run records nothing


def test_rollback_across_a_removed_component(cluster):
    k = cluster.kfctl
    k("generate", "deployed-service", "web", "--image", "nginx:1.27", check=0)
    k("generate", "deployed-service", "db", "--image", "postgres:17", check=0)
    k("apply", "default", "--yes", check=0)
    k("component", "rm", "db", check=0)
    k("apply", "default", "--yes", "--prune", check=0)
    assert cluster.emu.get("Deployment", "db", "ml") is None
    assert [r["changed"] for r in _history(k)][1] == ["db/Deployment ml/db: pruned", "db/Service ml/db: pruned"]
    res = k("rollback", "default", "1", "--yes", "-o", "json", check=0)
    data = json.loads(res.stdout)
    assert (data["rollbackTo"], data["revision"]) == (1, 3)
    assert sorted((o["component"], o["kind"], o["action"]) for o in data["objects"]) == [
        ("db", "Deployment", "created"), ("db", "Service", "created"),
        ("web", "Deployment", "unchanged"), ("web", "Service", "unchanged")]
    dep = cluster.emu.get("Deployment", "db", "ml")
    assert dep["spec"]["template"]["spec"]["containers"][0]["image"] == "postgres:17"
    assert dep["metadata"]["labels"]["kfctl.dev/component"] == "db"
    # back to revision 2 with --prune: db goes again, as revision 2 had it gone
    res = k("rollback", "default", "2", "--prune", "--yes", check=0)
    assert "Pruning 2 object(s):" in res.stderr
    assert cluster.emu.get("Deployment", "db", "ml") is None and cluster.emu.get("Deployment", "web", "ml")
    assert [(r["number"], r["rollbackOf"]) for r in _history(k)] == [(1, None), (2, None), (3, 1), (4, 2)]


SECRET = """\
{
  apiVersion: "v1", kind: "Secret", metadata: { name: "db-credentials" },
  stringData: { password: std.extVar("pw") },
}
"""


def test_secrets_are_stored_only_in_a_secret_and_never_printed(cluster):
    k = cluster.kfctl
    write_component(cluster.app, "creds", SECRET.replace('std.extVar("pw")', '"hunter2-first"'))
    k("apply", "default", "--yes", check=0)
    write_component(cluster.app, "creds", SECRET.replace('std.extVar("pw")', '"hunter2-second"'))
    k("apply", "default", "--yes", check=0)
    outputs = [k("history", "default", "-o", "json", check=0), k("history", "default", check=0),
               k("diff", "default", "--revision", "1"), k("diff", "default", "--revision", "1", "--revision", "2"),
               k("diff", "default", "--revision", "1", "-o", "json"),
               k("rollback", "default", "1", "--yes", check=0)]
    for res in outputs:
        text = res.stdout + res.stderr
        assert "hunter2" not in text and base64.b64encode(b"hunter2-first").decode() not in text, text
    assert "<redacted:" in outputs[2].stdout
    shown = k("diff", "default", "--revision", "2", "--show-secrets")
    assert base64.b64encode(b"hunter2-second").decode() in shown.stdout  # asked for
    # the revision is a Secret; its payload holds the Secret as applied
    revs = cluster.emu.objects("Secret", "ml")
    stored = [s for s in revs if (s.get("metadata") or {}).get("labels", {}).get("kfctl.dev/revision") == "1"]
    assert [s["type"] for s in stored] == ["kfctl.dev/revision"]
    objects = json.loads(lzma.decompress(base64.b64decode(stored[0]["data"]["objects.json.xz"])))
    (creds,) = [o["object"] for o in objects if o["object"]["kind"] == "Secret"]
    assert creds["stringData"] == {"password": "hunter2-first"}
    assert not any(c.get("kind") == "ConfigMap" and "hunter2" in json.dumps(c) for c in cluster.emu.objects(namespace="ml"))
