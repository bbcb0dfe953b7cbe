"""The inputs of an environment's evaluation: component files, jpath, ext vars, the entry snippet.

kfctl evaluates an environment in ONE jsonnet evaluation: the entry snippet imports the env's
``main.jsonnet`` (which imports ``base.libsonnet``, which reads ``__ksonnet/components``), and
the params chain is wired with ext codes that import the params files, so shared libraries are
parsed once.  ksonnet's two params evaluations are folded in by serving the env params file
with its ``std.extVar("__ksonnet/params")`` pointing at ``__kfctl/moduleParams`` instead.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from kfctl.app.app import App, Environment
from kfctl.app.components import ComponentFile, component_files
from kfctl.registry.prototype import component_key, rewrite_param_imports

MODULE_PARAMS_VAR = "__kfctl/moduleParams"
# What kfctl-native code reads about its env (ks's ``__ksonnet/environments`` carries only
# ``{server, namespace}``; Kubeflow 0.4/0.5 libraries merge it into params, so adding keys there
# renames objects).  ``std.extVar("__kfctl/env").name`` is the env name.
KFCTL_ENV_VAR = "__kfctl/env"
_EXTVAR_PARAMS = re.compile(r"""std\.extVar\(\s*(['"])__ksonnet/params\1\s*\)""")
_LEGACY_PARAMS_IMPORT = re.compile(r"""import\s+(['"])(?:\.\./)+components/params\.libsonnet\1""")
_HAS_PARAM_IMPORT = re.compile(r"""['"](param|env)://""")


@dataclass
class EvalInputs:
    snippet: str
    jpath: list[Path]
    ext_codes: dict[str, str]
    ext_vars: dict[str, str] = field(default_factory=dict)
    components: list[ComponentFile] = field(default_factory=list)
    on_demand: dict[Path, Callable[[], Path | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class Libraries:
    """jpath folders an evaluation needs besides the app's own sources, made ready (written, linked,
    generated) by :func:`kfctl.ops.prepare.prepare_env` before rendering: the map of versioned vendor
    folders, ``lib/`` and the ksonnet-lib/k8s-libsonnet for the env's Kubernetes version."""

    vendor_maps: tuple[Path, ...] = ()
    lib_dirs: tuple[Path, ...] = ()
    # (directory of lib_dirs, function generating it and returning where it is), for the importer to call
    # when an evaluation first looks there
    on_demand: tuple[tuple[Path, Callable[[], Path | None]], ...] = ()


def jpath_for(app: App, env: Environment, libs: Libraries) -> list[Path]:
    """ksonnet's order: environments/, the env dir, vendor/, package maps, lib/, ksonnet-lib, components/."""
    root = app.root
    paths = [root / "environments", app.env_dir(env), root / "vendor"]
    paths += [p for p in libs.vendor_maps if p not in paths]  # versioned vendor dirs, mapped
    paths += [p for p in libs.lib_dirs if p not in paths]  # lib/ + generated ksonnet-lib
    paths.append(app.components_dir)
    return paths


def _is_file(path: Path, app: App) -> bool:
    """True for a file, False when absent; anything else in its place (a directory) is an error."""
    if path.is_file():
        return True
    if not path.exists():
        return False
    from kfctl.errors import AppError

    raise AppError(f"{path.relative_to(app.root)}: is a directory, expected a file")


def _shown(p: Path, app: App) -> str:
    try:
        return p.relative_to(app.root).as_posix()
    except ValueError:
        return str(p)


def _jstr(p: Path) -> str:
    return json.dumps(str(p))


def component_expr(c: ComponentFile, shown: str | None = None) -> str:
    """The jsonnet expression of one component; ``shown`` is its path as errors name it."""
    if c.kind == "jsonnet":
        return f"import {_jstr(c.path)}"
    params = 'std.extVar("__ksonnet/params").components'
    own = f"(if std.objectHas({params}, {json.dumps(c.name)}) then {params}[{json.dumps(c.name)}] else {{}})"
    if c.kind == "json":
        return f"std.mergePatch(import {_jstr(c.path)}, {own})"
    docs = f'std.native("__kfctlComponentYaml")(importstr {_jstr(c.path)}, {json.dumps(shown or str(c.path))})'
    return f"(local docs = {docs}; if std.length(docs) == 1 then std.mergePatch(docs[0], {own}) else docs)"


def kfctl_env_code(name: str | None, namespace: str, server: str, k8s_version: str | None,
                   platform: str | None) -> str:
    """``__kfctl/env``: the env for kfctl-native jsonnet (``name`` is null in ``prototype preview``)."""
    return json.dumps({"name": name, "namespace": namespace, "server": server, "k8sVersion": k8s_version,
                       "platform": platform}, sort_keys=True)


def module_params_code(app: App, env: Environment, profile: dict) -> str:
    """``__kfctl/moduleParams``: components/params.libsonnet with globals applied (ksonnet:
    global overrides component values), then the platform profile for keys a component has."""
    path = app.components_dir / "params.libsonnet"
    src = f"import {_jstr(path)}" if _is_file(path, app) else "{global: {}, components: {}}"
    return (
        f"local m = {src};\n"
        "local g = if std.objectHas(m, 'global') then m.global else {};\n"
        f"local profile = {json.dumps(profile, sort_keys=True)};\n"
        "{\n"
        "  global: g,\n"
        "  components: std.mapWithKey(function(name, v)\n"
        "    local merged = std.mergePatch(v, g);\n"
        "    merged + { [k]: profile[k] for k in std.objectFields(profile) if std.objectHas(merged, k) },\n"
        "    if std.objectHas(m, 'components') then m.components else {}),\n"
        "}\n"
    )


def env_params_path(app: App, env: Environment) -> Path:
    return app.env_dir(env) / "params.libsonnet"


def build_inputs(app: App, env: Environment, libs: Libraries, *, select: list[str] | None = None, ext_vars: dict | None = None,
                 params_only: bool = False) -> EvalInputs:
    from kfctl.app.platforms import get_platform

    profile = get_platform(env.platform).params if env.platform else {}
    comps = component_files(app, env)
    env_ext = {"server": env.server or "", "namespace": env.namespace}  # exactly what ks passed
    from kfctl.app.layout import env_file

    main = None if params_only else env_file(app, env, "main.jsonnet")
    env_params = env_file(app, env, "params.libsonnet")
    _is_file(env_params, app)
    ext_codes = {
        "__ksonnet/environments": json.dumps(env_ext, sort_keys=True),
        KFCTL_ENV_VAR: kfctl_env_code(env.name, env.namespace, env.server or "", env.k8s_version, env.platform),
        MODULE_PARAMS_VAR: module_params_code(app, env, profile),
        "__ksonnet/params": f"import {_jstr(env_params)}",
        "__ksonnet/components": "{\n" + "".join(
            f"  {json.dumps(c.name)}: {component_expr(c, _shown(c.path, app))},\n" for c in comps) + "}",
    }
    if params_only:
        comp_params = app.components_dir / "params.libsonnet"
        raw = f"import {_jstr(comp_params)}" if _is_file(comp_params, app) else "{}"
        snippet = f'{{ module: std.extVar("{MODULE_PARAMS_VAR}"), env: std.extVar("__ksonnet/params"), raw: {raw} }}\n'
    else:
        _is_file(main, app)
        main_expr = f"import {_jstr(main)}"
        if select:
            keys = json.dumps(sorted(set(select)))
            snippet = (f"local main = {main_expr};\n"
                       f"{{ [k]: main[k] for k in {keys} if std.objectHas(main, k) }}\n")
        else:
            snippet = main_expr + "\n"
    return EvalInputs(snippet=snippet, jpath=jpath_for(app, env, libs), ext_codes=ext_codes,
                      ext_vars=dict(ext_vars or {}), components=comps, on_demand=dict(libs.on_demand))


def make_import_rewriter(app: App, env: Environment):
    """Serve files the way ksonnet evaluated them: env params read module params; component
    files may use ``import "param://x"`` / ``"env://x"`` (rewritten on the fly)."""
    env_params = str(env_params_path(app, env).resolve())
    comp_dir = app.components_dir.resolve()
    comp_prefix = str(comp_dir) + os.sep
    real_dirs: dict[str, str] = {}

    def realpath(p: str) -> str:
        # os.path.realpath(p) with one lstat per file instead of one per path component: the real
        # directory is cached (an env's files share a few directories)
        head, tail = os.path.split(p)
        if not tail or tail in (".", "..") or os.path.islink(p):
            return os.path.realpath(p)
        real = real_dirs.get(head)
        if real is None:
            real = real_dirs[head] = os.path.realpath(head)
        return os.path.join(real, tail)

    def rewrite(path: Path, text: str) -> str:
        rp = realpath(os.fspath(path))
        if rp == env_params:
            text = _EXTVAR_PARAMS.sub(f'std.extVar("{MODULE_PARAMS_VAR}")', text)
            return _LEGACY_PARAMS_IMPORT.sub(f'std.extVar("{MODULE_PARAMS_VAR}")', text)
        if rp.startswith(comp_prefix):
            if rp.endswith(".jsonnet") and len(os.path.basename(rp)) > 8 and _HAS_PARAM_IMPORT.search(text):
                rel = Path(rp).relative_to(comp_dir).with_suffix("")
                name = ".".join(rel.parts)
                # keep line numbers: the locals go on the first line
                prefix = (f'local params = std.extVar("__ksonnet/params").components{component_key(name)}; '
                          'local env = std.extVar("__ksonnet/environments"); ')
                return prefix + rewrite_param_imports(text)
        return text

    return rewrite
