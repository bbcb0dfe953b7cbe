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


# --------------------------------------------------------------------------- CRD clashes
def versions_of(crd: dict) -> tuple[tuple[str, ...], str | None]:
    """(served versions, storage version) of a CRD object."""
    versions = [v for v in ((crd.get("spec") or {}).get("versions") or []) if isinstance(v, dict)]
    served = tuple(str(v.get("name")) for v in versions if v.get("served", True))
    storage = next((str(v.get("name")) for v in versions if v.get("storage")), None)
    return served, storage


def identify(crd: dict) -> list[BuiltinCrd]:
    """The vendored CRDs a rendered CRD object is (same name, served and storage versions)."""
    name = str((crd.get("metadata") or {}).get("name") or "")
    served, storage = versions_of(crd)
    return [c for c in builtin_crds() if c.name == name and c.served == served and c.storage == storage]


def _kind_switch(c: BuiltinCrd) -> str:
    return c.name.split(".", 1)[0].rstrip("s") if c.name.endswith("s.kubeflow.org") else c.kind.lower()


def resolution(component: str, crd: dict) -> str | None:
    """How the component that rendered ``crd`` (a vendored package's prototype) leaves it out."""
    hits = identify(crd)
    packages = {c.package for c in hits}
    if not packages:
        return None
    c = hits[0]
    if "training-operator" in packages:
        return (f"{component}'s param enabledKinds without {_kind_switch(c)} "
                f"(or installCrds=false)")
    if "trainer" in packages and c.name == "jobsets.jobset.x-k8s.io":
        return f"{component}'s param jobset=external"
    if packages == {"core"}:
        return None  # kubeflow-core / tf-job-operator always serve TFJob
    return f"{component}'s param installCrds=false"


def describe(component: str, crd: dict) -> str:
    served, storage = versions_of(crd)
    hits = identify(crd)
    origin = f"{hits[0].source}, " if hits else ""
    return f"{component!r} ({origin}served {', '.join(served) or 'none'}, storage {storage or 'none'})"


def clash_message(crd_name: str, first: tuple[str, dict], second: tuple[str, dict]) -> str:
    """One line: both sources of a CRD rendered twice and the params that resolve it."""
    same = first[1].get("spec") == second[1].get("spec")
    fixes = [f for f in (resolution(*second), resolution(*first)) if f]
    how = ("; keep one: set " + ", or ".join(fixes)) if fixes else "; keep it in one component only"
    what = "identical" if same else "different"
    return (f"CRD clash: {crd_name} is defined by components {describe(*first)} and {describe(*second)} "
            f"({what} definitions){how}")
