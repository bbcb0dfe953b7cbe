"""Readiness-gate knobs through raw HTTP: webhook admission, endpoints, cert-manager CA injection, APIService
availability and discovery, an operator writing custom-resource status."""

from __future__ import annotations

import base64
import time

import pytest

from tests.emulator import Emulator
from tests.emulator.gates import (CERTIFICATE_CRD, HOOK, NO_ENDPOINTS, NS, SVC, UNKNOWN_CA, WIDGET_CRD,
                                  apiservice, certificate, metrics_service, mutating_webhook, namespace,
                                  ready_slice, validating_webhook, webhook_deployment, webhook_service, widget)
from tests.emulator.test_api import http

WIDGETS = f"/apis/example.com/v1/namespaces/{NS}/widgets"
VWC = "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations"


def raw_get(emu: Emulator, path: str) -> tuple[int, str, bytes]:
    import http.client as httplib
    conn = httplib.HTTPConnection("127.0.0.1", emu.port, timeout=5)
    conn.request("GET", path)
    r = conn.getresponse()
    out = (r.status, r.getheader("Content-Type"), r.read())
    conn.close()
    return out


def seed(emu: Emulator, *objs: dict) -> None:
    for o in objs:
        emu.create(o)


def webhook_error(body: dict, message: str) -> None:
    assert body == {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message,
                    "reason": "InternalError", "code": 500,
                    "details": {"causes": [{"message": message.removeprefix("Internal error occurred: ")}]}}


# ------------------------------------------------------------------------------------------------ webhooks

@pytest.mark.emulator(webhooks=True, endpoints="workloads", ready=2)
def test_webhook_refuses_until_its_service_has_ready_endpoints(emulator: Emulator) -> None:
    seed(emulator, namespace(), WIDGET_CRD, validating_webhook())
    status, body, _ = http(emulator, "POST", WIDGETS, widget())
    assert status == 500
    webhook_error(body, NO_ENDPOINTS.replace(f'no endpoints available for service "{SVC}"',
                                             f'service "{SVC}" not found'))
    seed(emulator, webhook_service(), webhook_deployment())
    for dry in ("", "?dryRun=All"):  # dry runs are admitted by webhooks too
        status, body, _ = http(emulator, "POST", WIDGETS + dry, widget())
        assert status == 500, dry
        webhook_error(body, NO_ENDPOINTS)
    # requests the rules do not match pass
    assert http(emulator, "POST", f"/api/v1/namespaces/{NS}/configmaps",
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}})[0] == 201
    # the Deployment becomes ready on its 2nd read; the endpoints controller then marks its address ready
    slice_ = emulator.objects("endpointslices", NS)[0]
    assert [e["conditions"]["ready"] for e in slice_["endpoints"]] == [False]
    http(emulator, "GET", f"/apis/apps/v1/namespaces/{NS}/deployments/widget-controller")
    http(emulator, "GET", f"/apis/apps/v1/namespaces/{NS}/deployments/widget-controller")
    slice_ = emulator.objects("endpointslices", NS)[0]
    assert [e["conditions"]["ready"] for e in slice_["endpoints"]] == [True]
    status, body, _ = http(emulator, "POST", WIDGETS, widget())
    assert status == 201, body
    assert emulator.get("widget", "w1", NS)["spec"] == {"size": 1}


@pytest.mark.emulator(webhooks=True)
def test_seeding_skips_admission(emulator: Emulator) -> None:
    seed(emulator, namespace(), WIDGET_CRD, validating_webhook(), widget())
    assert emulator.get("widget", "w1", NS) is not None
    assert http(emulator, "POST", WIDGETS, widget("w2"))[0] == 500


@pytest.mark.emulator(webhooks=True, require_ca_bundle=True)
def test_webhook_without_ca_bundle_fails_tls_until_it_has_one(emulator: Emulator) -> None:
    seed(emulator, namespace(), WIDGET_CRD, validating_webhook(), webhook_service(), ready_slice(SVC, NS))
    status, body, _ = http(emulator, "POST", WIDGETS, widget())
    assert status == 500
    webhook_error(body, UNKNOWN_CA)
    ca = base64.b64encode(b"-----BEGIN CERTIFICATE-----\n...").decode()
    status, _, _ = http(emulator, "PATCH", VWC + "/widgets-validator",
                        [{"op": "add", "path": "/webhooks/0/clientConfig/caBundle", "value": ca}],
                        "application/json-patch+json")
    assert status == 200  # webhook configurations are never intercepted themselves
    assert http(emulator, "POST", WIDGETS, widget())[0] == 201


@pytest.mark.emulator(webhooks=True, webhook_routing="clusterip")
def test_clusterip_routing_dials_the_service_ip(emulator: Emulator) -> None:
    seed(emulator, namespace(), WIDGET_CRD, validating_webhook(), webhook_service())
    ip = emulator.get("service", SVC, NS)["spec"]["clusterIP"]
    status, body, _ = http(emulator, "POST", WIDGETS, widget())
    assert status == 500
    webhook_error(body, NO_ENDPOINTS.replace(f'no endpoints available for service "{SVC}"',
                                             f"dial tcp {ip}:443: connect: connection refused"))
    emulator.create(ready_slice(SVC, NS))
    assert http(emulator, "POST", WIDGETS, widget())[0] == 201


@pytest.mark.emulator(webhooks=True)
def test_webhook_rules_selectors_and_failure_policy(emulator: Emulator) -> None:
    seed(emulator, namespace(), namespace("other", {"webhooks": "off"}), WIDGET_CRD, webhook_service(),
         validating_webhook(namespaceSelector={"matchExpressions": [{"key": "webhooks", "operator": "NotIn",
                                                                     "values": ["off"]}]},
                            objectSelector={"matchExpressions": [{"key": "skip", "operator": "DoesNotExist"}]}),
         validating_webhook("ignored", "ignore.widgets.example.com", failure_policy="Ignore",
                            rules=[{"operations": ["*"], "apiGroups": ["*"], "apiVersions": ["*"],
                                    "resources": ["*/*"]}]),
         mutating_webhook(rules=[{"operations": ["DELETE"], "apiGroups": [""], "apiVersions": ["v1"],
                                  "resources": ["secrets"], "scope": "Namespaced"}]))
    assert http(emulator, "POST", "/apis/example.com/v1/namespaces/other/widgets", widget(ns="other"))[0] == 201
    assert http(emulator, "POST", WIDGETS, widget("skipped") | {
        "metadata": {"name": "skipped", "namespace": NS, "labels": {"skip": "yes"}}})[0] == 201
    status, body, _ = http(emulator, "POST", WIDGETS, widget())
    assert status == 500 and f'failed calling webhook "{HOOK}"' in body["message"]
    # the status subresource is not in the rule ("widgets", not "widgets/*")
    assert http(emulator, "PATCH", WIDGETS + "/skipped/status", {"status": {"ok": True}},
                "application/merge-patch+json")[0] == 200
    # DELETE of a Secret meets the mutating webhook; creating one does not
    assert http(emulator, "POST", f"/api/v1/namespaces/{NS}/secrets",
                {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}})[0] == 201
    status, body, _ = http(emulator, "DELETE", f"/api/v1/namespaces/{NS}/secrets/s")
    assert status == 500 and body["message"].startswith(
        'Internal error occurred: failed calling webhook "default.widgets.example.com": failed to call webhook: '
        f'Post "https://{SVC}.{NS}.svc:443/mutate?timeout=10s"')
    assert emulator.get("secret", "s", NS) is not None


@pytest.mark.emulator(webhooks=True)
def test_mutating_webhooks_run_before_validation_validating_after(emulator: Emulator) -> None:
    bad = webhook_deployment()
    bad["spec"]["template"]["metadata"]["labels"] = {"app": "other"}
    apps_rule = [{"operations": ["CREATE"], "apiGroups": ["apps"], "apiVersions": ["v1"], "resources": ["*"]}]
    seed(emulator, namespace(), validating_webhook(rules=apps_rule))
    status, body, _ = http(emulator, "POST", f"/apis/apps/v1/namespaces/{NS}/deployments", bad)
    assert (status, body["reason"]) == (422, "Invalid")
    emulator.create(mutating_webhook(rules=apps_rule))
    status, body, _ = http(emulator, "POST", f"/apis/apps/v1/namespaces/{NS}/deployments", bad)
    assert (status, body["reason"]) == (500, "InternalError")


def test_webhooks_knob_off_admits_everything(emulator: Emulator) -> None:
    seed(emulator, namespace(), WIDGET_CRD, validating_webhook())
    assert http(emulator, "POST", WIDGETS, widget())[0] == 201


# ------------------------------------------------------------------------------------------------ endpoints

@pytest.mark.emulator(endpoints="workloads", ready="never")
def test_endpoints_controller_follows_workloads(emulator: Emulator) -> None:
    seed(emulator, namespace(), webhook_service(), webhook_deployment(replicas=2))
    (sl,) = emulator.objects("endpointslices", NS)
    svc = emulator.get("service", SVC, NS)
    assert sl["metadata"]["name"].startswith(f"{SVC}-") and len(sl["metadata"]["name"]) == len(SVC) + 6
    assert sl["metadata"]["labels"] == {"app.kubernetes.io/part-of": "widgets", "kubernetes.io/service-name": SVC,
                                        "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"}
    assert sl["metadata"]["ownerReferences"] == [{"apiVersion": "v1", "kind": "Service", "name": SVC,
                                                  "uid": svc["metadata"]["uid"], "controller": True,
                                                  "blockOwnerDeletion": True}]
    assert sl["ports"] == [{"name": "https", "port": 9443, "protocol": "TCP"}]
    assert [(e["conditions"], e["targetRef"]["name"].startswith("widget-controller-")) for e in sl["endpoints"]] \
        == [({"ready": False, "serving": False, "terminating": False}, True)] * 2
    assert [m["manager"] for m in sl["metadata"]["managedFields"]] == ["kube-controller-manager"]
    eps = emulator.get("endpoints", SVC, NS)
    assert [len(s.get("notReadyAddresses", [])) for s in eps["subsets"]] == [2] and "addresses" not in eps["subsets"][0]
    emulator.set_ready("immediate")
    http(emulator, "PATCH", f"/apis/apps/v1/namespaces/{NS}/deployments/widget-controller",
         {"metadata": {"labels": {"touch": "1"}}}, "application/merge-patch+json")
    (sl,) = emulator.objects("endpointslices", NS)
    assert [e["conditions"]["ready"] for e in sl["endpoints"]] == [True, True]
    assert len(emulator.get("endpoints", SVC, NS)["subsets"][0]["addresses"]) == 2
    http(emulator, "DELETE", f"/api/v1/namespaces/{NS}/services/{SVC}")
    assert emulator.objects("endpointslices", NS) == [] and emulator.get("endpoints", SVC, NS) is None


@pytest.mark.emulator(endpoints=2)
def test_endpoints_ready_after_reads_of_the_slices(emulator: Emulator) -> None:
    seed(emulator, namespace(), webhook_service())
    path = f"/apis/discovery.k8s.io/v1/namespaces/{NS}/endpointslices?labelSelector=kubernetes.io/service-name%3D{SVC}"
    first = http(emulator, "GET", path)[1]["items"][0]
    assert [e["conditions"]["ready"] for e in first["endpoints"]] == [False]
    second = http(emulator, "GET", path)[1]["items"][0]
    assert [e["conditions"]["ready"] for e in second["endpoints"]] == [True]


@pytest.mark.emulator(endpoints="0.3s")
def test_endpoints_ready_after_a_delay(emulator: Emulator) -> None:
    seed(emulator, namespace(), webhook_service())
    assert emulator.objects("endpointslices", NS)[0]["endpoints"][0]["conditions"]["ready"] is False
    time.sleep(0.35)
    http(emulator, "GET", "/version")  # any request runs expired timers
    assert emulator.objects("endpointslices", NS)[0]["endpoints"][0]["conditions"]["ready"] is True


# ------------------------------------------------------------------------------------------------ cainjector

@pytest.mark.emulator(ca_injector=2, webhooks=True, require_ca_bundle=True)
def test_cert_manager_issues_and_injects_the_ca(emulator: Emulator, tmp_path) -> None:
    ann = {"cert-manager.io/inject-ca-from": f"{NS}/widget-serving-cert"}
    seed(emulator, namespace(), WIDGET_CRD, CERTIFICATE_CRD, webhook_service(), ready_slice(SVC, NS),
         validating_webhook(annotations=ann))
    vwc_path = VWC + "/widgets-validator"
    assert "caBundle" not in http(emulator, "GET", vwc_path)[1]["webhooks"][0]["clientConfig"]
    webhook_error(http(emulator, "POST", WIDGETS, widget())[1], UNKNOWN_CA)
    emulator.create(certificate())
    secret = emulator.get("secret", "widget-webhook-tls", NS)
    assert secret["type"] == "kubernetes.io/tls" and set(secret["data"]) == {"tls.crt", "tls.key", "ca.crt"}
    assert base64.b64decode(secret["data"]["ca.crt"]).startswith(b"-----BEGIN CERTIFICATE-----")
    assert secret["metadata"]["annotations"]["cert-manager.io/certificate-name"] == "widget-serving-cert"
    cert = emulator.get("certificate", "widget-serving-cert", NS)
    assert [(c["type"], c["status"], c["message"]) for c in cert["status"]["conditions"]] == [
        ("Ready", "True", "Certificate is up to date and has not expired")]
    # injected on the 2nd read after the CA became readable
    assert "caBundle" not in http(emulator, "GET", vwc_path)[1]["webhooks"][0]["clientConfig"]
    vwc = http(emulator, "GET", vwc_path)[1]
    assert vwc["webhooks"][0]["clientConfig"]["caBundle"] == secret["data"]["ca.crt"]
    assert [(m["manager"], m["operation"]) for m in vwc["metadata"]["managedFields"]] == [
        ("emulator-seed", "Update"), ("cainjector", "Update")]
    assert http(emulator, "POST", WIDGETS, widget())[0] == 201
    # a server-side apply that leaves caBundle out keeps the injected one
    status, out, _ = http(emulator, "PATCH", vwc_path + "?fieldManager=kfctl&force=true",
                          validating_webhook(annotations=ann), "application/apply-patch+yaml")
    assert status == 200 and out["webhooks"][0]["clientConfig"]["caBundle"] == secret["data"]["ca.crt"]


@pytest.mark.emulator(ca_injector="immediate")
def test_ca_injection_into_apiservices_and_conversion_webhooks(emulator: Emulator) -> None:
    seed(emulator, namespace(), CERTIFICATE_CRD, certificate())
    ca = emulator.get("secret", "widget-webhook-tls", NS)["data"]["ca.crt"]
    conv = {"strategy": "Webhook", "webhook": {"conversionReviewVersions": ["v1"], "clientConfig": {
        "service": {"name": SVC, "namespace": NS, "path": "/convert"}}}}
    from tests.emulator.gates import crd
    seed(emulator, crd("example.com", "Gadget", "gadgets", conversion=conv) | {"metadata": {
        "name": "gadgets.example.com", "annotations": {"cert-manager.io/inject-ca-from": f"{NS}/widget-serving-cert"}}},
        apiservice() | {"metadata": {"name": "v1beta1.metrics.k8s.io", "annotations": {
            "cert-manager.io/inject-ca-from": f"{NS}/widget-serving-cert"}}})
    assert emulator.get("crd", "gadgets.example.com")["spec"]["conversion"]["webhook"]["clientConfig"]["caBundle"] == ca
    assert emulator.get("apiservice", "v1beta1.metrics.k8s.io")["spec"]["caBundle"] == ca
    # from a Secret: only with the allow-direct-injection annotation
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "ca", "namespace": NS},
              "data": {"ca.crt": base64.b64encode(b"direct").decode()}}
    seed(emulator, secret, validating_webhook("direct", annotations={"cert-manager.io/inject-ca-from-secret": f"{NS}/ca"}))
    assert "caBundle" not in emulator.get("validatingwebhookconfiguration", "direct")["webhooks"][0]["clientConfig"]
    http(emulator, "PATCH", f"/api/v1/namespaces/{NS}/secrets/ca",
         {"metadata": {"annotations": {"cert-manager.io/allow-direct-injection": "true"}}}, "application/merge-patch+json")
    assert emulator.get("validatingwebhookconfiguration", "direct")["webhooks"][0]["clientConfig"]["caBundle"] == \
        secret["data"]["ca.crt"]


@pytest.mark.emulator(ca_injector="immediate", endpoints="workloads", ready=2, webhooks=True, require_ca_bundle=True)
def test_cert_manager_webhook_creates_its_own_ca_secret_once_ready(emulator: Emulator) -> None:
    dep = webhook_deployment()
    dep["spec"]["template"]["spec"]["containers"][0]["args"] = [
        "--secure-port=10250", "--dynamic-serving-ca-secret-namespace=$(POD_NAMESPACE)",
        "--dynamic-serving-ca-secret-name=widget-webhook-ca"]
    ann = {"cert-manager.io/inject-ca-from-secret": f"{NS}/widget-webhook-ca"}
    seed(emulator, namespace(), WIDGET_CRD, webhook_service(), dep, validating_webhook(annotations=ann))
    assert emulator.get("secret", "widget-webhook-ca", NS) is None  # not before the webhook runs
    webhook_error(http(emulator, "POST", WIDGETS, widget())[1], NO_ENDPOINTS)
    for _ in range(2):  # ready on its 2nd read: the webhook writes its CA, the cainjector injects it
        http(emulator, "GET", f"/apis/apps/v1/namespaces/{NS}/deployments/widget-controller")
    secret = emulator.get("secret", "widget-webhook-ca", NS)
    assert (secret["type"], secret["metadata"]["annotations"], sorted(secret["data"])) == (
        "kubernetes.io/tls", {"cert-manager.io/allow-direct-injection": "true"}, ["ca.crt", "tls.crt", "tls.key"])
    assert [m["manager"] for m in secret["metadata"]["managedFields"]] == ["widget-controller"]
    hook = emulator.get("validatingwebhookconfiguration", "widgets-validator")["webhooks"][0]
    assert hook["clientConfig"]["caBundle"] == secret["data"]["ca.crt"]
    assert http(emulator, "POST", WIDGETS, widget())[0] == 201


@pytest.mark.emulator(cert_controller=2, endpoints="workloads", ready=2, webhooks=True, require_ca_bundle=True)
def test_controllers_write_their_own_ca_bundle_once_they_run(emulator: Emulator) -> None:
    managed = validating_webhook("managed", "validate.managed.example.com",
                                 annotations={"cert-manager.io/inject-ca-from": f"{NS}/some-cert"},
                                 rules=[{"operations": ["CREATE"], "apiGroups": ["example.com"], "apiVersions": ["v1"],
                                         "resources": ["gadgets"]}])
    seed(emulator, namespace(), WIDGET_CRD, webhook_service(), webhook_deployment(), validating_webhook(), managed)
    vwc_path = VWC + "/widgets-validator"
    webhook_error(http(emulator, "POST", WIDGETS, widget())[1], NO_ENDPOINTS)
    for _ in range(4):  # reads before the controller runs do not count
        assert "caBundle" not in http(emulator, "GET", vwc_path)[1]["webhooks"][0]["clientConfig"]
    for _ in range(2):
        http(emulator, "GET", f"/apis/apps/v1/namespaces/{NS}/deployments/widget-controller")
    webhook_error(http(emulator, "POST", WIDGETS, widget())[1], UNKNOWN_CA)
    assert "caBundle" not in http(emulator, "GET", vwc_path)[1]["webhooks"][0]["clientConfig"]  # 1st read
    vwc = http(emulator, "GET", vwc_path)[1]  # 2nd read: written
    assert base64.b64decode(vwc["webhooks"][0]["clientConfig"]["caBundle"]).startswith(b"-----BEGIN CERTIFICATE")
    assert [(m["manager"], m["operation"]) for m in vwc["metadata"]["managedFields"]] == [
        ("emulator-seed", "Update"), ("cert-rotator", "Update")]
    assert http(emulator, "POST", WIDGETS, widget())[0] == 201
    for _ in range(3):  # a configuration cert-manager injects is not the controller's
        assert "caBundle" not in emulator.get("validatingwebhookconfiguration", "managed")["webhooks"][0]["clientConfig"]
        http(emulator, "GET", VWC + "/managed")


# ------------------------------------------------------------------------------------------------ APIServices

AGG = {"metrics.k8s.io/v1beta1": [{"name": "pods", "kind": "PodMetrics", "namespaced": True}]}
ACCEPT_V2 = {"Accept": "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"}


def available(emu: Emulator, name: str = "v1beta1.metrics.k8s.io") -> tuple[str, str, str]:
    (c,) = emu.get("apiservice", name)["status"]["conditions"]
    return c["status"], c["reason"], c["message"]


@pytest.mark.emulator(apiservices="endpoints", aggregated_resources=AGG)
def test_apiservice_available_only_with_ready_endpoints(emulator: Emulator) -> None:
    emulator.create(apiservice())
    assert available(emulator) == ("False", "ServiceNotFound", 'service/metrics-server in "kube-system" is not present')
    groups = http(emulator, "GET", "/apis")[1]["groups"]
    assert {"name": "metrics.k8s.io", "versions": [{"groupVersion": "metrics.k8s.io/v1beta1", "version": "v1beta1"}],
            "preferredVersion": {"groupVersion": "metrics.k8s.io/v1beta1", "version": "v1beta1"}} in groups
    unavailable = (503, "text/plain; charset=utf-8", b"service unavailable\n")
    assert raw_get(emulator, "/apis/metrics.k8s.io/v1beta1") == unavailable
    assert raw_get(emulator, "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods") == unavailable
    agg = http(emulator, "GET", "/apis", headers=ACCEPT_V2)[1]
    assert next(i for i in agg["items"] if i["metadata"]["name"] == "metrics.k8s.io")["versions"] == [
        {"version": "v1beta1", "freshness": "Stale"}]
    emulator.create(metrics_service())
    assert available(emulator) == ("False", "EndpointsNotFound",
                                   'cannot find endpointslices for service/metrics-server in "kube-system"')
    emulator.create(ready_slice("metrics-server", "kube-system", ready=False))
    assert available(emulator) == ("False", "MissingEndpoints", 'endpointslices for service/metrics-server in '
                                   '"kube-system" have no addresses with port name "https"')
    http(emulator, "PUT", "/apis/discovery.k8s.io/v1/namespaces/kube-system/endpointslices/metrics-server-manual",
         ready_slice("metrics-server", "kube-system"))
    assert available(emulator) == ("True", "Passed", "all checks passed")
    status, doc, _ = http(emulator, "GET", "/apis/metrics.k8s.io/v1beta1")
    assert (status, [r["name"] for r in doc["resources"]]) == (200, ["pods"])
    agg = http(emulator, "GET", "/apis", headers=ACCEPT_V2)[1]
    (v,) = next(i for i in agg["items"] if i["metadata"]["name"] == "metrics.k8s.io")["versions"]
    assert (v["freshness"], [r["resource"] for r in v["resources"]]) == ("Current", ["pods"])
    assert http(emulator, "GET", "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods")[1]["kind"] == "PodMetricsList"


@pytest.mark.emulator(apiservices=2)
def test_apiservice_available_after_reads_and_local_ones(emulator: Emulator) -> None:
    seed(emulator, metrics_service(), apiservice(), apiservice("apps", "v1", service=None))
    assert available(emulator, "v1.apps") == ("True", "Local", "Local APIServices are always available")
    ip = emulator.get("service", "metrics-server", "kube-system")["spec"]["clusterIP"]
    url = f"https://{ip}:443/apis/metrics.k8s.io/v1beta1"
    path = "/apis/apiregistration.k8s.io/v1/apiservices/v1beta1.metrics.k8s.io"
    (c,) = http(emulator, "GET", path)[1]["status"]["conditions"]
    assert (c["status"], c["reason"], c["message"]) == (
        "False", "FailedDiscoveryCheck",
        f'failing or missing response from {url}: Get "{url}": dial tcp {ip}:443: connect: connection refused')
    (c,) = http(emulator, "GET", path)[1]["status"]["conditions"]
    assert (c["status"], c["reason"]) == ("True", "Passed")
    status, doc, _ = http(emulator, "GET", "/apis/metrics.k8s.io/v1beta1")
    assert (status, doc["resources"]) == (200, [])


def test_apiservices_available_immediately_by_default(emulator: Emulator) -> None:
    emulator.create(apiservice())
    assert available(emulator) == ("True", "Passed", "all checks passed")


# ------------------------------------------------------------------------------------------------ operator

@pytest.mark.emulator(operator={"Widget": 2})
def test_operator_writes_status_after_reads_per_generation(emulator: Emulator) -> None:
    seed(emulator, namespace(), WIDGET_CRD)
    assert "status" not in http(emulator, "POST", WIDGETS, widget())[1]
    assert "status" not in http(emulator, "GET", WIDGETS + "/w1")[1]
    w = http(emulator, "GET", WIDGETS + "/w1")[1]
    (cond,) = w["status"]["conditions"]
    assert w["status"]["observedGeneration"] == 1
    assert {k: v for k, v in cond.items() if k != "lastTransitionTime"} == {
        "type": "Ready", "status": "True", "reason": "Reconciled", "message": "Widget is ready",
        "observedGeneration": 1}
    assert [(m["manager"], m.get("subresource")) for m in w["metadata"]["managedFields"]] == [
        ("Python-urllib", None), ("widget-operator", "status")]
    w = http(emulator, "PATCH", WIDGETS + "/w1", {"spec": {"size": 2}}, "application/merge-patch+json")[1]
    assert (w["metadata"]["generation"], w["status"]["observedGeneration"]) == (2, 1)  # stale until it reconciles
    http(emulator, "GET", WIDGETS + "/w1")
    w = http(emulator, "GET", WIDGETS)[1]["items"][0]  # a LIST that returns it is a read too
    assert (w["status"]["observedGeneration"], w["status"]["conditions"][0]["observedGeneration"]) == (2, 2)


@pytest.mark.emulator(operator={"Widget": {"after": "0.2s", "conditions": ["Available", "Ready"],
                                           "status": "False", "reason": "ImagePullBackOff",
                                           "message": "Back-off pulling image"}})
def test_operator_after_a_delay_with_failing_conditions(emulator: Emulator) -> None:
    seed(emulator, namespace(), WIDGET_CRD, widget())
    assert "status" not in http(emulator, "GET", WIDGETS + "/w1")[1]
    time.sleep(0.25)
    w = http(emulator, "GET", WIDGETS + "/w1")[1]
    assert [(c["type"], c["status"], c["reason"], c["message"]) for c in w["status"]["conditions"]] == [
        ("Available", "False", "ImagePullBackOff", "Back-off pulling image"),
        ("Ready", "False", "ImagePullBackOff", "Back-off pulling image")]


def test_bad_knob_values_are_refused() -> None:
    with pytest.raises(ValueError, match=r"operator\['Widget'\]: '2 reads' is not"):
        Emulator(operator={"Widget": "2 reads"})
    with pytest.raises(ValueError, match="cert_controller: 'soon' is not"):
        Emulator(cert_controller="soon")
    with pytest.raises(ValueError, match="webhook_routing: 'dns' is not"):
        Emulator(webhooks=True, webhook_routing="dns")
