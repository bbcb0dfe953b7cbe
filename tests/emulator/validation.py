"""Admission-time checks (422 Invalid with details.causes) and the few defaults the real server adds."""

from __future__ import annotations

import re

from .errors import ApiError, bad_request, invalid
from .resources import ResourceType

_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_LABEL_KINDS = {"Namespace", "Service"}


def check_identity(rt: ResourceType, obj: dict, *, url_namespace: str | None, url_name: str | None) -> None:
    """apiVersion/kind/name/namespace of a body against the URL it was sent to."""
    if not isinstance(obj, dict):
        raise bad_request("the body of the request was in an unknown format")
    md = obj.get("metadata")
    if md is not None and not isinstance(md, dict):
        raise bad_request("metadata must be an object")
    md = md or {}
    name = md.get("name") or ""
    causes = []
    if obj.get("apiVersion") and obj["apiVersion"] != rt.group_version:
        causes.append(("FieldValueInvalid", "apiVersion",
                       f'Invalid value: "{obj["apiVersion"]}": must be {rt.group_version}'))
    if obj.get("kind") and obj["kind"] != rt.kind:
        causes.append(("FieldValueInvalid", "kind", f'Invalid value: "{obj["kind"]}": must be {rt.kind}'))
    if causes:
        raise invalid(rt.kind, rt.group, name, causes)
    _check_string_maps(rt, obj)
    if url_name is not None and name and name != url_name:
        raise bad_request(f"the name of the object ({name}) does not match the name on the URL ({url_name})")
    ns = md.get("namespace")
    if rt.namespaced and ns and url_namespace and ns != url_namespace:
        raise bad_request("the namespace of the provided object does not match the namespace sent on the request")


def _check_string_maps(rt: ResourceType, obj: dict) -> None:
    """map[string]string fields holding non-strings fail to decode on the real server (400, not 422)."""
    md = obj.get("metadata") or {}
    checks = [("labels", md.get("labels"), "ObjectMeta.metadata.labels"),
              ("annotations", md.get("annotations"), "ObjectMeta.metadata.annotations")]
    if rt.kind == "ConfigMap" and rt.group == "":
        checks.append(("data", obj.get("data"), "ConfigMap.data"))
    for _, value, go_field in checks:
        if value is None:
            continue
        if not isinstance(value, dict):
            raise bad_request(f'{rt.kind} in version "{rt.version}" cannot be handled as a {rt.kind}: json: cannot '
                              f"unmarshal {_json_type(value)} into Go struct field {go_field} of type "
                              f"map[string]string")
        for v in value.values():
            if not isinstance(v, str):
                raise bad_request(f'{rt.kind} in version "{rt.version}" cannot be handled as a {rt.kind}: json: '
                                  f"cannot unmarshal {_json_type(v)} into Go struct field {go_field} of type string")


def _json_type(v: object) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, list):
        return "array"
    if isinstance(v, dict):
        return "object"
    return "null" if v is None else "string"


def validate(rt: ResourceType, obj: dict) -> None:
    md = obj.get("metadata") or {}
    name = md.get("name") or ""
    causes: list[tuple[str, str, str]] = []
    if not name:
        causes.append(("FieldValueRequired", "metadata.name", "Required value: name or generateName is required"))
    elif rt.kind in _LABEL_KINDS and not (len(name) <= 63 and _LABEL.match(name)):
        causes.append(("FieldValueInvalid", "metadata.name",
                       f'Invalid value: "{name}": a lowercase RFC 1123 label must consist of lower case '
                       f"alphanumeric characters or '-', and must start and end with an alphanumeric character"))
    elif rt.kind not in _LABEL_KINDS and not rt.crd and not (len(name) <= 253 and _SUBDOMAIN.match(name)) \
            and not rt.kind.endswith("Role") and not rt.kind.endswith("RoleBinding"):
        causes.append(("FieldValueInvalid", "metadata.name",
                       f'Invalid value: "{name}": a lowercase RFC 1123 subdomain must consist of lower case '
                       f"alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"))
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else None
    if rt.group == "apps" and rt.kind in ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"):
        causes += _workload_causes(spec or {})
    elif rt.kind == "Job" and rt.group == "batch":
        tmpl = ((spec or {}).get("template") or {}).get("spec") or {}
        if not tmpl.get("containers"):
            causes.append(("FieldValueRequired", "spec.template.spec.containers", "Required value"))
    elif rt.kind == "Service" and rt.group == "":
        s = spec or {}
        if s.get("type") != "ExternalName" and not s.get("ports") and s.get("clusterIP") != "None":
            causes.append(("FieldValueRequired", "spec.ports", "Required value"))
    elif rt.kind == "CustomResourceDefinition":
        causes += _crd_causes(name, spec or {})
    if causes:
        raise invalid(rt.kind, rt.group, name, causes)


def _workload_causes(spec: dict) -> list[tuple[str, str, str]]:
    causes = []
    selector = spec.get("selector")
    tmpl = spec.get("template") or {}
    labels = ((tmpl.get("metadata") or {}).get("labels")) or {}
    if not selector:
        causes.append(("FieldValueRequired", "spec.selector", "Required value"))
    else:
        want = selector.get("matchLabels") or {}
        if not want and not selector.get("matchExpressions"):
            causes.append(("FieldValueInvalid", "spec.selector",
                           "Invalid value: \"null\": empty selector is invalid for deployment"))
        elif any(labels.get(k) != v for k, v in want.items()):
            rendered = ", ".join(f'"{k}":"{v}"' for k, v in labels.items())
            causes.append(("FieldValueInvalid", "spec.template.metadata.labels",
                           f"Invalid value: map[string]string{{{rendered}}}: `selector` does not match template "
                           f"`labels`"))
    if not ((tmpl.get("spec") or {}).get("containers")):
        causes.append(("FieldValueRequired", "spec.template.spec.containers", "Required value"))
    return causes


def _crd_causes(name: str, spec: dict) -> list[tuple[str, str, str]]:
    causes = []
    names = spec.get("names") or {}
    group = spec.get("group") or ""
    for f in ("group",):
        if not spec.get(f):
            causes.append(("FieldValueRequired", f"spec.{f}", "Required value"))
    for f in ("plural", "kind"):
        if not names.get(f):
            causes.append(("FieldValueRequired", f"spec.names.{f}", "Required value"))
    if spec.get("scope") not in ("Namespaced", "Cluster"):
        causes.append(("FieldValueNotSupported", "spec.scope",
                       f'Unsupported value: "{spec.get("scope") or ""}": supported values: "Cluster", "Namespaced"'))
    versions = spec.get("versions") or []
    if not versions:
        causes.append(("FieldValueRequired", "spec.versions", "Required value: must have exactly one version marked as storage version"))
    elif sum(1 for v in versions if v.get("storage")) != 1:
        causes.append(("FieldValueInvalid", "spec.versions",
                       "Invalid value: must have exactly one version marked as storage version"))
    if names.get("plural") and group and name != f"{names['plural']}.{group}":
        causes.append(("FieldValueInvalid", "metadata.name",
                       f'Invalid value: "{name}": must be spec.names.plural+"."+spec.group'))
    return causes


def apply_defaults(rt: ResourceType, obj: dict, cluster_ip: str) -> None:
    """A few defaults the real API server fills in, so clients see realistic objects."""
    spec = obj.get("spec")
    if rt.kind == "Namespace" and rt.group == "":
        obj.setdefault("spec", {}).setdefault("finalizers", ["kubernetes"])
        md = obj.setdefault("metadata", {})
        md.setdefault("labels", {}).setdefault("kubernetes.io/metadata.name", md.get("name", ""))
        obj.setdefault("status", {}).setdefault("phase", "Active")
    elif rt.kind == "Service" and rt.group == "" and isinstance(spec, dict):
        spec.setdefault("type", "ClusterIP")
        if spec["type"] != "ExternalName":
            spec.setdefault("clusterIP", cluster_ip)
            spec.setdefault("clusterIPs", [spec["clusterIP"]])  # headless too: clusterIPs: [None], as kube does
        spec.setdefault("sessionAffinity", "None")
        for p in spec.get("ports") or []:
            if isinstance(p, dict):
                p.setdefault("protocol", "TCP")
                if "port" in p:
                    p.setdefault("targetPort", p["port"])
    elif rt.kind in ("Deployment", "StatefulSet", "ReplicaSet") and rt.group == "apps" and isinstance(spec, dict):
        spec.setdefault("replicas", 1)
    if rt.kind == "ServiceAccount" and rt.group == "":
        pass


def not_allowed_delete(rt: ResourceType, name: str) -> ApiError | None:
    if rt.kind == "Namespace" and name in ("default", "kube-system", "kube-public"):
        return ApiError(403, "Forbidden", f'namespaces "{name}" is forbidden: this namespace may not be deleted',
                        {"name": name, "kind": "namespaces"})
    return None
