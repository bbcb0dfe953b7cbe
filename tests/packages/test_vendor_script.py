"""scripts/vendor_upstream.py on a small fixture repository made here (the real upstream snapshots
are not available in CI): tag → commit check, kustomize / files / helm builds, deterministic bytes,
upstream.json hashes, --check, stale-file removal."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "vendor_upstream.py"

CRD = {
    "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
    "metadata": {"name": "widgets.example.com"},
    "spec": {"group": "example.com", "scope": "Namespaced",
             "names": {"kind": "Widget", "plural": "widgets", "singular": "widget", "listKind": "WidgetList"},
             "versions": [{"name": "v1", "served": True, "storage": True,
                           "schema": {"openAPIV3Schema": {"type": "object"}}}]},
}
DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: widget-controller
spec:
  selector: {matchLabels: {app: widget}}
  template:
    metadata: {labels: {app: widget}}
    spec:
      containers:
      - name: manager
        image: staging.example.com/widget/controller:main
        args: ["--on=yes"]
"""
CHART_TEMPLATE = """apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-config
  namespace: {{ .Release.Namespace }}
data:
  level: {{ .Values.level | quote }}
  created: 2024-01-02
"""


def git(repo: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
           "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z", "PATH": "/usr/bin:/bin"}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env=env).stdout.strip()


@pytest.fixture(scope="module")
def fixture_repo(tmp_path_factory):
    """A git repo with a kustomize overlay, plain YAML and a Helm chart; tags v1.0.0 and v1.1.0."""
    work = tmp_path_factory.mktemp("upstream")
    repo = work / "widget"
    (repo / "config/base").mkdir(parents=True)
    (repo / "config/overlay").mkdir(parents=True)
    (repo / "config/base/crd.yaml").write_text(yaml.safe_dump(CRD))
    (repo / "config/base/deploy.yaml").write_text(DEPLOY)
    (repo / "config/base/kustomization.yaml").write_text("resources: [crd.yaml, deploy.yaml]\n")
    (repo / "config/overlay/ns.yaml").write_text("apiVersion: v1\nkind: Namespace\nmetadata: {name: widget-system}\n")
    (repo / "config/overlay/kustomization.yaml").write_text(
        "namespace: widget-system\nresources: [../base, ns.yaml]\n")
    (repo / "deploy").mkdir()
    (repo / "deploy/all.yaml").write_text(yaml.safe_dump(CRD) + "---\n" + DEPLOY)
    chart = repo / "charts/widget"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: widget\nversion: 1.0.0\n")
    (chart / "values.yaml").write_text("level: info\n")
    (chart / "templates/cm.yaml").write_text(CHART_TEMPLATE)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "v1.0.0")
    git(repo, "tag", "v1.0.0")
    first = git(repo, "rev-parse", "HEAD")
    (repo / "config/base/deploy.yaml").write_text(DEPLOY.replace("--on=yes", "--on=no"))
    git(repo, "commit", "-qam", "v1.1.0")
    git(repo, "tag", "v1.1.0")
    second = git(repo, "rev-parse", "HEAD")
    bare = work / "widget.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo), str(bare)], check=True)
    return {"git_dir": bare, "v1.0.0": first, "v1.1.0": second}


def pins(tag: str, commit: str) -> dict:
    return {"packages": {"widget": {
        "repo": "example/widget", "tag": tag, "commit": commit,
        "variants": {
            "overlay": {"method": "kustomize", "path": "config/overlay",
                        "images": [{"name": "staging.example.com/widget/controller",
                                    "newName": "registry.example.com/widget/controller", "newTag": tag}]},
            "plain": {"method": "files", "path": ["deploy/*.yaml"]},
            "chart": {"method": "helm", "path": "charts/widget", "release": "w", "namespace": "widget-system",
                      "values": {"level": "debug"}},
        }}}}


def run_script(tmp: Path, git_dir: Path, pin_doc: dict, *extra: str) -> subprocess.CompletedProcess:
    pin_file = tmp / "upstream-pins.yaml"
    pin_file.write_text(yaml.safe_dump(pin_doc, sort_keys=False))
    (tmp / "upstream-lib.libsonnet").write_text("{ helper:: true }\n")
    return subprocess.run([sys.executable, str(SCRIPT), "--pins", str(pin_file), "--git-dir",
                           f"example/widget={git_dir}", *extra], capture_output=True, text=True)


def tree(d: Path) -> dict[str, bytes]:
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def vendored(fixture_repo, tmp_path_factory):
    out = tmp_path_factory.mktemp("reg")
    res = run_script(out, fixture_repo["git_dir"], pins("v1.0.0", fixture_repo["v1.0.0"]))
    assert res.returncode == 0, res.stderr
    return out, tree(out / "widget" / "upstream")


def test_writes_objects_crds_index_and_hashes(vendored, fixture_repo):
    out, files = vendored
    assert sorted(files) == ["chart.json", "crds/widgets.example.com.json", "lib.libsonnet", "overlay.json",
                             "plain.json", "upstream.json", "upstream.libsonnet"]
    overlay = json.loads(files["overlay.json"])
    assert [(o["kind"], o["metadata"].get("namespace")) for o in overlay] == [
        ("Namespace", None), ("Deployment", "widget-system")]
    container = overlay[1]["spec"]["template"]["spec"]["containers"][0]
    assert container == {"name": "manager", "image": "registry.example.com/widget/controller:v1.0.0",
                         "args": ["--on=yes"]}
    assert json.loads(files["crds/widgets.example.com.json"]) == CRD
    assert json.loads(files["plain.json"])[0]["spec"]["template"]["spec"]["containers"][0]["image"] == \
        "staging.example.com/widget/controller:main"
    # helm: values applied, a YAML timestamp stays the string it is
    assert json.loads(files["chart.json"]) == [{
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "w-config", "namespace": "widget-system"},
        "data": {"level": "debug", "created": "2024-01-02"}}]
    meta = json.loads(files["upstream.json"])
    assert (meta["repo"], meta["tag"], meta["commit"]) == ("example/widget", "v1.0.0", fixture_repo["v1.0.0"])
    assert meta["crds"] == [{"name": "widgets.example.com", "group": "example.com", "kind": "Widget",
                             "scope": "Namespaced", "served": ["v1"], "storage": "v1"}]
    assert [(v["name"], v["method"], v["objects"]) for v in meta["variants"]] == [
        ("overlay", "kustomize", 2), ("plain", "files", 1), ("chart", "helm", 1)]
    assert meta["variants"][0]["command"] == (
        "git archive v1.0.0 -- config | tar -x; kubectl kustomize config/overlay (images "
        '[{"name": "staging.example.com/widget/controller", "newName": "registry.example.com/widget/controller", '
        '"newTag": "v1.0.0"}])')
    assert meta["files"] == {k: hashlib.sha256(v).hexdigest() for k, v in files.items() if k != "upstream.json"}
    assert files["lib.libsonnet"] == b"{ helper:: true }\n"
    index = files["upstream.libsonnet"].decode()
    assert '"widgets.example.com": import "crds/widgets.example.com.json",' in index
    assert '"overlay": import "overlay.json",' in index


def test_index_evaluates_lazily(vendored):
    """The index's fields are lazy: a render that uses one variant does not read the others."""
    from kfctl.jsonnet import evaluate

    out, _ = vendored
    d = out / "widget" / "upstream"
    (d / "chart.json").write_text("this is not JSON")  # never read below
    try:
        value = evaluate('(import "upstream.libsonnet").variants.overlay[1].metadata.name',
                         filename=str(d / "x.jsonnet"), jpath=[d], engine="gojsonnet")
    finally:
        (d / "chart.json").write_bytes(vendored[1]["chart.json"])
    assert value == "widget-controller"


def test_second_run_is_byte_identical_and_check_passes(vendored, fixture_repo):
    out, files = vendored
    res = run_script(out, fixture_repo["git_dir"], pins("v1.0.0", fixture_repo["v1.0.0"]))
    assert res.returncode == 0, res.stderr
    assert "(7 files, 0 changed)" in res.stderr
    assert tree(out / "widget" / "upstream") == files
    res = run_script(out, fixture_repo["git_dir"], pins("v1.0.0", fixture_repo["v1.0.0"]), "--check")
    assert (res.returncode, res.stderr) == (0, "")


def test_check_reports_a_tampered_file(vendored, fixture_repo):
    out, files = vendored
    target = out / "widget" / "upstream" / "overlay.json"
    target.write_bytes(files["overlay.json"].replace(b"--on=yes", b"--on=maybe"))
    try:
        res = run_script(out, fixture_repo["git_dir"], pins("v1.0.0", fixture_repo["v1.0.0"]), "--check")
        assert res.returncode == 1
        assert res.stderr == f"widget: {out / 'widget' / 'upstream'} is out of date\n"
    finally:
        target.write_bytes(files["overlay.json"])


def test_new_tag_is_one_run_and_a_small_diff(fixture_repo, tmp_path):
    res = run_script(tmp_path, fixture_repo["git_dir"], pins("v1.0.0", fixture_repo["v1.0.0"]))
    assert res.returncode == 0, res.stderr
    before = tree(tmp_path / "widget" / "upstream")
    (tmp_path / "widget" / "upstream" / "stale.json").write_text("[]")
    res = run_script(tmp_path, fixture_repo["git_dir"], pins("v1.1.0", fixture_repo["v1.1.0"]))
    assert res.returncode == 0, res.stderr
    after = tree(tmp_path / "widget" / "upstream")
    assert "stale.json" not in after
    changed = sorted(k for k in after if after[k] != before.get(k))
    assert changed == ["overlay.json", "upstream.json", "upstream.libsonnet"]  # plain YAML is unchanged
    assert json.loads(after["overlay.json"])[1]["spec"]["template"]["spec"]["containers"][0]["args"] == ["--on=no"]


def test_tag_must_resolve_to_the_pinned_commit(fixture_repo, tmp_path):
    res = run_script(tmp_path, fixture_repo["git_dir"], pins("v1.0.0", fixture_repo["v1.1.0"]))
    assert res.returncode == 2
    assert res.stderr == (f"error: example/widget: tag v1.0.0 resolves to {fixture_repo['v1.0.0']}, "
                          f"not the pinned commit {fixture_repo['v1.1.0']}\n")
    assert not (tmp_path / "widget").exists()
    res = run_script(tmp_path, fixture_repo["git_dir"], pins("v9.9.9", fixture_repo["v1.0.0"]))
    assert (res.returncode, res.stderr) == (2, f"error: example/widget: tag v9.9.9 not found in {fixture_repo['git_dir']}\n")


def test_drop_and_remote_resources(fixture_repo, tmp_path):
    """An overlay with a remote resource builds offline from that resource's own pin; a resource
    upstream documents as optional can be dropped."""
    repo = tmp_path / "src"
    subprocess.run(["git", "clone", "-q", str(fixture_repo["git_dir"]), str(repo)], check=True)
    (repo / "config/bundle").mkdir()
    url = "https://example.com/widget/releases/download/v1.0.0/manifests.yaml"
    (repo / "config/bundle/kustomization.yaml").write_text(f"resources:\n- ../overlay\n- {url}\n")
    (repo / "other").mkdir()
    (repo / "other/cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra}\n")
    (repo / "other/kustomization.yaml").write_text("resources: [cm.yaml]\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "bundle")
    git(repo, "tag", "v2.0.0")
    commit = git(repo, "rev-parse", "HEAD")
    bare = tmp_path / "w2.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo), str(bare)], check=True)
    doc = {"packages": {"widget": {"repo": "example/widget", "tag": "v2.0.0", "commit": commit, "variants": {
        "bundled": {"method": "kustomize", "path": "config/bundle",
                    "remote": {url: {"repo": "example/widget", "tag": "v2.0.0", "commit": commit,
                                     "path": "other"}}},
        "alone": {"method": "kustomize", "path": "config/bundle", "dropResources": [url]},
    }}}}
    res = run_script(tmp_path, bare, doc)
    assert res.returncode == 0, res.stderr
    d = tmp_path / "widget" / "upstream"
    bundled = json.loads((d / "bundled.json").read_text())
    alone = json.loads((d / "alone.json").read_text())
    assert [o["kind"] for o in alone] == ["Namespace", "Deployment"]
    assert [(o["kind"], o["metadata"].get("namespace")) for o in bundled] == [
        ("Namespace", None), ("ConfigMap", None), ("Deployment", "widget-system")]
    meta = json.loads((d / "upstream.json").read_text())
    assert meta["variants"][0]["command"] == (
        f"git archive v2.0.0 -- config | tar -x; {url} := kubectl kustomize example/widget@v2.0.0:other; "
        "kubectl kustomize config/bundle")
    assert meta["variants"][1]["command"] == (
        f"git archive v2.0.0 -- config | tar -x; drop resources {url} from config/bundle; kubectl kustomize config/bundle")
    doc["packages"]["widget"]["variants"]["alone"]["dropResources"] = ["missing.yaml"]
    res = run_script(tmp_path, bare, doc)
    assert res.returncode == 2
    assert res.stderr == ("error: kustomization.yaml in bundle: resource 'missing.yaml' to drop is not listed "
                          "(upstream changed?)\n")


def test_script_module_imports_without_side_effects():
    spec = importlib.util.spec_from_file_location("vendor_upstream", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.dump_json({"b": 1, "a": [1]}) == b'{\n "a": [\n  1\n ],\n "b": 1\n}\n'


def test_release_replace_and_schemas(fixture_repo, tmp_path):
    """A release step's `sed 's/OLD/NEW/'` (first match per line) or `s/OLD/NEW/g` on the built YAML,
    recorded in the command; upstream schema files kept as data under schemas/ and hashed."""
    repo = tmp_path / "src"
    subprocess.run(["git", "clone", "-q", str(fixture_repo["git_dir"]), str(repo)], check=True)
    (repo / "deploy/latest.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: images}\n"
        "data:\n  pair: 'a:latest b:latest'\n  single: c:latest\n")
    (repo / "api").mkdir()
    (repo / "api/swagger.json").write_text('{"definitions": {"v1.Widget": {"type": "object"}}}')
    (repo / "api/extra.yaml").write_text("openapi: 3.0.0\ncomponents: {}\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "latest tags")
    git(repo, "tag", "v3.0.0")
    commit = git(repo, "rev-parse", "HEAD")
    bare = tmp_path / "w3.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo), str(bare)], check=True)
    doc = {"packages": {"widget": {"repo": "example/widget", "tag": "v3.0.0", "commit": commit,
                                   "schemas": ["api/swagger.json", "api/extra.yaml"], "variants": {
        "first": {"method": "files", "path": ["deploy/latest.yaml"],
                  "replace": [{"old": ":latest", "new": ":v3.0.0"}]},
        "every": {"method": "files", "path": ["deploy/latest.yaml"],
                  "replace": [{"old": ":latest", "new": ":v3.0.0", "all": True}]},
    }}}}
    res = run_script(tmp_path, bare, doc)
    assert res.returncode == 0, res.stderr
    d = tmp_path / "widget" / "upstream"
    assert json.loads((d / "first.json").read_text())[0]["data"] == {"pair": "a:v3.0.0 b:latest", "single": "c:v3.0.0"}
    assert json.loads((d / "every.json").read_text())[0]["data"] == {"pair": "a:v3.0.0 b:v3.0.0", "single": "c:v3.0.0"}
    meta = json.loads((d / "upstream.json").read_text())
    assert [v["command"] for v in meta["variants"]] == [
        "git archive v3.0.0 -- deploy | tar -x; cat deploy/latest.yaml | sed 's/:latest/:v3.0.0/'",
        "git archive v3.0.0 -- deploy | tar -x; cat deploy/latest.yaml | sed 's/:latest/:v3.0.0/g'"]
    assert meta["schemas"] == [{"path": "api/swagger.json", "file": "schemas/swagger.json"},
                               {"path": "api/extra.yaml", "file": "schemas/extra.json"}]
    assert json.loads((d / "schemas/swagger.json").read_text()) == {"definitions": {"v1.Widget": {"type": "object"}}}
    assert json.loads((d / "schemas/extra.json").read_text()) == {"openapi": "3.0.0", "components": {}}
    for rel in ("schemas/swagger.json", "schemas/extra.json"):
        assert meta["files"][rel] == hashlib.sha256((d / rel).read_bytes()).hexdigest()
    # a pattern the build does not contain is an error (upstream changed how it tags the release)
    doc["packages"]["widget"]["variants"]["first"]["replace"] = [{"old": ":main", "new": ":v3.0.0"}]
    res = run_script(tmp_path, bare, doc)
    assert (res.returncode, res.stderr) == (2, "error: replace[0]: ':main' does not occur in the build (upstream changed?)\n")
    doc["packages"]["widget"]["variants"]["first"]["replace"] = [{"old": ":latest", "new": ":v3.0.0"}]
    doc["packages"]["widget"]["schemas"] = ["api/missing.json"]
    res = run_script(tmp_path, bare, doc)
    assert (res.returncode, res.stderr) == (2, "error: widget: schema file api/missing.json is not in example/widget at v3.0.0\n")
