"""The app repo: ``app.yaml`` (ksonnet apiVersion 0.1.0–0.3.0), its environments and registries.

Reading uses the fast C loader and tolerates everything ks 0.11–0.13 wrote.  Writing goes
through :meth:`App.edit`, a round-trip edit of app.yaml under the app lock, so keys, comments
and formatting kfctl does not own survive.  kfctl's own additions live under ``kfctl:`` keys
(app level and per environment), which ks ignores.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from kfctl.util.fsutil import atomic_write
from kfctl.app.envspec import (  # noqa: F401  (re-exported: the app repo's names)
    DEFAULT_K8S_VERSION, Environment, _env_from_spec, _mapping, _scalar, _yaml_type,
)
from kfctl.util.yamlio import edit_yaml_file, load_yaml_file
from kfctl.errors import AppError, NotFoundError, UsageError

APP_FILE = "app.yaml"
OVERRIDE_FILE = "app.override.yaml"
CURRENT_ENV_FILE = ".ks_environment"
SUPPORTED_API_VERSIONS = ("0.0.1", "0.1.0", "0.2.0", "0.3.0")
DEFAULT_API_VERSION = "0.3.0"


def library_ref(key: Any, spec: Any) -> tuple[str, str]:
    """(registry, name) of an app.yaml ``libraries`` entry (global or env-scoped): its ``registry`` and
    ``name`` fields, else taken from a ``REGISTRY/NAME`` key."""
    spec = spec if isinstance(spec, dict) else {}
    key = str(key)
    name = str(spec.get("name") or key.split("/")[-1])
    registry = str(spec.get("registry") or (key.split("/")[0] if "/" in key else ""))
    return registry, name


@dataclass
class Library:
    key: str
    name: str
    registry: str
    version: str | None


def find_app_root(start: Path | None = None) -> Path:
    here = (start or Path.cwd()).resolve()
    for d in (here, *here.parents):
        if (d / APP_FILE).is_file():
            return d
    raise AppError(
        f"no kfctl app found: no {APP_FILE} in {here} or any parent directory",
        hint="run 'kfctl init NAME' to create one, or pass --app DIR",
    )


class App:
    """A loaded app repo.  Cheap to construct; re-read after edits with :meth:`reload`."""

    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        from kfctl.app.locking import recover_on_load

        recover_on_load(self.root)
        self.reload()

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, app_dir: str | Path | None = None) -> "App":
        if app_dir is not None:
            root = Path(app_dir).expanduser()
            if not (root / APP_FILE).is_file():
                raise AppError(f"{root}: not a kfctl app (no {APP_FILE})", hint="run 'kfctl init' first")
            return cls(root)
        return cls(find_app_root())

    @property
    def app_file(self) -> Path:
        return self.root / APP_FILE

    def reload(self) -> None:
        data = load_yaml_file(self.app_file)
        if data is None or data == {}:
            raise AppError(f"{self.app_file}: empty, not a kfctl app", hint="run 'kfctl init NAME' to create one")
        if not isinstance(data, dict):
            raise AppError(f"{self.app_file}: malformed app.yaml: expected a mapping at the top level")
        self.raw: dict[str, Any] = data
        api = str(data.get("apiVersion", "0.1.0"))
        if api not in SUPPORTED_API_VERSIONS:
            raise AppError(
                f"{self.app_file}: unsupported apiVersion {api!r} (kfctl reads ksonnet app.yaml "
                f"{', '.join(SUPPORTED_API_VERSIONS[1:])})"
            )
        kind = data.get("kind", "ksonnet.io/app")
        if kind != "ksonnet.io/app":
            raise AppError(f"{self.app_file}: kind must be 'ksonnet.io/app', found {kind!r}")
        self.api_version = api
        self.name = str(data.get("name") or self.root.name)
        self.kfctl_settings: dict[str, Any] = _mapping(data.get("kfctl"), self.app_file, "kfctl")
        self._engine = _scalar(self.kfctl_settings, "engine", self.app_file, "kfctl.engine")
        for comp, entry in _mapping(self.kfctl_settings.get("components"), self.app_file, "kfctl.components").items():
            _mapping(entry, self.app_file, f"kfctl.components.{comp}")
        self.environments = self._load_environments(data)
        self.registries: dict[str, dict[str, Any]] = {
            str(k): dict(_mapping(v, self.app_file, f"registries.{k}"))
            for k, v in _mapping(data.get("registries"), self.app_file, "registries").items()
        }
        self.libraries = self._load_libraries(data)
        self._apply_overrides()

    def _load_environments(self, data: dict) -> dict[str, Environment]:
        envs: dict[str, Environment] = {}
        for name, spec in _mapping(data.get("environments"), self.app_file, "environments").items():
            envs[str(name)] = _env_from_spec(str(name), spec, self.app_file)
        # apiVersion 0.1.0 (and 0.0.1) apps keep destinations in environments/<env>/spec.json
        env_root = self.root / "environments"
        if env_root.is_dir():
            for spec_file in sorted(env_root.rglob("spec.json")):
                rel = spec_file.parent.relative_to(env_root).as_posix()
                if rel in envs or any(e.path == rel for e in envs.values()):
                    continue
                try:
                    spec = json.loads(spec_file.read_text(encoding="utf-8"))
                except (ValueError, UnicodeDecodeError) as exc:
                    raise AppError(f"{spec_file}: malformed spec.json: {exc}") from None
                except OSError as exc:
                    raise AppError(f"{spec_file}: cannot read: {exc.strerror}") from None
                if not isinstance(spec, dict):
                    raise AppError(f"{spec_file}: malformed spec.json: expected an object, found {_yaml_type(spec)}")
                for key in ("server", "namespace"):
                    _scalar(spec, key, spec_file, key)
                envs[rel] = Environment(
                    name=rel,
                    server=spec.get("server"),
                    namespace=spec.get("namespace") or "default",
                    k8s_version=_k8s_version_from_meta(spec_file.parent) or DEFAULT_K8S_VERSION,
                    path=rel,
                )
        return dict(sorted(envs.items()))

    def _load_libraries(self, data: dict) -> dict[str, Library]:
        libs: dict[str, Library] = {}
        for key, spec in _mapping(data.get("libraries"), self.app_file, "libraries").items():
            spec = _mapping(spec, self.app_file, f"libraries.{key}")
            registry, name = library_ref(key, spec)
            version = spec.get("version")
            if version is None and isinstance(spec.get("gitVersion"), dict):  # apiVersion 0.1.0
                gv = spec["gitVersion"]
                version = gv.get("commitSha") or gv.get("commitSHA") or gv.get("refSpec")
            libs[f"{registry}/{name}" if registry else name] = Library(str(key), name, registry, version)
        return libs

    def _apply_overrides(self) -> None:
        path = self.root / OVERRIDE_FILE
        if not path.is_file():
            return
        data = load_yaml_file(path) or {}
        for name, spec in _mapping(data.get("environments"), path, "environments").items():
            env = _env_from_spec(str(name), spec, path)
            env.overridden = True
            base = self.environments.get(str(name))
            if base is not None:
                spec = spec or {}
                dest = spec.get("destination") or {}
                env.server = dest.get("server", base.server)
                env.namespace = dest.get("namespace") or base.namespace
                env.k8s_version = str(spec.get("k8sVersion") or base.k8s_version)
                env.path = str(spec.get("path") or base.path)
                env.context = env.context or base.context
                env.platform = env.platform or base.platform
                env.libraries = base.libraries
                for attr in ("gitops_dir", "image_registry", "history_limit", "gitops_repo", "gitops_revision"):
                    if getattr(env, attr) is None:
                        setattr(env, attr, getattr(base, attr))
                env.image_overrides = env.image_overrides or base.image_overrides
            self.environments[str(name)] = env
        for name, spec in _mapping(data.get("registries"), path, "registries").items():
            self.registries[str(name)] = dict(_mapping(spec, path, f"registries.{name}"), override=True)

    # ------------------------------------------------------------------ queries
    def env(self, name: str) -> Environment:
        env = self.environments.get(name)
        if env is None:
            from kfctl.util.suggest import did_you_mean

            raise NotFoundError(
                f"environment {name!r} does not exist{did_you_mean(name, self.environments)}",
                hint="see 'kfctl env list'",
            )
        return env

    def env_dir(self, env: Environment | str) -> Path:
        if isinstance(env, str):
            env = self.env(env)
        return self.root / "environments" / env.path

    @property
    def components_dir(self) -> Path:
        return self.root / "components"

    @property
    def current_env_name(self) -> str | None:
        from kfctl.util.fsutil import read_text

        p = self.root / CURRENT_ENV_FILE
        if not p.exists():
            return None
        return read_text(p, shown=CURRENT_ENV_FILE).strip() or None

    def current_env(self) -> Environment | None:
        """The env set in .ks_environment (None when unset); one that does not exist is an error."""
        current = self.current_env_name
        if not current:
            return None
        if current not in self.environments:
            raise NotFoundError(
                f"current environment {current!r} (set in {CURRENT_ENV_FILE}) does not exist",
                hint="run 'kfctl env current --set NAME' or '--unset'",
            )
        return self.environments[current]

    def resolve_env(self, name: str | None) -> Environment:
        """The env a command acts on: the one named, else the current env, else the only env."""
        if name:
            return self.env(name)
        current = self.current_env()
        if current is not None:
            return current
        if len(self.environments) == 1:
            return next(iter(self.environments.values()))
        raise UsageError(
            "no environment given and no current environment set",
            hint="name one (see 'kfctl env list') or run 'kfctl env current --set NAME'",
        )

    @property
    def jsonnet_engine(self) -> str | None:
        return self._engine

    # ------------------------------------------------------------------ writing
    def locked(self):
        """Hold the app lock (the first time in a process: roll back and clean what a killed kfctl
        left, see :mod:`kfctl.app.locking`)."""
        from kfctl.app.locking import locked

        return locked(self)

    def transaction(self, what: str):
        """A multi-file change, all or nothing even across a kill -9 (see :mod:`kfctl.util.journal`)."""
        from kfctl.app.locking import transaction

        return transaction(self, what)

    def edit(self, fn: Callable[[Any], None]) -> None:
        """Round-trip edit app.yaml under the app lock, then reload."""
        with self.locked():
            edit_yaml_file(self.app_file, fn)
            self.reload()

    def set_current_env(self, name: str | None) -> None:
        path = self.root / CURRENT_ENV_FILE
        with self.locked():
            if name is None:
                path.unlink(missing_ok=True)
            else:
                self.env(name)
                atomic_write(path, name)


# ---------------------------------------------------------------------- helpers
def _k8s_version_from_meta(env_dir: Path) -> str | None:
    meta = env_dir / ".metadata" / "swagger.json"
    if not meta.is_file():
        return None
    try:
        with meta.open(encoding="utf-8") as fh:
            head = fh.read(4096)
        import re

        m = re.search(r'"version"\s*:\s*"(v?[0-9][^"]*)"', head)
        return m.group(1) if m else None
    except OSError:
        return None
