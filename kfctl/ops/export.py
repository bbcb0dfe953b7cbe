"""``kfctl export`` (one env, or every env in parallel) and the diff of an env against its GitOps directory."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Sequence

from kfctl.errors import KfctlError, UsageError
from kfctl.gitops.dirdiff import DirDiffResult, diff_render_against_dir
from kfctl.gitops.export import ExportResult, check_template, gitops_dir_of, write_export
from kfctl.ops.render import render


def export_env(app, env, directory: Path | str | None = None, *, components: Sequence[str] | None = None,
               template: str | None = None, merge_strategy: str = "fail", kustomization: bool | None = None,
               engine: str | None = None, skip_subdirs: Sequence[str] = (),
               require_unique: str | None = None) -> ExportResult:
    """Render ``env`` and export it to ``directory`` (default: the env's GitOps directory).  An object
    rendered by two components is exported in both copies (one file, two documents) with a warning on
    the result, unless ``require_unique`` (the command, e.g. ``apply``) asks to refuse."""
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
                              kustomization=kustomization, components=components, skip_subdirs=skip_subdirs)
    result.warnings = list(rendered.warnings)
    return result


def export_all_envs(app, directory: Path | str, *, template: str | None = None, merge_strategy: str = "fail",
                    kustomization: bool | None = None, engine: str | None = None,
                    components: Sequence[str] | None = None,
                    max_workers: int | None = None) -> list[ExportResult]:
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
                          skip_subdirs=nested(env.name))

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
