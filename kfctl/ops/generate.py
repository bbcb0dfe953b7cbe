"""``kfctl generate`` / ``prototype use`` (find the prototype, installing the package that provides it
when needed, then write the component) and ``prototype preview`` (render one without an app)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kfctl.app.app import App
from kfctl.errors import AppError, UsageError
from kfctl.registry.prototype import Prototype, expand
from kfctl.util.fsutil import read_text


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

        try:
            data = load_yaml_text(text, str(path))
        except AppError as exc:
            raise UsageError(exc.message, hint=exc.hint) from None
    elif path.suffix == ".json":
        from kfctl.util.numbers import loads_json
        from kfctl.util.yamlio import load_json_text

        try:
            load_json_text(text, str(path))  # duplicate keys, with their line
            data = loads_json(text)
        except AppError as exc:
            raise UsageError(exc.message, hint=exc.hint) from None
        except ValueError as exc:
            raise UsageError(f"{path}: malformed JSON: {exc}") from None
    else:
        from kfctl.jsonnet import evaluate

        data = evaluate(text, filename=str(path), jpath=[path.parent])
    if not isinstance(data, dict):
        raise UsageError(f"{path}: a values file must hold an object of parameter values")
    from kfctl.util.numbers import problem

    for key, value in data.items():
        if problem(value):
            raise UsageError(f"{path}: parameter {key!r}: {problem(value)}")
    return data


def quoted_params(proto: Prototype, component: str, given: dict[str, str], values: dict[str, Any],
                  ) -> dict[str, str]:
    """Jsonnet text for every declared param: CLI flags (quoted by type), values file, defaults."""
    from kfctl.util.suggest import did_you_mean

    declared = {p.name for p in proto.params}
    aliases = proto.aliases()
    given, values = _unalias(proto, given, "--"), _unalias(proto, values, "")

    for k in list(given) + list(values):
        if k not in declared:
            raise UsageError(f"prototype {proto.name} has no parameter {k!r}{did_you_mean(k, declared | set(aliases))}",
                             hint=f"see 'kfctl prototype describe {proto.short_name}'")
    out: dict[str, str] = {}
    missing = []
    for p in proto.params:
        if p.name in values:
            from kfctl.app.jsonnet_text import to_jsonnet

            out[p.name] = to_jsonnet(values[p.name])
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


def _unalias(proto: Prototype, given: dict, prefix: str) -> dict:
    """Values given under an alias (``@alias``: ks 0.13's name of a renamed parameter) moved to the
    parameter's name; the same parameter given under two names is an error."""
    aliases = proto.aliases()
    if not any(k in aliases for k in given):
        return given
    out: dict = {}
    named: dict[str, str] = {}
    for k, v in given.items():
        name = aliases.get(k, k)
        if name in out:
            alias = k if k in aliases else named[name]
            raise UsageError(f"{prefix}{named[name]} and {prefix}{k} name the same parameter of {proto.name} "
                             f"({alias} is ks 0.13's name for {name}); give one")
        out[name] = v
        named[name] = k
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
        from kfctl.app.jsonnet_text import number_literals
        from kfctl.util.numbers import text_problem

        for literal in number_literals(text):
            if text_problem(literal):
                raise UsageError(f"--{p.name}={value!r}: {text_problem(literal)}")
    return text


@dataclass
class Generated:
    component: str
    path: Path
    params: dict[str, str]
    prototype: Prototype
    installed: object | None = None  # kfctl.registry.packages.InstallResult: the package installed for it
    dependencies: list = field(default_factory=list)  # InstallResults of the packages that package needs


def add_from_prototype(app: App, proto: Prototype, component: str, given: dict[str, str], *,
                       values: dict[str, Any] | None = None, force: bool = False) -> Generated:
    """Write a component expanded from ``proto`` with its params (flags, values file, defaults)."""
    from kfctl.app.components import add_component
    from kfctl.app.names import validate_component_name

    validate_component_name(component)
    params = quoted_params(proto, component, given, values or {})
    _check_object_names(app, proto, params, component)
    package = proto.source if proto.source not in ("builtin", "app") else None
    path = add_component(app, component, expand(proto, component), params, prototype=proto.name,
                         package=package, force=force)
    return Generated(component, path, params, proto)


def _check_object_names(app: App, proto: Prototype, params: dict[str, str], component: str) -> None:
    """Refuse a component whose objects the API server would refuse by name (``generate configMap
    Web_1`` names a ConfigMap 'Web_1'), by the rule of each kind.  Best effort: a prototype that does
    not render on its own (it needs an env) is left to ``validate``."""
    from kfctl.errors import KfctlError
    from kfctl.util.k8s import name_problem

    try:
        objects = render_params(proto, params, app_root=app.root, component=component)
    except KfctlError:
        return
    for obj in objects:
        name = (obj.get("metadata") or {}).get("name")
        if isinstance(name, str) and name:
            rule = name_problem(str(obj.get("apiVersion", "")), str(obj.get("kind", "")), name)
            if rule:
                shown = name if len(name) <= 60 else name[:57] + "..."
                raise UsageError(f"{obj.get('kind')} name {shown!r} is invalid: {rule}",
                                 hint="pass --name with a valid name")


def generate(app: App, prototype: str, component: str, args: list[str], *,
             values_file: Path | None = None, force: bool = False) -> Generated:
    """Find ``prototype`` (full name or unique suffix) among the app's prototypes; when none has it,
    install the registry package that provides it; then write the component.  ``args``: the
    ``--PARAM VALUE`` flags as given."""
    from kfctl.errors import NotFoundError
    from kfctl.registry.index import PrototypeIndex

    given = parse_param_args(args)
    values = load_values_file(values_file) if values_file else {}
    installed = None
    try:
        proto = PrototypeIndex(app.root).find(prototype)
    except NotFoundError:
        from kfctl.registry.catalogue import find_package_for_prototype
        from kfctl.registry.packages import install_with_dependencies

        parts = prototype.split("/")
        found = (parts[0], parts[1]) if len(parts) == 3 and all(parts) and parts[0] in app.registries \
            else find_package_for_prototype(app, prototype)
        if found is None:
            raise
        reg, pkg = found
        installed, *dependencies = install_with_dependencies(app, f"{reg}/{pkg}")
        app.reload()
        proto = PrototypeIndex(app.root).find(prototype)
    else:
        dependencies = []
    result = add_from_prototype(app, proto, component, given, values=values, force=force)
    result.installed = installed
    result.dependencies = dependencies
    return result


@dataclass
class Preview:
    prototype: Prototype
    source: str  # the component's jsonnet
    objects: list[dict]  # rendered (empty when only the source was asked for)
    warnings: list[str] = field(default_factory=list)  # the prototype's (kfctl.dev/warnings)


def preview(app_root: Path | None, prototype: str, args: list[str], *, values_file: Path | None = None,
            namespace: str = "default", engine: str | None = None, source_only: bool = False) -> Preview:
    """Render a prototype with ``given`` params on its own: no app needed, nothing of the app written."""
    from kfctl.app.names import validate_namespace
    from kfctl.data import registry_dir
    from kfctl.ops.prototypes import prototype_index
    from kfctl.render.preview import PREVIEW_COMPONENT, preview_source

    validate_namespace(namespace)
    p = prototype_index(App(app_root) if app_root is not None else None).find(prototype, available=True)
    if not p.installed and registry_dir() not in p.path.parents:  # the built-in registry is on the jpath
        raise UsageError(f"prototype {p.name} is in package {p.source}, which is not installed",
                         hint=f"install it with 'kfctl pkg install {p.source}' to preview it")
    given = parse_param_args(args)
    values = load_values_file(values_file) if values_file else {}
    component = given.get("name", PREVIEW_COMPONENT) if p.param("name") else PREVIEW_COMPONENT
    params = quoted_params(p, component, given, values)
    if source_only:
        return Preview(p, preview_source(p), [])
    warnings: list[str] = []
    objects = render_params(p, params, app_root=app_root, namespace=namespace, engine=engine, warnings=warnings)
    return Preview(p, preview_source(p), objects, warnings)


def render_params(proto: Prototype, params: dict[str, str], *, app_root: Path | None = None,
                  namespace: str = "default", server: str = "https://kubernetes.default.svc",
                  k8s_version: str | None = None, engine: str | None = None, component: str | None = None,
                  warnings: list[str] | None = None) -> list[dict]:
    """Objects of ``proto`` rendered with ``params`` (jsonnet text per param), libraries prepared first;
    ``warnings`` receives the prototype's warnings."""
    from kfctl.ops.prepare import DEFAULT_PREVIEW_K8S, prepare_preview
    from kfctl.render.preview import PREVIEW_COMPONENT, render_prototype

    k8s_version = k8s_version or DEFAULT_PREVIEW_K8S
    jpath, display_root = prepare_preview(app_root, k8s_version)
    return render_prototype(proto, params, jpath, namespace=namespace, server=server, display_root=display_root,
                            engine=engine, component=component or PREVIEW_COMPONENT, k8s_version=k8s_version,
                            warnings=warnings)
