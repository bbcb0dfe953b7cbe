"""kfctl init and environments: layout, kubeconfig resolution, ksonnet app.yaml versions, bad input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import run_kfctl

FIX = Path(__file__).parent / "fixtures"
KUBE_MAIN = FIX / "kubeconfig" / "main.yaml"
KUBE_SECOND = FIX / "kubeconfig" / "second.yaml"


def kube_env(*files: Path) -> dict:
    return {"KUBECONFIG": os.pathsep.join(str(f) for f in files)}


def test_init_creates_ksonnet_030_layout(tmp_path):
    res = run_kfctl("init", "my-ml", "--server", "https://1.2.3.4:6443", "--env", "dev", "-n", "ml",
                    cwd=tmp_path, check=0, env=kube_env(tmp_path / "none"))
    root = tmp_path / "my-ml"
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and ".kfctl" not in p.parts)
    assert files == [
        ".gitignore", "app.yaml", "components/params.libsonnet", "environments/base.libsonnet",
        "environments/dev/globals.libsonnet", "environments/dev/main.jsonnet", "environments/dev/params.libsonnet",
        "vendor/.keep",
    ]  # lib/ starts empty: ksonnet-lib is generated for the env's k8sVersion on demand
    app = yaml.safe_load((root / "app.yaml").read_text())
    assert app["apiVersion"] == "0.3.0"
    assert app["kind"] == "ksonnet.io/app"
    assert app["name"] == "my-ml"
    assert app["environments"]["dev"]["destination"] == {"namespace": "ml", "server": "https://1.2.3.4:6443"}
    assert app["environments"]["dev"]["path"] == "dev"
    assert app["environments"]["dev"]["k8sVersion"].startswith("v1.")
    assert "kubeflow" in app["registries"]
    assert "Created app 'my-ml'" in res.stderr
    assert res.stdout == ""
    gitignore = (root / ".gitignore").read_text()
    assert "/.ks_environment" in gitignore and "/app.override.yaml" in gitignore


def test_init_skip_default_registries_and_dir(tmp_path):
    run_kfctl("init", "x", "--dir", str(tmp_path / "elsewhere"), "--server", "http://example.com",
              "--skip-default-registries", cwd=tmp_path, check=0)
    app = yaml.safe_load((tmp_path / "elsewhere" / "app.yaml").read_text())
    assert "registries" not in app
    assert list(app["environments"]) == ["default"]
    assert app["environments"]["default"]["destination"]["namespace"] == "default"


def test_init_refuses_non_empty_dir(tmp_path):
    target = tmp_path / "busy"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    res = run_kfctl("init", "busy", "--server", "http://example.com", cwd=tmp_path)
    assert res.exit_code == 1
    assert "not empty" in res.stderr and "Traceback" not in res.stderr
    assert sorted(p.name for p in target.iterdir()) == ["keep.txt"]


def test_init_from_context_uses_its_server_and_namespace(tmp_path):
    run_kfctl("init", "a", "--context", "remote-prd", cwd=tmp_path, check=0, env=kube_env(KUBE_MAIN))
    env = yaml.safe_load((tmp_path / "a" / "app.yaml").read_text())["environments"]["default"]
    assert env["destination"] == {"namespace": "kubeflow", "server": "https://34.1.2.3"}
    assert env["kfctl"]["context"] == "remote-prd"


def test_init_without_flags_uses_current_context(tmp_path):
    run_kfctl("init", "a", cwd=tmp_path, check=0, env=kube_env(KUBE_MAIN))
    env = yaml.safe_load((tmp_path / "a" / "app.yaml").read_text())["environments"]["default"]
    assert env["destination"]["server"] == "https://127.0.0.1:6443"
    assert env["kfctl"]["context"] == "local-dev"


def test_kubeconfig_several_files_first_wins(tmp_path):
    env = kube_env(KUBE_MAIN, tmp_path / "missing.yaml", KUBE_SECOND)
    run_kfctl("init", "a", "--context", "eks-prd", cwd=tmp_path, check=0, env=env)
    e = yaml.safe_load((tmp_path / "a" / "app.yaml").read_text())["environments"]["default"]
    assert e["destination"] == {"namespace": "ml", "server": "https://ABCDEF.gr7.us-west-2.eks.amazonaws.com"}
    # kind-local is defined in both files: the first file's definition wins (kubectl's rule)
    run_kfctl("env", "add", "dev", "--context", "local-dev", cwd=tmp_path / "a", check=0, env=env)
    app = yaml.safe_load((tmp_path / "a" / "app.yaml").read_text())
    assert app["environments"]["dev"]["destination"]["server"] == "https://127.0.0.1:6443"
    # current-context comes from the first file that sets it: local-dev
    run_kfctl("env", "add", "cur", cwd=tmp_path / "a", check=0, env=env)
    app = yaml.safe_load((tmp_path / "a" / "app.yaml").read_text())
    assert app["environments"]["cur"]["kfctl"]["context"] == "local-dev"


@pytest.mark.parametrize("args,needle", [
    (["--context", "nope"], "context 'nope' not found"),
    (["--context", "aks-prd"], "refers to cluster 'aks', which is not defined"),
])
def test_bad_contexts(tmp_path, args, needle):
    res = run_kfctl("init", "a", *args, cwd=tmp_path, env=kube_env(KUBE_MAIN, KUBE_SECOND))
    assert res.exit_code == 1, res.stderr
    assert needle in res.stderr
    assert "Traceback" not in res.stderr
    assert not (tmp_path / "a").exists()


def test_malformed_kubeconfig_names_the_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("contexts: [\n  - name: x\n")
    res = run_kfctl("init", "a", "--context", "x", cwd=tmp_path, env=kube_env(bad))
    assert res.exit_code == 1
    assert str(bad) in res.stderr and "malformed kubeconfig" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_env_lifecycle(app_dir):
    run_kfctl("env", "add", "prd", "--server", "https://prd.example:6443", "-n", "kubeflow", "--platform", "gke",
              "--k8s-version", "1.31", cwd=app_dir, check=0)
    res = run_kfctl("env", "list", "-o", "json", cwd=app_dir, check=0)
    data = json.loads(res.stdout)
    assert data["kind"] == "environments"
    by = {e["name"]: e for e in data["data"]}
    assert set(by) == {"default", "prd"}
    assert by["prd"]["namespace"] == "kubeflow" and by["prd"]["platform"] == "gke"
    assert by["prd"]["k8sVersion"] == "v1.31.0"
    assert (app_dir / "environments" / "prd" / "main.jsonnet").is_file()

    table = run_kfctl("env", "list", cwd=app_dir, check=0).stdout.splitlines()
    assert table[0].split() == ["NAME", "CURRENT", "KUBERNETES-VERSION", "NAMESPACE", "SERVER", "CONTEXT", "PLATFORM"]
    assert set(table[1].split()) == {"=" * len(h) for h in table[0].split()}

    desc = yaml.safe_load(run_kfctl("env", "describe", "prd", cwd=app_dir, check=0).stdout)
    assert desc["server"] == "https://prd.example:6443"
    assert desc["platformParams"]["cloud"] == "gke"

    # rename moves the directory and keeps the current env pointer
    run_kfctl("env", "current", "--set", "prd", cwd=app_dir, check=0)
    (app_dir / "environments" / "prd" / "globals.libsonnet").write_text("{ team: 'ml' }\n")
    run_kfctl("env", "set", "prd", "--name", "us-west/prd", "--namespace", "kf", cwd=app_dir, check=0)
    assert not (app_dir / "environments" / "prd").exists()
    moved = app_dir / "environments" / "us-west" / "prd"
    assert (moved / "globals.libsonnet").read_text() == "{ team: 'ml' }\n"
    assert run_kfctl("env", "current", cwd=app_dir, check=0).stdout.strip() == "us-west/prd"
    app = yaml.safe_load((app_dir / "app.yaml").read_text())
    assert app["environments"]["us-west/prd"]["destination"]["namespace"] == "kf"
    assert app["environments"]["us-west/prd"]["path"] == "us-west/prd"
    assert "prd" not in app["environments"]

    run_kfctl("env", "rm", "us-west/prd", cwd=app_dir, check=0)
    assert not (app_dir / "environments" / "us-west").exists()
    assert run_kfctl("env", "current", cwd=app_dir, check=0).stdout == ""


@pytest.mark.parametrize("args,code,needle", [
    (["env", "add", "Prod", "--server", "http://x"], 2, "invalid environment name 'Prod'"),
    (["env", "add", "-bad", "--server", "http://x"], 2, ""),
    (["env", "add", "default", "--server", "http://x"], 1, "environment 'default' already exists"),
    (["env", "add", "x", "--server", "ftp://x"], 2, "must be an http:// or https:// URL"),
    (["env", "add", "x", "--server", "http://x", "--platform", "gkee"], 1, "did you mean 'gke'"),
    (["env", "rm", "nope"], 1, "environment 'nope' does not exist"),
    (["env", "describe", "defualt"], 1, "did you mean 'default'"),
    (["env", "set", "default"], 2, "nothing to change"),
    (["env", "current", "--set", "nope"], 1, "does not exist"),
    (["env", "list", "-o", "xml"], 2, ""),
])
def test_env_bad_input(app_dir, args, code, needle):
    before = (app_dir / "app.yaml").read_bytes()
    res = run_kfctl(*args, cwd=app_dir)
    assert res.exit_code == code, res.stderr
    assert needle in res.stderr
    assert "Traceback" not in res.stderr
    assert (app_dir / "app.yaml").read_bytes() == before


def test_env_platforms_lists_profiles(tmp_path):
    res = run_kfctl("env", "platforms", "-o", "json", cwd=tmp_path, check=0)
    data = {p["name"]: p for p in json.loads(res.stdout)["data"]}
    assert {"gke", "eks", "aks", "on-prem", "kind", "minikube"} <= set(data)
    assert data["on-prem"]["params"]["serviceType"] == "NodePort"
    assert data["gke"]["params"]["serviceType"] == "LoadBalancer"
    for p in data.values():
        assert p["description"] and {"cloud", "serviceType", "storageClass"} <= set(p["params"])


def _ksonnet_app(tmp_path: Path, fixture: str) -> Path:
    root = tmp_path / "ks"
    (root / "components").mkdir(parents=True)
    shutil.copy(FIX / "appyaml" / fixture, root / "app.yaml")
    return root


@pytest.mark.parametrize("fixture,envs", [
    ("app010.yaml", {"default": ("default-namespace", "https://localhost:6443", "v1.10.3")}),
    ("app020.yaml", {"default": ("some-namespace", "http://example.com", "v1.7.0"),
                     "us-east/test": ("some-namespace", "http://example.com", "v1.7.0")}),
    ("app030.yaml", {"default": ("some-namespace", "http://example.com", "v1.7.0"),
                     "us-west/prod": ("prod-ns", "https://prod.example.com", "v1.8.0")}),
])
def test_ksonnet_app_yaml_versions_load(tmp_path, fixture, envs):
    root = _ksonnet_app(tmp_path, fixture)
    before = (root / "app.yaml").read_bytes()
    data = json.loads(run_kfctl("env", "list", "-o", "json", cwd=root, check=0).stdout)["data"]
    got = {e["name"]: (e["namespace"], e["server"], e["k8sVersion"]) for e in data}
    assert got == envs
    assert (root / "app.yaml").read_bytes() == before  # reading never rewrites


def test_app010_spec_json_environments(tmp_path):
    root = tmp_path / "old"
    (root / "environments" / "dev").mkdir(parents=True)
    (root / "app.yaml").write_text("apiVersion: 0.1.0\nkind: ksonnet.io/app\nname: old\nversion: 0.0.1\n")
    (root / "environments" / "dev" / "spec.json").write_text('{"server": "https://old:443", "namespace": "legacy"}')
    data = json.loads(run_kfctl("env", "list", "-o", "json", cwd=root, check=0).stdout)["data"]
    assert [(e["name"], e["namespace"], e["server"]) for e in data] == [("dev", "legacy", "https://old:443")]
    run_kfctl("env", "set", "dev", "--namespace", "newer", cwd=root, check=0)
    assert json.loads((root / "environments" / "dev" / "spec.json").read_text())["namespace"] == "newer"


def test_edits_keep_foreign_keys_and_comments(tmp_path):
    root = _ksonnet_app(tmp_path, "app010.yaml")
    text = (root / "app.yaml").read_text().replace("bugs: fingers crossed", "# hand-written comment\nbugs: fingers crossed")
    (root / "app.yaml").write_text(text)
    run_kfctl("env", "add", "prd", "--server", "https://p", cwd=root, check=0)
    new = (root / "app.yaml").read_text()
    assert "# hand-written comment\nbugs: fingers crossed" in new
    assert new.startswith(text.split("environments:")[0])  # everything before environments untouched
    assert "commitSHA: 7.6.5" in new and "license: Apache License 2.0" in new
    data = yaml.safe_load(new)
    assert data["environments"]["default"]["targets"] == ["/"]
    assert data["environments"]["prd"]["destination"]["server"] == "https://p"


@pytest.mark.parametrize("content,needle", [
    ("apiVersion: 0.3.0\nkind: ksonnet.io/app\nenvironments: [\n", "malformed YAML"),
    ("apiVersion: 9.9.9\nkind: ksonnet.io/app\n", "unsupported apiVersion '9.9.9'"),
    ("- a\n- b\n", "expected a mapping"),
    ("apiVersion: 0.3.0\nkind: ksonnet.io/app\nenvironments: 3\n", "'environments' must be a mapping"),
])
def test_malformed_app_yaml(tmp_path, content, needle):
    (tmp_path / "app.yaml").write_text(content)
    res = run_kfctl("env", "list", cwd=tmp_path)
    assert res.exit_code == 1
    assert needle in res.stderr and "app.yaml" in res.stderr
    assert "Traceback" not in res.stderr


def test_no_app_found(tmp_path):
    res = run_kfctl("env", "list", cwd=tmp_path)
    assert res.exit_code == 1
    assert "no kfctl app found" in res.stderr and "kfctl init" in res.stderr


def test_app_found_upwards_and_with_app_flag(app_dir, tmp_path):
    sub = app_dir / "components"
    assert "default" in run_kfctl("env", "list", cwd=sub, check=0).stdout
    assert "default" in run_kfctl("--app", str(app_dir), "env", "list", cwd=tmp_path, check=0).stdout


def test_concurrent_env_adds_lose_nothing(app_dir):
    names = [f"e{i}" for i in range(8)]
    env = {**os.environ, "NO_COLOR": "1"}
    procs = [subprocess.Popen([sys.executable, "-m", "kfctl", "env", "add", n, "--server", f"https://{n}.example"],
                              cwd=app_dir, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for n in names]
    codes = [p.wait(timeout=120) for p in procs]
    assert codes == [0] * len(names)
    app = yaml.safe_load((app_dir / "app.yaml").read_text())
    assert set(names) <= set(app["environments"])
    assert not [p for p in app_dir.glob(".app.yaml.*.tmp")]
