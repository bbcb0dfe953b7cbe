"""The generator itself: determinism, hand-verified functions, definitions, versions, lib_dirs."""

from __future__ import annotations

import gzip
import json
import os
import time
from pathlib import Path

import pytest

from kfctl.ksonnetlib import KsonnetLibError, defs, ensure_ksonnet_lib, lib_dirs, materialize
from kfctl.ksonnetlib.generate import cap, ksonnet_k8s, lower_first
from kfctl.ksonnetlib.tanka import tanka_main


def _block(text: str, start: str) -> str:
    i = text.index(start)
    return text[i: text.index("\n  },\n", i)]


@pytest.mark.parametrize("mm", [(1, 8), (1, 30)])
def test_generation_is_deterministic(mm):
    a, b = defs.load(mm), defs.load(mm)
    assert ksonnet_k8s(a, "v1.x").encode() == ksonnet_k8s(b, "v1.x").encode()
    assert tanka_main(a, "v1.x").encode() == tanka_main(b, "v1.x").encode()


def test_v18_hand_verified_ksonnet_functions():
    text = ksonnet_k8s(defs.load((1, 8)), "v1.8.0")
    spec = _block(text, '  "apps.v1beta1.DeploymentSpec":: {')
    assert "withReplicas(replicas):: self + w({replicas: replicas})," in spec
    assert "template:: __M(__t[\"core.v1.PodTemplateSpec\"], function(v) w({template+: v}))," in spec
    assert "templateType:: __R(__t[\"core.v1.PodTemplateSpec\"])," in spec
    dep = _block(text, '  "apps.v1beta1.Deployment":: {')
    assert ("new(name, replicas=1, containers, podLabels={app: 'name'}):: {apiVersion: \"apps/v1beta1\", "
            "kind: \"Deployment\"} + self.mixin.metadata.withName(name)") in dep
    assert "withApiVersion" not in dep and "status" not in dep
    pod = _block(text, '  "core.v1.PodSpec":: {')
    assert "withContainers(containers):: self + w({containers: __A(containers)})," in pod
    assert "withContainersMixin(containers):: self + w({containers+: __A(containers)})," in pod
    assert 'containersType:: __R(__t["core.v1.Container"]),' in pod
    meta = _block(text, '  "meta.v1.ObjectMeta":: {')
    assert "withLabelsMixin(labels):: self + w({labels+: labels})," in meta
    rule = _block(text, '  "rbac.v1beta1.PolicyRule":: {')
    assert "withApiGroupsMixin(apiGroups):: self + w({apiGroups+: __A(apiGroups)})," in rule
    assert "new():: {}," in rule
    # the index: ksonnet group names and hidden fields
    assert "\n  rbac:: {\n" in text and "\n  extensions:: {\n" in text and "\n  core:: {\n" in text
    assert '      roleBinding:: __R(__t["rbac.v1beta1.RoleBinding"]),' in text


def test_v130_hand_verified_tanka_functions():
    text = tanka_main(defs.load((1, 30)), "v1.30")
    spec = _block(text, '  "apps.v1.DeploymentSpec"(w):: {')
    assert 'withReplicas(replicas):: w({"replicas": replicas}),' in spec
    assert 'template:: __t["core.v1.PodTemplateSpec"](function(v) w({"template"+: v})),' in spec
    assert "mixin:: self," in spec
    c = _block(text, '  "core.v1.Container"(w):: {')
    assert 'withPortsMixin(ports):: w({"ports"+: __A(ports)}),' in c
    assert 'withImage(image):: w({"image": image}),' in c
    assert ('      deployment:: __t["apps.v1.Deployment"](__id) + {\n        new(name, replicas=1, '
            "containers=error 'containers unset', podLabels={app: 'name'}):: {apiVersion: \"apps/v1\", kind: "
            '"Deployment"}') in text
    assert '      pod:: __t["core.v1.Pod"](__id) + {\n        new(name):: {apiVersion: "v1", kind: "Pod"} + ' \
           "self.metadata.withName(name)," in text


def test_names():
    assert lower_first("Deployment") == "deployment"
    assert lower_first("APIService") == "apiService"
    assert lower_first("CSIDriver") == "csiDriver"
    assert lower_first("HTTPGetAction") == "httpGetAction"
    assert lower_first("PodIP") == "podIP"
    assert cap("x-kubernetes-int-or-string") == "XKubernetesIntOrString"
    assert cap("$ref") == "Ref"
    assert cap("externalIPs") == "ExternalIPs"


def test_compact_definitions_model():
    raw = {
        "io.k8s.api.apps.v1beta1.Deployment": {
            "x-kubernetes-group-version-kind": [{"group": "apps", "version": "v1beta1", "kind": "Deployment"}],
            "properties": {"metadata": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
                           "kind": {"type": "string"}},
        },
        "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": {"properties": {
            "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            "finalizers": {"type": "array", "items": {"type": "string"}},
            "ownerReferences": {"type": "array", "items": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference"}},
            "creationTimestamp": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Time"},
        }},
        "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference": {"properties": {"name": {"type": "string"}}},
        "io.k8s.apimachinery.pkg.apis.meta.v1.Time": {"type": "string", "format": "date-time"},
        "io.k8s.api.rbac.v1beta1.Subject": {"properties": {"kind": {"type": "string"}}},
        "io.k8s.kubernetes.pkg.apis.rbac.v1beta1.Subject": {"properties": {"legacy": {"type": "string"}}},
        "io.k8s.kubernetes.pkg.api.v1.Pod": {"properties": {"spec": {"type": "object"}}},
        "io.k8s.apimachinery.pkg.util.intstr.IntOrString": {"type": "string"},
    }
    model = defs.compact(raw, "v1.8", "test")
    assert model == {"version": "v1.8", "source": "test", "types": {
        "apps.v1beta1.Deployment": {"gvk": ["apps", "v1beta1", "Deployment"],
                                    "fields": {"kind": ["s"], "metadata": ["r", "meta.v1.ObjectMeta"]}},
        "core.v1.Pod": {"gvk": None, "fields": {"spec": ["m"]}},
        "meta.v1.ObjectMeta": {"gvk": None, "fields": {
            "creationTimestamp": ["s"], "finalizers": ["a"], "labels": ["m"],
            "ownerReferences": ["ar", "meta.v1.OwnerReference"]}},
        "meta.v1.OwnerReference": {"gvk": None, "fields": {"name": ["s"]}},
        "rbac.v1beta1.Subject": {"gvk": None, "fields": {"kind": ["s"]}},  # io.k8s.api wins over the legacy copy
    }}


def test_committed_defs_cover_ksonnet_era_and_are_small():
    for minor in range(7, 25):
        p = defs.DEFS_DIR / f"v1.{minor}.json.gz"
        assert p.is_file(), p
        assert p.stat().st_size < 40_000
    with gzip.open(defs.DEFS_DIR / "v1.8.json.gz", "rt") as fh:
        m = json.load(fh)
    assert {"apps.v1beta1.Deployment", "extensions.v1beta1.Deployment", "rbac.v1beta1.Role",
            "apps.v1beta2.StatefulSet"} <= set(m["types"])


def test_extract_defs_is_deterministic(tmp_path):
    from kfctl.ksonnetlib.extract_defs import write_defs

    model = defs.load((1, 8))
    a = write_defs(model, tmp_path / "a").read_bytes()
    b = write_defs(model, tmp_path / "b").read_bytes()
    assert a == b
    assert a == (defs.DEFS_DIR / "v1.8.json.gz").read_bytes()


def test_version_resolution_and_fallback(capsys):
    assert defs.resolve("v1.8.0") == ((1, 8), True)
    assert defs.resolve("1.30") == ((1, 30), True)
    assert defs.resolve("v1.5.2") == ((1, 7), False)
    newest = max(defs.available())
    assert defs.resolve("v1.99.0") == (newest, False)
    with pytest.raises(KsonnetLibError, match="invalid Kubernetes version"):
        lib_dirs(Path("/nonexistent-app"), "latest")


def test_unknown_version_warns_and_uses_nearest(tmp_path, caplog):
    d = ensure_ksonnet_lib("v1.6.0")
    err = caplog.text
    assert "nearest version v1.7" in err
    assert "(definitions v1.7:" in (d / "k8s.libsonnet").read_text()


def test_lib_dirs_order_cache_and_speed(tmp_path, ksonnetlib_cache):
    dirs = lib_dirs(tmp_path, "v1.30.0")
    assert dirs == [tmp_path / "lib", ksonnetlib_cache / "kfctl" / "ksonnet-lib" / "v1.30.0",
                    ksonnetlib_cache / "kfctl" / "k8s-libsonnet" / "1.30"]
    assert (dirs[1] / "k.libsonnet").is_file() and (dirs[1] / "k8s.libsonnet").is_file()
    assert (dirs[2] / "github.com/jsonnet-libs/k8s-libsonnet/1.30/main.libsonnet").is_file()
    mtime = (dirs[1] / "k8s.libsonnet").stat().st_mtime_ns
    t = time.perf_counter()
    for _ in range(200):
        assert lib_dirs(tmp_path, "v1.30.0") == dirs
    assert (time.perf_counter() - t) / 200 < 0.002  # ~20 us in practice
    assert (dirs[1] / "k8s.libsonnet").stat().st_mtime_ns == mtime  # served, not regenerated


def test_app_own_ksonnet_lib_wins(tmp_path):
    own = tmp_path / "lib" / "ksonnet-lib" / "v1.8.0"
    own.mkdir(parents=True)
    (own / "k.libsonnet").write_text("{mine: true}\n")
    assert lib_dirs(tmp_path, "v1.8.0")[1] == own
    legacy = tmp_path / "old" / "lib" / "v1.7.0"
    legacy.mkdir(parents=True)
    (legacy / "k.libsonnet").write_text("{}\n")
    assert lib_dirs(tmp_path / "old", "v1.7.0")[1] == legacy


def test_materialize_writes_ks_layout(tmp_path):
    target = materialize(tmp_path, "v1.9.1")
    assert target == tmp_path / "lib" / "ksonnet-lib" / "v1.9.1"
    assert "// Kubernetes version: v1.9.1" in (target / "k8s.libsonnet").read_text()
    assert lib_dirs(tmp_path, "v1.9.1")[1] == target


def test_unwritable_cache_falls_back_to_app_lib(tmp_path, monkeypatch):
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    app = tmp_path / "app"
    dirs = lib_dirs(app, "v1.10.0")
    assert dirs == [app / "lib", app / "lib" / "ksonnet-lib" / "v1.10.0"]
    assert (dirs[1] / "k8s.libsonnet").is_file()


def test_fresh_app_gets_generated_library(tmp_path):
    from kfctl.app.scaffold import write_app_skeleton

    from .conftest import evaluate

    write_app_skeleton(tmp_path)
    assert not (tmp_path / "lib" / "k.libsonnet").exists()
    out = evaluate('local k = import "k.libsonnet"; k.core.v1.list.new(k.core.v1.namespace.new("a"))',
                   lib_dirs(tmp_path, "v1.30.0"))
    assert out == {"apiVersion": "v1", "kind": "List",
                   "items": [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a"}}]}


def test_generated_library_size_and_eval_speed(ks):
    d = ensure_ksonnet_lib("v1.30.0")
    assert (d / "k8s.libsonnet").stat().st_size < 700_000  # ksonnet's was ~3 MB
    ks('local k = import "k.libsonnet"; k.apps.v1.deployment.new("a", 1, [])', version="v1.30.0")
    t = time.perf_counter()
    ks('local k = import "k.libsonnet"; k.apps.v1.deployment.new("a", 1, [])', version="v1.30.0")
    assert time.perf_counter() - t < 1.0  # ~15 ms with rjsonnet; ksonnet-lib took seconds


def test_cache_dir_is_shared_and_regenerated_when_stamp_missing(tmp_path):
    d = ensure_ksonnet_lib("v1.11.0")
    stamps = [p.name for p in d.iterdir() if p.name.startswith(".kfctl-generated-")]
    assert len(stamps) == 1
    os.remove(d / stamps[0])
    (d / "k8s.libsonnet").write_text("broken")
    d2 = ensure_ksonnet_lib("v1.11.0")
    assert d2 == d and (d / "k8s.libsonnet").read_text().startswith("// AUTOGENERATED")


def test_current_version_keeps_removed_api_versions_for_ksonnet_code(ks):
    """Kubeflow 0.3 code calls k.apps.v1beta1/k.rbac.v1beta1 even when the env targets 1.30."""
    code = """
local k = import "k.libsonnet";
[
  {} + k.apps.v1beta1.deployment.mixin.metadata.withName("op"),
  k.rbac.v1beta1.role.new().apiVersion,
  k.extensions.v1beta1.deployment.new("x", 1, []).apiVersion,
  k.apps.v1.deployment.new("y", 1, []).apiVersion,
]
"""
    assert ks(code, version="v1.30.0") == [{"metadata": {"name": "op"}}, "rbac.authorization.k8s.io/v1beta1",
                                           "extensions/v1beta1", "apps/v1"]
    text = (ensure_ksonnet_lib("v1.30.0") / "k8s.libsonnet").read_text()
    assert "// Removed API versions kept for ksonnet-era code: " in text
    assert "rbac.v1beta1" in text.split("\n")[3] and "alpha" not in text.split("\n")[3]


def _fresh_app(tmp_path, monkeypatch, component: str):
    """An app with one component, rendered with an empty user cache."""
    import kfctl.ksonnetlib as kl
    from kfctl.app.app import App
    from kfctl.app.environments import init_app
    from kfctl.kube.destination import Destination

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    kl._fast.clear()
    app = init_app("lazy", tmp_path / "app", Destination("https://k8s.example:6443", "ml", None),
                   k8s_version="v1.30.0", skip_default_registries=True)
    (app.root / "components" / "c.jsonnet").write_text(component)
    return App.load(app.root)


@pytest.mark.parametrize("engine", ["rjsonnet", "gojsonnet", "jsonnet"])
def test_ksonnet_lib_is_generated_when_first_imported(tmp_path, monkeypatch, engine):
    from kfctl.ops.render import render

    app = _fresh_app(tmp_path, monkeypatch, 'local k = import "k.libsonnet"; k.core.v1.namespace.new("a")')
    objs = render(app, app.env("default"), engine=engine).objects
    assert [(o.kind, o.name) for o in objs] == [("Namespace", "a")]
    cache = tmp_path / "cache" / "kfctl"
    assert (cache / "ksonnet-lib" / "v1.30.0" / "k8s.libsonnet").is_file()
    assert not (cache / "k8s-libsonnet").exists()  # the Tanka library was not looked into


def test_app_without_ksonnet_lib_imports_generates_nothing(tmp_path, monkeypatch):
    from kfctl.ops.render import render

    app = _fresh_app(tmp_path, monkeypatch, '{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } }')
    assert [o.name for o in render(app, app.env("default")).objects] == ["c"]
    assert not (tmp_path / "cache" / "kfctl" / "ksonnet-lib").exists()
    assert not (tmp_path / "cache" / "kfctl" / "k8s-libsonnet").exists()


def test_missing_import_still_names_the_generated_directories(tmp_path, monkeypatch):
    from kfctl.errors import KfctlError
    from kfctl.ops.render import render

    app = _fresh_app(tmp_path, monkeypatch, 'import "nowhere.libsonnet"')
    with pytest.raises(KfctlError) as exc:
        render(app, app.env("default"))
    assert 'import "nowhere.libsonnet" not found' in str(exc.value)
    assert "ksonnet-lib/v1.30.0/" in str(exc.value)  # searched, and so generated: it is the jpath


def test_unwritable_cache_generates_into_the_app_on_first_import(tmp_path, monkeypatch):
    from kfctl.ops.render import render

    app = _fresh_app(tmp_path, monkeypatch, 'local k = import "k.libsonnet"; k.core.v1.namespace.new("b")')
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert [o.name for o in render(app, app.env("default")).objects] == ["b"]
    assert (app.root / "lib" / "ksonnet-lib" / "v1.30.0" / "k8s.libsonnet").is_file()
