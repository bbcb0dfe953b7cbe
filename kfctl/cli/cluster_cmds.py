"""kfctl apply | delete | prune | status, and the cluster side of kfctl diff ENV."""

from __future__ import annotations

import os
import sys
from typing import List, Optional

import typer

from kfctl.cli.state import STATE

ENGINE_HELP = "jsonnet engine: rjsonnet, gojsonnet or jsonnet."


def register(app: typer.Typer) -> None:
    app.command("apply")(apply)
    app.command("delete")(delete)
    app.command("prune")(prune)
    app.command("status")(status)


def parse_duration(text: str) -> float:
    import re

    from kfctl.errors import UsageError

    total, pos = 0.0, 0
    for m in re.finditer(r"(\d+(?:\.\d+)?)(ms|h|m|s)", text):
        if m.start() != pos:
            break
        total += float(m.group(1)) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[m.group(2)]
        pos = m.end()
    if pos != len(text) or not text:
        if re.fullmatch(r"\d+(\.\d+)?", text or ""):
            return float(text)
        raise UsageError(f"invalid duration {text!r}: use e.g. 30s, 5m, 1h30m")
    return total


def confirm(kube, verb: str, yes: bool) -> None:
    """Banner, then a typed 'yes' on a TTY unless --yes / KFCTL_YES=1; refuse without a TTY."""
    from kfctl.errors import KfctlError
    from kfctl.output import console

    t = kube.target
    console.stderr().print(
        f"[bold]{verb} namespace {t.namespace} of cluster {t.cluster or '-'} (server {t.server})"
        f" using context {t.context or '-'}[/bold]", highlight=False)
    if yes or os.environ.get("KFCTL_YES") == "1":
        return
    if not sys.stdin.isatty():
        raise KfctlError("refusing to change the cluster without confirmation: stdin is not a terminal",
                         hint="pass --yes (or set KFCTL_YES=1) in scripts")
    answer = input("Type 'yes' to continue: ")
    if answer.strip() != "yes":
        raise KfctlError("aborted: you did not type 'yes'")


def _render(app, env, components, engine):
    from kfctl.render.pipeline import render_env

    return render_env(app, env, components=components or None, engine=engine)


def _connect(env, context, kubeconfig):
    from kfctl.kube.client import connect

    return connect(env, context=context, kubeconfig=kubeconfig)


def _print_results(report, as_json: bool, extra: dict | None = None) -> None:
    from kfctl.output.console import stderr, write
    from kfctl.output.formats import dump_json, format_table

    if as_json:
        write(dump_json({"dryRun": report.dry_run, "namespaceCreated": report.namespace_created,
                         "summary": report.counts(), "ok": report.ok, **(extra or {}),
                         "objects": [{"component": r.component, "apiVersion": r.api_version, "kind": r.kind,
                                      "namespace": r.namespace, "name": r.name, "action": r.action,
                                      "error": r.error} for r in report.results]}))
        return
    rows = [[r.component, r.kind, r.namespace or "", r.name, r.action + (" (dry run)" if report.dry_run else "")]
            for r in report.results]
    write(format_table(["component", "kind", "namespace", "name", "result"], rows))
    for r in report.results:
        if r.error and r.action == "failed":
            stderr().print(f"[red]error:[/red] {r.error}", highlight=False, markup=True)
    c = report.counts()
    parts = [f"{n} {k}" for k, n in sorted(c.items())]
    stderr().print(("Dry run: " if report.dry_run else "") + ", ".join(parts or ["nothing to do"]), highlight=False)


def apply(
    env: Optional[str] = typer.Argument(None, help="Environment (default: the current env)."),
    component: List[str] = typer.Option([], "--component", "-c", help="Only these components (repeatable)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Server-side dry run: change nothing."),
    force_conflicts: bool = typer.Option(False, "--force-conflicts", help="Take ownership of fields other managers own."),
    prune_: bool = typer.Option(False, "--prune", help="Also delete objects this app/env created before and no longer renders."),
    wait: bool = typer.Option(False, "--wait", help="Wait until workloads, CRDs, PVCs and load balancers are ready."),
    timeout: str = typer.Option("5m", "--timeout", help="How long --wait waits, e.g. 90s, 5m."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation (also KFCTL_YES=1)."),
    output: str = typer.Option("table", "--output", "-o", help="table or json."),
    context: Optional[str] = typer.Option(None, "--context", help="Use this kube context instead of the env's."),
    kubeconfig: Optional[str] = typer.Option(None, "--kubeconfig", help="kubeconfig file."),
    engine: Optional[str] = typer.Option(None, "--engine", help=ENGINE_HELP),
) -> None:
    """Server-side apply an environment to its cluster (or export it to its GitOps directory).

    Example: kfctl apply prd --wait --timeout 10m
    """
    from kfctl.errors import KfctlError, UsageError

    if output not in ("table", "json"):
        raise UsageError(f"unknown output format {output!r}: use table or json")
    seconds = parse_duration(timeout)
    app = STATE.app()
    e = app.resolve_env(env)
    from kfctl.gitops.deploy import apply_env as gitops_apply, is_gitops_env

    if is_gitops_env(e) and not e.server:
        gitops_apply(app, e, components=component or None, engine=engine)
        return
    render = _render(app, e, component, engine)
    kube = _connect(e, context, kubeconfig)
    from kfctl.kube.apply import apply_render
    from kfctl.output import console

    confirm(kube, "Dry run against" if dry_run else "Applying to", yes or dry_run)
    with _progress(len(render.objects), "applying") as advance:
        report, disco = apply_render(kube, render, dry_run=dry_run, force_conflicts=force_conflicts,
                                     on_result=advance)
    if report.namespace_created:
        console.info(f"{'Would create' if dry_run else 'Created'} namespace {report.namespace_created}")
    if prune_ and report.ok:
        # prune compares with the whole env's render (a -c subset would make every other component's
        # objects look orphaned) and, with -c, deletes only orphans of those components (as qbec's --gc)
        full = _render(app, e, [], engine) if component else render
        _do_prune(kube, disco, full, dry_run=dry_run, report=report, components=component)
    waited = None
    if wait and not dry_run and report.ok:
        waited = _wait(kube, disco, report, seconds)
    _print_results(report, output == "json",
                   extra={"notReady": [{"object": w.result.ref, "reason": w.reason} for w in waited if not w.ready]}
                   if waited is not None else None)
    if report.fatal:
        raise KfctlError(report.fatal)
    if not report.ok:
        raise KfctlError(f"{len(report.failed)} of {len(report.results)} objects failed; see the errors above")
    if waited is not None and any(not w.ready for w in waited):
        from kfctl.output.console import stderr

        for w in waited:
            if not w.ready:
                stderr().print(f"[yellow]not ready:[/yellow] {w.result.component}/{w.result.ref}: {w.reason}",
                               highlight=False)
        raise KfctlError(f"{sum(not w.ready for w in waited)} objects not ready after {timeout}")


def _progress(total: int, what: str):
    """A rich progress bar on a terminal (stderr); a no-op callback otherwise."""
    import contextlib

    from kfctl.output.console import color_enabled, stderr

    if not color_enabled(sys.stderr) or total < 2:
        return contextlib.nullcontext(lambda _result=None: None)

    @contextlib.contextmanager
    def bar():
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=stderr(), transient=True) as progress:
            task = progress.add_task(what, total=total)
            yield lambda _result=None: progress.advance(task)

    return bar()


def _wait(kube, disco, report, seconds):
    from kfctl.kube.wait import wait_ready
    from kfctl.output.console import color_enabled, stderr

    if not color_enabled(sys.stderr):
        return wait_ready(kube, disco, report.results, timeout=seconds)
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=stderr(), transient=True) as progress:
        task = progress.add_task("waiting for readiness", total=None)

        def update(items):
            done = sum(it.ready for it in items)
            pending = [it for it in items if not it.ready]
            desc = f"waiting: {pending[0].result.ref} ({pending[0].reason})" if pending else "all ready"
            progress.update(task, total=len(items), completed=done, description=desc)

        return wait_ready(kube, disco, report.results, timeout=seconds, on_update=update)


def _do_prune(kube, disco, render, *, dry_run: bool, report=None, components=None):
    from kfctl.kube.apply import ObjectResult, Report
    from kfctl.kube.prune import delete_object, prune_candidates
    from kfctl.output import console

    cands = prune_candidates(kube, disco, render)
    if components:
        cands = [c for c in cands if c.component in components]
    report = report if report is not None else Report(dry_run=dry_run)
    if not cands:
        console.info("Nothing to prune")
        return report, cands
    console.info(f"{'Would prune' if dry_run else 'Pruning'} {len(cands)} object(s):")
    for c in cands:
        console.info(f"  - {c.component}/{c.ref}")
    for c in cands:
        m = c.obj.get("metadata") or {}
        err = delete_object(kube, c.resource, c.obj, dry_run=dry_run)
        report.results.append(ObjectResult(c.component, c.obj.get("kind", ""), m.get("namespace"), m.get("name", ""),
                                           "failed" if err else "pruned", err, c.resource.api_version))
    return report, cands


def prune(
    env: Optional[str] = typer.Argument(None, help="Environment (default: the current env)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Only list what would be deleted."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation (also KFCTL_YES=1)."),
    output: str = typer.Option("table", "--output", "-o", help="table or json."),
    context: Optional[str] = typer.Option(None, "--context", help="Use this kube context instead of the env's."),
    kubeconfig: Optional[str] = typer.Option(None, "--kubeconfig", help="kubeconfig file."),
    engine: Optional[str] = typer.Option(None, "--engine", help=ENGINE_HELP),
) -> None:
    """Delete objects this app/env created before and no longer renders (never anything else).

    Example: kfctl prune prd --dry-run
    """
    from kfctl.errors import KfctlError
    from kfctl.kube.discovery import Discovery

    app = STATE.app()
    e = app.resolve_env(env)
    render = _render(app, e, [], engine)
    kube = _connect(e, context, kubeconfig)
    disco = Discovery(kube)
    if not dry_run:
        from kfctl.kube.prune import prune_candidates
        from kfctl.output import console

        cands = prune_candidates(kube, disco, render)
        if not cands:
            console.info("Nothing to prune")
            return
        console.info(f"Would prune {len(cands)} object(s):")
        for c in cands:
            console.info(f"  - {c.component}/{c.ref}")
        confirm(kube, "Pruning in", yes)
    report, _ = _do_prune(kube, disco, render, dry_run=dry_run)
    _print_results(report, output == "json")
    if not report.ok:
        raise KfctlError(f"{len(report.failed)} objects could not be pruned")


def delete(
    env: Optional[str] = typer.Argument(None, help="Environment (default: the current env)."),
    component: List[str] = typer.Option([], "--component", "-c", help="Only these components (repeatable)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Server-side dry run: delete nothing."),
    wait: bool = typer.Option(False, "--wait", help="Wait until the objects are gone."),
    timeout: str = typer.Option("5m", "--timeout", help="How long --wait waits."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation (also KFCTL_YES=1)."),
    output: str = typer.Option("table", "--output", "-o", help="table or json."),
    context: Optional[str] = typer.Option(None, "--context", help="Use this kube context instead of the env's."),
    kubeconfig: Optional[str] = typer.Option(None, "--kubeconfig", help="kubeconfig file."),
    engine: Optional[str] = typer.Option(None, "--engine", help=ENGINE_HELP),
) -> None:
    """Delete an environment's objects from its cluster, in reverse order; only what this app/env owns.

    Example: kfctl delete dev -c train --yes
    """
    from kfctl.errors import KfctlError
    from kfctl.kube.delete import delete_render

    app = STATE.app()
    e = app.resolve_env(env)
    render = _render(app, e, component, engine)
    kube = _connect(e, context, kubeconfig)
    confirm(kube, "Dry run of deleting from" if dry_run else "Deleting from", yes or dry_run)
    with _progress(len(render.objects), "deleting") as advance:
        report = delete_render(kube, render, dry_run=dry_run, wait=wait, timeout=parse_duration(timeout),
                               on_result=advance)
    if not component and not dry_run and report.ok:
        from kfctl.kube.state import delete_state

        delete_state(kube, render.app, render.env, render.namespace)  # nothing of this env is left to track
    _print_results(report, output == "json")
    if not report.ok:
        raise KfctlError(f"{len(report.failed)} objects could not be deleted; see the errors above")


def status(
    env: Optional[str] = typer.Argument(None, help="Environment (default: the current env)."),
    component: List[str] = typer.Option([], "--component", "-c", help="Only these components (repeatable)."),
    output: str = typer.Option("tree", "--output", "-o", help="tree or json."),
    context: Optional[str] = typer.Option(None, "--context", help="Use this kube context instead of the env's."),
    kubeconfig: Optional[str] = typer.Option(None, "--kubeconfig", help="kubeconfig file."),
    engine: Optional[str] = typer.Option(None, "--engine", help=ENGINE_HELP),
) -> None:
    """Show each component's objects with their live state: missing, out of sync, ready, not ready.

    Example: kfctl status prd -o json
    """
    from kfctl.kube.status import status_of
    from kfctl.output.console import stdout, write
    from kfctl.output.formats import dump_json

    app = STATE.app()
    e = app.resolve_env(env)
    render = _render(app, e, component, engine)
    kube = _connect(e, None if not context else context, kubeconfig)
    states = status_of(kube, render)
    if output == "json":
        write(dump_json({"env": e.name, "objects": [s.__dict__ for s in states]}))
    else:
        from rich.tree import Tree

        colors = {"ready": "green", "not-ready": "yellow", "missing": "red", "out-of-sync": "yellow",
                  "unknown-kind": "red", "error": "red"}
        tree = Tree(f"{app.name}/{e.name} ({kube.target.server}, namespace {e.namespace})")
        for comp in sorted({s.component for s in states}):
            branch = tree.add(comp)
            for s in (x for x in states if x.component == comp):
                branch.add(f"{s.kind} {s.namespace + '/' if s.namespace else ''}{s.name}: "
                           f"[{colors.get(s.state, '')}]{s.state}[/] {s.reason}")
        stdout().print(tree)
    bad = [s for s in states if s.state != "ready"]
    raise typer.Exit(1 if bad else 0)


def diff_env(app, env, *, components=None, engine=None, show_secrets=False, prune=False, summary=False,
             as_json=False, context=None, kubeconfig=None) -> bool:
    """kfctl diff ENV: against its GitOps directory, or its cluster (server-side dry-run apply)."""
    from kfctl.gitops.deploy import diff_env as gitops_diff, is_gitops_env

    if is_gitops_env(env) and not env.server:
        return gitops_diff(app, env, components=components, engine=engine, show_secrets=show_secrets,
                           summary=summary, as_json=as_json)
    from kfctl.errors import KfctlError
    from kfctl.kube.diff import diff_render
    from kfctl.output.console import info, stderr, write
    from kfctl.output.diffs import print_diff
    from kfctl.output.formats import dump_json

    render = _render(app, env, components, engine)
    kube = _connect(env, context, kubeconfig)
    result = diff_render(kube, render, show_secrets=show_secrets, prune=prune)
    c = result.counts()
    if as_json:
        write(dump_json({"env": env.name, "server": kube.target.server, "summary": c, "errors": result.errors,
                         "objects": [{"status": e.status, "object": e.ref, "diff": e.text} for e in result.entries]}))
    else:
        if not summary:
            for e in result.entries:
                print_diff(e.text)
        line = (f"{env.name} vs {kube.target.server}: {c['added']} to add, {c['changed']} to change, "
                f"{c['removed']} to prune, {c['unchanged']} unchanged")
        write(line) if summary else info(line)
        for err in result.errors:
            stderr().print(f"[red]error:[/red] {err}", highlight=False)
    if result.errors:
        raise KfctlError(f"{len(result.errors)} objects could not be diffed", exit_code=2)
    return bool(result.entries)
