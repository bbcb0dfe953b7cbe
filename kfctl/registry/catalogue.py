"""What the app's registries offer: packages listed and described, and which package provides a prototype."""

from __future__ import annotations

from typing import Any

from kfctl.errors import KfctlError, NotFoundError, UsageError
from kfctl.registry.inventory import PkgRef, installed, parse_ref, prototype_names
from kfctl.util.logs import logger


def registry_views(app, *, quiet: bool = False, offline: bool = False):
    """Registry views of every configured registry (unreachable ones skipped with a warning).
    ``offline``: only what is on this machine (folders, the built-in registry, git registries fetched before)."""
    from kfctl.registry.registries import open_registry

    import logging

    log = logger(__name__)
    for name in sorted(app.registries):
        try:
            yield open_registry(app, name, offline=offline)
        except KfctlError as exc:
            log.log(logging.DEBUG if quiet else logging.WARNING, f"skipping registry {name!r}: {exc.message}")


def available_prototypes(app) -> list:
    """Prototypes of the packages the app's registries offer and the app has not installed, found
    without the network (``prototype list/search/describe`` before ``pkg install``).  Without an app
    (``app`` None): the built-in registry's.  Each is a Prototype with ``installed`` False and
    ``source`` ``REGISTRY/PACKAGE``."""
    from kfctl.registry.prototype import PrototypeError, parse_prototype

    if app is None:
        from kfctl.registry.registries import BUILTIN_NAME, open_view
        from kfctl.registry.sources import parse_source

        views = [open_view(BUILTIN_NAME, parse_source("builtin:kubeflow"))]
        taken: set[tuple[str, str]] = set()
    else:
        views = list(registry_views(app, quiet=True, offline=True))
        taken = {(i.registry, i.package) for i in installed(app).values()}
    out = []
    for view in views:
        for pkg, spec in view.packages.items():
            if (view.name, pkg) in taken or not spec.path.is_dir():
                continue
            for _, path in prototype_names(spec.path):
                try:
                    proto = parse_prototype(path, f"{view.name}/{pkg}")
                except PrototypeError as exc:
                    logger(__name__).debug(f"skipping {path}: {exc.message}")
                    continue
                proto.installed = False
                out.append(proto)
    return out


def list_packages(app, *, installed_only: bool = False) -> list[dict[str, Any]]:
    inst = installed(app)
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    if not installed_only:
        for view in registry_views(app):
            for pkg, spec in view.packages.items():
                q = f"{view.name}/{pkg}"
                i = inst.get(q)
                seen.add(q)
                rows.append({"registry": view.name, "name": pkg,
                             "version": (i.version if i else None) or spec.version or view.spec_version or "",
                             "installed": i is not None, "environments": list(i.envs) if i else []})
    for q, i in inst.items():
        if q in seen:
            continue
        rows.append({"registry": i.registry, "name": i.name, "version": i.version or "", "installed": True,
                     "environments": list(i.envs)})
    rows.sort(key=lambda r: (r["registry"], r["name"]))
    return rows


def describe_package(app, ref: str) -> dict[str, Any]:
    r = parse_ref(ref, need_registry=False)
    inst = installed(app)
    if r.registry is None:
        regs = sorted({i.registry for q, i in inst.items() if i.name == r.package})
        if not regs:
            regs = [v.name for v in registry_views(app, quiet=True) if r.package in v.packages]
        if not regs:
            raise NotFoundError(f"no registry has a package named {r.package!r}", hint="see 'kfctl pkg list'")
        if len(regs) > 1:
            raise UsageError(f"package {r.package!r} is in several registries: {', '.join(regs)}",
                             hint="name it as REGISTRY/PACKAGE")
        r = PkgRef(regs[0], r.package, r.version)
    q = f"{r.registry}/{r.package}"
    i = inst.get(q)
    if i is not None and i.path is not None and not r.version:
        pkg_dir, version = i.path, i.version
    else:
        from kfctl.registry.registries import open_registry_version

        view = open_registry_version(app, r.registry, r.version, package=r.package)
        spec = view.package(r.package)
        pkg_dir, version = spec.path, r.version or spec.version or view.spec_version
    from kfctl.registry.registries import read_parts

    parts = read_parts(pkg_dir)
    protos = []
    if i is not None:
        from kfctl.registry.prototype import PrototypeError, parse_prototype

        for _, p in prototype_names(pkg_dir):
            try:
                proto = parse_prototype(p, q)
                protos.append({"name": proto.name, "shortDescription": proto.short_description})
            except PrototypeError:
                continue
    return {"name": q, "version": version, "installed": i is not None,
            "description": str(parts.get("description") or ""), "parts": parts, "prototypes": protos,
            "path": str(pkg_dir)}


def find_package_for_prototype(app, proto_name: str) -> tuple[str, str] | None:
    """The (registry, package) whose prototypes define ``proto_name`` (full name or unique suffix)."""
    found: dict[str, set[tuple[str, str]]] = {}
    for view in registry_views(app, quiet=True):
        for pkg, spec in view.packages.items():
            if not spec.path.is_dir():
                continue
            for name, _ in prototype_names(spec.path):
                found.setdefault(name, set()).add((view.name, pkg))
    if proto_name in found:
        hits = found[proto_name]
    else:
        names = [n for n in found if n.endswith(proto_name)]
        bounded = [n for n in names if len(n) == len(proto_name) or n[-len(proto_name) - 1] in ".-/_"]
        names = bounded or names
        if len(names) > 1:
            raise UsageError(f"ambiguous prototype name {proto_name!r}: registries have " + ", ".join(sorted(names)),
                             hint="use the full name")
        hits = found[names[0]] if names else set()
    if not hits:
        return None
    if len(hits) > 1:
        raise UsageError(f"prototype {proto_name!r} is in several packages: "
                         + ", ".join(f"{r}/{p}" for r, p in sorted(hits)),
                         hint="install the one you want with 'kfctl pkg install REGISTRY/PACKAGE'")
    return next(iter(hits))
