"""Failure knobs: retries, conflicts, auth, unknown kinds, invalid objects, readiness timeouts, TLS, exec plugins."""

from __future__ import annotations

import json
import stat
import sys
import textwrap

import pytest
import yaml

from tests.cluster.conftest import write_component
from tests.conftest import run_kfctl


def apply_json(cluster, *extra, code=None):
    res = cluster.kfctl("apply", "default", "--yes", "-o", "json", *extra)
    if code is not None:
        assert res.exit_code == code, res.stdout + res.stderr
    return res, json.loads(res.stdout) if res.stdout.strip() else None


def test_retries_on_500_429_and_dropped_connections(cluster):
    cluster.kfctl("generate", "deployed-service", "web", "--image", "nginx", check=0)
    cluster.emu.inject(method="PATCH", path=r"/deployments/web$", status=500, count=2)
    cluster.emu.inject(method="PATCH", path=r"/services/web$", status=429, retry_after=1, count=1)
    cluster.emu.inject(method="GET", path=r"^/apis$", drop=True, count=1)
    res, data = apply_json(cluster, code=0)
    assert {o["action"] for o in data["objects"]} == {"created"}
    assert len(cluster.emu.requests_matching("PATCH", r"/deployments/web$")) == 3
    assert cluster.emu.get("Deployment", "web", "ml") is not None


def test_persistent_500_fails_truthfully(cluster):
    cluster.kfctl("generate", "deployed-service", "web", "--image", "nginx", check=0)
    cluster.emu.inject(method="PATCH", path=r"/deployments/web$", status=503, count=None, message="etcd down")
    res, data = apply_json(cluster, code=1)
    by = {o["kind"]: o for o in data["objects"]}
    assert by["Deployment"]["action"] == "failed" and "etcd down" in by["Deployment"]["error"]
    assert by["Service"]["action"] == "created"
    assert data["ok"] is False and data["summary"] == {"created": 1, "failed": 1}
    assert "1 of 2 objects failed" in res.stderr


def test_conflict_names_field_and_manager_then_force(cluster):
    cluster.kfctl("generate", "deployed-service", "web", "--image", "nginx", check=0)
    apply_json(cluster, code=0)
    # someone else takes .spec.replicas with their own server-side apply
    cluster.emu.create  # noqa: B018 - seeded below through the API like kubectl would
    from kfctl.kube.client import Kube  # noqa: F401
    import urllib.request

    body = json.dumps({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "ml"},
                       "spec": {"replicas": 7}}).encode()
    req = urllib.request.Request(f"{cluster.emu.url}/apis/apps/v1/namespaces/ml/deployments/web"
                                 "?fieldManager=hpa-controller&force=true", data=body, method="PATCH",
                                 headers={"Content-Type": "application/apply-patch+yaml",
                                          "Authorization": "Bearer emulator-token"})
    urllib.request.urlopen(req).read()
    cluster.kfctl("param", "set", "web", "replicas", "2", check=0)
    res, data = apply_json(cluster, code=1)
    dep = next(o for o in data["objects"] if o["kind"] == "Deployment")
    assert dep["action"] == "failed"
    assert ".spec.replicas" in dep["error"] and "hpa-controller" in dep["error"] and "--force-conflicts" in dep["error"]
    assert cluster.emu.get("Deployment", "web", "ml")["spec"]["replicas"] == 7
    res, data = apply_json(cluster, "--force-conflicts", code=0)
    assert cluster.emu.get("Deployment", "web", "ml")["spec"]["replicas"] == 2


def test_forbidden_names_context_verb_and_resource(cluster):
    cluster.kfctl("generate", "deployed-service", "web", "--image", "nginx", check=0)
    cluster.emu.inject(method="PATCH", path=r"/deployments/web$", status=403, count=None)
    res, data = apply_json(cluster, code=1)
    err = next(o for o in data["objects"] if o["kind"] == "Deployment")["error"]
    assert "context 'emu'" in err and "patch" in err and "deployments" in err and "'ml'" in err


@pytest.mark.emulator(token="s3cret")
def test_unauthorized_stops_everything(emulator, tmp_path):
    kc = emulator.kubeconfig(tmp_path / "kc", context="emu", namespace="ml", token="wrong")
    env = {"KUBECONFIG": str(kc)}
    run_kfctl("init", "demo", "--dir", str(tmp_path / "demo"), "--context", "emu", cwd=tmp_path, env=env, check=0)
    run_kfctl("generate", "deployed-service", "web", "--image", "nginx", cwd=tmp_path / "demo", env=env, check=0)
    res = run_kfctl("apply", "default", "--yes", cwd=tmp_path / "demo", env=env)
    assert res.exit_code == 1
    assert "401" in res.stderr and "context 'emu'" in res.stderr
    assert "Traceback" not in res.stderr
    assert emulator.writes() == []


def test_unknown_kind_and_invalid_object(cluster):
    write_component(cluster.app, "cr", '{ apiVersion: "acme.io/v1", kind: "Gizmo", metadata: { name: "g" } }')
    write_component(cluster.app, "bad", '{ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "nosel" },'
                                         ' spec: { template: { metadata: { labels: { a: "b" } }, spec: { containers: [] } } } }')
    res, data = apply_json(cluster, code=1)
    by = {o["kind"]: o for o in data["objects"]}
    assert by["Gizmo"]["action"] == "failed"
    assert "unknown kind Gizmo (acme.io/v1)" in by["Gizmo"]["error"] and "CRD" in by["Gizmo"]["error"]
    assert by["Deployment"]["action"] == "failed" and "invalid" in by["Deployment"]["error"]
    assert "spec.selector" in by["Deployment"]["error"]


@pytest.mark.emulator(ready="never")
def test_wait_timeout_names_what_is_not_ready(emulator, tmp_path):
    kc = emulator.kubeconfig(tmp_path / "kc", context="emu", namespace="ml")
    env = {"KUBECONFIG": str(kc)}
    run_kfctl("init", "demo", "--dir", str(tmp_path / "demo"), "--context", "emu", cwd=tmp_path, env=env, check=0)
    run_kfctl("generate", "deployed-service", "web", "--image", "nginx", cwd=tmp_path / "demo", env=env, check=0)
    res = run_kfctl("apply", "default", "--yes", "--wait", "--timeout", "2s", cwd=tmp_path / "demo", env=env)
    assert res.exit_code == 1
    import re

    assert re.search(r"not ready: web/Deployment ml/web: (waiting for the controller|\d+ of 1 replicas)", res.stderr)
    assert "1 objects not ready after 2s" in res.stderr


@pytest.mark.emulator(ready=3)
def test_wait_until_ready(emulator, tmp_path):
    kc = emulator.kubeconfig(tmp_path / "kc", context="emu", namespace="ml")
    env = {"KUBECONFIG": str(kc)}
    run_kfctl("init", "demo", "--dir", str(tmp_path / "demo"), "--context", "emu", cwd=tmp_path, env=env, check=0)
    run_kfctl("generate", "deployed-service", "web", "--image", "nginx", cwd=tmp_path / "demo", env=env, check=0)
    res = run_kfctl("apply", "default", "--yes", "--wait", "--timeout", "30s", "-o", "json", cwd=tmp_path / "demo", env=env)
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout)["notReady"] == []


@pytest.mark.emulator(tls=True)
def test_tls_with_ca_from_kubeconfig_and_exec_plugin(emulator, tmp_path):
    """A real exec credential plugin (a script) supplies the token; TLS verified against the kubeconfig CA."""
    plugin = tmp_path / "fake-auth-plugin"
    plugin.write_text(textwrap.dedent(f"""\
        #!{sys.executable}
        import json
        print(json.dumps({{"apiVersion": "client.authentication.k8s.io/v1beta1", "kind": "ExecCredential",
                          "status": {{"token": "from-exec-plugin"}}}}))
        """))
    plugin.chmod(plugin.stat().st_mode | stat.S_IEXEC)
    kc = emulator.kubeconfig(tmp_path / "kc", context="gke", namespace="ml")
    doc = yaml.safe_load(kc.read_text())
    doc["users"][0]["user"] = {"exec": {"apiVersion": "client.authentication.k8s.io/v1beta1",
                                        "command": str(plugin), "interactiveMode": "Never"}}
    kc.write_text(yaml.safe_dump(doc))
    env = {"KUBECONFIG": str(kc)}
    run_kfctl("init", "demo", "--dir", str(tmp_path / "demo"), "--context", "gke", cwd=tmp_path, env=env, check=0)
    run_kfctl("generate", "deployed-service", "web", "--image", "nginx", cwd=tmp_path / "demo", env=env, check=0)
    res = run_kfctl("apply", "default", "--yes", cwd=tmp_path / "demo", env=env)
    assert res.exit_code == 0, res.stderr
    auth = {next((v for k, v in r.headers.items() if k.lower() == "authorization"), None)
            for r in emulator.requests_matching("PATCH")}
    assert auth == {"Bearer from-exec-plugin"}
    # without the CA the server's certificate is not trusted: one clear line, no traceback
    doc["clusters"][0]["cluster"].pop("certificate-authority-data")
    kc.write_text(yaml.safe_dump(doc))
    res = run_kfctl("diff", "default", cwd=tmp_path / "demo", env=env)
    assert (res.exit_code, res.stdout, res.stderr) == (2, "", (
        f"error: TLS verification of {emulator.url} failed: self-signed certificate; "
        "check certificate-authority(-data) of the cluster in your kubeconfig\n"))


def test_env_and_context_disagree(cluster, tmp_path):
    run_kfctl("env", "set", "default", "--server", "https://elsewhere.example", cwd=cluster.app, env=cluster.env, check=0)
    res = cluster.kfctl("diff", "default")
    assert res.exit_code == 2
    assert "points at https://elsewhere.example but its context 'emu' points at" in res.stderr
