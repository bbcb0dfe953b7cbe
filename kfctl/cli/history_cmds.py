"""kfctl history | rollback: the revisions each apply records on the cluster (kfctl.ops.history,
kfctl.ops.rollback); kfctl diff --revision is in render_cmds."""

from __future__ import annotations

from typing import Optional

import typer

from kfctl.cli.cluster_cmds import CONTEXT, ENV, KUBECONFIG, REQUEST_TIMEOUT, YES
from kfctl.cli.state import STATE


def register(app: typer.Typer) -> None:
    app.command("history")(history)
    app.command("rollback")(rollback)


def _changes(counts: dict) -> str:
    parts = [f"{counts[k]} {k}" for k in ("created", "configured", "pruned", "failed") if counts.get(k)]
    return ", ".join(parts) or ("no changes" if counts else "-")


def history(
    env: Optional[str] = ENV,
    output: str = typer.Option("table", "--output", "-o", help="table, json or yaml."),
    context: Optional[str] = CONTEXT,
    kubeconfig: Optional[str] = KUBECONFIG,
    request_timeout: str = REQUEST_TIMEOUT,
) -> None:
    """The revisions of an environment on its cluster: one per apply or rollback, newest last.

    Example: kfctl history prd -o json
    """
    from kfctl.errors import UsageError
    from kfctl.ops.history import history as load_history
    from kfctl.output import console
    from kfctl.output.formats import dump_json, dump_yaml, format_table

    if output not in ("table", "json", "yaml"):
        raise UsageError(f"unknown output format {output!r}: use table, json or yaml")
    app = STATE.app()
    from kfctl.util.duration import parse_request_timeout

    h = load_history(app, app.resolve_env(env), context=context, kubeconfig=kubeconfig,
                     request_timeout=parse_request_timeout(request_timeout, "history"))
    if output != "table":
        console.write(dump_json(h.to_dict()) if output == "json" else dump_yaml(h.to_dict()))
        return
    if not h.revisions:
        console.info(f"env {h.env} has no revisions on {h.server} (namespace {h.namespace}) yet")
        return
    rows = []
    for r in h.revisions:
        commit = (r.commit[:12] + ("-dirty" if r.dirty else "")) if r.commit else "-"
        what = f"rollback to {r.rollback_of}" if r.rollback_of else ""
        if r.outcome != "succeeded" and r.reason:
            what = f"{what}; {r.reason}" if what else r.reason
        rows.append([r.number, r.started, r.user or "-", commit, r.outcome, _changes(r.counts), what])
    console.write(format_table(["revision", "time", "user", "commit", "outcome", "changes", "description"], rows))


def rollback(
    env: Optional[str] = ENV,
    revision: Optional[int] = typer.Argument(None, metavar="[REV]", help="Revision (default: the last succeeded "
                                             "one before the latest)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show the diff and server-side dry-run it; change nothing."),
    prune_: bool = typer.Option(False, "--prune", help="Also delete what this app/env owns and the revision lacks."),
    wait: bool = typer.Option(False, "--wait", help="Wait until workloads, CRDs, PVCs and load balancers are ready."),
    timeout: str = typer.Option("5m", "--timeout", help="How long --wait waits, e.g. 90s, 5m."),
    force_conflicts: bool = typer.Option(False, "--force-conflicts", help="Take ownership of fields other managers own."),
    yes: bool = YES,
    output: str = typer.Option("table", "--output", "-o", help="table or json."),
    context: Optional[str] = CONTEXT,
    kubeconfig: Optional[str] = KUBECONFIG,
    request_timeout: str = REQUEST_TIMEOUT,
) -> None:
    """Apply a recorded revision's objects again (server-side apply) and record that as a new revision.

    Shows what changes first; refuses when a CRD installed after the revision would be downgraded
    (or, with --prune, removed).

    Example: kfctl rollback prd 3 --prune --wait
    """
    from kfctl.cli import reports
    from kfctl.errors import KfctlError, UsageError
    from kfctl.ops.rollback import rollback as do_rollback
    from kfctl.output import console
    from kfctl.util.duration import parse_duration, parse_request_timeout

    if output not in ("table", "json"):
        raise UsageError(f"unknown output format {output!r}: use table or json")
    seconds = parse_duration(timeout)
    app = STATE.app()
    e = app.resolve_env(env)
    base = reports.hooks(yes or dry_run)
    from dataclasses import replace

    hooks = replace(base, review=lambda out: _review(out, e.name)) if output == "table" else base
    out = do_rollback(app, e, revision, dry_run=dry_run, prune=prune_, wait=wait, timeout=seconds,
                      force_conflicts=force_conflicts, context=context, kubeconfig=kubeconfig, hooks=hooks,
                      request_timeout=parse_request_timeout(request_timeout, "rollback"))
    for w in out.warnings:
        console.warn(w)
    if out.pruned is not None:
        reports.print_prune_list(out.pruned, "Would prune" if dry_run else "Pruning")
    extra = {"rollbackTo": out.target, "revision": out.revision,
             "diff": [{"status": d.status, "object": d.ref, "diff": d.text} for d in out.diff.entries]}
    reports.print_results(out.report, output == "json", extra=extra)
    report = out.report
    if report.fatal:
        raise KfctlError(report.fatal)
    if not report.ok:
        raise KfctlError(f"{len(report.failed)} of {len(report.results)} objects failed; see the errors above")
    if out.not_ready:
        raise KfctlError(f"{len(out.not_ready)} objects not ready after {timeout}")
    if not dry_run:
        console.success(f"Rolled back env {e.name} to revision {out.target} (recorded as revision {out.revision})")


def _review(out, env: str) -> None:
    """The diff a rollback applies, before it asks."""
    from kfctl.output.diffs import print_diff_report

    c = out.diff.counts()
    line = (f"{env}: rolling back to revision {out.target}: {c['added']} to add, {c['changed']} to change, "
            f"{c['removed']} to prune, {c['unchanged']} unchanged")
    print_diff_report([e.text for e in out.diff.entries], line, summary=False)
