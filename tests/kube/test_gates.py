"""Readiness gates (kfctl.kube.gates) in apply, in-process against the emulator with its gate knobs: the order
the objects reach the server, per-object retries of webhook refusals, timeouts naming the gate, dry runs."""

from __future__ import annotations

import re
import time

import pytest

from kfctl.kube.apply import apply_render
from kfctl.render.model import Render, RenderedObject
from tests.emulator import Emulator
from tests.emulator.gates import (HOOK, NS, SVC, WIDGET_CRD, apiservice, certificate, crd, namespace,
                                  validating_webhook, webhook_deployment, webhook_service, widget)

GATE_KNOBS = dict(webhooks=True, endpoints="workloads", ready=2, require_ca_bundle=True, cert_controller=1)
VWC = "ValidatingWebhookConfiguration widgets-validator"
ENDPOINTS = f"Service {NS}/{SVC} has ready endpoints"
DEPLOYMENT = f"Deployment {NS}/widget-controller is ready"
APPLIED = f"{VWC} is applied"
CA = f"{VWC} has a caBundle (its controller writes it)"


@pytest.fixture
def kube(emu_kube):
    return emu_kube


def render_of(*objs: dict) -> Render:
    scopes = {(o["spec"]["group"], o["spec"]["names"]["kind"]): o["spec"].get("scope", "Namespaced") == "Namespaced"
              for o in objs if o["kind"] == "CustomResourceDefinition"}
    return Render("app", "dev", NS, [RenderedObject("c", o) for o in objs], crd_scopes=scopes)


def patches(emu: Emulator) -> list[str]:
    """The objects server-side applied, in order, as 'resource/name' (kfctl's state ConfigMap left out)."""
    out = []
    for r in emu.requests_matching("PATCH", ".*"):
        parts = r.path.split("/")
        if parts[-2] != "configmaps":
            out.append(f"{parts[-2]}/{parts[-1]}")
    return out


def within(message: str, deadline: float) -> str:
    """'... within 1.4s ...' -> '... within Ns ...', once checked that N is the time the gates had: from when
    apply_render started to the deadline (a little less than the deadline the test set, on a busy machine)."""
    (n,) = re.findall(r"within (\d+\.\d)s", message)
    assert deadline - 0.5 <= float(n) <= deadline, message
    return message.replace(f"within {n}s", "within Ns")


def platform() -> list[dict]:
    return [namespace(), WIDGET_CRD, webhook_deployment(), webhook_service(), validating_webhook(),
            widget("w1"), widget("w2")]


@pytest.mark.emulator(**GATE_KNOBS)
def test_backend_then_webhook_configuration_then_what_it_admits(kube, emulator: Emulator) -> None:
    """One pass: the Deployment and Service first, the webhook configuration once its endpoints are ready,
    the widgets once its controller wrote the caBundle — each object sent once."""
    report, _ = apply_render(kube, render_of(*platform()), deadline=time.monotonic() + 30)
    assert [(r.kind, r.name, r.action, r.error) for r in report.results] == [
        ("Namespace", NS, "created", None), ("CustomResourceDefinition", "widgets.example.com", "created", None),
        ("Service", SVC, "created", None), ("Deployment", "widget-controller", "created", None),
        ("ValidatingWebhookConfiguration", "widgets-validator", "created", None),
        ("Widget", "w1", "created", None), ("Widget", "w2", "created", None)]
    assert report.ok
    sent = patches(emulator)
    assert sent[:5] == ["namespaces/demo", "customresourcedefinitions/widgets.example.com", "services/widget-webhook",
                        "deployments/widget-controller", "validatingwebhookconfigurations/widgets-validator"]
    assert sorted(sent[5:]) == ["widgets/w1", "widgets/w2"]  # (in parallel), each once
    reqs = [(r.method, r.path) for r in emulator.requests]
    hook_applied = reqs.index(("PATCH", "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/"
                                        "widgets-validator"))
    deployment_reads = [i for i, r in enumerate(reqs) if r == ("GET", f"/apis/apps/v1/namespaces/{NS}/deployments/"
                                                                      "widget-controller")]
    assert len(deployment_reads) >= 2 and deployment_reads[1] < hook_applied  # ready on its 2nd read
    ca_reads = [i for i, r in enumerate(reqs) if r == ("GET", "/apis/admissionregistration.k8s.io/v1/"
                                                              "validatingwebhookconfigurations/widgets-validator")]
    first_widget = min(reqs.index(("PATCH", f"/apis/example.com/v1/namespaces/{NS}/widgets/{w}")) for w in ("w1", "w2"))
    assert ca_reads and hook_applied < ca_reads[0] < first_widget
    assert emulator.get("widget", "w1", NS) is not None
    gates = {g.gate: (g.state, sorted(g.objects)) for g in report.gates}
    assert gates == {ENDPOINTS: ("open", [VWC, "Widget demo/w1", "Widget demo/w2"]),
                     DEPLOYMENT: ("open", [VWC, "Widget demo/w1", "Widget demo/w2"]),
                     APPLIED: ("open", ["Widget demo/w1", "Widget demo/w2"]),
                     CA: ("open", ["Widget demo/w1", "Widget demo/w2"])}


@pytest.mark.emulator(**GATE_KNOBS)
def test_an_object_refused_by_its_webhook_is_retried_alone(kube, emulator: Emulator) -> None:
    """The webhook's endpoints were ready, but its server refused a connection a moment later: only that
    object is sent again, after the webhook's gates are open again; it is not reported as failed."""
    refusal = (f'Internal error occurred: failed calling webhook "{HOOK}": failed to call webhook: Post '
               f'"https://{SVC}.{NS}.svc:443/validate?timeout=10s": dial tcp 10.96.0.11:443: connect: connection refused')
    emulator.inject(method="PATCH", path=rf"/widgets/w1$", status=500, message=refusal, count=1)
    report, _ = apply_render(kube, render_of(*platform()), deadline=time.monotonic() + 30)
    assert report.ok and [(r.name, r.action) for r in report.results[-2:]] in (
        [("w2", "created"), ("w1", "created")], [("w1", "created"), ("w2", "created")])
    sent = patches(emulator)
    assert {p: sent.count(p) for p in sent} == {
        "namespaces/demo": 1, "customresourcedefinitions/widgets.example.com": 1, "services/widget-webhook": 1,
        "deployments/widget-controller": 1, "validatingwebhookconfigurations/widgets-validator": 1,
        "widgets/w1": 2, "widgets/w2": 1}  # no pass over everything again: w1 alone, once more
    assert sent[-1] == "widgets/w1"


@pytest.mark.emulator(webhooks=True, endpoints="workloads", ready="never")
def test_a_gate_that_never_opens_fails_what_waits_for_it_naming_the_gate(kube, emulator: Emulator) -> None:
    start = time.monotonic()
    report, _ = apply_render(kube, render_of(*platform()), deadline=start + 1.5)
    assert 1.5 <= time.monotonic() - start < 5
    why = (f"Service {NS}/{SVC} has no ready endpoints (Deployment {NS}/widget-controller is not ready: waiting for "
           "the controller to observe the new generation)")
    failed = {(r.kind, r.name): within(r.error, 1.5) for r in report.results if r.action == "failed"}
    assert failed == {
        ("ValidatingWebhookConfiguration", "widgets-validator"):
            f"{VWC}: not applied: its webhooks' backend was not ready within Ns (applied now, the API server "
            f"would refuse what they admit): {why}",
        ("Widget", "w1"): f'Widget demo/w1: not applied: webhook "{HOOK}" ({VWC}) admits it, and it was not ready '
                          f"within Ns: {why}",
        ("Widget", "w2"): f'Widget demo/w2: not applied: webhook "{HOOK}" ({VWC}) admits it, and it was not ready '
                          f"within Ns: {why}"}
    assert "widgets/w1" not in patches(emulator) and emulator.get("validatingwebhookconfiguration",
                                                                  "widgets-validator") is None
    states = {g.gate: (g.state, g.why) for g in report.gates}
    assert states[ENDPOINTS] == ("timed out", f"Service {NS}/{SVC} has no ready endpoints")
    assert states[DEPLOYMENT] == ("timed out", f"Deployment {NS}/widget-controller is not ready: waiting for the "
                                               "controller to observe the new generation")


@pytest.mark.emulator(webhooks=True, endpoints="workloads", ready="never")
def test_a_webhook_already_on_the_cluster_gates_what_it_intercepts(kube, emulator: Emulator) -> None:
    """Not in the render: found by the LIST at the start, its Service never ready; objects it does not
    intercept are applied, the one it does fails after the timeout without being sent."""
    for o in (namespace(), WIDGET_CRD, webhook_service(), webhook_deployment(), validating_webhook()):
        emulator.create(o)
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings", "namespace": NS}}
    report, _ = apply_render(kube, render_of(cm, widget("w1")), deadline=time.monotonic() + 1.0)
    assert [(r.kind, r.action) for r in report.results] == [("ConfigMap", "created"), ("Widget", "failed")]
    assert within(report.results[1].error, 1.0) == (
        f'Widget demo/w1: not applied: webhook "{HOOK}" ({VWC}) admits it, and it was not ready within Ns: '
        f"Service {NS}/{SVC} has no ready endpoints")
    assert patches(emulator) == [] and emulator.get("configmap", "settings", NS) is not None  # (w1 never sent)


@pytest.mark.emulator(webhooks=True, endpoints="workloads", ready=2, cert_controller=1)
def test_selectors_and_failure_policy_decide_what_is_gated(kube, emulator: Emulator) -> None:
    """namespaceSelector (the render's Namespace labels), objectSelector and failurePolicy Ignore: the objects
    the webhook does not see are applied without waiting for it."""
    ignore = validating_webhook("ignored", "ignore.widgets.example.com", failure_policy="Ignore")
    ignore["webhooks"][0]["clientConfig"]["service"]["name"] = "nowhere"
    by_label = validating_webhook(objectSelector={"matchLabels": {"size": "big"}},
                                  namespaceSelector={"matchExpressions": [
                                      {"key": "team", "operator": "NotIn", "values": ["skip"]}]})
    skipped_ns = namespace("other", labels={"team": "skip"})
    big = widget("big") | {"metadata": {"name": "big", "namespace": NS, "labels": {"size": "big"}}}
    small = widget("small")
    elsewhere = widget("big2", ns="other") | {"metadata": {"name": "big2", "namespace": "other",
                                                           "labels": {"size": "big"}}}
    report, _ = apply_render(kube, render_of(namespace(), skipped_ns, WIDGET_CRD, webhook_deployment(),
                                             webhook_service(), ignore, by_label, big, small, elsewhere),
                             deadline=time.monotonic() + 30)
    assert report.ok
    waited = {g.gate: sorted(g.objects) for g in report.gates}
    assert waited[APPLIED] == ["Widget demo/big"]  # not small (objectSelector), not other/big2 (namespaceSelector)
    assert "Service demo/nowhere has ready endpoints" not in waited  # failurePolicy Ignore: no gate
    order = patches(emulator)
    assert order.index("widgets/small") < order.index("validatingwebhookconfigurations/widgets-validator") < \
        order.index("widgets/big")


@pytest.mark.emulator(**GATE_KNOBS)
def test_dry_run_says_which_gates_a_real_apply_would_wait_for(kube, emulator: Emulator) -> None:
    emulator.create(namespace())
    emulator.create(WIDGET_CRD)
    emulator.clear_requests()
    report, _ = apply_render(kube, render_of(*platform()), dry_run=True)
    assert report.ok and report.dry_run
    assert [(r.kind, r.action) for r in report.results] == [
        ("Namespace", "unchanged"), ("CustomResourceDefinition", "unchanged"), ("Service", "created"),
        ("Deployment", "created"), ("Widget", "created"), ("Widget", "created"),
        ("ValidatingWebhookConfiguration", "created")]  # a dry run keeps the tiers: webhooks last
    assert {g.gate: (g.state, sorted(g.objects)) for g in report.gates} == {
        ENDPOINTS: ("would wait", [VWC, "Widget demo/w1", "Widget demo/w2"]),
        DEPLOYMENT: ("would wait", [VWC, "Widget demo/w1", "Widget demo/w2"]),
        APPLIED: ("would wait", ["Widget demo/w1", "Widget demo/w2"]),
        CA: ("would wait", ["Widget demo/w1", "Widget demo/w2"])}
    assert emulator.requests_matching("GET", "endpointslices|/endpoints") == []  # no gate read
    # (the dry run itself reads each object once, to tell created from configured; no gate reads them again)
    for path in ("deployments/widget-controller", "validatingwebhookconfigurations/widgets-validator"):
        assert len(emulator.requests_matching("GET", path + "$")) == 1
    assert emulator.writes() and all(w.param("dryRun") == "All" for w in emulator.writes())


@pytest.mark.emulator(webhooks=True, endpoints="workloads", ready=2, require_ca_bundle=True, ca_injector=1)
def test_cert_manager_injected_ca_gates_the_objects_and_names_its_source(kube, emulator: Emulator) -> None:
    """A webhook whose caBundle cert-manager injects from a Certificate of the render: the widgets wait for
    the injection, which waits for the Certificate (not intercepted: applied at once)."""
    certs = crd("cert-manager.io", "Certificate", "certificates")
    hook = validating_webhook(annotations={"cert-manager.io/inject-ca-from": f"{NS}/widget-serving-cert"})
    report, _ = apply_render(kube, render_of(namespace(), WIDGET_CRD, certs, webhook_deployment(), webhook_service(),
                                             hook, certificate(), widget("w1")), deadline=time.monotonic() + 30)
    assert report.ok, [r.error for r in report.results if r.error]
    gates = {g.gate: g.objects for g in report.gates}
    assert gates[f"{VWC} has a caBundle (cert-manager injects it from Certificate {NS}/widget-serving-cert)"] == [
        "Widget demo/w1"]
    order = patches(emulator)
    assert order.index("certificates/widget-serving-cert") < order.index("widgets/w1")
    vwc = emulator.get("validatingwebhookconfiguration", "widgets-validator")
    assert vwc["webhooks"][0]["clientConfig"]["caBundle"] == emulator.get("secret", "widget-webhook-tls",
                                                                          NS)["data"]["ca.crt"]


AGG = {"metrics.k8s.io/v1beta1": [{"name": "pods", "kind": "PodMetrics", "namespaced": True}]}


@pytest.mark.emulator(apiservices="endpoints", endpoints="workloads", ready=2, aggregated_resources=AGG)
def test_an_apiservice_is_available_before_its_api_is_used(kube, emulator: Emulator) -> None:
    dep = webhook_deployment("metrics-server", NS)
    dep["spec"]["template"]["spec"]["containers"][0]["ports"] = [{"name": "https", "containerPort": 10250}]
    svc = webhook_service("metrics-server", NS, app="metrics-server")
    svc["spec"]["ports"][0]["targetPort"] = "https"
    api = apiservice(ns=NS)
    metrics = {"apiVersion": "metrics.k8s.io/v1beta1", "kind": "PodMetrics", "metadata": {"name": "p", "namespace": NS}}
    report, _ = apply_render(kube, render_of(namespace(), dep, svc, api, metrics), deadline=time.monotonic() + 30)
    assert [(r.kind, r.action, r.error) for r in report.results][-2:] == [("APIService", "created", None),
                                                                          ("PodMetrics", "created", None)]
    assert {g.gate: (g.state, g.objects) for g in report.gates} == {  # (the Deployment behind its Service too)
        "Deployment demo/metrics-server is ready": ("open", ["PodMetrics demo/p"]),
        "APIService v1beta1.metrics.k8s.io is Available": ("open", ["PodMetrics demo/p"])}
    sent = patches(emulator)
    assert sent.index("apiservices/v1beta1.metrics.k8s.io") < sent.index("pods/p")  # (metrics.k8s.io/v1beta1 pods)

