"""CRD clash detection against the cluster: a rendered CRD whose live counterpart serves or stores
other versions, or belongs to someone else (another kfctl app/env/component, Helm, another
manager), is an error before diff/apply — naming both sources and the param that resolves it.
(Two components of one render defining the same CRD are caught by the render pipeline.)"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from kfctl.errors import KfctlError
from kfctl.render.model import LABEL_APP, LABEL_COMPONENT, LABEL_ENV, LABEL_MANAGED_BY, MANAGED_BY, RenderedObject


class CrdConflictError(KfctlError):
    """A rendered CRD clashes with the cluster's."""


@dataclass
class Owner:
    text: str  # "kfctl app ml env prod component mpi", "Helm release kueue", "managed by argocd", ""
    kfctl: tuple[str, str, str] | None = None


def owner_of(obj: dict) -> Owner:
    meta = obj.get("metadata") or {}
    labels = meta.get("labels") or {}
    annotations = meta.get("annotations") or {}
    if labels.get(LABEL_MANAGED_BY) == MANAGED_BY:
        key = (str(labels.get(LABEL_APP, "")), str(labels.get(LABEL_ENV, "")), str(labels.get(LABEL_COMPONENT, "")))
        return Owner(f"kfctl app {key[0]} env {key[1]} component {key[2]}", key)
    if annotations.get("meta.helm.sh/release-name"):
        return Owner(f"Helm release {annotations.get('meta.helm.sh/release-namespace', '')}/"
                     f"{annotations['meta.helm.sh/release-name']}".replace(" /", " "))
    if labels.get(LABEL_MANAGED_BY):
        return Owner(f"managed by {labels[LABEL_MANAGED_BY]}")
    return Owner("")


def live_clashes(rendered: Sequence[RenderedObject], live: dict[str, dict | None],
                 package_of: Callable[[str], str | None] = lambda component: None) -> list[str]:
    """One line per rendered CRD that clashes with the live one of the same name (``package_of``:
    component → the built-in package whose prototype made it, for the param that resolves it)."""
    from kfctl.registry.builtin_crds import describe, resolution, sources, versions_of

    out = []
    for ro in rendered:
        if ro.kind != "CustomResourceDefinition":
            continue
        cur = live.get(ro.name)
        if cur is None:
            continue
        want_served, want_storage = versions_of(ro.obj)
        have_served, have_storage = versions_of(cur)
        mine, theirs = owner_of(ro.obj), owner_of(cur)
        problems = []
        foreign = ""
        same_owner = theirs.kfctl is not None and theirs.kfctl == mine.kfctl
        if same_owner:
            # an upgrade by the same component: fine unless the stored version stops being served
            if have_storage and have_storage not in want_served:
                problems.append(f"the cluster stores {have_storage}, which the render no longer serves "
                                f"(objects stored as {have_storage} would become unreadable)")
        else:
            # whose each definition is: another release's CRD of the same name (arena's TFJob v1 and
            # training-operator's) is a clash even with the same versions
            live_src, want_src = sources(cur), sources(ro.obj)
            foreign = ", ".join(sorted(live_src)) if live_src and want_src and not live_src & want_src else ""
            if (set(want_served), want_storage) != (set(have_served), have_storage):
                problems.append(f"the cluster's{f' (from {foreign})' if foreign else ''} serves "
                                f"{', '.join(have_served) or 'none'} and stores {have_storage or 'none'}")
            elif foreign:
                problems.append(f"the cluster's is another definition, from {foreign}")
            if theirs.text:
                problems.append(f"the cluster's belongs to {theirs.text}")
        if not problems:
            continue
        fix = resolution(ro.component, ro.obj, package_of(ro.component))
        how = f"; set {fix}" if fix else ""
        if theirs.text and not theirs.kfctl:
            how += f"{', or' if fix else ';'} remove the CRD from {theirs.text} first"
        elif foreign and not theirs.text:
            how += (f"{', or' if fix else ';'} uninstall {foreign} and delete its CRD first (deleting a CRD "
                    "deletes every object of its kind)")
        out.append(f"CRD clash: {ro.name} rendered by component {describe(ro.component, ro.obj)}: "
                   f"{' and '.join(problems)}{how}")
    return out
