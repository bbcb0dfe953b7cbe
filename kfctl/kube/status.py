"""Live state of each rendered object: missing, out of sync, ready, not ready (and why)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from kfctl.kube.client import Kube
from kfctl.kube.discovery import Discovery
from kfctl.kube.errors import ApiError
from kfctl.kube.objects import WORKERS, obj_path, strip_server_fields, unnamed_error
from kfctl.kube.readiness import readiness
from kfctl.render.model import Render, RenderedObject


@dataclass
class ObjectStatus:
    component: str
    kind: str
    namespace: str | None
    name: str
    state: str  # missing | out-of-sync | ready | not-ready | unknown-kind | error
    reason: str = ""


def status_of(kube: Kube, render: Render) -> list[ObjectStatus]:
    disco = Discovery(kube)

    def one(ro: RenderedObject) -> ObjectStatus:
        s = ObjectStatus(ro.component, ro.kind, ro.namespace, ro.name, "missing")
        if unnamed_error(ro):
            s.state, s.reason = "error", unnamed_error(ro)
            return s
        res = disco.lookup(ro.api_version, ro.kind)
        if res is None:
            s.state, s.reason = "unknown-kind", f"the cluster does not serve {ro.api_version} {ro.kind}"
            return s
        path = obj_path(res, ro.obj)
        try:
            live = kube.get(path)
        except ApiError as exc:
            if exc.status == 404:
                return s
            s.state, s.reason = "error", str(exc)
            return s
        try:
            _, merged = kube.request("PATCH", path, query={"fieldManager": "kfctl", "force": "true", "dryRun": "All"},
                                     body=json.dumps(ro.obj), content_type="application/apply-patch+yaml")
            if strip_server_fields(merged) != strip_server_fields(live):
                s.state, s.reason = "out-of-sync", "the live object differs from the render (see 'kfctl diff')"
                return s
        except ApiError as exc:
            s.state, s.reason = "error", str(exc)
            return s
        ok, why = readiness(live)
        s.state, s.reason = ("ready" if ok else "not-ready"), why
        return s

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(one, render.objects))
