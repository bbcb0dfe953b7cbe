"""Import a library module without the heavy modules it names at import time but only uses later.

:func:`defer` puts a finder on ``sys.meta_path`` that, while one module (the *target*) executes,
serves some of the modules it imports from stand-ins, and removes the stand-ins right after, so any
other import of those names gets the real modules.  A stand-in module resolves every attribute from
the real module on first access; a stand-in class (:func:`lazy_class`) imports the real class when it
is called, subclass-checked or asked for an attribute; a stand-in function (:func:`lazy_function`)
when it is called.  So the target behaves as before, only its first use of those names imports them.

Used for typer's help renderer (``rich.markdown``/``rich.traceback``, :mod:`kfctl.cli.helpimport`)
and the official kubernetes client (pydantic, dateutil, oauthlib: :mod:`kfctl.kube.k8simport`).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Callable

_STAND_INS: dict[str, types.ModuleType] = {}  # name -> the stand-in while its target executes


def real_module(name: str) -> types.ModuleType:
    """The real module ``name`` (a stand-in still in sys.modules makes way for it)."""
    mod = sys.modules.get(name)
    if mod is not None and getattr(mod, "__kfctl_stand_in__", False):
        del sys.modules[name]
    return importlib.import_module(name)


class LazyClass(type):
    """A stand-in class: calls, attributes and isinstance go to the real class, imported on first use.
    ``isinstance(x, C)`` is False without importing while the real module is not loaded: no instance of
    its class can exist yet.  ``C[...]`` (an annotation evaluated at definition) gives ``C`` itself."""

    def _real(cls):
        return getattr(real_module(cls._module), cls.__name__)

    def __call__(cls, *args, **kwargs):
        return cls._real()(*args, **kwargs)

    def __getattr__(cls, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(cls._real(), name)

    def __instancecheck__(cls, obj):
        mod = sys.modules.get(cls._module)
        if mod is None or getattr(mod, "__kfctl_stand_in__", False):
            return False
        return isinstance(obj, cls._real())

    def __getitem__(cls, params):
        return cls


def lazy_class(module: str, name: str) -> LazyClass:
    return LazyClass(name, (), {"_module": module, "__module__": module})


def lazy_function(module: str, name: str) -> Callable:
    def stand_in(*args, **kwargs):
        return getattr(real_module(module), name)(*args, **kwargs)

    stand_in.__name__ = stand_in.__qualname__ = name
    stand_in.__module__ = module
    return stand_in


class _StandIn(types.ModuleType):
    __kfctl_stand_in__ = True

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            return getattr(real_module(self.__name__), name)
        except ModuleNotFoundError:
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}") from None


def stand_in(name: str, **attrs) -> types.ModuleType:
    """A module ``name`` with ``attrs`` (lazy classes or functions); any other attribute is the real module's.
    (For ``import a.b`` stand in ``a`` and ``a.b``: the statement binds ``a``.)"""
    mod = _StandIn(name)
    for key, value in attrs.items():
        setattr(mod, key, value)
    return mod


class LazyPattern:
    """``re.compile(...)`` compiled on first use (what :func:`lazy_re`'s ``compile`` returns)."""

    def __init__(self, *args, **kwargs):
        self._args = (args, kwargs)

    def __getattr__(self, name):
        if name.startswith("__") or name == "_args":
            raise AttributeError(name)
        import re

        args, kwargs = self._args
        real = re.compile(*args, **kwargs)
        for attr in ("match", "search", "fullmatch", "sub", "subn", "split", "findall", "finditer", "pattern",
                     "flags", "groups", "groupindex"):
            object.__setattr__(self, attr, getattr(real, attr))  # later uses: plain attributes, no detour
        return getattr(real, name)


def lazy_re() -> types.ModuleType:
    """A stand-in ``re`` whose ``compile`` defers the compilation (for a module-level pattern that is
    rarely used, e.g. PyYAML's pure-Python reader's NON_PRINTABLE: ~25 ms, unused with the C loader)."""
    return stand_in("re", compile=LazyPattern)


class _Loader:
    def __init__(self, real, stand_ins: Callable[[], dict[str, types.ModuleType]], replace: bool):
        self.real = real
        self.stand_ins = stand_ins
        self.replace = replace

    def create_module(self, spec):
        return self.real.create_module(spec)

    def exec_module(self, module):
        placed, replaced = {}, {}
        for name, mod in self.stand_ins().items():
            if name in sys.modules and self.replace:
                replaced[name] = sys.modules[name]
            if name not in sys.modules or self.replace:
                placed[name] = sys.modules[name] = mod
        try:
            self.real.exec_module(module)
        finally:
            for name, mod in placed.items():
                if sys.modules.get(name) is mod:
                    if name in replaced:
                        sys.modules[name] = replaced[name]
                    else:
                        del sys.modules[name]


class _Finder:
    def __init__(self):
        self.targets: dict[str, tuple[Callable[[], dict[str, types.ModuleType]], bool]] = {}

    def find_spec(self, name, path=None, target=None):
        entry = self.targets.get(name)
        if entry is None:
            return None
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(name, path, target)
        if spec is not None and spec.loader is not None and hasattr(spec.loader, "exec_module"):
            spec.loader = _Loader(spec.loader, *entry)
        return spec


def _finder() -> _Finder:
    for f in sys.meta_path:
        if isinstance(f, _Finder):
            return f
    f = _Finder()
    sys.meta_path.insert(0, f)
    return f


def defer(target: str, stand_ins: Callable[[], dict[str, types.ModuleType]], *, replace: bool = False) -> None:
    """When ``target`` is first imported, the modules ``stand_ins()`` names are stand-ins while it executes
    (those already imported stay the real ones, unless ``replace``: then they are put back after).
    Nothing happens if ``target`` is imported already."""
    if target not in sys.modules:
        _finder().targets.setdefault(target, (stand_ins, replace))
