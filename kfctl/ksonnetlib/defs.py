"""Kubernetes API definitions in the compact form the ksonnet-lib generators need.

Sources (all offline):

* Kubernetes 1.25+: the JSON schemas shipped inside the installed ``kubernetes-validate``
  package (``kubernetes_validate/kubernetes-json-schema/v1.N.0-local/_definitions.json``).
* Kubernetes 1.7–1.18 (the ksonnet era): compact files committed under
  ``kfctl/ksonnetlib/defs/v1.N.json.gz``, extracted from the same schemas in older
  ``kubernetes-validate`` releases (see :mod:`kfctl.ksonnetlib.extract_defs`).

Compact model (JSON)::

    {"version": "v1.8", "source": "...",
     "types": {"apps.v1beta1.Deployment": {"gvk": ["apps", "v1beta1", "Deployment"],
                                            "fields": {"spec": ["r", "apps.v1beta1.DeploymentSpec"],
                                                       "replicas": ["s"], "labels": ["m"],
                                                       "finalizers": ["a"],
                                                       "containers": ["ar", "core.v1.Container"]}}}}

Field kinds: ``s`` scalar, ``m`` map/free-form object, ``a`` array of scalars,
``r`` object of a named type, ``ar`` array of a named type.  Type keys are
``<group>.<version>.<Kind>`` with ksonnet-lib's group names (``core`` for the legacy
group, ``rbac`` for rbac.authorization.k8s.io, ``meta`` for apimachinery meta).
"""

from __future__ import annotations

import gzip
import json
import re
from functools import cache
from pathlib import Path

DEFS_DIR = Path(__file__).resolve().parent / "defs"
_VERSION_SEG = re.compile(r"^v\d+((alpha|beta)\d+)?$")


class DefsError(Exception):
    pass


def parse_version(v: str) -> tuple[int, int]:
    """(major, minor) of ``v1.30.0``, ``1.30``, ``v1.30.2-gke.1`` (anything may follow MAJOR.MINOR)."""
    from kfctl.util.k8s import parse_k8s_version

    parsed = parse_k8s_version(v)
    if parsed is None:
        raise DefsError(f"invalid Kubernetes version {v!r}: use vMAJOR.MINOR[.PATCH], e.g. v1.30.0")
    return parsed[0], parsed[1]


def split_name(name: str) -> tuple[str, str, str] | None:
    """``io.k8s.api.apps.v1.Deployment`` -> ``("apps", "v1", "Deployment")``; None if unversioned."""
    parts = name.split(".")
    for i in range(len(parts) - 2, 0, -1):
        if _VERSION_SEG.match(parts[i]) and i == len(parts) - 2:
            group = parts[i - 1]
            if group == "api":  # io.k8s.kubernetes.pkg.api.v1.Pod (1.7): the legacy core group
                group = "core"
            elif name.startswith("io.k8s.api.core."):
                group = "core"
            return group, parts[i], parts[-1]
    return None


def _types(prop: dict) -> set[str]:
    t = prop.get("type")
    if t is None:
        return set()
    return {t} if isinstance(t, str) else set(t)


def _ref(prop: dict) -> str | None:
    if "$ref" in prop:
        return prop["$ref"].rsplit("/", 1)[-1]
    for key in ("allOf", "anyOf"):
        for sub in prop.get(key) or ():
            if "$ref" in sub:
                return sub["$ref"].rsplit("/", 1)[-1]
    return None


def compact(definitions: dict, version: str, source: str) -> dict:
    """Convert a JSON-schema ``definitions`` map into the compact model."""
    # Map every versioned definition name to its key; prefer io.k8s.api.* over the legacy
    # io.k8s.kubernetes.pkg.* duplicates some 1.8/1.9 specs still carry.
    keys: dict[str, str] = {}
    owner: dict[str, str] = {}
    for name in sorted(definitions, key=lambda n: (n.startswith("io.k8s.kubernetes.pkg."), n)):
        parsed = split_name(name)
        if parsed is None:
            continue
        key = ".".join(parsed)
        if key in owner:
            continue
        owner[key] = name
        keys[name] = key

    def is_struct(defname: str) -> bool:
        d = definitions.get(defname) or {}
        return defname in keys and bool(d.get("properties"))

    def kind_of(prop: dict) -> list[str]:
        ref = _ref(prop)
        if ref is not None:
            if is_struct(ref):
                return ["r", keys[ref]]
            target = definitions.get(ref) or {}
            return ["m"] if ("object" in _types(target) and not target.get("oneOf")) else ["s"]
        types = _types(prop)
        if "array" in types:
            items = prop.get("items") or {}
            iref = _ref(items)
            if iref is not None and is_struct(iref):
                return ["ar", keys[iref]]
            return ["a"]
        if "object" in types:
            return ["m"]
        return ["s"]

    types: dict[str, dict] = {}
    for name, key in keys.items():
        d = definitions[name]
        props = d.get("properties") or {}
        if not props:
            continue
        gvk = None
        for g in d.get("x-kubernetes-group-version-kind") or ():
            gvk = [g.get("group") or "", g["version"], g["kind"]]
            break
        types[key] = {"gvk": gvk, "fields": {f: kind_of(p) for f, p in sorted(props.items())}}
    return {"version": version, "source": source, "types": dict(sorted(types.items()))}


# --------------------------------------------------------------------------------------
# Locating definitions for a Kubernetes version.


def _kv_schema_root() -> Path | None:
    import importlib.util

    spec = importlib.util.find_spec("kubernetes_validate")
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(list(spec.submodule_search_locations)[0]) / "kubernetes-json-schema"
    return root if root.is_dir() else None


@cache
def available() -> dict[tuple[int, int], tuple[str, Path]]:
    """(major, minor) -> ("kv"|"gz", path) for every version we can generate offline."""
    out: dict[tuple[int, int], tuple[str, Path]] = {}
    if DEFS_DIR.is_dir():
        for p in DEFS_DIR.glob("v*.json.gz"):
            out[parse_version(p.name[: -len(".json.gz")])] = ("gz", p)
    root = _kv_schema_root()
    if root is not None:
        for p in root.iterdir():
            m = re.fullmatch(r"v(\d+)\.(\d+)\.(\d+)-local", p.name)
            if m and (p / "_definitions.json").is_file():
                out.setdefault((int(m.group(1)), int(m.group(2))), ("kv", p / "_definitions.json"))
    return out


def resolve(k8s_version: str) -> tuple[tuple[int, int], bool]:
    """The definitions version to use for ``k8s_version`` and whether it is an exact match."""
    want = parse_version(k8s_version)
    have = available()
    if not have:
        raise DefsError("no Kubernetes API definitions available (is kubernetes-validate installed?)")
    if want in have:
        return want, True
    best = min(have, key=lambda v: (abs((v[0] * 1000 + v[1]) - (want[0] * 1000 + want[1])), -v[1]))
    return best, False


def load(mm: tuple[int, int]) -> dict:
    src, path = available()[mm]
    if src == "gz":
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return json.load(fh)
    with open(path, encoding="utf-8") as fh:
        raw = json.load(fh)
    definitions = raw.get("$defs") or raw.get("definitions") or {}
    return compact(definitions, f"v{mm[0]}.{mm[1]}", f"kubernetes-validate {path.parent.name}")


def with_legacy(model: dict, mm: tuple[int, int]) -> dict:
    """``model`` plus every group/version removed from Kubernetes before ``mm`` (apps/v1beta1,
    extensions/v1beta1, rbac/v1beta1, ...), each taken from the newest older version that had it.

    ksonnet-era code (every Kubeflow 0.2–0.4 package) calls ``k.apps.v1beta1.deployment.mixin...``
    and ``k.rbac.v1beta1.role.new().kind``; with this superset it still evaluates when the
    environment targets a current Kubernetes version.  Shared types (``core.v1``, ``meta.v1``)
    keep their current definitions.
    """
    types = dict(model["types"])
    current = {k.rsplit(".", 1)[0] for k in types}
    added: set[str] = set()
    for old in sorted((v for v in available() if v < mm and available()[v][0] == "gz"), reverse=True):
        for k, t in load(old)["types"].items():
            gv = k.rsplit(".", 1)[0]
            if gv in current or k in types or "alpha" in gv.split(".")[1]:
                continue
            types[k] = t  # newest older definition of a type whose group/version is gone
            added.add(gv)
    if not added:
        return model
    return {**model, "types": dict(sorted(types.items())), "legacy": sorted(added)}
