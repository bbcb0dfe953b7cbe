"""Render a prototype on its own (``prototype preview``): no app needed, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

from kfctl.registry.prototype import Prototype, expand

PREVIEW_COMPONENT = "preview"


def preview_source(proto: Prototype, component: str = PREVIEW_COMPONENT) -> str:
    return expand(proto, component)


def render_prototype(proto: Prototype, params: dict[str, str], *, namespace: str = "default",
                     server: str = "https://kubernetes.default.svc", app_root: Path | None = None,
                     k8s_version: str | None = None, engine: str | None = None,
                     component: str = PREVIEW_COMPONENT) -> list[dict]:
    """``params``: jsonnet text per param (as generate writes them into params.libsonnet)."""
    from kfctl.data import builtin_registry_jpath
    from kfctl.jsonnet import evaluate
    from kfctl.render.extract import extract_objects
    from kfctl.render.scopes import crd_scopes_of, is_namespaced

    body = ", ".join(f"{json.dumps(k)}: {v}" for k, v in sorted(params.items()))
    ext_codes = {
        "__ksonnet/params": f"{{ global: {{}}, components: {{ {json.dumps(component)}: {{ {body} }} }} }}",
        "__ksonnet/environments": json.dumps({"server": server, "namespace": namespace}),
    }
    jpath: list[Path] = []
    if app_root is not None:
        jpath += [app_root / "vendor", app_root / "lib"]
    registry_root = builtin_registry_jpath()
    jpath.append(registry_root)
    from kfctl.ksonnetlib import ensure_ksonnet_lib, lib_dirs

    if app_root is not None:
        jpath += [p for p in lib_dirs(app_root, k8s_version or "v1.30.0") if p not in jpath]
    else:  # no app: the generated ksonnet-lib from the user cache, never written next to the prototype
        jpath.append(ensure_ksonnet_lib(k8s_version or "v1.30.0"))
    jpath.append(proto.path.parent)
    value = evaluate(preview_source(proto, component), filename=str(proto.path), jpath=jpath,
                     ext_codes=ext_codes, engine=engine, display_root=app_root or registry_root)
    objs = list(extract_objects(component, value))
    scopes = crd_scopes_of(objs)
    for o in objs:
        meta = o.setdefault("metadata", {})
        if is_namespaced(o["apiVersion"], o["kind"], scopes):
            if not meta.get("namespace"):
                meta["namespace"] = namespace
        else:  # as the render pipeline (and kubectl) do: a cluster-scoped object has no namespace
            meta.pop("namespace", None)
    from kfctl.render.order import sort_key

    objs.sort(key=sort_key)
    return objs
