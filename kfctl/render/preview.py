"""Render a prototype on its own (``prototype preview``): no app needed, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

from kfctl.registry.prototype import Prototype, expand
from kfctl.render.sources import KFCTL_ENV_VAR, kfctl_env_code

PREVIEW_COMPONENT = "preview"


def preview_source(proto: Prototype, component: str = PREVIEW_COMPONENT) -> str:
    return expand(proto, component)


def render_prototype(proto: Prototype, params: dict[str, str], jpath: list[Path], *, namespace: str = "default",
                     server: str = "https://kubernetes.default.svc", display_root: Path | None = None,
                     engine: str | None = None, component: str = PREVIEW_COMPONENT,
                     k8s_version: str | None = None, warnings: list[str] | None = None) -> list[dict]:
    """``params``: jsonnet text per param (as generate writes them into params.libsonnet).  ``jpath``:
    the library folders to evaluate with (see :func:`kfctl.ops.prepare.prepare_preview`).
    ``warnings``: a list that receives the prototype's warnings (as ``Render.warnings``)."""
    from kfctl.jsonnet import evaluate
    from kfctl.render.extract import extract_objects, extract_warnings
    from kfctl.render.order import sort_key
    from kfctl.render.scopes import crd_scopes_of, default_namespace

    body = ", ".join(f"{json.dumps(k)}: {v}" for k, v in sorted(params.items()))
    ext_codes = {
        "__ksonnet/params": f"{{ global: {{}}, components: {{ {json.dumps(component)}: {{ {body} }} }} }}",
        "__ksonnet/environments": json.dumps({"server": server, "namespace": namespace}),
        KFCTL_ENV_VAR: kfctl_env_code(None, namespace, server, k8s_version, None),
    }
    value = evaluate(preview_source(proto, component), filename=str(proto.path), jpath=[*jpath, proto.path.parent],
                     ext_codes=ext_codes, engine=engine, display_root=display_root)
    objs = list(extract_objects(component, value))
    if warnings is not None:
        warnings.extend(f"component {component!r}: {w}" for w in extract_warnings(component, value))
    scopes = crd_scopes_of(objs)
    for o in objs:
        # as the render pipeline (and kubectl) do: a cluster-scoped object has no namespace
        default_namespace(o, namespace, scopes, strip_cluster_scoped=True)
    objs.sort(key=sort_key)
    return objs
