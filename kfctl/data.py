"""Locate the data folders shipped with kfctl (``prototypes/``, ``registry/``, ``envs/``).

In a wheel they live in ``kfctl/_data/<name>`` (hatchling force-include); in a source
checkout / editable install they are the top-level folders of the repository.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PKG = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    installed = _PKG / "_data" / name
    if installed.is_dir():
        return installed
    source = _PKG.parent / name
    if source.is_dir():
        return source
    raise FileNotFoundError(f"kfctl data folder {name!r} is missing from the installation ({installed})")


def prototypes_dir() -> Path:
    return data_dir("prototypes")


def registry_dir() -> Path:
    return data_dir("registry")


def envs_dir() -> Path:
    return data_dir("envs")


def builtin_registry_jpath() -> Path:
    """A directory in which ``kubeflow/<pkg>/...`` resolves to the built-in registry's packages
    (a symlink kept in the user cache), so package prototypes can be previewed before install."""
    import hashlib
    import os

    from kfctl.util.cache import cache_root

    reg = registry_dir()
    cache = cache_root() / "builtin"
    d = cache / hashlib.sha256(str(reg).encode()).hexdigest()[:16]
    link = d / "kubeflow"
    try:
        if link.resolve() != reg:
            d.mkdir(parents=True, exist_ok=True)
            tmp = d / f".kubeflow.{os.getpid()}"
            tmp.unlink(missing_ok=True)
            tmp.symlink_to(reg, target_is_directory=True)
            os.replace(tmp, link)
    except OSError:
        pass
    return d
