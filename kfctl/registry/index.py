"""Every prototype an app can use: built-in, vendored packages, and the app's own.

Precedence when two sources define the same full name: the app's own ``prototypes/`` beats
vendored packages, which beat kfctl's built-ins.  Names resolve by full name or by a unique
suffix (ksonnet: ``generate core`` finds ``io.ksonnet.pkg.kubeflow-core``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from kfctl.errors import NotFoundError, UsageError
from kfctl.registry.prototype import Prototype, parse_prototype


def _vendor_package_dirs(vendor: Path) -> Iterable[tuple[str, Path]]:
    """(``registry/pkg``, dir) for ``vendor/<reg>/<pkg>`` and ``vendor/<reg>/<pkg>@<ver>``."""
    if not vendor.is_dir():
        return
    for reg in sorted(p for p in vendor.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for pkg in sorted(p for p in reg.iterdir() if p.is_dir() and not p.name.startswith(".")):
            if (pkg / "prototypes").is_dir():
                yield f"{reg.name}/{pkg.name.split('@', 1)[0]}", pkg


def prototype_files(app_root: Path | None) -> list[tuple[str, Path]]:
    """(source, file) in increasing precedence order."""
    from kfctl.data import prototypes_dir

    out = [("builtin", p) for p in sorted(prototypes_dir().glob("*.jsonnet"))]
    if app_root is not None:
        for source, pkg_dir in _vendor_package_dirs(app_root / "vendor"):
            out += [(source, p) for p in sorted((pkg_dir / "prototypes").glob("*.jsonnet"))]
        own = app_root / "prototypes"
        if own.is_dir():
            out += [("app", p) for p in sorted(own.glob("*.jsonnet"))]
    return out


class PrototypeIndex:
    def __init__(self, app_root: Path | None = None):
        self.app_root = app_root
        self.by_name: dict[str, Prototype] = {}
        for source, path in prototype_files(app_root):
            proto = parse_prototype(path, source)
            self.by_name[proto.name] = proto  # later (higher precedence) wins

    def all(self) -> list[Prototype]:
        return [self.by_name[k] for k in sorted(self.by_name)]

    def matches(self, query: str) -> list[Prototype]:
        if query in self.by_name:
            return [self.by_name[query]]
        suffix = [p for p in self.all() if p.name.endswith(query)]
        # prefer matches on a word boundary ("core" -> "kubeflow-core"), else ksonnet's plain suffix rule
        bounded = [p for p in suffix if len(p.name) == len(query) or p.name[-len(query) - 1] in ".-/_"]
        return bounded or suffix

    def find(self, query: str) -> Prototype:
        found = self.matches(query)
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise UsageError(
                f"ambiguous prototype name {query!r}: matches " + ", ".join(p.name for p in found),
                hint="use the full name",
            )
        from kfctl.util.suggest import close_matches

        short = {p.short_name: p.name for p in self.all()}
        near = close_matches(query, list(short)) or [p.short_name for p in self.all() if query in p.name][:3]
        hint = ("did you mean " + " or ".join(repr(n) for n in near) + "? ") if near else ""
        raise NotFoundError(f"no prototype named {query!r}", hint=hint + "see 'kfctl prototype list'")

    def search(self, query: str) -> list[Prototype]:
        q = query.lower()
        return [p for p in self.all() if q in p.name.lower() or q in p.short_description.lower()]


def builtin_registry_prototypes() -> list[Prototype]:
    """The prototypes of the built-in ``kubeflow`` registry's packages (``kfctl generate`` installs
    the package of the one it uses), with source ``kubeflow/<package>``."""
    import yaml

    from kfctl.data import registry_dir

    reg = registry_dir()
    doc = yaml.safe_load((reg / "registry.yaml").read_text(encoding="utf-8")) or {}
    out: list[Prototype] = []
    for name, lib in sorted((doc.get("libraries") or {}).items()):
        pkg_dir = reg / str((lib or {}).get("path") or name)
        for path in sorted((pkg_dir / "prototypes").glob("*.jsonnet")):
            out.append(parse_prototype(path, f"kubeflow/{name}"))
    return out
