"""``kfctl prototype list | search | describe``: the prototypes an app can use, and those its
registries offer in packages it has not installed yet (found without the network)."""

from __future__ import annotations

from dataclasses import dataclass

from kfctl.registry.index import PrototypeIndex
from kfctl.registry.prototype import Prototype


def prototype_index(app, *, available: bool = True) -> PrototypeIndex:
    """``app`` None (outside an app): the built-ins, and the built-in registry's packages as available."""
    from kfctl.registry.catalogue import available_prototypes

    return PrototypeIndex(app.root if app is not None else None,
                          available=available_prototypes(app) if available else ())


def list_prototypes(app) -> list[Prototype]:
    return prototype_index(app).all(available=True)


def search_prototypes(app, query: str) -> list[Prototype]:
    return prototype_index(app).search(query, available=True)


@dataclass
class PrototypeDescription:
    prototype: Prototype
    package: str | None  # REGISTRY/PACKAGE, None for kfctl's built-ins and the app's own prototypes
    installed: bool


def describe_prototype(app, name: str) -> PrototypeDescription:
    """By full name, unique suffix or ``REGISTRY/PACKAGE/PROTOTYPE``."""
    p = prototype_index(app).find(name, available=True)
    return PrototypeDescription(p, None if p.source in ("builtin", "app") else p.source, p.installed)
