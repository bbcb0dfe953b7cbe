"""kfctl component list | rm."""

from __future__ import annotations

import typer

from kfctl.cli.state import OUTPUT_HELP, STATE
from kfctl.output.formats import ListFormat

component_app = typer.Typer(help="Manage the app's components.\n\nExample: kfctl component list", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(component_app, name="component")


@component_app.command("list")
def list_(output: ListFormat = typer.Option(ListFormat.table, "--output", "-o", help=OUTPUT_HELP)) -> None:
    """List components.

    Example: kfctl component list -o json
    """
    from kfctl.app.components import list_components
    from kfctl.output.formats import emit_listing

    rows = list_components(STATE.app())
    emit_listing("components", ["component", "type", "prototype", "file"],
                 [[r["component"], r["type"], r["prototype"], r["file"]] for r in rows], output, records=rows)


@component_app.command("rm")
def rm(name: str = typer.Argument(..., help="Component to remove.")) -> None:
    """Remove a component and its parameters from every params file (the cluster is not touched).

    Example: kfctl component rm train
    """
    from kfctl.app.components import remove_component
    from kfctl.output import console

    changed = remove_component(STATE.app(), name)
    console.success(f"Removed component {name!r} ({', '.join(changed)})")
