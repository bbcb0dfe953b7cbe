"""Every prototype's renderings: valid against Kubernetes 1.30+ schemas (strict) or the pinned upstream
CRD schemas, and equal to the golden snapshots (``KFCTL_UPDATE_GOLDEN=1`` rewrites them)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.packages.cases import ALL_PROTOTYPE_FILES, CASES, CORE
from tests.packages.render_helper import render_prototype
from tests.packages.validation import crd_schemas, validate_objects

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("KFCTL_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def tfjob_schemas():
    """The pinned upstream CRD schemas of every vendored package (custom resources validate against them)."""
    from kfctl.registry.builtin_crds import builtin_crds

    schemas = crd_schemas([c.load() for c in builtin_crds()])
    assert ("kubeflow.org", "v1", "TFJob") in schemas and ("kubeflow.org", "v2beta1", "MPIJob") in schemas
    assert ("kueue.x-k8s.io", "v1beta2", "ClusterQueue") in schemas
    return schemas


def test_every_prototype_has_default_and_two_other_renderings():
    by_file: dict[Path, int] = {}
    for _, path, _, _ in CASES:
        by_file[path] = by_file.get(path, 0) + 1
    assert ALL_PROTOTYPE_FILES, "no prototypes found"
    for path in ALL_PROTOTYPE_FILES:
        assert by_file.get(path, 0) >= 3, f"{path} needs a default and two non-default cases"
    ids = [c[0] for c in CASES]
    assert len(ids) == len(set(ids))


def test_tfjob_crd_schema_is_the_pinned_upstream_one(tfjob_schemas):
    from tests.packages.render_helper import REGISTRY

    upstream = json.loads((REGISTRY / "training-operator/upstream/crds/tfjobs.kubeflow.org.json").read_text())
    assert tfjob_schemas[("kubeflow.org", "v1", "TFJob")] == upstream["spec"]["versions"][0]["schema"]["openAPIV3Schema"]


@pytest.mark.parametrize("case_id,path,params,namespace", CASES, ids=[c[0] for c in CASES])
def test_render_is_valid_and_matches_golden(case_id, path, params, namespace, tfjob_schemas):
    objects = render_prototype(path, params, namespace=namespace, component=params["name"])
    assert objects, "rendered nothing"
    # custom resources: the schema of the CRD in the render, else the pinned upstream CRD's
    validate_objects(objects, {**tfjob_schemas, **crd_schemas(objects)})
    from kfctl.render.scopes import crd_scopes_of, is_namespaced

    scopes = crd_scopes_of(objects)  # then the vendored packages' CRDs (is_namespaced)
    for o in objects:
        assert o["metadata"]["name"], o
        # cluster-scoped kinds carry no namespace; namespaced ones always have one
        assert ("namespace" in o["metadata"]) == is_namespaced(o["apiVersion"], o["kind"], scopes), o["metadata"]
    golden = GOLDEN / f"{case_id}.json"
    snapshot = [snapshot_form(o) for o in objects]
    text = json.dumps(snapshot, indent=2, sort_keys=True) + "\n"
    if UPDATE:
        golden.write_text(text)
    assert golden.exists(), f"missing {golden}; run with KFCTL_UPDATE_GOLDEN=1"
    assert json.loads(golden.read_text()) == snapshot


def snapshot_form(obj: dict) -> dict:
    """The object as the golden file holds it: a CRD's (vendored, megabyte-sized) spec as the sha256 of
    its canonical JSON — any change to it still fails the comparison."""
    if obj.get("kind") != "CustomResourceDefinition":
        return obj
    import hashlib

    spec = json.dumps(obj.get("spec"), sort_keys=True, separators=(",", ":")).encode()
    return {**{k: v for k, v in obj.items() if k != "spec"}, "specSha256": hashlib.sha256(spec).hexdigest()}


def test_no_stale_golden_files():
    ids = {c[0] for c in CASES}
    stale = [p.name for p in GOLDEN.glob("*.json") if p.stem not in ids]
    assert not stale, f"golden files without a case: {stale}"
