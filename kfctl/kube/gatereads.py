"""Reading readiness gates (kfctl.kube.gategraph.Gate) on the cluster: (open, why not).

:func:`check` reads one gate; :func:`read_round` reads a round of them, with one labelled LIST where
several gates ask the same question of one namespace (the EndpointSlices of several webhook Services;
several of the render's Deployments) instead of a read each."""

from __future__ import annotations

from typing import Callable

from kfctl.kube.client import Kube, object_path
from kfctl.kube.errors import ApiError, explain
from kfctl.kube.gategraph import ADMISSION, APIREGISTRATION, WORKLOADS, Gate, hook_config
from kfctl.kube.readiness import readiness

SERVICE_NAME = "kubernetes.io/service-name"
Result = tuple[bool, str]


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
                       deadline=end, labelSelector=f"{SERVICE_NAME}={gate.name}")
    except ApiError as exc:
        if exc.status not in (403, 404):
            raise
        eps = kube.get(object_path("/api/v1", gate.namespace, "endpoints", gate.name), deadline=end)
        return any(sub.get("addresses") and (gate.port is None or any(
            (p.get("name") or "") == gate.port for p in sub.get("ports") or [])) for sub in eps.get("subsets") or [])
    return _slices_ready(doc.get("items") or [], gate.port)


def _slices_ready(slices: list[dict], port: str | None) -> bool:
    for s in slices:
        if port is not None and not any((p.get("name") or "") == port for p in s.get("ports") or []):
            continue
        for ep in s.get("endpoints") or []:
            if ep.get("addresses") and (ep.get("conditions") or {}).get("ready") is not False:
                return True
    return False


def _workload(gate: Gate, live: dict) -> tuple[bool, str]:
    ok, why = readiness(live)
    return ok, f"{gate.what} {gate.ref} is not ready: {why}"


def _read(kube: Kube, gate: Gate, end: float | None) -> tuple[bool, str]:
    if gate.kind == "endpoints":
        if _endpoints(kube, gate, end):
            return True, "ready"
        return False, f"Service {gate.ref} has no ready endpoints"
    if gate.kind == "workload":
        return _workload(gate, kube.get(object_path("/apis/apps/v1", gate.namespace, WORKLOADS[gate.what], gate.name),
                                        deadline=end))
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


def read_round(kube: Kube, gates: list[Gate], run: Callable[[Callable, list], list], deadline: float | None = None,
               owner: str | None = None) -> list[Result]:
    """The results of ``gates``, in order.  ``run(fn, items)`` maps in parallel.  Two or more ``endpoints``
    gates of one namespace are read with one LIST of EndpointSlices (``service-name in (…)``); two or more
    ``workload`` gates of one namespace and kind with one LIST labelled ``owner`` (the render's workloads
    carry the app/env's labels).  A LIST that fails, or a workload it does not show, is read gate by gate."""
    groups: dict[tuple[str, str, str], list[Gate]] = {}
    for g in gates:
        if g.kind == "endpoints" or (g.kind == "workload" and owner):
            groups.setdefault((g.kind, g.namespace, g.what), []).append(g)
    batched = {k: v for k, v in groups.items() if len(v) >= 2}
    single = [g for g in gates if (g.kind, g.namespace, g.what) not in batched]
    tasks: list[tuple[str, object]] = [("one", g) for g in single] + [("many", k) for k in batched]

    def task(t: tuple[str, object]) -> dict[Gate, Result]:
        how, what = t
        if how == "one":
            return {what: check(kube, what, deadline)}
        kind, ns, wk = what
        members = batched[what]
        try:
            if kind == "endpoints":
                names = ",".join(sorted({g.name for g in members}))
                doc = kube.get(f"/apis/discovery.k8s.io/v1/namespaces/{ns}/endpointslices", deadline=deadline,
                               labelSelector=f"{SERVICE_NAME} in ({names})")
                by: dict[str, list[dict]] = {}
                for s in doc.get("items") or []:
                    by.setdefault(((s.get("metadata") or {}).get("labels") or {}).get(SERVICE_NAME, ""), []).append(s)
                return {g: (True, "ready") if _slices_ready(by.get(g.name, []), g.port)
                        else (False, f"Service {g.ref} has no ready endpoints") for g in members}
            doc = kube.get(object_path("/apis/apps/v1", ns, WORKLOADS[wk]), deadline=deadline, labelSelector=owner)
            live = {(i.get("metadata") or {}).get("name"): i for i in doc.get("items") or []}
            return {g: _workload(g, live[g.name]) if g.name in live else check(kube, g, deadline) for g in members}
        except ApiError:  # (no EndpointSlices API, no permission to list...): one by one, as check answers
            return {g: check(kube, g, deadline) for g in members}

    found: dict[Gate, Result] = {}
    for part in run(task, tasks):
        found.update(part)
    return [found[g] for g in gates]
