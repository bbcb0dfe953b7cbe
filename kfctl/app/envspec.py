"""An environment as app.yaml holds it: the :class:`Environment` record, reading one from its
``environments.<name>`` mapping (every field checked, errors name the key) and writing it back."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kfctl.errors import AppError, UsageError
from kfctl.util.yamlio import new_map

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
    from kfctl.app.layout import env_path_problem

    path = _scalar(spec, "path", source, f"{where}.path") or name
    problem = env_path_problem(path)
    if problem:
        raise AppError(f"{source}: '{where}.path' {problem}, found {path!r}")
    return Environment(
        name=name,
        server=_scalar(dest, "server", source, f"{where}.destination.server"),
        namespace=_scalar(dest, "namespace", source, f"{where}.destination.namespace") or "default",
        k8s_version=_scalar(spec, "k8sVersion", source, f"{where}.k8sVersion") or DEFAULT_K8S_VERSION,
        path=path,
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
