"""The explicit step before a render: make the libraries an evaluation needs exist on disk.

Rendering is pure (:mod:`kfctl.render`); everything it would otherwise have to write happens here:
the symlink map of versioned vendor folders (``.kfctl/vendor-map``), the generated ksonnet-lib and
k8s-libsonnet for the env's Kubernetes version (user cache, or the app's ``lib/`` when the cache is
not writable), the built-in registry link for previews.  Each call is cheap when nothing changed.
A generated library missing from the cache is the one thing left for later: ``Libraries.on_demand``
hands the importer the function that generates it, called when an evaluation first looks into its
directory (an app that never imports ksonnet-lib never pays for it).
"""

from __future__ import annotations

from pathlib import Path

from kfctl.app.app import App, Environment
from kfctl.render.sources import Libraries

DEFAULT_PREVIEW_K8S = "v1.30.0"


def prepare_env(app: App, env: Environment) -> Libraries:
    from kfctl.ksonnetlib import lib_dirs
    from kfctl.registry.vendor_map import package_jpath

    deferred: dict = {}  # ksonnet-lib / k8s-libsonnet not generated yet: generated on their first import
    dirs = lib_dirs(app.root, env.k8s_version, deferred=deferred)
    return Libraries(vendor_maps=tuple(package_jpath(app, env)), lib_dirs=tuple(dirs),
                     on_demand=tuple(deferred.items()))


def prepare_preview(app_root: Path | None, k8s_version: str | None = None) -> tuple[list[Path], Path]:
    """(jpath, display root) to render a prototype on its own: the app's vendor/ and lib/ when there is
    an app, the built-in registry, and ksonnet-lib (the app's, else generated into the user cache —
    never next to the prototype)."""
    from kfctl.data import builtin_registry_jpath
    from kfctl.ksonnetlib import ensure_ksonnet_lib, lib_dirs

    version = k8s_version or DEFAULT_PREVIEW_K8S
    jpath: list[Path] = []
    if app_root is not None:
        jpath += [app_root / "vendor", app_root / "lib"]
    registry_root = builtin_registry_jpath()
    jpath.append(registry_root)
    if app_root is not None:
        jpath += [p for p in lib_dirs(app_root, version) if p not in jpath]
    else:
        jpath.append(ensure_ksonnet_lib(version))
    return jpath, app_root or registry_root
