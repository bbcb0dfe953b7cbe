"""Kubernetes names: the group of an apiVersion, and Kubernetes versions (``v1.30.0``, ``1.30``)."""

from __future__ import annotations

import re

_VERSION = re.compile(r"^v?(\d+)\.(\d+)(?:\.(\d+))?(.*)$", re.S)


def split_api_version(api_version: str) -> tuple[str, str]:
    """``apps/v1`` → (``apps``, ``v1``); ``v1`` → (``""``, ``v1``): the core group."""
    group, _, version = api_version.rpartition("/")
    return group, version


def group_of(api_version: str) -> str:
    return split_api_version(api_version)[0]


def parse_k8s_version(text: str) -> tuple[int, int, int | None, str] | None:
    """``v1.30.2-gke.1`` → (1, 30, 2, "-gke.1"); None when it does not start like MAJOR.MINOR.

    Callers decide what may follow (``rest``) and word their own error."""
    m = _VERSION.match(str(text).strip())
    if not m:
        return None
    return int(m.group(1)), int(m.group(2)), (int(m.group(3)) if m.group(3) is not None else None), m.group(4)
