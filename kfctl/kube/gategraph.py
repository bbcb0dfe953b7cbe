"""The readiness gates of an apply, derived from the objects (design.md, "Readiness gates are typed").

A gate is something that must be true on the cluster before an object is applied:

* ``endpoints``  — a webhook's Service has a ready endpoint (an EndpointSlice address not ``ready: false``
  on the port the webhook calls; the legacy Endpoints where slices cannot be read);
* ``workload``   — a Deployment/StatefulSet/DaemonSet of the render that the Service of a webhook or an
  APIService selects is ready (the controller behind it);
* ``cabundle``   — a webhook configuration whose render has no caBundle (cert-manager injects it:
  ``cert-manager.io/inject-ca-from`` / ``inject-ca-from-secret``; or the controller writes it) has one on
  every service webhook on the cluster;
* ``apiservice`` — an APIService with ``spec.service`` is ``Available`` (before its group/version is used);
* ``applied``    — a webhook configuration or APIService of the render was applied (before what needs it).

CRDs ``Established`` before their custom resources stay in :mod:`kfctl.kube.apply` (tiers); when the gates
are waited for and how a refusal is retried is :mod:`kfctl.kube.gates`; reading one is
:mod:`kfctl.kube.gatereads`.

Where the gates come from: every Mutating/ValidatingWebhookConfiguration of the render and of the cluster
(one LIST each) — each webhook's ``clientConfig.service`` and ``rules`` (groups, versions, resources,
operations, scope), ``namespaceSelector`` (from the render's Namespaces, else the cluster's) and
``objectSelector``; ``failurePolicy: Ignore`` webhooks are not gates (the server admits without them);
``matchConditions`` cannot be evaluated here, so they count as matching.  Conservative: what cannot be told
apart is gated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from kfctl.errors import ClusterError
from kfctl.kube.client import Kube
from kfctl.kube.discovery import Discovery
from kfctl.kube.errors import ApiError, Unreachable
from kfctl.render import order
from kfctl.render.model import Render, RenderedObject
from kfctl.util.k8s import split_api_version

WEBHOOK_KINDS = ("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")
ADMISSION = "/apis/admissionregistration.k8s.io/v1"
APIREGISTRATION = "/apis/apiregistration.k8s.io/v1"
FROM_CERT = "cert-manager.io/inject-ca-from"
FROM_SECRET = "cert-manager.io/inject-ca-from-secret"
WORKLOADS = {"Deployment": "deployments", "StatefulSet": "statefulsets", "DaemonSet": "daemonsets"}
# the API groups kube-apiserver serves itself (its local APIServices, no spec.service)
LOCAL_GROUPS = frozenset({
    "", "admissionregistration.k8s.io", "apiextensions.k8s.io", "apiregistration.k8s.io", "apps",
    "authentication.k8s.io", "authorization.k8s.io", "autoscaling", "batch", "certificates.k8s.io",
    "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io", "flowcontrol.apiserver.k8s.io",
    "internal.apiserver.k8s.io", "networking.k8s.io", "node.k8s.io", "policy", "rbac.authorization.k8s.io",
    "resource.k8s.io", "scheduling.k8s.io", "storage.k8s.io", "storagemigration.k8s.io"})


@dataclass(frozen=True)
class Gate:
    kind: str  # endpoints | workload | cabundle | apiservice | applied
    name: str
    namespace: str = ""
    what: str = ""  # workload / applied: the object's kind; cabundle: the configuration's kind
    port: str | None = None  # endpoints: the name of the Service port the webhook calls (None: any)
    source: str = ""  # cabundle: who writes it

    @property
    def ref(self) -> str:
        return f"{self.namespace}/{self.name}" if self.namespace else self.name

    def describe(self) -> str:
        """The condition, e.g. 'Service kserve/kserve-webhook-server-service has ready endpoints'."""
        if self.kind == "endpoints":
            return f"Service {self.ref} has ready endpoints"
        if self.kind == "workload":
            return f"{self.what} {self.ref} is ready"
        if self.kind == "cabundle":
            return f"{self.what} {self.ref} has a caBundle ({self.source})"
        if self.kind == "apiservice":
            return f"APIService {self.ref} is Available"
        return f"{self.what} {self.ref} is applied"



@dataclass
class Hook:
    name: str
    config: "HookConfig"
    rules: list
    namespace_selector: dict | None
    object_selector: dict | None
    fail: bool  # failurePolicy Fail (the default): a failed call refuses the request
    conditions: bool  # has matchConditions (not evaluated here: counts as matching)
    exact: bool  # matchPolicy Exact
    service: tuple[str, str, int] | None  # (namespace, name, port) of clientConfig.service
    ca: bool  # clientConfig.caBundle is set


@dataclass
class HookConfig:
    kind: str
    name: str
    obj: dict
    rendered: RenderedObject | None = None
    live: bool = False  # on the cluster before this apply
    hooks: list[Hook] = field(default_factory=list)

    @property
    def ref(self) -> str:
        return f"{self.kind} {self.name}"

    def ca_source(self) -> str:
        ann = (self.obj.get("metadata") or {}).get("annotations") or {}
        if ann.get(FROM_CERT):
            return f"cert-manager injects it from Certificate {ann[FROM_CERT]}"
        if ann.get(FROM_SECRET):
            return f"cert-manager injects it from Secret {ann[FROM_SECRET]}"
        return "its controller writes it"


def hook_config(obj: dict, rendered: RenderedObject | None = None, live: bool = False) -> HookConfig:
    cfg = HookConfig(str(obj.get("kind")), str((obj.get("metadata") or {}).get("name", "")), obj, rendered, live)
    for h in obj.get("webhooks") or []:
        cc = h.get("clientConfig") or {}
        svc = cc.get("service")
        cfg.hooks.append(Hook(
            name=str(h.get("name", "")), config=cfg, rules=list(h.get("rules") or []),
            namespace_selector=h.get("namespaceSelector"), object_selector=h.get("objectSelector"),
            fail=h.get("failurePolicy", "Fail") != "Ignore", conditions=bool(h.get("matchConditions")),
            exact=h.get("matchPolicy") == "Exact",
            service=(str(svc.get("namespace", "")), str(svc.get("name", "")), int(svc.get("port") or 443))
            if isinstance(svc, dict) else None,
            ca=bool(cc.get("caBundle"))))
    return cfg


def selector_matches(selector: dict | None, labels: dict | None) -> bool | None:
    """A metav1.LabelSelector against labels: True/False, or None when it cannot be evaluated."""
    if not selector:
        return True
    labels = labels or {}
    for k, v in (selector.get("matchLabels") or {}).items():
        if labels.get(k) != v:
            return False
    for e in selector.get("matchExpressions") or []:
        key, op, values = e.get("key"), e.get("operator"), e.get("values") or []
        if op == "In":
            ok = labels.get(key) in values
        elif op == "NotIn":
            ok = key not in labels or labels[key] not in values
        elif op == "Exists":
            ok = key in labels
        elif op == "DoesNotExist":
            ok = key not in labels
        else:
            return None
        if not ok:
            return False
    return True


def _labels(obj: dict | None) -> dict:
    return dict(((obj or {}).get("metadata") or {}).get("labels") or {})


@dataclass(frozen=True)
class ApiServiceRef:
    name: str
    rendered: bool  # in this render (else already on the cluster)
    service: tuple[str, str, int]  # (namespace, name, port) of spec.service


def _apiservice(obj: dict, rendered: bool) -> tuple[tuple[str, str], ApiServiceRef] | None:
    spec = obj.get("spec") or {}
    svc = spec.get("service")
    if not isinstance(svc, dict) or not spec.get("group") or not spec.get("version"):
        return None
    ref = ApiServiceRef(str((obj.get("metadata") or {}).get("name", "")), rendered,
                        (str(svc.get("namespace", "")), str(svc.get("name", "")), int(svc.get("port") or 443)))
    return (spec["group"], spec["version"]), ref


class GateGraph:
    """Which gates each object of a render waits for: the webhooks that will admit it, its API's APIService."""

    def __init__(self, kube: Kube, disco: Discovery, render: Render, *, live: dict | None = None):
        self.kube, self.disco, self.render = kube, disco, render
        self.live = live or {}  # identity -> live object (the labelled lists of the apply)
        self.configs: dict[tuple[str, str], HookConfig] = {}
        self.apiservices: dict[tuple[str, str], ApiServiceRef] = {}  # (group, version) ->
        self.applied: set[tuple[str, str]] = set()  # (kind, name) of rendered objects applied in this run
        self._ns_labels: dict[str, dict] | None = None
        self._matches: dict[tuple, list[Hook]] = {}
        self._plurals: dict[tuple[str, str], tuple[str, bool]] = {}
        for o in render.objects:
            if o.kind == "CustomResourceDefinition":
                spec = o.obj.get("spec") or {}
                names = spec.get("names") or {}
                if names.get("kind") and names.get("plural"):
                    self._plurals[(str(spec.get("group", "")), names["kind"])] = (
                        names["plural"], spec.get("scope", "Namespaced") == "Namespaced")
        self._services = {(o.namespace or "", o.name): o.obj for o in render.objects
                          if o.kind == "Service" and not o.group}
        self._workloads = [o for o in render.objects if o.kind in WORKLOADS and o.group == "apps"]
        self._namespaces = {o.name: o.obj for o in render.objects if o.kind == "Namespace" and not o.group}
        for o in render.objects:
            if o.kind in WEBHOOK_KINDS and o.group == "admissionregistration.k8s.io":
                self.configs[(o.kind, o.name)] = hook_config(o.obj, o)
            if o.kind == "APIService" and o.group == "apiregistration.k8s.io":
                found = _apiservice(o.obj, True)
                if found:
                    self.apiservices[found[0]] = found[1]
        self._loaded = False  # the cluster's configurations: listed when first needed (a no-op apply never)

    # ------------------------------------------------------------------ what is on the cluster
    def _load_live(self) -> None:
        """The cluster's webhook configurations and APIServices (one LIST each; APIServices only when an
        object of the render may be served through one); unreadable: none known (a refusal still names its
        webhook, and is then looked up)."""
        self._loaded = True
        for kind, plural in (("MutatingWebhookConfiguration", "mutatingwebhookconfigurations"),
                             ("ValidatingWebhookConfiguration", "validatingwebhookconfigurations")):
            for item in self._list(f"{ADMISSION}/{plural}"):
                name = (item.get("metadata") or {}).get("name", "")
                item.setdefault("kind", kind)
                mine = self.configs.get((kind, name))
                if mine is not None:
                    mine.live = True
                else:
                    self.configs[(kind, name)] = hook_config(item, live=True)
        if self._may_be_aggregated():
            for item in self._list(f"{APIREGISTRATION}/apiservices"):
                found = _apiservice(item, False)
                if found:
                    self.apiservices.setdefault(*found)
        self._matches.clear()

    def _may_be_aggregated(self) -> bool:
        """Whether an object of the render could be served through the cluster's APIServices: one whose
        group is neither one kube-apiserver serves itself nor one a CRD of the render defines (those are
        served by the API server; an APIService with a Service for them is not a working cluster)."""
        crd_groups = {g for g, _kind in self._plurals}
        return any(o.group not in LOCAL_GROUPS and o.group not in crd_groups for o in self.render.objects)

    def _list(self, path: str) -> list[dict]:
        try:
            return list(self.kube.get(path).get("items") or [])
        except (ApiError, Unreachable, ClusterError):
            return []

    def _namespace_labels(self, ns: str) -> dict | None:
        if ns in self._namespaces:
            return {**_labels(self._namespaces[ns]), "kubernetes.io/metadata.name": ns}
        if self._ns_labels is None:
            self._ns_labels = {}
            for item in self._list("/api/v1/namespaces"):
                name = (item.get("metadata") or {}).get("name", "")
                self._ns_labels[name] = {**_labels(item), "kubernetes.io/metadata.name": name}
        if ns in self._ns_labels:
            return self._ns_labels[ns]
        if ns == self.render.namespace:
            return {"kubernetes.io/metadata.name": ns}  # apply creates it, with no other labels
        return None

    # ------------------------------------------------------------------ which webhooks see an object
    def _resource(self, ro: RenderedObject) -> tuple[str, bool] | None:
        res = self.disco.lookup(ro.api_version, ro.kind)
        if res is not None:
            return res.name, res.namespaced
        return self._plurals.get((ro.group, ro.kind))

    def _rule(self, hook: Hook, rule: dict, ro: RenderedObject, plural: str | None, namespaced: bool,
              ops: set[str]) -> bool:
        rops = rule.get("operations") or []
        if "*" not in rops and not ops & set(rops):
            return False
        groups = rule.get("apiGroups") or []
        if "*" not in groups and ro.group not in groups:
            return False
        versions = rule.get("apiVersions") or []
        if hook.exact and "*" not in versions and ro.version not in versions:
            return False  # (matchPolicy Equivalent also sends other versions of the resource: version ignored)
        if plural is not None:
            for r in rule.get("resources") or []:
                name, _, sub = r.partition("/")
                if name in ("*", plural) and sub in ("", "*"):
                    break
            else:
                return False
        scope = rule.get("scope") or "*"
        is_ns = ro.kind == "Namespace" and not ro.group
        if scope == "Namespaced" and (is_ns or not namespaced):
            return False
        if scope == "Cluster" and namespaced and not is_ns:
            return False
        return True

    def _intercepts(self, hook: Hook, ro: RenderedObject) -> bool:
        if not hook.fail or not hook.rules:
            return False
        found = self._resource(ro)
        plural, namespaced = found if found else (None, bool(ro.namespace))  # unknown resource: match by group
        live = self.live.get((ro.group, ro.kind, ro.namespace or "", ro.name))
        ops = {"UPDATE"} if live is not None else {"CREATE", "UPDATE"}  # (unlabelled live objects: either)
        if not any(self._rule(hook, r, ro, plural, namespaced, ops) for r in hook.rules):
            return False
        if hook.namespace_selector:
            if ro.kind == "Namespace" and not ro.group:
                labels: dict | None = {**_labels(ro.obj), "kubernetes.io/metadata.name": ro.name}
            elif namespaced and ro.namespace:
                labels = self._namespace_labels(ro.namespace)
            else:
                labels = None  # cluster-scoped objects are never skipped by a namespaceSelector
            if labels is not None and selector_matches(hook.namespace_selector, labels) is False:
                return False
        if hook.object_selector:
            results = [selector_matches(hook.object_selector, _labels(o)) for o in (ro.obj, live) if o is not None]
            if all(r is False for r in results):
                return False
        return True

    def hooks_for(self, ro: RenderedObject) -> list[Hook]:
        if not self._loaded:
            self._load_live()
        if ro.kind in WEBHOOK_KINDS and ro.group == "admissionregistration.k8s.io":
            return []  # webhook configurations are never intercepted
        key = ro.key
        if key not in self._matches:
            self._matches[key] = [h for cfg in self.configs.values() for h in cfg.hooks if self._intercepts(h, ro)]
        return self._matches[key]

    # ------------------------------------------------------------------ the gates of an object
    def backend(self, cfg: HookConfig, hooks: Iterable[Hook] | None = None) -> list[Gate]:
        """A webhook's backend: its Service's endpoints, and the render's workloads the Service selects."""
        out: list[Gate] = []
        for h in hooks if hooks is not None else [h for h in cfg.hooks if h.fail]:
            if h.service is not None:
                out += self.service_backend(*h.service, workloads=cfg.rendered is not None)
        return list(dict.fromkeys(out))

    def service_backend(self, ns: str, name: str, port: int, *, workloads: bool = True) -> list[Gate]:
        """The Service's endpoints (on the port named as ``port``'s) and, with ``workloads``, the render's
        Deployments/StatefulSets/DaemonSets it selects."""
        svc = self._services.get((ns, name))
        port_name = None
        if svc is not None:
            sp = next((p for p in (svc.get("spec") or {}).get("ports") or [] if p.get("port") == port), None)
            port_name = (sp.get("name") or "") if sp else None
        out = [Gate("endpoints", name, ns, port=port_name)]
        selector = ((svc or {}).get("spec") or {}).get("selector") or {}
        if selector and workloads:
            for w in self._workloads:
                tmpl = ((w.obj.get("spec") or {}).get("template") or {}).get("metadata") or {}
                if (w.namespace or self.render.namespace) == ns and \
                        all((tmpl.get("labels") or {}).get(k) == v for k, v in selector.items()):
                    out.append(Gate("workload", w.name, ns, what=w.kind))
        return out

    def _ca(self, cfg: HookConfig) -> list[Gate]:
        if all(h.ca for h in cfg.hooks if h.fail and h.service is not None):
            return []
        return [Gate("cabundle", cfg.name, what=cfg.kind, source=cfg.ca_source())]

    def _late(self, ro: RenderedObject) -> bool:
        """Applied after the render's webhook configurations that intercept it (custom resources and the
        last tiers); the built-in objects before (the controllers behind those webhooks among them)."""
        return order.kind_rank(ro.kind) >= order.UNKNOWN_RANK

    def gates_for(self, ro: RenderedObject, *, preview: bool = False) -> list[tuple[Gate, str]]:
        """(gate, why the object waits for it) — for the webhooks that will admit it, and its API's APIService."""
        out: list[tuple[Gate, str]] = []
        for hook in self.hooks_for(ro):
            cfg = hook.config
            why = f'webhook "{hook.name}" ({cfg.ref}) admits it'
            if cfg.rendered is not None and not cfg.live and (cfg.kind, cfg.name) not in self.applied:
                if not self._late(ro):
                    continue  # applied before the configuration exists
                out.append((Gate("applied", cfg.name, what=cfg.kind), why))
            for g in self.backend(cfg, [hook]) + self._ca(cfg):
                out.append((g, why))
        group, version = split_api_version(ro.api_version)
        api = self.apiservices.get((group, version))
        if api is not None:
            why = f"{ro.api_version} is served through APIService {api.name}"
            if api.rendered and ("APIService", api.name) not in self.applied and not preview:
                out.append((Gate("applied", api.name, what="APIService"), why))
            if api.rendered:  # (its Service's workloads: what a timeout names as the cause)
                out += [(g, why) for g in self.service_backend(*api.service) if g.kind == "workload"]
            out.append((Gate("apiservice", api.name), why))
        seen: dict[Gate, str] = {}
        for g, why in out:
            seen.setdefault(g, why)
        return list(seen.items())

