"""In-place edits of ksonnet params files.

Three kinds of file, all edited by splicing text (see :mod:`kfctl.app.jsonnet_text`):

* ``components/params.libsonnet`` — ``{ global: {...}, components: { "<c>": {...} } }``
* ``environments/<env>/params.libsonnet`` — ``local envParams = params + { components +: { "<c>" +: {...} } }``
* ``environments/<env>/globals.libsonnet`` — a plain object merged into every component of the env

A file whose structure kfctl cannot edit safely raises :class:`EditError` naming the construct
in the way, and is left untouched.
"""

from __future__ import annotations

import re
from typing import Sequence

from kfctl.app.jsonnet_text import (
    EditError,
    ObjectLiteral,
    find_pattern_outside_strings,
    find_top_object,
    format_key,
    insert_fields,
    parse_object,
    remove_field,
)


def _names_file(fn):
    """Errors from the low-level scanner ("unbalanced brackets") name the file being edited."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except EditError as exc:
            what = kwargs.get("what", args[-1] if args else None)
            if isinstance(what, str) and what and not exc.message.startswith(f"{what}:"):
                raise EditError(f"{what}: {exc.message}", hint=exc.hint) from None
            raise

    return wrapper


def _nested_text(path: Sequence[str], value_text: str, plus: bool) -> str:
    """``a+: {\\n  b: v,\\n},`` for path [a, b]."""
    key = format_key(path[0])
    if len(path) == 1:
        return f"{key}: {value_text},"
    inner = _nested_text(path[1:], value_text, plus)
    sep = "+:" if plus else ":"
    return f"{key}{sep} {{\n  " + inner.replace("\n", "\n  ") + "\n},"


def _object_field(s: str, obj: ObjectLiteral, key: str, what: str) -> ObjectLiteral | None:
    f = obj.get(key)
    if f is None:
        return None
    if not f.is_object_value(s):
        raise EditError(f"{what}: field {key!r} is not an object literal ({s[f.value_start:f.value_start + 30]!r}...); "
                        "kfctl cannot edit it in place")
    return parse_object(s, f.value_start)


@_names_file
def set_path(s: str, obj: ObjectLiteral, path: Sequence[str], value_text: str, *, plus: bool, what: str) -> str:
    """Set ``path`` (relative to ``obj``) to ``value_text``, creating intermediate objects."""
    head = path[0]
    if len(path) == 1:
        f = obj.get(head)
        if f is not None:
            if f.op.startswith("+") and not plus:
                raise EditError(f"{what}: field {head!r} uses '+:' inheritance; edit it by hand")
            return s[:f.value_start] + value_text + s[f.value_end:]
        return insert_fields(s, obj, [_nested_text(path, value_text, plus)])
    child = _object_field(s, obj, head, what)
    if child is None:
        return insert_fields(s, obj, [_nested_text(path, value_text, plus)])
    return set_path(s, child, path[1:], value_text, plus=plus, what=what)


@_names_file
def unset_path(s: str, obj: ObjectLiteral, path: Sequence[str], *, what: str) -> tuple[str, bool]:
    f = obj.get(path[0])
    if f is None:
        return s, False
    if len(path) == 1:
        return remove_field(s, obj, f), True
    child = _object_field(s, obj, path[0], what)
    assert child is not None
    return unset_path(s, child, path[1:], what=what)


# ------------------------------------------------------------------ components/params.libsonnet
def _section(s: str, name: str, what: str) -> ObjectLiteral:
    top = parse_object(s, find_top_object(s, what))
    sect = _object_field(s, top, name, what)
    if sect is None:
        raise EditError(f"{what}: no '{name}' object at the top level")
    return sect


@_names_file
def component_names(s: str, what: str) -> list[str]:
    return [f.key for f in _section(s, "components", what).fields]


@_names_file
def add_component(s: str, component: str, params: dict[str, str], what: str) -> str:
    """Append ``"<component>": { k: v, ... },`` (keys sorted, as ksonnet's generate did)."""
    comps = _section(s, "components", what)
    if comps.get(component) is not None:
        raise EditError(f"{what}: component {component!r} already has parameters")
    body = "".join(f"\n  {format_key(k)}: {params[k]}," for k in sorted(params))
    text = f"{format_key(component)}: {{{body}\n}},"
    return insert_fields(s, comps, [text])


@_names_file
def set_component_param(s: str, component: str, path: Sequence[str], value_text: str, what: str) -> str:
    comps = _section(s, "components", what)
    comp = _object_field(s, comps, component, what)
    if comp is None:
        return insert_fields(s, comps, [_nested_text([component, *path], value_text, False)])
    return set_path(s, comp, path, value_text, plus=False, what=what)


@_names_file
def unset_component_param(s: str, component: str, path: Sequence[str], what: str) -> tuple[str, bool]:
    comps = _section(s, "components", what)
    comp = _object_field(s, comps, component, what)
    if comp is None:
        return s, False
    return unset_path(s, comp, path, what=what)


@_names_file
def remove_component(s: str, component: str, what: str) -> tuple[str, bool]:
    comps = _section(s, "components", what)
    f = comps.get(component)
    if f is None:
        return s, False
    return remove_field(s, comps, f), True


@_names_file
def set_global(s: str, path: Sequence[str], value_text: str, what: str) -> str:
    top = parse_object(s, find_top_object(s, what))
    glob = _object_field(s, top, "global", what)
    if glob is None:
        return insert_fields(s, top, [_nested_text(["global", *path], value_text, False)])
    return set_path(s, glob, path, value_text, plus=False, what=what)


@_names_file
def unset_global(s: str, path: Sequence[str], what: str) -> tuple[str, bool]:
    top = parse_object(s, find_top_object(s, what))
    glob = _object_field(s, top, "global", what)
    if glob is None:
        return s, False
    return unset_path(s, glob, path, what=what)


# ------------------------------------------------------------------ environments/<env>/params.libsonnet
_ENV_OVERRIDES = re.compile(r"params\s*\+\s*\{")


def _env_overrides(s: str, what: str) -> ObjectLiteral:
    m = find_pattern_outside_strings(s, _ENV_OVERRIDES)
    if m is None:
        raise EditError(f"{what}: cannot find the 'params + {{ ... }}' overrides object kfctl edits")
    return parse_object(s, m.end() - 1)


def _env_components(s: str, what: str) -> tuple[str, ObjectLiteral]:
    over = _env_overrides(s, what)
    f = over.get("components")
    if f is None:
        s = insert_fields(s, over, ["components+: {\n},"])
        over = _env_overrides(s, what)
        f = over.get("components")
    if not f.is_object_value(s):
        raise EditError(f"{what}: 'components' is not an object literal; kfctl cannot edit it in place")
    return s, parse_object(s, f.value_start)


@_names_file
def set_env_param(s: str, component: str, path: Sequence[str], value_text: str, what: str) -> str:
    s, comps = _env_components(s, what)
    comp = _object_field(s, comps, component, what)
    if comp is None:
        return insert_fields(s, comps, [_plus_component(component, path, value_text)])
    return set_path(s, comp, path, value_text, plus=True, what=what)


def _plus_component(component: str, path: Sequence[str], value_text: str) -> str:
    inner = _nested_text(path, value_text, True)
    return f"{format_key(component)}+: {{\n  " + inner.replace("\n", "\n  ") + "\n},"


@_names_file
def unset_env_param(s: str, component: str, path: Sequence[str], what: str) -> tuple[str, bool]:
    over = _env_overrides(s, what)
    comps = _object_field(s, over, "components", what)
    if comps is None:
        return s, False
    comp = _object_field(s, comps, component, what)
    if comp is None:
        return s, False
    s, changed = unset_path(s, comp, path, what=what)
    return s, changed


@_names_file
def remove_env_component(s: str, component: str, what: str) -> tuple[str, bool]:
    try:
        over = _env_overrides(s, what)
    except EditError:
        return s, False
    comps = _object_field(s, over, "components", what)
    if comps is None:
        return s, False
    f = comps.get(component)
    if f is None:
        return s, False
    return remove_field(s, comps, f), True


# ------------------------------------------------------------------ environments/<env>/globals.libsonnet
@_names_file
def set_top(s: str, path: Sequence[str], value_text: str, what: str) -> str:
    top = parse_object(s, find_top_object(s, what))
    return set_path(s, top, path, value_text, plus=False, what=what)


@_names_file
def unset_top(s: str, path: Sequence[str], what: str) -> tuple[str, bool]:
    top = parse_object(s, find_top_object(s, what))
    return unset_path(s, top, path, what=what)
