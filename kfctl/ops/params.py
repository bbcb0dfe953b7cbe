"""``kfctl param list`` and ``param diff``: parameter values resolved by evaluating the env, with
where each value comes from.

Layers, lowest precedence first (design.md): prototype default → component
(``components/params.libsonnet``) → global (its ``global``; ksonnet: global overrides component
values) → platform profile of the env → env (``environments/<env>/params.libsonnet`` and
``globals.libsonnet``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kfctl.app.app import App, Environment
from kfctl.app.params import check_component
from kfctl.errors import UsageError


@dataclass
class ParamValue:
    component: str
    param: str
    value: Any
    source: str


def evaluate_params(app: App, env: Environment, engine: str | None = None) -> dict:
    from kfctl.ops.prepare import prepare_env
    from kfctl.render.pipeline import evaluate_env

    return evaluate_env(app, env, prepare_env(app, env), params_only=True, engine=engine)


def _prototype_defaults(app: App) -> dict[str, dict[str, Any]]:
    """component -> {param: default value} from the recorded prototype of each component."""
    import json

    from kfctl.app.components import component_prototypes

    provenance = component_prototypes(app)
    if not provenance:
        return {}
    from kfctl.registry.index import PrototypeIndex

    try:
        index = PrototypeIndex(app.root)
    except Exception:
        return {}
    out: dict[str, dict[str, Any]] = {}
    for comp, info in provenance.items():
        proto = index.by_name.get(info.get("prototype", ""))
        if proto is None:
            continue
        d: dict[str, Any] = {}
        for p in proto.params:
            if p.default is None:
                continue
            try:
                d[p.name] = json.loads(p.quote(p.default))
            except (ValueError, Exception):
                continue
        out[comp] = d
    return out


def list_params(app: App, env: Environment | None, component: str | None = None,
                engine: str | None = None) -> list[ParamValue]:
    from kfctl.app.platforms import get_platform

    e = env or (next(iter(app.environments.values())) if app.environments else None)
    if e is None:
        raise UsageError("the app has no environments; add one with 'kfctl env add'")
    data = evaluate_params(app, e, engine)
    raw = data.get("raw") or {}
    raw_comps = raw.get("components") or {}
    glob = raw.get("global") or {}
    module = (data.get("module") or {}).get("components") or {}
    final = (data.get("env") or {}).get("components") or {} if env is not None else module
    profile = get_platform(e.platform).params if (env is not None and e.platform) else {}
    defaults = _prototype_defaults(app)
    if component is not None:
        check_component(app, component)
    rows: list[ParamValue] = []
    for comp in sorted(final):
        if component is not None and comp != component:
            continue
        values = final[comp] or {}
        for key in sorted(values):
            v = values[key]
            mod_v = (module.get(comp) or {}).get(key, _MISSING)
            if env is not None and (mod_v is _MISSING or mod_v != v):
                source = f"env ({e.name})"
            elif env is not None and key in profile and profile[key] == v:
                source = f"platform ({e.platform})"
            elif key in glob and glob[key] == v:
                source = "global"
            elif key in defaults.get(comp, {}) and defaults[comp][key] == v and \
                    (raw_comps.get(comp) or {}).get(key, _MISSING) == v:
                source = "prototype default"
            else:
                source = "component"
            rows.append(ParamValue(comp, key, v, source))
    return rows


_MISSING = object()


@dataclass
class ParamDiff:
    component: str
    param: str
    left: Any
    right: Any


def diff_params(app: App, env1: Environment, env2: Environment, component: str | None = None,
                engine: str | None = None) -> list[ParamDiff]:
    """ksonnet order: differing values first, then keys only in env1, then only in env2."""
    a = (evaluate_params(app, env1, engine).get("env") or {}).get("components") or {}
    b = (evaluate_params(app, env2, engine).get("env") or {}).get("components") or {}
    changed, only1, only2 = [], [], []
    for comp in sorted(set(a) | set(b)):
        if component is not None and comp != component:
            continue
        pa, pb = a.get(comp) or {}, b.get(comp) or {}
        for key in sorted(set(pa) | set(pb)):
            if key in pa and key in pb:
                if pa[key] != pb[key] or type(pa[key]) is not type(pb[key]):
                    changed.append(ParamDiff(comp, key, pa[key], pb[key]))
            elif key in pa:
                only1.append(ParamDiff(comp, key, pa[key], _MISSING))
            else:
                only2.append(ParamDiff(comp, key, _MISSING, pb[key]))
    return changed + only1 + only2


MISSING = _MISSING
