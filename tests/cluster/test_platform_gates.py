"""Issue 15's "done when": the whole kubeflow-platform comes up in ONE `kfctl apply --wait` on an emulator whose
webhooks refuse admission until their backends run and their CAs are injected — while plain
`kubectl apply --server-side` of the same objects fails, pass after pass (Kubeflow's own installer loops)."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
import yaml

from tests.emulator.kubectl import runner

# webhooks refuse until their Service has a ready endpoint (a Deployment is ready on its 2nd read) and, with
# require_ca_bundle, until a caBundle is set: cert-manager injects KServe's and its own (ca_injector), Kueue,
# Katib, the training operator, JobSet and Trainer write their own (cert_controller); cert-manager marks its
# Issuers Ready (operator)
KNOBS = dict(webhooks=True, endpoints="workloads", ready=2, require_ca_bundle=True, ca_injector=1,
             cert_controller=1, apiservices="endpoints", operator={"Issuer": 2})

CERT_MANAGER = "ValidatingWebhookConfiguration cert-manager-webhook"
KSERVE_RUNTIMES = "ValidatingWebhookConfiguration clusterservingruntime.serving.kserve.io"
RUNTIMES = [f"ClusterServingRuntime kserve-{r}" for r in (
    "autogluonserver", "huggingfaceserver", "huggingfaceserver-multinode", "lgbserver", "mlserver", "paddleserver",
    "pmmlserver", "predictiveserver", "sklearnserver", "tensorflow-serving", "torchserve", "tritonserver",
    "vllmserver", "xgbserver")]
ISSUER_CERT = ["Certificate kserve/serving-cert", "Issuer kserve/selfsigned-issuer"]


KSERVE_HOOKS = ["MutatingWebhookConfiguration inferenceservice.serving.kserve.io", KSERVE_RUNTIMES] + [
    f"ValidatingWebhookConfiguration {n}.serving.kserve.io"
    for n in ("inferencegraph", "inferenceservice", "servingruntime", "trainedmodel")]


def _pair(name: str) -> list[str]:
    return [f"MutatingWebhookConfiguration {name}", f"ValidatingWebhookConfiguration {name}"]


def _backend(ns: str, svc: str, deployment: str, objects: list[str]) -> dict[str, list[str]]:
    return {f"Service {ns}/{svc} has ready endpoints": objects, f"Deployment {ns}/{deployment} is ready": objects}


# every gate the apply waited for (in the order it first did) and what waited for it: the webhook
# configurations for their backends, cert-manager's Issuer and Certificate and KServe's runtimes for the
# webhooks that admit them and the CAs cert-manager injects into those
GATES = {
    **_backend("cert-manager", "cert-manager-webhook", "cert-manager-webhook", ISSUER_CERT + _pair("cert-manager-webhook")),
    **_backend("kubeflow-system", "kubeflow-trainer-controller-manager", "kubeflow-trainer-controller-manager",
               ["MutatingWebhookConfiguration defaulter.trainer.kubeflow.org",
                "ValidatingWebhookConfiguration validator.trainer.kubeflow.org"]),
    **_backend("kserve", "kserve-webhook-server-service", "kserve-controller-manager", KSERVE_HOOKS + RUNTIMES),
    **_backend("kubeflow-system", "jobset-webhook-service", "jobset-controller-manager",
               ["MutatingWebhookConfiguration jobset-mutating-webhook-configuration",
                "ValidatingWebhookConfiguration jobset-validating-webhook-configuration"]),
    **_backend("kubeflow", "katib-controller", "katib-controller", _pair("katib.kubeflow.org")),
    **_backend("kueue-system", "kueue-webhook-service", "kueue-controller-manager",
               ["MutatingWebhookConfiguration kueue-mutating-webhook-configuration",
                "ValidatingWebhookConfiguration kueue-validating-webhook-configuration"]),
    **_backend("kubeflow", "training-operator", "training-operator",
               ["ValidatingWebhookConfiguration validator.training-operator.kubeflow.org"]),
    f"{CERT_MANAGER} is applied": ISSUER_CERT,
    f"{CERT_MANAGER} has a caBundle (cert-manager injects it from Secret cert-manager/cert-manager-webhook-ca)":
        ISSUER_CERT,
    f"{KSERVE_RUNTIMES} is applied": RUNTIMES,
    f"{KSERVE_RUNTIMES} has a caBundle (cert-manager injects it from Certificate kserve/serving-cert)": RUNTIMES,
}


@pytest.mark.emulator(**KNOBS)
def test_kubeflow_platform_in_one_kfctl_apply_and_not_in_one_kubectl_pass(cluster, emulator_factory, tmp_path):
    k = cluster.kfctl
    k("generate", "kubeflow-platform", "platform", "--trainer=true", check=0)
    shown = k("show", "-o", "yaml", check=0).stdout
    rendered = [d for d in yaml.load_all(shown, Loader=yaml.CSafeLoader) if d]
    n = len(rendered)

    res = k("apply", "--wait", "--timeout", "120s", "--yes", "-o", "json", check=0)
    out = json.loads(res.stdout)
    assert (out["ok"], out["summary"], out["notReady"], out["namespaceCreated"]) == (True, {"created": n}, [], "ml")
    assert sorted((o["kind"], o["namespace"] or "", o["name"]) for o in out["objects"]) == sorted(
        (d["kind"], d["metadata"].get("namespace", ""), d["metadata"]["name"]) for d in rendered)
    # no whole-pass retry, no per-object retry either: every object was sent exactly once (and the env's
    # namespace ml, which apply creates; kfctl's state record and revision left out)
    order = [r.path for r in cluster.emu.requests_matching("PATCH")
             if not re.search("/configmaps/kfctl-demo-default$|/secrets/kfctl-demo-default-rev-1$", r.path)]
    assert len(order) == len(set(order)) == n + 1 and "/api/v1/namespaces/ml" in order
    # the gates: which waited for what, all open
    gates = {g["gate"]: (g["state"], sorted(g["objects"])) for g in out["gates"]}
    assert gates == {gate: ("open", sorted(objs)) for gate, objs in GATES.items()}
    said = [line for line in res.stderr.splitlines() if line.startswith("waiting for: ")]
    assert [re.sub(r" \(\d+ objects? waits?: .*\)$", "", line) for line in said] == [
        "waiting for: " + g for g in GATES]
    # the order the gates imply, as sent: a webhook configuration after its backend, what it admits after it

    def at(suffix: str) -> int:
        (i,) = [i for i, p in enumerate(order) if p.endswith(suffix)]
        return i
    assert at("/deployments/cert-manager-webhook") < at("/validatingwebhookconfigurations/cert-manager-webhook") < \
        at("/issuers/selfsigned-issuer")
    assert at("/certificates/serving-cert") < at("/clusterservingruntimes/kserve-sklearnserver")
    live = cluster.emu.get("validatingwebhookconfiguration", "clusterservingruntime.serving.kserve.io")
    assert live["webhooks"][0]["clientConfig"]["caBundle"]  # cert-manager injected it before the runtimes went

    # the same objects, plain kubectl, a fresh cluster with the same knobs: pass 1 fails on the custom resources
    # (their CRDs are created in that very pass), pass 2 on the webhooks: nothing ran them yet
    (tmp_path / "kubectl").mkdir()
    kubectl = runner(emulator_factory(**KNOBS), tmp_path / "kubectl")
    first = kubectl("apply", "--server-side", "-f", "-", stdin=shown, timeout=180)
    defined = {(d["spec"]["group"], d["spec"]["names"]["kind"]) for d in rendered
               if d["kind"] == "CustomResourceDefinition"}
    crs = [d for d in rendered if (d["apiVersion"].rpartition("/")[0], d["kind"]) in defined]
    assert first.code == 1
    assert Counter(re.findall(r'no matches for kind "([^"]+)"', first.err)) == Counter(d["kind"] for d in crs) == {
        "ClusterServingRuntime": len(RUNTIMES), "Certificate": 1, "Issuer": 1, "ClusterStorageContainer": 1}
    assert all(line.startswith("resource mapping not found for name: ") or line == "ensure CRDs are installed first"
               for line in first.err.splitlines())
    second = kubectl("apply", "--server-side", "-f", "-", stdin=shown, timeout=180)
    assert second.code == 1
    refused = Counter(re.findall(r'failed calling webhook "([^"]+)"', second.err))
    assert refused == {"clusterservingruntime.kserve-webhook-server.validator": len(RUNTIMES),
                       "webhook.cert-manager.io": len(ISSUER_CERT),
                       # Kueue's Deployment webhook, created in pass 1, now admits the Deployments outside its
                       # own namespace (namespaceSelector), whose Pods Kueue may queue
                       "mdeployment.kb.io": len([d for d in rendered if d["kind"] == "Deployment" and
                                                 d["metadata"]["namespace"] not in ("kueue-system", "kube-system")])}
    assert all(line.startswith("Error from server (InternalError): Internal error occurred: failed calling webhook")
               for line in second.err.splitlines())
