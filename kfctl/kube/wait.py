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
from kfctl.kube.crstatus import BUILTIN_GROUPS, GRACE, StatusSchema, cr_readiness, status_schema
from kfctl.kube.readiness import needs_wait, readiness
from kfctl.util.k8s import group_of


CONTROLLERS = ("Deployment", "StatefulSet", "DaemonSet")


@dataclass
class WaitItem:
    result: ObjectResult
    ready: bool = False
    reason: str = "pending"


def wait_ready(kube: Kube, disco: Discovery, results: list[ObjectResult], *, timeout: float,
               on_update: Callable[[list[WaitItem]], None] | None = None, interval: float = 0.5,
               deadline: float | None = None, crds: dict[tuple[str, str], dict] | None = None,
               grace: float = GRACE) -> list[WaitItem]:
    """Poll until every waitable object is ready, one fails, or the time is up: ``timeout`` from now
    or ``deadline`` (time.monotonic(), e.g. --timeout counted from the start of the command),
    whichever comes first.  Every read is bounded by it too, retries included.

    Custom resources are ready by their status conditions (kfctl.kube.crstatus), with ``grace`` seconds
    for their operator to write status; ``crds`` ((group, kind) -> CRD, the render's) tell what a kind's
    status holds (other kinds' CRDs are read from the cluster).  The controllers (the Deployments,
    StatefulSets and DaemonSets among ``results``) are waited for first: until they are ready no custom
    resource is read, and the grace period starts when they are (an operator that is not running yet
    cannot write status)."""
    schemas = _custom_kinds(kube, disco, results, crds or {})

    def custom(it: WaitItem) -> bool:
        return (group_of(it.result.api_version), it.result.kind, it.result.api_version) in schemas

    items = [WaitItem(r) for r in results
             if r.action in ("created", "configured", "unchanged") and r.live is not None
             and (needs_wait(r.live) or (group_of(r.api_version), r.kind, r.api_version) in schemas)]
    controllers = [it for it in items if it.result.kind in CONTROLLERS and not custom(it)]
    items = controllers + [it for it in items if it not in controllers]  # (read first in every round)
    end = time.monotonic() + timeout
    deadline = end if deadline is None else min(end, deadline)
    classes: dict[str | None, str | None] = {}
    cr_start: float | None = None  # when the controllers were ready: the grace period counts from then
    first = True  # every object is looked at once, even when applying took all the time
    while True:
        for it in items:
            if it.ready:
                continue
            if time.monotonic() >= deadline and not first:
                break
            if custom(it) and cr_start is None:
                if any(not c.ready for c in controllers):
                    waiting = [c.result for c in controllers if not c.ready]
                    it.reason = "waiting for its controllers first: " + ", ".join(
                        f"{r.kind} {r.namespace + '/' if r.namespace else ''}{r.name}" for r in waiting[:3]) + (
                        f" and {len(waiting) - 3} more" if len(waiting) > 3 else "")
                    continue
                cr_start = time.monotonic()
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
            schema = schemas.get((group_of(it.result.api_version), it.result.kind, it.result.api_version))
            if schema is not None:
                it.ready, it.reason = cr_readiness(live, waited=time.monotonic() - (cr_start or time.monotonic()),
                                                   grace=grace, schema=schema)
            else:
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


def _custom_kinds(kube: Kube, disco: Discovery, results: list[ObjectResult],
                  crds: dict[tuple[str, str], dict]) -> dict[tuple[str, str, str], StatusSchema]:
    """(group, kind, apiVersion) -> what its CRD says about status, for the custom resources among
    ``results`` (a kind without a CRD, e.g. served by an aggregated API, is not one)."""
    out: dict[tuple[str, str, str], StatusSchema] = {}
    live_crds: dict[tuple[str, str], dict | None] = {}
    for r in results:
        group = group_of(r.api_version)
        key = (group, r.kind, r.api_version)
        if group in BUILTIN_GROUPS or key in out or r.live is None:
            continue
        crd = crds.get((group, r.kind))
        if crd is None:
            if (group, r.kind) not in live_crds:
                res = disco.lookup(r.api_version, r.kind)
                try:
                    live_crds[(group, r.kind)] = kube.get(
                        f"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{res.name}.{group}") if res else None
                except ApiError as exc:
                    live_crds[(group, r.kind)] = None if exc.status == 404 else {}
                except ClusterError:
                    live_crds[(group, r.kind)] = {}
            crd = live_crds[(group, r.kind)]
            if crd is None:
                continue  # not a custom resource
        out[key] = status_schema(crd, r.api_version.rsplit("/", 1)[-1])
    return out


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
