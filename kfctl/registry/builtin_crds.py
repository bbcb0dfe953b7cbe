"""The CRDs of the built-in registry's vendored packages (``registry/<pkg>/upstream*/``).

Each vendored folder's ``upstream.json`` (written by ``scripts/vendor_upstream.py``) lists its CRDs
with group, kind, scope and versions; the CRD objects themselves are JSON files next to it, loaded
only when asked for.  Used to know the scope of a custom kind whose CRD is not in the render, to
validate custom resources against the pinned upstream schema when the operator is installed
separately, and to tell whose a CRD of a render or of a cluster is when two definitions clash.
``registry/foreign/<name>/upstream.json`` (pins with ``fingerprint: true``) identify CRDs of installs
kfctl does not package (arena's TFJob/PyTorchJob/MPIJob) for that last purpose only.
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
    path: Path  # the CRD's JSON file (none for a foreign fingerprint)
    annotations: tuple[tuple[str, str], ...] = ()  # what identifies it besides name and versions
    foreign: bool = False  # a fingerprint of an install kfctl does not package (arena)

    def load(self) -> dict:
        return _load(self.path)


@lru_cache(maxsize=64)
def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _read_crds(meta_path: Path, package: str, foreign: bool) -> list[BuiltinCrd]:
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [BuiltinCrd(c["name"], c["group"], c["kind"], c.get("scope", "Namespaced") != "Cluster",
                       tuple(c.get("served") or ()), c.get("storage"), package,
                       f"{meta.get('repo')} {meta.get('tag')}", meta_path.parent / "crds" / f"{c['name']}.json",
                       tuple(sorted((c.get("annotations") or {}).items())), foreign)
            for c in meta.get("crds") or []]


@cache
def builtin_crds() -> tuple[BuiltinCrd, ...]:
    """Every vendored CRD, sorted by package then name (reads the small upstream.json files only)."""
    from kfctl.data import registry_dir

    root = registry_dir()
    out: list[BuiltinCrd] = []
    for meta_path in sorted(root.glob("*/upstream/**/upstream.json")):
        out += _read_crds(meta_path, meta_path.relative_to(root).parts[0], False)
    return tuple(sorted(out, key=lambda c: (c.package, c.name)))


@cache
def foreign_crds() -> tuple[BuiltinCrd, ...]:
    """The fingerprints of CRDs that installs kfctl does not package define (``registry/foreign/``)."""
    from kfctl.data import registry_dir

    root = registry_dir()
    out: list[BuiltinCrd] = []
    for meta_path in sorted(root.glob("foreign/*/upstream.json")):
        out += _read_crds(meta_path, meta_path.parent.name, True)
    return tuple(out)


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


def _annotations(crd: dict) -> dict:
    a = (crd.get("metadata") or {}).get("annotations")
    return a if isinstance(a, dict) else {}


def identify(crd: dict) -> list[BuiltinCrd]:
    """The known CRDs (vendored packages' and foreign fingerprints) a CRD object is: same name,
    served and storage versions, and every annotation the known one records; the most specific
    matches (most annotations) win."""
    name = str((crd.get("metadata") or {}).get("name") or "")
    served, storage = versions_of(crd)
    have = _annotations(crd)
    hits = [c for c in (*builtin_crds(), *foreign_crds())
            if c.name == name and c.served == served and c.storage == storage
            and all(have.get(k) == v for k, v in c.annotations)]
    best = max((len(c.annotations) for c in hits), default=0)
    return [c for c in hits if len(c.annotations) == best]


def sources(crd: dict) -> set[str]:
    """Whose a CRD object is: the releases it comes from ("kubeflow/trainer v1.9.4"); empty: unknown."""
    return {c.source for c in identify(crd)}


# kubeflow-platform's switch for each package it composes
PLATFORM_SWITCHES = {"training-operator": "training", "trainer": "trainer", "kueue": "kueue", "kserve": "serving",
                     "cert-manager": "certManager", "katib": "tuning", "notebooks": "notebooks",
                     "argo-workflows": "workflows", "gpu": "gpu"}


def _kind_switch(c: BuiltinCrd) -> str:
    return c.name.split(".", 1)[0].rstrip("s") if c.name.endswith("s.kubeflow.org") else c.kind.lower()


def resolution(component: str, crd: dict, package: str | None = None) -> str | None:
    """How the component that rendered ``crd`` leaves it out: by the built-in package whose prototype
    made the component (``package``, e.g. ``kubeflow/core``), else by the package the CRD comes from.
    None: the component has no such switch."""
    hits = [c for c in identify(crd) if not c.foreign]
    pkg = package.split("/", 1)[1] if package and package.startswith("kubeflow/") else None
    if package and pkg is None:
        return None  # another registry's package: kfctl does not know its params
    if pkg is None:
        packages = {c.package for c in hits}
        if not packages:
            return None
        pkg = "training-operator" if "training-operator" in packages else sorted(packages)[0]
    name = str((crd.get("metadata") or {}).get("name") or "")
    if pkg == "training-operator":
        switch = _kind_switch(hits[0]) if hits else name.split(".", 1)[0].rstrip("s")
        return f"{component}'s param enabledKinds without {switch} (or installCrds=false)"
    if pkg == "trainer" and name == "jobsets.jobset.x-k8s.io":
        return f"{component}'s param jobset=external"
    if pkg == "platform":  # kubeflow-platform: the switch of the package that renders it
        switch = next((PLATFORM_SWITCHES[c.package] for c in hits if c.package in PLATFORM_SWITCHES), None)
        return f"{component}'s param {switch + '=false (or installCrds=false)' if switch else 'installCrds=false'}"
    if pkg in ("core", "tf-job"):
        return None  # kubeflow-core / tf-job-operator always serve TFJob; tf-job renders no CRD
    from kfctl.data import registry_dir

    if not (registry_dir() / pkg / "upstream").is_dir():
        return None  # not a vendored controller package: no installCrds switch
    return f"{component}'s param installCrds=false"


def describe(component: str, crd: dict) -> str:
    served, storage = versions_of(crd)
    origin = ", ".join(sorted(sources(crd)))
    return f"{component!r} ({origin + ', ' if origin else ''}served {', '.join(served) or 'none'}, storage {storage or 'none'})"


def clash_message(crd_name: str, first: tuple[str, dict], second: tuple[str, dict],
                  package_of=lambda component: None) -> str:
    """One line: both sources of a CRD rendered twice and the params that resolve it (``package_of``:
    component → the built-in package whose prototype made it, if known)."""
    same = first[1].get("spec") == second[1].get("spec")
    fixes = [f for f in (resolution(*second, package_of(second[0])), resolution(*first, package_of(first[0]))) if f]
    # a foreign install's CRD (arena's) in a component: that component is where it comes out
    outs = [f"leave {src}'s CRD out of component {comp!r}" for comp, crd in (second, first)
            for src in sorted({c.source for c in identify(crd) if c.foreign})]
    ways = ([f"set {', or '.join(fixes)}"] if fixes else []) + outs
    how = ("; keep one: " + ", or ".join(ways)) if ways else "; keep it in one component only"
    what = "identical" if same else "different"
    return (f"CRD clash: {crd_name} is defined by components {describe(*first)} and {describe(*second)} "
            f"({what} definitions){how}")
