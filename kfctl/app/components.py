"""Components: the app's component layout (files and modules under components/), adding one (as
generated from a prototype by :mod:`kfctl.ops.generate`), listing and removing them."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from kfctl.app.app import App, Environment
from kfctl.util.fsutil import atomic_write, read_text, remove_file, write_edit
from kfctl.app.names import validate_component_name
from kfctl.app import params_file
from kfctl.errors import AppError

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
        # (os.scandir and names, not Paths: 750 components listed in ~1 ms instead of ~6; the order of sorted
        # Paths, which compare case-insensitively on Windows only)
        with os.scandir(d) as it:
            entries = [e for e in it if not e.name.startswith(".") and e.is_file()]
        entries.sort(key=(lambda e: e.name.lower()) if os.name == "nt" else (lambda e: e.name))
        for e in entries:
            stem, suffix = os.path.splitext(e.name)
            if suffix in COMPONENT_SUFFIXES:
                out.append(ComponentFile(stem if not module else f"{module}.{stem}", d / e.name, module))
    seen: dict[str, ComponentFile] = {}
    for c in out:
        if c.name in seen:
            raise AppError(f"two files define component {c.name!r}: {seen[c.name].path} and {c.path}")
        seen[c.name] = c
    return out


def add_component(app: App, component: str, source: str, params: dict[str, str], *, prototype: str,
                  package: str | None = None, force: bool = False) -> Path:
    """Write ``components/<component>.jsonnet`` (``source``) and its params (jsonnet text per param) into
    components/params.libsonnet, and record which prototype (and package) made it.  All or nothing."""
    validate_component_name(component)
    target = app.components_dir / f"{component}.jsonnet"
    params_path = app.components_dir / COMPONENT_PARAMS
    what = str(params_path.relative_to(app.root))
    with app.transaction(f"kfctl generate {component}"):
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
        original = text if params_path.exists() else ""
        new_text = params_file.add_component(text, component, params, what)
        # one transaction: a failure (or a kill -9) leaves no component without its params
        atomic_write(target, source)
        write_edit(params_path, original, new_text)
        for p in others:
            if p != target:
                remove_file(p)
        _record_provenance(app, component, (prototype, package))
    return target


def _default_params() -> str:
    from kfctl.app.scaffold import COMPONENT_PARAMS as TEMPLATE

    return TEMPLATE


def _record_provenance(app: App, component: str, proto: tuple[str, str | None] | None) -> None:
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
        name, package = proto
        entry = new_map({"prototype": name})
        if package:
            entry["package"] = package
        doc["kfctl"]["components"][component] = entry

    app.edit(edit)


def component_prototypes(app: App) -> dict[str, dict]:
    comps = (app.kfctl_settings or {}).get("components") or {}
    return {str(k): dict(v or {}) for k, v in comps.items()}


_PACKAGE_IMPORT = re.compile(r"""import\s+(['"])([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)/""")


class ComponentPackages:
    """component → the package (``registry/name``) whose prototype made it: app.yaml's provenance,
    else (components ks or a hand edit wrote) the first ``import "<registry>/<pkg>/…"`` of its
    jsonnet file whose registry the app knows.  Read on first use: only clash messages ask."""

    def __init__(self, app: App, env: Environment | None = None):
        self._app, self._env = app, env
        self._files: dict[str, ComponentFile] | None = None
        self._cache: dict[str, str | None] = {}

    def __call__(self, component: str) -> str | None:
        if component not in self._cache:
            self._cache[component] = self._lookup(component)
        return self._cache[component]

    def _lookup(self, component: str) -> str | None:
        package = component_prototypes(self._app).get(component, {}).get("package")
        if package:
            return str(package)
        if self._files is None:
            self._files = {c.name: c for c in component_files(self._app, self._env)}
        c = self._files.get(component)
        if c is None or c.kind != "jsonnet":
            return None
        try:
            text = c.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        known = {"kubeflow", *self._app.registries}
        for m in _PACKAGE_IMPORT.finditer(text):
            if m.group(2) in known:
                return f"{m.group(2)}/{m.group(3)}"
        return None


def list_components(app: App) -> list[dict]:
    protos = component_prototypes(app)
    rows = []
    for c in component_files(app):
        rows.append({"component": c.name, "type": c.kind, "file": str(c.path.relative_to(app.root)),
                     "prototype": protos.get(c.name, {}).get("prototype", "")})
    return rows


def remove_component(app: App, component: str) -> list[str]:
    """Delete the component file and its params from every params file; returns the files changed."""
    with app.transaction(f"kfctl component rm {component}"):
        files = [c for c in component_files(app) if c.name == component]
        if not files:
            from kfctl.errors import NotFoundError
            from kfctl.util.suggest import did_you_mean

            raise NotFoundError(f"component {component!r} does not exist"
                                f"{did_you_mean(component, [c.name for c in component_files(app)])}")
        # compute every edit first, so a file we cannot edit stops us before anything changes
        edits: list[tuple[Path, str, str]] = []
        params_path = app.components_dir / COMPONENT_PARAMS
        if params_path.exists():
            text = read_text(params_path, shown=str(params_path.relative_to(app.root)))
            new, changed = params_file.remove_component(text, component, str(params_path.relative_to(app.root)))
            if changed:
                edits.append((params_path, text, new))
        for env in app.environments.values():
            p = app.env_dir(env) / "params.libsonnet"
            if p.exists():
                text = read_text(p, shown=str(p.relative_to(app.root)))
                new, changed = params_file.remove_env_component(text, component, str(p.relative_to(app.root)))
                if changed:
                    edits.append((p, text, new))
        for path, old, new in edits:
            write_edit(path, old, new)
        for c in files:
            remove_file(c.path)
        if component in component_prototypes(app):
            _record_provenance(app, component, None)
    return [str(p.relative_to(app.root)) for p, _, _ in edits] + [str(c.path.relative_to(app.root)) for c in files]
