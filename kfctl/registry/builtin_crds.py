"""The CRDs of the built-in registry's vendored packages (``registry/<pkg>/upstream*/``).

Each vendored folder's ``upstream.json`` (written by ``scripts/vendor_upstream.py``) lists its CRDs
with group, kind, scope and versions; the CRD objects themselves are JSON files next to it, loaded
only when asked for.  Used to know the scope of a custom kind whose CRD is not in the render and to
validate custom resources against the pinned upstream schema when the operator is installed
separately.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path


@dataclass(frozen=True)
class BuiltinCrd:
    name: str  # mpijobs.kubeflow.org
    group: str
    kind: str
    namespaced: bool
    served: tuple[str, ...]
    storage: str | None
    package: str  # registry folder, e.g. training-operator
    source: str  # "kubeflow/trainer v1.9.4"
    path: Path  # the CRD's JSON file

    def load(self) -> dict:
        return _load(self.path)


@lru_cache(maxsize=64)
def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def builtin_crds() -> tuple[BuiltinCrd, ...]:
    """Every vendored CRD, sorted by package then name (reads the small upstream.json files only)."""
    from kfctl.data import registry_dir

    root = registry_dir()
    out: list[BuiltinCrd] = []
    for meta_path in sorted(root.glob("*/upstream/**/upstream.json")):
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        package = meta_path.relative_to(root).parts[0]
        for c in meta.get("crds") or []:
            out.append(BuiltinCrd(c["name"], c["group"], c["kind"], c.get("scope", "Namespaced") != "Cluster",
                                  tuple(c.get("served") or ()), c.get("storage"), package,
                                  f"{meta.get('repo')} {meta.get('tag')}", meta_path.parent / "crds" / f"{c['name']}.json"))
    return tuple(sorted(out, key=lambda c: (c.package, c.name)))


@cache
def builtin_scopes() -> dict[tuple[str, str], bool]:
    """(group, kind) → namespaced?, for kinds every vendored CRD of that kind agrees on."""
    seen: dict[tuple[str, str], set[bool]] = {}
    for c in builtin_crds():
        seen.setdefault((c.group, c.kind), set()).add(c.namespaced)
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}


def crds_for(group: str, kind: str) -> list[BuiltinCrd]:
    return [c for c in builtin_crds() if c.group == group and c.kind == kind]
