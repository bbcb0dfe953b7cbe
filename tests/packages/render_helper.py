"""Render one prototype the way ``kfctl generate`` + ``kfctl show`` do (ksonnet semantics).

``render_prototype(proto_path, params, namespace=, component=)``:

1. read the prototype header (``kfctl.registry.prototype``);
2. give every declared param a value — the caller's, else the header default — written as Jsonnet
   the way generate quotes it (string → the string, so a ``null`` default is the string "null";
   number → number; numberOrString → number when numeric; object/array → the Jsonnet text).
   Python values other than ``str`` (booleans from ``param set``, numbers, dicts) are passed as JSON;
3. render with kfctl's own prototype renderer (``kfctl.ops.generate.render_params``, what ``kfctl prototype
   preview`` runs): the expanded template evaluated with go-jsonnet, ext codes ``__ksonnet/params``
   and ``__ksonnet/environments``, the built-in registry on the jpath; objects extracted from Lists,
   the namespace defaulted for namespaced kinds, sorted in apply order.
"""

from __future__ import annotations

import json
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = ROOT / "registry"
PROTOTYPES = ROOT / "prototypes"
SERVER = "https://k8s"


class MissingParam(ValueError):
    pass


@cache
def registry_jpath() -> Path:
    """A folder holding ``kubeflow -> <repo>/registry`` (the jpath entry the built-in registry needs)."""
    import atexit
    import shutil

    d = Path(tempfile.mkdtemp(prefix="kfctl-registry-jpath-"))
    (d / "kubeflow").symlink_to(REGISTRY, target_is_directory=True)
    atexit.register(shutil.rmtree, d, True)
    return d


def param_code(ptype: str, value: Any) -> str:
    """Jsonnet text for one param value, as ``generate`` writes it into params.libsonnet."""
    if not isinstance(value, str):
        return json.dumps(value)
    if ptype == "number":
        float(value)  # must be numeric, as ksonnet required
        return value.strip()
    if ptype == "numberOrString":
        try:
            float(value)
            return value.strip()
        except ValueError:
            return json.dumps(value)
    if ptype in ("object", "array"):
        return value
    return json.dumps(value)


def params_code(proto, params: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in proto.params:
        if p.name in params:
            out[p.name] = param_code(p.type, params[p.name])
        elif p.default is not None:
            out[p.name] = param_code(p.type, p.default)
        else:
            raise MissingParam(f"{proto.name}: required param {p.name!r} is missing")
    for k, v in params.items():  # extra keys (e.g. set with `param set` or a platform profile)
        if k not in out:
            out[k] = json.dumps(v)
    return out


def flatten(value: Any) -> list[dict]:
    if isinstance(value, list):
        return [o for v in value for o in flatten(v)]
    if isinstance(value, dict):
        if value.get("apiVersion") == "v1" and value.get("kind") == "List":
            return flatten(value.get("items") or [])
        return [value]
    raise TypeError(f"a component must evaluate to objects, got {type(value).__name__}")


def render_prototype(proto_path: Path | str, params: dict[str, Any], namespace: str = "kubeflow",
                     component: str = "c", engine: str = "gojsonnet", warnings: list[str] | None = None) -> list[dict]:
    """Through kfctl's own renderer (``kfctl prototype preview``): expansion, evaluation with the
    built-in registry on the jpath, extraction, namespace defaulting and apply-order sorting.
    ``warnings`` receives the prototype's warnings."""
    from kfctl.ops.generate import render_params as kfctl_render
    from kfctl.registry.prototype import parse_prototype

    proto_path = Path(proto_path)
    proto = parse_prototype(proto_path)
    return kfctl_render(proto, params_code(proto, params), namespace=namespace, server=SERVER,
                        engine=engine, component=component, warnings=warnings)
