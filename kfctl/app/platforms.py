"""Platform profiles (``envs/*.yaml``): a description and default params for a kind of cluster."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from kfctl.errors import ConfigError, NotFoundError


@dataclass(frozen=True)
class Platform:
    name: str
    description: str
    params: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None


@cache
def platforms() -> dict[str, Platform]:
    from kfctl.util.yamlio import load_yaml_file
    from kfctl.data import envs_dir

    out: dict[str, Platform] = {}
    for path in sorted(envs_dir().glob("*.yaml")):
        data = load_yaml_file(path) or {}
        if not isinstance(data, dict) or not isinstance(data.get("params", {}), dict):
            raise ConfigError(f"{path}: a platform profile needs 'name', 'description' and a 'params' mapping")
        name = str(data.get("name") or path.stem)
        out[name] = Platform(name, str(data.get("description", "")), dict(data.get("params") or {}), path)
    return out


def get_platform(name: str) -> Platform:
    found = platforms().get(name)
    if found is None:
        from kfctl.util.suggest import did_you_mean

        raise NotFoundError(
            f"unknown platform profile {name!r}{did_you_mean(name, platforms())}",
            hint="see 'kfctl env platforms'",
        )
    return found
