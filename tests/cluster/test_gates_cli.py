"""`kfctl apply` shows the readiness gates it waits for (stderr; -o json has them too) and --status-grace, as a
user runs it against the emulator's gate knobs."""

from __future__ import annotations

import json
import re

import pytest

from tests.emulator.gates import (WIDGET_CRD, crd, namespace, validating_webhook, webhook_deployment, webhook_service,
                                  widget)

KNOBS = dict(webhooks=True, endpoints="workloads", ready=2, require_ca_bundle=True, cert_controller=1,
             operator={"Widget": 2})
OBJECTS = [namespace(), WIDGET_CRD, webhook_deployment(), webhook_service(), validating_webhook(), widget("w1"),
           widget("w2")]
ENDPOINTS = "Service demo/widget-webhook has ready endpoints"
DEPLOYMENT = "Deployment demo/widget-controller is ready"
APPLIED = "ValidatingWebhookConfiguration widgets-validator is applied"
CA = "ValidatingWebhookConfiguration widgets-validator has a caBundle (its controller writes it)"
THREE = "Widget demo/w1, Widget demo/w2, ValidatingWebhookConfiguration widgets-validator"
TWO = "Widget demo/w1, Widget demo/w2"


def _component(cluster, objects: list[dict]) -> None:
    (cluster.app / "components" / "widgets.jsonnet").write_text(json.dumps(objects, indent=1))


@pytest.mark.emulator(**KNOBS)
def test_apply_says_which_gates_it_waits_for_and_a_dry_run_which_it_would(cluster) -> None:
    _component(cluster, OBJECTS)
    dry = cluster.kfctl("apply", "--dry-run", "--yes", check=0)
    assert dry.stderr.splitlines()[2:] == [
        "A real apply would wait for 4 gates:",
        f"  {APPLIED}, before {TWO}",
        f"  {ENDPOINTS}, before {THREE}",
        f"  {DEPLOYMENT}, before {THREE}",
        f"  {CA}, before {TWO}",
        "Dry run: 7 created"]
    assert cluster.emu.get("validatingwebhookconfiguration", "widgets-validator") is None

    res = cluster.kfctl("apply", "--wait", "--yes", check=0)
    lines = [re.sub(r"after \d+\.\ds", "after Ns", line) for line in res.stderr.splitlines()]
    assert lines[1:] == [
        f"waiting for: {ENDPOINTS} (3 objects wait: {THREE})",
        f"waiting for: {DEPLOYMENT} (3 objects wait: {THREE})",
        f"waiting for: {APPLIED} (2 objects wait: {TWO})",
        f"waiting for: {CA} (2 objects wait: {TWO})",
        "Created namespace ml",
        "Recorded revision 1 (kfctl history default)",
        f"gate open after Ns: {ENDPOINTS} (3 waited)",
        f"gate open after Ns: {DEPLOYMENT} (3 waited)",
        f"gate open after Ns: {APPLIED} (2 waited)",
        f"gate open after Ns: {CA} (2 waited)",
        "7 created"]
    assert [r.split()[-1] for r in res.stdout.splitlines()[2:] if r] == ["created"] * 7
    assert cluster.emu.get("widget", "w2", "demo")["status"]["conditions"][0]["type"] == "Ready"  # (waited for)

    # again, nothing changed: nothing is sent, so nothing waits for a gate (nor lists webhook configurations)
    cluster.emu.clear_requests()
    again = cluster.kfctl("apply", "--wait", "--yes", check=0)
    assert again.stderr.splitlines()[1:] == ["7 unchanged"]
    assert cluster.emu.writes() == []
    gate_reads = [r.path for r in cluster.emu.requests_matching("GET", "webhookconfigurations|apiservices|endpoint")
                  if "labelSelector" not in r.query]  # (apply's own labelled list per rendered kind is not one)
    assert gate_reads == []


# a kind whose CRD declares status.conditions: an operator that writes none leaves it not ready after the grace
GADGETS = crd("example.com", "Gadget", "gadgets")
GADGETS["spec"]["versions"][0]["schema"]["openAPIV3Schema"] = {"type": "object", "properties": {
    "spec": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
    "status": {"type": "object", "properties": {"conditions": {"type": "array", "items": {
        "type": "object", "x-kubernetes-preserve-unknown-fields": True}}}}}}


@pytest.mark.emulator(operator={"Gadget": "never"})
def test_status_grace_is_how_long_an_operator_gets_to_write_status(cluster) -> None:
    gadget = {"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": "g1", "namespace": "demo"},
              "spec": {"size": 1}}
    _component(cluster, [namespace(), GADGETS, gadget])
    bad = cluster.kfctl("apply", "--wait", "--status-grace", "soon", "--yes")
    assert (bad.exit_code, bad.stdout, bad.stderr) == (
        2, "", "error: --status-grace: invalid duration 'soon': use e.g. 30s, 5m, 1h30m\n")
    res = cluster.kfctl("apply", "--wait", "--status-grace", "0.5s", "--timeout", "3s", "--yes", "-o", "json")
    out = json.loads(res.stdout)
    assert (res.exit_code, out["ok"], out["summary"]) == (1, True, {"created": 3})
    assert out["notReady"] == [{"object": "Gadget demo/g1",
                                "reason": "its operator wrote no status within the 0.5s grace period"}]
