"""``kfctl param list`` and ``param diff``: parameter values resolved by evaluating the env, with
where each value comes from.

Layers, lowest precedence first (design.md): prototype default → component
(``components/params.libsonnet``) → global (its ``global``; ksonnet: global overrides component
values) → platform profile of the env → env (``environments/<env>/params.libsonnet`` and
``globals.libsonnet``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
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


# ------------------------------------------------------------------------------------ set / unset
@dataclass
class ParamSet:
    """What ``kfctl param set`` stored: the value as written into the params file, and its type."""

    component: str | None
    key: str  # the key stored (a prototype parameter's name when KEY was one of its aliases)
    typed: str  # the value as typed
    value: Any
    path: Path
    alias_of: str | None = None  # KEY was ks 0.13's name of this parameter

    @property
    def text(self) -> str:
        from kfctl.app.jsonnet_text import to_jsonnet

        return to_jsonnet(self.value)

    @property
    def type(self) -> str:
        from kfctl.app.values import value_type

        return value_type(self.value)

    @property
    def hint(self) -> str | None:
        """--as-string advice when the number stored is not what was typed, or ks stored a string."""
        from kfctl.app.values import ks_kind

        if self.type != "number":
            return None
        if self.text != self.typed.strip():
            return f"pass --as-string to keep {self.typed!r}"
        if ks_kind(self.typed) == "string":
            return f"ks 0.13 stored the string {self.typed!r}: pass --as-string for that"
        return None


def _canonical_key(app: App, component: str | None, key: str) -> tuple[str, str | None]:
    """(key to store, alias resolved): ks 0.13's name of a renamed built-in parameter, for a component
    kfctl generated from that prototype, is stored under the prototype's name."""
    if component is None or "." in key:
        return key, None
    from kfctl.app.components import component_prototypes

    proto_name = component_prototypes(app).get(component, {}).get("prototype")
    if not proto_name:
        return key, None
    from kfctl.registry.index import PrototypeIndex

    proto = PrototypeIndex(app.root).by_name.get(str(proto_name))
    if proto is None or proto.param(key) is not None:
        return key, None
    name = proto.aliases().get(key)
    return (name, name) if name else (key, None)


def set_param(app: App, component: str | None, key: str, raw: str, *, env: str | None = None,
              as_string: bool = False) -> ParamSet:
    """``param set``: decode RAW as ks did (``--as-string``: keep it a string) and write it in place."""
    from kfctl.app.params import set_param as write_param
    from kfctl.app.values import decode_value, split_key

    value = decode_value(raw, as_string=as_string)
    stored, alias_of = _canonical_key(app, component, key)
    path = write_param(app, component, split_key(stored), value, env=env)
    return ParamSet(component, stored, raw, value, path, alias_of)


def unset_param(app: App, component: str | None, key: str, *, env: str | None = None) -> tuple[Path, str]:
    """``param unset``: (file edited, key removed — the parameter's name when KEY was an alias)."""
    from kfctl.app.params import unset_param as remove_param
    from kfctl.app.values import split_key

    stored, _ = _canonical_key(app, component, key)
    return remove_param(app, component, split_key(stored), env=env), stored
