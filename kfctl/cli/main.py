"""Entry point: the root typer app, global options, error handling.

Only typer and light kfctl modules are imported at start-up; each command imports what it needs
(jsonnet engines, the kubernetes client, deepdiff) inside its function, so ``kfctl --help``
stays fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

import typer

from kfctl import __version__
from kfctl.cli.state import STATE

app = typer.Typer(
    name="kfctl",
    help="Deploy machine-learning platforms (Kubeflow and friends) to Kubernetes the ksonnet way.\n\n"
    "Example: kfctl init my-ml --server https://127.0.0.1:6443 --env dev",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kfctl {__version__}")
        raise typer.Exit(0)


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
    from kfctl.output import console

    STATE.app_dir = app_dir
    STATE.verbose = verbose
    STATE.color = False if no_color else None
    console.configure(color=STATE.color, verbose=verbose)
    _show_lower_layers(console)


def _show_lower_layers(console) -> None:
    """Messages of the layers below (``logging`` under ``kfctl``) and their long-step status go to the console."""
    import logging

    from kfctl.util.progress import set_status_display

    log = logging.getLogger("kfctl")
    if not any(getattr(h, "_kfctl_console", False) for h in log.handlers):
        handler = console.log_handler()
        handler._kfctl_console = True
        log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    set_status_display(console.status_display)


def _register() -> None:
    from kfctl.cli import commands

    commands.register(app)


_register()


def run(argv: list[str] | None = None) -> None:
    """Console-script entry: run the CLI, turning KfctlError into one line and an exit code."""
    from kfctl.errors import KfctlError

    debug = os.environ.get("KFCTL_DEBUG") == "1"
    try:
        argv = verbosity_args(sys.argv[1:] if argv is None else list(argv))
        rc = app(args=argv, standalone_mode=False, prog_name="kfctl")
        if isinstance(rc, int) and rc:
            sys.exit(rc)
    except KfctlError as exc:
        if debug or STATE.verbose:
            import traceback

            traceback.print_exc()
        _print_error(exc.message, exc.hint)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        _print_error("aborted", None)
        sys.exit(1)
    except KeyboardInterrupt:
        _print_error("interrupted", None)
        sys.exit(130)
    except BrokenPipeError:
        # `kfctl show | head`: the reader went away; not an error
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        sys.exit(0)
    except Exception as exc:  # click usage errors and the unexpected
        try:
            from typer._click.exceptions import ClickException  # typer >= 0.29 vendors click
        except ImportError:  # pragma: no cover
            from click.exceptions import ClickException

        if isinstance(exc, ClickException):
            # one line, like every other kfctl error: what is wrong and where to look
            ctx = getattr(exc, "ctx", None)
            path = ctx.command_path if ctx is not None else "kfctl"
            _print_error(exc.format_message().rstrip("."), f"see '{path} --help'")
            sys.exit(exc.exit_code)
        if debug or STATE.verbose:
            raise
        _print_error(f"internal error: {type(exc).__name__}: {exc}", "rerun with -v for the traceback and report it")
        sys.exit(3)
    sys.exit(0)


def verbosity_args(argv: list[str]) -> list[str]:
    """``-v`` is a counted flag (``-v``, ``-vv``); kubectl's ``-v N`` / ``-v=N`` (and ``--verbose N``,
    ``--verbose=N``, ``-vN``) before the command mean the same as N times ``-v``."""
    import re

    out: list[str] = []
    i = 0
    while i < len(argv):
        tok = argv[i]
        if not tok.startswith("-") or tok == "--":  # the command: its own arguments are its own
            out += argv[i:]
            break
        m = re.fullmatch(r"(?:-v|--verbose)(?:=|)(\d+)", tok)
        bad = re.fullmatch(r"(-v|--verbose)=(.*)", tok)
        if bad and not m:
            from kfctl.errors import UsageError

            raise UsageError(f"{bad.group(1)} takes a number (as kubectl's -v N) or is repeated (-vv), "
                             f"not {bad.group(2)!r}", hint="see 'kfctl --help'")
        if m:
            out += ["-v"] * int(m.group(1))
        elif tok in ("-v", "--verbose") and i + 1 < len(argv) and argv[i + 1].isdigit():
            out += ["-v"] * int(argv[i + 1])
            i += 1
        else:
            out.append(tok)
            if tok == "--app" and i + 1 < len(argv):
                out.append(argv[i + 1])
                i += 1
        i += 1
    return out


def _print_error(message: str, hint: str | None) -> None:
    from kfctl.output import console

    console.error(message + (f"; {hint}" if hint else ""))
