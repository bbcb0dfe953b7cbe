"""Registries of an app: ``app.yaml registries:``, ``registry.yaml`` indexes and ``parts.yaml`` package metadata.

Formats are ksonnet's (``pkg/registry/schema.go``, ``pkg/parts``): ``registry.yaml`` has apiVersion
``0.1``/``0.1.x``/``0.2.x``, kind ``ksonnet.io/registry``, ``libraries: {NAME: {version, path}}`` and
optionally ``version`` or the older ``gitVersion: {commitSha, refSpec}``; ``parts.yaml`` is JSON (or YAML)
with name, description, author, quickStart, ….
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kfctl.errors import NotFoundError, UsageError
from kfctl.registry.sources import Checkout, RegistryError, Source, fetch, parse_source

BUILTIN_NAME = "kubeflow"
_NAME = re.compile(r"^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$", re.I)


@dataclass
class PackageSpec:
    name: str
    path: Path  # the package folder
    version: str | None = None  # registry.yaml's version for it
    listed: bool = True  # in registry.yaml (False: a folder found next to it)

    def parts(self) -> dict[str, Any]:
        return read_parts(self.path)


@dataclass
class RegistryView:
    """A registry's content at one version."""

    name: str
    source: Source
    checkout: Checkout
    spec: dict[str, Any] = field(default_factory=dict)
    packages: dict[str, PackageSpec] = field(default_factory=dict)

    @property
    def root(self) -> Path:
        return self.checkout.root

    def package(self, pkg: str) -> PackageSpec:
        found = self.packages.get(pkg)
        if found is not None:
            return found
        # ksonnet only knew registry.yaml's list; a package folder left out of it (Kubeflow 0.1's
        # seldon) is still usable when it looks like a package
        d = self.root / pkg
        if "/" not in pkg and d.is_dir() and ((d / "parts.yaml").is_file() or (d / "prototypes").is_dir()):
            return PackageSpec(pkg, d, self.spec_version, listed=False)
        from kfctl.util.suggest import did_you_mean

        raise NotFoundError(f"registry {self.name!r} has no package {pkg!r}{did_you_mean(pkg, self.packages)}",
                            hint=f"see 'kfctl registry describe {self.name}'")

    @property
    def spec_version(self) -> str | None:
        v = self.spec.get("version")
        if v is None and isinstance(self.spec.get("gitVersion"), dict):
            v = self.spec["gitVersion"].get("commitSha") or self.spec["gitVersion"].get("refSpec")
        return str(v) if v is not None else None


# ------------------------------------------------------------------------------ registry.yaml
def read_registry_yaml(root: Path, where: str) -> dict[str, Any]:
    from kfctl.util.yamlio import load_yaml_text

    f = root / "registry.yaml"
    try:
        text = f.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RegistryError(f"{where} has no registry.yaml", hint="a registry is a folder with registry.yaml "
                            "listing its packages (see docs/registries.md)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RegistryError(f"{f}: cannot read: {exc}") from None
    try:
        data = load_yaml_text(text, str(f)) or {}
    except Exception as exc:
        raise RegistryError(str(exc)) from None
    if not isinstance(data, dict):
        raise RegistryError(f"{f}: malformed registry.yaml: expected a mapping")
    api = str(data.get("apiVersion", "0.1"))
    if not re.match(r"^0\.[12](\.\d+)?$", api):
        raise RegistryError(f"{f}: unsupported registry apiVersion {api!r} (kfctl reads 0.1.x and 0.2.x)")
    kind = data.get("kind", "ksonnet.io/registry")
    if kind != "ksonnet.io/registry":
        raise RegistryError(f"{f}: kind must be 'ksonnet.io/registry', found {kind!r}")
    libs = data.get("libraries") or {}
    if not isinstance(libs, dict):
        raise RegistryError(f"{f}: 'libraries' must be a mapping")
    return data


def read_parts(pkg_dir: Path) -> dict[str, Any]:
    """parts.yaml (JSON text in practice; YAML accepted).  {} when absent."""
    f = pkg_dir / "parts.yaml"
    if not f.is_file():
        return {}
    from kfctl.errors import AppError
    from kfctl.util.yamlio import load_json_text, load_yaml_text

    text = f.read_text(encoding="utf-8")
    try:
        try:
            data = load_json_text(text, str(f))  # the fast path; duplicate keys are an error here too
        except ValueError:
            data = load_yaml_text(text, str(f))
    except AppError as exc:
        raise RegistryError(exc.message) from None
    return data if isinstance(data, dict) else {}


def open_view(name: str, source: Source, *, refresh: bool = False, offline: bool = False) -> RegistryView:
    checkout = fetch(source, refresh=refresh, what=f"registry {name!r} from", offline=offline)
    where = f"registry {name!r} ({source.display})"
    spec = read_registry_yaml(checkout.root, where)
    pkgs: dict[str, PackageSpec] = {}
    for lib, entry in (spec.get("libraries") or {}).items():
        entry = entry if isinstance(entry, dict) else {}
        rel = str(entry.get("path") or lib)
        d = (checkout.root / rel).resolve()
        version = entry.get("version")
        pkgs[str(lib)] = PackageSpec(str(lib), d, str(version) if version is not None else None)
    return RegistryView(name, source, checkout, spec, dict(sorted(pkgs.items())))


# ------------------------------------------------------------------------------ app.yaml entries
def registry_source(app, name: str, *, ref: str | None = None) -> Source:
    entry = app.registries.get(name)
    if entry is None:
        from kfctl.util.suggest import did_you_mean

        raise NotFoundError(f"registry {name!r} is not configured in this app{did_you_mean(name, app.registries)}",
                            hint="see 'kfctl registry list'; add one with 'kfctl registry add NAME URI'")
    src = parse_source(str(entry.get("uri") or ""), protocol=entry.get("protocol"), base=app.root, extra=entry)
    return src.at(ref) if ref else src


def open_registry(app, name: str, *, ref: str | None = None, refresh: bool = False,
                  offline: bool = False) -> RegistryView:
    src = registry_source(app, name)
    if ref and src.protocol in ("git", "github"):
        src = src.at(ref)
    return open_view(name, src, refresh=refresh, offline=offline)


def open_registry_version(app, name: str, version: str | None, *, refresh: bool = False,
                          package: str | None = None) -> RegistryView:
    """The registry as it is at ``version`` (a package version: a branch, tag or commit).  Git
    registries are fetched at that ref; a folder registry serves its one version, or — when the folder
    is in a git work tree and ``version`` is not the one its registry.yaml names — that ref of the
    repository."""
    from kfctl.registry.sources import folder_at_ref

    src = registry_source(app, name)
    if not version or src.protocol in ("git", "github"):
        return open_registry(app, name, ref=version, refresh=refresh)
    view = open_view(name, src, refresh=refresh)
    if version in {view.spec_version, *(p.version for p in view.packages.values())}:
        return view
    at = folder_at_ref(src, version)
    if at is None:
        spec = view.packages.get(package or "")
        held = (spec.version if spec else None) or view.spec_version
        raise NotFoundError(
            f"registry {name!r} is a plain folder ({src.path}), which holds one version"
            f"{f' of {package}' if package else ''}{f' ({held})' if held else ''}, not {version!r}",
            hint=f"a folder in a git work tree serves the repository's tags: make it one (cd {src.path} && "
                 f"git init && git add -A && git commit -m {version} && git tag {version}), or add a git "
                 f"registry ('kfctl registry add NAME https://HOST/REPO.git')")
    return open_view(name, at, refresh=refresh)


def _check_name(name: str) -> None:
    if not _NAME.match(name) or "/" in name:
        raise UsageError(f"invalid registry name {name!r}: use letters, digits, '-', '_' or '.'")


def add_registry(app, name: str, uri: str, *, version: str | None = None, override: bool = False) -> RegistryView:
    """Validate (fetch + read registry.yaml) first; record only a registry that works."""
    _check_name(name)
    if name in app.registries:
        raise UsageError(f"registry {name!r} already exists (uri {app.registries[name].get('uri')})",
                         hint=f"change it with 'kfctl registry set {name} --uri URI' or remove it first")
    src = parse_source(uri, version=version, base=Path.cwd())
    src = _relocate(src, app)
    view = open_view(name, src, refresh=True)
    _write_entry(app, name, src, override=override)
    return view


def set_registry(app, name: str, uri: str, *, version: str | None = None) -> RegistryView:
    _check_name(name)
    registry_source(app, name)  # must exist
    src = _relocate(parse_source(uri, version=version, base=Path.cwd()), app)
    view = open_view(name, src, refresh=True)
    _write_entry(app, name, src, override=bool(app.registries[name].get("override")))
    return view


def _relocate(src: Source, app) -> Source:
    """Relative fs paths are typed relative to the CWD but recorded relative to the app root."""
    if src.protocol == "fs" and src.path is not None and not Path(src.uri).is_absolute() \
            and not src.uri.startswith(("file://", "~")):
        import os

        from dataclasses import replace

        rel = os.path.relpath(src.path, app.root)
        return replace(src, uri=rel if rel.startswith(".") else f"./{rel}")
    return src


def _write_entry(app, name: str, src: Source, *, override: bool) -> None:
    from kfctl.util.yamlio import edit_yaml_file, new_map

    entry = new_map({"protocol": src.protocol, "uri": src.uri})
    if override:
        from kfctl.app.app import OVERRIDE_FILE

        def edit_override(doc):
            doc.setdefault("apiVersion", "0.3.0")
            doc.setdefault("kind", "ksonnet.io/app-override")
            if doc.get("registries") is None:
                doc["registries"] = new_map()
            doc["registries"][name] = entry

        with app.locked():
            edit_yaml_file(app.root / OVERRIDE_FILE, edit_override)
            app.reload()
        return

    def edit(doc):
        if doc.get("registries") is None:
            doc["registries"] = new_map()
        regs = doc["registries"]
        if name in regs and isinstance(regs[name], dict):
            regs[name]["protocol"] = src.protocol
            regs[name]["uri"] = src.uri
            if "gitVersion" in regs[name]:  # 0.1.0: refSpec now lives in the uri
                del regs[name]["gitVersion"]
        else:
            regs[name] = entry

    app.edit(edit)


def remove_registry(app, name: str, *, force: bool = False) -> None:
    registry_source(app, name)
    users = sorted(k for k, lib in app.libraries.items() if lib.registry == name)
    if users and not force:
        raise UsageError(f"registry {name!r} provides installed packages: {', '.join(users)}",
                         hint="remove them with 'kfctl pkg remove', or pass --force to keep them vendored")
    from kfctl.app.app import OVERRIDE_FILE
    from kfctl.util.yamlio import edit_yaml_file

    def edit(doc):
        regs = doc.get("registries")
        if regs is not None and name in regs:
            del regs[name]
            if not regs:
                del doc["registries"]

    with app.locked():
        if app.registries[name].get("override"):
            edit_yaml_file(app.root / OVERRIDE_FILE, edit)
        edit_yaml_file(app.app_file, edit)
        app.reload()
