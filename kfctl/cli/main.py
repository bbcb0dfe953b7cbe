"""Entry point: the root typer app, global options, error handling.

Start-up is kept short (docs/performance.md): ``kfctl --version`` answers before typer is imported,
``kfctl --help`` from the copy of its last rendering when nothing it depends on changed (:mod:`kfctl.cli.helpcache`);
a command module is imported, and its commands turned into click commands, only when the command
line names one of them (the root group's commands are a lazy mapping: ``kfctl env list`` builds the
``env`` group alone); option values are coerced without pydantic (:mod:`kfctl.cli.coerce`).  Each
command imports what it needs (jsonnet engines, the kubernetes client, deepdiff) inside its function.
"""

from __future__ import annotations

import os
import sys

from kfctl import __version__

# Every top-level command -> (the module under kfctl.cli whose register(app) adds it, the first
# paragraph of its help: what `kfctl --help` lists, so the listing builds no command), in the order
# `kfctl --help` lists them (typer lists commands before groups).  tests/test_cli_startup.py checks
# the table against what the modules register.
COMMANDS = {
    'init': ('init_cmd', "Create an app repo in ksonnet's 0.3.0 layout with one environment."),
    "generate": ("prototype_cmds", "Generate a component from a prototype: --PARAM VALUE for each parameter."),
    'show': ('render_cmds', "Render an environment's objects (one jsonnet evaluation), sorted in apply order."),
    'diff': ('render_cmds', "Diff two environments' renders, or an environment against what is deployed."),
    "export": ("gitops_cmds", "Write the rendered objects of an environment to a directory, one YAML file per object."),
    'validate': ('gitops_cmds', "Check every rendered object against the Kubernetes schemas of the env's version, offline."),
    "images": ("images_cmds", "List every image an environment's render pulls, with the objects using each (or an air-gap list)."),
    "apply": ("cluster_cmds", "Server-side apply an environment to its cluster (or export it to its GitOps directory)."),
    'delete': ('cluster_cmds', "Delete an environment's objects from its cluster, in reverse order; only what this app/env owns."),
    "prune": ("cluster_cmds", "Delete objects this app/env created before and no longer renders (never anything else)."),
    'status': ('cluster_cmds', "Show each component's objects with their live state: missing, out of sync, ready, not ready."),
    "history": ("history_cmds", "The revisions of an environment on its cluster: one per apply or rollback, newest last."),
    "rollback": ("history_cmds", "Apply a recorded revision's objects again (server-side apply) and record that as a new revision."),
    "env": ("env_cmds", "Manage environments: where an app is deployed (cluster, namespace, platform)."),
    "prototype": ("prototype_cmds", "Browse prototypes: the templates components are generated from."),
    'component': ('component_cmds', "Manage the app's components."),
    "param": ("param_cmds", "Manage component parameters, per app and per environment."),
    "registry": ("registry_cmds", "Manage registries: where packages of prototypes come from."),
    "pkg": ("registry_cmds", "Install, list, describe, remove and verify packages vendored from registries."),
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

    from typer._click import Command
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
                self.built.update(module_commands(COMMANDS[name][0]))
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

    class Summary(Command):
        """What the root help lists of a command: its name and first paragraph, nothing built."""

        rich_help_panel = None

        def _never(self, *args, **kwargs):  # pragma: no cover - a summary is only listed
            raise NotImplementedError

        main = format_options = _main_shell_completion = _never

    class LazyGroup(TyperGroup):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.commands = LazyCommands()
            self.listing = False

        def list_commands(self, ctx):
            return list(self.commands.keys())  # names only: building them is get_command's job

        def get_command(self, ctx, name):
            if self.listing and name in COMMANDS and name not in self.commands.built:
                return Summary(name=name, help=COMMANDS[name][1])
            return super().get_command(ctx, name)

        def format_help(self, ctx, formatter):
            self.listing = True
            try:
                return super().format_help(ctx, formatter)
            finally:
                self.listing = False

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
    from kfctl.cli import helpcache

    if helpcache.wanted(args) and helpcache.serve():  # `kfctl --help` as typer printed it last time
        sys.exit(0)
    from kfctl.util import lazyimport

    # PyYAML's pure-Python reader compiles a large unicode pattern at import (~25 ms of every command);
    # kfctl reads YAML with the C loader, which never uses it: compiled on first use instead
    lazyimport.defer("yaml.reader", lambda: {"re": lazyimport.lazy_re()}, replace=True)
    from kfctl.cli.fastpath import match
    from kfctl.cli.state import STATE
    from kfctl.errors import KfctlError

    debug = os.environ.get("KFCTL_DEBUG") == "1"
    try:
        args = verbosity_args(args)
        fast = None if "_KFCTL_COMPLETE" in os.environ else match(args)
        if fast is not None:  # `kfctl show` / `kfctl env list` without typer (kfctl.cli.fastpath)
            fast()
        else:
            if helpcache.wanted(args):  # printed by typer, and kept for the next `kfctl --help`
                rc = helpcache.record(lambda: get_app()(args=args, standalone_mode=False, prog_name="kfctl"))
            else:
                rc = get_app()(args=args, standalone_mode=False, prog_name="kfctl")
            if isinstance(rc, int) and rc:
                sys.exit(rc)
    except KfctlError as exc:
        if debug or STATE.verbose:
            import traceback

            traceback.print_exc()
        _print_error(exc.message, exc.hint)
        sys.exit(exc.exit_code)
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
    except Exception as exc:  # typer's Exit/Abort, click usage errors and the unexpected
        typer = sys.modules.get("typer")
        if typer is not None and isinstance(exc, typer.Exit):
            sys.exit(exc.exit_code)
        if typer is not None and isinstance(exc, typer.Abort):
            _print_error("aborted", None)
            sys.exit(1)
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
