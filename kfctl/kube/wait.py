"""Wait until applied objects are ready (decoupled from the UI: callbacks report progress)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

from kfctl.kube.apply import ObjectResult
from kfctl.kube.client import Kube
from kfctl.kube.discovery import Discovery
from kfctl.kube.errors import ApiError
from kfctl.kube.objects import obj_path
from kfctl.kube.readiness import needs_wait, readiness


@dataclass
class WaitItem:
    result: ObjectResult
    ready: bool = False
    reason: str = "pending"


def wait_ready(kube: Kube, disco: Discovery, results: list[ObjectResult], *, timeout: float,
               on_update: Callable[[list[WaitItem]], None] | None = None, interval: float = 0.5) -> list[WaitItem]:
    items = [WaitItem(r) for r in results
             if r.action in ("created", "configured", "unchanged") and r.live is not None and needs_wait(r.live)]
    deadline = time.monotonic() + timeout
    classes: dict[str | None, str | None] = {}
    while True:
        for it in items:
            if it.ready:
                continue
            res = disco.lookup(it.result.api_version, it.result.kind)
            if res is None:
                it.reason = f"the cluster no longer serves {it.result.api_version} {it.result.kind}"
                continue
            try:
                live = kube.get(obj_path(res, {"metadata": {"name": it.result.name, "namespace": it.result.namespace}}))
            except ApiError as exc:
                it.reason = f"cannot read it: {exc}"
                continue
            it.ready, it.reason = readiness(live)
            if not it.ready and live.get("kind") == "PersistentVolumeClaim" and \
                    (live.get("status") or {}).get("phase", "Pending") == "Pending" and \
                    _binding_mode(kube, live, classes) == "WaitForFirstConsumer":
                it.ready, it.reason = True, "pending until a pod uses it (WaitForFirstConsumer)"
            if not it.ready and it.reason.startswith("failed"):
                it.result.error = it.reason
        if on_update:
            on_update(items)
        pending = [it for it in items if not it.ready]
        if not pending or time.monotonic() >= deadline or any(it.reason.startswith("failed") for it in pending):
            break
        time.sleep(interval)
    for it in items:
        if not it.ready:
            it.reason = it.reason + _events(kube, it.result)
    return items


def _events(kube: Kube, r: ObjectResult) -> str:
    if not r.namespace:
        return ""
    try:
        evs = kube.get(f"/api/v1/namespaces/{r.namespace}/events",
                       fieldSelector=f"involvedObject.name={r.name}").get("items") or []
    except ApiError:
        return ""
    warn = [e for e in evs if e.get("type") == "Warning"]
    if not warn:
        return ""
    last = warn[-1]
    return f"; last event: {last.get('reason', '')}: {last.get('message', '')}"


def _binding_mode(kube: Kube, pvc: dict, cache: dict) -> str | None:
    """volumeBindingMode of the PVC's StorageClass (or the default class); None if unknown.
    A WaitForFirstConsumer claim stays Pending until a pod using it is scheduled: not a failure."""
    name = (pvc.get("spec") or {}).get("storageClassName")
    if name == "":
        return None  # explicitly no class: binds to a pre-provisioned PV
    if name not in cache:
        mode = None
        try:
            if name is None:
                for sc in kube.get("/apis/storage.k8s.io/v1/storageclasses").get("items") or []:
                    ann = (sc.get("metadata") or {}).get("annotations") or {}
                    if "true" in (ann.get("storageclass.kubernetes.io/is-default-class"),
                                  ann.get("storageclass.beta.kubernetes.io/is-default-class")):
                        mode = sc.get("volumeBindingMode")
                        break
            else:
                from urllib.parse import quote

                mode = kube.get(f"/apis/storage.k8s.io/v1/storageclasses/{quote(name, safe='')}").get("volumeBindingMode")
        except ApiError:
            mode = None
        cache[name] = mode
    return cache[name]
