"""The jpath map for versioned vendor folders: ``import "<reg>/<pkg>/x.libsonnet"`` finds
``vendor/<reg>/<pkg>@<version>/`` (apps vendored by ks 0.12–0.13) through a folder of symlinks."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from kfctl.app.app import library_ref
from kfctl.registry.inventory import VENDOR

MAP_DIR = Path(".kfctl") / "vendor-map"


def package_jpath(app, env=None) -> list[Path]:
    """Extra jpath folders so ``import "<reg>/<pkg>/x.libsonnet"`` finds ``vendor/<reg>/<pkg>@<ver>/``.

    Unversioned ``vendor/<reg>/<pkg>/`` folders need nothing (``vendor/`` is on the jpath).  For versioned
    ones a folder of symlinks ``.kfctl/vendor-map[/@<env>]/<reg>/<pkg>`` is kept in sync — checked with a
    few ``readlink`` calls, rewritten only when something changed.
    """
    vendor = app.root / VENDOR
    try:
        regs = [e for e in os.scandir(vendor) if e.is_dir() and not e.name.startswith(".")]
    except (FileNotFoundError, NotADirectoryError):
        return []
    versioned: dict[tuple[str, str], list[str]] = {}
    for reg in regs:
        try:
            for e in os.scandir(reg.path):
                if "@" in e.name and not e.name.startswith(".") and e.is_dir():
                    pkg, ver = e.name.split("@", 1)
                    versioned.setdefault((reg.name, pkg), []).append(ver)
        except OSError:
            continue
    if not versioned:
        return []
    # which version each library wants: env-scoped first, then global
    wants: dict[tuple[str, str], str] = {}
    for lib in app.libraries.values():
        if lib.version is not None:
            wants[(lib.registry, lib.name)] = str(lib.version)
    env_obj = None
    if env is not None:
        env_obj = app.environments.get(env) if isinstance(env, str) else env
    scoped = False
    if env_obj is not None and env_obj.libraries:
        for key, spec in env_obj.libraries.items():
            spec = spec if isinstance(spec, dict) else {}
            reg, name = library_ref(key, spec)
            if spec.get("version") is not None:
                wants[(reg, name)] = str(spec["version"])
                scoped = True
    desired: dict[str, str] = {}
    for (reg, pkg), versions in sorted(versioned.items()):
        want = wants.get((reg, pkg))
        ver = want if want in versions else (versions[0] if len(versions) == 1 else None)
        if ver is None:
            ver = max(versions, key=lambda v: os.stat(vendor / reg / f"{pkg}@{v}").st_mtime)
        desired[f"{reg}/{pkg}"] = os.path.join("..", "..", "..", "vendor", reg, f"{pkg}@{ver}")
    base = app.root / MAP_DIR
    if scoped:
        base = base / ("@" + env_obj.name.replace("/", "__"))
        depth_fix = os.path.join("..")
        desired = {k: os.path.join(depth_fix, v) for k, v in desired.items()}
    try:
        _sync_links(base, desired)
    except OSError:  # a read-only app: the same map in the user cache, with absolute links
        import hashlib

        from kfctl.util.cache import cache_root

        key = hashlib.sha256(str(app.root).encode()).hexdigest()[:16]
        base = cache_root() / "vendor-map" / key / base.relative_to(app.root / MAP_DIR)
        desired = {k: str(vendor / k.split("/")[0] / os.path.basename(v)) for k, v in desired.items()}
        _sync_links(base, desired)
    return [base]


def _sync_links(base: Path, desired: dict[str, str]) -> None:
    current: dict[str, str] = {}
    try:
        for reg in os.scandir(base):
            if reg.is_dir(follow_symlinks=False) and not reg.name.startswith("@"):
                for e in os.scandir(reg.path):
                    if e.is_symlink():
                        current[f"{reg.name}/{e.name}"] = os.readlink(e.path)
    except FileNotFoundError:
        pass
    if current == desired:
        return
    for k, target in desired.items():
        if current.get(k) == target:
            continue
        link = base / k
        link.parent.mkdir(parents=True, exist_ok=True)
        tmp = link.parent / f".{link.name}.{os.getpid()}.tmp"
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        tmp.symlink_to(target, target_is_directory=True)
        os.replace(tmp, link)
    for k in set(current) - set(desired):
        with contextlib.suppress(OSError):
            (base / k).unlink()
