"""The emulator's resource table: built-in kinds, CRD-defined kinds, and discovery documents."""

from __future__ import annotations

from dataclasses import dataclass, field

SCALABLE = ("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController")
ALL_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]


@dataclass(frozen=True)
class ResourceType:
    group: str            # "" for the core group
    version: str
    plural: str
    kind: str
    namespaced: bool
    singular: str = ""
    short_names: tuple[str, ...] = ()
    status_subresource: bool = False
    categories: tuple[str, ...] = ()
    verbs: tuple[str, ...] = tuple(ALL_VERBS)
    crd: str | None = None  # name of the CRD that defines it (None = built-in)

    @property
    def group_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def singular_name(self) -> str:
        return self.singular or self.kind.lower()

    def api_resource(self) -> dict:
        out = {"name": self.plural, "singularName": self.singular_name, "namespaced": self.namespaced,
               "kind": self.kind, "verbs": list(self.verbs)}
        if self.short_names:
            out["shortNames"] = list(self.short_names)
        if self.categories:
            out["categories"] = list(self.categories)
        return out


def _r(gv: str, plural: str, kind: str, namespaced: bool = True, short: tuple[str, ...] = (),
       status: bool = False, cats: tuple[str, ...] = (), verbs: tuple[str, ...] | None = None) -> ResourceType:
    group, _, version = gv.rpartition("/")
    return ResourceType(group, version, plural, kind, namespaced, short_names=short, status_subresource=status,
                        categories=cats, verbs=tuple(verbs or ALL_VERBS))


_ALL = ("all",)
BUILTIN: tuple[ResourceType, ...] = (
    _r("v1", "namespaces", "Namespace", False, ("ns",), True,
       verbs=("create", "delete", "get", "list", "patch", "update", "watch")),
    _r("v1", "configmaps", "ConfigMap", True, ("cm",)),
    _r("v1", "secrets", "Secret", True),
    _r("v1", "services", "Service", True, ("svc",), True, _ALL,
       verbs=("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")),
    _r("v1", "serviceaccounts", "ServiceAccount", True, ("sa",)),
    _r("v1", "pods", "Pod", True, ("po",), True, _ALL),
    _r("v1", "persistentvolumeclaims", "PersistentVolumeClaim", True, ("pvc",), True),
    _r("v1", "persistentvolumes", "PersistentVolume", False, ("pv",), True),
    _r("v1", "nodes", "Node", False, ("no",), True),
    _r("v1", "events", "Event", True, ("ev",)),
    _r("v1", "endpoints", "Endpoints", True, ("ep",)),
    _r("v1", "limitranges", "LimitRange", True, ("limits",)),
    _r("v1", "resourcequotas", "ResourceQuota", True, ("quota",), True),
    _r("v1", "replicationcontrollers", "ReplicationController", True, ("rc",), True, _ALL),
    _r("apps/v1", "deployments", "Deployment", True, ("deploy",), True, _ALL),
    _r("apps/v1", "statefulsets", "StatefulSet", True, ("sts",), True, _ALL),
    _r("apps/v1", "daemonsets", "DaemonSet", True, ("ds",), True, _ALL),
    _r("apps/v1", "replicasets", "ReplicaSet", True, ("rs",), True, _ALL),
    _r("apps/v1", "controllerrevisions", "ControllerRevision", True),
    _r("batch/v1", "jobs", "Job", True, (), True, _ALL),
    _r("batch/v1", "cronjobs", "CronJob", True, ("cj",), True, _ALL),
    _r("rbac.authorization.k8s.io/v1", "roles", "Role", True),
    _r("rbac.authorization.k8s.io/v1", "rolebindings", "RoleBinding", True),
    _r("rbac.authorization.k8s.io/v1", "clusterroles", "ClusterRole", False),
    _r("rbac.authorization.k8s.io/v1", "clusterrolebindings", "ClusterRoleBinding", False),
    _r("apiextensions.k8s.io/v1", "customresourcedefinitions", "CustomResourceDefinition", False,
       ("crd", "crds"), True, ("api-extensions",)),
    _r("networking.k8s.io/v1", "ingresses", "Ingress", True, ("ing",), True),
    _r("networking.k8s.io/v1", "networkpolicies", "NetworkPolicy", True, ("netpol",)),
    _r("networking.k8s.io/v1", "ingressclasses", "IngressClass", False),
    _r("storage.k8s.io/v1", "storageclasses", "StorageClass", False, ("sc",)),
    _r("scheduling.k8s.io/v1", "priorityclasses", "PriorityClass", False, ("pc",)),
    _r("policy/v1", "poddisruptionbudgets", "PodDisruptionBudget", True, ("pdb",), True),
    _r("admissionregistration.k8s.io/v1", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration", False,
       cats=("api-extensions",)),
    _r("admissionregistration.k8s.io/v1", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration",
       False, cats=("api-extensions",)),
    _r("apiregistration.k8s.io/v1", "apiservices", "APIService", False, status=True, cats=("api-extensions",)),
    _r("autoscaling/v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", True, ("hpa",), True, _ALL),
    _r("autoscaling/v1", "horizontalpodautoscalers", "HorizontalPodAutoscaler", True, ("hpa",), True, _ALL),
    _r("coordination.k8s.io/v1", "leases", "Lease", True),
    _r("discovery.k8s.io/v1", "endpointslices", "EndpointSlice", True),
    _r("apiregistration.k8s.io/v1", "apiservices", "APIService", False, (), True, ("api-extensions",)),
    _r("authorization.k8s.io/v1", "selfsubjectaccessreviews", "SelfSubjectAccessReview", False, verbs=("create",)),
    _r("authentication.k8s.io/v1", "selfsubjectreviews", "SelfSubjectReview", False, verbs=("create",)),
)

# The preferred version of each group (first listed wins).
def preferred_versions(types: list[ResourceType], table: "ResourceTable | None" = None) -> dict[str, str]:
    out: dict[str, str] = {}
    for t in types:
        out.setdefault(t.group, t.version)
    for a in (table.aggregated.values() if table is not None else ()):
        out.setdefault(a.group, a.version)
    return out


@dataclass
class ResourceTable:
    """Built-ins plus the kinds served for established CRDs; looked up by group/version/plural."""

    builtin: tuple[ResourceType, ...] = BUILTIN
    custom: dict[str, list[ResourceType]] = field(default_factory=dict)  # CRD name -> its served versions
    aggregated: dict = field(default_factory=dict)  # APIService name -> aggregation.AggregatedGV

    def all(self) -> list[ResourceType]:
        out = list(self.builtin)
        for types in self.custom.values():
            out.extend(types)
        for agv in self.aggregated.values():
            if agv.available:
                out.extend(agv.types)
        return out

    def unavailable(self, group: str, version: str) -> bool:
        """An aggregated group/version whose APIService is not Available (kube-aggregator answers 503)."""
        return any(a.group == group and a.version == version and not a.available for a in self.aggregated.values())

    def aggregated_gv(self, group: str, version: str):
        return next((a for a in self.aggregated.values() if a.group == group and a.version == version), None)

    def lookup(self, group: str, version: str, plural: str) -> ResourceType | None:
        for t in self.all():
            if t.group == group and t.version == version and t.plural == plural:
                return t
        return None

    def by_kind(self, group: str, version: str, kind: str) -> ResourceType | None:
        for t in self.all():
            if t.group == group and t.version == version and t.kind == kind:
                return t
        return None

    def group_versions(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for t in self.all():
            versions = out.setdefault(t.group, [])
            if t.version not in versions:
                versions.append(t.version)
        for a in self.aggregated.values():  # every APIService is listed, available or not, with resources or not
            versions = out.setdefault(a.group, [])
            if a.version not in versions:
                versions.append(a.version)
        return out

    def set_crd(self, crd: dict | None, name: str) -> None:
        """Serve (or stop serving, crd=None) the kinds a CRD defines."""
        if crd is None:
            self.custom.pop(name, None)
            return
        spec = crd.get("spec") or {}
        names = spec.get("names") or {}
        types = []
        for v in spec.get("versions") or []:
            if not v.get("served", True):
                continue
            types.append(ResourceType(
                spec.get("group", ""), v["name"], names.get("plural", ""), names.get("kind", ""),
                spec.get("scope", "Namespaced") == "Namespaced", singular=names.get("singular", ""),
                short_names=tuple(names.get("shortNames") or ()),
                status_subresource="status" in ((v.get("subresources") or {})),
                categories=tuple(names.get("categories") or ()), crd=name))
        # Storage version first so it is the preferred one.
        storage = [v["name"] for v in spec.get("versions") or [] if v.get("storage")]
        types.sort(key=lambda t: 0 if t.version in storage else 1)
        self.custom[name] = types


# ---------------------------------------------------------------------------------------------- discovery docs

def version_doc(git_version: str) -> dict:
    major, minor = git_version.lstrip("v").split(".")[:2]
    return {"major": major, "minor": minor, "gitVersion": git_version, "gitCommit": "emulator",
            "gitTreeState": "clean", "buildDate": "2026-01-01T00:00:00Z", "goVersion": "go1.24",
            "compiler": "gc", "platform": "linux/amd64"}


def api_versions_doc() -> dict:
    return {"kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]}


def api_group_list_doc(table: ResourceTable) -> dict:
    groups = []
    pref = preferred_versions(table.all(), table)
    for group, versions in table.group_versions().items():
        if not group:
            continue
        gvs = [{"groupVersion": f"{group}/{v}", "version": v} for v in versions]
        groups.append({"name": group, "versions": gvs,
                       "preferredVersion": {"groupVersion": f"{group}/{pref[group]}", "version": pref[group]}})
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}


def api_group_doc(table: ResourceTable, group: str) -> dict | None:
    versions = table.group_versions().get(group)
    if not versions or not group:
        return None
    pref = preferred_versions(table.all(), table)[group]
    return {"kind": "APIGroup", "apiVersion": "v1", "name": group,
            "versions": [{"groupVersion": f"{group}/{v}", "version": v} for v in versions],
            "preferredVersion": {"groupVersion": f"{group}/{pref}", "version": pref}}


def resource_list_doc(table: ResourceTable, group: str, version: str) -> dict | None:
    types = [t for t in table.all() if t.group == group and t.version == version]
    if not types and table.aggregated_gv(group, version) is None:
        return None
    resources = []
    for t in types:
        resources.append(t.api_resource())
        if t.status_subresource:
            resources.append({"name": f"{t.plural}/status", "singularName": "", "namespaced": t.namespaced,
                              "kind": t.kind, "verbs": ["get", "patch", "update"]})
        if t.kind in SCALABLE and not t.crd:
            resources.append({"name": f"{t.plural}/scale", "singularName": "", "namespaced": t.namespaced,
                              "group": "autoscaling", "version": "v1", "kind": "Scale",
                              "verbs": ["get", "patch", "update"]})
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": f"{group}/{version}" if group else version,
            "resources": resources}


def aggregated_doc(table: ResourceTable, legacy: bool) -> dict:
    """apidiscovery.k8s.io/v2 APIGroupDiscoveryList for /api (legacy=True) or /apis."""
    pref = preferred_versions(table.all(), table)
    items = []
    for group, versions in table.group_versions().items():
        if bool(group) == legacy:
            continue
        # preferred version first, as the real server does
        versions = sorted(versions, key=lambda v: 0 if v == pref[group] else 1)
        vdocs = []
        for v in versions:
            res = []
            for t in table.all():
                if t.group != group or t.version != v:
                    continue
                entry = {"resource": t.plural, "responseKind": {"group": group, "version": v, "kind": t.kind},
                         "scope": "Namespaced" if t.namespaced else "Cluster", "singularResource": t.singular_name,
                         "verbs": list(t.verbs)}
                if t.short_names:
                    entry["shortNames"] = list(t.short_names)
                if t.categories:
                    entry["categories"] = list(t.categories)
                if t.status_subresource:
                    entry["subresources"] = [{"subresource": "status", "responseKind": {
                        "group": group, "version": v, "kind": t.kind}, "verbs": ["get", "patch", "update"]}]
                if t.kind in SCALABLE and not t.crd:
                    entry.setdefault("subresources", []).append({"subresource": "scale", "responseKind": {
                        "group": "autoscaling", "version": "v1", "kind": "Scale"}, "verbs": ["get", "patch", "update"]})
                res.append(entry)
            if table.unavailable(group, v):  # kube-aggregator: the version is listed, stale, with no resources
                vdocs.append({"version": v, "freshness": "Stale"})
            elif res:
                vdocs.append({"version": v, "resources": res, "freshness": "Current"})
            else:
                vdocs.append({"version": v, "freshness": "Current"})
        items.append({"metadata": {"name": group, "creationTimestamp": None}, "versions": vdocs})
    return {"kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "metadata": {},
            "items": items}


# ---------------------------------------------------------------------------------------------- OpenAPI v3
# kubectl (1.27+) reads /openapi/v3 to learn whether the server supports the `fieldValidation` query parameter
# on PATCH for a kind; when it does, kubectl leaves validation to the server (no client-side schema needed).
# So the emulator serves a path index and, per group-version, one PATCH operation per kind that declares the
# query parameters; component schemas are empty (the emulator does not validate against schemas).

def _gv_path(group: str, version: str) -> str:
    return f"apis/{group}/{version}" if group else f"api/{version}"


def openapi_v3_gv_doc(table: ResourceTable, group: str, version: str) -> dict | None:
    types = [t for t in table.all() if t.group == group and t.version == version]
    if not types:
        return None
    params = [{"name": n, "in": "query", "schema": {"type": "string"}, "uniqueItems": True}
              for n in ("dryRun", "fieldManager", "fieldValidation", "force")]
    paths = {}
    for t in types:
        base = "/" + _gv_path(group, version) + ("/namespaces/{namespace}" if t.namespaced else "")
        gvk = {"group": group, "version": version, "kind": t.kind}
        paths[f"{base}/{t.plural}/{{name}}"] = {
            "patch": {"operationId": f"patch{t.kind}", "x-kubernetes-action": "patch",
                      "x-kubernetes-group-version-kind": gvk, "parameters": params,
                      "responses": {"200": {"description": "OK"}}},
            "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}],
        }
    return {"openapi": "3.0.0", "info": {"title": "Kubernetes", "version": "unversioned"}, "paths": paths,
            "components": {"schemas": {}}}


def openapi_v3_index(table: ResourceTable) -> dict:
    import hashlib
    import json
    out = {}
    for group, versions in table.group_versions().items():
        for v in versions:
            doc = openapi_v3_gv_doc(table, group, v)
            if doc is None:
                continue
            digest = hashlib.sha512(json.dumps(doc, sort_keys=True).encode()).hexdigest()[:32].upper()
            out[_gv_path(group, v)] = {"serverRelativeURL": f"/openapi/v3/{_gv_path(group, v)}?hash={digest}"}
    return {"paths": out}


# ---------------------------------------------------------------------------------------------- OpenAPI v2
# kubectl falls back to client-side validation with /openapi/v2 (asked for as protobuf) for kinds whose group-
# version is not in /openapi/v3 (e.g. a custom resource whose CRD does not exist yet). An empty document makes
# that validation a no-op, so kubectl gets as far as the REST mapping and reports the missing kind as it would
# against a real server ("no matches for kind ...").

def _pb_string(field: int, value: str) -> bytes:
    data = value.encode()
    return bytes([(field << 3) | 2, len(data)]) + data


def openapi_v2(as_protobuf: bool, version: str) -> tuple[bytes | dict, str]:
    if as_protobuf:
        info = _pb_string(1, "Kubernetes") + _pb_string(2, version)
        doc = _pb_string(1, "2.0") + bytes([(2 << 3) | 2, len(info)]) + info
        return doc, "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"
    return {"swagger": "2.0", "info": {"title": "Kubernetes", "version": version}, "paths": {},
            "definitions": {}}, "application/json"
