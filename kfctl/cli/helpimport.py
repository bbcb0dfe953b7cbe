"""Import typer's help renderer without the parts of rich kfctl's help never uses.

``typer.rich_utils`` (imported the first time a help page is printed) imports ``rich.markdown``
(markdown-it) and ``rich.traceback`` (pygments) at module level — ~50 ms, a third of
``kfctl --help`` — though it uses ``Markdown`` only with ``rich_markup_mode="markdown"`` and
``Traceback`` only for pretty exceptions, neither of which kfctl turns on.  :func:`install` puts a
finder on ``sys.meta_path`` that, while ``typer.rich_utils`` executes, serves those two names from
stand-ins that import the real class on first use (so the behaviour is the same if they are ever
used) and removes the stand-ins right after, so any other ``import rich.markdown`` gets the real one.
"""

from __future__ import annotations

import importlib
import sys
import types

_LAZY = {"rich.markdown": "Markdown", "rich.traceback": "Traceback"}


class _LazyClass(type):
    """A stand-in class: calls, attributes and isinstance go to the real class, imported on first use."""

    def _real(cls):
        return getattr(importlib.import_module(cls._module), cls.__name__)

    def __call__(cls, *args, **kwargs):
        return cls._real()(*args, **kwargs)

    def __getattr__(cls, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(cls._real(), name)

    def __instancecheck__(cls, obj):
        return isinstance(obj, cls._real())


def _stand_in(module: str, name: str) -> types.ModuleType:
    mod = types.ModuleType(module)
    setattr(mod, name, _LazyClass(name, (), {"_module": module}))
    return mod


class _Loader:
    def __init__(self, real):
        self.real = real

    def create_module(self, spec):
        return self.real.create_module(spec)

    def exec_module(self, module):
        placed = {}
        for name, cls in _LAZY.items():
            if name not in sys.modules:
                placed[name] = sys.modules[name] = _stand_in(name, cls)
        try:
            self.real.exec_module(module)
        finally:
            for name, stand_in in placed.items():
                if sys.modules.get(name) is stand_in:
                    del sys.modules[name]


class _Finder:
    def find_spec(self, name, path=None, target=None):
        if name != "typer.rich_utils":
            return None
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(name, path, target)
        if spec is not None and spec.loader is not None and hasattr(spec.loader, "exec_module"):
            spec.loader = _Loader(spec.loader)
        return spec


def install() -> None:
    if "typer.rich_utils" not in sys.modules and not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
