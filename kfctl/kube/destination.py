"""Where a new environment points: a server URL, or a kube context's server and namespace (kubeconfig)."""

from __future__ import annotations

from typing import Callable

from kfctl.app.environments import Destination
from kfctl.app.names import validate_namespace
from kfctl.errors import AppError, UsageError


def resolve_destination(
    *, context: str | None, server: str | None, namespace: str | None, kubeconfig: str | None = None,
    gitops_dir: str | None = None,
) -> Destination:
    """ksonnet's rule: --server else the context's server; namespace = --namespace, else the
    context's namespace, else 'default'.  With --server no kubeconfig is needed at all."""
    if context and server:
        raise UsageError("--context and --server are mutually exclusive: pass one")
    if namespace is not None:
        validate_namespace(namespace)
    if server:
        if not server.startswith(("http://", "https://")):
            raise UsageError(f"--server {server!r} must be an http:// or https:// URL")
        return Destination(server.rstrip("/"), namespace or "default", None)
    if gitops_dir and not context:
        return Destination(None, namespace or "default", None)
    from kfctl.kube.kubeconfig import load_kubeconfig

    cfg = load_kubeconfig(kubeconfig)
    if not context and not cfg.files:
        raise UsageError(
            "no --context or --server given and no kubeconfig found",
            hint="pass --server URL to create the environment without a cluster",
        )
    info = cfg.context(context)
    if not info.server:
        raise AppError(f"context {info.name!r}: its cluster {info.cluster!r} has no server URL")
    return Destination(info.server, namespace or info.namespace or "default", info.name)


def context_server(kubeconfig: str | None = None) -> Callable[[str], str | None]:
    """A lookup of a kube context's server URL in ``kubeconfig`` (for ``env set --context``)."""
    def server(context: str) -> str | None:
        from kfctl.kube.kubeconfig import load_kubeconfig

        return load_kubeconfig(kubeconfig).context(context).server

    return server
