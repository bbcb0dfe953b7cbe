"""Delete what an env renders and this app/env owns, in reverse apply order."""

from __future__ import annotations

import time

from kfctl.kube.apply import ObjectResult, Report
from kfctl.kube.client import Kube
from kfctl.kube.discovery import Discovery
from kfctl.kube.errors import ApiError
from kfctl.kube.objects import (PROTECTED_NAMESPACES, WORKERS, identity, is_owned, kinds_and_namespaces, listed_live,
                                obj_path)
from kfctl.kube.pool import run_parallel
from kfctl.kube.prune import delete_object
from kfctl.render import order
from kfctl.render.model import Render, RenderedObject
from kfctl.util.k8s import group_of


def delete_render(kube: Kube, render: Render, *, dry_run: bool = False, wait: bool = False,
                  timeout: float = 300.0, on_result=None) -> Report:
    disco = Discovery(kube)
    report = Report(dry_run=dry_run)
    tiers = order.tiers(render.objects, get=lambda o: o.obj)
    # what this app/env owns: one labelled list per kind; an object not listed is read alone (to tell
    # "not found" from "not owned by this app/env")
    listed, unlisted = listed_live(kube, disco, *kinds_and_namespaces(render.objects), render.app, render.env)

    def one(ro: RenderedObject) -> ObjectResult:
        r = ObjectResult(ro.component, ro.kind, ro.namespace, ro.name, "skipped", api_version=ro.api_version)
        if not ro.name:
            r.error = "has no metadata.name (generateName): kfctl never applied it"
            return r
        if ro.kind == "Namespace" and not ro.group and (ro.name in PROTECTED_NAMESPACES or ro.name.startswith("kube-")):
            r.error = "a system namespace: left alone"
            return r
        res = disco.lookup(ro.api_version, ro.kind)
        if res is None:
            r.error = "kind not served by the cluster: nothing to delete"
            return r
        live = listed.get(identity(ro.obj)) if (ro.group, ro.kind) not in unlisted else None
        if live is None:
            try:
                live = kube.get(obj_path(res, ro.obj))
            except ApiError as exc:
                if exc.status == 404:
                    r.error = "not found"
                    return r
                r.action, r.error = "failed", str(exc)
                return r
        if not is_owned(live, render.app, render.env):
            r.error = "not owned by this app/env: left alone"
            return r
        err = delete_object(kube, res, live, dry_run=dry_run)
        if err:
            r.action, r.error = "failed", err
        else:
            r.action = "deleted"
            r.live = live
        return r

    for tier in reversed(tiers):
        results = run_parallel(one, tier, WORKERS, cancel=kube.cancelled)
        for r in results:
            report.results.append(r)
            if on_result:
                on_result(r)
        if wait and not dry_run:
            _wait_gone(kube, disco, [r for r in results if r.action == "deleted"], timeout, render.app, render.env)
    return report


def _wait_gone(kube: Kube, disco: Discovery, results: list[ObjectResult], timeout: float, app: str,
               env: str) -> None:
    """Until every deleted object is gone: each round one labelled list per kind (an object kfctl just
    deleted still carries this app/env's labels while it terminates); a kind that cannot be listed is read
    object by object."""
    deadline = time.monotonic() + timeout
    pending = list(results)
    while pending and time.monotonic() < deadline:
        there, failed = listed_live(kube, disco, {(group_of(r.api_version), r.kind) for r in pending},
                                    {r.namespace for r in pending if r.namespace}, app, env)
        still = []
        for r in pending:
            group = group_of(r.api_version)
            if (group, r.kind) not in failed:  # listed: still there (terminating); not listed: gone
                if (group, r.kind, r.namespace or "", r.name) in there:
                    still.append(r)
                continue
            res = disco.lookup(r.api_version, r.kind)
            try:
                kube.get(obj_path(res, {"metadata": {"name": r.name, "namespace": r.namespace}}))
                still.append(r)
            except ApiError as exc:
                if exc.status != 404:
                    still.append(r)
        pending = still
        if pending:
            time.sleep(0.3)
    for r in pending:
        r.action, r.error = "failed", f"still present after {int(timeout)}s"
