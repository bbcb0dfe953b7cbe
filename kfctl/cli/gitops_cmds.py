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
                                      "{component} {env} {apiVersion} {group} {version} {tier}; '/' makes directories. "
                                      "Default: {namespace}/{kind}-{name}.yaml (cluster-scoped under _cluster/; "
                                      "with --flux under {tier}/), or what this env's previous export used."),
    merge_strategy: MergeStrategy = typer.Option(MergeStrategy.fail, "--merge-strategy", help="fail: DIR must be empty "
                                                 "or hold only this env's previous export; replace-env: replace only "
                                                 "this env's files, leave everything else alone."),
    kustomization: Optional[bool] = typer.Option(None, "--kustomization/--no-kustomization", show_default=False,
                                                 help="Write (or stop writing) a kustomization.yaml listing the files."),
    all_envs: bool = typer.Option(False, "--all-envs", help="Export every environment to DIR/<env>/ in parallel."),
    argocd: bool = typer.Option(False, "--argocd", help="Also write an Argo CD Application per env (DIR/_argocd/); "
                                "objects carry sync waves of kfctl's tiers (CRDs, backends, the rest)."),
    applicationset: bool = typer.Option(False, "--applicationset", help="With --all-envs: one Argo CD ApplicationSet "
                                        "for every env instead of an Application each."),
    flux: bool = typer.Option(False, "--flux", help="Also write Flux Kustomizations (DIR/_flux/), one per tier "
                              "directory, each depending on the one before, with wait: true."),
    repo_url: Optional[str] = typer.Option(None, "--repo-url", help="Git URL the engine reads (default: the env's "
                                           "--gitops-repo, else the origin of the repository DIR is in)."),
    revision: Optional[str] = typer.Option(None, "--revision", help="Branch, tag or commit (default: the env's "
                                           "--gitops-revision, else the checked-out branch)."),
    repo_path: Optional[str] = typer.Option(None, "--repo-path", help="DIR's path inside the repository "
                                            "(default: from git)."),
    dest_server: Optional[str] = typer.Option(None, "--dest-server", help="Argo CD destination server (default: the "
                                              "env's server; in-cluster for a GitOps-only env)."),
    dest_name: Optional[str] = typer.Option(None, "--dest-name", help="Argo CD destination cluster name instead."),
    argocd_namespace: str = typer.Option("argocd", "--argocd-namespace", help="Namespace of the Argo CD objects."),
    project: str = typer.Option("default", "--project", help="Argo CD project."),
    flux_namespace: str = typer.Option("flux-system", "--flux-namespace", help="Namespace of the Flux objects."),
    auto_sync: bool = typer.Option(True, "--auto-sync/--no-auto-sync", help="Argo CD: automated sync with prune "
                                   "and self-heal."),
    engine: Optional[str] = typer.Option(None, "--engine", help=ENGINE_HELP),
    output: Optional[SummaryFormat] = typer.Option(None, "--output", "-o", help="Print a summary on stdout: json or yaml."),
) -> None:
    """Write the rendered objects of an environment to a directory, one YAML file per object.

    An index (.kfctl-export.json) records which env, component and object each file holds, so a
    second export only rewrites what changed and removes what no longer renders.

    Example: kfctl export --all-envs deploy --argocd --repo-url https://git.example.com/ml/deploy.git
    """
    from kfctl.errors import UsageError
    from kfctl.ops.export import EngineOptions
    from kfctl.ops.export import export as export_use_case
    from kfctl.output import console

    app = STATE.app()
    if all_envs and directory is not None:
        raise UsageError("with --all-envs give only DIR (every env goes to DIR/<env>/)")
    engines = EngineOptions(argocd=argocd, applicationset=applicationset, flux=flux, repo_url=repo_url,
                            revision=revision, repo_path=repo_path, dest_server=dest_server, dest_name=dest_name,
                            argocd_namespace=argocd_namespace, project=project, flux_namespace=flux_namespace,
                            auto_sync=auto_sync)
    target = Path(env_or_dir if all_envs else directory).expanduser() if (all_envs or directory is not None) else None
    results = export_use_case(app, None if all_envs else env_or_dir, target, all_envs=all_envs,
                              components=component or None, template=fmt, merge_strategy=merge_strategy.value,
                              kustomization=kustomization, engine=engine, engines=engines)
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
