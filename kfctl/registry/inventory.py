"""What an app has installed: package references, vendored folders, the libraries of app.yaml, and
the components that use a package.

Installed packages live in ``vendor/<registry>/<name>/`` (ksonnet 0.9–0.11 layout, which ks 0.12–0.13
also read) and are recorded in app.yaml ``libraries``; apps vendored by ks 0.12+ keep
``vendor/<registry>/<pkg>@<version>/`` (see :mod:`kfctl.registry.vendor_map`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kfctl.app.app import library_ref
from kfctl.errors import UsageError

VENDOR = "vendor"
PKG_NAME = re.compile(r"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
_NAME_LINE = re.compile(r"^[ \t]*//[ \t]+@name[ \t]+(\S+)", re.M)  # as the parser: // + blank + @name


@dataclass(frozen=True)
class PkgRef:
    registry: str | None
    package: str
    version: str | None = None

    def __str__(self) -> str:
        return f"{self.registry + '/' if self.registry else ''}{self.package}{'@' + self.version if self.version else ''}"


def parse_ref(text: str, *, need_registry: bool = True) -> PkgRef:
    t = text.strip()
    version = None
    if "@" in t:
        t, version = t.split("@", 1)
        if not version:
            raise UsageError(f"{text!r}: empty version after '@'")
    parts = t.split("/")
    if len(parts) == 2 and all(parts):
        reg, pkg = parts
    elif len(parts) == 1 and parts[0] and not need_registry:
        reg, pkg = None, parts[0]
    else:
        raise UsageError(f"{text!r}: expected REGISTRY/PACKAGE[@VERSION], e.g. kubeflow/core@v0.2.0")
    return PkgRef(reg, pkg, version)


@dataclass
class Installed:
    key: str  # app.yaml libraries key
    registry: str
    name: str  # the name it is installed under (ksonnet --name alias)
    package: str  # the registry's package name
    version: str | None
    path: Path | None  # vendored folder, if present
    envs: tuple[str, ...] = ()  # env-scoped installs

    @property
    def qualified(self) -> str:
        return f"{self.registry}/{self.name}"


# ------------------------------------------------------------------------------ vendored folders
def vendor_dir_for(root: Path, registry: str, name: str, version: str | None = None) -> Path | None:
    """The vendored folder of a library: unversioned first, then ``@version``, then the only ``@*``."""
    reg = root / VENDOR / registry
    plain = reg / name
    if plain.is_dir():
        return plain
    if version:
        v = reg / f"{name}@{version}"
        if v.is_dir():
            return v
    if reg.is_dir():
        cands = sorted(p for p in reg.glob(f"{glob_escape(name)}@*") if p.is_dir())
        if len(cands) == 1:
            return cands[0]
        if cands:
            return max(cands, key=lambda p: p.stat().st_mtime)
    return None


def glob_escape(s: str) -> str:
    return re.sub(r"([\[\]*?])", r"[\1]", s)


def installed(app) -> dict[str, Installed]:
    """Installed libraries by ``registry/name`` (global and env-scoped)."""
    raw_libs = (app.raw.get("libraries") or {}) if isinstance(app.raw.get("libraries"), dict) else {}
    out: dict[str, Installed] = {}
    for q, lib in app.libraries.items():
        raw = raw_libs.get(lib.key) or {}
        pkg = str(raw.get("package") or lib.name) if isinstance(raw, dict) else lib.name
        out[q] = Installed(lib.key, lib.registry, lib.name, pkg, None if lib.version is None else str(lib.version),
                           vendor_dir_for(app.root, lib.registry, lib.name, lib.version and str(lib.version)))
    for env in app.environments.values():
        for key, spec in (env.libraries or {}).items():
            spec = spec if isinstance(spec, dict) else {}
            reg, name = library_ref(key, spec)
            q = f"{reg}/{name}"
            if q in out:
                out[q].envs = tuple(sorted({*out[q].envs, env.name}))
                continue
            version = spec.get("version")
            out[q] = Installed(str(key), reg, name, str(spec.get("package") or name),
                               None if version is None else str(version),
                               vendor_dir_for(app.root, reg, name, version and str(version)), (env.name,))
    return dict(sorted(out.items()))


def find_installed(app, registry: str, name: str) -> Installed | None:
    return installed(app).get(f"{registry}/{name}")


def prototype_names(pkg_dir: Path) -> list[tuple[str, Path]]:
    out = []
    for p in sorted((pkg_dir / "prototypes").glob("*.jsonnet")):
        try:
            with p.open(encoding="utf-8", errors="replace") as fh:
                head = fh.read(8192)
        except OSError:
            continue
        m = _NAME_LINE.search(head)
        if m:
            out.append((m.group(1), p))
    return out


def components_using(app, registry: str, package: str) -> list[str]:
    """Components made from the package's prototypes (kfctl's record) or importing ``<registry>/<package>/``."""
    users: set[str] = set()
    qualified = f"{registry}/{package}"
    inst = find_installed(app, registry, package)
    proto_names: set[str] = set()
    if inst is not None and inst.path is not None:
        proto_names = {n for n, _ in prototype_names(inst.path)}
    comps = (app.kfctl_settings or {}).get("components") or {}
    for comp, rec in comps.items():
        rec = rec if isinstance(rec, dict) else {}
        if rec.get("package") == qualified or (rec.get("prototype") in proto_names and not rec.get("package")):
            users.add(str(comp))
    needle = re.compile(r"""import(?:str)?\s+['"]""" + re.escape(qualified) + r"/")
    try:
        from kfctl.app.components import component_files

        files = [(c.name, c.path) for c in component_files(app)]
    except Exception:  # noqa: BLE001 - fall back to a plain scan
        files = [(p.stem, p) for p in sorted(app.components_dir.rglob("*.*sonnet"))] if app.components_dir.is_dir() else []
    for comp, path in files:
        if path.name == "params.libsonnet":
            continue
        try:
            if needle.search(path.read_text(encoding="utf-8", errors="replace")):
                users.add(comp)
        except OSError:
            continue
    existing = {c for c, _ in files}
    return sorted(u for u in users if u in existing or u in comps)
