"""Entry point: the root typer app, global options, error handling.

Start-up is kept short (docs/performance.md): ``kfctl --version`` answers before typer is imported;
a command module is imported, and its commands turned into click commands, only when the command
line names one of them (the root group's commands are a lazy mapping: ``kfctl env list`` builds the
``env`` group alone); option values are coerced without pydantic (:mod:`kfctl.cli.coerce`).  Each
command imports what it needs (jsonnet engines, the kubernetes client, deepdiff) inside its function.
"""

from __future__ import annotations

import os
import sys

from kfctl import __version__

# Every top-level command -> the module under kfctl.cli whose register(app) adds it, in the order
# `kfctl --help` lists them (typer lists commands before groups).  tests/test_cli_startup.py checks
# the table against what the modules register.
COMMANDS = {
    "init": "init_cmd",
    "generate": "prototype_cmds",
    "show": "render_cmds",
    "diff": "render_cmds",
    "export": "gitops_cmds",
    "validate": "gitops_cmds",
    "apply": "cluster_cmds",
    "delete": "cluster_cmds",
    "prune": "cluster_cmds",
    "status": "cluster_cmds",
    "env": "env_cmds",
    "prototype": "prototype_cmds",
    "component": "component_cmds",
    "param": "param_cmds",
    "registry": "registry_cmds",
    "pkg": "registry_cmds",
}
_app = None


def __getattr__(name: str):
    if name == "app":  # `from kfctl.cli.main import app`: the typer app, built on first use
        return get_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def module_commands(module_name: str) -> dict:
    """The click commands ``kfctl.cli.<module_name>.register`` adds, built by typer."""
    import importlib

    import typer
    import typer.main

    sub = typer.Typer()
    importlib.import_module(f"kfctl.cli.{module_name}").register(sub)
    return dict(typer.main.get_group(sub).commands)


def _lazy_group_class():
    from collections.abc import MutableMapping

    from typer.core import TyperGroup

    class LazyCommands(MutableMapping):
        """COMMANDS, each built (with the rest of its module) when first looked up."""

        def __init__(self):
            self.built: dict = {}
            self.names = dict.fromkeys(COMMANDS)

        def __getitem__(self, name):
            if name not in self.built:
                if name not in self.names:
                    raise KeyError(name)
                self.built.update(module_commands(COMMANDS[name]))
            return self.built[name]

        def __setitem__(self, name, cmd):
            self.names[name] = None
            self.built[name] = cmd

        def __delitem__(self, name):
            del self.names[name]
            self.built.pop(name, None)

        def __iter__(self):
            return iter(self.names)

        def __len__(self):
            return len(self.names)

    class LazyGroup(TyperGroup):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.commands = LazyCommands()

        def list_commands(self, ctx):
            return list(self.commands.keys())  # names only: building them is get_command's job

    return LazyGroup


def get_app():
    """The root typer app (built once)."""
    global _app
    if _app is None:
        _app = _build_app()
    return _app


def _build_app():
    from kfctl.cli import coerce, helpimport
    from kfctl.cli.root import build_app

    coerce.install()
    helpimport.install()
    return build_app(_lazy_group_class())


def run(argv: list[str] | None = None) -> None:
    """Console-script entry: run the CLI, turning KfctlError into one line and an exit code."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args == ["--version"] and "_KFCTL_COMPLETE" not in os.environ:  # before importing typer
        sys.stdout.write(f"kfctl {__version__}\n")
        sys.stdout.flush()
        sys.exit(0)
    import typer

    from kfctl.cli.state import STATE
    from kfctl.errors import KfctlError

    debug = os.environ.get("KFCTL_DEBUG") == "1"
    try:
        rc = get_app()(args=args, standalone_mode=False, prog_name="kfctl")
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


def _print_error(message: str, hint: str | None) -> None:
    from kfctl.output import console

    console.error(message + (f"; {hint}" if hint else ""))
