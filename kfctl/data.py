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
