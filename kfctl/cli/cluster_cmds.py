"""Cluster commands (apply, diff against a cluster, delete, prune, status) — land with the cluster issue."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    return None


def diff_env(app, env, **kwargs) -> bool:
    from kfctl.errors import KfctlError

    raise KfctlError(f"diffing environment {env.name!r} against its cluster is not available yet",
                     hint="compare two environments with 'kfctl diff ENV1 ENV2'", exit_code=2)
