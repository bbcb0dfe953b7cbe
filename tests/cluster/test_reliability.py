"""Issue 11, cluster side: apply's verdicts by content, a lost state record, Ctrl-C, retries that
are said out loud, deadlines that hold, batched status, and a lock wait that names its holder."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.cluster.conftest import write_component
from tests.emulator.listeners import modified_conflict

OWNER = {"app.kubernetes.io/managed-by": "kfctl", "kfctl.dev/app": "demo", "kfctl.dev/env": "default"}


class ServerClock:
    """When the emulator received requests, sampled every 20 ms from the test (the emulator keeps no
    timestamps): ``span()`` is the time from the first to the last request of a command."""

    def __init__(self, emu):
        import threading

        self.emu, self.times, self.stop = emu, [], threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        seen = len(self.emu.requests)
        while not self.stop.wait(0.02):
            n = len(self.emu.requests)
            if n > seen:
                self.times.append(time.monotonic())
                seen = n

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()

    def span(self) -> float:
        return self.times[-1] - self.times[0] if self.times else 0.0


def actions(res) -> dict[tuple[str, str], str]:
    return {(o["kind"], o["name"]): o["action"] for o in json.loads(res.stdout)["objects"]}


def _patch(emu, path: str, body: dict, ctype: str = "application/merge-patch+json", manager: str = "kubectl-edit"):
    req = urllib.request.Request(f"{emu.url}{path}?fieldManager={manager}", data=json.dumps(body).encode(),
                                 method="PATCH", headers={"Content-Type": ctype})
    return json.loads(urllib.request.urlopen(req).read())


# ---------------------------------------------------------------- item 3: changed/unchanged by content


def test_dry_run_and_apply_decide_changed_by_content(cluster):
    k = cluster.kfctl
    k("generate", "deployed-service", "web", "--image", "nginx", check=0)
    k("apply", "default", "--yes", check=0)
    k("param", "set", "web", "replicas", "3", check=0)
    cluster.emu.clear_requests()
    res = k("apply", "default", "--dry-run", "-o", "json", check=0)
    assert actions(res) == {("Service", "web"): "unchanged", ("Deployment", "web"): "configured"}
    assert all(r.param("dryRun") == "All" for r in cluster.emu.writes())
    assert cluster.emu.get("Deployment", "web", "ml")["spec"]["replicas"] == 1
    res = k("apply", "default", "--yes", "-o", "json", check=0)
    assert actions(res) == {("Service", "web"): "unchanged", ("Deployment", "web"): "configured"}
    # someone edits a field kfctl sets: the dry run sees that apply would change it back
    _patch(cluster.emu, "/apis/apps/v1/namespaces/ml/deployments/web", {"spec": {"replicas": 9}})
    res = k("apply", "default", "--dry-run", "-o", "json", "--force-conflicts", check=0)
    assert actions(res)[("Deployment", "web")] == "configured"
    k("apply", "default", "--yes", "--force-conflicts", check=0)
    res = k("apply", "default", "--dry-run", "-o", "json", check=0)
    assert set(actions(res).values()) == {"unchanged"}


def test_verdicts_hold_when_the_user_may_not_list(cluster):
    cluster.kfctl("generate", "deployed-service", "web", "--image", "nginx", check=0)
    cluster.kfctl("apply", "default", "--yes", check=0)
    cluster.emu.deny("list", "*")
    res = cluster.kfctl("apply", "default", "--yes", "-o", "json", check=0)
    assert set(actions(res).values()) == {"unchanged"}  # main said "configured" for both
    cluster.kfctl("param", "set", "web", "image", "nginx:2", check=0)
    res = cluster.kfctl("apply", "default", "--dry-run", "-o", "json", check=0)
    assert actions(res) == {("Service", "web"): "unchanged", ("Deployment", "web"): "configured"}


# ---------------------------------------------------------------- item 4: a lost state record


SECRET = '{ apiVersion: "v1", kind: "Secret", metadata: { name: "token" }, stringData: { t: "x" } }'
ROLE = ('{ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "demo-reader" }, '
        'rules: [] }')
CM = '{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings" }, data: { a: "1" } }'


def test_failed_state_write_fails_apply_and_prune_still_finds_the_lost_kinds(cluster):
    write_component(cluster.app, "settings", CM)
    write_component(cluster.app, "token", SECRET)
    write_component(cluster.app, "reader", ROLE)
    cluster.emu.inject(method="PATCH", path=r"/configmaps/kfctl-demo-default$", status=500, count=None,
                       message="etcdserver: request timed out")
    res = cluster.kfctl("apply", "default", "--yes", "--request-timeout", "2s")
    assert res.exit_code == 1, res.stderr
    assert res.stderr.splitlines()[-2:] == [
        "3 created; state record not saved",
        "error: the state record ConfigMap ml/kfctl-demo-default could not be written: the server answered 500 "
        "InternalError: etcdserver: request timed out; rerun the apply (prune still finds this env's objects of "
        "every kind)"]
    assert cluster.emu.get("ConfigMap", "kfctl-demo-default", "ml") is None
    cluster.emu.clear_faults()
    # look-alikes that prune must never touch
    other = {**OWNER, "kfctl.dev/env": "prd"}
    cluster.emu.create({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "prd-token", "namespace": "ml",
                                                                           "labels": other}})
    cluster.emu.create({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "unlabelled", "namespace": "ml"}})
    cluster.emu.create({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                        "metadata": {"name": "other-app", "labels": {**OWNER, "kfctl.dev/app": "other"}}, "rules": []})
    (cluster.app / "components" / "token.jsonnet").unlink()
    (cluster.app / "components" / "reader.jsonnet").unlink()
    res = cluster.kfctl("prune", "default", "--yes", "-o", "json")
    assert res.exit_code == 0, res.stderr
    pruned = sorted((o["kind"], o["name"], o["action"]) for o in json.loads(res.stdout)["objects"])
    assert pruned == [("ClusterRole", "demo-reader", "pruned"), ("Secret", "token", "pruned")]
    assert cluster.emu.get("Secret", "token", "ml") is None
    assert cluster.emu.get("ClusterRole", "demo-reader") is None
    for kind, name, ns in (("Secret", "prd-token", "ml"), ("Secret", "unlabelled", "ml"),
                           ("ClusterRole", "other-app", None), ("ConfigMap", "settings", "ml")):
        assert cluster.emu.get(kind, name, ns) is not None, name


def test_prune_leaves_objects_with_copied_ownership_labels_alone(cluster):
    """The endpoints controller copies a Service's labels (kfctl's among them) onto its Endpoints;
    prune's sweep of every kind finds them, but kfctl never wrote them (managedFields), so they stay."""
    write_component(cluster.app, "settings", CM)
    write_component(cluster.app, "extra", CM.replace("settings", "extra"))
    assert cluster.kfctl("apply", "default", "--yes").exit_code == 0
    cluster.emu.create({"apiVersion": "v1", "kind": "Endpoints",
                        "metadata": {"name": "web", "namespace": "ml",
                                     "labels": {**OWNER, "kfctl.dev/component": "web"}}},
                       manager="kube-controller-manager")
    cluster.emu.create({"apiVersion": "v1", "kind": "Secret",
                        "metadata": {"name": "copied", "namespace": "ml", "labels": OWNER}},
                       manager="some-operator")
    (cluster.app / "components" / "extra.jsonnet").unlink()
    res = cluster.kfctl("prune", "default", "--yes", "-o", "json")
    assert res.exit_code == 0, res.stderr
    assert [(o["kind"], o["name"], o["action"]) for o in json.loads(res.stdout)["objects"]] == [
        ("ConfigMap", "extra", "pruned")]
    assert cluster.emu.get("Endpoints", "web", "ml") is not None
    assert cluster.emu.get("Secret", "copied", "ml") is not None


# ---------------------------------------------------------------- items 13, 16: retries said out loud


def test_resource_version_conflicts_are_retried(cluster):
    cluster.kfctl("generate", "deployed-service", "web", "--image", "nginx", check=0)
    cluster.kfctl("apply", "default", "--yes", check=0)
    cluster.kfctl("param", "set", "web", "replicas", "2", check=0)
    modified_conflict(cluster.emu, path=r"/deployments/web$", count=2)
    cluster.emu.clear_requests()
    res = cluster.kfctl("apply", "default", "--yes", "-o", "json")
    assert res.exit_code == 0, res.stderr
    assert actions(res)[("Deployment", "web")] == "configured"
    assert cluster.emu.get("Deployment", "web", "ml")["spec"]["replicas"] == 2
    assert len(cluster.emu.requests_matching("PATCH", r"/deployments/web$")) == 3
    said = [ln for ln in res.stderr.splitlines() if ln.startswith("warning:")]
    assert said == [
        'warning: PATCH /apis/apps/v1/namespaces/ml/deployments/web: the server answered 409 Conflict: Operation '
        'cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to '
        f'the latest version and try again; retrying ({n}/3)…' for n in (1, 2)]
    assert "--force-conflicts" not in res.stderr


def test_a_server_that_goes_away_mid_apply_stops_the_apply(cluster):
    for i in range(40):
        write_component(cluster.app, f"c{i:02d}", CM.replace("settings", f"c{i:02d}"))
    cluster.kfctl("apply", "default", "--yes", "-c", "c00", check=0)  # namespace and state exist
    cluster.emu.inject(method="PATCH", path=r"/configmaps/c(?!00)", drop=True, count=None)
    start = time.monotonic()
    res = cluster.kfctl("apply", "default", "--yes", "-o", "json", "--request-timeout", "2s")
    took = time.monotonic() - start
    assert res.exit_code == 1
    assert took < 8, took  # 39 objects do not each wait out their retries
    data = json.loads(res.stdout)
    counts = data["summary"]
    assert counts.get("unchanged") == 1 and counts.get("failed", 0) + counts.get("skipped", 0) == 39
    assert counts.get("failed", 0) <= 8  # the ones in flight when the server went away
    patches = cluster.emu.requests_matching("PATCH", r"/configmaps/c(?!00)")
    assert len(patches) <= 8 * 5
    last = res.stderr.splitlines()[-1]
    assert re.fullmatch(rf"error: {re.escape(cluster.emu.url)} closed the connection without answering \(PATCH "
                        r"/api/v1/namespaces/ml/configmaps/c\d\d; \d+ attempts in \d+\.\ds\)", last), last


# ---------------------------------------------------------------- item 14: Ctrl-C


def _as_from_a_shell() -> None:
    """The child starts with SIGINT deliverable and handled by default, as from an interactive shell: a
    signal mask or an ignored SIGINT inherited from the test runner's process would make Ctrl-C a no-op."""
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _signal_state(pid: int) -> str:
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        return ", ".join(line.strip() for line in fh if line.startswith(("SigBlk", "SigIgn", "SigCgt")))


def test_ctrl_c_during_a_parallel_apply(cluster):
    for i in range(200):
        write_component(cluster.app, f"c{i:03d}", CM.replace("settings", f"c{i:03d}"))
    # the first 20 go through at once; then every worker hangs on a slow request (8 s each)
    cluster.emu.inject(method="PATCH", path=r"/configmaps/c(0[2-9]\d|1\d\d)$", delay=8, count=None)
    # PYTHONFAULTHANDLER: a kfctl that does not stop is sent SIGABRT below and prints every thread's stack
    env = {**os.environ, **cluster.env, "NO_COLOR": "1", "COLUMNS": "200", "PYTHONFAULTHANDLER": "1"}
    env.pop("KFCTL_APP", None)
    proc = subprocess.Popen([sys.executable, "-m", "kfctl", "apply", "default", "--yes", "-o", "json"],
                            cwd=cluster.app, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_as_from_a_shell)
    deadline = time.monotonic() + 60
    slow = r"/configmaps/c(0[2-9]\d|1\d\d)$"
    while len(cluster.emu.requests_matching("PATCH", slow)) < 8 and time.monotonic() < deadline:
        time.sleep(0.05)
    if len(cluster.emu.requests_matching("PATCH", slow)) < 8:  # say why, rather than time out below
        proc.kill()
        pytest.fail(f"the slow requests never arrived: {proc.communicate()[1]}")
    dispositions = _signal_state(proc.pid)
    proc.send_signal(signal.SIGINT)
    sent = time.monotonic()
    try:
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGABRT)
        pytest.fail(f"kfctl did not stop after Ctrl-C ({dispositions}): {proc.communicate()[1]}")
    stopped_in = time.monotonic() - sent
    assert proc.returncode == 130, err
    # it does not wait for the 8 requests in flight (main: 8 s for them, then no summary at all)
    assert stopped_in < 5, stopped_in
    assert len(cluster.emu.requests_matching("PATCH", slow)) == 8  # nothing new was sent after Ctrl-C
    data = json.loads(out)
    assert data["interrupted"] is True and data["ok"] is False
    by_action: dict[str, set] = {}
    for o in data["objects"]:
        by_action.setdefault(o["action"], set()).add(o["name"])
    assert by_action == {"created": {f"c{i:03d}" for i in range(20)}, "interrupted": {f"c{i:03d}" for i in range(20, 28)}}
    live = {o["metadata"]["name"] for o in cluster.emu.objects("configmaps", "ml")}
    assert by_action["created"] <= live <= by_action["created"] | by_action["interrupted"]
    assert data["notAttempted"] == 172
    assert err.splitlines()[-1] == ("error: interrupted: 20 of 200 objects applied, 8 in flight (they may or may not "
                                    "have been applied), 172 not attempted")


# ---------------------------------------------------------------- item 22: the deadline covers every step


@pytest.mark.emulator(ready="never")
def test_wait_timeout_holds_on_a_sick_server(emulator, tmp_path):
    from tests.conftest import run_kfctl

    kc = emulator.kubeconfig(tmp_path / "kc", context="emu", namespace="ml")
    env = {"KUBECONFIG": str(kc)}
    run_kfctl("init", "demo", "--dir", str(tmp_path / "demo"), "--context", "emu", cwd=tmp_path, env=env, check=0)
    run_kfctl("generate", "deployed-service", "web", "--image", "nginx", cwd=tmp_path / "demo", env=env, check=0)
    run_kfctl("apply", "default", "--yes", cwd=tmp_path / "demo", env=env, check=0)
    emulator.inject(method="GET", path=r"/deployments/web$", status=503, count=None, message="etcd is slow")
    with ServerClock(emulator) as clock:  # times as the server saw them: kfctl's start-up does not count
        res = run_kfctl("apply", "default", "--yes", "--wait", "--timeout", "3s", cwd=tmp_path / "demo", env=env)
    assert res.exit_code == 1
    took = clock.span()
    assert took < 3 + 2.0, took  # main: 3 s + 6.2 s of backoff on the last read
    assert res.stderr.splitlines()[-2:] == [
        "not ready: web/Deployment ml/web: cannot read it: the server answered 503 ServiceUnavailable: etcd is slow",
        "error: 1 objects not ready after 3s"]


# ---------------------------------------------------------------- item 23: batched status, lock waits


def test_status_lists_per_kind_and_asks_the_server_only_when_unsure(cluster):
    for i in range(30):
        write_component(cluster.app, f"c{i:02d}", CM.replace("settings", f"c{i:02d}"))
    cluster.kfctl("generate", "deployed-service", "web", "--image", "nginx", check=0)
    cluster.kfctl("apply", "default", "--yes", check=0)
    cluster.emu.clear_requests()
    res = cluster.kfctl("status", "default", "-o", "json")
    assert res.exit_code == 0, res.stdout
    assert {o["state"] for o in json.loads(res.stdout)["objects"]} == {"ready"}
    gets = [r.path for r in cluster.emu.requests_matching("GET", r"/namespaces/ml/\w+/[^/]+$")]
    assert gets == []  # main: one GET per object
    assert cluster.emu.requests_matching("PATCH") == []  # main: one dry-run apply per object
    lists = cluster.emu.requests_matching("GET", r"^/(api/v1|apis/apps/v1)/(configmaps|services|deployments)$")
    assert sorted(r.path for r in lists) == ["/api/v1/configmaps", "/api/v1/services", "/apis/apps/v1/deployments"]
    # drift is still seen: a value edited live, a field kfctl owns that the render dropped, a changed param
    _patch(cluster.emu, "/api/v1/namespaces/ml/configmaps/c03", {"data": {"a": "2"}})
    write_component(cluster.app, "c07", '{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c07" } }')
    cluster.kfctl("param", "set", "web", "replicas", "4", check=0)
    cluster.emu.clear_requests()
    res = cluster.kfctl("status", "default", "-o", "json")
    assert res.exit_code == 1
    out = sorted((o["kind"], o["name"]) for o in json.loads(res.stdout)["objects"] if o["state"] == "out-of-sync")
    assert out == [("ConfigMap", "c03"), ("ConfigMap", "c07"), ("Deployment", "web")]
    assert len(cluster.emu.requests_matching("PATCH")) == 3


@pytest.mark.parametrize("rendered, live, owned, expected", [
    ({"spec": {"ports": [{"port": 80}]}}, {"spec": {"ports": [{"port": 80, "protocol": "TCP"}]}},
     {"f:spec": {"f:ports": {'k:{"port":80,"protocol":"TCP"}': {".": {}, "f:port": {}}}}}, True),
    ({"spec": {"ports": [{"port": 80}]}}, {"spec": {"ports": [{"port": 80, "protocol": "TCP"}]}},
     {"f:spec": {"f:ports": {'k:{"port":80,"protocol":"UDP"}': {}}}}, False),
    ({"args": ["a"]}, {"args": ["a", "b"]}, {}, False),
    ({"data": {"a": "1"}}, {"data": {"a": "1", "b": "2"}}, {"f:data": {"f:a": {}, "f:b": {}}}, False),
    ({"data": {"a": "1"}}, {"data": {"a": "1", "b": "2"}}, {"f:data": {"f:a": {}}}, True),
    ({"spec": {"cpu": "1000m"}}, {"spec": {"cpu": "1"}}, {}, False),
    ({"spec": {"on": True}}, {"spec": {"on": 1}}, {}, False),
    ({"spec": {"n": 1}}, {"spec": {"n": 1.0}}, {}, True),
    ({"metadata": {"finalizers": ["x"]}}, {"metadata": {"finalizers": ["x"]}},
     {"f:metadata": {"f:finalizers": {'v:"x"': {}, 'v:"y"': {}}}}, False),
])
def test_in_sync_is_only_true_when_certain(rendered, live, owned, expected):
    from kfctl.kube.sync import in_sync

    live = {**live, "metadata": {**live.get("metadata", {}), "managedFields": [
        {"manager": "kfctl", "operation": "Apply", "fieldsType": "FieldsV1", "fieldsV1": owned}]}}
    assert in_sync(rendered, live) is expected


def test_waiting_for_the_app_lock_names_the_holder(cluster):
    from filelock import FileLock

    lock_dir = cluster.app / ".kfctl"
    lock_dir.mkdir(exist_ok=True)
    (lock_dir / "lock.owner").write_text(json.dumps({"pid": 4242, "host": "build-7", "command": "kfctl apply"}))
    held = FileLock(str(lock_dir / "lock"))
    held.acquire()
    env = {**os.environ, **cluster.env, "NO_COLOR": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "kfctl", "param", "set", "--global", "x", "1"], cwd=cluster.app,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = proc.stderr.readline()  # said as soon as it has to wait (within 60 s it would fail instead)
    assert proc.poll() is None  # it waits
    held.release()
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert first.rstrip("\n") == (f"warning: waiting up to 60s for the app lock {lock_dir.resolve() / 'lock'}, "
                                   "held by pid 4242 on host build-7 (kfctl apply)")
    owner = json.loads((lock_dir / "lock.owner").read_text())
    assert owner["pid"] == proc.pid and owner["command"] == "kfctl param set"
