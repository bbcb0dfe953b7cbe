"""kfctl prototype list | describe | search | preview | use, and kfctl generate."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from kfctl.cli.state import OUTPUT_HELP, STATE
from kfctl.output.formats import ListFormat

proto_app = typer.Typer(help="Browse prototypes: the templates components are generated from.\n\n"
                        "Example: kfctl prototype describe deployed-service", no_args_is_help=True)

_DYNAMIC = {"allow_extra_args": True, "ignore_unknown_options": True}


def register(app: typer.Typer) -> None:
    app.add_typer(proto_app, name="prototype")
    app.command("generate", context_settings=_DYNAMIC)(generate)
    proto_app.command("use", context_settings=_DYNAMIC)(generate)


def _app_root_if_any():
    """The app's root when the command runs inside an app (or --app is given), else None.
    An app that exists but is broken (malformed app.yaml) is an error, not "no app"."""
    if STATE.app_dir is None:
        from kfctl.app.app import find_app_root
        from kfctl.errors import AppError

        try:
            find_app_root()
        except AppError:
            return None
    return STATE.app().root


def _index():
    """Prototypes of the app when there is one (vendored + own), else the built-ins only."""
    from kfctl.registry.index import PrototypeIndex

    return PrototypeIndex(_app_root_if_any())


@proto_app.command("list")
def list_(output: ListFormat = typer.Option(ListFormat.table, "--output", "-o", help=OUTPUT_HELP)) -> None:
    """List the prototypes available to the app (built-in and installed packages).

    Example: kfctl prototype list -o json
    """
    from kfctl.output.formats import emit_listing

    protos = _index().all()
    rows = [[p.name, p.short_description] for p in protos]
    records = [{"name": p.name, "description": p.short_description, "source": p.source} for p in protos]
    emit_listing("prototypes", ["name", "description"], rows, output, records=records)


@proto_app.command("search")
def search(query: str = typer.Argument(..., help="Text to look for in names and descriptions."),
           output: ListFormat = typer.Option(ListFormat.table, "--output", "-o", help=OUTPUT_HELP)) -> None:
    """Find prototypes whose name or description contains QUERY.

    Example: kfctl prototype search service
    """
    from kfctl.output.formats import emit_listing

    protos = _index().search(query)
    emit_listing("prototypes", ["name", "description"], [[p.name, p.short_description] for p in protos], output)


@proto_app.command("describe")
def describe(name: str = typer.Argument(..., help="Prototype name or unique suffix."),
             output: Optional[ListFormat] = typer.Option(None, "--output", "-o", help="json or yaml for scripts.")) -> None:
    """Show a prototype's description and parameters.

    Example: kfctl prototype describe tf-job
    """
    from kfctl.output.console import write
    from kfctl.output.formats import dump_json, dump_yaml

    p = _index().find(name)
    if output in (ListFormat.json, ListFormat.yaml):
        data = {"name": p.name, "description": p.description, "shortDescription": p.short_description,
                "source": p.source, "path": str(p.path),
                "params": [{"name": x.name, "type": x.type, "description": x.description, "required": x.required,
                            "default": x.default} for x in p.params]}
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
    write(f"PROTOTYPE NAME:\n{p.name}\n\nDESCRIPTION:\n{p.description}\n\n"
          f"REQUIRED PARAMETERS:\n{block(req, False)}\nOPTIONAL PARAMETERS:\n{block(opt, True)}\n"
          f"TEMPLATE TYPES AVAILABLE:\n  [jsonnet]\n\nSOURCE:\n  {p.source} ({p.path})\n")


@proto_app.command("preview", context_settings=_DYNAMIC)
def preview(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Prototype name or unique suffix."),
    output: str = typer.Option("yaml", "--output", "-o", help="yaml, json, or jsonnet (the component source)."),
    namespace: str = typer.Option("default", "--namespace", "-n", help="Namespace to render into."),
    values_file: Optional[Path] = typer.Option(None, "--values-file", help="JSON/YAML/jsonnet object of param values."),
    engine: Optional[str] = typer.Option(None, "--engine", help="jsonnet engine: rjsonnet, gojsonnet or jsonnet."),
) -> None:
    """Render a prototype with --PARAM values, without touching the app.

    Example: kfctl prototype preview deployed-service --name web --image nginx:1.27
    """
    from kfctl.app.components import load_values_file, parse_param_args, quoted_params
    from kfctl.errors import UsageError
    from kfctl.output.console import write
    from kfctl.output.formats import emit_objects
    from kfctl.render.preview import PREVIEW_COMPONENT, preview_source, render_prototype

    from kfctl.app.names import validate_namespace

    validate_namespace(namespace)
    p = _index().find(name)
    given = parse_param_args(list(ctx.args))
    values = load_values_file(values_file) if values_file else {}
    component = given.get("name", PREVIEW_COMPONENT) if p.param("name") else PREVIEW_COMPONENT
    params = quoted_params(p, component, given, values)
    if output == "jsonnet":
        write(preview_source(p))
        return
    if output not in ("yaml", "json"):
        raise UsageError(f"unknown output format {output!r}: use yaml, json or jsonnet")
    objs = render_prototype(p, params, namespace=namespace, app_root=_app_root_if_any(), engine=engine)
    emit_objects(objs, output)


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
    from kfctl.app.components import generate as do_generate
    from kfctl.app.components import load_values_file, parse_param_args
    from kfctl.errors import NotFoundError
    from kfctl.output import console
    from kfctl.registry.index import PrototypeIndex

    app = STATE.app()
    given = parse_param_args(list(ctx.args))
    values = load_values_file(values_file) if values_file else {}
    index = PrototypeIndex(app.root)
    installed_note = None
    try:
        proto = index.find(prototype)
    except NotFoundError:
        from kfctl.registry.catalogue import find_package_for_prototype
        from kfctl.registry.packages import install_package

        found = find_package_for_prototype(app, prototype)
        if found is None:
            raise
        reg, pkg = found
        install_package(app, f"{reg}/{pkg}")
        installed_note = f"{reg}/{pkg}"
        app.reload()
        proto = PrototypeIndex(app.root).find(prototype)
    if installed_note:
        console.info(f"(package {installed_note} was installed because it provides {proto.name})")
    result = do_generate(app, proto, component, given, values=values, force=force)
    console.success(f"Wrote component {component!r} at {result.path.relative_to(app.root)} from {proto.name}")
