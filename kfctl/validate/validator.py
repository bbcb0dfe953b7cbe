"""Validating rendered objects: one :class:`Problem` per field, collected in a :class:`ValidationReport`.

Schemas come from :mod:`kfctl.validate.schemas` (built-in kinds) and the CRDs of the same render.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from kfctl.render.model import RenderedObject
from kfctl.util.k8s import group_of, split_api_version
from kfctl.validate.schemas import (
    CrdVersion,
    SchemaVersion,
    builtin_validator,
    crd_versions,
    resolve_version,
    served_alternatives,
)

_BUILTIN_GROUPS = {"", "apps", "batch", "autoscaling", "policy", "extensions"}
_lock = threading.Lock()


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


def _name_problems(ref: str, api_version: str, kind: str, meta: dict) -> list[Problem]:
    """metadata.name and .namespace by the rules the API server applies to this kind."""
    from kfctl.util.k8s import name_problem, namespace_problem

    out = []
    name, ns = meta.get("name"), meta.get("namespace")
    if isinstance(name, str) and name:
        rule = name_problem(api_version, kind, name)
        if rule:
            out.append(Problem(ref, "metadata.name", f"invalid name {name!r}: {rule}"))
    if isinstance(ns, str) and ns:
        rule = namespace_problem(ns)
        if rule:
            out.append(Problem(ref, "metadata.namespace", f"invalid name {ns!r}: {rule}"))
    return out


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
        self._builtin: dict[tuple[str, str], dict[str, CrdVersion] | None] = {}

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

    def _builtin_crd(self, group: str, kind: str) -> dict[str, CrdVersion] | None:
        """The pinned upstream CRD of a kind kfctl's built-in packages vendor (the operator may be
        installed separately): each version from the first vendored CRD that serves it."""
        if (group, kind) not in self._builtin:
            from kfctl.registry.builtin_crds import crds_for

            found = crds_for(group, kind) if "." in group else []
            merged: dict[str, CrdVersion] = {}
            for c in found:
                for ver, cv in crd_versions([c.load()]).get((group, kind), {}).items():
                    merged.setdefault(ver, cv)
            self._builtin[(group, kind)] = merged or None
        return self._builtin[(group, kind)]

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
        else:
            problems += _name_problems(ref, api_version, kind, meta)
        group, ver = split_api_version(api_version)
        crd = self.crds.get((group, kind))
        if crd is None:
            crd = self._builtin_crd(group, kind)
        if crd is not None:
            cv = crd.get(ver)
            if cv is None or not cv.served:
                served = ", ".join(f"{group}/{v}" for v, c in sorted(crd.items()) if c.served) or "none"
                where = "its CRD in this render" if (group, kind) in self.crds else "the CRDs kfctl's packages pin"
                return problems + [Problem(ref, "apiVersion",
                                           f"version {ver} of {kind} is not served by {where} (served: {served})")]
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
    crds = [o.obj for o in objects
            if o.kind == "CustomResourceDefinition" and group_of(o.api_version) == "apiextensions.k8s.io"]
    v = ObjectValidator(k8s_version, crds=[*crds, *extra_crds], strict=strict)
    report = ValidationReport(v.version, objects=len(objects))
    if v.version.warning:
        report.warnings.append(v.version.warning)
    for ro in objects:
        report.problems += v.validate(ro)
    return report
