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


# ------------------------------------------------------------------------------ object names
# The rules the API server applies to metadata.name (apimachinery's ValidateObjectMeta with the
# kind's name function): most kinds take an RFC 1123 subdomain, Services an RFC 1035 label,
# Namespaces an RFC 1123 label, RBAC objects any path segment.
SUBDOMAIN = ("must be a lowercase RFC 1123 subdomain: lower case letters, digits, '-' or '.', starting and "
             "ending with a letter or digit, at most 253 characters")
LABEL_1035 = ("must be a lowercase RFC 1035 label: lower case letters, digits or '-', starting with a letter and "
              "ending with a letter or digit, at most 63 characters")
LABEL_1123 = ("must be a lowercase RFC 1123 label: lower case letters, digits or '-', starting and ending with a "
              "letter or digit, at most 63 characters")
PATH_SEGMENT = "may not contain '/' or '%', nor be '.' or '..'"

_SUBDOMAIN_RE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_LABEL_1035_RE = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
_LABEL_1123_RE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_RBAC = "rbac.authorization.k8s.io"
_RULES = {("", "Service"): "1035", ("", "Namespace"): "1123", ("serving.knative.dev", "Service"): "1035",
          **{(_RBAC, k): "path" for k in ("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding")}}


def name_problem(api_version: str, kind: str, name: str) -> str | None:
    """Why the API server would refuse ``name`` as the name of a ``kind`` object, or None."""
    rule = _RULES.get((group_of(api_version), kind), "subdomain")
    if rule == "path":
        bad = name in (".", "..") or "/" in name or "%" in name
        return PATH_SEGMENT if bad else None
    if rule == "1035":
        return None if len(name) <= 63 and _LABEL_1035_RE.match(name) else LABEL_1035
    if rule == "1123":
        return None if len(name) <= 63 and _LABEL_1123_RE.match(name) else LABEL_1123
    return None if len(name) <= 253 and _SUBDOMAIN_RE.match(name) else SUBDOMAIN


def namespace_problem(namespace: str) -> str | None:
    return None if len(namespace) <= 63 and _LABEL_1123_RE.match(namespace) else LABEL_1123
