"""The bodies of the hottest commands and of the root callback, in a module that does not import typer.

`kfctl show` and `kfctl env list` run from here both through typer (render_cmds.show, env_cmds.list_
call these) and through :mod:`kfctl.cli.fastpath`, which parses their plainest command lines without
importing typer (~55 ms of a ~150 ms start-up).
"""

from __future__ import annotations

from kfctl.cli.state import STATE


def setup(app_dir, verbose: int, no_color: bool) -> None:
    """What the root callback does with the global options."""
    from kfctl.output import console

    STATE.app_dir = app_dir
    STATE.verbose = verbose
    STATE.color = False if no_color else None
    console.configure(color=STATE.color, verbose=verbose)
    show_lower_layers(console)


def show_lower_layers(console) -> None:
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


def show(env, component, kind, name, output, show_secrets, engine) -> None:
    from kfctl.errors import UsageError
    from kfctl.ops.render import render
    from kfctl.output import console
    from kfctl.output.formats import emit_objects
    from kfctl.render.redact import redact

    if output not in ("yaml", "json"):
        raise UsageError(f"unknown output format {output!r}: use yaml or json")
    app = STATE.app()
    e = app.resolve_env(env)
    rendered = render(app, e, components=component, kinds=kind, names=name, engine=engine, warn=False)
    for w in rendered.warnings:
        console.warn(w)
    objs = [o.obj if show_secrets else redact(o.obj) for o in rendered.objects]
    emit_objects(objs, output)


def env_list(output) -> None:
    from kfctl.output.formats import emit_listing

    app = STATE.app()
    current = app.current_env_name
    cols = ["name", "current", "kubernetes-version", "namespace", "server", "context", "platform"]
    rows, records = [], []
    for env in app.environments.values():
        rows.append([env.name, "*" if env.name == current else "", env.k8s_version, env.namespace,
                     env.server or (f"dir:{env.gitops_dir}" if env.gitops_dir else ""), env.context or "",
                     env.platform or ""])
        rec = env.to_dict()
        rec["current"] = env.name == current
        rec["override"] = env.overridden
        records.append(rec)
    emit_listing("environments", cols, rows, output, records=records)
