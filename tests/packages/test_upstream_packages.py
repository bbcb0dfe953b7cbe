"""The vendored upstream packages: the committed data is what upstream.json records (hashes), it all
comes from a pins entry, and every package's default render equals the vendored upstream objects
(modulo namespace and kfctl's labels)."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

import pytest
import yaml

from tests.packages.render_helper import REGISTRY, render_prototype

PINS = yaml.safe_load((REGISTRY / "upstream-pins.yaml").read_text())["packages"]
LIB = (REGISTRY / "upstream-lib.libsonnet").read_bytes()


def out_dir(entry: str) -> Path:
    return REGISTRY / (PINS[entry].get("dir") or f"{entry}/upstream")


def upstream_objects(entry: str, variants: list[str], crds: list[str] | None = None) -> list[dict]:
    d = out_dir(entry)
    meta = json.loads((d / "upstream.json").read_text())
    names = [c["name"] for c in meta["crds"]] if crds is None else crds
    objs = [json.loads((d / "crds" / f"{n}.json").read_text()) for n in names]
    for v in variants:
        objs += json.loads((d / f"{v}.json").read_text())
    return objs


@pytest.mark.parametrize("entry", sorted(PINS))
def test_vendored_files_match_upstream_json(entry):
    d = out_dir(entry)
    meta = json.loads((d / "upstream.json").read_text())
    pin = PINS[entry]
    assert (meta["repo"], meta["tag"], meta["commit"]) == (pin["repo"], pin["tag"], pin["commit"])
    assert [v["name"] for v in meta["variants"]] == list(pin["variants"])
    on_disk = {p.relative_to(d).as_posix() for p in d.rglob("*") if p.is_file()}
    assert on_disk == {*meta["files"], "upstream.json"}, "files not written by the script, or missing"
    for rel, digest in meta["files"].items():
        assert hashlib.sha256((d / rel).read_bytes()).hexdigest() == digest, f"{d / rel} differs from upstream.json"
    if pin.get("fingerprint"):  # identification only (registry/foreign/): no objects, no layer helpers
        assert (meta["fingerprint"], meta["files"]) == (True, {}) and meta["crds"], entry
        return
    assert (d / "lib.libsonnet").read_bytes() == LIB, "re-run scripts/vendor_upstream.py after editing upstream-lib.libsonnet"


def test_every_upstream_folder_comes_from_a_pin():
    pinned = {out_dir(e) for e in PINS}
    found = {p.parent for p in REGISTRY.rglob("upstream.json")}
    assert found == pinned


def strip_kfctl_labels(o: dict) -> dict:
    from kfctl.render.model import LABEL_APP, LABEL_COMPONENT, LABEL_ENV, LABEL_MANAGED_BY

    o = json.loads(json.dumps(o))
    labels = (o.get("metadata") or {}).get("labels")
    if isinstance(labels, dict):
        for k in (LABEL_APP, LABEL_COMPONENT, LABEL_ENV, LABEL_MANAGED_BY):
            labels.pop(k, None)
        if not labels:
            del o["metadata"]["labels"]
    return o


def keyed(objs: list[dict]) -> dict[tuple, dict]:
    out = {}
    for o in objs:
        key = (o["apiVersion"], o["kind"], o["metadata"].get("namespace"), o["metadata"]["name"])
        assert key not in out, f"duplicate {key}"
        out[key] = strip_kfctl_labels(o)
    return out


def renamespaced(objs: list[dict], old: str, new: str) -> list[dict]:
    """The objects with every namespace reference `old` as `new` (what the layer's `namespace` does)."""
    text = json.dumps(objs)
    text = text.replace(f'"namespace": "{old}"', f'"namespace": "{new}"')
    text = text.replace(f'"cert-manager.io/inject-ca-from": "{old}/', f'"cert-manager.io/inject-ca-from": "{new}/')
    text = text.replace(f'"cert-manager.io/inject-ca-from-secret": "{old}/',
                        f'"cert-manager.io/inject-ca-from-secret": "{new}/')
    text = text.replace(f'.{old}.svc"', f'.{new}.svc"').replace(f'.{old}.svc.cluster.local"', f'.{new}.svc.cluster.local"')
    text = text.replace(f'"--lock-namespace={old}"', f'"--lock-namespace={new}"')  # mpi-operator's leader lock
    out = json.loads(text)
    for o in out:
        if o["kind"] == "Namespace" and o["metadata"]["name"] == old:
            o["metadata"]["name"] = new
    return out


def namespace_created(ns: str):
    """The release leaves the Namespace to `kubectl create namespace NS`; the package renders it."""
    def adjust(objs: list[dict]) -> list[dict]:
        return objs + [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}]
    return adjust


def kserve_standard_mode(objs: list[dict]) -> list[dict]:
    """Upstream's Standard-mode install (hack/setup/infra/manage.kserve-kustomize.sh with
    DEPLOYMENT_MODE=Standard) sets deploy.defaultDeploymentMode=Standard in inferenceservice-config,
    as compact JSON (jq tojson)."""
    out = json.loads(json.dumps(objs))
    [cm] = [o for o in out if o["kind"] == "ConfigMap" and o["metadata"]["name"] == "inferenceservice-config"]
    cm["data"]["deploy"] = json.dumps({**json.loads(cm["data"]["deploy"]), "defaultDeploymentMode": "Standard"},
                                      separators=(",", ":"))
    return out


# package → (prototype, params, pins entry, variants, upstream namespace[, what the package adds to
# the release: a function of the upstream objects])
DEFAULTS = {
    "training-operator": ("training-operator", {}, "training-operator", ["standalone"], "kubeflow"),
    "trainer": ("trainer", {}, "trainer", ["manager"], "kubeflow-system"),
    "mpi-operator": ("mpi-operator", {}, "mpi-operator", ["mpi-operator"], "mpi-operator"),
    "jobset": ("jobset-controller", {}, "jobset", ["manifests"], "jobset-system"),
    "kueue": ("kueue", {}, "kueue", ["manifests"], "kueue-system"),
    # Helm charts: kfctl renders the Namespace `helm install --create-namespace` would make
    "scheduler-plugins": ("scheduler-plugins", {}, "scheduler-plugins", ["coscheduling"], "scheduler-plugins",
                          namespace_created("scheduler-plugins")),
    "gpu/device-plugin": ("nvidia-device-plugin", {"name": "nvidia-device-plugin-daemonset"}, "gpu-device-plugin",
                          ["static"], "kube-system"),
    "gpu/gpu-operator": ("gpu-operator", {}, "gpu-operator", ["chart"], "gpu-operator", namespace_created("gpu-operator")),
    "katib": ("katib", {}, "katib", ["standalone"], "kubeflow"),
    "notebooks": ("notebook-controller", {}, "notebooks", ["standalone"], "notebook-controller-system"),
    "argo-workflows": ("argo-workflows", {}, "argo-workflows", ["cluster-install"], "argo", namespace_created("argo")),
    "kserve": ("kserve", {}, "kserve", ["kserve", "runtimes"], "kserve", kserve_standard_mode),
    "cert-manager": ("cert-manager", {}, "cert-manager", ["namespace", "static"], "cert-manager"),
}
# the big CRDs (Argo, KServe) render through kfctl's default fast engine
ENGINE = "rjsonnet"


def expected_objects(package: str, namespace: str | None = None) -> list[dict]:
    _, _, entry, variants, upstream_ns, *adjust = DEFAULTS[package]
    objs = upstream_objects(entry, variants)
    for f in adjust:
        objs = f(objs)
    if namespace is not None:
        objs = renamespaced(objs, upstream_ns, namespace)
    return cluster_scoped_without_namespace(objs)


def cluster_scoped_without_namespace(objs: list[dict]) -> list[dict]:
    """kustomize's namespace transformer also sets one on cluster-scoped custom resources (KServe's
    ClusterStorageContainer); kfctl drops it, as kubectl does."""
    from kfctl.render.scopes import crd_scopes_of, is_namespaced

    scopes = crd_scopes_of(objs)
    out = json.loads(json.dumps(objs))
    for o in out:
        if not is_namespaced(o["apiVersion"], o["kind"], scopes):
            o["metadata"].pop("namespace", None)
    return out


def prototype_path(package: str, proto: str) -> Path:
    return REGISTRY / package.split("/")[0] / "prototypes" / f"{proto}.jsonnet"


@cache
def default_render(package: str) -> list[dict]:
    proto, params, *_ = DEFAULTS[package]
    return render_prototype(prototype_path(package, proto), {"name": proto, **params}, namespace="env-ns",
                            component=proto, engine=ENGINE)


def test_every_vendored_package_has_a_default_render_case():
    entries = {entry for _, _, entry, *_ in DEFAULTS.values()}
    # kubeflow-core's JupyterHub (core-jupyterhub): configured from Kubeflow 0.1's params, tested in
    # test_package_semantics and core's jsonnet tests; schema-*: upstream schemas only (tests/gitops, tests/images);
    # fingerprints (arena): what identifies another install's CRDs, no objects
    assert entries == {p for p in PINS if not p.startswith(("core-", "schema-")) and not PINS[p].get("fingerprint")}


@pytest.mark.parametrize("package", sorted(DEFAULTS))
def test_default_render_is_the_upstream_release(package):
    rendered, expected = keyed(default_render(package)), keyed(expected_objects(package))
    assert sorted(rendered) == sorted(expected)
    for key in expected:
        assert rendered[key] == expected[key], key


@pytest.mark.parametrize("package", sorted(DEFAULTS))
def test_another_namespace_changes_only_namespaces(package):
    proto, params, *_ = DEFAULTS[package]
    objs = render_prototype(prototype_path(package, proto), {"name": proto, **params, "namespace": "platform-ml"},
                            namespace="env-ns", engine=ENGINE)
    assert keyed(objs) == keyed(expected_objects(package, "platform-ml"))
