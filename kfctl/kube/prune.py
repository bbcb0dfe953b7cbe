"""Prune: delete what this app/env created before and no longer renders — and nothing else.

Rules (design.md): only kinds the app has used (recorded on the cluster) or renders now; only
objects carrying this app/env's ownership labels; never objects in the current render; never the
default/kube-* namespaces; never controller-owned objects; never kfctl's own state ConfigMap or the
env namespace apply created on its own; never when the render is empty.
"""

from __future__ import annotations

from dataclasses import dataclass

from kfctl.errors import KfctlError
from kfctl.kube.client import Kube
from kfctl.kube.discovery import Discovery, Resource
from kfctl.kube.errors import ApiError
from kfctl.kube.objects import PROTECTED_NAMESPACES, controller_owned, identity, is_owned, list_owned, obj_path
from kfctl.kube.state import STATE_LABEL, load_state
from kfctl.render import order
from kfctl.render.model import Render


@dataclass
class Candidate:
    resource: Resource
    obj: dict
    component: str

    @property
    def ref(self) -> str:
        m = self.obj.get("metadata") or {}
        return f"{self.obj.get('kind')} {m.get('namespace') + '/' if m.get('namespace') else ''}{m.get('name')}"


def prune_candidates(kube: Kube, disco: Discovery, render: Render) -> list[Candidate]:
    if not render.objects:
        raise KfctlError(f"refusing to prune: environment {render.env!r} renders no objects "
                         "(an empty render would delete everything the app owns)")
    from kfctl.kube.apply import kinds_for_prune

    state = load_state(kube, render.app, render.env, render.namespace)
    kinds = kinds_for_prune(render, state)
    wanted = {identity(o.obj) for o in render.objects}
    namespaces = {o.namespace for o in render.objects if o.namespace} | {render.namespace}
    listed = list_owned(kube, disco, kinds, render.app, render.env, namespaces)
    # a server can serve one object under two groups (Deployment in extensions/v1beta1 and apps/v1,
    # Ingress in extensions and networking.k8s.io): never prune the alias of a rendered object
    wanted_uids = {(live.get("metadata") or {}).get("uid") for _, live in listed if identity(live) in wanted} - {None}
    out = []
    for res, live in listed:
        meta = live.get("metadata") or {}
        if identity(live) in wanted or not is_owned(live, render.app, render.env):
            continue
        if meta.get("uid") in wanted_uids:
            continue
        if (meta.get("labels") or {}).get(STATE_LABEL) == "true":
            continue
        if live.get("kind") == "Namespace" and (meta.get("name") in PROTECTED_NAMESPACES
                                                or meta.get("name") == state.created_namespace
                                                or str(meta.get("name", "")).startswith("kube-")):
            continue
        if controller_owned(live):
            continue
        comp = (meta.get("labels") or {}).get("kfctl.dev/component", "?")
        out.append(Candidate(res, live, comp))
    out.sort(key=lambda c: order.sort_key(c.obj), reverse=True)
    return out


def delete_object(kube: Kube, res: Resource, obj: dict, *, dry_run: bool = False) -> str | None:
    """DELETE with a UID precondition (never a recreated object); returns None or an error text."""
    meta = obj.get("metadata") or {}
    body = {"apiVersion": "v1", "kind": "DeleteOptions", "propagationPolicy": "Background"}
    if meta.get("uid"):
        body["preconditions"] = {"uid": meta["uid"]}
    q = {"dryRun": "All"} if dry_run else None
    try:
        kube.request("DELETE", obj_path(res, obj), query=q, body=body)
    except ApiError as exc:
        if exc.status == 404:
            return None  # already gone
        if exc.status == 409:
            return f"{obj.get('kind')} {meta.get('name')}: it was recreated since it was listed; left alone"
        from kfctl.kube.errors import explain

        return explain(exc, kube.target, kind=obj.get("kind", ""), name=meta.get("name", ""),
                       namespace=meta.get("namespace"), resource=res.name)
    return None
