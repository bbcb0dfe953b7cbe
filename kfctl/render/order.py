"""Ordering of kinds as data (apply order; delete is the reverse).

Tiers follow design.md: Namespaces and CRDs first (so custom resources can wait for their CRD
to become Established), then cluster-wide policy and RBAC, then namespaced configuration,
storage and services, then workloads, then everything unknown (custom resources), webhooks
last.  Within a tier objects are independent and may be applied in parallel.
"""

from __future__ import annotations

from typing import Iterable

# (kind) -> rank.  Anything not listed: UNKNOWN_RANK (custom resources land here).
_KIND_RANKS: dict[str, int] = {}
_TIERS: list[tuple[int, tuple[str, ...]]] = [
    (0, ("Namespace",)),
    (1, ("CustomResourceDefinition",)),
    (2, ("PriorityClass", "StorageClass", "RuntimeClass", "IngressClass")),
    (3, ("ClusterRole", "ClusterRoleBinding", "PersistentVolume")),
    (4, ("NetworkPolicy", "ResourceQuota", "LimitRange", "PodDisruptionBudget", "ServiceAccount",
         "Secret", "ConfigMap", "PersistentVolumeClaim", "Role", "RoleBinding")),
    (5, ("Service",)),
    (6, ("DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment", "HorizontalPodAutoscaler",
         "StatefulSet", "Job", "CronJob")),
    (7, ("Ingress", "APIService")),
]
UNKNOWN_RANK = 8
WEBHOOK_RANK = 9
for _tier, _kinds in _TIERS:
    for _k in _kinds:
        _KIND_RANKS[_k] = _tier
_KIND_RANKS["MutatingWebhookConfiguration"] = WEBHOOK_RANK
_KIND_RANKS["ValidatingWebhookConfiguration"] = WEBHOOK_RANK
_KIND_RANKS["ValidatingAdmissionPolicy"] = WEBHOOK_RANK
_KIND_RANKS["ValidatingAdmissionPolicyBinding"] = WEBHOOK_RANK

# Finer order inside a tier for stable, readable output (Helm's install order).
_DISPLAY = [
    "Namespace", "CustomResourceDefinition", "PriorityClass", "StorageClass", "RuntimeClass", "IngressClass",
    "ClusterRole", "ClusterRoleBinding", "PersistentVolume", "NetworkPolicy", "ResourceQuota", "LimitRange",
    "PodDisruptionBudget", "ServiceAccount", "Secret", "ConfigMap", "PersistentVolumeClaim", "Role", "RoleBinding",
    "Service", "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment", "HorizontalPodAutoscaler",
    "StatefulSet", "Job", "CronJob", "Ingress", "APIService",
]
_DISPLAY_INDEX = {k: i for i, k in enumerate(_DISPLAY)}


def kind_rank(kind: str) -> int:
    return _KIND_RANKS.get(kind, UNKNOWN_RANK)


def sort_key(obj: dict) -> tuple:
    """Apply order, then namespace/name: (tier, kind position, kind, apiVersion, namespace, name)."""
    kind = str(obj.get("kind", ""))
    meta = obj.get("metadata") or {}
    return (
        kind_rank(kind),
        _DISPLAY_INDEX.get(kind, len(_DISPLAY)),
        kind,
        str(obj.get("apiVersion", "")),
        str(meta.get("namespace") or ""),
        str(meta.get("name") or ""),
    )


def tiers(objects: Iterable, get=lambda o: o) -> list[list]:
    """Group objects (already sorted or not) into apply tiers, in order."""
    groups: dict[int, list] = {}
    for o in objects:
        groups.setdefault(kind_rank(str(get(o).get("kind", ""))), []).append(o)
    return [groups[k] for k in sorted(groups)]


# GitOps engines apply in three steps that carry kfctl's tiers (Argo CD sync waves, Flux
# Kustomizations chained by dependsOn): the API first (Namespaces, CRDs), then what webhooks and
# APIServices need running — every built-in kind up to workloads and Ingresses — then the rest
# (APIServices, custom resources, webhook configurations), once their backends are healthy.
GITOPS_TIERS = ("0-crds", "1-backends", "2-rest")


def gitops_tier(kind: str) -> int:
    """0, 1 or 2: the index of ``kind``'s step in :data:`GITOPS_TIERS`."""
    rank = kind_rank(kind)
    if rank <= 1:
        return 0
    if rank < UNKNOWN_RANK and kind != "APIService":
        return 1
    return 2
