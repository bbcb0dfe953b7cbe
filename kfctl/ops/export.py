"""``kfctl export`` (one env, or every env in parallel) and the diff of an env against its GitOps directory."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from kfctl.errors import KfctlError, UsageError
from kfctl.gitops.dirdiff import DirDiffResult, diff_render_against_dir
from kfctl.gitops.export import ExportResult, check_template, gitops_dir_of, write_export
from kfctl.ops.render import render


def export_env(app, env, directory: Path | str | None = None, *, components: Sequence[str] | None = None,
               template: str | None = None, merge_strategy: str = "fail", kustomization: bool | None = None,
               engine: str | None = None, skip_subdirs: Sequence[str] = (),
               require_unique: str | None = None, sync_waves: bool | None = None,
               tiers: bool | None = None) -> ExportResult:
    """Render ``env`` and export it to ``directory`` (default: the env's GitOps directory).  An object
    rendered by two components is exported in both copies (one file, two documents) with a warning on
    the result, unless ``require_unique`` (the command, e.g. ``apply``) asks to refuse.  ``sync_waves``,
    ``tiers``: for Argo CD / Flux (:func:`kfctl.gitops.export.write_export`)."""
    from kfctl.gitops.export import check_export_dir
    from kfctl.util.fsutil import dir_lock

    if isinstance(env, str):
        env = app.env(env)
    if directory is None:
        directory = gitops_dir_of(app, env)
    check_export_dir(directory)
    if template is not None:
        check_template(template)  # fail on a bad template before spending time on the render
    rendered = render(app, env, components=components, engine=engine, warn=False)  # the result carries them
    if require_unique:
        from kfctl.render.kueue import check_render

        rendered.unique_or_raise(require_unique)
        check_render(rendered).raise_errors()  # a queued job Kueue would not admit
    with dir_lock(app.root, directory):  # two exports of this app into one directory take turns
        result = write_export(rendered, directory, template=template, merge_strategy=merge_strategy,
                              kustomization=kustomization, components=components, skip_subdirs=skip_subdirs,
                              sync_waves=sync_waves, tiers=tiers)
    result.warnings = list(rendered.warnings)
    return result


def export_all_envs(app, directory: Path | str, *, template: str | None = None, merge_strategy: str = "fail",
                    kustomization: bool | None = None, engine: str | None = None,
                    components: Sequence[str] | None = None,
                    max_workers: int | None = None, sync_waves: bool | None = None,
                    tiers: bool | None = None) -> list[ExportResult]:
    """Export every env to ``directory/<env>/`` in parallel; all envs are attempted before failing."""
    from kfctl.gitops.export import check_export_dir

    directory = Path(directory)
    check_export_dir(directory)
    envs = list(app.environments.values())
    if not envs:
        raise UsageError("the app has no environments", hint="add one with 'kfctl env add'")
    if template is not None:
        check_template(template)
    names = [e.name for e in envs]

    def nested(name: str) -> list[str]:  # env dirs inside this env's dir (env 'a' and 'a/b')
        return [o[len(name) + 1:] for o in names if o.startswith(name + "/")]

    def one(env) -> ExportResult:
        return export_env(app, env, directory / env.name, components=components, template=template,
                          merge_strategy=merge_strategy, kustomization=kustomization, engine=engine,
                          skip_subdirs=nested(env.name), sync_waves=sync_waves, tiers=tiers)

    workers = max_workers or min(len(envs), max(2, os.cpu_count() or 2))
    results: dict[str, ExportResult] = {}
    errors: list[tuple[str, KfctlError]] = []
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kfctl-export") as pool:
        futures = {e.name: pool.submit(one, e) for e in envs}
        for name, fut in futures.items():
            try:
                results[name] = fut.result()
            except KfctlError as exc:
                errors.append((name, exc))
    if errors:
        name, exc = errors[0]
        more = f" ({len(errors) - 1} more env(s) failed: {', '.join(n for n, _ in errors[1:])})" if len(errors) > 1 else ""
        raise KfctlError(f"env {name}: {exc.message}{more}", hint=exc.hint, exit_code=exc.exit_code)
    return [results[n] for n in sorted(results)]


def diff_against_dir(app, env, directory: Path | str | None = None, *, components: Sequence[str] | None = None,
                     kinds: Sequence[str] | None = None, names: Sequence[str] | None = None,
                     engine: str | None = None, template: str | None = None,
                     show_secrets: bool = False) -> DirDiffResult:
    """Render ``env`` and compare it with its GitOps directory (default ``env.gitops_dir``)."""
    if isinstance(env, str):
        env = app.env(env)
    if directory is None:
        directory = gitops_dir_of(app, env)
    rendered = render(app, env, components=components, kinds=kinds, names=names, engine=engine)
    rendered.unique_or_raise("diff")
    from kfctl.render.kueue import check_render

    check_render(rendered).raise_errors()  # a queued job Kueue would not admit
    # with kind/name filters the render is partial: only report deletions when nothing was filtered out
    result = diff_render_against_dir(rendered, directory, template=template, components=components,
                                     show_secrets=show_secrets)
    if kinds or names:
        result.changes = [c for c in result.changes if c.action != "delete"]
    return result


# ------------------------------------------------------------------------------------ GitOps engines
@dataclass
class EngineOptions:
    """``kfctl export --argocd | --applicationset | --flux`` and where the engines find the export."""

    argocd: bool = False
    applicationset: bool = False
    flux: bool = False
    repo_url: str | None = None  # default: the env's gitopsRepo, else the export repository's origin
    revision: str | None = None  # default: the env's gitopsRevision, else the checked-out branch
    repo_path: str | None = None  # the export directory inside the repository (default: from git)
    dest_server: str | None = None  # default: the env's server (in-cluster for GitOps-only envs)
    dest_name: str | None = None  # an Argo CD cluster name instead of a server
    argocd_namespace: str = "argocd"
    project: str = "default"
    flux_namespace: str = "flux-system"
    auto_sync: bool = True

    @property
    def any(self) -> bool:
        return self.argocd or self.applicationset or self.flux


ARGOCD_DIR = "_argocd"
FLUX_DIR = "_flux"


def _sources(app, envs, directory: Path, env_dirs: dict[str, Path], opts: EngineOptions):
    from kfctl.gitops.engines import EnvSource
    from kfctl.gitops.index import load_index
    from kfctl.util.git import git_info

    git = git_info(directory)
    out = []
    for env in envs:
        repo_url = opts.repo_url or env.gitops_repo or (git.remote_url if git else None)
        if not repo_url:
            raise UsageError(f"env {env.name}: no Git repository URL for the GitOps engine to read the export from",
                             hint=f"pass --repo-url URL or run 'kfctl env set {env.name} --gitops-repo URL' "
                                  "(default: the origin of the repository the export is in)")
        revision = opts.revision or env.gitops_revision or (git.branch if git else None)
        if not revision:
            if opts.flux:
                raise UsageError(f"env {env.name}: no revision for Flux to follow (not on a branch)",
                                 hint="pass --revision BRANCH or set --gitops-revision on the env")
            revision = "HEAD"
        d = env_dirs[env.name]
        if opts.repo_path is not None:
            base = opts.repo_path.strip("/")
            rel = d.relative_to(directory).as_posix() if d != directory else ""
            path = "/".join(p for p in (base, rel) if p)
        elif git is not None:
            path = git.relative(d)
        else:
            raise UsageError(f"{directory} is not in a Git repository, so its path there is unknown",
                             hint="pass --repo-path PATH (the export directory inside the repository)")
        files = load_index(d).files_of(env.name)
        tiers = sorted({f.split("/", 1)[0] for f in files if "/" in f})
        server = opts.dest_server or env.server or None
        out.append(EnvSource(env.name, path, env.namespace, repo_url, revision, server=server,
                             cluster=opts.dest_name, tiers=tiers))
    return out


def _rendered_namespaces(directory: Path, env: str) -> set[str]:
    from kfctl.gitops.index import load_index

    return {e.get("name") for e in load_index(directory).files_of(env).values()
            if e.get("kind") == "Namespace" and e.get("apiVersion") == "v1"}


def write_engines(app, envs, directory: Path | str, env_dirs: dict[str, Path], opts: EngineOptions) -> list[ExportResult]:
    """Write the Argo CD / Flux objects for ``envs`` (already exported to ``env_dirs``) under
    ``directory``/_argocd and _flux, each with its kustomization.yaml (``kubectl apply -k`` bootstraps)."""
    from kfctl.gitops.engines import argocd_application, argocd_applicationset, flux_objects
    from kfctl.render.model import Render, RenderedObject

    directory = Path(directory)
    sources = _sources(app, envs, directory, env_dirs, opts)
    results = []

    def write(sub: str, component: str, objs: list[dict], label: str) -> None:
        r = Render(app=app.name, env=component, namespace="")
        r.objects = [RenderedObject(component, o) for o in objs]
        results.append(write_export(r, directory / sub, template="{kind}-{name}.yaml", kustomization=True,
                                    label=label))

    if opts.argocd or opts.applicationset:
        if opts.applicationset:
            objs = [argocd_applicationset(app.name, sources, namespace=opts.argocd_namespace, project=opts.project,
                                          auto_sync=opts.auto_sync)]
        else:
            objs = [argocd_application(app.name, s, namespace=opts.argocd_namespace, project=opts.project,
                                       auto_sync=opts.auto_sync) for s in sources]
        write(ARGOCD_DIR, "argocd", objs, "Argo CD " + ("ApplicationSet" if opts.applicationset else "Applications"))
    if opts.flux:
        empty = [s.env for s in sources if not s.tiers]
        if empty:
            raise UsageError(f"env {empty[0]}: the export has no tier directories for Flux Kustomizations",
                             hint="export it with --flux (files under {tier}/)")
        # kfctl apply creates an env namespace the render lacks; Flux does not: bootstrap it with the Kustomizations
        objs = flux_objects(app.name, sources, namespace=opts.flux_namespace)
        for env in envs:
            rendered_ns = _rendered_namespaces(env_dirs[env.name], env.name)
            if env.namespace not in rendered_ns and env.namespace not in {o["metadata"]["name"] for o in objs
                                                                          if o["kind"] == "Namespace"}:
                objs.insert(0, {"apiVersion": "v1", "kind": "Namespace", "metadata": {
                    "name": env.namespace, "annotations": {"kfctl.dev/created-for": f"{app.name}/{env.name}"}}})
        write(FLUX_DIR, "flux", objs, "Flux Kustomizations")
    return results


def export(app, env_name: str | None, directory: Path | str | None, *, all_envs: bool = False,
           components: Sequence[str] | None = None, template: str | None = None, merge_strategy: str = "fail",
           kustomization: bool | None = None, engine: str | None = None,
           engines: EngineOptions = EngineOptions()) -> list[ExportResult]:
    """``kfctl export``: one env to DIR (default its --gitops-dir) or every env to DIR/<env>/; with
    ``engines``, objects carry sync waves (Argo CD) or go to tier directories (Flux), and the engines'
    objects are written next to the export (DIR/_argocd, DIR/_flux)."""
    waves = True if (engines.argocd or engines.applicationset) else None
    tiers = True if engines.flux else None
    kust = True if engines.any else kustomization
    if engines.applicationset and not all_envs:
        raise UsageError("--applicationset makes one ApplicationSet for every env: use it with --all-envs",
                         hint="for one env, use --argocd (an Application)")
    if engines.dest_name and engines.dest_server:
        raise UsageError("--dest-server and --dest-name are exclusive (an Argo CD destination is one of them)")
    if all_envs:
        if directory is None:
            raise UsageError("--all-envs needs DIR (every env goes to DIR/<env>/)")
        directory = Path(directory)
        results = export_all_envs(app, directory, template=template, merge_strategy=merge_strategy,
                                  kustomization=kust, engine=engine, components=components, sync_waves=waves,
                                  tiers=tiers)
        envs = [app.environments[r.env] for r in results]
        env_dirs = {e.name: directory / e.name for e in envs}
    else:
        env = app.env(env_name)
        if directory is None and not env.gitops_dir:
            raise UsageError(f"no directory given and environment {env.name!r} has no --gitops-dir",
                             hint=f"run 'kfctl export {env.name} DIR'")
        directory = Path(directory) if directory is not None else gitops_dir_of(app, env)
        results = [export_env(app, env, directory, components=components, template=template,
                              merge_strategy=merge_strategy, kustomization=kust, engine=engine, sync_waves=waves,
                              tiers=tiers)]
        envs, env_dirs = [env], {env.name: directory}
    if engines.any:
        results += write_engines(app, envs, directory, env_dirs, engines)
    return results
