"""Live state of each rendered object: missing, out of sync, ready, not ready (and why).

Batched for large envs: one labelled LIST per kind finds the live objects (a GET only for those
the list does not return, e.g. objects without kfctl's labels); an object is in sync when
:func:`kfctl.kube.sync.in_sync` can tell locally, else a server-side dry-run apply decides.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from kfctl.kube.client import Kube
from kfctl.kube.errors import ApiError
from kfctl.kube.discovery import Discovery
from kfctl.kube.objects import WORKERS, identity, list_owned, obj_path, strip_server_fields, unnamed_error
from kfctl.kube.pool import run_parallel
from kfctl.kube.readiness import readiness
from kfctl.kube.sync import in_sync
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
    kinds = {(o.group, o.kind) for o in render.objects}
    namespaces = {o.namespace for o in render.objects if o.namespace} | {render.namespace}
    unlisted: dict[tuple[str, str], int] = {}
    listed = {identity(live): live for _res, live in
              list_owned(kube, disco, kinds, render.app, render.env, namespaces, failed=unlisted)}

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
        live = listed.get(identity(ro.obj))
        if live is None or live.get("apiVersion") != ro.api_version:
            try:
                live = kube.get(path)
            except ApiError as exc:
                if exc.status == 404:
                    return s
                s.state, s.reason = "error", str(exc)
                return s
        if not in_sync(ro.obj, live):
            try:
                _, merged = kube.request("PATCH", path, query={"fieldManager": "kfctl", "force": "true",
                                                                "dryRun": "All"},
                                         body=json.dumps(ro.obj), content_type="application/apply-patch+yaml")
            except ApiError as exc:
                s.state, s.reason = "error", str(exc)
                return s
            if strip_server_fields(merged) != strip_server_fields(live):
                s.state, s.reason = "out-of-sync", "the live object differs from the render (see 'kfctl diff')"
                return s
        ok, why = readiness(live)
        s.state, s.reason = ("ready" if ok else "not-ready"), why
        return s

    return run_parallel(one, render.objects, WORKERS, cancel=kube.cancelled)
