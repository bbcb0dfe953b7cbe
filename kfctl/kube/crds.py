"""Read the cluster's CustomResourceDefinitions that a render also defines (for the clash check)."""

from __future__ import annotations

from typing import Iterable
from urllib.parse import quote

CRD_PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"


def live_crds(kube, names: Iterable[str]) -> dict[str, dict | None]:
    """name → the live CRD object, or None when the cluster has none of that name."""
    from kfctl.kube.errors import ApiError

    wanted = sorted(set(names))
    if len(wanted) >= 3:  # one list instead of a GET each (an apply with nothing to change sends ~kinds requests)
        try:
            items = kube.get(CRD_PATH).get("items") or []
        except ApiError as exc:
            if exc.status not in (403, 405):
                raise
        else:
            by_name = {(i.get("metadata") or {}).get("name"): i for i in items}
            for item in items:
                item.setdefault("apiVersion", "apiextensions.k8s.io/v1")
                item.setdefault("kind", "CustomResourceDefinition")
            return {n: by_name.get(n) for n in wanted}
    out: dict[str, dict | None] = {}
    for name in wanted:
        try:
            out[name] = kube.get(f"{CRD_PATH}/{quote(name, safe='')}")
        except ApiError as exc:
            if exc.status != 404:
                raise
            out[name] = None
    return out
