"""kfctl images: the images an environment's render pulls (for mirrors and air-gapped clusters)."""

from __future__ import annotations

from typing import List, Optional

import typer

from kfctl.cli.state import ENGINE_HELP, STATE


def register(app: typer.Typer) -> None:
    app.command("images")(images)


def images(
    env: Optional[str] = typer.Argument(None, help="Environment (default: the current env)."),
    all_envs: bool = typer.Option(False, "--all-envs", help="Every environment of the app."),
    component: List[str] = typer.Option([], "--component", "-c", help="Only these components (repeatable)."),
    output: str = typer.Option("table", "--output", "-o", help="table, json or yaml."),
    fmt: Optional[str] = typer.Option(None, "--format", help="A list for air-gap tools instead: plain (one image a "
                                      "line), hauler (a Hauler Images manifest) or zarf (a Zarf package's images)."),
    engine: Optional[str] = typer.Option(None, "--engine", help=ENGINE_HELP),
) -> None:
    """List every image an environment's render pulls, with the objects using each (or an air-gap list).

    Containers, init and ephemeral containers, and images named in configuration (KServe runtimes,
    Katib suggestions and metrics collectors, Argo's executor, training runtimes); with an image
    mirror, the name each is pulled under.

    Example: kfctl images --all-envs --format hauler > images.yaml
    """
    from kfctl.errors import UsageError
    from kfctl.ops.images import FORMATS
    from kfctl.ops.images import images as list_images
    from kfctl.output.console import write
    from kfctl.output.formats import dump_json, dump_yaml

    if output not in ("table", "json", "yaml"):
        raise UsageError(f"unknown output format {output!r}: use table, json or yaml")
    if fmt is not None and fmt not in FORMATS:
        raise UsageError(f"unknown list format {fmt!r}: use plain, hauler or zarf")
    if fmt is not None and output != "table":
        raise UsageError("--format and --output are exclusive: --format writes the list an air-gap tool reads")
    app = STATE.app()
    if all_envs and env:
        raise UsageError("give an environment or --all-envs, not both")
    if all_envs:
        envs = list(app.environments.values())
        if not envs:
            raise UsageError("the app has no environments", hint="add one with 'kfctl env add'")
    else:
        envs = [app.resolve_env(env)]
    report = list_images(app, envs, components=component or None, engine=engine)
    if fmt == "plain":
        write(report.plain())
    elif fmt == "hauler":
        write(dump_yaml(report.hauler()))
    elif fmt == "zarf":
        write(dump_yaml(report.zarf()))
    elif output == "json":
        write(dump_json(report.to_dict()))
    elif output == "yaml":
        write(dump_yaml(report.to_dict()))
    else:
        _table(report)


def _table(report) -> None:
    from kfctl.output import console
    from kfctl.output.formats import format_table

    many = len(report.envs) > 1
    mirrored = bool(report.mirrored_envs)
    rows = []
    for e in report.images:
        mirrors = sorted(set(e.mirrors.values()))
        first = True
        for i, u in enumerate(e.used_by):
            used = (f"{u.env}: " if many else "") + u.ref() + f" ({u.where})"
            row = [e.image if first else "", (", ".join(mirrors) if first else "")] if mirrored else \
                [e.image if first else ""]
            rows.append([*row, used])
            first = False
        for note in e.notes:
            rows.append(["", ""] + [f"note: {note}"] if mirrored else ["", f"note: {note}"])
    cols = ["image", "mirror", "used by"] if mirrored else ["image", "used by"]
    console.write(format_table(cols, rows))
    console.info(f"{len(report.images)} image(s) in env {', '.join(report.envs)}")
