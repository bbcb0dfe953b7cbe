"""Creating an app and adding, changing and removing its environments."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from kfctl.app.app import APP_FILE, DEFAULT_K8S_VERSION, App, Environment, env_entry
from kfctl.util.fsutil import atomic_write
from kfctl.app.names import validate_env_name, validate_namespace
from kfctl.app.scaffold import write_app_skeleton, write_env_files
from kfctl.errors import AppError, UsageError


@dataclass
class Destination:
    server: str | None
    namespace: str
    context: str | None


def normalize_k8s_version(v: str | None) -> str:
    if not v:
        return DEFAULT_K8S_VERSION
    from kfctl.util.k8s import parse_k8s_version

    parsed = parse_k8s_version(v)
    if parsed is None or parsed[3]:
        raise UsageError(f"invalid Kubernetes version {v!r}: use vMAJOR.MINOR[.PATCH], e.g. v1.30.0")
    major, minor, patch, _ = parsed
    return f"v{major}.{minor}.{patch or 0}"


def init_app(
    name: str, target: Path, dest: Destination, *, env_name: str = "default", k8s_version: str | None = None,
    platform: str | None = None, skip_default_registries: bool = False,
) -> App:
    validate_env_name(env_name)
    from kfctl.util.fsutil import os_problem

    target = target.resolve()
    if target.exists() and not target.is_dir():
        raise AppError(f"{target}: exists and is not a directory; choose another name or --dir")
    if target.is_dir() and any(target.iterdir()):
        raise AppError(f"{target}: directory exists and is not empty; choose another name or --dir")
    if platform:
        from kfctl.app.platforms import get_platform

        get_platform(platform)
    created = not target.exists()
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AppError(f"{target}: cannot create the app directory: {os_problem(exc)}") from None
    try:
        write_app_skeleton(target)
        env = Environment(
            name=env_name, server=dest.server, namespace=dest.namespace, context=dest.context,
            k8s_version=normalize_k8s_version(k8s_version), platform=platform,
        )
        write_env_files(target / "environments" / env.path)
        atomic_write(target / APP_FILE, _initial_app_yaml(name, env, skip_default_registries))
    except BaseException:
        if created:
            shutil.rmtree(target, ignore_errors=True)
        else:  # an empty directory the user made: leave it, empty again
            for child in target.iterdir():
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    child.unlink(missing_ok=True)
        raise
    return App(target)


def _initial_app_yaml(name: str, env: Environment, skip_default_registries: bool) -> str:
    import io

    from kfctl.util.yamlio import _roundtrip, new_map

    doc = new_map()
    doc["apiVersion"] = "0.3.0"
    doc["kind"] = "ksonnet.io/app"
    doc["name"] = name
    doc["version"] = "0.0.1"
    doc["environments"] = new_map()
    doc["environments"][env.name] = env_entry(env)
    if not skip_default_registries:
        doc["registries"] = new_map({"kubeflow": {"protocol": "builtin", "uri": "builtin:kubeflow"}})
    buf = io.StringIO()
    _roundtrip().dump(doc, buf)
    return buf.getvalue()


def check_image_registry(value: str) -> str:
    """``REGISTRY[/PREFIX]`` as stored (no trailing slash); a usage error names what is wrong."""
    from kfctl.util.imageref import parse_mirror

    try:
        host, prefix = parse_mirror(value)
    except ValueError as exc:
        raise UsageError(f"--image-registry {exc}") from None
    return f"{host}/{prefix}" if prefix else host


def parse_image_overrides(items: list[str] | None, *, allow_removal: bool = False) -> dict[str, str | None]:
    """``SRC=DST`` items → {SRC: DST}; with ``allow_removal``, ``SRC=`` → {SRC: None} (remove it)."""
    from kfctl.util.imageref import parse, parse_override

    out: dict[str, str | None] = {}
    for item in items or []:
        src, sep, dst = str(item).partition("=")
        if allow_removal and sep and src.strip() and not dst.strip():
            try:
                parse(src.strip())
            except ValueError as exc:
                raise UsageError(f"--image-override {item!r}: {exc}") from None
            out[src.strip()] = None
            continue
        try:
            o = parse_override(item)
        except ValueError as exc:
            raise UsageError(f"--image-override: {exc}") from None
        src_text, dst_text = o.text.split("=", 1)
        out[src_text] = dst_text
    return out


def check_history_limit(value: int | None) -> int | None:
    if value is not None and value < 1:
        raise UsageError(f"--history-limit {value}: keep at least 1 revision")
    return value


def add_env(app: App, name: str, dest: Destination, *, k8s_version: str | None = None, platform: str | None = None,
            gitops_dir: str | None = None, image_registry: str | None = None,
            image_overrides: list[str] | None = None, history_limit: int | None = None,
            gitops_repo: str | None = None, gitops_revision: str | None = None) -> Environment:
    validate_env_name(name)
    if platform:
        from kfctl.app.platforms import get_platform

        get_platform(platform)
    env = Environment(
        name=name, server=dest.server, namespace=dest.namespace, context=dest.context,
        k8s_version=normalize_k8s_version(k8s_version), platform=platform, gitops_dir=gitops_dir,
        image_registry=check_image_registry(image_registry) if image_registry else None,
        image_overrides={k: v for k, v in parse_image_overrides(image_overrides).items() if v},
        history_limit=check_history_limit(history_limit), gitops_repo=gitops_repo or None,
        gitops_revision=gitops_revision or None,
    )
    with app.locked():
        app.reload()
        if name in app.environments:
            raise AppError(f"environment {name!r} already exists", hint=f"use 'kfctl env set {name} ...' to change it")
        env_dir = app.root / "environments" / env.path
        if (env_dir / "main.jsonnet").exists():
            raise AppError(f"{env_dir}: directory already holds an environment; remove it or choose another name")

        def edit(doc):
            from kfctl.util.yamlio import new_map

            if doc.get("environments") is None:
                doc["environments"] = new_map()
            doc["environments"][name] = env_entry(env)

        write_env_files(env_dir)
        app.edit(edit)
    return app.env(name)


def set_env(app: App, name: str, *, new_name: str | None = None, server: str | None = None,
            namespace: str | None = None, context: str | None = None, platform: str | None = None,
            k8s_version: str | None = None, gitops_dir: str | None = None, image_registry: str | None = None,
            image_overrides: list[str] | None = None, history_limit: int | None = None,
            gitops_repo: str | None = None, gitops_revision: str | None = None,
            context_server: Callable[[str], str | None] | None = None) -> Environment:
    """``context_server(name)`` gives a kube context's server URL (``kfctl.kube.destination``); it is
    called after the arguments are checked, so a bad argument is reported before the kubeconfig.
    ``image_registry=""`` removes the mirror; an override ``SRC=`` removes that override."""
    registry = check_image_registry(image_registry) if image_registry else image_registry
    overrides = parse_image_overrides(image_overrides, allow_removal=True)
    check_history_limit(history_limit)
    if platform:
        from kfctl.app.platforms import get_platform

        get_platform(platform)
    if new_name:
        validate_env_name(new_name)
    if namespace is not None:
        validate_namespace(namespace)
    if server and not server.startswith(("http://", "https://")):
        raise UsageError(f"--server {server!r} must be an http:// or https:// URL")
    ctx_server = None
    if context and context_server is not None:
        ctx_server = context_server(context)
    with app.locked():
        app.reload()
        env = app.env(name)
        if env.overridden and name not in (app.raw.get("environments") or {}):
            raise AppError(f"environment {name!r} is defined in app.override.yaml; edit that file instead")
        if new_name and new_name != name and new_name in app.environments:
            raise AppError(f"cannot rename {name!r} to {new_name!r}: environment {new_name!r} already exists")
        old_dir = app.env_dir(env)
        new_path = env.path
        if new_name and new_name != name:
            new_path = new_name if env.path == name else env.path
            new_dir = app.root / "environments" / new_path
            if new_path != env.path and (new_dir / "main.jsonnet").exists():
                raise AppError(f"{new_dir}: an environment already lives there")

        def edit(doc):
            envs = doc["environments"]
            entry = envs[name]
            dest = entry.get("destination")
            if dest is None:
                from kfctl.util.yamlio import new_map

                dest = entry["destination"] = new_map()
            if server or ctx_server:
                dest["server"] = (server or ctx_server).rstrip("/")
            if namespace:
                dest["namespace"] = namespace
            if k8s_version:
                entry["k8sVersion"] = normalize_k8s_version(k8s_version)
            from kfctl.util.yamlio import new_map

            def ext():
                if entry.get("kfctl") is None:
                    entry["kfctl"] = new_map()
                return entry["kfctl"]

            for key, value in (("context", context), ("platform", platform), ("gitopsDir", gitops_dir),
                               ("historyLimit", history_limit), ("gitopsRepo", gitops_repo),
                               ("gitopsRevision", gitops_revision)):
                if value:
                    ext()[key] = value
            if registry:
                ext()["imageRegistry"] = registry
            elif registry == "" and entry.get("kfctl") is not None:
                entry["kfctl"].pop("imageRegistry", None)
            if overrides:
                current = ext().get("imageOverrides")
                if current is None:
                    current = ext()["imageOverrides"] = new_map()
                for src, dst in overrides.items():
                    if dst is None:
                        if src not in current:
                            raise UsageError(f"--image-override {src}=: environment {name!r} has no override "
                                             f"for {src}", hint=f"see 'kfctl env describe {name}'")
                        del current[src]
                    else:
                        current[src] = dst
                if not current:
                    del ext()["imageOverrides"]
            if new_name and new_name != name:
                entry["path"] = new_path
                # keep the position of the entry in the mapping
                keys = list(envs.keys())
                idx = keys.index(name)
                envs.insert(idx, new_name, entry)
                del envs[name]

        if new_name and new_name != name and new_path != env.path:
            new_dir = app.root / "environments" / new_path
            new_dir.parent.mkdir(parents=True, exist_ok=True)
            old_dir.rename(new_dir)
            _prune_empty_parents(old_dir.parent, app.root / "environments")
        if name not in (app.raw.get("environments") or {}):
            # apiVersion 0.1.0 env kept in spec.json: rewrite that file instead
            _edit_spec_json(app.root / "environments" / new_path, server or ctx_server, namespace)
        else:
            app.edit(edit)
        if new_name and app.current_env_name == name:
            atomic_write(app.root / ".ks_environment", new_name)
        app.reload()
    return app.env(new_name or name)


def _edit_spec_json(env_dir: Path, server: str | None, namespace: str | None) -> None:
    import json

    path = env_dir / "spec.json"
    from kfctl.util.fsutil import read_text

    try:
        data = json.loads(read_text(path))
    except ValueError as exc:
        raise AppError(f"{path}: malformed spec.json: {exc}") from None
    if server:
        data["server"] = server
    if namespace:
        data["namespace"] = namespace
    atomic_write(path, json.dumps(data, indent=2) + "\n")


def remove_env(app: App, name: str) -> None:
    with app.locked():
        app.reload()
        env = app.env(name)
        env_dir = app.env_dir(env)

        def edit(doc):
            envs = doc.get("environments")
            if envs is not None and name in envs:
                del envs[name]

        app.edit(edit)
        if env_dir.is_dir():
            shutil.rmtree(env_dir)
            _prune_empty_parents(env_dir.parent, app.root / "environments")
        if app.current_env_name == name:
            app.set_current_env(None)
        app.reload()


def _prune_empty_parents(d: Path, stop: Path) -> None:
    d = d.resolve()
    stop = stop.resolve()
    while d != stop and stop in d.parents and d.is_dir() and not any(d.iterdir()):
        d.rmdir()
        d = d.parent
