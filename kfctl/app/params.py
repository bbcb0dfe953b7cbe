"""Parameters: set/unset in the right file (in place), and resolve values with their sources.

Layers, lowest precedence first (design.md): prototype default → component
(``components/params.libsonnet``) → global (its ``global``; ksonnet: global overrides component
values) → platform profile of the env → env (``environments/<env>/params.libsonnet`` and
``globals.libsonnet``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kfctl.app import params_file
from kfctl.app.app import App, Environment
from kfctl.util.fsutil import atomic_write, read_text
from kfctl.app.jsonnet_text import to_jsonnet
from kfctl.errors import NotFoundError, UsageError


def _read(path: Path, app: App) -> tuple[str, str]:
    shown = str(path.relative_to(app.root))
    if not path.exists():
        raise NotFoundError(f"{shown}: file not found")
    return read_text(path, shown=shown), shown


def _known_components(app: App) -> list[str]:
    from kfctl.app.components import component_files

    names = {c.name for c in component_files(app)}
    p = app.components_dir / "params.libsonnet"
    if p.is_file():
        try:
            names |= set(params_file.component_names(p.read_text(encoding="utf-8"), "components/params.libsonnet"))
        except Exception:
            pass
    return sorted(names)


def _check_component(app: App, component: str) -> None:
    known = _known_components(app)
    if component not in known:
        from kfctl.util.suggest import did_you_mean

        raise NotFoundError(f"component {component!r} does not exist{did_you_mean(component, known)}",
                            hint="see 'kfctl component list'")


def target_file(app: App, component: str | None, env: str | None) -> Path:
    if env is None:
        return app.components_dir / "params.libsonnet"
    e = app.env(env)
    return app.env_dir(e) / ("params.libsonnet" if component else "globals.libsonnet")


def _edit_params(app: App, component: str | None, env: str | None, op) -> tuple[Path, str, bool]:
    """Under the app lock: read the params file that holds ``component``'s (or the globals') params
    for ``env``, apply ``op(text, what) -> (new_text, changed)``, write it back if it changed."""
    with app.locked():
        if component is not None:
            _check_component(app, component)
        target = target_file(app, component, env)
        text, what = _read(target, app)
        new, changed = op(text, what)
        if changed and new != text:
            atomic_write(target, new)
    return target, what, changed


def set_param(app: App, component: str | None, path: list[str], value: Any, *, env: str | None = None) -> Path:
    """component None = a global param (components/params.libsonnet ``global``, or the env's globals)."""
    value_text = to_jsonnet(value)
    pf = params_file
    if component is None:
        fn = pf.set_global if env is None else pf.set_top
        op = lambda text, what: (fn(text, path, value_text, what), True)  # noqa: E731
    else:
        fn = pf.set_component_param if env is None else pf.set_env_param
        op = lambda text, what: (fn(text, component, path, value_text, what), True)  # noqa: E731
    return _edit_params(app, component, env, op)[0]


def unset_param(app: App, component: str | None, path: list[str], *, env: str | None = None) -> Path:
    pf = params_file
    if component is None:
        fn = pf.unset_global if env is None else pf.unset_top
        op = lambda text, what: fn(text, path, what)  # noqa: E731
    else:
        fn = pf.unset_component_param if env is None else pf.unset_env_param
        op = lambda text, what: fn(text, component, path, what)  # noqa: E731
    target, what, changed = _edit_params(app, component, env, op)
    if not changed:
        where = f"component {component!r}" if component else "the globals"
        raise NotFoundError(f"{what}: {where} has no parameter {'.'.join(path)!r}"
                            + (f" set in environment {env!r}" if env else ""))
    return target


# ------------------------------------------------------------------ resolution
@dataclass
class ParamValue:
    component: str
    param: str
    value: Any
    source: str


def evaluate_params(app: App, env: Environment, engine: str | None = None) -> dict:
    from kfctl.render.pipeline import evaluate_env

    return evaluate_env(app, env, params_only=True, engine=engine)


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
        _check_component(app, component)
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
