"""Registration of every command group on the root app (one module per group)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    from kfctl.cli import (
        cluster_cmds,
        component_cmds,
        env_cmds,
        gitops_cmds,
        history_cmds,
        images_cmds,
        init_cmd,
        param_cmds,
        prototype_cmds,
        registry_cmds,
        render_cmds,
    )

    init_cmd.register(app)
    env_cmds.register(app)
    prototype_cmds.register(app)
    component_cmds.register(app)
    param_cmds.register(app)
    render_cmds.register(app)
    registry_cmds.register(app)
    gitops_cmds.register(app)
    images_cmds.register(app)
    cluster_cmds.register(app)
    history_cmds.register(app)
