"""A careless user against a sick cluster: unreachable, hung or non-Kubernetes servers, broken
kubeconfigs and credential plugins, refusals, races and empty renders.  Each case asserts the exit
code, the whole `error:` line, no traceback, no file of the app changed, and (where nothing may
change) that the API server received no write at all."""

from __future__ import annotations

import base64
import re
import shutil
import stat
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.bad_input.test_files import snapshot
from tests.conftest import run_kfctl
from tests.emulator.listeners import html_server, modified_conflict, refused_url, silent_listener

PLACEHOLDER = "http://127.0.0.1:9"
FAST = ("--request-timeout", "2s")  # bounds retries so a sick-server case takes ~2 s, not 30
QUICK = ("--request-timeout", "1s")  # a refused connection: backoff 0.2 s + 0.4 s, then the budget is spent
COMMANDS = {
    "apply": ("apply", "default", "--yes"),
    "apply --dry-run": ("apply", "default", "--dry-run"),
    "diff": ("diff", "default"),
    "status": ("status", "default"),
    "delete": ("delete", "default", "--yes"),
    "prune": ("prune", "default", "--yes"),
}
EXIT = {"apply": 1, "apply --dry-run": 1, "diff": 2, "status": 1, "delete": 1, "prune": 1}
BANNER = re.compile(r"^(Applying to|Dry run against|Deleting from|Dry run of deleting from|Pruning in) namespace ")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cluster-tpl") / "demo"
    env = {"KUBECONFIG": str(root.parent / "missing")}
    run_kfctl("init", "demo", "--dir", str(root), "--server", PLACEHOLDER, "--namespace", "ml", check=0, env=env)
    run_kfctl("generate", "deployed-service", "web", "--image", "nginx", cwd=root, check=0, env=env)
    return root


def kubeconfig_doc(server: str, *, user: dict | None = None, cluster: dict | None = None) -> dict:
    return {"apiVersion": "v1", "kind": "Config", "current-context": "emu",
            "clusters": [{"name": "emu", "cluster": {"server": server, **(cluster or {})}}],
            "contexts": [{"name": "emu", "context": {"cluster": "emu", "user": "emu-user", "namespace": "ml"}}],
            "users": [{"name": "emu-user", "user": user if user is not None else {"token": "emulator-token"}}]}


class Case:
    def __init__(self, template: Path, tmp: Path, server: str, doc: dict | None = None):
        self.app = tmp / "demo"
        shutil.copytree(template, self.app, ignore=shutil.ignore_patterns(".kfctl"))
        self.server = server
        self.set_server(server)
        self.kc = tmp / "kubeconfig"
        self.kc.write_text(yaml.safe_dump(doc or kubeconfig_doc(server)))
        self.env = {"KUBECONFIG": str(self.kc), "XDG_CACHE_HOME": str(tmp / "cache")}

    def set_server(self, server: str) -> None:
        text = (self.app / "app.yaml").read_text()
        (self.app / "app.yaml").write_text(re.sub(r"server: \S+", f"server: {server}", text))

    def component(self, name: str, text: str) -> None:
        (self.app / "components" / f"{name}.jsonnet").write_text(text)

    def run(self, *args: str):
        return run_kfctl(*args, cwd=self.app, env=self.env)

    def fails(self, *args: str, code: int, line: str | re.Pattern, emu=None, writes: bool = False) -> list[str]:
        """Run; assert the exit code, that the last stderr line is the one `error:` line (``line``, a
        string or a full-match pattern), nothing changed in the app, and no write reached ``emu``."""
        before = snapshot(self.app)
        res = self.run(*args)
        err = res.stderr.splitlines()
        assert res.exit_code == code, f"exit {res.exit_code}\n{res.stdout}\n{res.stderr}"
        assert "Traceback" not in res.stderr
        assert err, res.stdout
        if isinstance(line, re.Pattern):
            assert line.fullmatch(err[-1]), err[-1]
        else:
            assert err[-1] == line, err[-1]
        assert snapshot(self.app) == before
        if emu is not None and not writes:
            assert emu.writes() == [], [f"{r.method} {r.path}" for r in emu.writes()]
        return err


@pytest.fixture
def case(template, tmp_path):
    def make(server: str, doc: dict | None = None) -> Case:
        return Case(template, tmp_path, server, doc)
    return make


@pytest.fixture
def emu_case(case, emulator):
    c = case(emulator.url)
    c.emu = emulator
    return c


def timing(text: str) -> str:
    """A message with '(… N attempts in X.Ys)' as a pattern (the seconds vary)."""
    return re.escape(text).replace(r"ATTEMPTS", r"\d+ attempts in \d+\.\ds")


# ---------------------------------------------------------------- servers that do not answer as Kubernetes


@pytest.mark.parametrize("command", list(COMMANDS))
def test_connection_refused(case, command):
    url = refused_url()
    c = case(url)
    err = c.fails(*COMMANDS[command], *QUICK, code=EXIT[command],
                  line=re.compile(timing(f"error: cannot connect to {url}: connection refused (GET /api; ATTEMPTS)")))
    retries = [ln for ln in err if ln.startswith("warning:")]
    assert retries and all(re.fullmatch(rf"warning: GET /api: cannot connect to {re.escape(url)}: connection refused;"
                                        r" retrying \(\d/5\)…", ln) for ln in retries), err


@pytest.mark.parametrize("command", ["apply", "diff", "status"])
def test_server_that_accepts_but_never_answers(case, command):
    with silent_listener() as url:
        c = case(url)
        start = time.monotonic()
        err = c.fails(*COMMANDS[command], *FAST, code=EXIT[command],
                      line=re.compile(timing(f"error: no answer from {url} (GET /api; ATTEMPTS); the server "
                                             "accepts connections but does not answer; pass --request-timeout to "
                                             "wait longer")))
        took = time.monotonic() - start
    assert took < 15, took  # bounded by --request-timeout 2s plus start-up (main: 6 x 30 s); generous for load
    assert f"warning: GET /api: no answer from {url} within 1s; retrying (1/5)…" in err


@pytest.mark.parametrize("command", ["apply", "diff"])
def test_unknown_host_is_not_retried(case, command):
    c = case("https://nohost.invalid:6443")
    err = c.fails(*COMMANDS[command], code=EXIT[command],
                  line="error: cannot connect to https://nohost.invalid:6443: host name 'nohost.invalid' not found "
                       "(DNS: name or service not known) (GET /api); check the server URL of the kube context")
    assert not [ln for ln in err if "retrying" in ln]


@pytest.mark.parametrize("command", ["apply", "diff", "status", "delete", "prune"])
def test_a_web_server_is_not_a_kubernetes_api_server(case, command):
    with html_server() as url:
        c = case(url)
        c.fails(*COMMANDS[command], code=EXIT[command],
                line=f'error: {url} is not a Kubernetes API server (answered text/html with status 200 to GET /api: '
                     '"Welcome to nginx!"); check the server URL of the kube context or the env (\'kfctl env list\' '
                     "shows it)")


def test_a_proxy_error_page_is_retried_then_named(case):
    page = "<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>"
    with html_server(status=502, page=page) as url:
        c = case(url)
        err = c.fails("diff", "default", *FAST, code=2,
                      line=f'error: {url} is not a Kubernetes API server (answered text/html with status 502 to GET '
                           '/api: "502 Bad Gateway"); check the server URL of the kube context or the env '
                           "('kfctl env list' shows it)")
    assert "warning: GET /api: the server answered 502: 502 Bad Gateway; retrying (1/5)…" in err


def test_a_plain_text_404_server(case):
    with html_server(status=404, page="404 page not found\n", ctype="text/plain; charset=utf-8") as url:
        c = case(url)
        c.fails("status", "default", code=1,
                line=f'error: {url} is not a Kubernetes API server (answered text/plain with status 404 to GET /api: '
                     '"404 page not found"); check the server URL of the kube context or the env (\'kfctl env list\' '
                     "shows it)")


# ---------------------------------------------------------------- exec credential plugins


def _plugin(tmp: Path, body: str, name: str = "gke-auth") -> Path:
    p = tmp / name
    p.write_text(f"#!{sys.executable}\nimport json, sys, time\n{body}\n")
    p.chmod(p.stat().st_mode | stat.S_IEXEC)
    return p


def _exec_user(command: str, api_version: str = "client.authentication.k8s.io/v1beta1", **extra) -> dict:
    return {"exec": {"apiVersion": api_version, "command": command, "interactiveMode": "Never", **extra}}


CRED = ("print(json.dumps({'apiVersion': 'client.authentication.k8s.io/v1beta1', 'kind': 'ExecCredential', "
        "'status': %s}))")
WHO = "exec credential plugin '{p}' of user 'emu-user' (context 'emu')"


@pytest.mark.parametrize("body, message", [
    ("sys.stderr.write('ERROR: gcloud is not logged in\\nrun: gcloud auth login\\n'); sys.exit(1)",
     "{who} failed with exit code 1: ERROR: gcloud is not logged in / run: gcloud auth login"),
    ("sys.exit(7)", "{who} failed with exit code 7 and printed nothing on stderr"),
    ("print('Enter your password:')", "{who} printed 'Enter your password:' instead of an ExecCredential (JSON)"),
    ("pass", "{who} printed nothing (an ExecCredential was expected)"),
    ("print(json.dumps({'token': 'x'}))", "{who} printed JSON that is not an ExecCredential with a status"),
    (CRED % "{}", "{who} returned no credential (neither a token nor a client certificate and key)"),
    ("print(json.dumps({'apiVersion': 'client.authentication.k8s.io/v1', 'kind': 'ExecCredential', "
     "'status': {'token': 't'}}))",
     "{who} answered with apiVersion 'client.authentication.k8s.io/v1', but the kubeconfig asks for "
     "'client.authentication.k8s.io/v1beta1'"),
], ids=["exit-1-stderr", "exit-7-silent", "garbage", "empty", "not-exec-credential", "no-token", "wrong-version"])
@pytest.mark.emulator(token="from-plugin")
def test_failing_credential_plugin(case, emulator, tmp_path, body, message):
    plugin = _plugin(tmp_path, body)
    c = case(emulator.url, kubeconfig_doc(emulator.url, user=_exec_user(str(plugin))))
    for command in ("apply", "diff"):
        err = c.fails(*COMMANDS[command], code=EXIT[command], emu=emulator,
                      line="error: " + message.format(who=WHO.format(p=plugin)))
        # (no 401 from the server: the tmp path, e.g. /tmp/pytest-of-root/pytest-401/, may hold those digits)
        assert not [ln for ln in err if "ERROR:root" in ln or "401" in ln.replace(str(tmp_path), "")]
    assert emulator.requests == []  # never went on unauthenticated


@pytest.mark.emulator(token="from-plugin")
def test_hanging_credential_plugin_times_out(case, emulator, tmp_path):
    plugin = _plugin(tmp_path, "time.sleep(120)")
    c = case(emulator.url, kubeconfig_doc(emulator.url, user=_exec_user(str(plugin))))
    start = time.monotonic()
    c.fails("diff", "default", *FAST, code=2, emu=emulator,
            line=f"error: {WHO.format(p=plugin)} did not answer within 2s (is it waiting for a login?); run "
                 f"'{plugin}' by hand to see what it waits for")
    assert time.monotonic() - start < 20  # 2 s plus start-up (main: as long as the plugin hangs)
    assert emulator.requests == []


@pytest.mark.emulator(token="from-plugin")
def test_missing_credential_plugin_gives_the_install_hint(case, emulator, tmp_path):
    user = _exec_user("gke-gcloud-auth-plugin-missing",
                      installHint="Install gke-gcloud-auth-plugin for use with kubectl by following "
                                  "https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl")
    c = case(emulator.url, kubeconfig_doc(emulator.url, user=user))
    c.fails("apply", "default", "--yes", code=1, emu=emulator,
            line="error: exec credential plugin 'gke-gcloud-auth-plugin-missing' of user 'emu-user' (context 'emu') "
                 "not found on PATH; Install gke-gcloud-auth-plugin for use with kubectl by following "
                 "https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl")


@pytest.mark.emulator(token="from-plugin")
def test_credential_plugin_that_is_not_executable(case, emulator, tmp_path):
    plugin = tmp_path / "aws-auth"
    plugin.write_text("#!/bin/sh\necho hi\n")
    plugin.chmod(0o644)
    c = case(emulator.url, kubeconfig_doc(emulator.url, user=_exec_user(str(plugin))))
    c.fails("status", "default", code=1, emu=emulator,
            line=f"error: exec credential plugin '{plugin}' of user 'emu-user' (context 'emu') is not executable; "
                 f"chmod +x {plugin}, or fix 'command' in the kubeconfig")


@pytest.mark.emulator(token="from-plugin")
def test_exec_entry_without_api_version(case, emulator, tmp_path):
    user = {"exec": {"command": "aws", "args": ["eks", "get-token"]}}
    c = case(emulator.url, kubeconfig_doc(emulator.url, user=user))
    c.fails("diff", "default", code=2, emu=emulator,
            line="error: exec credential plugin 'aws' of user 'emu-user' (context 'emu'): the kubeconfig's exec "
                 "entry has no 'apiVersion' (e.g. client.authentication.k8s.io/v1beta1)")


# ---------------------------------------------------------------- kubeconfig certificate data


PEM = "-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIUX0\n-----END CERTIFICATE-----\n"


@pytest.mark.parametrize("field, where, value, message", [
    ("certificate-authority-data", "cluster", "LS0tLS1CRUdJTi!!", "certificate-authority-data of cluster 'emu' is not "
     "valid base64; it must be the base64 of a PEM file, e.g. 'base64 -w0 ca.crt'"),
    ("certificate-authority-data", "cluster", base64.b64encode(b"hello, I am not a certificate").decode(),
     "certificate-authority-data of cluster 'emu' is not usable: it holds no PEM certificate (no '-----BEGIN "
     "CERTIFICATE-----' line); copy it again from your cluster provider, or run 'kubectl config view --raw' to see it"),
    ("certificate-authority-data", "cluster", base64.b64encode(PEM.encode()).decode(),
     "certificate-authority-data of cluster 'emu' is not usable: its PEM certificate is corrupt (cut short or "
     "edited?); copy it again from your cluster provider, or run 'kubectl config view --raw' to see it"),
    ("client-key-data", "user", "not base64 at all", "client-key-data of user 'emu-user' is not valid base64; it must "
     "be the base64 of a PEM file, e.g. 'base64 -w0 ca.crt'"),
    ("client-certificate-data", "user", "%%%%", "client-certificate-data of user 'emu-user' is not valid base64; it "
     "must be the base64 of a PEM file, e.g. 'base64 -w0 ca.crt'"),
], ids=["ca-not-base64", "ca-not-pem", "ca-corrupt-pem", "key-not-base64", "cert-not-base64"])
def test_bad_certificate_data_is_named_whole(case, field, where, value, message):
    doc = kubeconfig_doc("https://127.0.0.1:6443")
    if where == "cluster":
        doc["clusters"][0]["cluster"][field] = value
    else:
        doc["users"][0]["user"] = {field: value}
    c = case("https://127.0.0.1:6443", doc)
    for command in ("apply", "diff"):
        c.fails(*COMMANDS[command], code=EXIT[command], line=f"error: kube context 'emu': {message}")


def test_kubeconfig_given_with_flag_does_not_exist(emu_case, tmp_path):
    emu_case.fails("apply", "default", "--yes", "--kubeconfig", str(tmp_path / "nope.yaml"), code=1,
                   emu=emu_case.emu, line=f"error: {tmp_path / 'nope.yaml'}: kubeconfig file not found")


def test_context_that_names_an_undefined_cluster(case, emulator):
    doc = kubeconfig_doc(emulator.url)
    doc["contexts"][0]["context"]["cluster"] = "gone"
    c = case(emulator.url, doc)
    c.fails("diff", "default", "--context", "emu", code=2, emu=emulator,
            line=f"error: {c.kc}: context 'emu' refers to cluster 'gone', which is not defined")
    c.fails("apply", "default", "--yes", code=1, emu=emulator,
            line=f"error: environment 'default': no kube context in {c.kc} points at {emulator.url}; pass --context "
                 "NAME or run 'kfctl env set default --context NAME'")
    assert emulator.requests == []


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize("command", ["apply", "diff", "status"])
@pytest.mark.emulator(token="right")
def test_rejected_credentials(case, emulator, command):
    c = case(emulator.url, kubeconfig_doc(emulator.url, user={"token": "wrong"}))
    c.fails(*COMMANDS[command], code=EXIT[command], emu=emulator,
            line="error: context 'emu': the server rejected the credentials (401 Unauthorized); log in again or check "
                 "the user of context 'emu'")


def test_forbidden_discovery_has_no_empty_prefix(emu_case):
    emu_case.emu.inject(method="GET", path=r"^/api$", status=403, count=None,
                        message='forbidden: User "system:anonymous" cannot get path "/api"')
    emu_case.fails("apply", "default", "--yes", code=1, emu=emu_case.emu,
                   line="error: context 'emu' is not allowed to get this resource at cluster scope (403 Forbidden: "
                        "forbidden: User \"system:anonymous\" cannot get path \"/api\")")


def test_forbidden_namespace_creation_names_the_real_verb(emu_case):
    emu_case.emu.deny("patch", "namespaces")
    emu_case.emu.deny("create", "namespaces")
    emu_case.fails("apply", "default", "--yes", code=1, emu=emu_case.emu, writes=True,
                   line="error: namespace 'ml' of environment 'default' does not exist, and context 'emu' is not "
                        "allowed to create namespaces at cluster scope (403 Forbidden: namespaces \"ml\" is forbidden: "
                        "User \"emulator-user\" cannot patch resource \"namespaces\" in API group \"\" at the cluster "
                        "scope); ask a cluster admin to create it, or use a namespace you may write to ('kfctl env set "
                        "default --namespace NS')")
    assert emu_case.emu.get("Namespace", "ml") is None


def test_forbidden_patch_of_one_object(emu_case):
    emu_case.emu.deny("patch", "deployments", group="apps")
    err = emu_case.fails("apply", "default", "--yes", code=1, emu=emu_case.emu, writes=True,
                         line="error: 1 of 2 objects failed; see the errors above")
    assert ("error: Deployment ml/web: context 'emu' is not allowed to patch deployments in namespace 'ml' (403 "
            "Forbidden: deployments.apps \"web\" is forbidden: User \"emulator-user\" cannot patch resource "
            "\"deployments\" in API group \"apps\" in the namespace \"ml\")") in err
    assert emu_case.emu.get("Deployment", "web", "ml") is None


def test_forbidden_delete_in_prune(emu_case):
    emu_case.run("apply", "default", "--yes")
    shutil.rmtree(emu_case.app / "components")
    (emu_case.app / "components").mkdir()
    (emu_case.app / "components" / "params.libsonnet").write_text("{ global: {}, components: {} }\n")
    emu_case.component("keep", '{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "keep" } }')
    emu_case.emu.deny("delete", "services")
    emu_case.emu.clear_requests()
    err = emu_case.fails("prune", "default", "--yes", code=1, emu=emu_case.emu, writes=True,
                         line="error: 1 objects could not be pruned")
    assert emu_case.emu.get("Service", "web", "ml") is not None
    assert emu_case.emu.get("Deployment", "web", "ml") is None
    assert ("error: Service ml/web: context 'emu' is not allowed to delete services in namespace 'ml' (403 Forbidden: "
            "services \"web\" is forbidden: User \"emulator-user\" cannot delete resource \"services\" in API group "
            "\"\" in the namespace \"ml\")") in err


# ---------------------------------------------------------------- races and a sick server


def test_resource_version_conflict_that_persists_is_not_a_field_conflict(emu_case):
    emu_case.run("apply", "default", "--yes")
    emu_case.run("param", "set", "web", "replicas", "2")
    modified_conflict(emu_case.emu, path=r"/deployments/web$", count=None)
    emu_case.emu.clear_requests()
    err = emu_case.fails("apply", "default", "--yes", code=1, emu=emu_case.emu, writes=True,
                         line="error: 1 of 2 objects failed; see the errors above")
    line = next(ln for ln in err if ln.startswith("error: Deployment"))
    assert line == ("error: Deployment ml/web: someone else kept changing the object while kfctl applied it (409 "
                    "Conflict: the resourceVersion moved — not a field-ownership conflict); kfctl applied it again 3 "
                    "times; rerun the apply, and if it persists look for a controller that rewrites the object "
                    "constantly")
    assert "--force-conflicts" not in emu_case.run("apply", "default", "--yes").stderr
    assert len(emu_case.emu.requests_matching("PATCH", r"/deployments/web$")) == 8  # 1 + 3 retries, twice


def test_field_conflict_still_advises_force_conflicts(emu_case):
    emu_case.run("apply", "default", "--yes")
    import json
    import urllib.request

    body = json.dumps({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "ml"},
                       "spec": {"replicas": 5}}).encode()
    urllib.request.urlopen(urllib.request.Request(
        f"{emu_case.emu.url}/apis/apps/v1/namespaces/ml/deployments/web?fieldManager=hpa&force=true", data=body,
        method="PATCH", headers={"Content-Type": "application/apply-patch+yaml"})).read()
    emu_case.run("param", "set", "web", "replicas", "2")
    err = emu_case.fails("apply", "default", "--yes", code=1, emu=emu_case.emu, writes=True,
                         line="error: 1 of 2 objects failed; see the errors above")
    assert ("error: Deployment ml/web: field conflict: .spec.replicas (owned by hpa); rerun with --force-conflicts "
            "to take ownership") in err


CRD = """[{ apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition",
    metadata: { name: "widgets.acme.io" },
    spec: { group: "acme.io", scope: "Namespaced",
            names: { kind: "Widget", plural: "widgets", singular: "widget", listKind: "WidgetList" },
            versions: [ { name: "v1", served: true, storage: true,
                          schema: { openAPIV3Schema: { type: "object" } } } ] } }]"""


@pytest.mark.emulator(crd_established="never")
def test_crd_status_read_failing_with_503_shows_the_answer(emu_case):
    import threading

    emu_case.component("crd", CRD)

    def fail_reads_once_applied() -> None:  # (the CRD clash check before apply reads it too)
        end = time.monotonic() + 60
        while not emu_case.emu.requests_matching("PATCH", r"customresourcedefinitions/widgets.acme.io$"):
            if time.monotonic() > end:
                return
            time.sleep(0.005)
        emu_case.emu.inject(method="GET", path=r"customresourcedefinitions/widgets.acme.io$", status=503,
                            count=None, message="etcdserver: leader changed")

    threading.Thread(target=fail_reads_once_applied, daemon=True).start()
    start = time.monotonic()
    err = emu_case.fails("apply", "default", "--yes", *FAST, code=1, emu=emu_case.emu, writes=True,
                         line="error: 1 of 3 objects failed; see the errors above")
    assert time.monotonic() - start < 30  # not "a silent minute" (generous: the machine may be loaded)
    assert ("error: CustomResourceDefinition widgets.acme.io: cannot read its status: the server answered 503 "
            "ServiceUnavailable: etcdserver: leader changed") in err
    assert ("warning: GET /apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.acme.io: the server "
            "answered 503 ServiceUnavailable: etcdserver: leader changed; retrying (1/5)…") in err


def test_server_down_for_one_kind(emu_case):
    emu_case.emu.inject(method="PATCH", path=r"/deployments/web$", status=503, count=None, message="etcd down")
    err = emu_case.fails("apply", "default", "--yes", *FAST, code=1, emu=emu_case.emu, writes=True,
                         line="error: 1 of 2 objects failed; see the errors above")
    assert "error: Deployment ml/web: the server answered 503 ServiceUnavailable: etcd down" in err


def test_state_record_that_cannot_be_written_fails_the_apply(emu_case):
    emu_case.emu.inject(method="PATCH", path=r"/configmaps/kfctl-demo-default$", status=500, count=None,
                        message="etcdserver: request timed out")
    err = emu_case.fails("apply", "default", "--yes", *FAST, code=1, emu=emu_case.emu, writes=True,
                         line="error: the state record ConfigMap ml/kfctl-demo-default could not be written: the "
                              "server answered 500 InternalError: etcdserver: request timed out; rerun the apply "
                              "(prune still finds this env's objects of every kind)")
    assert "2 created; state record not saved" in err


# ---------------------------------------------------------------- empty renders and GitOps envs


EMPTY = "[]"


def test_apply_of_an_empty_render_creates_nothing(emu_case):
    emu_case.component("web", EMPTY)
    for args in (("apply", "default", "--yes"), ("apply", "default", "--dry-run")):
        err = emu_case.fails(*args, code=1, emu=emu_case.emu,
                             line="error: nothing to apply: environment 'default' renders no objects; add one with "
                                  "'kfctl generate', or see 'kfctl component list'")
        assert len(err) == 1  # no banner either: the cluster is never contacted
    assert emu_case.emu.requests == []
    assert emu_case.emu.get("Namespace", "ml") is None


def test_apply_of_a_component_that_renders_nothing(emu_case):
    emu_case.component("empty", EMPTY)
    emu_case.fails("apply", "default", "-c", "empty", "--yes", code=1, emu=emu_case.emu,
                   line="error: nothing to apply: component empty of environment 'default' renders no objects")
    assert emu_case.emu.requests == []


def test_prune_with_an_empty_render_refuses(emu_case):
    emu_case.run("apply", "default", "--yes")
    emu_case.component("web", EMPTY)
    emu_case.emu.clear_requests()
    emu_case.fails("prune", "default", "--yes", code=1, emu=emu_case.emu,
                   line="error: refusing to prune: environment 'default' renders no objects (an empty render would "
                        "delete everything the app owns)")
    assert emu_case.emu.get("Deployment", "web", "ml") is not None


@pytest.mark.parametrize("command, message", [
    ("prune", "prune does not apply to GitOps environment 'git': 'kfctl apply git' rewrites {dir}, removing the files "
              "of objects it no longer renders, and your GitOps controller prunes them from the cluster"),
    ("status", "status needs a cluster: GitOps environment 'git' deploys to {dir}; 'kfctl diff git' compares the "
               "render with it; to see live state too, run 'kfctl env set git --context NAME'"),
    ("delete", "delete does not apply to GitOps environment 'git': remove its objects from {dir} (or the directory "
               "from your GitOps controller) and the controller deletes them; to delete from a cluster directly, run "
               "'kfctl env set git --context NAME'"),
])
def test_cluster_commands_on_a_gitops_env(case, tmp_path, command, message):
    c = case(PLACEHOLDER)
    run_kfctl("env", "add", "git", "--gitops-dir", "deploy/git", cwd=c.app, env=c.env, check=0)
    c.fails(command, "git", "--yes" if command != "status" else "-o", *(() if command != "status" else ("tree",)),
            code=1, line="error: " + message.format(dir="deploy/git"))


# ---------------------------------------------------------------- flags


@pytest.mark.parametrize("value, message", [
    ("abc", "invalid --request-timeout 'abc': use e.g. 0 (no limit), 30s, 2m"),
    ("5x", "invalid --request-timeout '5x': use e.g. 0 (no limit), 30s, 2m"),
    ("-1s", "invalid --request-timeout '-1s': use e.g. 0 (no limit), 30s, 2m"),
])
def test_bad_request_timeout(emu_case, value, message):
    for command in ("apply", "status"):
        emu_case.fails(*COMMANDS[command], f"--request-timeout={value}", code=2, emu=emu_case.emu,
                       line=f"error: {message}; see 'kfctl {command} --help'")
    assert emu_case.emu.requests == []


def test_bad_wait_timeout(emu_case):
    emu_case.fails("apply", "default", "--yes", "--wait", "--timeout", "soon", code=2, emu=emu_case.emu,
                   line="error: invalid duration 'soon': use e.g. 30s, 5m, 1h30m")
    assert emu_case.emu.requests == []


def test_unknown_context_flag(emu_case):
    emu_case.fails("apply", "default", "--yes", "--context", "prod", code=1, emu=emu_case.emu,
                   line=f"error: context 'prod' not found in {emu_case.kc} (known contexts: emu)")
    assert emu_case.emu.requests == []


def test_env_and_its_context_point_at_different_servers(case, emulator):
    c = case(emulator.url)
    assert c.run("env", "set", "default", "--context", "emu").exit_code == 0
    c.set_server("https://prd.example:6443")  # someone edited app.yaml by hand
    c.fails("apply", "default", "--yes", code=1, emu=emulator,
            line=f"error: environment 'default' points at https://prd.example:6443 but its context 'emu' points at "
                 f"{emulator.url}; run 'kfctl env set default --context emu' or pass --context")
    assert emulator.requests == []


def test_custom_resource_without_its_crd(emu_case):
    emu_case.component("gizmo", '{ apiVersion: "acme.io/v1", kind: "Gizmo", metadata: { name: "g" } }')
    err = emu_case.fails("apply", "default", "--yes", code=1, emu=emu_case.emu, writes=True,
                         line="error: 1 of 3 objects failed; see the errors above")
    assert ("error: gizmo/Gizmo/ml/g: unknown kind Gizmo (acme.io/v1): the cluster has no CRD for it and none is in "
            "this render; install the CRD or the package that provides it") in err
    assert not emu_case.emu.requests_matching("PATCH", r"/gizmos/")


def test_object_the_server_finds_invalid(emu_case):
    emu_case.component("bad", '{ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "nosel" }, spec: { '
                              'template: { metadata: { labels: { a: "b" } }, spec: { containers: [] } } } }')
    err = emu_case.fails("apply", "default", "--yes", code=1, emu=emu_case.emu, writes=True,
                         line="error: 1 of 3 objects failed; see the errors above")
    line = next(ln for ln in err if ln.startswith("error: Deployment ml/nosel"))
    assert line.startswith("error: Deployment ml/nosel: invalid: spec.selector: Required value")
    assert emu_case.emu.get("Deployment", "nosel", "ml") is None


def test_throttled_until_the_budget_is_spent(emu_case):
    emu_case.emu.inject(method="GET", path=r"^/apis$", status=429, retry_after=1, count=None)
    err = emu_case.fails("diff", "default", *FAST, code=2, emu=emu_case.emu,
                         line="error: the server answered 429 TooManyRequests: Too many requests, please try again "
                              "later. (GET /apis)")
    assert ("warning: GET /apis: the server answered 429 TooManyRequests: Too many requests, please try again later.; "
            "retrying (1/5)…") in err


def test_discovery_failing_with_500(emu_case):
    emu_case.emu.inject(method="GET", path=r"^/api$", status=500, count=None, message="etcdserver: no leader")
    emu_case.fails("status", "default", *QUICK, code=1, emu=emu_case.emu,
                   line="error: the server answered 500 InternalError: etcdserver: no leader (GET /api)")


@pytest.mark.emulator(tls=True)
def test_server_certificate_not_trusted(case, emulator):
    doc = kubeconfig_doc(emulator.url)  # no certificate-authority-data: the self-signed certificate is unknown
    c = case(emulator.url, doc)
    c.fails("apply", "default", "--yes", code=1, emu=emulator,
            line=f"error: TLS verification of {emulator.url} failed: self-signed certificate; check "
                 "certificate-authority(-data) of the cluster in your kubeconfig")
    assert emulator.writes() == []


def test_state_record_that_may_not_be_read(emu_case):
    emu_case.run("apply", "default", "--yes")
    emu_case.emu.deny("get", "configmaps")
    emu_case.emu.clear_requests()
    emu_case.fails("apply", "default", "--yes", code=1, emu=emu_case.emu,
                   line="error: context 'emu' is not allowed to get configmaps in namespace 'ml' (403 Forbidden: "
                        "configmaps \"kfctl-demo-default\" is forbidden: User \"emulator-user\" cannot get resource "
                        "\"configmaps\" in API group \"\" in the namespace \"ml\")")
