"""Reading one readiness gate (kfctl.kube.gategraph.Gate) on the cluster: (open, why not)."""

from __future__ import annotations

from kfctl.kube.client import Kube, object_path
from kfctl.kube.errors import ApiError, explain
from kfctl.kube.gategraph import ADMISSION, APIREGISTRATION, WORKLOADS, Gate, hook_config
from kfctl.kube.readiness import readiness


def check(kube: Kube, gate: Gate, deadline: float | None = None) -> tuple[bool, str]:
    """(open, why it is not): one read of what ``gate`` needs; every read is bounded by ``deadline``."""
    try:
        return _read(kube, gate, deadline)
    except ApiError as exc:
        if exc.status == 404:
            return False, {"endpoints": f"Service {gate.ref} has no ready endpoints",
                           "apiservice": f"APIService {gate.ref} does not exist"}.get(
                gate.kind, f"{gate.what} {gate.ref} does not exist yet")
        return False, f"cannot read what {gate.describe()!r} needs: " + explain(exc, kube.target)


def _endpoints(kube: Kube, gate: Gate, end: float | None) -> bool:
    """A ready address on the port the webhook calls: EndpointSlices, else the legacy Endpoints."""
    try:
        doc = kube.get(f"/apis/discovery.k8s.io/v1/namespaces/{gate.namespace}/endpointslices",
                       deadline=end, labelSelector=f"kubernetes.io/service-name={gate.name}")
    except ApiError as exc:
        if exc.status not in (403, 404):
            raise
        eps = kube.get(object_path("/api/v1", gate.namespace, "endpoints", gate.name), deadline=end)
        return any(sub.get("addresses") and (gate.port is None or any(
            (p.get("name") or "") == gate.port for p in sub.get("ports") or [])) for sub in eps.get("subsets") or [])
    for s in doc.get("items") or []:
        if gate.port is not None and not any((p.get("name") or "") == gate.port for p in s.get("ports") or []):
            continue
        for ep in s.get("endpoints") or []:
            if ep.get("addresses") and (ep.get("conditions") or {}).get("ready") is not False:
                return True
    return False


def _read(kube: Kube, gate: Gate, end: float | None) -> tuple[bool, str]:
    if gate.kind == "endpoints":
        if _endpoints(kube, gate, end):
            return True, "ready"
        return False, f"Service {gate.ref} has no ready endpoints"
    if gate.kind == "workload":
        live = kube.get(object_path("/apis/apps/v1", gate.namespace, WORKLOADS[gate.what], gate.name), deadline=end)
        ok, why = readiness(live)
        return ok, f"{gate.what} {gate.ref} is not ready: {why}"
    if gate.kind == "cabundle":
        live = kube.get(f"{ADMISSION}/{gate.what.lower()}s/{gate.name}", deadline=end)
        if all(h.ca for h in hook_config(live).hooks if h.fail and h.service is not None):
            return True, "set"
        return False, f"{gate.what} {gate.name} has no caBundle yet ({gate.source})"
    if gate.kind == "apiservice":
        live = kube.get(f"{APIREGISTRATION}/apiservices/{gate.name}", deadline=end)
        cond = next((c for c in (live.get("status") or {}).get("conditions") or [] if c.get("type") == "Available"),
                    None)
        if cond and cond.get("status") == "True":
            return True, "Available"
        detail = f" ({cond.get('reason', '')}: {cond.get('message', '')})" if cond else ""
        return False, f"APIService {gate.name} is not Available{detail}"
    return False, f"{gate.what} {gate.name} is not applied yet"
