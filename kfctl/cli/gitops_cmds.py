"""kfctl export | validate: GitOps output and offline schema validation."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from kfctl.cli.state import ENGINE_HELP, STATE


class MergeStrategy(str, Enum):
    fail = "fail"
    replace_env = "replace-env"


class SummaryFormat(str, Enum):
    json = "json"
    yaml = "yaml"


def register(app: typer.Typer) -> None:
    app.command("export")(export)
    app.command("validate")(validate)


def export(
    env_or_dir: str = typer.Argument(..., metavar="ENV", help="Environment (with --all-envs: the directory)."),
    directory: Optional[str] = typer.Argument(None, metavar="DIR", show_default=False,
                                              help="Directory to export to (default: the env's --gitops-dir)."),
    component: Optional[List[str]] = typer.Option(None, "--component", "-c", help="Only this component (repeatable)."),
    fmt: Optional[str] = typer.Option(None, "--format", help="File name template; fields {namespace} {kind} {name} "
                                      "{component} {env} {apiVersion} {group} {version}; '/' makes directories. "
                                      "Default: {namespace}/{kind}-{name}.yaml (cluster-scoped under _cluster/), "
                                      "or what this env's previous export used."),
    merge_strategy: MergeStrategy = typer.Option(MergeStrategy.fail, "--merge-strategy", help="fail: DIR must be empty "
                                                 "or hold only this env's previous export; replace-env: replace only "
                                                 "this env's files, leave everything else alone."),
    kustomization: Optional[bool] = typer.Option(None, "--kustomization/--no-kustomization", show_default=False,
                                                 help="Write (or stop writing) a kustomization.yaml listing the files."),
    all_envs: bool = typer.Option(False, "--all-envs", help="Export every environment to DIR/<env>/ in parallel."),
    engine: Optional[str] = typer.Option(None, "--engine", help=ENGINE_HELP),
    output: Optional[SummaryFormat] = typer.Option(None, "--output", "-o", help="Print a summary on stdout: json or yaml."),
) -> None:
    """Write the rendered objects of an environment to a directory, one YAML file per object.

    An index (.kfctl-export.json) records which env, component and object each file holds, so a
    second export only rewrites what changed and removes what no longer renders.

    Example: kfctl export prd deploy/prd --kustomization
    """
    from kfctl.errors import UsageError
    from kfctl.ops.export import export_all_envs, export_env
    from kfctl.output import console

    app = STATE.app()
    strategy = merge_strategy.value
    if all_envs:
        if directory is not None:
            raise UsageError("with --all-envs give only DIR (every env goes to DIR/<env>/)")
        results = export_all_envs(app, Path(env_or_dir).expanduser(), template=fmt, merge_strategy=strategy,
                                  kustomization=kustomization, engine=engine, components=component or None)
    else:
        env = app.env(env_or_dir)
        if directory is None and not env.gitops_dir:
            raise UsageError(f"no directory given and environment {env.name!r} has no --gitops-dir",
                             hint=f"run 'kfctl export {env.name} DIR'")
        target = Path(directory).expanduser() if directory is not None else None
        results = [export_env(app, env, target, components=component or None, template=fmt,
                              merge_strategy=strategy, kustomization=kustomization, engine=engine)]
    for r in results:
        for w in r.warnings:
            console.warn(f"env {r.env}: {w}" if all_envs else w)
        console.info(r.summary())
    if output is not None:
        from kfctl.output.console import write
        from kfctl.output.formats import dump_json, dump_yaml

        doc = {"kind": "ExportSummary",
               "written": sum(len(r.written) for r in results),
               "unchanged": sum(len(r.unchanged) for r in results),
               "removed": sum(len(r.removed) for r in results),
               "envs": [r.to_dict() for r in results]}
        write(dump_json(doc) if output is SummaryFormat.json else dump_yaml(doc))


def validate(
    env_name: Optional[str] = typer.Argument(None, metavar="[ENV]", help="Environment (default: the current one)."),
    k8s_version: Optional[str] = typer.Option(None, "--k8s-version", help="Validate against this Kubernetes "
                                              "version (X.Y) instead of the env's k8sVersion."),
    strict: bool = typer.Option(False, "--strict", help="Kinds without a schema are errors, not warnings."),
    server: bool = typer.Option(False, "--server", help="Server-side dry run against the env's cluster."),
    component: Optional[List[str]] = typer.Option(None, "--component", "-c", help="Only this component (repeatable)."),
    engine: Optional[str] = typer.Option(None, "--engine", help=ENGINE_HELP),
    output: Optional[SummaryFormat] = typer.Option(None, "--output", "-o", help="json or yaml report on stdout."),
) -> int:
    """Check every rendered object against the Kubernetes schemas of the env's version, offline.

    Custom resources are checked against the CRDs of the same render. Each problem is one line 'component/Kind/name: field.path: message'. Exit 0 valid, 1 invalid.

    Example: kfctl validate prd --k8s-version 1.30 --strict
    """
    from kfctl.errors import KfctlError
    from kfctl.ops.validate import validate_env
    from kfctl.output import console

    app = STATE.app()
    env = app.resolve_env(env_name)
    if server:
        raise KfctlError("validate --server (server-side dry run) needs cluster access, which is not available "
                         "in this version of kfctl", hint="run 'kfctl validate' without --server for offline "
                         "schema validation", exit_code=2)
    report = validate_env(app, env, k8s_version=k8s_version, strict=strict, components=component or None,
                          engine=engine)
    if output is not None:
        from kfctl.output.console import write
        from kfctl.output.formats import dump_json, dump_yaml

        doc = report.to_dict()
        doc["env"] = env.name
        write(dump_json(doc) if output is SummaryFormat.json else dump_yaml(doc))
    else:
        for w in report.warnings:
            console.warn(w)
        for p in report.problems:
            if p.severity == "warning":
                console.warn(p.line())
        lines = [p.line() for p in report.errors]
        if lines:
            console.write("\n".join(lines))
    n_err = len(report.errors)
    if n_err:
        console.error(f"{n_err} problem(s) in {report.objects} object(s) of env {env.name} "
                      f"(Kubernetes {report.k8s_version.minor})")
        return 1
    console.success(f"{report.objects} object(s) of env {env.name} valid against Kubernetes {report.k8s_version.minor}")
    return 0
