"""Parameter coercion without pydantic for the plain types kfctl's options use.

typer (0.29) coerces every parsed value through a pydantic ``TypeAdapter`` it builds the first time
a parameter is processed, so any command with an option that is not a flag imports pydantic
(~50 ms, more than the rest of ``kfctl env list``).  For ``str``, ``bool``, ``int``, ``float``,
``Path``, ``Enum`` choices and lists of them the result is known without pydantic; :func:`install`
gives such parameters a runtime coercion that returns exactly what typer's would and hands
anything else — a value it would have to interpret (``"1_000"``, an env var ``"yes"``) or reject
(the error message is typer's) — to typer's own, pydantic-built coercion.  Parameters of other
types keep typer's.  tests/test_cli_startup.py checks both paths agree.

This uses typer's private ``_coercion``/``_param_types`` modules; if they change, :func:`install`
changes nothing and typer coerces as it always did.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Callable

_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")


class _Delegate(Exception):
    """This value needs typer's own coercion."""


def _leaf(annotation: Any, info: Any) -> Callable[[Any, Any, Any], Any] | None:
    from typer._param_types import coerce_cli_choice, coerce_cli_path, routes_to_path

    if info.parser is not None or getattr(info, "click_type", None) is not None:
        return None
    if annotation is str:
        def coerce_str(v, param, ctx):
            if type(v) is str:
                return v
            raise _Delegate
        return coerce_str
    if annotation is bool:
        def coerce_bool(v, param, ctx):
            if type(v) is bool:
                return v
            raise _Delegate
        return coerce_bool
    if annotation in (int, float):
        if info.min is not None or info.max is not None or info.clamp:
            return None
        pattern = _INT if annotation is int else _FLOAT

        def coerce_number(v, param, ctx, _t=annotation, _p=pattern):
            if type(v) is _t:
                return v
            if type(v) is str and _p.fullmatch(v):
                return _t(v)
            raise _Delegate
        return coerce_number
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        choices = list(annotation)
        case_sensitive = info.case_sensitive

        def coerce_choice(v, param, ctx):
            try:
                return coerce_cli_choice(v, choices=choices, case_sensitive=case_sensitive, ctx=ctx)
            except ValueError:
                raise _Delegate from None
        return coerce_choice
    if annotation is Path and info.path_type is None and routes_to_path(annotation, info):
        def coerce_path(v, param, ctx):
            if type(v) is str:
                v = Path(v)  # what pydantic's TypeAdapter(Path) makes of a str
            if not isinstance(v, Path):
                raise _Delegate
            return coerce_cli_path(v, info, path_type=Path, param=param, ctx=ctx)
        return coerce_path
    return None


_light_class = None


def _light_param_class():
    """The RuntimeParam subclass (made once: a dataclass costs ~1 ms to create)."""
    global _light_class
    if _light_class is None:
        from typer._coercion import RuntimeParam, build_runtime_param

        @dataclass(frozen=True)
        class LightParam(RuntimeParam):
            leaf: Any = None
            is_list: bool = False
            descriptor: Any = None

            def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
                try:
                    if self.is_list:
                        items = value if isinstance(value, (list, tuple)) else [value]
                        return [self.leaf(v, param, ctx) for v in items]
                    return self.leaf(value, param, ctx)
                except _Delegate:
                    return build_runtime_param(self.descriptor)._coerce_value(value, param=param, ctx=ctx)

        _light_class = LightParam
    return _light_class


def _runtime_param(descriptor: Any):
    from typer._typing import get_args, get_origin

    annotation, info = descriptor.annotation, descriptor.parameter_info
    if descriptor.file_annotation is not None:
        return None
    is_list = get_origin(annotation) is list
    if is_list:
        (item,) = get_args(annotation) or (None,)
        leaf = _leaf(item, info)
    elif get_origin(annotation) is not None:
        return None
    else:
        leaf = _leaf(annotation, info)
    if leaf is None:
        return None
    return _light_param_class()(parameter_info=info, annotation=annotation, leaf=leaf, is_list=is_list,
                                descriptor=descriptor)


_installed = False


def install() -> None:
    """Make typer's parameters try the light coercion first (once per process; idempotent).

    Wraps ``typer.core._TyperParameter.get_runtime_param`` (which builds the pydantic coercion
    lazily, on a parameter's first value) so that it first offers the light one: every parameter
    of every command — the help and completion options typer adds on the fly included.
    """
    global _installed
    if _installed:
        return
    try:
        from typer.core import _TyperParameter

        typer_get = _TyperParameter.get_runtime_param
    except (ImportError, AttributeError):  # pragma: no cover - another typer: keep its coercion
        return

    def get_runtime_param(self):
        if getattr(self, "_runtime_param", True) is None:
            try:
                light = _runtime_param(self.type_descriptor)
            except (ImportError, AttributeError, TypeError, ValueError):  # pragma: no cover - another typer
                light = None
            if light is not None:
                self._runtime_param = light
        return typer_get(self)

    _TyperParameter.get_runtime_param = get_runtime_param
    _installed = True
