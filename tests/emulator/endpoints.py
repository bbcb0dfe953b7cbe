"""The endpoints knob: a simulated EndpointSlice (and legacy Endpoints) controller, and the lookup
kube-apiserver does to reach a Service (webhooks, aggregated APIs).

Knob `endpoints` (off by default - then only the EndpointSlices a client writes exist):
- "workloads": every Service with a selector gets an EndpointSlice (and an Endpoints object) listing one
  address per replica of the Deployments/StatefulSets/DaemonSets/ReplicaSets (and Pods) its selector matches,
  `ready` as the workload's status says (readyReplicas / numberReady / the Pod's Ready condition). So the
  Service is reachable once its backing Deployment is ready (see the `ready` knob).
- an `After` spec (controllers.After): the addresses exist from the start with `ready: false` and turn ready
  N reads of the Service's EndpointSlices/Endpoints later, or "<seconds>s" after the Service appeared, or
  "immediate" / "never" - whatever backs the Service.

Like the real controllers, slices are named `<service>-<5 chars>`, carry the Service's labels plus
`kubernetes.io/service-name` and `endpointslice.kubernetes.io/managed-by`, and are owned by the Service (so
deleting the Service deletes them); managedFields name `kube-controller-manager`.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from typing import TYPE_CHECKING

from .jcopy import clone
from .controllers import After, Controller

if TYPE_CHECKING:
    from .resources import ResourceType
    from .store import Store

MANAGER = "kube-controller-manager"
SLICE_MANAGED_BY = "endpointslice-controller.k8s.io"
WORKLOADS = {"Deployment": "readyReplicas", "StatefulSet": "readyReplicas", "ReplicaSet": "readyReplicas",
             "DaemonSet": "numberReady"}
MAX_ADDRESSES = 5


def service_slices(store: "Store", ns: str, name: str) -> list[dict]:
    return [s for s in store.stored("discovery.k8s.io", "endpointslices", ns)
            if (s["metadata"].get("labels") or {}).get("kubernetes.io/service-name") == name]


def ready_address(store: "Store", ns: str, name: str, port_name: str) -> str | None:
    """proxy.RandomEndpoint: "ip:port" of a ready endpoint (ready unset counts as ready) in a slice of the Service
    with a port named port_name, or None."""
    for s in service_slices(store, ns, name):
        for p in s.get("ports") or []:
            if (p.get("name") or "") != port_name or p.get("port") is None:
                continue
            for ep in s.get("endpoints") or []:
                if (ep.get("conditions") or {}).get("ready") is False or not ep.get("addresses"):
                    continue
                return f'{ep["addresses"][0]}:{p["port"]}'
    return None


def _short(seed: str, n: int, alphabet: str = "bcdfghjklmnpqrstvwxz2456789") -> str:
    h = hashlib.sha256(seed.encode()).digest()
    return "".join(alphabet[b % len(alphabet)] for b in h[:n])


class EndpointsController(Controller):
    name = "endpoints"
    watches = frozenset({"Service", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Pod"})

    def __init__(self, mode: str | int | After):
        self.workloads = mode == "workloads"
        self.after = None if self.workloads else After.parse(mode, "endpoints")
        self.reads = frozenset({"EndpointSlice", "Endpoints"}) if self.after and self.after.how == "reads" \
            else frozenset()
        self.timed = bool(self.after and self.after.timed)
        self.since: dict[str, float] = {}    # Service uid -> when it was first seen
        self.read_counts: dict[str, int] = {}
        self.opened: set[str] = set()       # Service uids whose addresses are ready (After modes)
        self.ips: dict[str, str] = {}

    # ------------------------------------------------------------------ the controller
    def reconcile(self, store: "Store") -> None:
        svc_rt = store.find_type("", "services")
        slice_rt = store.find_type("discovery.k8s.io", "endpointslices")
        eps_rt = store.find_type("", "endpoints")
        live = set()
        for svc in list(store.stored("", "services")):
            spec = svc.get("spec") or {}
            md = svc["metadata"]
            if not spec.get("selector") or spec.get("type") == "ExternalName":
                continue
            live.add((md["namespace"], md["name"]))
            self.since.setdefault(md["uid"], time.monotonic())
            pods = self._pods(store, md["namespace"], spec["selector"])
            if not self.workloads:
                if self.after.due(self.read_counts.get(md["uid"], 0), self.since[md["uid"]]):
                    self.opened.add(md["uid"])
                ready = md["uid"] in self.opened
                pods = [(n, uid, ready, tmpl) for n, uid, _, tmpl in pods] or \
                       [(f'{md["name"]}-{_short(md["uid"], 5)}', str(uuid.uuid5(uuid.NAMESPACE_OID, md["uid"])),
                         ready, {})]
            self._sync_slice(store, slice_rt, svc, pods)
            self._sync_endpoints(store, eps_rt, svc, pods)
        for eps in list(store.stored("", "endpoints")):
            emd = eps["metadata"]
            if (emd.get("labels") or {}).get("endpoints.kubernetes.io/managed-by") == "endpoint-controller" \
                    and (emd["namespace"], emd["name"]) not in live:
                store.system_delete(eps_rt, emd["namespace"], emd["name"])
        _ = svc_rt

    def on_read(self, store: "Store", rt: "ResourceType", obj: dict) -> None:
        md = obj["metadata"]
        name = md["name"] if rt.kind == "Endpoints" else (md.get("labels") or {}).get("kubernetes.io/service-name")
        svc = store.objects.get(("", "services", md.get("namespace", ""), name or ""))
        if svc is None:
            return
        uid = svc["metadata"]["uid"]
        self.read_counts[uid] = self.read_counts.get(uid, 0) + 1
        store.mark_dirty("Service")

    def due(self) -> bool:
        if not self.after or not self.after.timed:
            return False
        now = time.monotonic()
        return any(uid not in self.opened and now - t >= self.after.seconds for uid, t in self.since.items())

    # ------------------------------------------------------------------ helpers
    def _pods(self, store: "Store", ns: str, selector: dict) -> list[tuple[str, str, bool, dict]]:
        """(pod name, pod uid, ready, pod template spec) for what the selector selects."""
        out = []
        for kind, field in WORKLOADS.items():
            plural = kind.lower() + "s"
            for w in store.stored("apps", plural, ns):
                tmpl = (w.get("spec") or {}).get("template") or {}
                labels = (tmpl.get("metadata") or {}).get("labels") or {}
                if any(labels.get(k) != v for k, v in selector.items()):
                    continue
                wmd = w["metadata"]
                n = 1 if kind == "DaemonSet" else (w.get("spec") or {}).get("replicas", 1)
                ready_n = (w.get("status") or {}).get(field) or 0
                for i in range(min(n, MAX_ADDRESSES)):
                    if kind == "StatefulSet":
                        pod = f'{wmd["name"]}-{i}'
                    elif kind == "Deployment":
                        pod = f'{wmd["name"]}-{_short(wmd["uid"], 10)}-{_short(wmd["uid"] + str(i), 5)}'
                    else:
                        pod = f'{wmd["name"]}-{_short(wmd["uid"] + str(i), 5)}'
                    out.append((pod, str(uuid.uuid5(uuid.NAMESPACE_OID, wmd["uid"] + str(i))), i < ready_n,
                                tmpl.get("spec") or {}))
        for p in store.stored("", "pods", ns):
            labels = p["metadata"].get("labels") or {}
            if any(labels.get(k) != v for k, v in selector.items()):
                continue
            ready = any(c.get("type") == "Ready" and c.get("status") == "True"
                        for c in (p.get("status") or {}).get("conditions") or [])
            out.append((p["metadata"]["name"], p["metadata"]["uid"], ready, p.get("spec") or {}))
        return out

    def _ip(self, key: str) -> str:
        if key not in self.ips:
            n = len(self.ips) + 20
            self.ips[key] = f"10.244.{n // 250}.{n % 250 + 1}"
        return self.ips[key]

    @staticmethod
    def _ports(svc: dict, pod_spec: dict) -> list[dict]:
        out = []
        for p in (svc.get("spec") or {}).get("ports") or []:
            target = p.get("targetPort", p.get("port"))
            if isinstance(target, str):
                target = next((cp.get("containerPort") for c in pod_spec.get("containers") or []
                               for cp in c.get("ports") or [] if cp.get("name") == target), p.get("port"))
            out.append({"name": p.get("name", ""), "port": target, "protocol": p.get("protocol", "TCP")})
        return out

    def _sync_slice(self, store: "Store", rt: "ResourceType", svc: dict, pods: list) -> None:
        md = svc["metadata"]
        ns, name = md["namespace"], md["name"]
        labels = {**(md.get("labels") or {}), "kubernetes.io/service-name": name,
                  "endpointslice.kubernetes.io/managed-by": SLICE_MANAGED_BY}
        endpoints = [{"addresses": [self._ip(f"{ns}/{pod}")],
                      "conditions": {"ready": ready, "serving": ready, "terminating": False},
                      "nodeName": "emulator-node", "targetRef": {"kind": "Pod", "namespace": ns, "name": pod,
                                                                 "uid": puid}}
                     for pod, puid, ready, _ in pods] or None
        want = {"labels": labels, "endpoints": endpoints,
                "ports": self._ports(svc, pods[0][3] if pods else {})}
        mine = [s for s in service_slices(store, ns, name)
                if (s["metadata"].get("labels") or {}).get("endpointslice.kubernetes.io/managed-by")
                == SLICE_MANAGED_BY]
        if not mine:
            store.system_create(rt, {
                "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                "metadata": {"name": f"{name}-{_short(md['uid'] + 'slice', 5)}", "generateName": f"{name}-",
                             "namespace": ns, "labels": labels,
                             "ownerReferences": [{"apiVersion": "v1", "kind": "Service", "name": name,
                                                  "uid": md["uid"], "controller": True,
                                                  "blockOwnerDeletion": True}]},
                "addressType": "IPv4", "endpoints": want["endpoints"], "ports": want["ports"]}, MANAGER)
            return
        cur = mine[0]
        have = {"labels": cur["metadata"].get("labels") or {}, "endpoints": cur.get("endpoints"),
                "ports": cur.get("ports")}
        if have != want:
            new = clone(cur)
            new["metadata"]["labels"] = labels
            new["endpoints"], new["ports"] = want["endpoints"], want["ports"]
            store.system_write(rt, new, MANAGER)

    def _sync_endpoints(self, store: "Store", rt: "ResourceType", svc: dict, pods: list) -> None:
        md = svc["metadata"]
        ns, name = md["namespace"], md["name"]

        def addr(pod: str, puid: str) -> dict:
            return {"ip": self._ip(f"{ns}/{pod}"), "nodeName": "emulator-node",
                    "targetRef": {"kind": "Pod", "namespace": ns, "name": pod, "uid": puid}}
        subset: dict = {}
        ready = [addr(p, u) for p, u, r, _ in pods if r]
        not_ready = [addr(p, u) for p, u, r, _ in pods if not r]
        if ready:
            subset["addresses"] = ready
        if not_ready:
            subset["notReadyAddresses"] = not_ready
        want = {"metadata": {"name": name, "namespace": ns,
                             "labels": {**(md.get("labels") or {}),
                                        "endpoints.kubernetes.io/managed-by": "endpoint-controller"}}}
        if subset:
            subset["ports"] = self._ports(svc, pods[0][3])
            want["subsets"] = [subset]
        cur = store.objects.get(("", "endpoints", ns, name))
        if cur is None:
            store.system_create(rt, {"apiVersion": "v1", "kind": "Endpoints", **want}, MANAGER)
        elif cur.get("subsets") != want.get("subsets") or cur["metadata"].get("labels") != want["metadata"]["labels"]:
            new = clone(cur)
            new["metadata"]["labels"] = want["metadata"]["labels"]
            new.pop("subsets", None)
            if "subsets" in want:
                new["subsets"] = want["subsets"]
            store.system_write(rt, new, MANAGER)
