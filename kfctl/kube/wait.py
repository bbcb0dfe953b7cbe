"""Wait until applied objects are ready (decoupled from the UI: callbacks report progress)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

from kfctl.kube.apply import ObjectResult
from kfctl.errors import ClusterError
from kfctl.kube.client import Kube
from kfctl.kube.errors import ApiError, explain
from kfctl.kube.discovery import Discovery
from kfctl.kube.objects import obj_path
from kfctl.kube.readiness import needs_wait, readiness


@dataclass
class WaitItem:
    result: ObjectResult
    ready: bool = False
    reason: str = "pending"


def wait_ready(kube: Kube, disco: Discovery, results: list[ObjectResult], *, timeout: float,
               on_update: Callable[[list[WaitItem]], None] | None = None, interval: float = 0.5,
               deadline: float | None = None) -> list[WaitItem]:
    """Poll until every waitable object is ready, one fails, or the time is up: ``timeout`` from now
    or ``deadline`` (time.monotonic(), e.g. --timeout counted from the start of the command),
    whichever comes first.  Every read is bounded by it too, retries included."""
    items = [WaitItem(r) for r in results
             if r.action in ("created", "configured", "unchanged") and r.live is not None and needs_wait(r.live)]
    end = time.monotonic() + timeout
    deadline = end if deadline is None else min(end, deadline)
    classes: dict[str | None, str | None] = {}
    first = True  # every object is looked at once, even when applying took all the time
    while True:
        for it in items:
            if it.ready:
                continue
            if time.monotonic() >= deadline and not first:
                break
            res = disco.lookup(it.result.api_version, it.result.kind)
            if res is None:
                it.reason = f"the cluster no longer serves {it.result.api_version} {it.result.kind}"
                continue
            try:
                live = kube.get(obj_path(res, {"metadata": {"name": it.result.name, "namespace": it.result.namespace}}),
                                deadline=None if first and time.monotonic() >= deadline else deadline)
            except ClusterError as exc:
                it.reason = f"cannot read it: {explain(exc, kube.target) if isinstance(exc, ApiError) else exc.message}"
                continue
            it.ready, it.reason = readiness(live)
            if not it.ready and live.get("kind") == "PersistentVolumeClaim" and \
                    (live.get("status") or {}).get("phase", "Pending") == "Pending" and \
                    _binding_mode(kube, live, classes, deadline) == "WaitForFirstConsumer":
                it.ready, it.reason = True, "pending until a pod uses it (WaitForFirstConsumer)"
            if not it.ready and it.reason.startswith("failed"):
                it.result.error = it.reason
        first = False
        if on_update:
            on_update(items)
        pending = [it for it in items if not it.ready]
        if not pending or time.monotonic() >= deadline or any(it.reason.startswith("failed") for it in pending):
            break
        time.sleep(max(min(interval, deadline - time.monotonic()), 0))
    events_by = max(deadline, time.monotonic()) + 1.0  # one more second for the reasons of what is not ready
    for it in items:
        if not it.ready:
            it.reason = it.reason + _events(kube, it.result, events_by)
    return items


def _events(kube: Kube, r: ObjectResult, deadline: float | None = None) -> str:
    if not r.namespace or (deadline is not None and time.monotonic() >= deadline):
        return ""
    try:
        evs = kube.get(f"/api/v1/namespaces/{r.namespace}/events", deadline=deadline,
                       fieldSelector=f"involvedObject.name={r.name}").get("items") or []
    except ClusterError:
        return ""
    warn = [e for e in evs if e.get("type") == "Warning"]
    if not warn:
        return ""
    last = warn[-1]
    return f"; last event: {last.get('reason', '')}: {last.get('message', '')}"


def _binding_mode(kube: Kube, pvc: dict, cache: dict, deadline: float | None = None) -> str | None:
    """volumeBindingMode of the PVC's StorageClass (or the default class); None if unknown.
    A WaitForFirstConsumer claim stays Pending until a pod using it is scheduled: not a failure."""
    name = (pvc.get("spec") or {}).get("storageClassName")
    if name == "":
        return None  # explicitly no class: binds to a pre-provisioned PV
    if name not in cache:
        mode = None
        try:
            if name is None:
                for sc in kube.get("/apis/storage.k8s.io/v1/storageclasses", deadline=deadline).get("items") or []:
                    ann = (sc.get("metadata") or {}).get("annotations") or {}
                    if "true" in (ann.get("storageclass.kubernetes.io/is-default-class"),
                                  ann.get("storageclass.beta.kubernetes.io/is-default-class")):
                        mode = sc.get("volumeBindingMode")
                        break
            else:
                from urllib.parse import quote

                mode = kube.get(f"/apis/storage.k8s.io/v1/storageclasses/{quote(name, safe='')}",
                                deadline=deadline).get("volumeBindingMode")
        except ClusterError:
            mode = None
        cache[name] = mode
    return cache[name]
