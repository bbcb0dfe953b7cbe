"""kfctl param set | unset | list | diff."""

from __future__ import annotations

from typing import List, Optional

import typer

from kfctl.cli.state import ENGINE_HELP, OUTPUT_HELP, STATE
from kfctl.output.formats import ListFormat

param_app = typer.Typer(help="Manage component parameters, per app and per environment.\n\n"
                        "Example: kfctl param set train num_workers 5 --env prd", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(param_app, name="param")


def _split_args(args: list[str], global_: bool, env: Optional[str], verb: str, nvalue: int):
    """(component | None, key, value?) from positional args: COMPONENT KEY [VALUE] or --global KEY [VALUE]
    (ksonnet's 2-argument form with --env also sets an env global)."""
    from kfctl.errors import UsageError

    full = 2 + nvalue
    if global_:
        if len(args) != full - 1:
            raise UsageError(f"usage: kfctl param {verb} --global KEY{' VALUE' if nvalue else ''} [--env ENV]")
        return None, args[0], (args[1] if nvalue else None)
    if len(args) == full:
        return args[0], args[1], (args[2] if nvalue else None)
    if len(args) == full - 1 and env:
        return None, args[0], (args[1] if nvalue else None)
    raise UsageError(f"usage: kfctl param {verb} COMPONENT KEY{' VALUE' if nvalue else ''} [--env ENV] "
                     f"(or --global KEY{' VALUE' if nvalue else ''})")


@param_app.command("set")
def set_(
    args: List[str] = typer.Argument(..., help="COMPONENT KEY VALUE (or KEY VALUE with --global)."),
    env: Optional[str] = typer.Option(None, "--env", help="Set the value for this environment only."),
    global_: bool = typer.Option(False, "--global", help="Set a global param (every component)."),
    as_string: bool = typer.Option(False, "--as-string", help="Store VALUE as a string, never as number/bool/JSON."),
) -> None:
    """Set a parameter; the params file is edited in place (comments survive).

    Example: kfctl param set train num_workers 5 --env prd
    """
    from kfctl.ops.params import set_param
    from kfctl.output import console

    app = STATE.app()
    component, key, raw = _split_args(list(args), global_, env, "set", 1)
    r = set_param(app, component, key, raw, env=env, as_string=as_string)
    what = f"{component}.{r.key}" if component else f"global {r.key}"
    note = f"{r.type}; {r.hint}" if r.hint else r.type
    text = r.text
    if len(text) > 60:  # a 120 KB value is not echoed whole
        text, note = text[:57] + "...", f"{note}, {len(text)} characters"
    console.success(f"Set {what} = {text} ({note}) in {r.path.relative_to(app.root)}")
    if r.alias_of:
        console.info(f"({key} is ks 0.13's name for {r.alias_of})")


@param_app.command("unset")
def unset(
    args: List[str] = typer.Argument(..., help="COMPONENT KEY (or KEY with --global)."),
    env: Optional[str] = typer.Option(None, "--env", help="Remove the environment's override."),
    global_: bool = typer.Option(False, "--global", help="Remove a global param."),
) -> None:
    """Remove a parameter (ksonnet's 'param delete').

    Example: kfctl param unset train num_workers --env prd
    """
    from kfctl.ops.params import unset_param
    from kfctl.output import console

    app = STATE.app()
    component, key, _ = _split_args(list(args), global_, env, "unset", 0)
    path, stored = unset_param(app, component, key, env=env)
    console.success(f"Removed {component + '.' if component else 'global '}{stored} from {path.relative_to(app.root)}")


param_app.command("delete", hidden=True)(unset)


@param_app.command("list")
def list_(
    component: Optional[str] = typer.Argument(None, help="Only this component."),
    env: Optional[str] = typer.Option(None, "--env", help="Resolve values for this environment."),
    output: ListFormat = typer.Option(ListFormat.table, "--output", "-o", help=OUTPUT_HELP),
    engine: Optional[str] = typer.Option(None, "--engine", help=ENGINE_HELP),
) -> None:
    """List parameters with their values and where each value comes from.

    Example: kfctl param list train --env prd
    """
    from kfctl.ops.params import list_params
    from kfctl.app.values import display_value
    from kfctl.output.formats import emit_listing

    app = STATE.app()
    e = app.env(env) if env else None
    rows = list_params(app, e, component, engine=engine)
    emit_listing("params", ["component", "param", "value", "source"],
                 [[r.component, r.param, display_value(r.value), r.source] for r in rows], output,
                 records=[{"component": r.component, "param": r.param, "value": r.value, "source": r.source}
                          for r in rows])


@param_app.command("diff")
def diff(
    env1: str = typer.Argument(..., help="First environment."),
    env2: str = typer.Argument(..., help="Second environment."),
    component: Optional[str] = typer.Option(None, "--component", "-c", help="Only this component."),
    output: ListFormat = typer.Option(ListFormat.table, "--output", "-o", help=OUTPUT_HELP),
    engine: Optional[str] = typer.Option(None, "--engine", help=ENGINE_HELP),
) -> None:
    """Show parameters whose values differ between two environments.

    Example: kfctl param diff dev prd
    """
    from kfctl.ops.params import MISSING, diff_params
    from kfctl.app.values import display_value
    from kfctl.output.formats import emit_listing

    app = STATE.app()
    rows = diff_params(app, app.env(env1), app.env(env2), component, engine=engine)

    def cell(v):
        return "" if v is MISSING else display_value(v)

    emit_listing("paramDiff", ["component", "param", "env1", "env2"],
                 [[r.component, r.param, cell(r.left), cell(r.right)] for r in rows], output,
                 records=[{"component": r.component, "param": r.param, env1: None if r.left is MISSING else r.left,
                           env2: None if r.right is MISSING else r.right} for r in rows])
