"""Objects shared by the readiness-gate tests (test_gates.py, test_kubectl_gates.py): a namespace with a
webhook server (Deployment + Service), its webhook configurations, cert-manager's Certificate CRD, an
APIService, a Widget CRD."""

from __future__ import annotations

NS = "demo"
HOOK = "validate.widgets.example.com"
SVC = "widget-webhook"
HOOK_URL = f"https://{SVC}.{NS}.svc:443/validate?timeout=10s"
NO_ENDPOINTS = (f'Internal error occurred: failed calling webhook "{HOOK}": failed to call webhook: '
                f'Post "{HOOK_URL}": no endpoints available for service "{SVC}"')
UNKNOWN_CA = (f'Internal error occurred: failed calling webhook "{HOOK}": failed to call webhook: '
              f'Post "{HOOK_URL}": tls: failed to verify certificate: x509: certificate signed by unknown authority')


def namespace(name: str = NS, labels: dict | None = None) -> dict:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels or {}}}


def webhook_deployment(name: str = "widget-controller", ns: str = NS, replicas: int = 1) -> dict:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "namespace": ns},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [{"name": "manager", "image": "widgets/manager:1.0",
                                                           "ports": [{"name": "webhook", "containerPort": 9443}]}]}}}}


def webhook_service(name: str = SVC, ns: str = NS, app: str = "widget-controller", port_name: str = "https") -> dict:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": ns,
                                                                "labels": {"app.kubernetes.io/part-of": "widgets"}},
            "spec": {"selector": {"app": app},
                     "ports": [{"name": port_name, "port": 443, "targetPort": "webhook"}]}}


def validating_webhook(name: str = "widgets-validator", hook: str = HOOK, *, ca_bundle: str | None = None,
                       failure_policy: str = "Fail", annotations: dict | None = None, rules: list | None = None,
                       **extra: object) -> dict:
    cc: dict = {"service": {"name": SVC, "namespace": NS, "path": "/validate"}}
    if ca_bundle:
        cc["caBundle"] = ca_bundle
    wh = {"name": hook, "clientConfig": cc, "failurePolicy": failure_policy, "sideEffects": "None",
          "admissionReviewVersions": ["v1"],
          "rules": rules or [{"operations": ["CREATE", "UPDATE"], "apiGroups": ["example.com"],
                              "apiVersions": ["v1"], "resources": ["widgets"]}], **extra}
    return {"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingWebhookConfiguration",
            "metadata": {"name": name, "annotations": annotations or {}}, "webhooks": [wh]}


def mutating_webhook(name: str = "widgets-defaulter", hook: str = "default.widgets.example.com",
                     **kw: object) -> dict:
    v = validating_webhook(name, hook, **kw)
    v["kind"] = "MutatingWebhookConfiguration"
    v["webhooks"][0]["clientConfig"]["service"]["path"] = "/mutate"
    return v


def crd(group: str, kind: str, plural: str, *, scope: str = "Namespaced", status: bool = True,
        versions: tuple[str, ...] = ("v1",), **spec_extra: object) -> dict:
    vs = [{"name": v, "served": True, "storage": i == 0,
           "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}},
           **({"subresources": {"status": {}}} if status else {})} for i, v in enumerate(versions)]
    return {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": f"{plural}.{group}"},
            "spec": {"group": group, "scope": scope, "versions": vs,
                     "names": {"plural": plural, "singular": kind.lower(), "kind": kind, "listKind": kind + "List"},
                     **spec_extra}}


WIDGET_CRD = crd("example.com", "Widget", "widgets")
CERTIFICATE_CRD = crd("cert-manager.io", "Certificate", "certificates")


def widget(name: str = "w1", ns: str = NS, size: int = 1) -> dict:
    return {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": name, "namespace": ns},
            "spec": {"size": size}}


def certificate(name: str = "widget-serving-cert", ns: str = NS, secret: str = "widget-webhook-tls") -> dict:
    return {"apiVersion": "cert-manager.io/v1", "kind": "Certificate", "metadata": {"name": name, "namespace": ns},
            "spec": {"secretName": secret, "dnsNames": [f"{SVC}.{NS}.svc"],
                     "issuerRef": {"name": "selfsigned", "kind": "Issuer"}}}


def apiservice(group: str = "metrics.k8s.io", version: str = "v1beta1", service: str | None = "metrics-server",
               ns: str = "kube-system", **spec: object) -> dict:
    s: dict = {"group": group, "version": version, "groupPriorityMinimum": 100, "versionPriority": 100, **spec}
    if service:
        s["service"] = {"name": service, "namespace": ns, "port": 443}
    return {"apiVersion": "apiregistration.k8s.io/v1", "kind": "APIService",
            "metadata": {"name": f"{version}.{group}"}, "spec": s}


def metrics_service() -> dict:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "metrics-server", "namespace": "kube-system"},
            "spec": {"selector": {"k8s-app": "metrics-server"},
                     "ports": [{"name": "https", "port": 443, "targetPort": "https"}]}}


def ready_slice(service: str, ns: str, port_name: str = "https", port: int = 10250, ready: bool = True) -> dict:
    return {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": {"name": f"{service}-manual", "namespace": ns,
                         "labels": {"kubernetes.io/service-name": service}},
            "addressType": "IPv4",
            "endpoints": [{"addresses": ["10.244.9.9"], "conditions": {"ready": ready}}],
            "ports": [{"name": port_name, "port": port, "protocol": "TCP"}]}
