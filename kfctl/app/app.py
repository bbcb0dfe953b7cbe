"""The app repo: ``app.yaml`` (ksonnet apiVersion 0.1.0–0.3.0), its environments and registries.

Reading uses the fast C loader and tolerates everything ks 0.11–0.13 wrote.  Writing goes
through :meth:`App.edit`, a round-trip edit of app.yaml under the app lock, so keys, comments
and formatting kfctl does not own survive.  kfctl's own additions live under ``kfctl:`` keys
(app level and per environment), which ks ignores.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from kfctl.util.fsutil import app_lock, atomic_write
from kfctl.util.yamlio import edit_yaml_file, load_yaml_file, new_map
from kfctl.errors import AppError, NotFoundError, UsageError

APP_FILE = "app.yaml"
OVERRIDE_FILE = "app.override.yaml"
CURRENT_ENV_FILE = ".ks_environment"
SUPPORTED_API_VERSIONS = ("0.0.1", "0.1.0", "0.2.0", "0.3.0")
DEFAULT_API_VERSION = "0.3.0"
DEFAULT_K8S_VERSION = "v1.30.0"


@dataclass
class Environment:
    name: str
    namespace: str = "default"
    server: str | None = None
    k8s_version: str = DEFAULT_K8S_VERSION
    path: str = ""
    context: str | None = None
    platform: str | None = None
    gitops_dir: str | None = None
    image_registry: str | None = None  # kfctl.imageRegistry: REGISTRY[/PREFIX] every image is pulled from
    image_overrides: dict[str, str] = field(default_factory=dict)  # kfctl.imageOverrides: SRC → DST
    history_limit: int | None = None  # kfctl.historyLimit: revisions kept on the cluster (default 10)
    gitops_repo: str | None = None  # kfctl.gitopsRepo: the Git repository GitOps engines read the export from
    gitops_revision: str | None = None  # kfctl.gitopsRevision: its branch, tag or commit
    targets: list[str] = field(default_factory=list)
    libraries: dict[str, Any] = field(default_factory=dict)
    overridden: bool = False

    def __post_init__(self) -> None:
        if not self.path:
            self.path = self.name

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "server": self.server,
            "namespace": self.namespace,
            "context": self.context,
            "k8sVersion": self.k8s_version,
            "platform": self.platform,
            "gitopsDir": self.gitops_dir,
            "imageRegistry": self.image_registry,
            "imageOverrides": dict(self.image_overrides),
            "historyLimit": self.history_limit,
            "gitopsRepo": self.gitops_repo,
            "gitopsRevision": self.gitops_revision,
            "path": self.path,
            "targets": list(self.targets),
        }


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
        if data is None:
            data = {}
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

    def resolve_env(self, name: str | None) -> Environment:
        """The env a command acts on: the one named, else the current env, else the only env."""
        if name:
            return self.env(name)
        current = self.current_env_name
        if current:
            if current not in self.environments:
                raise NotFoundError(
                    f"current environment {current!r} (set in {CURRENT_ENV_FILE}) does not exist",
                    hint="run 'kfctl env current --set NAME' or '--unset'",
                )
            return self.environments[current]
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
    @contextmanager
    def locked(self) -> Iterator[None]:
        with app_lock(self.root):
            yield

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
def _mapping(value: Any, source: Path, key: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise AppError(f"{source}: '{key}' must be a mapping, found {_yaml_type(value)}")
    return value


def _yaml_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return f"the string {value!r}"
    return type(value).__name__


def _scalar(mapping: dict, key: str, source: Path, where: str) -> str | None:
    """``mapping[key]`` as a string (None when absent or empty); lists and mappings are an error."""
    value = mapping.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, (dict, list)):
        raise AppError(f"{source}: '{where}' must be a string, found {_yaml_type(value)}")
    return str(value)


def _positive_int(mapping: dict, key: str, source: Path, where: str) -> int | None:
    value = mapping.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise AppError(f"{source}: '{where}' must be a positive integer, found {_yaml_type(value)}")
    return value


def _env_from_spec(name: str, spec: Any, source: Path) -> Environment:
    spec = spec or {}
    if not isinstance(spec, dict):
        raise AppError(f"{source}: environment {name!r} must be a mapping")
    where = f"environments.{name}"
    dest = _mapping(spec.get("destination"), source, f"{where}.destination")
    ext = _mapping(spec.get("kfctl"), source, f"{where}.kfctl")
    targets = spec.get("targets") or []
    if not isinstance(targets, list):
        raise AppError(f"{source}: '{where}.targets' must be a list, found {_yaml_type(targets)}")
    return Environment(
        name=name,
        server=_scalar(dest, "server", source, f"{where}.destination.server"),
        namespace=_scalar(dest, "namespace", source, f"{where}.destination.namespace") or "default",
        k8s_version=_scalar(spec, "k8sVersion", source, f"{where}.k8sVersion") or DEFAULT_K8S_VERSION,
        path=_scalar(spec, "path", source, f"{where}.path") or name,
        context=_scalar(ext, "context", source, f"{where}.kfctl.context"),
        platform=_scalar(ext, "platform", source, f"{where}.kfctl.platform"),
        gitops_dir=_scalar(ext, "gitopsDir", source, f"{where}.kfctl.gitopsDir"),
        image_registry=_scalar(ext, "imageRegistry", source, f"{where}.kfctl.imageRegistry"),
        image_overrides={str(k): str(v) for k, v in
                         _mapping(ext.get("imageOverrides"), source, f"{where}.kfctl.imageOverrides").items()},
        history_limit=_positive_int(ext, "historyLimit", source, f"{where}.kfctl.historyLimit"),
        gitops_repo=_scalar(ext, "gitopsRepo", source, f"{where}.kfctl.gitopsRepo"),
        gitops_revision=_scalar(ext, "gitopsRevision", source, f"{where}.kfctl.gitopsRevision"),
        targets=[str(t) for t in targets],
        libraries=dict(_mapping(spec.get("libraries"), source, f"{where}.libraries")),
    )


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


def env_entry(env: Environment):
    """The app.yaml mapping for ``env`` (ksonnet 0.3.0 keys + kfctl's own under ``kfctl``)."""
    entry = new_map()
    entry["destination"] = new_map({"namespace": env.namespace, "server": env.server or ""})
    entry["k8sVersion"] = env.k8s_version
    entry["path"] = env.path
    ext = {k: v for k, v in (("context", env.context), ("platform", env.platform), ("gitopsDir", env.gitops_dir),
                             ("imageRegistry", env.image_registry), ("historyLimit", env.history_limit),
                             ("gitopsRepo", env.gitops_repo), ("gitopsRevision", env.gitops_revision)) if v}
    if env.image_overrides:
        ext["imageOverrides"] = new_map(dict(env.image_overrides))
    if ext:
        entry["kfctl"] = new_map(ext)
    return entry


