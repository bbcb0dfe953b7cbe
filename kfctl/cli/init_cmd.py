"""kfctl init."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer



def register(app: typer.Typer) -> None:
    app.command("init")(init)


def init(
    name: str = typer.Argument(..., help="App name (also the directory name unless --dir)."),
    dir: Optional[Path] = typer.Option(None, "--dir", help="Directory to create the app in (default: ./NAME)."),
    context: Optional[str] = typer.Option(None, "--context", help="kubeconfig context the first environment points at."),
    server: Optional[str] = typer.Option(None, "--server", help="API server URL (no kubeconfig needed)."),
    env: str = typer.Option("default", "--env", help="Name of the first environment."),
    namespace: Optional[str] = typer.Option(None, "--namespace", "-n", help="Namespace (default: the context's, else 'default')."),
    k8s_version: Optional[str] = typer.Option(None, "--k8s-version", help="Kubernetes version of the cluster, e.g. v1.30.0."),
    platform: Optional[str] = typer.Option(None, "--platform", help="Platform profile for the first env (see 'kfctl env platforms')."),
    kubeconfig: Optional[str] = typer.Option(None, "--kubeconfig", help="kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)."),
    skip_default_registries: bool = typer.Option(False, "--skip-default-registries", help="Do not add the built-in 'kubeflow' registry."),
) -> None:
    """Create an app repo in ksonnet's 0.3.0 layout with one environment.

    Example: kfctl init my-ml --context local-dev --env dev
    """
    from kfctl.ops import envs
    from kfctl.output import console

    target = dir if dir is not None else Path.cwd() / name
    app = envs.init(name, target, context=context, server=server, namespace=namespace, kubeconfig=kubeconfig,
                    env_name=env, k8s_version=k8s_version, platform=platform,
                    skip_default_registries=skip_default_registries)
    e = app.env(env)
    console.success(
        f"Created app {name!r} in {app.root} with environment {env!r} "
        f"(namespace {e.namespace!r}, server {e.server or '-'}{', context ' + repr(e.context) if e.context else ''})"
    )
