"""Validate rendered objects: built-in kinds against the Kubernetes OpenAPI schemas (strict), custom
resources against their CRD's openAPIV3Schema (strict: unknown fields are errors)."""

from __future__ import annotations

import copy
from functools import cache

# the oldest supported release and the newest schemas kubernetes-validate ships
K8S_VERSIONS = ("1.30", "latest")


@cache
def _versions() -> tuple[str, ...]:
    import kubernetes_validate

    return tuple(kubernetes_validate.latest_version() if v == "latest" else v for v in K8S_VERSIONS)


_VALID: set[str] = set()


def validate_builtin(obj: dict) -> None:
    """Strict validation against 1.30 and the newest schemas; an object already found valid in this
    process (the megabyte-sized vendored CRDs recur in many renders) is not validated again."""
    import hashlib
    import json

    import kubernetes_validate

    key = hashlib.sha256(json.dumps(obj, sort_keys=True).encode()).hexdigest()
    if key in _VALID:
        return
    for version in _versions():
        kubernetes_validate.validate(obj, version, strict=True)
    _VALID.add(key)


def strict_schema(schema: dict) -> dict:
    """The CRD schema with ``additionalProperties: false`` wherever fields are listed and unknown
    fields are not preserved — the API server would silently prune them; here they are errors."""
    s = copy.deepcopy(schema)

    def walk(node):
        if not isinstance(node, dict):
            return
        if "properties" in node and not node.get("x-kubernetes-preserve-unknown-fields"):
            node.setdefault("additionalProperties", False)
        for v in node.get("properties", {}).values():
            walk(v)
        if isinstance(node.get("items"), dict):
            walk(node["items"])
        if isinstance(node.get("additionalProperties"), dict):
            walk(node["additionalProperties"])

    walk(s)
    return s


def assert_structural(schema: dict, path: str = "") -> None:
    """apiextensions.k8s.io/v1 structural-schema rules (the subset a hand-written schema can break)."""
    assert isinstance(schema, dict), path
    preserve = schema.get("x-kubernetes-preserve-unknown-fields") is True
    int_or_string = schema.get("x-kubernetes-int-or-string") is True
    assert "type" in schema or preserve or int_or_string, f"{path or '<root>'}: no type"
    assert not ("properties" in schema and "additionalProperties" in schema), f"{path}: properties and additionalProperties"
    assert schema.get("additionalProperties") is not False, f"{path}: additionalProperties: false is not allowed"
    for key in ("$ref", "definitions", "dependencies", "patternProperties", "id"):
        assert key not in schema, f"{path}: {key} is not allowed"
    if path == "" and "properties" in schema:
        assert schema.get("type") == "object", "root must be an object"
    for name, sub in schema.get("properties", {}).items():
        assert_structural(sub, f"{path}.{name}")
    if isinstance(schema.get("items"), dict):
        assert_structural(schema["items"], f"{path}[]")
    if isinstance(schema.get("additionalProperties"), dict):
        assert_structural(schema["additionalProperties"], f"{path}{{}}")


def crd_schemas(objects: list[dict]) -> dict[tuple[str, str, str], dict]:
    """(group, version, kind) → openAPIV3Schema of every CRD among ``objects``."""
    out = {}
    for o in objects:
        if o.get("kind") == "CustomResourceDefinition":
            spec = o["spec"]
            for v in spec["versions"]:
                out[(spec["group"], v["name"], spec["names"]["kind"])] = v["schema"]["openAPIV3Schema"]
    return out


_VALIDATORS: dict[int, tuple[dict, object]] = {}


def _validator(schema: dict):
    """A Draft 4 validator of the strict form of ``schema``, built once per schema object (the
    vendored CRD schemas are megabytes: Argo's Workflow, KServe's InferenceService)."""
    import jsonschema

    hit = _VALIDATORS.get(id(schema))
    if hit is None or hit[0] is not schema:
        # no check_schema: meta-validating a megabyte schema costs seconds, and the CRD object it
        # comes from is validated against the apiextensions schema (validate_builtin)
        hit = _VALIDATORS[id(schema)] = (schema, jsonschema.Draft4Validator(strict_schema(schema)))
    return hit[1]


def validate_custom(obj: dict, schemas: dict[tuple[str, str, str], dict]) -> None:
    import jsonschema

    group, _, version = obj["apiVersion"].rpartition("/")
    schema = schemas.get((group, version, obj["kind"]))
    assert schema is not None, f"no CRD schema for {obj['apiVersion']} {obj['kind']}"
    error = jsonschema.exceptions.best_match(_validator(schema).iter_errors(obj))
    if error is not None:
        raise error


def is_builtin(obj: dict) -> bool:
    group = obj["apiVersion"].rpartition("/")[0]
    return group == "" or group.endswith(".k8s.io") or group in ("apps", "batch", "policy", "autoscaling")


def validate_objects(objects: list[dict], schemas: dict[tuple[str, str, str], dict]) -> None:
    for o in objects:
        if is_builtin(o):
            validate_builtin(o)
        else:
            validate_custom(o, schemas)
