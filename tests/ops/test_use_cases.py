"""The local use cases of kfctl.ops, in-process: env diff, param resolution, generate (with the
auto-install of the package that provides a prototype), validate, export, and the prepare step
that keeps rendering pure."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kfctl.app.environments import Destination, add_env
from kfctl.app.params import set_param


def _add_prd(app):
    add_env(app, "prd", Destination("https://prd.example:6443", "prd-ns", None))
    app.reload()
    return app.env("prd")


def test_envdiff_compares_two_renders(kube_app):
    from kfctl.ops.envdiff import diff_envs

    prd = _add_prd(kube_app)
    set_param(kube_app, "web", ["replicas"], 4, env="prd")
    result = diff_envs(kube_app, kube_app.env("default"), prd)
    assert (result.left, result.right) == ("default", "prd")
    assert result.counts() == {"added": 0, "removed": 0, "changed": 2, "unchanged": 0}
    assert [(e.status, e.ref) for e in result.entries] == [("changed", "web/Service/ml/web"),
                                                          ("changed", "web/Deployment/ml/web")]
    changed = [ln for ln in result.entries[1].text.splitlines() if ln[:1] in "+-" and ln[:3] not in ("---", "+++")]
    assert changed == ["-  namespace: ml", "+  namespace: prd-ns", "-  replicas: 1", "+  replicas: 4"]


def test_param_list_and_diff_resolve_values_and_sources(kube_app):
    from kfctl.ops.params import MISSING, diff_params, list_params

    prd = _add_prd(kube_app)
    set_param(kube_app, "web", ["replicas"], 4, env="prd")
    set_param(kube_app, "web", ["tier"], "gold", env="prd")
    rows = {r.param: (r.value, r.source) for r in list_params(kube_app, prd, "web")}
    assert rows == {"containerPort": (80, "prototype default"), "image": ("nginx:1.27", "component"),
                    "name": ("web", "component"), "replicas": (4, "env (prd)"),
                    "servicePort": (80, "prototype default"), "tier": ("gold", "env (prd)"),
                    "type": ("ClusterIP", "prototype default")}
    diffs = [(d.component, d.param, d.left, d.right) for d in diff_params(kube_app, kube_app.env("default"), prd)]
    assert diffs == [("web", "replicas", 1, 4), ("web", "tier", MISSING, "gold")]


def test_generate_installs_the_package_that_provides_the_prototype(kube_app):
    from kfctl.ops.generate import generate

    result = generate(kube_app, "tf-job", "train", ["--image=tensorflow/tensorflow:2.16.1", "--num_workers=2"])
    assert result.installed is not None
    assert (result.installed.qualified, result.installed.action) == ("kubeflow/tf-job", "installed")
    assert result.installed.path == kube_app.root / "vendor/kubeflow/tf-job"
    assert (result.component, result.prototype.name) == ("train", "io.ksonnet.pkg.tf-job")
    assert result.path == kube_app.root / "components/train.jsonnet" and result.path.is_file()
    assert result.params["num_workers"] == "2" and result.params["image"] == '"tensorflow/tensorflow:2.16.1"'
    kube_app.reload()
    assert kube_app.kfctl_settings["components"]["train"] == {"prototype": "io.ksonnet.pkg.tf-job",
                                                              "package": "kubeflow/tf-job"}
    again = generate(kube_app, "tf-job", "eval", ["--image=tensorflow/tensorflow:2.16.1"])
    assert again.installed is None  # now the app has it


def test_preview_renders_without_touching_the_app(kube_app):
    from kfctl.ops.generate import preview

    before = _tree(kube_app.root)
    p = preview(kube_app.root, "deployed-service", ["--name", "web2", "--image", "nginx:1.27"], namespace="ns1")
    assert [(o["kind"], o["metadata"]["name"], o["metadata"]["namespace"]) for o in p.objects] == [
        ("Service", "web2", "ns1"), ("Deployment", "web2", "ns1")]
    assert p.source.splitlines()[:2] == ['local env = std.extVar("__ksonnet/environments");',
                                         'local params = std.extVar("__ksonnet/params").components.preview;']
    assert "param://" not in p.source and p.prototype.name == "io.ksonnet.pkg.deployed-service"
    assert _tree(kube_app.root) == before


def test_validate_reports_schema_problems(kube_app):
    from kfctl.ops.validate import validate_env

    report = validate_env(kube_app, "default")
    assert (report.valid, report.objects, report.problems) == (True, 2, [])
    (kube_app.components_dir / "bad.jsonnet").write_text(
        '{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "bad" }, data: { n: 5 } }\n')
    report = validate_env(kube_app, "default")
    assert report.valid is False
    assert [p.line() for p in report.errors] == ["bad/ConfigMap/bad: data.n: expected string, got integer 5"]


def test_export_writes_one_file_per_object(kube_app, tmp_path):
    from kfctl.ops.export import export_env

    result = export_env(kube_app, "default", tmp_path / "out")
    assert sorted(result.written) == ["ml/Deployment-web.yaml", "ml/Service-web.yaml"]
    again = export_env(kube_app, "default", tmp_path / "out")
    assert (again.written, sorted(again.unchanged), again.removed) == (
        [], ["ml/Deployment-web.yaml", "ml/Service-web.yaml"], [])


def _tree(root: Path) -> dict[str, tuple]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            st = p.lstat()
            out[str(p.relative_to(root))] = (st.st_mode, st.st_size, st.st_mtime_ns,
                                             os.readlink(p) if p.is_symlink() else None)
    return out


def test_render_is_pure_prepare_does_the_writing(kube_app, tmp_path, monkeypatch):
    """A ks 0.12+ app (versioned vendor folder): prepare writes the vendor map and generates the
    ksonnet-lib; the render afterwards writes nothing, in the app or in the cache."""
    from kfctl.ops.prepare import prepare_env
    from kfctl.render.pipeline import render_env

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "fresh-cache"))
    pkg = kube_app.root / "vendor/kf/lib@v1"
    pkg.mkdir(parents=True)
    (pkg / "lib.libsonnet").write_text("{ replicas: 2 }\n")
    (kube_app.components_dir / "uses.jsonnet").write_text(
        'local lib = import "kf/lib/lib.libsonnet";\n'
        '{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "uses" }, data: { r: std.toString(lib.replicas) } }\n')
    env = kube_app.env("default")
    assert not (kube_app.root / ".kfctl/vendor-map").exists()
    libs = prepare_env(kube_app, env)
    assert libs.vendor_maps == (kube_app.root / ".kfctl/vendor-map",)
    assert os.readlink(kube_app.root / ".kfctl/vendor-map/kf/lib") == "../../../vendor/kf/lib@v1"
    assert libs.lib_dirs[1] == tmp_path / "fresh-cache/kfctl/ksonnet-lib" / env.k8s_version
    app_before, cache_before = _tree(kube_app.root), _tree(tmp_path / "fresh-cache")
    rendered = render_env(kube_app, env, libs)
    assert [o.obj["data"] for o in rendered.objects if o.name == "uses"] == [{"r": "2"}]
    assert (_tree(kube_app.root), _tree(tmp_path / "fresh-cache")) == (app_before, cache_before)


def test_render_without_prepare_finds_no_vendor_map(kube_app):
    """Nothing is linked behind the caller's back: without the prepared map a versioned import fails."""
    from kfctl.errors import RenderError
    from kfctl.render.pipeline import render_env
    from kfctl.render.sources import Libraries

    pkg = kube_app.root / "vendor/kf/lib@v1"
    pkg.mkdir(parents=True)
    (pkg / "lib.libsonnet").write_text("{}\n")
    (kube_app.components_dir / "uses.jsonnet").write_text('import "kf/lib/lib.libsonnet"\n')
    with pytest.raises(RenderError, match='import "kf/lib/lib.libsonnet" not found'):
        render_env(kube_app, kube_app.env("default"), Libraries())
    assert not (kube_app.root / ".kfctl/vendor-map").exists()
