"""Read the cluster's CustomResourceDefinitions that a render also defines (for the clash check)."""

from __future__ import annotations

from typing import Iterable
from urllib.parse import quote

CRD_PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"


def live_crds(kube, names: Iterable[str]) -> dict[str, dict | None]:
    """name → the live CRD object, or None when the cluster has none of that name."""
    from kfctl.kube.errors import ApiError

    out: dict[str, dict | None] = {}
    for name in sorted(set(names)):
        try:
            out[name] = kube.get(f"{CRD_PATH}/{quote(name, safe='')}")
        except ApiError as exc:
            if exc.status != 404:
                raise
            out[name] = None
    return out
