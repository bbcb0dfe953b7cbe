"""Validation of user-chosen names (environments, components, namespaces).

A name that is too long is told the limit (not "use letters"), and a long name is shown cut
("aaaa…") so the error stays one readable line.
"""

from __future__ import annotations

import re

from kfctl.errors import UsageError

_DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
SHOWN = 40  # characters of a long name shown in an error


def shown_name(name: str) -> str:
    return repr(name if len(name) <= SHOWN else name[:SHOWN] + "…")


def _too_long(what: str, name: str, limit: int) -> None:
    if len(name) > limit:
        raise UsageError(f"invalid {what} {shown_name(name)}: {len(name)} characters, at most {limit} allowed")


def validate_env_name(name: str) -> str:
    """Env names are DNS-1123 labels, optionally nested with '/' as ksonnet allowed (us-west/prd)."""
    _too_long("environment name", name, 253)
    for part in name.split("/"):
        if len(part) > 63:
            raise UsageError(f"invalid environment name {shown_name(name)}: {shown_name(part)[1:-1]!r} has "
                             f"{len(part)} characters, at most 63 allowed between '/'")
    if not name or not all(_DNS1123_LABEL.match(p) for p in name.split("/")):
        raise UsageError(
            f"invalid environment name {shown_name(name)}: use lower-case letters, digits and '-' "
            "(a DNS-1123 label, e.g. 'dev' or 'us-west/prd'), starting and ending with a letter or digit"
        )
    return name


def validate_namespace(name: str) -> str:
    """Kubernetes namespaces are DNS-1123 labels (the API server rejects anything else)."""
    _too_long("namespace", name or "", 63)
    if not _DNS1123_LABEL.match(name or ""):
        raise UsageError(
            f"invalid namespace {shown_name(name or '')}: use at most 63 lower-case letters, digits and '-', "
            "starting and ending with a letter or digit"
        )
    return name


def validate_component_name(name: str, *, what: str = "component") -> str:
    _too_long(f"{what} name", name or "", 253)
    if not name or not re.match(r"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$", name):
        raise UsageError(
            f"invalid {what} name {shown_name(name or '')}: use letters, digits, '-', '_' or '.', "
            "starting and ending with a letter or digit"
        )
    return name
