"""Creating an app and adding, changing and removing its environments."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from kfctl.app.app import APP_FILE, DEFAULT_K8S_VERSION, App, Environment
from kfctl.app.envspec import check_history_limit, check_image_registry, env_entry, parse_image_overrides
from kfctl.util.fsutil import atomic_write
from kfctl.util.journal import discard, make_dirs, move
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
    """Create the app in a staging directory next to ``target`` and rename it into place, so a
    crash leaves either no app or a whole one (the staging directory is cleaned by the next init)."""
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
    env = Environment(
        name=env_name, server=dest.server, namespace=dest.namespace, context=dest.context,
        k8s_version=normalize_k8s_version(k8s_version), platform=platform,
    )
    import tempfile

    for parent in target.parents:
        if parent.exists():
            if not parent.is_dir():
                raise AppError(f"{target}: cannot create the app directory: a parent path is not a directory")
            break
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        for old in target.parent.glob(f".{_glob_escape(target.name)}.kfctl-new-*"):  # a killed init's
            shutil.rmtree(old, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.kfctl-new-", dir=target.parent))
    except OSError as exc:
        raise AppError(f"{target}: cannot create the app directory: {os_problem(exc)}") from None
    try:
        staging.chmod(0o755)
        write_app_skeleton(staging)
        write_env_files(staging / "environments" / env.path)
        atomic_write(staging / APP_FILE, _initial_app_yaml(name, env, skip_default_registries))
        try:
            os.replace(staging, target)  # over an empty directory too
        except OSError as exc:
            raise AppError(f"{target}: cannot create the app directory: {os_problem(exc)}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return App(target)


def _glob_escape(s: str) -> str:
    import re

    return re.sub(r"([\[\]*?])", r"[\1]", s)


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
    with app.transaction(f"kfctl env add {name}"):
        app.reload()
        if name in app.environments:
            raise AppError(f"environment {name!r} already exists", hint=f"use 'kfctl env set {name} ...' to change it")
        check_env_path(app, env.path)
        env_dir = app.root / "environments" / env.path
        if (env_dir / "main.jsonnet").exists() and not _pristine_env_dir(env_dir):
            raise AppError(f"{env_dir}: directory already holds an environment's main.jsonnet that no environment "
                           "in app.yaml uses; move it away or choose another name")

        def edit(doc):
            from kfctl.util.yamlio import new_map

            if doc.get("environments") is None:
                doc["environments"] = new_map()
            doc["environments"][name] = env_entry(env)

        make_dirs(env_dir)
        write_env_files(env_dir)
        app.edit(edit)
    return app.env(name)


NEST_HINT = "environment directories must not nest: choose another name"


def check_env_path(app: App, path: str, *, ignore: str | None = None, prefix: str = "") -> None:
    """An env directory may neither contain nor lie inside another env's (ks allowed it, and then
    'env rm' of the outer env deleted the inner one's files)."""
    path = path.strip("/")
    for other in app.environments.values():
        if other.name == ignore:
            continue
        o = other.path.strip("/")
        if o.startswith(path + "/"):
            raise AppError(f"{prefix}environments/{path} would contain the directory of environment {other.name!r} "
                           f"(environments/{o})", hint=NEST_HINT)
        if path.startswith(o + "/"):
            raise AppError(f"{prefix}environments/{path} would be inside the directory of environment "
                           f"{other.name!r} (environments/{o})", hint=NEST_HINT)


def _pristine_env_dir(d: Path) -> bool:
    """``d`` holds exactly the env files kfctl writes, unchanged: what an interrupted 'env add' of an
    older kfctl left.  Reusing it loses nothing."""
    from kfctl.app.scaffold import ENV_FILES

    try:
        names = sorted(p.name for p in d.iterdir())
    except OSError:
        return False
    if names != sorted(ENV_FILES):
        return False
    return all((d / n).read_text(encoding="utf-8", errors="replace") == text for n, text in ENV_FILES.items())


def _own_entries(app: App, env: Environment) -> list[Path] | None:
    """What of ``env``'s directory belongs to ``env``: None for all of it, else the entries outside the
    directories of envs nested in it (apps ks made may nest 'us-west/prd' inside 'us-west')."""
    d = app.env_dir(env)
    nested = [app.env_dir(e) for e in app.environments.values()
              if e.name != env.name and e.path.strip("/").startswith(env.path.strip("/") + "/")]
    if not nested:
        return None
    out: list[Path] = []

    def walk(here: Path) -> None:
        for child in sorted(here.iterdir()):
            if child in nested:
                continue
            if any(child in n.parents for n in nested) and child.is_dir() and not child.is_symlink():
                walk(child)
            else:
                out.append(child)

    if d.is_dir():
        walk(d)
    return out


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
    with app.transaction(f"kfctl env set {name}"):
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
            if new_path != env.path:
                from kfctl.app.layout import env_path_problem

                check_env_path(app, new_path, prefix=f"cannot rename {name!r} to {new_name!r}: ")
                if env_path_problem(new_path):
                    raise AppError(f"cannot rename {name!r} to {new_name!r}: environments/{new_path} "
                                   f"{env_path_problem(new_path)}")
                if (new_dir / "main.jsonnet").exists():
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
            own = _own_entries(app, env)
            if own is None:
                make_dirs(new_dir.parent)
                move(old_dir, new_dir)
            else:  # move only its own files: the dirs of envs nested in it stay where they are
                for p in own:
                    dst = new_dir / p.relative_to(old_dir)
                    make_dirs(dst.parent)
                    move(p, dst)
            _prune_empty_parents(old_dir.parent if own is None else old_dir, app.root / "environments")
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
    """Remove ``name`` from app.yaml and delete its directory — but never the directory of another env
    nested in it."""
    with app.transaction(f"kfctl env rm {name}"):
        app.reload()
        env = app.env(name)
        env_dir = app.env_dir(env)

        def edit(doc):
            envs = doc.get("environments")
            if envs is not None and name in envs:
                del envs[name]

        own = _own_entries(app, env)
        app.edit(edit)
        if own is None:
            if env_dir.is_dir():
                discard(env_dir)
                _prune_empty_parents(env_dir.parent, app.root / "environments")
        else:
            for p in own:
                discard(p)
        if app.current_env_name == name:
            app.set_current_env(None)
        app.reload()


def _prune_empty_parents(d: Path, stop: Path) -> None:
    d = d.resolve()
    stop = stop.resolve()
    while d != stop and stop in d.parents and d.is_dir() and not any(d.iterdir()):
        discard(d)
        d = d.parent
