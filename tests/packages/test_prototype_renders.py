"""Every prototype's renderings: valid against Kubernetes 1.30+ schemas (strict) or the TFJob CRD's
own schema, and equal to the golden snapshots (``KFCTL_UPDATE_GOLDEN=1`` rewrites them)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.packages.cases import ALL_PROTOTYPE_FILES, CASES, CORE
from tests.packages.render_helper import render_prototype
from tests.packages.validation import assert_structural, crd_schemas, validate_objects

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("KFCTL_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def tfjob_schemas():
    schemas = crd_schemas(render_prototype(CORE, {"name": "kubeflow-core"}))
    assert set(schemas) == {("kubeflow.org", "v1", "TFJob")}
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


def test_tfjob_crd_schema_is_structural(tfjob_schemas):
    assert_structural(tfjob_schemas[("kubeflow.org", "v1", "TFJob")])


@pytest.mark.parametrize("case_id,path,params,namespace", CASES, ids=[c[0] for c in CASES])
def test_render_is_valid_and_matches_golden(case_id, path, params, namespace, tfjob_schemas):
    objects = render_prototype(path, params, namespace=namespace, component=params["name"])
    assert objects, "rendered nothing"
    validate_objects(objects, tfjob_schemas)
    for o in objects:
        assert o["metadata"]["name"], o
        # cluster-scoped kinds carry no namespace; namespaced ones always have one
        cluster_scoped = o["kind"] in ("Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition",
                                       "StorageClass", "PersistentVolume")
        assert ("namespace" in o["metadata"]) != cluster_scoped, o["metadata"]
    golden = GOLDEN / f"{case_id}.json"
    text = json.dumps(objects, indent=2, sort_keys=True) + "\n"
    if UPDATE:
        golden.write_text(text)
    assert golden.exists(), f"missing {golden}; run with KFCTL_UPDATE_GOLDEN=1"
    assert json.loads(golden.read_text()) == objects


def test_no_stale_golden_files():
    ids = {c[0] for c in CASES}
    stale = [p.name for p in GOLDEN.glob("*.json") if p.stem not in ids]
    assert not stale, f"golden files without a case: {stale}"
