"""Validation of user-chosen names (environments, components)."""

from __future__ import annotations

import re

from kfctl.errors import UsageError

_DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


def validate_env_name(name: str) -> str:
    """Env names are DNS-1123 labels, optionally nested with '/' as ksonnet allowed (us-west/prd)."""
    parts = name.split("/")
    if not name or len(name) > 253 or not all(_DNS1123_LABEL.match(p) and len(p) <= 63 for p in parts):
        raise UsageError(
            f"invalid environment name {name!r}: use lower-case letters, digits and '-' "
            "(a DNS-1123 label, e.g. 'dev' or 'us-west/prd'), starting and ending with a letter or digit"
        )
    return name


def validate_namespace(name: str) -> str:
    """Kubernetes namespaces are DNS-1123 labels (the API server rejects anything else)."""
    if not _DNS1123_LABEL.match(name or "") or len(name) > 63:
        raise UsageError(
            f"invalid namespace {name!r}: use at most 63 lower-case letters, digits and '-', "
            "starting and ending with a letter or digit"
        )
    return name


def validate_component_name(name: str, *, what: str = "component") -> str:
    if not name or len(name) > 253 or not re.match(r"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$", name):
        raise UsageError(
            f"invalid {what} name {name!r}: use letters, digits, '-', '_' or '.', "
            "starting and ending with a letter or digit"
        )
    return name
