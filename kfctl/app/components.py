"""Components: the app's component layout (files and modules under components/), generate from a
prototype, list, remove."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kfctl.app.app import App, Environment
from kfctl.util.fsutil import atomic_write, read_text
from kfctl.app.names import validate_component_name
from kfctl.app import params_file
from kfctl.errors import AppError, UsageError
from kfctl.registry.prototype import Prototype, expand

COMPONENT_PARAMS = "params.libsonnet"
COMPONENT_SUFFIXES = (".jsonnet", ".json", ".yaml", ".yml")


@dataclass
class ComponentFile:
    name: str  # component name (module-qualified with '.' for non-root modules)
    path: Path
    module: str  # "" for the root module

    @property
    def kind(self) -> str:
        return self.path.suffix.lstrip(".").replace("yml", "yaml")


def module_dirs(app: App, env: Environment) -> list[tuple[str, Path]]:
    """ksonnet: without targets only the root module; with targets each named module dir."""
    root = app.components_dir
    if not env.targets:
        return [("", root)]
    out = []
    for t in env.targets:
        t = t.strip()
        if t in ("/", ".", ""):
            out.append(("", root))
            continue
        parts = [p for p in re.split(r"[./]", t) if p]
        d = root.joinpath(*parts)
        if not d.is_dir():
            raise AppError(f"environment {env.name!r}: target {t!r} is not a module directory under components/")
        out.append((".".join(parts), d))
    return sorted(set(out))


def component_files(app: App, env: Environment | None = None) -> list[ComponentFile]:
    mods = module_dirs(app, env) if env is not None else [("", app.components_dir)]
    out: list[ComponentFile] = []
    for module, d in mods:
        if not d.is_dir():
            continue
        for p in sorted(d.iterdir()):
            if p.is_file() and p.suffix in COMPONENT_SUFFIXES and not p.name.startswith("."):
                name = p.stem if not module else f"{module}.{p.stem}"
                out.append(ComponentFile(name, p, module))
    seen: dict[str, ComponentFile] = {}
    for c in out:
        if c.name in seen:
            raise AppError(f"two files define component {c.name!r}: {seen[c.name].path} and {c.path}")
        seen[c.name] = c
    return out


def parse_param_args(args: list[str]) -> dict[str, str]:
    """``--k v``, ``--k=v`` (repeated last wins) → {k: v}."""
    out: dict[str, str] = {}
    i = 0
    while i < len(args):
        a = args[i]
        if not a.startswith("--") or a == "--":
            raise UsageError(f"unexpected argument {a!r}: parameters are given as --NAME VALUE or --NAME=VALUE")
        body = a[2:]
        if "=" in body:
            k, v = body.split("=", 1)
            i += 1
        else:
            if i + 1 >= len(args) or (args[i + 1].startswith("--") and len(args[i + 1]) > 2):
                raise UsageError(f"parameter --{body} needs a value")
            k, v = body, args[i + 1]
            i += 2
        out[k] = v
    return out


def load_values_file(path: Path) -> dict[str, Any]:
    """A JSON, YAML or jsonnet file holding an object of param values."""
    if path.is_dir():
        raise UsageError(f"{path}: is a directory, expected a values file")
    if not path.exists():
        raise UsageError(f"{path}: values file not found")
    try:
        text = read_text(path, what="values file")
    except AppError as exc:
        raise UsageError(exc.message, hint=exc.hint) from None
    if path.suffix in (".yaml", ".yml"):
        from kfctl.util.yamlio import load_yaml_text

        data = load_yaml_text(text, str(path))
    elif path.suffix == ".json":
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise UsageError(f"{path}: malformed JSON: {exc}") from None
    else:
        from kfctl.jsonnet import evaluate

        data = evaluate(text, filename=str(path), jpath=[path.parent])
    if not isinstance(data, dict):
        raise UsageError(f"{path}: a values file must hold an object of parameter values")
    return data


def quoted_params(proto: Prototype, component: str, given: dict[str, str], values: dict[str, Any],
                  ) -> dict[str, str]:
    """Jsonnet text for every declared param: CLI flags (quoted by type), values file, defaults."""
    declared = {p.name for p in proto.params}
    from kfctl.util.suggest import did_you_mean

    for k in list(given) + list(values):
        if k not in declared:
            raise UsageError(f"prototype {proto.name} has no parameter {k!r}{did_you_mean(k, declared)}",
                             hint=f"see 'kfctl prototype describe {proto.short_name}'")
    out: dict[str, str] = {}
    missing = []
    for p in proto.params:
        if p.name in values:
            out[p.name] = json.dumps(values[p.name], ensure_ascii=False)
        elif p.name in given:
            out[p.name] = _quote_flag(p, given[p.name])
        elif p.name == "name":
            out[p.name] = p.quote(component)
        elif p.default is not None:
            out[p.name] = p.quote(p.default)
        else:
            missing.append(p)
    if missing:
        lines = ", ".join(f"--{p.name}=<{p.name}> ({p.type}: {p.description})" for p in missing)
        raise UsageError(f"prototype {proto.name} needs {len(missing)} more parameter(s): {lines}")
    return out


def _quote_flag(p, value: str) -> str:
    """Jsonnet text for ``--NAME VALUE``.  A wrong value is a usage error, and object/array
    values (spliced into params.libsonnet as jsonnet) must parse, so a typo cannot corrupt the file."""
    from kfctl.errors import KfctlError

    try:
        text = p.quote(value)
    except KfctlError as exc:
        raise UsageError(exc.message, hint=exc.hint) from None
    if p.type in ("object", "array"):
        from kfctl.jsonnet import JsonnetError, evaluate

        try:  # parse only: an unused local is never evaluated
            evaluate(f"local v = (\n{text}\n); null", filename=f"--{p.name}")
        except JsonnetError as exc:
            import re

            detail = re.sub(r"^--[^:]*:[0-9:-]+:\s*", "", exc.message.splitlines()[0])
            raise UsageError(f"--{p.name}={value!r}: not a valid jsonnet {p.type} ({detail})",
                             hint=f"e.g. --{p.name}='{{\"key\": \"value\"}}'" if p.type == "object"
                             else f"e.g. --{p.name}='[\"a\", \"b\"]'") from None
    return text


@dataclass
class Generated:
    component: str
    path: Path
    params: dict[str, str]
    installed: str | None = None


def generate(app: App, proto: Prototype, component: str, given: dict[str, str], *,
             values: dict[str, Any] | None = None, force: bool = False) -> Generated:
    validate_component_name(component)
    params = quoted_params(proto, component, given, values or {})
    target = app.components_dir / f"{component}.jsonnet"
    params_path = app.components_dir / COMPONENT_PARAMS
    what = str(params_path.relative_to(app.root))
    with app.locked():
        others = [p for p in app.components_dir.glob(f"{component}.*")
                  if p.suffix in (".jsonnet", ".json", ".yaml", ".yml")]
        if others and not force:
            raise AppError(f"component {component!r} already exists ({others[0].relative_to(app.root)})",
                           hint="choose another name, or pass --force to overwrite it")
        text = read_text(params_path, shown=what) if params_path.exists() else _default_params()
        if component in params_file.component_names(text, what):
            if not force:
                raise AppError(f"{what} already has parameters for component {component!r}",
                               hint="pass --force to replace them")
            text, _ = params_file.remove_component(text, component, what)
        new_text = params_file.add_component(text, component, params, what)
        old_target = target.read_bytes() if target.is_file() else None
        atomic_write(target, expand(proto, component))
        try:
            atomic_write(params_path, new_text)
        except BaseException:  # leave the app as it was: no component without its params
            if old_target is None:
                target.unlink(missing_ok=True)
            else:
                atomic_write(target, old_target)
            raise
        for p in others:
            if p != target:
                p.unlink()
        _record_provenance(app, component, proto)
    return Generated(component, target, params)


def _default_params() -> str:
    from kfctl.app.scaffold import COMPONENT_PARAMS as TEMPLATE

    return TEMPLATE


def _record_provenance(app: App, component: str, proto: Prototype | None) -> None:
    """app.yaml ``kfctl.components.<c>.prototype`` — which prototype (and package) made a component."""
    from kfctl.util.yamlio import new_map

    def edit(doc):
        if proto is None:
            comps = (doc.get("kfctl") or {}).get("components")
            if comps is not None and component in comps:
                del comps[component]
                if not comps:
                    del doc["kfctl"]["components"]
                if not doc["kfctl"]:
                    del doc["kfctl"]
            return
        if doc.get("kfctl") is None:
            doc["kfctl"] = new_map()
        if doc["kfctl"].get("components") is None:
            doc["kfctl"]["components"] = new_map()
        entry = new_map({"prototype": proto.name})
        if proto.source not in ("builtin", "app"):
            entry["package"] = proto.source
        doc["kfctl"]["components"][component] = entry

    app.edit(edit)


def component_prototypes(app: App) -> dict[str, dict]:
    comps = (app.kfctl_settings or {}).get("components") or {}
    return {str(k): dict(v or {}) for k, v in comps.items()}


def list_components(app: App) -> list[dict]:
    protos = component_prototypes(app)
    rows = []
    for c in component_files(app):
        rows.append({"component": c.name, "type": c.kind, "file": str(c.path.relative_to(app.root)),
                     "prototype": protos.get(c.name, {}).get("prototype", "")})
    return rows


def remove_component(app: App, component: str) -> list[str]:
    """Delete the component file and its params from every params file; returns the files changed."""
    with app.locked():
        files = [c for c in component_files(app) if c.name == component]
        if not files:
            from kfctl.errors import NotFoundError
            from kfctl.util.suggest import did_you_mean

            raise NotFoundError(f"component {component!r} does not exist"
                                f"{did_you_mean(component, [c.name for c in component_files(app)])}")
        # compute every edit first, so a file we cannot edit stops us before anything changes
        edits: list[tuple[Path, str]] = []
        params_path = app.components_dir / COMPONENT_PARAMS
        if params_path.exists():
            text = read_text(params_path, shown=str(params_path.relative_to(app.root)))
            new, changed = params_file.remove_component(text, component, str(params_path.relative_to(app.root)))
            if changed:
                edits.append((params_path, new))
        for env in app.environments.values():
            p = app.env_dir(env) / "params.libsonnet"
            if p.exists():
                text = read_text(p, shown=str(p.relative_to(app.root)))
                new, changed = params_file.remove_env_component(text, component, str(p.relative_to(app.root)))
                if changed:
                    edits.append((p, new))
        for path, new in edits:
            atomic_write(path, new)
        for c in files:
            c.path.unlink()
        if component in component_prototypes(app):
            _record_provenance(app, component, None)
    return [str(p.relative_to(app.root)) for p, _ in edits] + [str(c.path.relative_to(app.root)) for c in files]
