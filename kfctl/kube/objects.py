"""Mapping rendered objects to API paths, and listing what an app/env owns on a cluster."""

from __future__ import annotations

from dataclasses import dataclass

from kfctl.kube.client import Kube, object_path
from kfctl.kube.discovery import Discovery, Resource
from kfctl.kube.errors import ApiError
from kfctl.render.model import LABEL_APP, LABEL_ENV, LABEL_MANAGED_BY, MANAGED_BY, label_value
from kfctl.util.k8s import group_of

PROTECTED_NAMESPACES = {"default", "kube-system", "kube-public", "kube-node-lease"}
WORKERS = 8


def owner_selector(app: str, env: str) -> str:
    return f"{LABEL_MANAGED_BY}={MANAGED_BY},{LABEL_APP}={label_value(app)},{LABEL_ENV}={label_value(env)}"


def obj_path(res: Resource, obj: dict, *, subresource: str | None = None) -> str:
    meta = obj.get("metadata") or {}
    ns = meta.get("namespace") if res.namespaced else None
    return object_path(res.base, ns, res.name, meta.get("name"), subresource)


def unnamed_error(ro) -> str | None:
    """A rendered object without metadata.name (generateName only) has no path to apply, diff or delete:
    server-side apply cannot create it (kubectl refuses it as well)."""
    if ro.name:
        return None
    gen = (ro.obj.get("metadata") or {}).get("generateName") or ""
    return (f"{ro.component}/{ro.kind} {gen}*: has generateName but no metadata.name; server-side apply needs a "
            "fixed name (set metadata.name)")


def identity(obj: dict) -> tuple[str, str, str, str]:
    group = group_of(str(obj.get("apiVersion", "")))
    meta = obj.get("metadata") or {}
    return (group, str(obj.get("kind", "")), meta.get("namespace") or "", meta.get("name") or "")


def is_owned(live: dict, app: str, env: str) -> bool:
    labels = (live.get("metadata") or {}).get("labels") or {}
    return (labels.get(LABEL_MANAGED_BY) == MANAGED_BY and labels.get(LABEL_APP) == label_value(app)
            and labels.get(LABEL_ENV) == label_value(env))


def controller_owned(live: dict) -> bool:
    return any(ref.get("controller") for ref in (live.get("metadata") or {}).get("ownerReferences") or [])


@dataclass
class Listed:
    resource: Resource
    objects: list[dict]


def list_owned(kube: Kube, disco: Discovery, kinds: set[tuple[str, str]] | list[Resource], app: str, env: str,
               namespaces: set[str], *, failed: dict | None = None) -> list[tuple[Resource, dict]]:
    """Every live object of ``kinds`` ((group, kind), or discovered resources) labelled as this
    app/env's.  Lists cluster-wide with a label selector; where that is forbidden, per namespace.
    With ``failed``, a kind whose list fails or is forbidden somewhere is recorded there
    ((group, kind) -> HTTP status) instead of raising, with whatever could be listed returned."""
    sel = owner_selector(app, env)
    resources = []
    for k in sorted(kinds, key=lambda x: (x.group, x.kind) if isinstance(x, Resource) else x):
        res = k if isinstance(k, Resource) else disco.for_group_kind(*k)
        if res is not None and "list" in res.verbs and res not in resources:
            resources.append(res)

    def fetch(res: Resource) -> list[tuple[Resource, dict]]:
        if failed is None:
            return _fetch(res)
        try:
            return _fetch(res)
        except ApiError as exc:
            failed[(res.group, res.kind)] = exc.status
            return []

    def _fetch(res: Resource) -> list[tuple[Resource, dict]]:
        try:
            doc = kube.get(object_path(res.base, None, res.name), labelSelector=sel)
            items = doc.get("items") or []
        except ApiError as exc:
            if exc.status != 403 or not res.namespaced:
                if exc.status == 404:
                    return []
                raise
            items = []
            for ns in sorted(namespaces):
                try:
                    items += kube.get(object_path(res.base, ns, res.name), labelSelector=sel).get("items") or []
                except ApiError as inner:
                    if inner.status not in (403, 404):
                        raise
                    if inner.status == 403 and failed is not None:
                        failed[(res.group, res.kind)] = 403  # incomplete: the caller reads those objects itself
        out = []
        for it in items:
            it.setdefault("apiVersion", res.api_version)
            it.setdefault("kind", res.kind)
            out.append((res, it))
        return out

    from kfctl.kube.pool import run_parallel

    found: list[tuple[Resource, dict]] = []
    for chunk in run_parallel(fetch, resources, WORKERS, cancel=kube.cancelled):
        found += chunk
    return found


def listed_live(kube: Kube, disco: Discovery, kinds: set[tuple[str, str]], namespaces: set[str], app: str,
                env: str) -> tuple[dict[tuple, dict], set]:
    """This app/env's live objects of ``kinds`` ((group, kind)), one labelled list per kind:
    ``(identity → live, kinds to read object by object)`` — the kinds whose list failed or was forbidden
    somewhere (all of them when listing failed).  An object the lists do not show may still exist
    unlabelled: read it to know."""
    failed: dict = {}
    live: dict[tuple, dict] = {}
    try:
        for _res, obj in list_owned(kube, disco, kinds, app, env, namespaces, failed=failed):
            live[identity(obj)] = obj
    except ApiError:
        return {}, set(kinds)
    return live, set(failed)


def kinds_and_namespaces(objects) -> tuple[set[tuple[str, str]], set[str]]:
    """The (group, kind)s of rendered objects that have a name, and their namespaces."""
    return {(o.group, o.kind) for o in objects if o.name}, {o.namespace for o in objects if o.namespace}


def strip_server_fields(obj: dict) -> dict:
    """Drop server-managed noise for comparisons (design.md)."""
    import copy

    o = copy.deepcopy(obj)
    o.pop("status", None)
    meta = o.get("metadata") or {}
    for k in ("managedFields", "resourceVersion", "uid", "generation", "creationTimestamp", "selfLink",
              "deletionTimestamp", "deletionGracePeriodSeconds"):
        meta.pop(k, None)
    ann = meta.get("annotations")
    if isinstance(ann, dict):
        ann.pop("deployment.kubernetes.io/revision", None)
        if not ann:
            meta.pop("annotations", None)
    return o
