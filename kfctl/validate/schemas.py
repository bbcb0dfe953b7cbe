"""Schemas for offline validation (``kfctl validate``).

Built-in kinds are checked against the Kubernetes OpenAPI schemas shipped by the
``kubernetes-validate`` package (its ``-strict`` variant: unknown fields are errors, as with
kubectl's default ``--validate=strict``), for the Kubernetes minor version of the env (nearest
available version, with a warning, when the package does not ship that one).  Custom resources are
checked against the ``openAPIV3Schema`` of the CRDs in the same render, with structural-schema
semantics: a field the schema does not declare is an error unless the node says
``x-kubernetes-preserve-unknown-fields: true``.  Kinds with neither are "no schema" warnings
(errors with ``strict``).

Schemas are loaded once per Kubernetes version; validators are cached per (apiVersion, kind).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from kfctl.errors import UsageError
from kfctl.util.k8s import split_api_version


# --------------------------------------------------------------------------- versions
def _schema_root() -> Path:
    import importlib.resources

    return Path(str(importlib.resources.files("kubernetes_validate") / "kubernetes-json-schema"))


@lru_cache(maxsize=1)
def available_versions() -> tuple[tuple[int, int, str], ...]:
    """(major, minor, "1.30.0") for every version the installed kubernetes-validate ships."""
    out = []
    for d in _schema_root().iterdir():
        m = re.match(r"^v(\d+)\.(\d+)\.(\d+)-local-strict$", d.name)
        if m and d.is_dir():
            out.append((int(m.group(1)), int(m.group(2)), f"{m.group(1)}.{m.group(2)}.{m.group(3)}"))
    return tuple(sorted(out))


def parse_version(text: str) -> tuple[int, int]:
    """(major, minor) of ``1.30``, ``v1.30.0``, ``v1.30.2-gke.1`` (only ``-``/``+`` suffixes after the patch)."""
    from kfctl.util.k8s import parse_k8s_version

    parsed = parse_k8s_version(text)
    if parsed is None or (parsed[3] and parsed[3][0] not in "-+"):
        raise UsageError(f"invalid Kubernetes version {text!r}: expected X.Y or vX.Y.Z, e.g. 1.30 or v1.30.0")
    return parsed[0], parsed[1]


@dataclass
class SchemaVersion:
    requested: str
    used: str  # "1.30.0"
    warning: str | None = None
    older_than_available: bool = False

    @property
    def minor(self) -> str:
        return ".".join(self.used.split(".")[:2])


def resolve_version(requested: str) -> SchemaVersion:
    """The schema version to validate against: the same minor, else the nearest (with a warning)."""
    want = parse_version(requested)
    versions = available_versions()
    if not versions:  # pragma: no cover - broken installation
        raise UsageError("kubernetes-validate ships no schemas; reinstall it")
    for major, minor, full in versions:
        if (major, minor) == want:
            return SchemaVersion(requested, full)
    lo, hi = versions[0], versions[-1]
    if want < lo[:2]:
        chosen, why = lo, "older than the oldest"
    elif want > hi[:2]:
        chosen, why = hi, "newer than the newest"
    else:
        chosen = max(v for v in versions if v[:2] <= want)
        why = "not among the"
    used_minor = f"{chosen[0]}.{chosen[1]}"
    return SchemaVersion(
        requested, chosen[2], older_than_available=want < lo[:2],
        warning=(f"Kubernetes {want[0]}.{want[1]} is {why} schema versions kubernetes-validate ships "
                 f"({lo[0]}.{lo[1]}–{hi[0]}.{hi[1]}); validating against {used_minor}"))


# --------------------------------------------------------------------------- built-in schemas
@lru_cache(maxsize=4)
def _registry(version: str):
    from referencing import Registry, Resource

    path = _schema_root() / f"v{version}-local-strict" / "_definitions.json"
    defs = json.loads(path.read_text(encoding="utf-8"))
    return Resource.from_contents(defs) @ Registry()


def _group_prefix(group: str) -> str:
    return group.split(".", 1)[0]


def _schema_file(version: str, group: str, ver: str, kind: str) -> Path:
    prefix = f"-{_group_prefix(group)}" if group else ""
    return _schema_root() / f"v{version}-local-strict" / f"{kind.lower()}{prefix}-{ver}.json"


def _gvks(schema: dict) -> list[tuple[str, str, str]]:
    return [(g.get("group", ""), g.get("version", ""), g.get("kind", ""))
            for g in schema.get("x-kubernetes-group-version-kind") or []]


@lru_cache(maxsize=2048)
def builtin_validator(version: str, api_version: str, kind: str):
    """A validator for a built-in (apiVersion, kind) in ``version``, or None if it has no schema."""
    import jsonschema

    group, ver = split_api_version(api_version)
    path = _schema_file(version, group, ver, kind)
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    # file names drop the group's domain (networking.k8s.io → networking): check the real group
    if (group, ver, kind) not in _gvks(schema):
        return None
    return jsonschema.Draft202012Validator(schema, registry=_registry(version))


@lru_cache(maxsize=512)
def served_alternatives(version: str, kind: str) -> tuple[str, ...]:
    """apiVersions under which ``version`` serves ``kind`` (to explain a removed API)."""
    out = []
    d = _schema_root() / f"v{version}-local-strict"
    pat = re.compile(rf"^{re.escape(kind.lower())}(-[a-z0-9]+)?-v\d+[a-z0-9]*\.json$")
    for f in d.iterdir():
        if pat.match(f.name):
            try:
                schema = json.loads(f.read_text(encoding="utf-8"))
            except ValueError:  # pragma: no cover
                continue
            for g, v, k in _gvks(schema):
                if k == kind:
                    out.append(f"{g}/{v}" if g else v)
    return tuple(sorted(set(out)))


# --------------------------------------------------------------------------- CRD schemas
def structural_to_jsonschema(schema: Any, *, value_only: bool = False, root: bool = False) -> Any:
    """OpenAPI v3 (CRD) schema → JSON Schema draft 7 with structural pruning as errors.

    Objects not marked ``x-kubernetes-preserve-unknown-fields`` get ``additionalProperties: false``
    unless they declare ``additionalProperties``; ``nullable`` admits null;
    ``x-kubernetes-int-or-string`` admits integers and strings; OpenAPI 3.0 boolean
    ``exclusiveMinimum/Maximum`` become draft-7 numbers.  Value-validation branches (allOf, anyOf,
    oneOf, not) are converted without closing objects, as they cannot declare new fields.
    """
    if not isinstance(schema, dict):
        return schema
    s: dict[str, Any] = {k: v for k, v in schema.items()
                         if not k.startswith("x-kubernetes-") and k not in ("nullable", "example", "externalDocs")}
    nullable = bool(schema.get("nullable"))
    if schema.get("x-kubernetes-int-or-string"):
        s["type"] = ["integer", "string"]
    if nullable:
        t = s.get("type")
        if isinstance(t, str):
            s["type"] = [t, "null"]
        elif isinstance(t, list) and "null" not in t:
            s["type"] = [*t, "null"]
        if isinstance(s.get("enum"), list) and None not in s["enum"]:
            s["enum"] = [*s["enum"], None]
    for bound, key in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        if isinstance(s.get(key), bool):
            if s[key] and bound in s:
                s[key] = s.pop(bound)
            else:
                s.pop(key)
    if isinstance(s.get("properties"), dict):
        s["properties"] = {k: structural_to_jsonschema(v, value_only=value_only)
                           for k, v in s["properties"].items()}
    if isinstance(s.get("items"), dict):
        s["items"] = structural_to_jsonschema(s["items"], value_only=value_only)
    if isinstance(s.get("additionalProperties"), dict):
        s["additionalProperties"] = structural_to_jsonschema(s["additionalProperties"], value_only=value_only)
    for key in ("allOf", "anyOf", "oneOf"):
        if isinstance(s.get(key), list):
            s[key] = [structural_to_jsonschema(b, value_only=True) for b in s[key]]
    if isinstance(s.get("not"), dict):
        s["not"] = structural_to_jsonschema(s["not"], value_only=True)
    if schema.get("x-kubernetes-embedded-resource") or root:
        props = dict(s.get("properties") or {})
        props.setdefault("apiVersion", {"type": "string"})
        props.setdefault("kind", {"type": "string"})
        props["metadata"] = {"type": ["object", "null"]}  # ObjectMeta; CRDs may only restrict name
        s["properties"] = props
    preserve = bool(schema.get("x-kubernetes-preserve-unknown-fields"))
    is_object = s.get("type") == "object" or (isinstance(s.get("type"), list) and "object" in s["type"]) \
        or "properties" in s
    if is_object and not value_only and not preserve and "additionalProperties" not in s:
        s["additionalProperties"] = False
    return s


@dataclass
class CrdVersion:
    served: bool
    schema: dict | None
    validator: Any = None


def crd_versions(crds: Iterable[dict]) -> dict[tuple[str, str], dict[str, CrdVersion]]:
    """(group, kind) → version → CrdVersion, for CRD objects (apiextensions v1 and v1beta1)."""
    out: dict[tuple[str, str], dict[str, CrdVersion]] = {}
    for crd in crds:
        spec = crd.get("spec") or {}
        group, kind = spec.get("group"), (spec.get("names") or {}).get("kind")
        if not group or not kind:
            continue
        v1beta1 = str(crd.get("apiVersion", "")).endswith("/v1beta1")
        preserve = bool(spec.get("preserveUnknownFields", v1beta1))  # v1beta1 defaulted to true
        common = (spec.get("validation") or {}).get("openAPIV3Schema")
        versions: dict[str, CrdVersion] = {}
        listed = spec.get("versions") or []
        if not listed and spec.get("version"):
            listed = [{"name": spec["version"], "served": True}]
        for v in listed:
            if not isinstance(v, dict) or not v.get("name"):
                continue
            raw = ((v.get("schema") or {}).get("openAPIV3Schema")) or common
            # spec.preserveUnknownFields turns pruning off for the whole object: values are still checked
            schema = (structural_to_jsonschema(raw, root=True, value_only=preserve)
                      if isinstance(raw, dict) else None)
            versions[str(v["name"])] = CrdVersion(bool(v.get("served", True)), schema)
        out[(group, kind)] = versions
    return out
