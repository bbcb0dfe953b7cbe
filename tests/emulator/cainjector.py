"""The ca_injector knob: cert-manager's certificate issuing and its cainjector, simulated.

Issuing (as cert-manager's controller does once its Issuer works): every `cert-manager.io` Certificate (its
CRD must be installed and Established) gets its `spec.secretName` Secret - type kubernetes.io/tls with
`tls.crt`, `tls.key`, `ca.crt` and the `cert-manager.io/certificate-name` annotation - and the status
condition `Ready=True` ("Certificate is up to date and has not expired"). A Secret that already exists is
left alone (so one not owned by the Certificate is never injected, as with the real cainjector).

Injection (cert-manager's cainjector, pkg/controller/cainjector): objects annotated
`cert-manager.io/inject-ca-from: NS/CERTIFICATE` (the Certificate's Secret must carry its
certificate-name annotation) or `cert-manager.io/inject-ca-from-secret: NS/SECRET` (the Secret must be
annotated `cert-manager.io/allow-direct-injection: "true"`) get the Secret's `ca.crt` as caBundle:
every `webhooks[].clientConfig` of Mutating/ValidatingWebhookConfigurations, `spec.caBundle` of APIServices,
`spec.conversion.webhook.clientConfig` of CRDs with a Webhook conversion. The knob's value (an After spec)
says when, counted from the moment the CA can be read: "immediate", N reads of the target object, "0.5s".
The write is an Update by the manager `cainjector`, so a later server-side apply that leaves caBundle out
keeps it.

The webhook's own CA (cert-manager's webhook, pkg/server/tls/authority): a Deployment whose container runs with
`--dynamic-serving-ca-secret-name=NAME` (and `--dynamic-serving-ca-secret-namespace=NS`, `$(POD_NAMESPACE)` or
unset: the Deployment's namespace) creates, once it has a ready replica, the Secret NS/NAME (type
kubernetes.io/tls, `ca.crt`, `tls.crt`, `tls.key`, annotated `cert-manager.io/allow-direct-injection: "true"`)
that cert-manager's own webhook configurations name in `inject-ca-from-secret`.
"""

from __future__ import annotations

import base64
import time
from typing import TYPE_CHECKING

from .jcopy import clone
from .controllers import After, Controller, set_condition
from .knobs import now

if TYPE_CHECKING:
    from .resources import ResourceType
    from .store import Store

TARGETS = {"MutatingWebhookConfiguration": ("admissionregistration.k8s.io", "mutatingwebhookconfigurations"),
           "ValidatingWebhookConfiguration": ("admissionregistration.k8s.io", "validatingwebhookconfigurations"),
           "APIService": ("apiregistration.k8s.io", "apiservices"),
           "CustomResourceDefinition": ("apiextensions.k8s.io", "customresourcedefinitions")}
FROM_CERT = "cert-manager.io/inject-ca-from"
FROM_SECRET = "cert-manager.io/inject-ca-from-secret"
MANAGER = "cainjector"


class CAInjector(Controller):
    name = "ca_injector"
    watches = frozenset({"Certificate", "Secret", "CustomResourceDefinition", "Deployment", *TARGETS})

    def __init__(self, after: str | int | After):
        self.after = After.parse(after, "ca_injector")
        self.reads = frozenset(TARGETS) if self.after.how == "reads" else frozenset()
        self.timed = self.after.timed
        self.since: dict[str, float] = {}     # target uid -> when its CA became readable
        self.read_counts: dict[str, int] = {}
        self.pending: set[str] = set()         # targets whose CA is readable and not yet injected
        self._pem: tuple[bytes, bytes] | None = None

    def _material(self) -> tuple[bytes, bytes]:
        if self._pem is None:
            from .emulator import _self_signed_cert
            self._pem = _self_signed_cert()
        return self._pem

    # ------------------------------------------------------------------ the controller
    def reconcile(self, store: "Store") -> None:
        self._issue(store)
        self._dynamic_serving_cas(store)
        for kind, (group, plural) in TARGETS.items():
            rt = store.find_type(group, plural)
            for obj in list(store.stored(group, plural)):
                ca = self._ca_for(store, obj)
                uid = obj["metadata"]["uid"]
                if ca is None:
                    self.since.pop(uid, None)
                    self.pending.discard(uid)
                    continue
                self.since.setdefault(uid, time.monotonic())
                if self.after.due(self.read_counts.get(uid, 0), self.since[uid]):
                    self.pending.discard(uid)
                    new = _injected(kind, obj, ca)
                    if new != obj:
                        store.system_write(rt, new, MANAGER)
                else:
                    self.pending.add(uid)

    def on_read(self, store: "Store", rt: "ResourceType", obj: dict) -> None:
        uid = obj["metadata"]["uid"]
        if uid in self.since:
            self.read_counts[uid] = self.read_counts.get(uid, 0) + 1
            store.mark_dirty(rt.kind)

    def due(self) -> bool:
        if not self.after.timed:
            return False
        t = time.monotonic()
        return any(t - self.since[u] >= self.after.seconds for u in self.pending if u in self.since)

    # ------------------------------------------------------------------ issuing
    def _issue(self, store: "Store") -> None:
        cert_rt = store.find_kind("cert-manager.io", "Certificate")
        secret_rt = store.find_type("", "secrets")
        if cert_rt is None:
            return
        for cert in list(store.stored("cert-manager.io", cert_rt.plural)):
            md, spec = cert["metadata"], cert.get("spec") or {}
            secret_name = spec.get("secretName")
            if not secret_name:
                continue
            if ("", "secrets", md["namespace"], secret_name) not in store.objects:
                crt, key = self._material()
                issuer = spec.get("issuerRef") or {}
                store.system_create(secret_rt, {
                    "apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls",
                    "metadata": {"name": secret_name, "namespace": md["namespace"], "annotations": {
                        "cert-manager.io/certificate-name": md["name"],
                        "cert-manager.io/common-name": spec.get("commonName", ""),
                        "cert-manager.io/alt-names": ",".join(spec.get("dnsNames") or []),
                        "cert-manager.io/issuer-name": issuer.get("name", ""),
                        "cert-manager.io/issuer-kind": issuer.get("kind", "Issuer"),
                        "cert-manager.io/issuer-group": issuer.get("group", "cert-manager.io")}},
                    "data": {"tls.crt": _b64(crt), "tls.key": _b64(key), "ca.crt": _b64(crt)}}, "cert-manager")
            gen = md.get("generation", 1)
            conds = (cert.get("status") or {}).get("conditions") or []
            if any(c.get("type") == "Ready" and c.get("status") == "True" and c.get("observedGeneration") == gen
                   for c in conds):
                continue
            new = clone(cert)
            status = new.setdefault("status", {}) or {}
            status["conditions"] = set_condition(conds, {
                "type": "Ready", "status": "True", "reason": "Ready", "observedGeneration": gen,
                "message": "Certificate is up to date and has not expired", "lastTransitionTime": now()})
            status.update({"notBefore": now(), "notAfter": "2099-01-01T00:00:00Z",
                           "renewalTime": "2098-12-01T00:00:00Z", "revision": 1})
            new["status"] = status
            store.system_write(cert_rt, new, "cert-manager-certificates-issuing",
                               subresource="status" if cert_rt.status_subresource else "")

    # ------------------------------------------------------------------ the webhook's own CA
    def _dynamic_serving_cas(self, store: "Store") -> None:
        secret_rt = store.find_type("", "secrets")
        for dep in list(store.stored("apps", "deployments")):
            md = dep["metadata"]
            if not ((dep.get("status") or {}).get("readyReplicas") or 0):
                continue
            for c in (((dep.get("spec") or {}).get("template") or {}).get("spec") or {}).get("containers") or []:
                flags = dict(a[2:].split("=", 1) for a in c.get("args") or [] if a.startswith("--") and "=" in a)
                name = flags.get("dynamic-serving-ca-secret-name")
                if not name:
                    continue
                ns = flags.get("dynamic-serving-ca-secret-namespace") or md["namespace"]
                ns = md["namespace"] if ns == "$(POD_NAMESPACE)" else ns
                if ("", "secrets", ns, name) in store.objects:
                    continue
                crt, key = self._material()
                store.system_create(secret_rt, {
                    "apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls",
                    "metadata": {"name": name, "namespace": ns,
                                 "annotations": {"cert-manager.io/allow-direct-injection": "true"}},
                    "data": {"ca.crt": _b64(crt), "tls.crt": _b64(crt), "tls.key": _b64(key)}}, md["name"])

    # ------------------------------------------------------------------ injection
    @staticmethod
    def _ca_for(store: "Store", obj: dict) -> str | None:
        ann = obj["metadata"].get("annotations") or {}
        if FROM_CERT in ann:
            ns, _, name = ann[FROM_CERT].partition("/")
            cert_rt = store.find_kind("cert-manager.io", "Certificate")
            if not ns or not name or cert_rt is None:
                return None
            cert = store.objects.get(("cert-manager.io", cert_rt.plural, ns, name))
            if cert is None:
                return None
            secret = store.objects.get(("", "secrets", ns, (cert.get("spec") or {}).get("secretName") or ""))
            if secret is None or (secret["metadata"].get("annotations") or {}).get(
                    "cert-manager.io/certificate-name") != name:
                return None
            return (secret.get("data") or {}).get("ca.crt")
        if FROM_SECRET in ann:
            ns, _, name = ann[FROM_SECRET].partition("/")
            secret = store.objects.get(("", "secrets", ns, name))
            if secret is None or (secret["metadata"].get("annotations") or {}).get(
                    "cert-manager.io/allow-direct-injection") != "true":
                return None
            return (secret.get("data") or {}).get("ca.crt")
        return None


def _injected(kind: str, obj: dict, ca: str) -> dict:
    new = clone(obj)
    if kind.endswith("WebhookConfiguration"):
        for hook in new.get("webhooks") or []:
            hook.setdefault("clientConfig", {})["caBundle"] = ca
    elif kind == "APIService":
        new.setdefault("spec", {})["caBundle"] = ca
    else:
        conv = (new.get("spec") or {}).get("conversion") or {}
        if conv.get("strategy") == "Webhook" and isinstance(conv.get("webhook"), dict):
            conv["webhook"].setdefault("clientConfig", {})["caBundle"] = ca
    return new


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
