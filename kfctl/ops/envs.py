"""``kfctl init``, ``env add`` and ``env set``: where an environment points (a server URL, or a kube
context read from kubeconfig: :mod:`kfctl.kube.destination`) recorded in the app repo (:mod:`kfctl.app`)."""

from __future__ import annotations

from pathlib import Path

from kfctl.app.app import App, Environment


def init(name: str, target: Path, *, context: str | None = None, server: str | None = None,
         namespace: str | None = None, kubeconfig: str | None = None, env_name: str = "default",
         k8s_version: str | None = None, platform: str | None = None, skip_default_registries: bool = False) -> App:
    from kfctl.app.environments import init_app
    from kfctl.app.names import validate_component_name
    from kfctl.kube.destination import resolve_destination

    validate_component_name(name, what="app")
    dest = resolve_destination(context=context, server=server, namespace=namespace, kubeconfig=kubeconfig)
    return init_app(name, target, dest, env_name=env_name, k8s_version=k8s_version, platform=platform,
                    skip_default_registries=skip_default_registries)


def add(app: App, name: str, *, context: str | None = None, server: str | None = None, namespace: str | None = None,
        kubeconfig: str | None = None, k8s_version: str | None = None, platform: str | None = None,
        gitops_dir: str | None = None, **settings) -> Environment:
    """``settings``: image_registry, image_overrides, history_limit, gitops_repo, gitops_revision."""
    from kfctl.app.environments import add_env
    from kfctl.kube.destination import resolve_destination

    dest = resolve_destination(context=context, server=server, namespace=namespace, kubeconfig=kubeconfig,
                               gitops_dir=gitops_dir)
    return add_env(app, name, dest, k8s_version=k8s_version, platform=platform, gitops_dir=gitops_dir, **settings)


def update(app: App, name: str, *, kubeconfig: str | None = None, **changes) -> Environment:
    """``changes``: new_name, server, namespace, context, platform, k8s_version, gitops_dir, image_registry,
    image_overrides, history_limit, gitops_repo, gitops_revision."""
    from kfctl.app.environments import set_env
    from kfctl.kube.destination import context_server

    return set_env(app, name, context_server=context_server(kubeconfig), **changes)
