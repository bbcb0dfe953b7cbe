"""Installing (vendoring) a package from a registry and removing it.

An install copies the package into ``vendor/<registry>/<name>/`` and records it in app.yaml
``libraries`` (the form of the app's apiVersion) and in ``kfctl.lock`` with a content hash; it
replaces an installed version atomically.  Inventory, lock/verify, the jpath map of versioned
vendor folders and the registries' catalogue live in their own modules of this package.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kfctl.app.app import library_ref
from kfctl.errors import AppError, KfctlError, NotFoundError, UsageError
from kfctl.registry.inventory import (
    PKG_NAME,
    VENDOR,
    components_using,
    find_installed,
    glob_escape,
    installed,
    parse_ref,
)
from kfctl.registry.lock import read_lock, tree_files, tree_hash, write_lock
from kfctl.util.journal import discard, make_dirs, move
from kfctl.util.progress import status


# ------------------------------------------------------------------------------ install
@dataclass
class InstallResult:
    qualified: str  # registry/name
    version: str  # the version installed (resolved: a git commit for a branch)
    path: Path  # the vendored folder
    action: str  # installed | upgraded | unchanged
    previous: str | None = None  # the version it replaced (upgraded)

    def message(self, root: Path) -> str:
        if self.action == "unchanged":
            return f"{self.qualified}@{self.version} is already installed"
        if self.action == "upgraded":
            return f"Upgraded {self.qualified} from {self.previous} to {self.version}"
        return f"Installed {self.qualified}@{self.version} into {self.path.relative_to(root)}"


def install_package(app, ref: str, version: str | None = None, name: str | None = None, *,
                    force: bool = False) -> InstallResult:
    """Vendor ``registry/pkg[@version]`` into ``vendor/<registry>/<name>/``; record it in app.yaml and the lock.

    Replaces an installed version atomically.
    """
    from kfctl.registry.registries import open_registry_version

    r = parse_ref(ref)
    version = version or r.version
    name = name or r.package
    if not PKG_NAME.match(name):
        raise UsageError(f"invalid package name {name!r}")
    view = open_registry_version(app, r.registry, version, refresh=True, package=r.package)
    is_git = view.source.protocol in ("git", "github")
    spec = view.package(r.package)
    if not spec.path.is_dir():
        raise NotFoundError(f"registry {r.registry!r} lists package {r.package!r} at {spec.path}, which does not exist")
    if not is_git and version and version not in {spec.version, view.spec_version}:
        raise NotFoundError(
            f"registry {r.registry!r} has {r.package} at version {spec.version or view.spec_version or '(none)'}, "
            f"not {version!r}",
            hint="a folder registry holds one version; use a git registry to choose versions")
    if version:
        resolved = version
    elif is_git:
        resolved = (view.source.ref if view.checkout.ref_kind in ("tag", "commit") and view.source.ref
                    else view.checkout.commit)
    else:
        resolved = spec.version or view.spec_version or "local"
    root = app.root
    target = root / VENDOR / r.registry / name
    qualified = f"{r.registry}/{name}"

    current = find_installed(app, r.registry, name)
    lock = read_lock(root)
    if current is not None and current.package != r.package:
        raise UsageError(f"name clash: {qualified} is already installed from package {current.package!r}",
                         hint="choose another name with --name")
    if current is None and target.exists() and not force and qualified not in lock["packages"]:
        raise UsageError(f"name clash: {target.relative_to(root)} exists but is not an installed package",
                         hint="move it away, choose another name with --name, or pass --force to replace it")
    if (current is not None and current.version == resolved and current.path is not None and not force
            and current.path == target and _matches_lock(lock, qualified, target)):
        return InstallResult(qualified, resolved, target, "unchanged")

    files = sorted(p for p in spec.path.rglob("*") if ".git" not in p.relative_to(spec.path).parts)
    reg_dir = root / VENDOR / r.registry
    staging: Path | None = None
    try:
        # one transaction (kfctl.util.journal): a failure or a kill -9 at any point leaves the
        # installed version, app.yaml and the lock as they were (a rollback moves the new folder
        # back into the staging folder, deleted last)
        with app.transaction(f"kfctl pkg install {qualified}"):
            app.reload()
            lock = read_lock(root)
            make_dirs(reg_dir)
            staging = Path(tempfile.mkdtemp(prefix=f".kfctl-new-{name}-", dir=reg_dir))
            with status(f"Installing {r.registry}/{r.package}@{resolved} ({len(files)} files) …"):
                new = staging / name
                shutil.copytree(spec.path, new, symlinks=True, ignore=shutil.ignore_patterns(".git"))
                digests = tree_files(new)
            entry = {
                "registry": r.registry, "package": r.package, "name": name, "version": resolved,
                "commit": view.checkout.commit,
                "source": {"protocol": view.source.protocol, "uri": view.source.uri},
                "path": f"{VENDOR}/{r.registry}/{name}",
                "sha256": tree_hash(digests), "files": digests,
            }
            for p in (target, *sorted(reg_dir.glob(f"{glob_escape(name)}@*"))):
                if p.exists() or p.is_symlink():
                    discard(p)
            move(new, target)
            _record_library(app, r.registry, name, r.package, resolved, view)
            lock["packages"][qualified] = entry
            write_lock(root, lock)
    except OSError as exc:
        raise KfctlError(f"cannot install {qualified}: {exc}") from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    if current is not None and current.version != resolved:
        return InstallResult(qualified, resolved, target, "upgraded", current.version)
    return InstallResult(qualified, resolved, target, "installed")


def package_dependencies(pkg_dir: Path) -> list[str]:
    """The packages of the same registry a package's libraries import (parts.yaml ``dependencies``:
    names, or objects with a ``name``, as ksonnet's parts files wrote them)."""
    from kfctl.registry.registries import read_parts

    deps = read_parts(pkg_dir).get("dependencies") or []
    if not isinstance(deps, list):
        raise KfctlError(f"{pkg_dir / 'parts.yaml'}: dependencies must be a list of package names")
    out = []
    for d in deps:
        name = d.get("name") if isinstance(d, dict) else d
        if not isinstance(name, str) or not PKG_NAME.match(name.rsplit("/", 1)[-1]):
            raise KfctlError(f"{pkg_dir / 'parts.yaml'}: dependency {d!r} is not a package name")
        out.append(name.rsplit("/", 1)[-1])
    return out


def install_with_dependencies(app, ref: str, version: str | None = None, name: str | None = None, *,
                              force: bool = False) -> list[InstallResult]:
    """``install_package``, then every package it depends on (parts.yaml ``dependencies``, same
    registry, transitively) that is not installed yet.  Returns the package's result first.  All of
    them or none: one transaction (a failed dependency, or a kill -9, rolls back the package too)."""
    with app.transaction(f"kfctl pkg install {ref}"):
        first = install_package(app, ref, version, name, force=force)
        registry = parse_ref(ref).registry
        results = [first]
        seen = {first.qualified}
        todo = package_dependencies(first.path)
        while todo:
            dep = todo.pop(0)
            qualified = f"{registry}/{dep}"
            if qualified in seen:
                continue
            seen.add(qualified)
            current = find_installed(app, registry, dep)
            if current is not None and current.path is not None:
                todo += package_dependencies(current.path)
                continue
            res = install_package(app, qualified)
            results.append(res)
            todo += package_dependencies(res.path)
    return results


def _matches_lock(lock: dict, qualified: str, path: Path) -> bool:
    entry = lock["packages"].get(qualified)
    return bool(entry) and entry.get("sha256") == tree_hash(tree_files(path))


def _record_library(app, registry: str, name: str, package: str, version: str, view) -> None:
    from kfctl.util.yamlio import new_map

    api = app.api_version
    existing = next((lib.key for lib in app.libraries.values() if lib.registry == registry and lib.name == name), None)
    key = existing or (f"{registry}/{name}" if api == "0.3.0" else name)
    if api in ("0.1.0", "0.0.1") and view.source.protocol in ("git", "github"):
        body: dict[str, Any] = {"name": name, "registry": registry,
                                "gitVersion": {"commitSha": view.checkout.commit or version, "refSpec": version}}
    else:
        body = {"name": name, "registry": registry, "version": version}
    if package != name:
        body["package"] = package

    def edit(doc):
        if doc.get("libraries") is None:
            doc["libraries"] = new_map()
        libs = doc["libraries"]
        if key in libs and isinstance(libs[key], dict):
            cur = libs[key]
            for k in [k for k in cur if k not in body]:
                if k in ("version", "gitVersion", "package"):
                    del cur[k]
            for k, v in body.items():
                cur[k] = new_map(v) if isinstance(v, dict) else v
        else:
            libs[key] = new_map(body)

    app.edit(edit)


def remove_package(app, ref: str, *, force: bool = False) -> list[str]:
    """Drop a package from app.yaml, the lock and vendor/.  Returns the components that still use it."""
    r = parse_ref(ref)
    if r.version:
        raise UsageError(f"{ref!r}: remove takes REGISTRY/PACKAGE without a version")
    inst = find_installed(app, r.registry, r.package)
    root = app.root
    lock = read_lock(root)
    qualified = f"{r.registry}/{r.package}"
    if inst is None and qualified not in lock["packages"]:
        names = [q for q in installed(app)]
        from kfctl.util.suggest import did_you_mean

        raise NotFoundError(f"package {qualified!r} is not installed{did_you_mean(qualified, names)}",
                            hint="see 'kfctl pkg list --installed'")
    users = components_using(app, r.registry, r.package)
    if users and not force:
        raise AppError(f"package {qualified} is used by component(s) {', '.join(users)}",
                         hint="remove those components first, or pass --force")
    reg_dir = root / VENDOR / r.registry
    with app.transaction(f"kfctl pkg remove {qualified}"):
        if reg_dir.is_dir():
            for p in [reg_dir / r.package, *sorted(reg_dir.glob(f"{glob_escape(r.package)}@*"))]:
                if p.exists() or p.is_symlink():
                    discard(p)

        def edit(doc):
            def drop(libs):
                if not libs:
                    return
                for k in list(libs):
                    if library_ref(k, libs[k]) == (r.registry, r.package):
                        del libs[k]

            drop(doc.get("libraries"))
            if "libraries" in doc and not doc["libraries"]:
                del doc["libraries"]
            for env in (doc.get("environments") or {}).values():
                if isinstance(env, dict) and env.get("libraries"):
                    drop(env["libraries"])
                    if not env["libraries"]:
                        del env["libraries"]

        app.edit(edit)
        if qualified in lock["packages"]:
            del lock["packages"][qualified]
            write_lock(root, lock)
        if reg_dir.is_dir() and not any(reg_dir.iterdir()):
            discard(reg_dir)
    return users


