"""Offline validation of rendered objects (``kfctl validate``).

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
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Sequence

from kfctl.errors import UsageError
from kfctl.render.model import RenderedObject

_BUILTIN_GROUPS = {"", "apps", "batch", "autoscaling", "policy", "extensions"}
_lock = threading.Lock()


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
    m = re.match(r"^v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+].*)?$", str(text).strip())
    if not m:
        raise UsageError(f"invalid Kubernetes version {text!r}: expected X.Y or vX.Y.Z, e.g. 1.30 or v1.30.0")
    return int(m.group(1)), int(m.group(2))


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

    group, _, ver = api_version.rpartition("/")
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


# --------------------------------------------------------------------------- problems
@dataclass
class Problem:
    ref: str  # component/Kind/name
    path: str
    message: str
    severity: str = "error"  # error | warning

    def line(self) -> str:
        return f"{self.ref}: {self.path}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"object": self.ref, "path": self.path, "message": self.message, "severity": self.severity}


@dataclass
class ValidationReport:
    k8s_version: SchemaVersion
    objects: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # not about one object (version fallback)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def exit_code(self) -> int:
        return 0 if self.valid else 1

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "ValidationResult", "valid": self.valid,
                "kubernetesVersion": self.k8s_version.minor, "requestedVersion": self.k8s_version.requested,
                "objects": self.objects, "errors": len(self.errors),
                "warnings": [*self.warnings, *(p.line() for p in self.problems if p.severity == "warning")],
                "problems": [p.to_dict() for p in self.problems]}


def format_path(parts: Sequence[Any]) -> str:
    out = ""
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        elif re.match(r"^[A-Za-z_$][A-Za-z0-9_$-]*$", str(p)):
            out += f".{p}" if out else str(p)
        else:
            out += f"[{json.dumps(str(p))}]"
    return out or "."


def _json_type(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    return "object"


def _short(v: Any) -> str:
    text = json.dumps(v, sort_keys=True, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _types(value: Any) -> list[str]:
    ts = value if isinstance(value, list) else [value]
    return [str(t) for t in ts if t != "null"]


def _messages(err) -> list[tuple[list, str]]:
    """One jsonschema error → [(path parts, message)]."""
    path = list(err.absolute_path)
    v, inst, val = err.validator, err.instance, err.validator_value
    if v == "type":
        want = " or ".join(_types(val)) or "null"
        return [(path, f"expected {want}, got {_json_type(inst)} {_short(inst)}")]
    if v == "required" and isinstance(inst, dict):
        missing = [f for f in (val or []) if f not in inst]
        return [(path + [f], "required field is missing") for f in missing] or [(path, err.message)]
    if v == "additionalProperties" and isinstance(inst, dict) and val is False:
        schema = err.schema or {}
        props = set(schema.get("properties") or {})
        pats = [re.compile(p) for p in (schema.get("patternProperties") or {})]
        extra = [k for k in inst if k not in props and not any(p.search(k) for p in pats)]
        return [(path + [k], "unknown field") for k in sorted(extra)] or [(path, err.message)]
    if v == "enum":
        return [(path, f"must be one of {', '.join(_short(x) for x in val if x is not None)}; got {_short(inst)}")]
    if v in ("oneOf", "anyOf"):
        types = []
        for sub in err.context or ():
            if sub.validator == "type" and not list(sub.relative_path):
                types += [t for t in _types(sub.validator_value) if t not in types]
        if types and len(types) == len([s for s in err.context if not list(s.relative_path)]):
            return [(path, f"expected {' or '.join(types)}, got {_json_type(inst)} {_short(inst)}")]
        from jsonschema.exceptions import best_match

        best = best_match(err.context) if err.context else None
        if best is not None:
            return _messages(best)
    return [(path, err.message)]


def _object_ref(ro: RenderedObject) -> str:
    name = ro.name or str((ro.obj.get("metadata") or {}).get("generateName") or "<unnamed>")
    return f"{ro.component}/{ro.kind or '<no kind>'}/{name}"


# --------------------------------------------------------------------------- the validator
class ObjectValidator:
    """Validates objects of one render against one Kubernetes version (plus the render's CRDs)."""

    def __init__(self, k8s_version: str, *, crds: Iterable[dict] = (), strict: bool = False):
        self.version = resolve_version(k8s_version)
        self.strict = strict
        self.crds = crd_versions(crds)
        self._crd_validators: dict[tuple[str, str, str], Any] = {}

    def _crd_validator(self, group: str, ver: str, kind: str, cv: CrdVersion):
        import jsonschema

        key = (group, ver, kind)
        if key not in self._crd_validators:
            try:
                jsonschema.Draft7Validator.check_schema(cv.schema)
                self._crd_validators[key] = jsonschema.Draft7Validator(cv.schema)
            except jsonschema.SchemaError as exc:
                self._crd_validators[key] = exc
        return self._crd_validators[key]

    def validate(self, ro: RenderedObject) -> list[Problem]:
        ref = _object_ref(ro)
        obj = ro.obj
        api_version, kind = ro.api_version, ro.kind
        if not api_version or not kind:
            return [Problem(ref, "apiVersion" if not api_version else "kind", "required field is missing")]
        meta = obj.get("metadata")
        problems: list[Problem] = []
        if not isinstance(meta, dict) or not (meta.get("name") or meta.get("generateName")):
            problems.append(Problem(ref, "metadata.name", "required field is missing"))
        group, _, ver = api_version.rpartition("/")
        crd = self.crds.get((group, kind))
        if crd is not None:
            cv = crd.get(ver)
            if cv is None or not cv.served:
                served = ", ".join(f"{group}/{v}" for v, c in sorted(crd.items()) if c.served) or "none"
                return problems + [Problem(ref, "apiVersion",
                                           f"version {ver} of {kind} is not served by its CRD in this render (served: {served})")]
            if cv.schema is None:
                return problems
            validator = self._crd_validator(group, ver, kind, cv)
            if not hasattr(validator, "iter_errors"):
                return problems + [Problem(ref, ".", f"the CRD schema for {group}/{ver} {kind} is invalid: "
                                                     f"{validator.message}")]
        else:
            with _lock:
                validator = builtin_validator(self.version.used, api_version, kind)
            if validator is None:
                return problems + [self._no_schema(ref, group, api_version, kind)]
        lines: set[tuple[str, str]] = set()
        for err in validator.iter_errors(obj):
            for parts, msg in _messages(err):
                lines.add((format_path(parts), msg))
        problems += [Problem(ref, p, m) for p, m in sorted(lines)]
        return problems

    def _no_schema(self, ref: str, group: str, api_version: str, kind: str) -> Problem:
        builtin_group = group in _BUILTIN_GROUPS or group.endswith(".k8s.io")
        if builtin_group:
            with _lock:
                alternatives = served_alternatives(self.version.used, kind)
            if alternatives:
                sev = "warning" if self.version.older_than_available else "error"
                return Problem(ref, "apiVersion",
                               f"{api_version} {kind} is not served by Kubernetes {self.version.minor} "
                               f"(use {' or '.join(alternatives)})", sev)
        return Problem(ref, "kind", f"no schema for {api_version} {kind} (not a Kubernetes {self.version.minor} "
                                    "kind and no CRD for it in the render)",
                       "error" if self.strict else "warning")


def validate_objects(objects: Sequence[RenderedObject], k8s_version: str, *, strict: bool = False,
                     extra_crds: Iterable[dict] = ()) -> ValidationReport:
    """Validate ``objects`` (CRDs among them define the custom kinds); pure apart from reading schemas."""
    from kfctl.render.scopes import group_of

    crds = [o.obj for o in objects
            if o.kind == "CustomResourceDefinition" and group_of(o.api_version) == "apiextensions.k8s.io"]
    v = ObjectValidator(k8s_version, crds=[*crds, *extra_crds], strict=strict)
    report = ValidationReport(v.version, objects=len(objects))
    if v.version.warning:
        report.warnings.append(v.version.warning)
    for ro in objects:
        report.problems += v.validate(ro)
    return report


def validate_env(app, env, *, k8s_version: str | None = None, strict: bool = False,
                 components: Sequence[str] | None = None, engine: str | None = None) -> ValidationReport:
    """Render ``env`` and validate it against ``k8s_version`` (default: the env's k8sVersion)."""
    from kfctl.render.pipeline import render_env

    if isinstance(env, str):
        env = app.env(env)
    version = k8s_version or env.k8s_version
    resolve_version(version)  # bad --k8s-version: fail before rendering
    # render the whole env even with components: CRDs in other components define custom kinds
    render = render_env(app, env, engine=engine)
    objects = render.objects
    if components:
        known = set(render.components())
        for c in components:
            if c not in known and not (app.components_dir / f"{c}.jsonnet").exists():
                from kfctl.errors import NotFoundError

                raise NotFoundError(f"component {c!r} does not exist", hint="see 'kfctl component list'")
        wanted = set(components)
        objects = [o for o in objects if o.component in wanted]
    crds = [o.obj for o in render.objects if o.kind == "CustomResourceDefinition" and o.component not in set(components or ())]
    report = validate_objects(objects, version, strict=strict, extra_crds=crds if components else ())
    report.warnings = [*render.warnings, *report.warnings]
    return report
