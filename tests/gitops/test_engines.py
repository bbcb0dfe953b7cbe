"""kfctl export --argocd / --applicationset / --flux: the engines' objects validate against the pinned
Argo CD v3.5.1 and Flux CRD schemas (registry/schemas/), carry kfctl's tiers as sync waves or as
dependsOn-chained Kustomizations, and `kubectl kustomize` builds every directory written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import run_kfctl
from tests.packages.validation import strict_schema

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "registry" / "schemas" / "upstream"
KUBECTL = str(Path(sys.executable).parent / "kubectl")
CRDS = {
    ("argoproj.io/v1alpha1", "Application"): "argo-cd/crds/applications.argoproj.io.json",
    ("argoproj.io/v1alpha1", "ApplicationSet"): "argo-cd/crds/applicationsets.argoproj.io.json",
    ("kustomize.toolkit.fluxcd.io/v1", "Kustomization"): "flux-kustomize-controller/crds/kustomizations.kustomize.toolkit.fluxcd.io.json",
    ("source.toolkit.fluxcd.io/v1", "GitRepository"): "flux-source-controller/crds/gitrepositories.source.toolkit.fluxcd.io.json",
}


def validate_engine_object(obj: dict) -> None:
    """Strict validation against the vendored CRD's schema for the object's version."""
    import jsonschema

    if (obj["apiVersion"], obj["kind"]) == ("v1", "Namespace"):
        from tests.packages.validation import validate_builtin

        validate_builtin(obj)
        return
    crd = json.loads((SCHEMAS / CRDS[(obj["apiVersion"], obj["kind"])]).read_text())
    version = obj["apiVersion"].split("/")[1]
    (v,) = [v for v in crd["spec"]["versions"] if v["name"] == version and v["served"]]
    schema = strict_schema(v["schema"]["openAPIV3Schema"])
    schema["properties"]["metadata"] = {"type": "object"}
    jsonschema.Draft7Validator(schema).validate(obj)
    assert obj["metadata"]["name"] and len(obj["metadata"]["name"]) <= 63


def kustomize(d: Path) -> list[dict]:
    proc = subprocess.run([KUBECTL, "kustomize", str(d)], capture_output=True, text=True)
    assert proc.returncode == 0, f"kubectl kustomize {d}: {proc.stderr}"
    return [o for o in yaml.safe_load_all(proc.stdout) if o]


@pytest.fixture
def repo(tmp_path):
    """An app that is its own GitOps repository: two envs, a component with a CRD, a webhook and a Deployment."""
    env = {"KUBECONFIG": str(tmp_path / "none"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    run_kfctl("init", "demo", "--dir", str(tmp_path / "demo"), "--server", "https://dev.example:6443", "-n", "ml",
              env=env, check=0)
    app = tmp_path / "demo"
    for args in (["generate", "deployed-service", "web", "--image", "nginx:1.27"],
                 ["generate", "training-operator", "to"],
                 ["env", "add", "prd", "--server", "https://prd.example:6443", "-n", "kf"]):
        run_kfctl(*args, cwd=app, env=env, check=0)
    subprocess.run(["git", "init", "-q", "-b", "main", str(app)], check=True)
    subprocess.run(["git", "-C", str(app), "remote", "add", "origin", "https://git.example.com/ml/demo.git"], check=True)
    return app, env


def test_all_envs_with_argocd_and_flux(repo):
    app, env = repo
    res = run_kfctl("export", "--all-envs", "deploy", "--argocd", "--flux", cwd=app, env=env, check=0)
    assert res.stderr.splitlines() == [
        "env default: 20 written, 0 unchanged, 0 removed in deploy/default",
        "env prd: 20 written, 0 unchanged, 0 removed in deploy/prd",
        "Argo CD Applications: 3 written, 0 unchanged, 0 removed in deploy/_argocd",
        "Flux Kustomizations: 10 written, 0 unchanged, 0 removed in deploy/_flux"]
    deploy = app / "deploy"

    # every object file carries its tier as a sync wave and sits in that tier's directory
    waves = {}
    for e in ("default", "prd"):
        objs = kustomize(deploy / e)
        assert len(objs) == 16
        for o in objs:
            waves[(e, o["kind"])] = o["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"]
        tiers = {t: kustomize(deploy / e / t) for t in ("0-crds", "1-backends", "2-rest")}
        assert sorted(o["kind"] for o in tiers["0-crds"]) == ["CustomResourceDefinition"] * 6 + ["Namespace"]
        assert sorted({o["kind"] for o in tiers["1-backends"]}) == [
            "ClusterRole", "ClusterRoleBinding", "Deployment", "Secret", "Service", "ServiceAccount"]
        assert [o["kind"] for o in tiers["2-rest"]] == ["ValidatingWebhookConfiguration"]
        assert {o["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"] for o in tiers["1-backends"]} == {"1"}
    assert waves[("prd", "CustomResourceDefinition")] == "0" and waves[("prd", "ValidatingWebhookConfiguration")] == "2"

    apps = kustomize(deploy / "_argocd")
    for o in apps:
        validate_engine_object(o)
    assert [a["metadata"]["name"] for a in apps] == ["demo-default", "demo-prd"]
    assert apps[1]["spec"] == {
        "project": "default",
        "source": {"repoURL": "https://git.example.com/ml/demo.git", "targetRevision": "main", "path": "deploy/prd"},
        "destination": {"server": "https://prd.example:6443", "namespace": "kf"},
        "syncPolicy": {"automated": {"prune": True, "selfHeal": True},
                       "syncOptions": ["ServerSideApply=true", "CreateNamespace=true", "SkipDryRunOnMissingResource=true"]}}

    flux = kustomize(deploy / "_flux")
    for o in flux:
        validate_engine_object(o)
    assert sorted((o["kind"], o["metadata"]["name"]) for o in flux) == [
        ("GitRepository", "demo"),
        ("Kustomization", "demo-default-backends"), ("Kustomization", "demo-default-crds"),
        ("Kustomization", "demo-default-rest"), ("Kustomization", "demo-prd-backends"),
        ("Kustomization", "demo-prd-crds"), ("Kustomization", "demo-prd-rest"), ("Namespace", "kf"), ("Namespace", "ml")]
    by = {o["metadata"]["name"]: o for o in flux}
    assert by["demo"]["spec"] == {"interval": "5m", "url": "https://git.example.com/ml/demo.git", "ref": {"branch": "main"}}
    assert by["demo-prd-crds"]["spec"] == {"interval": "10m", "path": "./deploy/prd/0-crds", "prune": True, "wait": True,
                                           "timeout": "5m", "sourceRef": {"kind": "GitRepository", "name": "demo"}}
    assert by["demo-prd-backends"]["spec"]["dependsOn"] == [{"name": "demo-prd-crds"}]
    assert by["demo-prd-rest"]["spec"]["dependsOn"] == [{"name": "demo-prd-backends"}]
    assert by["demo-prd-rest"]["spec"]["path"] == "./deploy/prd/2-rest"

    # the same export again rewrites nothing
    res = run_kfctl("export", "--all-envs", "deploy", "--argocd", "--flux", cwd=app, env=env, check=0)
    assert [line.split(":", 1)[1].split(",")[0] for line in res.stderr.splitlines()] == [" 0 written"] * 4


def test_applicationset_from_env_settings(repo):
    app, env = repo
    run_kfctl("env", "set", "prd", "--gitops-repo", "https://git.example.com/ml/prd.git", "--gitops-revision", "release",
              cwd=app, env=env, check=0)
    run_kfctl("export", "--all-envs", "deploy", "--applicationset", "--repo-path", "clusters/ml", "--no-auto-sync",
              cwd=app, env=env, check=0)
    (appset,) = kustomize(app / "deploy" / "_argocd")
    validate_engine_object(appset)
    assert appset["metadata"] == {"name": "demo", "namespace": "argocd",
                                  "labels": {"app.kubernetes.io/managed-by": "kfctl", "kfctl.dev/app": "demo"}}
    assert appset["spec"]["generators"] == [{"list": {"elements": [
        {"env": "default", "name": "demo-default", "envLabel": "default", "path": "clusters/ml/default", "namespace": "ml",
         "repoURL": "https://git.example.com/ml/demo.git", "revision": "main", "server": "https://dev.example:6443"},
        {"env": "prd", "name": "demo-prd", "envLabel": "prd", "path": "clusters/ml/prd", "namespace": "kf",
         "repoURL": "https://git.example.com/ml/prd.git", "revision": "release", "server": "https://prd.example:6443"}]}}]
    assert appset["spec"]["template"]["spec"] == {
        "project": "default",
        "source": {"repoURL": "{{.repoURL}}", "targetRevision": "{{.revision}}", "path": "{{.path}}"},
        "destination": {"server": "{{.server}}", "namespace": "{{.namespace}}"},
        "syncPolicy": {"syncOptions": ["ServerSideApply=true", "CreateNamespace=true", "SkipDryRunOnMissingResource=true"]}}


def test_one_env_keeps_the_application_beside_its_export(repo):
    app, env = repo
    run_kfctl("env", "add", "gp", "--gitops-dir", "gitops/gp", "-n", "kf", cwd=app, env=env, check=0)
    run_kfctl("export", "gp", "--argocd", cwd=app, env=env, check=0)
    d = app / "gitops" / "gp"
    assert sorted(p.name for p in (d / "_argocd").iterdir()) == [".kfctl-export.json", "Application-demo-gp.yaml",
                                                                 "kustomization.yaml"]
    (application,) = kustomize(d / "_argocd")
    validate_engine_object(application)
    assert application["spec"]["destination"] == {"server": "https://kubernetes.default.svc", "namespace": "kf"}
    assert application["spec"]["source"]["path"] == "gitops/gp"
    run_kfctl("export", "gp", "--argocd", "--dest-name", "prd-cluster", cwd=app, env=env, check=0)
    assert kustomize(d / "_argocd")[0]["spec"]["destination"] == {"name": "prd-cluster", "namespace": "kf"}
    # the env's own kustomization does not include the Application (no app-of-itself)
    assert {o["kind"] for o in kustomize(d)} == {"CustomResourceDefinition", "Namespace", "ClusterRole", "ClusterRoleBinding",
                                               "Deployment", "Secret", "Service", "ServiceAccount",
                                               "ValidatingWebhookConfiguration"}
    # a later plain export (what apply of a GitOps env does) keeps the waves: the index remembers
    res = run_kfctl("apply", "gp", cwd=app, env=env, check=0)
    assert res.stderr.splitlines() == [f"env gp: 0 written, 17 unchanged, 0 removed in {d}"]
    res = run_kfctl("diff", "gp", cwd=app, env=env)
    assert res.exit_code == 0, res.stdout + res.stderr
    run_kfctl("param", "set", "web", "replicas", "2", "--env", "gp", cwd=app, env=env, check=0)
    res = run_kfctl("diff", "gp", cwd=app, env=env)
    assert res.exit_code == 1
    assert [line for line in res.stdout.splitlines() if line.startswith(("+ ", "- ", "-  ", "+  "))] == [
        "-  replicas: 1", "+  replicas: 2"]


@pytest.mark.parametrize("args,message", [
    (["export", "default", "out", "--applicationset"],
     "error: --applicationset makes one ApplicationSet for every env: use it with --all-envs; for one env, use --argocd "
     "(an Application)"),
    (["export", "default", "out", "--argocd", "--dest-server", "https://x", "--dest-name", "x"],
     "error: --dest-server and --dest-name are exclusive (an Argo CD destination is one of them)"),
    (["export", "default", "out", "--flux", "--format", "{namespace}/{kind}-{name}.yaml"],
     "error: --format '{namespace}/{kind}-{name}.yaml': one directory per tier needs a template starting with '{tier}/'; "
     "use e.g. {tier}/{namespace}/{kind}-{name}.yaml"),
])
def test_bad_engine_options(repo, args, message):
    app, env = repo
    res = run_kfctl(*args, cwd=app, env=env)
    assert (res.exit_code, res.stderr.strip().splitlines()) == (2, [message])
    assert not (app / "out").exists()


def test_outside_git_the_url_and_path_must_be_given(tmp_path, app_dir):
    env = {"KUBECONFIG": str(tmp_path / "none")}
    res = run_kfctl("export", "default", str(tmp_path / "out"), "--argocd", cwd=app_dir, env=env)
    assert (res.exit_code, res.stderr.strip().splitlines()[-1]) == (2, (
        "error: env default: no Git repository URL for the GitOps engine to read the export from; pass --repo-url URL or "
        "run 'kfctl env set default --gitops-repo URL' (default: the origin of the repository the export is in)"))
    res = run_kfctl("export", "default", str(tmp_path / "out"), "--argocd", "--repo-url", "https://g.example/x.git",
                    cwd=app_dir, env=env)
    assert (res.exit_code, res.stderr.strip().splitlines()[-1]) == (2, (
        f"error: {tmp_path / 'out'} is not in a Git repository, so its path there is unknown; pass --repo-path PATH "
        "(the export directory inside the repository)"))
    run_kfctl("export", "default", str(tmp_path / "out2"), "--argocd", "--repo-url", "https://g.example/x.git",
              "--repo-path", "envs/default", "--revision", "v1.2.0", cwd=app_dir, env=env, check=0)
    (application,) = kustomize(tmp_path / "out2" / "_argocd")
    assert application["spec"]["source"] == {"repoURL": "https://g.example/x.git", "targetRevision": "v1.2.0",
                                             "path": "envs/default"}
    validate_engine_object(application)
