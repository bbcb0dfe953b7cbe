"""Which conditions make a custom resource ready (kfctl.kube.crstatus), kind by kind, without a cluster."""

from __future__ import annotations

import pytest

from kfctl.kube.crstatus import StatusSchema, cr_readiness, status_schema


def cr(kind: str, conditions: list[dict] | None = None, generation: int = 1, **status: object) -> dict:
    st = dict(status)
    if conditions is not None:
        st["conditions"] = conditions
    return {"apiVersion": "x.io/v1", "kind": kind, "metadata": {"name": "a", "generation": generation},
            **({"status": st} if st else {})}


def c(type_: str, status: str = "True", **kw: object) -> dict:
    return {"type": type_, "status": status, **kw}


@pytest.mark.parametrize("obj, expected", [
    (cr("PyTorchJob", [c("Created"), c("Running")]), (True, "Running")),
    (cr("PyTorchJob", [c("Created")]), (False, "waiting for Running or Succeeded (Created=True)")),
    (cr("InferenceService", [c("Ready", "False", reason="PredictorNotReady", message="0/1 pods")]),
     (False, "Ready=False (PredictorNotReady: 0/1 pods)")),
    (cr("ClusterQueue", [c("Active")]), (True, "Active")),
    (cr("Widget", [c("Available")]), (True, "Available")),
    (cr("Widget", [c("Synced"), c("Healthy")]), (True, "conditions Synced, Healthy")),
    (cr("Widget", [c("Synced"), c("Healthy", "False", reason="Down")]), (False, "Healthy=False (Down)")),
    (cr("Widget", [c("Ready", observedGeneration=1)], generation=2),
     (False, "waiting for its operator to write the conditions of generation 2")),
    (cr("Widget", [c("Ready")], generation=3, observedGeneration=2),
     (False, "waiting for its operator to observe generation 3 (status is of generation 2)")),
    (cr("Widget", [c("Failed", message="OOMKilled")]), (False, "failed: OOMKilled")),
    (cr("Notebook", readyReplicas=1), (True, "1 ready replica(s)")),
    (cr("Notebook", containerState={"waiting": {"reason": "ImagePullBackOff"}}),
     (False, "container waiting: ImagePullBackOff")),
    (cr("Workflow", phase="Running"), (True, "running")),
    (cr("Workflow", phase="Failed", message="step 2"), (False, "failed: Failed: step 2")),
])
def test_conditions_of_the_current_generation_decide(obj: dict, expected: tuple[bool, str]) -> None:
    assert cr_readiness(obj, waited=0.0) == expected


def test_no_status_yet_waits_for_the_grace_period_then_depends_on_the_kind() -> None:
    assert cr_readiness(cr("Widget"), waited=3.0, grace=15) == (
        False, "waiting for its operator to write status (12s of the 15s grace left)")
    assert cr_readiness(cr("Widget"), waited=16.0, grace=15) == (True, "no status conditions")
    assert cr_readiness(cr("InferenceService"), waited=16.0, grace=15) == (
        False, "its operator wrote no status within the 15s grace period")
    assert cr_readiness(cr("Widget"), waited=16.0, grace=15, schema=StatusSchema(True, True)) == (
        False, "its operator wrote no status within the 15s grace period")
    assert cr_readiness(cr("Widget"), waited=0.0, schema=StatusSchema(False, False)) == (
        True, "no status conditions (its CRD defines none)")


def _crd(schema: dict | None, subresources: dict | None = None) -> dict:
    v: dict = {"name": "v1", "storage": True, "served": True}
    if schema is not None:
        v["schema"] = {"openAPIV3Schema": schema}
    if subresources is not None:
        v["subresources"] = subresources
    return {"spec": {"versions": [v]}}


@pytest.mark.parametrize("crd, expected", [
    (_crd({"type": "object", "properties": {"status": {"type": "object", "properties": {
        "conditions": {"type": "array"}}}}}), StatusSchema(True, True)),
    (_crd({"type": "object", "properties": {"status": {"type": "object", "properties": {
        "phase": {"type": "string"}}}}}), StatusSchema(True, False)),
    (_crd({"type": "object", "properties": {"spec": {"type": "object"}}}), StatusSchema(False, False)),
    (_crd({"type": "object", "x-kubernetes-preserve-unknown-fields": True}, {"status": {}}), StatusSchema(True, None)),
    (_crd(None), StatusSchema()),
    (None, StatusSchema()),
])
def test_what_a_crd_says_about_status(crd: dict | None, expected: StatusSchema) -> None:
    assert status_schema(crd, "v1") == expected
