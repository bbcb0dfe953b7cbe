"""The objects that make a GitOps engine deploy an export: Argo CD ``Application`` per env or one
``ApplicationSet`` for all, and Flux ``GitRepository`` + one ``Kustomization`` per tier chained with
``dependsOn`` and ``wait: true``.  Pure builders; :mod:`kfctl.ops.export` gathers their inputs (repo
URL, revision, paths, destinations) and writes them with :func:`kfctl.gitops.export.write_export`.

Schemas: Argo CD v3.5.1 ``argoproj.io/v1alpha1`` and Flux kustomize-controller v1.9.4
``kustomize.toolkit.fluxcd.io/v1`` / source-controller ``source.toolkit.fluxcd.io/v1`` (vendored under
``registry/schemas/``; tests validate every object built here against them).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from kfctl.render.model import LABEL_APP, LABEL_ENV, LABEL_MANAGED_BY, MANAGED_BY, label_value

ARGOCD_API = "argoproj.io/v1alpha1"
FLUX_KUSTOMIZE_API = "kustomize.toolkit.fluxcd.io/v1"
FLUX_SOURCE_API = "source.toolkit.fluxcd.io/v1"
IN_CLUSTER = "https://kubernetes.default.svc"
# server-side apply (kfctl's own), namespaces kfctl apply would create, custom resources whose CRD
# arrives in an earlier wave of the same sync (argo-cd#6489, app-level since #22679)
SYNC_OPTIONS = ["ServerSideApply=true", "CreateNamespace=true", "SkipDryRunOnMissingResource=true"]


@dataclass
class EnvSource:
    """Where one env's export lives and where it goes."""

    env: str
    path: str  # the export directory, relative to the repository root
    namespace: str  # the env namespace (destination)
    repo_url: str
    revision: str
    server: str | None = None  # destination server URL (Argo CD) ...
    cluster: str | None = None  # ... or an Argo CD cluster name
    tiers: list[str] = field(default_factory=list)  # the tier directories the export has (Flux)


def resource_name(*parts: str) -> str:
    """A DNS-1123 label (≤63, lower-case; Argo CD puts Application names in a label): parts joined by '-'."""
    text = "-".join(parts)
    v = re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")
    v = re.sub(r"-{2,}", "-", v)
    if len(v) > 63:
        v = v[:52].rstrip("-") + "-" + hashlib.sha256(text.encode()).hexdigest()[:10]
    return v or "kfctl"


def _labels(app: str, env: str | None = None) -> dict[str, str]:
    out = {LABEL_MANAGED_BY: MANAGED_BY, LABEL_APP: label_value(app)}
    if env is not None:
        out[LABEL_ENV] = label_value(env)
    return out


def _sync_policy(auto_sync: bool) -> dict[str, Any]:
    policy: dict[str, Any] = {"syncOptions": list(SYNC_OPTIONS)}
    if auto_sync:
        policy["automated"] = {"prune": True, "selfHeal": True}
    return policy


def _destination(src: EnvSource) -> dict[str, str]:
    if src.cluster:
        return {"name": src.cluster, "namespace": src.namespace}
    return {"server": src.server or IN_CLUSTER, "namespace": src.namespace}


def argocd_application(app: str, src: EnvSource, *, namespace: str = "argocd", project: str = "default",
                       auto_sync: bool = True) -> dict[str, Any]:
    return {
        "apiVersion": ARGOCD_API, "kind": "Application",
        "metadata": {"name": resource_name(app, src.env), "namespace": namespace, "labels": _labels(app, src.env)},
        "spec": {
            "project": project,
            "source": {"repoURL": src.repo_url, "targetRevision": src.revision, "path": src.path or "."},
            "destination": _destination(src),
            "syncPolicy": _sync_policy(auto_sync),
        },
    }


def argocd_applicationset(app: str, sources: list[EnvSource], *, namespace: str = "argocd", project: str = "default",
                          auto_sync: bool = True) -> dict[str, Any]:
    """One ApplicationSet: a list generator with an element per env, the Application as its template."""
    by_name = any(s.cluster for s in sources)
    elements = []
    for s in sources:
        e = {"env": s.env, "name": resource_name(app, s.env), "envLabel": label_value(s.env), "path": s.path or ".",
             "namespace": s.namespace, "repoURL": s.repo_url, "revision": s.revision}
        if by_name:
            e["cluster"] = s.cluster or "in-cluster"
        else:
            e["server"] = s.server or IN_CLUSTER
        elements.append(e)
    dest = {"name": "{{.cluster}}"} if by_name else {"server": "{{.server}}"}
    return {
        "apiVersion": ARGOCD_API, "kind": "ApplicationSet",
        "metadata": {"name": resource_name(app), "namespace": namespace, "labels": _labels(app)},
        "spec": {
            "goTemplate": True,
            "goTemplateOptions": ["missingkey=error"],
            "generators": [{"list": {"elements": elements}}],
            "template": {
                "metadata": {"name": "{{.name}}", "labels": {**_labels(app), LABEL_ENV: "{{.envLabel}}"}},
                "spec": {
                    "project": project,
                    "source": {"repoURL": "{{.repoURL}}", "targetRevision": "{{.revision}}", "path": "{{.path}}"},
                    "destination": {**dest, "namespace": "{{.namespace}}"},
                    "syncPolicy": _sync_policy(auto_sync),
                },
            },
        },
    }


def git_ref(revision: str) -> dict[str, str]:
    """A Flux GitRepository ``ref``: a commit SHA, a full ref name (refs/...), else a branch."""
    if re.fullmatch(r"[0-9a-f]{40}", revision):
        return {"commit": revision}
    if revision.startswith("refs/"):
        return {"name": revision}
    return {"branch": revision}


def flux_objects(app: str, sources: list[EnvSource], *, namespace: str = "flux-system", interval: str = "10m",
                 timeout: str = "5m") -> list[dict[str, Any]]:
    """A GitRepository per distinct (URL, revision) — one named after the app when all envs share it —
    and, per env, a Kustomization per tier directory, each depending on the one before."""
    repos: dict[tuple[str, str], str] = {}
    shared = len({(s.repo_url, s.revision) for s in sources}) == 1
    out: list[dict[str, Any]] = []
    for s in sources:
        key = (s.repo_url, s.revision)
        if key not in repos:
            repos[key] = resource_name(app) if shared else resource_name(app, s.env)
            out.append({
                "apiVersion": FLUX_SOURCE_API, "kind": "GitRepository",
                "metadata": {"name": repos[key], "namespace": namespace, "labels": _labels(app)},
                "spec": {"interval": "5m", "url": s.repo_url, "ref": git_ref(s.revision)},
            })
    for s in sources:
        previous = None
        for tier in s.tiers:
            name = resource_name(app, s.env, tier.split("-", 1)[1])
            spec: dict[str, Any] = {
                "interval": interval, "path": "./" + "/".join(p for p in (s.path, tier) if p),
                "prune": True, "wait": True, "timeout": timeout,
                "sourceRef": {"kind": "GitRepository", "name": repos[(s.repo_url, s.revision)]},
            }
            if previous:
                spec["dependsOn"] = [{"name": previous}]
            out.append({"apiVersion": FLUX_KUSTOMIZE_API, "kind": "Kustomization",
                        "metadata": {"name": name, "namespace": namespace, "labels": _labels(app, s.env)},
                        "spec": spec})
            previous = name
    return out
