"""kfctl prototype list | describe | search | preview | use, and kfctl generate."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from kfctl.cli.state import ENGINE_HELP, OUTPUT_HELP, STATE
from kfctl.output.formats import ListFormat

proto_app = typer.Typer(help="Browse prototypes: the templates components are generated from.\n\n"
                        "Example: kfctl prototype describe deployed-service", no_args_is_help=True)

_DYNAMIC = {"allow_extra_args": True, "ignore_unknown_options": True}


def register(app: typer.Typer) -> None:
    app.add_typer(proto_app, name="prototype")
    app.command("generate", context_settings=_DYNAMIC)(generate)
    proto_app.command("use", context_settings=_DYNAMIC)(generate)


def _app_if_any():
    """The app when the command runs inside an app (or --app is given), else None.
    An app that exists but is broken (malformed app.yaml) is an error, not "no app"."""
    if STATE.app_dir is None:
        from kfctl.app.app import find_app_root
        from kfctl.errors import AppError

        try:
            find_app_root()
        except AppError:
            return None
    return STATE.app()


def _app_root_if_any():
    app = _app_if_any()
    return app.root if app is not None else None


def _package(p) -> str:
    return p.source if p.source not in ("builtin", "app") else ""


def _records(protos) -> list[dict]:
    return [{"name": p.name, "description": p.short_description, "source": p.source,
             "package": _package(p) or None, "installed": p.installed} for p in protos]


def _emit(protos, output) -> None:
    from kfctl.output.formats import emit_listing

    rows = [[p.name, _package(p) or f"({p.source})", "*" if p.installed else "", p.short_description]
            for p in protos]
    emit_listing("prototypes", ["name", "package", "installed", "description"], rows, output,
                 records=_records(protos))


@proto_app.command("list")
def list_(output: ListFormat = typer.Option(ListFormat.table, "--output", "-o", help=OUTPUT_HELP)) -> None:
    """List the prototypes: built-in, the app's own, installed packages', and those the app's
    registries offer in packages not installed yet (INSTALLED blank; 'kfctl generate' installs them).

    Example: kfctl prototype list -o json
    """
    from kfctl.ops.prototypes import list_prototypes

    _emit(list_prototypes(_app_if_any()), output)


@proto_app.command("search")
def search(query: str = typer.Argument(..., help="Text to look for in names, descriptions and package names."),
           output: ListFormat = typer.Option(ListFormat.table, "--output", "-o", help=OUTPUT_HELP)) -> None:
    """Find prototypes whose name, description or package contains QUERY (installed or not).

    Example: kfctl prototype search service
    """
    from kfctl.ops.prototypes import search_prototypes

    _emit(search_prototypes(_app_if_any(), query), output)


@proto_app.command("describe")
def describe(name: str = typer.Argument(..., help="Prototype name, unique suffix, or REGISTRY/PACKAGE/PROTOTYPE."),
             output: Optional[ListFormat] = typer.Option(None, "--output", "-o", help="json or yaml for scripts.")) -> None:
    """Show a prototype's description and parameters (also of packages not installed yet).

    Example: kfctl prototype describe tf-job
    """
    from kfctl.ops.prototypes import describe_prototype
    from kfctl.output.console import write
    from kfctl.output.formats import dump_json, dump_yaml

    d = describe_prototype(_app_if_any(), name)
    p = d.prototype
    if output in (ListFormat.json, ListFormat.yaml):
        data = {"name": p.name, "description": p.description, "shortDescription": p.short_description,
                "source": p.source, "package": d.package, "installed": d.installed, "path": str(p.path),
                "params": [{"name": x.name, "type": x.type, "description": x.description, "required": x.required,
                            "default": x.default, "aliases": list(x.aliases)} for x in p.params]}
        write(dump_json(data) if output is ListFormat.json else dump_yaml(data))
        return

    def block(params, optional):
        if not params:
            return "  [none]\n"
        flags = [f"--{x.name}=<{x.name}>" for x in params]
        width = max(len(f) for f in flags) + 1
        out = ""
        for f, x in zip(flags, params):
            meta = f"[default: {x.default}, type: {x.type}]" if optional else f"[type: {x.type}]"
            out += f"  {f.ljust(width)}{x.description} {meta}\n"
        return out

    req = [x for x in p.params if x.required]
    opt = [x for x in p.params if not x.required]
    aliases = [(f"--{a}", x.name) for x in p.params for a in x.aliases]
    alias_block = ""
    if aliases:
        width = max(len(a) for a, _ in aliases) + 1
        alias_block = "PARAMETER ALIASES (ks 0.13's names):\n" + "".join(
            f"  {a.ljust(width)}= --{n}\n" for a, n in aliases) + "\n"
    source = f"  {p.source} ({p.path})\n"
    if not d.installed:
        source += (f"  not installed: 'kfctl generate {p.short_name} COMPONENT' installs {d.package} "
                   f"(or run 'kfctl pkg install {d.package}')\n")
    write(f"PROTOTYPE NAME:\n{p.name}\n\nDESCRIPTION:\n{p.description}\n\n"
          f"REQUIRED PARAMETERS:\n{block(req, False)}\nOPTIONAL PARAMETERS:\n{block(opt, True)}\n{alias_block}"
          f"TEMPLATE TYPES AVAILABLE:\n  [jsonnet]\n\nSOURCE:\n{source}")


@proto_app.command("preview", context_settings=_DYNAMIC)
def preview(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Prototype name or unique suffix."),
    output: str = typer.Option("yaml", "--output", "-o", help="yaml, json, or jsonnet (the component source)."),
    namespace: str = typer.Option("default", "--namespace", "-n", help="Namespace to render into."),
    values_file: Optional[Path] = typer.Option(None, "--values-file", help="JSON/YAML/jsonnet object of param values."),
    engine: Optional[str] = typer.Option(None, "--engine", help=ENGINE_HELP),
) -> None:
    """Render a prototype with --PARAM values, without touching the app.

    Example: kfctl prototype preview deployed-service --name web --image nginx:1.27
    """
    from kfctl.app.names import validate_namespace
    from kfctl.errors import UsageError
    from kfctl.ops.generate import preview as do_preview
    from kfctl.output.console import write
    from kfctl.output.formats import emit_objects

    validate_namespace(namespace)  # before looking at the app, as a usage error
    valid = output in ("yaml", "json")
    result = do_preview(_app_root_if_any(), name, list(ctx.args), values_file=values_file,
                        namespace=namespace, engine=engine, source_only=not valid)
    if output == "jsonnet":
        write(result.source)
        return
    if not valid:
        raise UsageError(f"unknown output format {output!r}: use yaml, json or jsonnet")
    from kfctl.output.console import warn

    for w in result.warnings:
        warn(w)
    emit_objects(result.objects, output)


def generate(
    ctx: typer.Context,
    prototype: str = typer.Argument(..., help="Prototype name or unique suffix (e.g. deployed-service, tf-job)."),
    component: str = typer.Argument(..., help="Name of the component to create."),
    values_file: Optional[Path] = typer.Option(None, "--values-file", help="JSON/YAML/jsonnet object of param values."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing component."),
) -> None:
    """Generate a component from a prototype: --PARAM VALUE for each parameter.

    Example: kfctl generate deployed-service web --image nginx:1.27 --replicas 2
    """
    from kfctl.ops.generate import generate as do_generate
    from kfctl.output import console

    app = STATE.app()
    result = do_generate(app, prototype, component, list(ctx.args), values_file=values_file, force=force)
    if result.installed is not None:
        console.success(result.installed.message(app.root))
        console.info(f"(package {result.installed.qualified} was installed because it provides {result.prototype.name})")
        for dep in result.dependencies:
            console.success(f"{dep.message(app.root)} (needed by {result.installed.qualified})")
    console.success(f"Wrote component {component!r} at {result.path.relative_to(app.root)} from {result.prototype.name}")
