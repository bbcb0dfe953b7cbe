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
    """``by_name``: the prototypes the app can use now.  ``available``: those its registries offer in
    packages it has not installed (see :func:`kfctl.registry.catalogue.available_prototypes`);
    ``find(..., available=True)`` and the listings include them."""

    def __init__(self, app_root: Path | None = None, *, available: Iterable[Prototype] = ()):
        self.app_root = app_root
        self.by_name: dict[str, Prototype] = {}
        for source, path in prototype_files(app_root):
            proto = parse_prototype(path, source)
            self.by_name[proto.name] = proto  # later (higher precedence) wins
        self.available: list[Prototype] = sorted(available, key=lambda p: (p.name, p.source))

    def all(self, *, available: bool = False) -> list[Prototype]:
        out = [self.by_name[k] for k in sorted(self.by_name)]
        if available:
            out = sorted([*out, *self.available], key=lambda p: (p.name, p.installed is False, p.source))
        return out

    @staticmethod
    def _match(query: str, protos: list[Prototype]) -> list[Prototype]:
        exact = [p for p in protos if p.name == query]
        if exact:
            return exact
        suffix = [p for p in protos if p.name.endswith(query)]
        # prefer matches on a word boundary ("core" -> "kubeflow-core"), else ksonnet's plain suffix rule
        bounded = [p for p in suffix if len(p.name) == len(query) or p.name[-len(query) - 1] in ".-/_"]
        return bounded or suffix

    def matches(self, query: str, *, available: bool = False) -> list[Prototype]:
        """Full name, unique suffix, or ``REGISTRY/PACKAGE/PROTOTYPE``; prototypes the app can use
        first, then (``available``) those of packages not installed."""
        parts = query.split("/")
        if len(parts) == 3 and all(parts):
            source = f"{parts[0]}/{parts[1]}"
            pool = [p for p in self.all(available=available) if p.source == source]
            return self._match(parts[2], pool)
        found = self._match(query, self.all())
        if not found and available:
            found = self._match(query, self.available)
        return found

    def find(self, query: str, *, available: bool = False) -> Prototype:
        found = self.matches(query, available=available)
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            same = len({p.name for p in found}) < len(found)
            names = [f"{p.name} ({p.source})" if same else p.name for p in found]
            raise UsageError(f"ambiguous prototype name {query!r}: matches " + ", ".join(names),
                             hint="name it as REGISTRY/PACKAGE/PROTOTYPE" if same else "use the full name")
        from kfctl.util.suggest import close_matches

        pool = self.all(available=available)
        short = {p.short_name: p.name for p in pool}
        near = close_matches(query, list(short)) or [p.short_name for p in pool if query in p.name][:3]
        hint = ("did you mean " + " or ".join(repr(n) for n in near) + "? ") if near else ""
        raise NotFoundError(f"no prototype named {query!r}", hint=hint + "see 'kfctl prototype list'")

    def search(self, query: str, *, available: bool = False) -> list[Prototype]:
        q = query.lower()
        return [p for p in self.all(available=available)
                if q in p.name.lower() or q in p.short_description.lower() or q in p.source.lower()]
