"""The root typer app: kfctl's global options (its commands come from kfctl.cli.main.COMMANDS)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from kfctl import __version__


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kfctl {__version__}")
        raise typer.Exit(0)


def build_app(group_class) -> typer.Typer:
    app = typer.Typer(
        name="kfctl",
        help="Deploy machine-learning platforms (Kubeflow and friends) to Kubernetes the ksonnet way.\n\n"
        "Example: kfctl init my-ml --server https://127.0.0.1:6443 --env dev",
        no_args_is_help=True,
        context_settings={"help_option_names": ["-h", "--help"]},
        pretty_exceptions_enable=False,
        cls=group_class,
    )

    @app.callback()
    def root(
        app_dir: Optional[Path] = typer.Option(
            None, "--app", envvar="KFCTL_APP", help="App directory (default: find app.yaml upwards from the current directory).",
            show_default=False,
        ),
        verbose: int = typer.Option(0, "--verbose", "-v", count=True, metavar="", show_default=False,
                                    help="More output: -v, -vv (or kubectl's -v N); with errors, show the traceback."),
        no_color: bool = typer.Option(False, "--no-color", metavar="", help="Disable colour (NO_COLOR is respected too)."),
        version: Optional[bool] = typer.Option(None, "--version", callback=_version, is_eager=True, metavar="",
                                               help="Print the version and exit."),
    ) -> None:
        """Deploy machine-learning platforms (Kubeflow and friends) to Kubernetes the ksonnet way."""
        from kfctl.cli.hot import setup

        setup(app_dir, verbose, no_color)

    return app
