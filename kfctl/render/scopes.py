"""Which kinds are cluster-scoped (built-in table; CRDs in a render add their own)."""

from __future__ import annotations

from kfctl.util.k8s import group_of

# (group, kind) of the built-in cluster-scoped kinds of Kubernetes 1.30+
CLUSTER_SCOPED: frozenset[tuple[str, str]] = frozenset({
    ("", "Namespace"), ("", "Node"), ("", "PersistentVolume"), ("", "ComponentStatus"),
    ("apiextensions.k8s.io", "CustomResourceDefinition"),
    ("apiregistration.k8s.io", "APIService"),
    ("rbac.authorization.k8s.io", "ClusterRole"), ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
    ("storage.k8s.io", "StorageClass"), ("storage.k8s.io", "CSIDriver"), ("storage.k8s.io", "CSINode"),
    ("storage.k8s.io", "VolumeAttachment"), ("storage.k8s.io", "VolumeAttributesClass"),
    ("scheduling.k8s.io", "PriorityClass"),
    ("node.k8s.io", "RuntimeClass"),
    ("networking.k8s.io", "IngressClass"), ("networking.k8s.io", "IPAddress"), ("networking.k8s.io", "ServiceCIDR"),
    ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
    ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
    ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy"),
    ("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"),
    ("admissionregistration.k8s.io", "MutatingAdmissionPolicy"),
    ("admissionregistration.k8s.io", "MutatingAdmissionPolicyBinding"),
    ("certificates.k8s.io", "CertificateSigningRequest"), ("certificates.k8s.io", "ClusterTrustBundle"),
    ("flowcontrol.apiserver.k8s.io", "FlowSchema"), ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"),
    ("policy", "PodSecurityPolicy"), ("extensions", "PodSecurityPolicy"),
    ("authentication.k8s.io", "TokenReview"), ("authorization.k8s.io", "SelfSubjectAccessReview"),
    ("authorization.k8s.io", "SubjectAccessReview"), ("authorization.k8s.io", "SelfSubjectRulesReview"),
    ("resource.k8s.io", "DeviceClass"), ("resource.k8s.io", "ResourceSlice"),
})


def is_namespaced(api_version: str, kind: str, crd_scopes: dict[tuple[str, str], bool] | None = None) -> bool:
    """Scope of a kind: the render's CRDs first, then the built-in table, then the CRDs of kfctl's
    vendored packages (a ClusterQueue stays cluster-scoped when Kueue is installed separately)."""
    group = group_of(api_version)
    if crd_scopes and (group, kind) in crd_scopes:
        return crd_scopes[(group, kind)]
    if (group, kind) in CLUSTER_SCOPED:
        return False
    if "." in group:
        from kfctl.registry.builtin_crds import builtin_scopes

        return builtin_scopes().get((group, kind), True)
    return True


def crd_scopes_of(objects) -> dict[tuple[str, str], bool]:
    """(group, kind) -> namespaced? for every CRD among ``objects`` (plain dicts)."""
    out: dict[tuple[str, str], bool] = {}
    for o in objects:
        if o.get("kind") == "CustomResourceDefinition" and group_of(str(o.get("apiVersion", ""))) == "apiextensions.k8s.io":
            spec = o.get("spec") or {}
            kind = (spec.get("names") or {}).get("kind")
            if kind and spec.get("group"):
                out[(spec["group"], kind)] = spec.get("scope", "Namespaced") != "Cluster"
    return out


def default_namespace(obj: dict, namespace: str, crd_scopes: dict[tuple[str, str], bool] | None = None, *,
                      strip_cluster_scoped: bool = False) -> dict:
    """Give a namespaced object without one ``namespace``; with ``strip_cluster_scoped`` drop the
    namespace of a cluster-scoped object (API servers reject one that does not match the request
    path, kubectl drops it: so does the render).  Returns the object's metadata."""
    meta = obj.setdefault("metadata", {})
    if is_namespaced(obj["apiVersion"], obj["kind"], crd_scopes):
        if not meta.get("namespace"):
            meta["namespace"] = namespace
    elif strip_cluster_scoped and "namespace" in meta:
        del meta["namespace"]
    return meta
