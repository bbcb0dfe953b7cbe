"""Read kubeconfig files the way kubectl does, without importing the kubernetes client.

``KUBECONFIG`` may list several files (``os.pathsep``-separated); maps are merged with the
first file that defines a name winning, and ``current-context`` is taken from the first file
that sets it (kubectl's merge rules).  Used by ``init`` and ``env add`` to turn a context name
into a destination (server + namespace); the cluster layer hands the same files to the
official client.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from kfctl.errors import ConfigError


@dataclass
class ContextInfo:
    name: str
    cluster: str
    server: str | None
    namespace: str | None
    user: str | None
    auth: str  # "exec:<command>", "token", "client-certificate", "auth-provider:<name>", "basic", "none"
    insecure: bool = False


@dataclass
class KubeConfig:
    files: list[Path]
    searched: list[Path] = field(default_factory=list)
    current_context: str | None = None
    contexts: dict[str, dict] = field(default_factory=dict)
    clusters: dict[str, dict] = field(default_factory=dict)
    users: dict[str, dict] = field(default_factory=dict)

    def context(self, name: str | None = None) -> ContextInfo:
        where = ", ".join(str(f) for f in self.files) or (
            "the kubeconfig (no file found at " + ", ".join(str(f) for f in self.searched) + ")")
        if name is None:
            name = self.current_context
            if not name:
                raise ConfigError(
                    f"{where}: no current-context set",
                    hint="pass --context NAME or --server URL",
                )
        ctx = self.contexts.get(name)
        if ctx is None:
            known = ", ".join(sorted(self.contexts)) or "none"
            raise ConfigError(f"context {name!r} not found in {where} (known contexts: {known})")
        cluster_name = ctx.get("cluster")
        cluster = self.clusters.get(cluster_name) if cluster_name else None
        if cluster is None:
            raise ConfigError(f"{where}: context {name!r} refers to cluster {cluster_name!r}, which is not defined")
        user_name = ctx.get("user")
        user = self.users.get(user_name, {}) if user_name else {}
        return ContextInfo(
            name=name,
            cluster=cluster_name,
            server=cluster.get("server"),
            namespace=ctx.get("namespace"),
            user=user_name,
            auth=_auth_kind(user),
            insecure=bool(cluster.get("insecure-skip-tls-verify")),
        )

    def context_for_server(self, server: str) -> str | None:
        """The first context whose cluster has this server URL (used to find credentials)."""
        want = server.rstrip("/")
        for name in sorted(self.contexts):
            cl = self.clusters.get(self.contexts[name].get("cluster") or "")
            if cl and str(cl.get("server", "")).rstrip("/") == want:
                return name
        return None


def _auth_kind(user: dict) -> str:
    if not user:
        return "none"
    if "exec" in user:
        return f"exec:{(user.get('exec') or {}).get('command', '?')}"
    if "auth-provider" in user:
        return f"auth-provider:{(user.get('auth-provider') or {}).get('name', '?')}"
    if user.get("token") or user.get("tokenFile"):
        return "token"
    if user.get("client-certificate") or user.get("client-certificate-data"):
        return "client-certificate"
    if user.get("username"):
        return "basic"
    return "none"


def kubeconfig_paths(explicit: str | None = None) -> list[Path]:
    if explicit:
        return [Path(explicit).expanduser()]
    env = os.environ.get("KUBECONFIG")
    if env:
        return [Path(p).expanduser() for p in env.split(os.pathsep) if p]
    return [Path.home() / ".kube" / "config"]


def load_kubeconfig(explicit: str | None = None) -> KubeConfig:
    from kfctl.util.yamlio import load_yaml_file

    paths = kubeconfig_paths(explicit)
    cfg = KubeConfig(files=[], searched=list(paths))
    for path in paths:
        if not path.exists():
            if explicit:
                raise ConfigError(f"{path}: kubeconfig file not found")
            continue  # kubectl ignores missing files listed in KUBECONFIG
        try:
            data = load_yaml_file(path)
        except Exception as exc:
            raise ConfigError(f"{getattr(exc, 'message', exc)}".replace("malformed YAML", "malformed kubeconfig")) from None
        cfg.files.append(path)
        if data is None:
            continue
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: malformed kubeconfig: expected a mapping at the top level")
        if cfg.current_context is None and data.get("current-context"):
            cfg.current_context = str(data["current-context"])
        for section, target, inner in (
            ("contexts", cfg.contexts, "context"),
            ("clusters", cfg.clusters, "cluster"),
            ("users", cfg.users, "user"),
        ):
            entries = data.get(section) or []
            if not isinstance(entries, list):
                raise ConfigError(f"{path}: malformed kubeconfig: '{section}' must be a list")
            for entry in entries:
                if not isinstance(entry, dict) or "name" not in entry:
                    raise ConfigError(f"{path}: malformed kubeconfig: every entry of '{section}' needs a name")
                body = entry.get(inner) or {}
                if not isinstance(body, dict):
                    raise ConfigError(f"{path}: malformed kubeconfig: {section} {entry['name']!r} is not a mapping")
                target.setdefault(str(entry["name"]), body)
    return cfg
