"""kfctl show, and kfctl diff (env vs env locally; env vs its cluster or GitOps directory)."""

from __future__ import annotations

from typing import List, Optional

import typer

from kfctl.cli.state import ENGINE_HELP, STATE


def register(app: typer.Typer) -> None:
    app.command("show")(show)
    app.command("diff")(diff)


def show(
    env: Optional[str] = typer.Argument(None, help="Environment (default: the current env)."),
    component: List[str] = typer.Option([], "--component", "-c", help="Only these components (repeatable)."),
    kind: List[str] = typer.Option([], "--kind", help="Only objects of these kinds (repeatable)."),
    name: List[str] = typer.Option([], "--name", help="Only objects with these names (repeatable)."),
    output: str = typer.Option("yaml", "--output", "-o", help="yaml or json."),
    show_secrets: bool = typer.Option(False, "--show-secrets", help="Print Secret values instead of redacting them."),
    engine: Optional[str] = typer.Option(None, "--engine", help=ENGINE_HELP),
) -> None:
    """Render an environment's objects (one jsonnet evaluation), sorted in apply order.

    Example: kfctl show dev -c train -o json
    """
    from kfctl.cli import hot

    hot.show(env, component, kind, name, output, show_secrets, engine)


def diff(
    envs: List[str] = typer.Argument(..., help="ENV (against its cluster or GitOps dir) or ENV1 ENV2 (two local renders)."),
    component: List[str] = typer.Option([], "--component", "-c", help="Only these components (repeatable)."),
    summary: bool = typer.Option(False, "--summary", help="Only counts of added, removed and changed objects."),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even when there are differences."),
    show_secrets: bool = typer.Option(False, "--show-secrets", help="Show Secret values instead of redacting them."),
    prune: bool = typer.Option(False, "--prune", help="Against a cluster: show prune candidates as deletions."),
    revision: List[int] = typer.Option([], "--revision", help="Against a cluster: what rolling back to revision N "
                                       "changes (live → N); twice: revision N → M (see 'kfctl history')."),
    output: str = typer.Option("text", "--output", "-o", help="text or json."),
    engine: Optional[str] = typer.Option(None, "--engine", help=ENGINE_HELP),
    context: Optional[str] = typer.Option(None, "--context", help="Against a cluster: use this kube context."),
    kubeconfig: Optional[str] = typer.Option(None, "--kubeconfig", help="Against a cluster: kubeconfig file."),
    request_timeout: str = typer.Option("30s", "--request-timeout", metavar="DURATION",
                                        help="Against a cluster: longest wait for one API call, retries included "
                                             "(0: no limit)."),
) -> None:
    """Diff two environments' renders, or an environment against what is deployed.

    Exit codes: 0 no differences, 1 differences, 2 or more an error.

    Example: kfctl diff dev prd --summary
    """
    from kfctl.errors import KfctlError

    try:
        if revision:
            changed = _diff_revisions(envs, revision, summary, show_secrets, prune, output, context, kubeconfig,
                                      request_timeout)
        else:
            changed = _diff(envs, component, summary, show_secrets, prune, output, engine, context, kubeconfig,
                            request_timeout)
    except KfctlError as exc:  # diff's exit 1 means "differences": errors are 2 or more
        exc.exit_code = max(exc.exit_code, 2)
        raise
    raise typer.Exit(1 if changed and not exit_zero else 0)


def _diff_revisions(envs, revision, summary, show_secrets, prune, output, context, kubeconfig,
                    request_timeout) -> bool:
    from kfctl.cli import reports
    from kfctl.errors import UsageError
    from kfctl.ops.deploy import DeployDiff
    from kfctl.ops.history import diff_revisions
    from kfctl.util.duration import parse_request_timeout

    if len(envs) != 1:
        raise UsageError("--revision compares one environment's revisions: kfctl diff ENV --revision N")
    if output not in ("text", "json"):
        raise UsageError(f"unknown output format {output!r}: use text or json")
    app = STATE.app()
    d = diff_revisions(app, app.env(envs[0]), revision, show_secrets=show_secrets, prune=prune, context=context,
                       kubeconfig=kubeconfig, request_timeout=parse_request_timeout(request_timeout, "diff"))
    if d.local is not None:
        reports.print_env_diff(d.local, summary=summary, as_json=output == "json")
        return d.changed
    return reports.print_deploy_diff(DeployDiff(f"revision {revision[0]}", cluster=d.cluster, server=d.server),
                                     summary=summary, as_json=output == "json")


def _diff(envs, component, summary, show_secrets, prune, output, engine, context, kubeconfig, request_timeout) -> bool:
    from kfctl.cli import reports
    from kfctl.errors import UsageError
    from kfctl.util.duration import parse_request_timeout

    limit = parse_request_timeout(request_timeout, "diff")

    if len(envs) not in (1, 2):
        raise UsageError("usage: kfctl diff ENV | kfctl diff ENV1 ENV2")
    if output not in ("text", "json"):
        raise UsageError(f"unknown output format {output!r}: use text or json")
    app = STATE.app()
    if len(envs) == 2:
        from kfctl.ops.envdiff import diff_envs

        result = diff_envs(app, app.env(envs[0]), app.env(envs[1]), components=component or None, engine=engine,
                           show_secrets=show_secrets)
        reports.print_env_diff(result, summary=summary, as_json=output == "json")
        return bool(result.entries)
    from kfctl.ops.deploy import diff

    d = diff(app, app.env(envs[0]), components=component or None, engine=engine, show_secrets=show_secrets,
             prune=prune, context=context, kubeconfig=kubeconfig, request_timeout=limit)
    return reports.print_deploy_diff(d, summary=summary, as_json=output == "json")
