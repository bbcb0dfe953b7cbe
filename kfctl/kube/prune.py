"""Prune: delete what this app/env created before and no longer renders — and nothing else.

Rules (design.md): objects carrying this app/env's ownership labels, of the kinds the app has
used (recorded on the cluster) or renders now — and of every other kind discovery offers that can
be listed and deleted, so a kind the state record lost (a failed state write, a ConfigMap deleted
by hand) is still found; never objects in the current render; never the
default/kube-* namespaces; never controller-owned objects; never objects whose managedFields show
that kfctl's field manager never wrote them (labels can be copied: Endpoints carry their Service's); never kfctl's own state ConfigMap or the
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


# never listed in the sweep: kfctl does not apply them, and a labelled list of them is costly
SWEEP_SKIP = {("", "Event"), ("events.k8s.io", "Event")}


def sweep_resources(disco: Discovery, known: set[tuple[str, str]]) -> list[Resource]:
    """Every (preferred-version) kind discovery offers that supports list and delete, except ``known``."""
    out = []
    for (group, kind), res in sorted(disco.preferred.items()):
        if (group, kind) in known or (group, kind) in SWEEP_SKIP:
            continue
        if "list" in res.verbs and "delete" in res.verbs:
            out.append(res)
    return out


def applied_by_kfctl(live: dict) -> bool | None:
    """Whether kfctl's field manager wrote this object (its managedFields say so); None when the
    server keeps no managedFields for it.  Labels alone are no proof: controllers copy them
    (the endpoints controller copies a Service's labels onto its Endpoints)."""
    from kfctl.kube.apply import FIELD_MANAGER

    fields = (live.get("metadata") or {}).get("managedFields")
    if not fields:
        return None
    return any(isinstance(m, dict) and m.get("manager") == FIELD_MANAGER for m in fields)


def prune_candidates(kube: Kube, disco: Discovery, render: Render, *,
                     warnings: list[str] | None = None) -> list[Candidate]:
    """What prune would delete, in reverse apply order.  ``warnings`` receives a line for each kind
    of the discovery sweep that could not be listed (its orphans, if any, are not seen)."""
    if not render.objects:
        raise KfctlError(f"refusing to prune: environment {render.env!r} renders no objects "
                         "(an empty render would delete everything the app owns)")
    from kfctl.kube.apply import kinds_for_prune

    state = load_state(kube, render.app, render.env, render.namespace)
    kinds = kinds_for_prune(render, state)
    wanted = {identity(o.obj) for o in render.objects}
    namespaces = {o.namespace for o in render.objects if o.namespace} | {render.namespace}
    listed = list_owned(kube, disco, kinds, render.app, render.env, namespaces)
    unlisted: dict[tuple[str, str], int] = {}
    swept = list_owned(kube, disco, sweep_resources(disco, kinds), render.app, render.env, namespaces,
                       failed=unlisted)
    # a kind kfctl never recorded is pruned only where managedFields prove that kfctl applied it
    listed += [(res, live) for res, live in swept if applied_by_kfctl(live)]
    if warnings is not None:  # (a kind this user may not list is one it could not have created either)
        for (group, kind), code in sorted(unlisted.items()):
            if code not in (403, 405):
                warnings.append(f"could not list {kind}{'.' + group if group else ''} objects (HTTP {code}); "
                                "orphans of that kind, if any, are not pruned")
    # a server can serve one object under two groups (Deployment in extensions/v1beta1 and apps/v1,
    # Ingress in extensions and networking.k8s.io): never prune the alias of a rendered object
    wanted_uids = {(live.get("metadata") or {}).get("uid") for _, live in listed if identity(live) in wanted} - {None}
    out = []
    seen_uids: set[str] = set()
    for res, live in listed:
        meta = live.get("metadata") or {}
        if identity(live) in wanted or not is_owned(live, render.app, render.env):
            continue
        if meta.get("uid") in wanted_uids or (meta.get("uid") and meta.get("uid") in seen_uids):
            continue  # the alias of a rendered object, or an orphan already listed under another group
        if meta.get("uid"):
            seen_uids.add(meta["uid"])
        if (meta.get("labels") or {}).get(STATE_LABEL) == "true":
            continue
        if live.get("kind") == "Namespace" and (meta.get("name") in PROTECTED_NAMESPACES
                                                or meta.get("name") == state.created_namespace
                                                or str(meta.get("name", "")).startswith("kube-")):
            continue
        if controller_owned(live) or applied_by_kfctl(live) is False:
            continue  # a controller's object, or one with copied labels that kfctl never wrote
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
