"""kfctl apply | delete | prune | status (the workflows are in kfctl.ops.deploy; this module parses and prints)."""

from __future__ import annotations

from typing import List, Optional

import typer

from kfctl.cli.state import ENGINE_HELP, STATE


# options every cluster command shares
ENV = typer.Argument(None, help="Environment (default: the current env).")
COMPONENTS = typer.Option([], "--component", "-c", help="Only these components (repeatable).")
YES = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation (also KFCTL_YES=1).")
TABLE_OR_JSON = typer.Option("table", "--output", "-o", help="table or json.")
CONTEXT = typer.Option(None, "--context", help="Use this kube context instead of the env's.")
KUBECONFIG = typer.Option(None, "--kubeconfig", help="kubeconfig file.")
ENGINE = typer.Option(None, "--engine", help=ENGINE_HELP)
REQUEST_TIMEOUT = typer.Option("30s", "--request-timeout", metavar="DURATION",
                               help="Longest wait for one API call, retries included (0: no limit), e.g. 10s, 2m.")


def register(app: typer.Typer) -> None:
    app.command("apply")(apply)
    app.command("delete")(delete)
    app.command("prune")(prune)
    app.command("status")(status)


def apply(
    env: Optional[str] = ENV,
    component: List[str] = COMPONENTS,
    dry_run: bool = typer.Option(False, "--dry-run", help="Server-side dry run: change nothing."),
    force_conflicts: bool = typer.Option(False, "--force-conflicts", help="Take ownership of fields other managers own."),
    force_apply: bool = typer.Option(False, "--force-apply", help="Send every object, even those kfctl knows are unchanged."),
    qps: float = typer.Option(500.0, "--qps", help="At most this many requests per second (after --burst)."),
    burst: int = typer.Option(1000, "--burst", help="Requests that may go at once before --qps applies."),
    prune_: bool = typer.Option(False, "--prune", help="Also delete objects this app/env created before and no longer renders."),
    wait: bool = typer.Option(False, "--wait", help="Wait until workloads, CRDs, PVCs, load balancers and custom "
                                                    "resources (by their status conditions) are ready."),
    timeout: str = typer.Option("5m", "--timeout", help="How long apply waits for readiness gates (webhook "
                                                        "backends, CA bundles, APIServices) and --wait, e.g. 90s, 5m."),
    status_grace: str = typer.Option("15s", "--status-grace", metavar="DURATION",
                                     help="How long --wait gives an operator to write a custom resource's status."),
    yes: bool = YES,
    output: str = TABLE_OR_JSON,
    context: Optional[str] = CONTEXT,
    kubeconfig: Optional[str] = KUBECONFIG,
    engine: Optional[str] = ENGINE,
    request_timeout: str = REQUEST_TIMEOUT,
) -> None:
    """Server-side apply an environment to its cluster (or export it to its GitOps directory).

    Example: kfctl apply prd --wait --timeout 10m
    """
    from kfctl.cli import hot

    hot.apply(env, component, dry_run, force_conflicts, force_apply, qps, burst, prune_, wait, timeout, status_grace,
              yes, output, context, kubeconfig, engine, request_timeout)

def prune(
    env: Optional[str] = ENV,
    dry_run: bool = typer.Option(False, "--dry-run", help="Only list what would be deleted."),
    yes: bool = YES,
    output: str = TABLE_OR_JSON,
    context: Optional[str] = CONTEXT,
    kubeconfig: Optional[str] = KUBECONFIG,
    engine: Optional[str] = ENGINE,
    request_timeout: str = REQUEST_TIMEOUT,
) -> None:
    """Delete objects this app/env created before and no longer renders (never anything else).

    Example: kfctl prune prd --dry-run
    """
    from kfctl.cli import reports
    from kfctl.errors import KfctlError
    from kfctl.ops import deploy
    from kfctl.output import console

    from kfctl.util.duration import parse_request_timeout

    limit = parse_request_timeout(request_timeout, "prune")
    app = STATE.app()
    e = app.resolve_env(env)
    out = deploy.prune(app, e, dry_run=dry_run, context=context, kubeconfig=kubeconfig, engine=engine,
                       hooks=reports.hooks(yes), request_timeout=limit)
    for w in out.warnings:
        console.warn(w)
    if not out.confirmed:
        console.info("Nothing to prune")
        return
    reports.print_prune_list(out.pruned, "Would prune" if dry_run else "Pruning")
    reports.print_results(out.report, output == "json")
    if not out.report.ok:
        raise KfctlError(f"{len(out.report.failed)} objects could not be pruned")


def delete(
    env: Optional[str] = ENV,
    component: List[str] = COMPONENTS,
    dry_run: bool = typer.Option(False, "--dry-run", help="Server-side dry run: delete nothing."),
    wait: bool = typer.Option(False, "--wait", help="Wait until the objects are gone."),
    timeout: str = typer.Option("5m", "--timeout", help="How long --wait waits."),
    yes: bool = YES,
    output: str = TABLE_OR_JSON,
    context: Optional[str] = CONTEXT,
    kubeconfig: Optional[str] = KUBECONFIG,
    engine: Optional[str] = ENGINE,
    request_timeout: str = REQUEST_TIMEOUT,
) -> None:
    """Delete an environment's objects from its cluster, in reverse order; only what this app/env owns.

    Example: kfctl delete dev -c train --yes
    """
    from kfctl.cli import reports
    from kfctl.errors import KfctlError
    from kfctl.ops import deploy
    from kfctl.util.duration import parse_duration, parse_request_timeout

    seconds = parse_duration(timeout)
    limit = parse_request_timeout(request_timeout, "delete")
    app = STATE.app()
    e = app.resolve_env(env)
    report = deploy.delete(app, e, components=component, dry_run=dry_run, wait=wait, timeout=seconds,
                           context=context, kubeconfig=kubeconfig, engine=engine, hooks=reports.hooks(yes or dry_run),
                           request_timeout=limit)
    reports.print_results(report, output == "json")
    if not report.ok:
        raise KfctlError(f"{len(report.failed)} objects could not be deleted; see the errors above")


def status(
    env: Optional[str] = ENV,
    component: List[str] = COMPONENTS,
    output: str = typer.Option("tree", "--output", "-o", help="tree or json."),
    context: Optional[str] = CONTEXT,
    kubeconfig: Optional[str] = KUBECONFIG,
    engine: Optional[str] = ENGINE,
    request_timeout: str = REQUEST_TIMEOUT,
) -> None:
    """Show each component's objects with their live state: missing, out of sync, ready, not ready.

    Example: kfctl status prd -o json
    """
    from kfctl.ops import deploy
    from kfctl.output.console import stdout, write
    from kfctl.output.formats import dump_json
    from kfctl.util.duration import parse_request_timeout

    limit = parse_request_timeout(request_timeout, "status")
    app = STATE.app()
    e = app.resolve_env(env)
    st = deploy.status(app, e, components=component, context=context, kubeconfig=kubeconfig, engine=engine,
                       request_timeout=limit)
    if output == "json":
        write(dump_json({"env": st.env, "objects": [s.__dict__ for s in st.objects]}))
    else:
        from rich.tree import Tree

        colors = {"ready": "green", "not-ready": "yellow", "missing": "red", "out-of-sync": "yellow",
                  "unknown-kind": "red", "error": "red"}
        tree = Tree(f"{st.app}/{st.env} ({st.server}, namespace {st.namespace})")
        for comp in sorted({s.component for s in st.objects}):
            branch = tree.add(comp)
            for s in (x for x in st.objects if x.component == comp):
                branch.add(f"{s.kind} {s.namespace + '/' if s.namespace else ''}{s.name}: "
                           f"[{colors.get(s.state, '')}]{s.state}[/] {s.reason}")
        stdout().print(tree)
    raise typer.Exit(0 if st.all_ready else 1)
