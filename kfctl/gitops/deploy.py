"""``kfctl apply ENV`` / ``kfctl diff ENV`` for environments that deploy to a directory.

An env with ``kfctl: {gitopsDir: PATH}`` (``kfctl env add NAME --gitops-dir PATH``) is deployed
by exporting its render to PATH (relative to the app root) with the ``replace-env`` strategy; a
GitOps controller (Argo CD, Flux) applies the committed files.  The cluster commands call:

* :func:`diff_env` — same signature as ``kfctl.cli.cluster_cmds.diff_env``; prints a unified
  diff per object (or a summary / JSON) and returns whether anything differs (exit 1 if so);
* :func:`apply_env` — exports and prints the summary; returns the :class:`ExportResult`.
"""

from __future__ import annotations

from typing import Sequence

from kfctl.gitops.dirdiff import DirDiffResult, diff_against_dir
from kfctl.gitops.export import ExportResult, export_env, gitops_dir_of


def is_gitops_env(env) -> bool:
    return bool(getattr(env, "gitops_dir", None))


def diff_env(app, env, *, components: Sequence[str] | None = None, engine: str | None = None,
             show_secrets: bool = False, prune: bool = False, summary: bool = False, as_json: bool = False,
             **_ignored) -> bool:
    """Print what ``kfctl apply ENV`` would change in the env's GitOps directory; True if anything.

    ``prune`` is accepted for symmetry with cluster diffs: deletions of files this env exported
    before are always shown (apply removes them).
    """
    from kfctl.output.console import info, write
    from kfctl.output.diffs import print_diff
    from kfctl.output.formats import dump_json

    result: DirDiffResult = diff_against_dir(app, env, components=components, engine=engine,
                                             show_secrets=show_secrets)
    c = result.counts()
    if as_json:
        write(dump_json({"env": result.env, "directory": str(result.directory), "summary": c,
                         "objects": [{"status": ch.action, "object": ch.ref, "file": ch.path, "diff": ch.diff}
                                     for ch in result.changed]}))
        return result.different
    if not summary:
        for ch in result.changed:
            print_diff(ch.diff)
    line = (f"{result.env} → {result.directory}: {c['create']} to create, {c['update']} to update, "
            f"{c['delete']} to delete, {c['unchanged']} unchanged")
    if summary:
        write(line)
    else:
        info(line)
    return result.different


def apply_env(app, env, *, components: Sequence[str] | None = None, engine: str | None = None,
              **_ignored) -> ExportResult:
    """Deploy a GitOps env: export its render to its directory, replacing only its own files."""
    from kfctl.output.console import info

    result = export_env(app, env, gitops_dir_of(app, env), components=components, engine=engine,
                        merge_strategy="replace-env")
    info(result.summary())
    return result
