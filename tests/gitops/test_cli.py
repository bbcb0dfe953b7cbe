"""kfctl export / validate end to end: real app, real render, real CLI process."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import yaml

from tests.conftest import run_kfctl

NOKUBE = {"KUBECONFIG": "/nonexistent/kubeconfig"}


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))


def add_web(app_dir: Path) -> None:
    run_kfctl("generate", "deployed-service", "web", "--image", "nginx:1.27", cwd=app_dir, check=0)


def files_under(d: Path) -> dict[str, bytes]:
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


CRD_AND_CR = """\
{
  crd: {
    apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition",
    metadata: { name: "widgets.example.com" },
    spec: {
      group: "example.com", scope: "Namespaced",
      names: { kind: "Widget", plural: "widgets", singular: "widget", listKind: "WidgetList" },
      versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: {
        type: "object",
        properties: { spec: { type: "object", required: ["size"], properties: { size: { type: "integer" } } } },
      } } }],
    },
  },
  widget: { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" }, spec: { size: %s } },
  role: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "widget-reader" },
          rules: [{ apiGroups: ["example.com"], resources: ["widgets"], verbs: ["get"] }] },
}
"""


def test_export_idempotent_with_json_summary(app_dir, tmp_path):
    add_web(app_dir)
    write(app_dir / "components/widgets.jsonnet", CRD_AND_CR % "1")
    out = tmp_path / "out"
    res = run_kfctl("export", "default", str(out), "-o", "json", cwd=app_dir, check=0)
    summary = json.loads(res.stdout)
    expected = ["_cluster/ClusterRole-widget-reader.yaml", "_cluster/CustomResourceDefinition-widgets.example.com.yaml",
                "demo-ns/Deployment-web.yaml", "demo-ns/Service-web.yaml", "demo-ns/Widget-w.yaml"]
    assert summary["written"] == 5 and summary["unchanged"] == 0 and summary["removed"] == 0
    assert summary["envs"][0]["env"] == "default" and sorted(summary["envs"][0]["written"]) == expected
    assert "5 written, 0 unchanged, 0 removed" in res.stderr
    files = files_under(out)
    assert sorted(files) == [".kfctl-export.json", *expected]
    show = list(yaml.safe_load_all(run_kfctl("show", "default", cwd=app_dir, check=0).stdout))
    exported = [yaml.safe_load(files[f]) for f in expected]
    assert sorted(map(json.dumps, exported)) == sorted(map(json.dumps, show))
    index = json.loads(files[".kfctl-export.json"])
    assert index["files"]["demo-ns/Widget-w.yaml"]["component"] == "widgets"

    for p in out.rglob("*"):
        if p.is_file():
            os.utime(p, ns=(10**9, 10**9))
    res = run_kfctl("export", "default", str(out), "-o", "json", cwd=app_dir, check=0)
    assert json.loads(res.stdout)["written"] == 0 and json.loads(res.stdout)["unchanged"] == 5
    assert files_under(out) == files
    assert all(p.stat().st_mtime_ns == 10**9 for p in out.rglob("*") if p.is_file())

    # remove a component: its files go, nothing else changes
    run_kfctl("component", "rm", "web", cwd=app_dir, check=0)
    res = run_kfctl("export", "default", str(out), "-o", "json", cwd=app_dir, check=0)
    assert sorted(json.loads(res.stdout)["envs"][0]["removed"]) == ["demo-ns/Deployment-web.yaml",
                                                                    "demo-ns/Service-web.yaml"]
    assert not (out / "demo-ns/Service-web.yaml").exists() and (out / "demo-ns/Widget-w.yaml").exists()


def test_export_refuses_foreign_files(app_dir, tmp_path):
    add_web(app_dir)
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    res = run_kfctl("export", "default", str(out), cwd=app_dir, check=1)
    assert res.stderr.count("\n") == 1 and "notes.txt" in res.stderr and "replace-env" in res.stderr
    assert sorted(files_under(out)) == ["notes.txt"]
    run_kfctl("export", "default", str(out), "--merge-strategy", "replace-env", "--kustomization", cwd=app_dir, check=0)
    assert (out / "notes.txt").read_text() == "mine"
    k = yaml.safe_load((out / "kustomization.yaml").read_text())
    assert k["kind"] == "Kustomization" and k["resources"] == ["demo-ns/Deployment-web.yaml", "demo-ns/Service-web.yaml"]
    res = run_kfctl("export", "default", str(out), "--format", "../{name}", cwd=app_dir, check=2)
    assert "must not leave the export directory" in res.stderr


def test_export_all_envs_and_gitops_dir(app_dir, tmp_path):
    add_web(app_dir)
    run_kfctl("env", "add", "prd", "--server", "https://prd.example:6443", "--namespace", "prd-ns",
              cwd=app_dir, env=NOKUBE, check=0)
    run_kfctl("param", "set", "web", "replicas", "3", "--env", "prd", cwd=app_dir, check=0)
    out = tmp_path / "all"
    res = run_kfctl("export", "--all-envs", str(out), "-o", "json", cwd=app_dir, check=0)
    doc = json.loads(res.stdout)
    assert [e["env"] for e in doc["envs"]] == ["default", "prd"] and doc["written"] == 4
    files = files_under(out)
    assert sorted(files) == ["default/.kfctl-export.json", "default/demo-ns/Deployment-web.yaml",
                             "default/demo-ns/Service-web.yaml", "prd/.kfctl-export.json",
                             "prd/prd-ns/Deployment-web.yaml", "prd/prd-ns/Service-web.yaml"]
    assert yaml.safe_load(files["prd/prd-ns/Deployment-web.yaml"])["spec"]["replicas"] == 3
    assert json.loads(run_kfctl("export", "--all-envs", str(out), "-o", "json", cwd=app_dir, check=0).stdout)["written"] == 0

    # an env deploying to a directory: export without DIR uses it (relative to the app root)
    run_kfctl("env", "add", "git", "--gitops-dir", "deploy/git", "--namespace", "git-ns", cwd=app_dir, env=NOKUBE, check=0)
    run_kfctl("export", "git", cwd=tmp_path, env={"KFCTL_APP": str(app_dir)}, check=0)
    assert sorted(files_under(app_dir / "deploy/git")) == [".kfctl-export.json", "git-ns/Deployment-web.yaml",
                                                           "git-ns/Service-web.yaml"]
    res = run_kfctl("export", "default", cwd=app_dir, check=2)
    assert "no --gitops-dir" in res.stderr


def test_validate_valid_and_json(app_dir):
    add_web(app_dir)
    write(app_dir / "components/widgets.jsonnet", CRD_AND_CR % "1")
    res = run_kfctl("validate", cwd=app_dir, check=0)
    assert res.stdout == "" and "5 object(s) of env default valid against Kubernetes 1.30" in res.stderr
    doc = json.loads(run_kfctl("validate", "default", "-o", "json", cwd=app_dir, check=0).stdout)
    assert doc["valid"] is True and doc["objects"] == 5 and doc["problems"] == [] and doc["kubernetesVersion"] == "1.30"


def test_validate_errors_and_exit_codes(app_dir):
    add_web(app_dir)
    run_kfctl("param", "set", "web", "replicas", "3", "--as-string", cwd=app_dir, check=0)
    write(app_dir / "components/widgets.jsonnet", CRD_AND_CR % '"big"')
    write(app_dir / "components/odd.jsonnet", '{ apiVersion: "foo.io/v1", kind: "Thing", metadata: { name: "t" } }\n')
    res = run_kfctl("validate", "default", cwd=app_dir, check=1)
    assert res.stdout.splitlines() == ['web/Deployment/web: spec.replicas: expected integer, got string "3"',
                                       'widgets/Widget/w: spec.size: expected integer, got string "big"']
    assert "warning: odd/Thing/t: kind: no schema for foo.io/v1 Thing" in res.stderr
    assert "2 problem(s)" in res.stderr
    doc = json.loads(run_kfctl("validate", "default", "--strict", "-o", "json", cwd=app_dir, check=1).stdout)
    assert doc["valid"] is False and doc["errors"] == 3
    assert {p["object"] for p in doc["problems"]} == {"web/Deployment/web", "widgets/Widget/w", "odd/Thing/t"}
    res = run_kfctl("validate", "default", "--k8s-version", "1.8", "-c", "odd", cwd=app_dir, check=0)
    assert "older than the oldest" in res.stderr
    res = run_kfctl("validate", "default", "--server", cwd=app_dir, check=2)
    assert "needs cluster access" in res.stderr and "Traceback" not in res.stderr
    res = run_kfctl("validate", "default", "--k8s-version", "banana", cwd=app_dir, check=2)
    assert "invalid Kubernetes version" in res.stderr


def test_gitops_env_apply_and_diff_in_process(app_dir, capsys):
    """The use cases (kfctl.ops.deploy) and the CLI's printer of their reports, in-process."""
    from kfctl.app.app import App
    from kfctl.cli.reports import print_deploy_diff
    from kfctl.ops import deploy

    def diff_env(app, env, *, summary=False, as_json=False):
        return print_deploy_diff(deploy.diff(app, env), summary=summary, as_json=as_json)

    add_web(app_dir)
    run_kfctl("env", "add", "git", "--gitops-dir", "deploy", "--namespace", "git-ns", cwd=app_dir, env=NOKUBE, check=0)
    app = App.load(app_dir)
    env = app.env("git")
    assert deploy.is_gitops_env(env) and not deploy.is_gitops_env(app.env("default"))
    assert diff_env(app, env) is True
    out = capsys.readouterr()
    assert "+++ b/git-ns/Deployment-web.yaml" in out.out and "0 to update" in out.err and "2 to create" in out.err
    (app_dir / "deploy").mkdir()
    (app_dir / "deploy/README.md").write_text("hand-written, kept\n")
    res = deploy.apply(app, env).export
    assert sorted(res.written) == ["git-ns/Deployment-web.yaml", "git-ns/Service-web.yaml"]
    assert diff_env(app, env, as_json=True) is False
    doc = json.loads(capsys.readouterr().out)
    assert doc["summary"] == {"create": 0, "update": 0, "delete": 0, "unchanged": 2} and doc["objects"] == []
    run_kfctl("param", "set", "web", "replicas", "4", "--env", "git", cwd=app_dir, check=0)
    assert diff_env(app, env, summary=True) is True
    assert capsys.readouterr().out.strip() == \
        f"git → {app_dir / 'deploy'}: 0 to create, 1 to update, 0 to delete, 1 unchanged"
    assert (app_dir / "deploy/README.md").read_text() == "hand-written, kept\n"
