"""Diff a render against a cluster: server-side dry-run apply, compared with the live object."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from kfctl.kube.client import Kube
from kfctl.kube.discovery import Discovery
from kfctl.kube.errors import ApiError, explain
from kfctl.kube.objects import (WORKERS, identity, kinds_and_namespaces, listed_live, obj_path, strip_server_fields,
                                unnamed_error)
from kfctl.kube.pool import run_parallel
from kfctl.render.envdiff import DiffEntry, count_entries
from kfctl.render.model import Render, RenderedObject
from kfctl.render.redact import normalize_secret, redact
from kfctl.util.textdiff import unified


@dataclass
class ClusterDiff:
    env: str
    entries: list[DiffEntry] = field(default_factory=list)
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return count_entries(self.entries, self.unchanged)


def _clean(obj: dict | None, show_secrets: bool) -> dict | None:
    if obj is None:
        return None
    o = strip_server_fields(obj)
    return normalize_secret(o) if show_secrets else redact(o)


def diff_render(kube: Kube, render: Render, *, show_secrets: bool = False, prune: bool = False) -> ClusterDiff:
    disco = Discovery(kube)
    result = ClusterDiff(render.env)
    # what this app/env has live: one labelled list per kind (an object not listed is read alone)
    listed, unlisted = listed_live(kube, disco, *kinds_and_namespaces(render.objects), render.app, render.env)

    def one(ro: RenderedObject):
        if unnamed_error(ro):
            return ro, None, None, unnamed_error(ro)
        res = disco.lookup(ro.api_version, ro.kind)
        if res is None:  # the kind arrives with a CRD in this render, or is unknown: an addition either way
            return ro, None, ro.obj, None
        path = obj_path(res, ro.obj)
        live = listed.get(identity(ro.obj))
        if live is None or live.get("apiVersion") != ro.api_version or (ro.group, ro.kind) in unlisted:
            try:  # (not listed: unlabelled or absent; listed at another version: read at the render's)
                live = kube.get(path)
            except ApiError as exc:
                if exc.status != 404:
                    return ro, None, None, explain(exc, kube.target, kind=ro.kind, name=ro.name,
                                                   namespace=ro.namespace)
                live = None
        try:
            _, merged = kube.request("PATCH", path, query={"fieldManager": "kfctl", "force": "true", "dryRun": "All"},
                                     body=json.dumps(ro.obj), content_type="application/apply-patch+yaml")
        except ApiError as exc:
            if exc.status == 404 and live is None:  # e.g. its namespace does not exist yet
                return ro, None, ro.obj, None
            return ro, live, None, explain(exc, kube.target, kind=ro.kind, name=ro.name, namespace=ro.namespace)
        return ro, live, merged, None

    outcomes = run_parallel(one, render.objects, WORKERS, cancel=kube.cancelled)
    for ro, live, merged, err in outcomes:
        if err:
            result.errors.append(err)
            continue
        left, right = _clean(live, show_secrets), _clean(merged, show_secrets)
        if left == right:
            result.unchanged += 1
            continue
        status = "added" if live is None else "changed"
        name = f"{render.env}/{ro.ref()}"
        result.entries.append(DiffEntry(status, ro.ref(), unified(left, right, f"live/{ro.ref()}" if live else "/dev/null",
                                                                  name)))
    if prune:
        from kfctl.kube.prune import prune_candidates

        for c in prune_candidates(kube, disco, render):
            left = _clean(c.obj, show_secrets)
            result.entries.append(DiffEntry("removed", f"{c.component}/{c.ref}",
                                            unified(left, None, f"live/{c.component}/{c.ref}", "/dev/null")))
    return result
