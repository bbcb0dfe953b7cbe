"""--wait on custom resources (issue 15 item 8), in-process against the emulator's operator knob: conditions of
the current generation only, a grace period for the operator to write status, the controllers first."""

from __future__ import annotations

import copy
import time

import pytest

from kfctl.kube.apply import apply_render
from kfctl.kube.wait import WaitItem, wait_ready
from kfctl.render.model import Render, RenderedObject
from tests.emulator import Emulator
from tests.emulator.gates import NS, WIDGET_CRD, crd, namespace, webhook_deployment, widget

# a kind whose CRD says its status has conditions: an operator is expected to write them
GADGET_CRD = crd("example.com", "Gadget", "gadgets")
GADGET_CRD["spec"]["versions"][0]["schema"]["openAPIV3Schema"] = {
    "type": "object", "properties": {
        "spec": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
        "status": {"type": "object", "properties": {
            "observedGeneration": {"type": "integer"},
            "conditions": {"type": "array", "items": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}}}}}


def gadget(name: str = "g1") -> dict:
    return {"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": name, "namespace": NS},
            "spec": {"size": 1}}


@pytest.fixture
def kube(emu_kube):
    return emu_kube


def render_of(*objs: dict) -> Render:
    scopes = {(o["spec"]["group"], o["spec"]["names"]["kind"]): True for o in objs
              if o["kind"] == "CustomResourceDefinition"}
    return Render("app", "dev", NS, [RenderedObject("c", o) for o in objs], crd_scopes=scopes)


def crds_of(*objs: dict) -> dict:
    return {(o["spec"]["group"], o["spec"]["names"]["kind"]): o for o in objs if o["kind"] == "CustomResourceDefinition"}


def apply_and_wait(kube, objs, *, grace: float = 15.0, timeout: float = 10.0):
    """Apply, then wait; returns (items, {name: [the distinct reasons it had, in order]})."""
    report, disco = apply_render(kube, render_of(*objs), deadline=time.monotonic() + 30)
    assert report.ok, [r.error for r in report.results if r.error]
    seen: dict[str, list[str]] = {}

    def on_update(items: list[WaitItem]) -> None:
        for it in items:
            reasons = seen.setdefault(it.result.name, [])
            if not reasons or reasons[-1] != it.reason:
                reasons.append(it.reason)

    items = wait_ready(kube, disco, report.results, timeout=timeout, interval=0.05, on_update=on_update,
                       crds=crds_of(*objs), grace=grace)
    crds = [it for it in items if it.result.kind == "CustomResourceDefinition"]
    assert crds and all(it.ready and it.reason == "established" for it in crds)
    return [it for it in items if it not in crds], seen


def _no_countdown(reasons: list[str]) -> list[str]:
    """'... (14s of the 15s grace left)' -> '... (grace left)': the seconds depend on the machine's speed."""
    import re
    return list(dict.fromkeys(re.sub(r"\(\d+s of the ([\d.]+)s grace left\)", r"(grace of \1s)", r) for r in reasons))


@pytest.mark.emulator(operator={"Widget": 3})
def test_a_custom_resource_waits_for_its_operator_then_for_the_current_generation(kube, emulator: Emulator) -> None:
    items, seen = apply_and_wait(kube, [namespace(), WIDGET_CRD, widget("w1")])
    assert [(it.result.kind, it.ready, it.reason) for it in items] == [("Widget", True, "Ready")]
    assert _no_countdown(seen["w1"]) == ["waiting for its operator to write status (grace of 15s)", "Ready"]
    live = emulator.get("widget", "w1", NS)
    assert live["metadata"]["generation"] == 1 and live["status"]["observedGeneration"] == 1

    # a new spec: the Ready=True of generation 1 does not count for generation 2
    changed = widget("w1", size=2)
    items, seen = apply_and_wait(kube, [namespace(), WIDGET_CRD, changed])
    assert [(it.result.action, it.ready, it.reason) for it in items] == [("configured", True, "Ready")]
    assert seen["w1"] == ["waiting for its operator to observe generation 2 (status is of generation 1)", "Ready"]
    assert emulator.get("widget", "w1", NS)["status"]["observedGeneration"] == 2


@pytest.mark.emulator(operator={"Widget": "never", "Gadget": "never"})
def test_after_the_grace_period_a_kind_with_conditions_is_not_ready_and_one_without_is(kube,
                                                                                     emulator: Emulator) -> None:
    """No operator writes anything: the Gadget (its CRD declares status.conditions) is not ready once the grace
    is over; the Widget (a CRD that says nothing about conditions) counts as ready then; a CRD without a
    status subresource or schema ready at once."""
    plain = crd("example.com", "Doohickey", "doohickeys", status=False)
    plain["spec"]["versions"][0]["schema"]["openAPIV3Schema"] = {
        "type": "object", "properties": {"spec": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}}
    thing = {"apiVersion": "example.com/v1", "kind": "Doohickey", "metadata": {"name": "d1", "namespace": NS},
             "spec": {"a": 1}}
    start = time.monotonic()
    items, seen = apply_and_wait(kube, [namespace(), WIDGET_CRD, GADGET_CRD, plain, widget("w1"), gadget(), thing],
                                 grace=0.6, timeout=2.0)
    assert {it.result.name: (it.ready, it.reason) for it in items} == {
        "w1": (True, "no status conditions"),
        "g1": (False, "its operator wrote no status within the 0.6s grace period"),
        "d1": (True, "no status conditions (its CRD defines none)")}
    assert seen["d1"] == ["no status conditions (its CRD defines none)"]  # never waited for
    assert _no_countdown(seen["g1"]) == ["waiting for its operator to write status (grace of 0.6s)",
                                         "its operator wrote no status within the 0.6s grace period"]
    assert time.monotonic() - start >= 2.0  # the Gadget kept the wait going until the timeout


@pytest.mark.emulator(operator={"Widget": {"conditions": ["Failed"], "reason": "Crashed",
                                           "message": "size 1 is too small"}})
def test_a_failed_condition_ends_the_wait_at_once(kube, emulator: Emulator) -> None:
    start = time.monotonic()
    items, _ = apply_and_wait(kube, [namespace(), WIDGET_CRD, widget("w1")], timeout=20)
    assert [(it.ready, it.reason, it.result.error) for it in items] == [
        (False, "failed: size 1 is too small", "failed: size 1 is too small")]
    assert time.monotonic() - start < 10


@pytest.mark.emulator(ready=4, operator={"Widget": "immediate"})
def test_the_controllers_are_waited_for_before_their_custom_resources(kube, emulator: Emulator) -> None:
    """The Deployment becomes ready on its 4th read; the Widget is not read before that, and says why."""
    dep = webhook_deployment()
    emulator.clear_requests()
    items, seen = apply_and_wait(kube, [namespace(), WIDGET_CRD, dep, widget("w1")])
    assert [(it.result.kind, it.ready, it.reason) for it in items] == [
        ("Deployment", True, "1/1 available"), ("Widget", True, "Ready")]
    assert seen["w1"] == ["waiting for its controllers first: Deployment demo/widget-controller", "Ready"]
    reqs = [(r.method, r.path) for r in emulator.requests]
    dep_reads = [i for i, r in enumerate(reqs) if r == ("GET", f"/apis/apps/v1/namespaces/{NS}/deployments/"
                                                                "widget-controller")]
    widget_reads = [i for i, r in enumerate(reqs) if r == ("GET", f"/apis/example.com/v1/namespaces/{NS}/widgets/w1")]
    assert len(dep_reads) >= 2 and widget_reads and dep_reads[-1] < widget_reads[0]
    assert copy.deepcopy(emulator.get("widget", "w1", NS))["status"]["conditions"][0]["type"] == "Ready"
