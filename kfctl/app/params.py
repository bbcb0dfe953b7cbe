"""Parameters: set/unset in the right params file, edited in place (comments survive).

Which value wins, and where it comes from, is resolved by evaluating the env (:mod:`kfctl.ops.params`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kfctl.app import params_file
from kfctl.app.app import App
from kfctl.util.fsutil import read_text, write_edit
from kfctl.app.jsonnet_text import to_jsonnet
from kfctl.errors import NotFoundError


def _read(path: Path, app: App) -> tuple[str, str]:
    shown = str(path.relative_to(app.root))
    if not path.exists():
        raise NotFoundError(f"{shown}: file not found")
    return read_text(path, shown=shown), shown


def _known_components(app: App) -> list[str]:
    from kfctl.app.components import component_files

    names = {c.name for c in component_files(app)}
    p = app.components_dir / "params.libsonnet"
    if p.is_file():
        try:
            names |= set(params_file.component_names(p.read_text(encoding="utf-8"), "components/params.libsonnet"))
        except Exception:
            pass
    return sorted(names)


def check_component(app: App, component: str) -> None:
    known = _known_components(app)
    if component not in known:
        from kfctl.util.suggest import did_you_mean

        raise NotFoundError(f"component {component!r} does not exist{did_you_mean(component, known)}",
                            hint="see 'kfctl component list'")


def target_file(app: App, component: str | None, env: str | None) -> Path:
    if env is None:
        return app.components_dir / "params.libsonnet"
    e = app.env(env)
    if component:
        from kfctl.app.layout import env_file

        return env_file(app, e, "params.libsonnet")
    return app.env_dir(e) / "globals.libsonnet"


def _edit_params(app: App, component: str | None, env: str | None, op) -> tuple[Path, str, bool]:
    """Under the app lock: read the params file that holds ``component``'s (or the globals') params
    for ``env``, apply ``op(text, what) -> (new_text, changed)``, write it back if it changed."""
    with app.locked():
        if component is not None:
            check_component(app, component)
        target = target_file(app, component, env)
        text, what = _read(target, app)
        new, changed = op(text, what)
        if changed and new != text:
            write_edit(target, text, new)
    return target, what, changed


def set_param(app: App, component: str | None, path: list[str], value: Any, *, env: str | None = None) -> Path:
    """component None = a global param (components/params.libsonnet ``global``, or the env's globals)."""
    value_text = to_jsonnet(value)
    pf = params_file
    if component is None:
        fn = pf.set_global if env is None else pf.set_top
        op = lambda text, what: (fn(text, path, value_text, what), True)  # noqa: E731
    else:
        fn = pf.set_component_param if env is None else pf.set_env_param
        op = lambda text, what: (fn(text, component, path, value_text, what), True)  # noqa: E731
    return _edit_params(app, component, env, op)[0]


def unset_param(app: App, component: str | None, path: list[str], *, env: str | None = None) -> Path:
    pf = params_file
    if component is None:
        fn = pf.unset_global if env is None else pf.unset_top
        op = lambda text, what: fn(text, path, what)  # noqa: E731
    else:
        fn = pf.unset_component_param if env is None else pf.unset_env_param
        op = lambda text, what: fn(text, component, path, what)  # noqa: E731
    target, what, changed = _edit_params(app, component, env, op)
    if not changed:
        where = f"component {component!r}" if component else "the globals"
        raise NotFoundError(f"{what}: {where} has no parameter {'.'.join(path)!r}"
                            + (f" set in environment {env!r}" if env else ""))
    return target
