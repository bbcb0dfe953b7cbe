"""Offline validation against kubernetes-validate schemas and CRDs in the render."""

from __future__ import annotations

import pytest

from kfctl.errors import UsageError
from kfctl.validate.schemas import available_versions, resolve_version, structural_to_jsonschema
from kfctl.validate.validator import validate_objects

from .helpers import cluster_role, deployment, make_render, service, widget, widget_crd


def lines(report, severity="error"):
    return [p.line() for p in report.problems if p.severity == severity]


def test_valid_objects():
    r = make_render(("web", deployment("web")), ("web", service("web")), ("rbac", cluster_role("reader")),
                    ("crds", widget_crd()), ("w", widget("w1", size=2, port="http", note=None, extra={"x": {"y": 1}},
                                                        labels={"a": "b"})))
    rep = validate_objects(r.objects, "v1.30.0")
    assert rep.problems == [] and rep.valid and rep.exit_code == 0 and rep.objects == 5
    assert rep.k8s_version.minor == "1.30" and rep.warnings == []


def test_wrong_type_replicas_string():
    rep = validate_objects(make_render(("web", deployment("web", replicas="3"))).objects, "1.30")
    assert lines(rep) == ['web/Deployment/web: spec.replicas: expected integer, got string "3"']
    assert rep.exit_code == 1


def test_container_without_name():
    d = deployment("web")
    del d["spec"]["template"]["spec"]["containers"][0]["name"]
    rep = validate_objects(make_render(("web", d)).objects, "1.30")
    assert lines(rep) == ["web/Deployment/web: spec.template.spec.containers[0].name: required field is missing"]


def test_unknown_field_in_builtin_kind():
    d = deployment("web")
    d["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] = "Always"
    d["spec"]["template"]["spec"]["containers"][0]["imagePolicy"] = "Always"  # typo
    rep = validate_objects(make_render(("web", d)).objects, "1.30")
    assert lines(rep) == ["web/Deployment/web: spec.template.spec.containers[0].imagePolicy: unknown field"]


def test_int_or_string_and_quantities():
    d = deployment("web", strategy={"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}})
    d["spec"]["template"]["spec"]["containers"][0]["resources"] = {"limits": {"cpu": 0.5, "memory": "1Gi"},
                                                                   "requests": {"cpu": 1}}
    assert validate_objects(make_render(("web", d)).objects, "1.30").problems == []
    bad = service("s")
    bad["spec"]["ports"][0]["targetPort"] = [80]
    rep = validate_objects(make_render(("s", bad)).objects, "1.30")
    assert lines(rep) == ["s/Service/s: spec.ports[0].targetPort: expected string or integer, got array [80]"]


def test_bad_custom_resource_against_crd_in_render():
    r = make_render(("crds", widget_crd()),
                    ("w", widget("w1", size="big", color="red", port=1.5, extra={"anything": True})),
                    ("w", widget("w2", port="http")))
    rep = validate_objects(r.objects, "1.30")
    assert lines(rep) == [
        "w/Widget/w1: spec.color: unknown field",
        "w/Widget/w1: spec.port: expected integer or string, got number 1.5",
        'w/Widget/w1: spec.size: expected integer, got string "big"',
        "w/Widget/w2: spec.size: required field is missing",
    ]


def test_custom_resource_minimum_and_unserved_version():
    bad_version = widget("w3")
    bad_version["apiVersion"] = "example.com/v1alpha1"
    r = make_render(("crds", widget_crd()), ("w", widget("w1", size=0)), ("w", bad_version))
    rep = validate_objects(r.objects, "1.30")
    assert lines(rep) == [
        "w/Widget/w1: spec.size: 0 is less than the minimum of 1",
        "w/Widget/w3: apiVersion: version v1alpha1 of Widget is not served by its CRD in this render "
        "(served: example.com/v1)",
    ]


def test_v1beta1_crd_preserves_unknown_fields_by_default():
    crd = {"apiVersion": "apiextensions.k8s.io/v1beta1", "kind": "CustomResourceDefinition",
           "metadata": {"name": "tfjobs.kubeflow.org"},
           "spec": {"group": "kubeflow.org", "version": "v1alpha2", "names": {"kind": "TFJob", "plural": "tfjobs"},
                    "validation": {"openAPIV3Schema": {"properties": {"spec": {"properties": {
                        "tfReplicaSpecs": {"properties": {"Worker": {"properties": {
                            "replicas": {"type": "integer", "minimum": 1}}}}}}}}}}}}
    job = {"apiVersion": "kubeflow.org/v1alpha2", "kind": "TFJob", "metadata": {"name": "j", "namespace": "ns"},
           "spec": {"tfReplicaSpecs": {"Worker": {"replicas": 0, "template": {}}}, "cleanPodPolicy": "All"}}
    rep = validate_objects(make_render(("crd", crd), ("job", job)).objects, "1.30")
    # the v1beta1 CRD itself is a removed API in 1.30; the job is checked by value only
    assert lines(rep) == [
        "crd/CustomResourceDefinition/tfjobs.kubeflow.org: apiVersion: apiextensions.k8s.io/v1beta1 "
        "CustomResourceDefinition is not served by Kubernetes 1.30 (use apiextensions.k8s.io/v1)",
        "job/TFJob/j: spec.tfReplicaSpecs.Worker.replicas: 0 is less than the minimum of 1",
    ]


def test_unknown_kind_is_warning_or_error_with_strict():
    thing = {"apiVersion": "foo.io/v1", "kind": "Thing", "metadata": {"name": "t"}}
    r = make_render(("x", thing))
    rep = validate_objects(r.objects, "1.30")
    assert rep.valid and lines(rep, "warning") == [
        "x/Thing/t: kind: no schema for foo.io/v1 Thing (not a Kubernetes 1.30 kind and no CRD for it in the render)"]
    rep = validate_objects(r.objects, "1.30", strict=True)
    assert not rep.valid and len(lines(rep)) == 1 and rep.exit_code == 1


def test_group_with_same_short_name_is_not_builtin():
    # networking.istio.io/v1 Ingress must not be checked against networking.k8s.io/v1 Ingress
    obj = {"apiVersion": "networking.istio.io/v1", "kind": "Ingress", "metadata": {"name": "i"}, "spec": {"x": 1}}
    rep = validate_objects(make_render(("x", obj)).objects, "1.30")
    assert rep.valid and [p.path for p in rep.problems] == ["kind"]


def test_removed_api_is_error_in_range_warning_when_older_than_schemas():
    old = deployment("web")
    old["apiVersion"] = "extensions/v1beta1"
    r = make_render(("web", old))
    rep = validate_objects(r.objects, "1.30")
    assert lines(rep) == ["web/Deployment/web: apiVersion: extensions/v1beta1 Deployment is not served by "
                          "Kubernetes 1.30 (use apps/v1)"]
    oldest = available_versions()[0]
    rep = validate_objects(r.objects, "v1.8.0")
    assert rep.valid and len(lines(rep, "warning")) == 1
    assert rep.warnings == [f"Kubernetes 1.8 is older than the oldest schema versions kubernetes-validate ships "
                            f"({oldest[0]}.{oldest[1]}–{available_versions()[-1][0]}.{available_versions()[-1][1]}); "
                            f"validating against {oldest[0]}.{oldest[1]}"]


def test_version_resolution():
    newest = available_versions()[-1]
    v = resolve_version("v1.30.2")
    assert v.used.startswith("1.30.") and v.warning is None
    v = resolve_version("1.99")
    assert v.minor == f"{newest[0]}.{newest[1]}" and "newer than the newest" in v.warning
    with pytest.raises(UsageError):
        resolve_version("latest")


def test_missing_name_and_kind():
    rep = validate_objects(make_render(("c", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {}})).objects, "1.30")
    assert lines(rep) == ["c/ConfigMap/<unnamed>: metadata.name: required field is missing"]


def test_structural_conversion():
    s = structural_to_jsonschema({"type": "object", "properties": {"a": {"type": "object", "properties": {
        "b": {"type": "string", "nullable": True}}}, "m": {"type": "object", "additionalProperties": {"type": "integer"}},
        "p": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
        "e": {"type": "object", "x-kubernetes-embedded-resource": True, "x-kubernetes-preserve-unknown-fields": True},
        "n": {"type": "integer", "minimum": 1, "exclusiveMinimum": True},
        "v": {"anyOf": [{"properties": {"a": {"type": "object"}}}]}}}, root=True)
    assert s["additionalProperties"] is False
    assert s["properties"]["a"]["additionalProperties"] is False
    assert s["properties"]["a"]["properties"]["b"]["type"] == ["string", "null"]
    assert s["properties"]["m"]["additionalProperties"] == {"type": "integer"}
    assert "additionalProperties" not in s["properties"]["p"]
    assert set(s["properties"]["e"]["properties"]) == {"apiVersion", "kind", "metadata"}
    assert s["properties"]["n"] == {"type": "integer", "exclusiveMinimum": 1}
    assert "additionalProperties" not in s["properties"]["v"]["anyOf"][0]["properties"]["a"]
    assert {"apiVersion", "kind", "metadata"} <= set(s["properties"])


def test_many_objects_fast():
    import time

    objs = [("web", deployment(f"web{i}")) for i in range(300)] + [("web", service(f"s{i}")) for i in range(300)]
    r = make_render(*objs)
    validate_objects(r.objects[:2], "1.30")  # warm the schema caches
    t = time.perf_counter()
    rep = validate_objects(r.objects, "1.30")
    took = time.perf_counter() - t
    assert rep.valid and rep.objects == 600
    assert took < 10, took
