"""The cert_controller knob: controllers that issue their own webhook certificate and write the caBundle.

Kueue, Katib, the training operator, JobSet and Trainer do not use cert-manager: a certificate rotator inside the
controller (open-policy-agent/cert-controller, or Katib's cert generator) makes a CA and a serving certificate when
the controller starts, and patches the CA into its webhook configurations as `clientConfig.caBundle`. Modelled
here: a Mutating/ValidatingWebhookConfiguration that carries neither a `cert-manager.io/inject-ca-from[-secret]`
annotation nor a caBundle on any of its service webhooks gets a caBundle on each of them once the Service of its
first service webhook has a ready endpoint (the controller runs), after the knob's After spec ("immediate", N reads of
the configuration, "0.5s" counted from when the endpoint became ready). The write is an Update by the manager
`cert-rotator`; a caBundle someone removes is written again, as the rotator does.
"""

from __future__ import annotations

import base64
import time
from typing import TYPE_CHECKING

from .jcopy import clone
from .cainjector import FROM_CERT, FROM_SECRET
from .controllers import After, Controller
from .endpoints import ready_address

if TYPE_CHECKING:
    from .resources import ResourceType
    from .store import Store

KINDS = {"MutatingWebhookConfiguration": "mutatingwebhookconfigurations",
         "ValidatingWebhookConfiguration": "validatingwebhookconfigurations"}
MANAGER = "cert-rotator"


class CertController(Controller):
    name = "cert_controller"
    watches = frozenset({*KINDS, "EndpointSlice", "Service"})

    def __init__(self, after: str | int | After):
        self.after = After.parse(after, "cert_controller")
        self.reads = frozenset(KINDS) if self.after.how == "reads" else frozenset()
        self.timed = self.after.timed
        self.since: dict[str, float] = {}       # configuration uid -> when its backend became reachable
        self.read_counts: dict[str, int] = {}
        self._ca: str | None = None

    def _bundle(self) -> str:
        if self._ca is None:
            from .emulator import _self_signed_cert
            self._ca = base64.b64encode(_self_signed_cert()[0]).decode()
        return self._ca

    @staticmethod
    def _service_hooks(cfg: dict) -> list[dict]:
        return [h for h in cfg.get("webhooks") or [] if (h.get("clientConfig") or {}).get("service")]

    def _candidate(self, store: "Store", cfg: dict) -> bool:
        """Self-managed (no cert-manager annotation), missing a caBundle, its controller reachable."""
        ann = cfg["metadata"].get("annotations") or {}
        hooks = self._service_hooks(cfg)
        if FROM_CERT in ann or FROM_SECRET in ann or not hooks:
            return False
        if all((h["clientConfig"]).get("caBundle") for h in hooks):
            return False
        svc_ref = hooks[0]["clientConfig"]["service"]
        ns, name, port = svc_ref.get("namespace", ""), svc_ref.get("name", ""), svc_ref.get("port") or 443
        svc = store.objects.get(("", "services", ns, name))
        svc_port = next((p for p in ((svc or {}).get("spec") or {}).get("ports") or [] if p.get("port") == port), None)
        return svc_port is not None and ready_address(store, ns, name, svc_port.get("name") or "") is not None

    def reconcile(self, store: "Store") -> None:
        for plural in KINDS.values():
            rt = store.find_type("admissionregistration.k8s.io", plural)
            for cfg in list(store.stored("admissionregistration.k8s.io", plural)):
                uid = cfg["metadata"]["uid"]
                if not self._candidate(store, cfg):
                    self.since.pop(uid, None)
                    continue
                self.since.setdefault(uid, time.monotonic())
                if not self.after.due(self.read_counts.get(uid, 0), self.since[uid]):
                    continue
                new = clone(cfg)
                for h in self._service_hooks(new):
                    if not h["clientConfig"].get("caBundle"):
                        h["clientConfig"]["caBundle"] = self._bundle()
                store.system_write(rt, new, MANAGER)
                self.since.pop(uid, None)
                self.read_counts.pop(uid, None)

    def on_read(self, store: "Store", rt: "ResourceType", obj: dict) -> None:
        uid = obj["metadata"]["uid"]
        if uid in self.since:
            self.read_counts[uid] = self.read_counts.get(uid, 0) + 1
            store.mark_dirty(rt.kind)

    def due(self) -> bool:
        if not self.after.timed:
            return False
        t = time.monotonic()
        return any(t - since >= self.after.seconds for since in self.since.values())
