"""The bodies of the hottest commands and of the root callback, in a module that does not import typer.

`kfctl show`, `kfctl env list` and `kfctl apply` run from here both through typer (render_cmds.show,
env_cmds.list_, cluster_cmds.apply call these) and through :mod:`kfctl.cli.fastpath`, which parses
their plainest command lines without importing typer (~55 ms of a ~150 ms start-up).
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
    from kfctl.util.logs import when_used
    from kfctl.util.progress import set_status_display

    def configure(logging) -> None:  # (when a lower layer first logs: kfctl.util.logs)
        log = logging.getLogger("kfctl")
        if not any(getattr(h, "_kfctl_console", False) for h in log.handlers):
            handler = console.log_handler()
            handler._kfctl_console = True
            log.addHandler(handler)
        log.setLevel(logging.DEBUG)

    when_used(configure)
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


def apply(env, component, dry_run, force_conflicts, force_apply, qps, burst, prune_, wait, timeout, status_grace,
          yes, output, context, kubeconfig, engine, request_timeout) -> None:
    """``kfctl apply`` (its options: kfctl.cli.cluster_cmds.apply)."""
    from kfctl.cli import reports
    from kfctl.errors import KfctlError, UsageError
    from kfctl.ops import deploy
    from kfctl.output import console
    from kfctl.util.duration import parse_duration, parse_request_timeout

    if output not in ("table", "json"):
        raise UsageError(f"unknown output format {output!r}: use table or json")
    seconds = parse_duration(timeout)
    try:
        grace = parse_duration(status_grace)
    except UsageError as exc:
        raise UsageError(f"--status-grace: {exc.message}") from None
    limit = parse_request_timeout(request_timeout, "apply")
    if qps <= 0 or burst < 1:
        raise UsageError("--qps must be more than 0 and --burst at least 1")
    app = STATE.app()
    e = app.resolve_env(env)
    out = deploy.apply(app, e, components=component, dry_run=dry_run, force_conflicts=force_conflicts,
                       prune=prune_, wait=wait, timeout=seconds, context=context, kubeconfig=kubeconfig,
                       engine=engine, hooks=reports.hooks(yes or dry_run), request_timeout=limit,
                       force_apply=force_apply, qps=qps, burst=burst, status_grace=grace)
    if out.export is not None:
        console.info(out.export.summary())
        return
    report = out.report
    if report.namespace_created:
        console.info(f"{'Would create' if dry_run else 'Created'} namespace {report.namespace_created}")
    if out.pruned is not None:
        reports.print_prune_list(out.pruned, "Would prune" if dry_run else "Pruning")
    for w in out.warnings:
        console.warn(w)
    extra = {"revision": out.revision}
    if out.waited is not None:
        extra["notReady"] = [{"object": w.result.ref, "reason": w.reason} for w in out.not_ready]
    if out.revision is not None:
        console.info(f"Recorded revision {out.revision} (kfctl history {e.name})")
    reports.print_results(report, output == "json", extra=extra)
    if report.interrupted:
        raise reports.interrupted(report, out.total)
    if report.fatal:
        raise KfctlError(report.fatal)
    if report.failed:
        if report.state_error:
            console.error(report.state_error)
        raise KfctlError(f"{len(report.failed)} of {len(report.results)} objects failed; see the errors above")
    if report.state_error:
        raise KfctlError(report.state_error, hint="rerun the apply (prune still finds this env's objects of every kind)")
    if out.interrupted_wait:
        raise KfctlError("interrupted while waiting for readiness (everything was applied)", exit_code=130)
    if out.not_ready:
        for w in out.not_ready:
            console.stderr().print(f"[yellow]not ready:[/yellow] {w.result.component}/{w.result.ref}: {w.reason}",
                                   highlight=False)
        raise KfctlError(f"{len(out.not_ready)} objects not ready after {timeout}")

