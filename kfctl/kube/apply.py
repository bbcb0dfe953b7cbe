"""Server-side apply of a render, tier by tier (design.md), with a truthful per-object report."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable

from kfctl.kube.client import Kube
from kfctl.kube.discovery import Discovery, Resource
from kfctl.kube.errors import ApiError, explain
from kfctl.kube.objects import WORKERS, identity, list_owned, obj_path, unnamed_error
from kfctl.kube.readiness import readiness
from kfctl.kube.state import EnvState, load_state, save_state
from kfctl.render import order
from kfctl.render.model import Render, RenderedObject
from kfctl.util.k8s import group_of

FIELD_MANAGER = "kfctl"
SSA = "application/apply-patch+yaml"


@dataclass
class ObjectResult:
    component: str
    kind: str
    namespace: str | None
    name: str
    action: str  # created | configured | unchanged | pruned | deleted | failed | skipped
    error: str | None = None
    api_version: str = ""
    live: dict | None = None

    @property
    def ref(self) -> str:
        return f"{self.kind} {self.namespace + '/' if self.namespace else ''}{self.name}"


@dataclass
class Report:
    results: list[ObjectResult] = field(default_factory=list)
    namespace_created: str | None = None
    dry_run: bool = False
    fatal: str | None = None

    @property
    def failed(self) -> list[ObjectResult]:
        return [r for r in self.results if r.action == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed and self.fatal is None

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.results:
            out[r.action] = out.get(r.action, 0) + 1
        return out


class Fatal(Exception):
    pass


def _ssa(kube: Kube, res: Resource, obj: dict, *, force: bool, dry_run: bool) -> tuple[int, dict]:
    q = {"fieldManager": FIELD_MANAGER, "force": "true" if force else "false"}
    if dry_run:
        q["dryRun"] = "All"
    return kube.request("PATCH", obj_path(res, obj), query=q, body=json.dumps(obj), content_type=SSA)


def _exists(kube: Kube, res: Resource, obj: dict) -> bool:
    try:
        kube.get(obj_path(res, obj))
        return True
    except ApiError as exc:
        if exc.status == 404:
            return False
        raise


def ensure_namespace(kube: Kube, namespace: str, render: Render, *, dry_run: bool, app: str, env: str) -> bool:
    """Create the env namespace if missing (unless the render has it). True if kfctl created it."""
    if any(o.kind == "Namespace" and o.name == namespace for o in render.objects):
        return False
    try:
        kube.get(f"/api/v1/namespaces/{namespace}")
        return False
    except ApiError as exc:
        if exc.status == 403:
            return False  # a namespace-scoped user may not read Namespaces; its objects say if it is missing
        if exc.status != 404:
            raise
    body = {"apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": namespace, "annotations": {"kfctl.dev/created-for": f"{app}/{env}"}}}
    q = {"fieldManager": FIELD_MANAGER}
    if dry_run:
        q["dryRun"] = "All"
    kube.request("PATCH", f"/api/v1/namespaces/{namespace}", query={**q, "force": "false"},
                 body=json.dumps(body), content_type=SSA)
    return True


def wait_established(kube: Kube, names: list[str], timeout: float = 60.0) -> list[str]:
    """Wait for CRDs to be Established; returns the names that are not."""
    deadline = time.monotonic() + timeout
    pending = list(names)
    while pending and time.monotonic() < deadline:
        still = []
        for n in pending:
            try:
                crd = kube.get(f"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{n}")
                if not readiness(crd)[0]:
                    still.append(n)
            except ApiError:
                still.append(n)
        pending = still
        if pending:
            time.sleep(0.2)
    return pending


def _refresh_until_served(disco: Discovery, custom: list[RenderedObject], timeout: float = 15.0) -> None:
    """After CRDs are Established, discovery can lag a moment on a real server: refresh until
    every custom kind of this render is served (or the timeout passes; apply then names it)."""
    deadline = time.monotonic() + timeout
    if all(disco.by_gvk.get((o.group, o.version, o.kind)) is not None for o in custom):
        return  # served already (a discovery cache from an earlier apply knows them): no refresh
    while True:
        disco.refresh()
        if all(disco.lookup(o.api_version, o.kind) is not None for o in custom) or time.monotonic() >= deadline:
            return
        time.sleep(0.5)


def apply_render(kube: Kube, render: Render, *, dry_run: bool = False, force_conflicts: bool = False,
                 on_result: Callable[[ObjectResult], None] | None = None,
                 disco: Discovery | None = None) -> tuple[Report, Discovery]:
    report = Report(dry_run=dry_run)
    disco = disco or Discovery(kube)
    app, env, ns = render.app, render.env, render.namespace
    state = load_state(kube, app, env, ns) if not dry_run else EnvState()
    if ensure_namespace(kube, ns, render, dry_run=dry_run, app=app, env=env):
        report.namespace_created = ns
        state.created_namespace = ns
    # what is already there (one labelled list per kind) tells created/configured/unchanged apart
    kinds = {(o.group, o.kind) for o in render.objects}
    live_rv = {}
    try:
        for _res, live in list_owned(kube, disco, kinds, app, env, {o.namespace for o in render.objects if o.namespace}):
            live_rv[identity(live)] = (live.get("metadata") or {}).get("resourceVersion")
    except ApiError:
        pass  # only used for reporting
    crd_kinds = {k for k in render.crd_scopes}
    new_namespaces: set[str] = set()  # dry run: Namespaces of the render that do not exist yet
    auth_failed: list[str] = []

    def one(ro: RenderedObject) -> ObjectResult:
        r = ObjectResult(ro.component, ro.kind, ro.namespace, ro.name, "failed", api_version=ro.api_version)
        if auth_failed:
            r.action, r.error = "skipped", "not attempted: " + auth_failed[0]
            return r
        if unnamed_error(ro):
            r.error = unnamed_error(ro)
            return r
        res = disco.lookup(ro.api_version, ro.kind)
        if res is None:
            if (ro.group, ro.kind) in crd_kinds and dry_run:
                r.action = "created"  # its CRD is in this render and would be created first
                return r
            known = [x for x in disco.by_gvk.values() if x.kind == ro.kind and x.group == ro.group]
            if known:
                r.error = (f"{ro.ref()}: version {ro.api_version} of {ro.kind} is not served by the cluster "
                           f"(served: {', '.join(sorted(x.api_version for x in known))})")
            else:
                r.error = (f"{ro.ref()}: unknown kind {ro.kind} ({ro.api_version}): the cluster has no CRD for it "
                           "and none is in this render; install the CRD or the package that provides it")
            return r
        try:
            status, live = _ssa(kube, res, ro.obj, force=force_conflicts, dry_run=dry_run)
        except ApiError as exc:
            if exc.status == 401:
                auth_failed.append(explain(exc, kube.target))
            if exc.status == 404 and dry_run and ro.namespace and (
                    (ro.namespace == ns and report.namespace_created) or ro.namespace in new_namespaces):
                r.action = "created"  # its namespace would be created first (by apply, or by this render)
                return r
            r.error = explain(exc, kube.target, kind=ro.kind, name=ro.name, namespace=ro.namespace,
                              resource=res.name)
            return r
        r.live = live
        before = live_rv.get(identity(ro.obj))
        if status == 201:
            r.action = "created"
            if dry_run and ro.kind == "Namespace" and not ro.group:
                new_namespaces.add(ro.name)
        elif dry_run and before is None and not _exists(kube, res, ro.obj):
            r.action = "created"  # some servers answer a dry-run create with 200
            if ro.kind == "Namespace" and not ro.group:
                new_namespaces.add(ro.name)
        elif before is not None and before == (live.get("metadata") or {}).get("resourceVersion"):
            r.action = "unchanged"
        else:
            r.action = "configured"
        return r

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for tier in order.tiers(render.objects, get=lambda o: o.obj):
            results = list(pool.map(one, tier))
            for r in results:
                report.results.append(r)
                if on_result:
                    on_result(r)
            crds = [r.name for r in results if r.kind == "CustomResourceDefinition" and r.action != "failed"]
            if crds and not dry_run:
                late = wait_established(kube, crds)
                for r in results:
                    if r.name in late and r.kind == "CustomResourceDefinition":
                        r.action, r.error = "failed", f"{r.ref}: CRD not Established within 60s"
                _refresh_until_served(disco, [o for o in render.objects if (o.group, o.kind) in crd_kinds])
            if auth_failed:
                report.fatal = auth_failed[0]
    if not dry_run:
        applied = {(r.api_version, r.kind) for r in report.results if r.action in ("created", "configured", "unchanged")}
        state.kinds |= {tuple(k) for k in applied}
        try:
            save_state(kube, app, env, ns, state)
        except ApiError:
            pass  # the state is an optimisation for prune; never fail an apply over it
    return report, disco


def kinds_for_prune(render: Render, state: EnvState) -> set[tuple[str, str]]:
    kinds = {(o.group, o.kind) for o in render.objects}
    kinds |= {(group_of(av), k) for av, k in state.kinds}
    return kinds
