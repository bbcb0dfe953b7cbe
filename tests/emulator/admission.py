"""The webhooks knob: stored Mutating/ValidatingWebhookConfigurations gate the requests their rules match.

The emulator cannot call a webhook, so it does what kube-apiserver does before the call and stops there: it
resolves the webhook's Service. A webhook whose Service has no ready endpoint (an EndpointSlice address that
is not `ready: false`, with the Service port's name) fails as on a real server, and so, with the
`require_ca_bundle` knob, does a service webhook whose clientConfig has no caBundle (the serving certificate
is then checked against the system roots and fails). Once both are in place the webhook "allows" the request
unchanged. URL webhooks (clientConfig.url) always allow.

A failed call with failurePolicy Fail (the default) rejects the request with kube's exact text
(k8s.io/apiserver: webhook/{mutating,validating}/dispatcher.go, util/webhook, util/proxy):

    500 InternalError: Internal error occurred: failed calling webhook "NAME": failed to call webhook:
    Post "https://SVC.NS.svc:PORT/PATH?timeout=10s": no endpoints available for service "SVC"

`routing` picks the resolver: "endpoints" (kube-apiserver --enable-aggregator-routing; the message above) or
"clusterip" (the default of a kubeadm/kind cluster: the ClusterIP is dialled and, with no ready endpoint,
`dial tcp 10.96.0.11:443: connect: connection refused`). Mutating webhooks run before object validation,
validating ones after, both after the namespace check; webhook configurations themselves are never intercepted;
dry-run requests are intercepted too (webhooks must declare sideEffects None/NoneOnDryRun; others refuse with
`admission webhook "NAME" does not support dry run`). Rules match operations, apiGroups, apiVersions
(matchPolicy Equivalent also accepts another served version of the same resource), resources with
subresources ("*", "*/*", "deployments/status", "pods/*"), scope, namespaceSelector and objectSelector;
matchConditions (CEL) are not evaluated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .controllers import label_selector_matches
from .endpoints import ready_address
from .errors import ApiError, bad_request

if TYPE_CHECKING:
    from .resources import ResourceType
    from .store import Store, WriteOptions

UNKNOWN_AUTHORITY = "tls: failed to verify certificate: x509: certificate signed by unknown authority"


class Admission:
    def __init__(self, routing: str = "endpoints", require_ca_bundle: bool = False):
        if routing not in ("endpoints", "clusterip"):
            raise ValueError(f'webhook_routing: {routing!r} is not "endpoints" or "clusterip"')
        self.routing = routing
        self.require_ca_bundle = require_ca_bundle

    def review(self, store: "Store", stage: str, rt: "ResourceType", new: dict | None, old: dict | None,
               opts: "WriteOptions", operation: str | None = None) -> None:
        if rt.group == "admissionregistration.k8s.io":
            return
        op = operation or ("CREATE" if old is None else "UPDATE")
        plural = "mutatingwebhookconfigurations" if stage == "mutating" else "validatingwebhookconfigurations"
        for cfg in store.stored("admissionregistration.k8s.io", plural):
            for hook in cfg.get("webhooks") or []:
                if not self.matches(store, hook, rt, op, new, old, opts.subresource):
                    continue
                if opts.dry_run and hook.get("sideEffects") not in ("None", "NoneOnDryRun"):
                    raise bad_request(f'admission webhook "{hook.get("name")}" does not support dry run')
                reason = self.call_error(store, hook)
                if reason is None or hook.get("failurePolicy", "Fail") == "Ignore":
                    continue
                msg = f'failed calling webhook "{hook.get("name")}": failed to call webhook: {reason}'
                raise ApiError(500, "InternalError", f"Internal error occurred: {msg}", {"causes": [{"message": msg}]})

    # ------------------------------------------------------------------ which requests a webhook sees
    def matches(self, store: "Store", hook: dict, rt: "ResourceType", op: str, new: dict | None, old: dict | None,
                subresource: str) -> bool:
        obj = new if new is not None else old
        ns = (obj or {}).get("metadata", {}).get("namespace") if rt.namespaced else None
        is_namespace = rt.group == "" and rt.kind == "Namespace"
        if not any(self._rule(store, r, rt, op, ns, subresource, hook.get("matchPolicy", "Equivalent"))
                   for r in hook.get("rules") or []):
            return False
        sel = hook.get("namespaceSelector")
        if sel:
            if is_namespace:
                labels = ((obj or {}).get("metadata") or {}).get("labels")
                if not label_selector_matches(sel, labels):
                    return False
            elif ns:
                nso = store.objects.get(("", "namespaces", "", ns)) or {}
                if not label_selector_matches(sel, (nso.get("metadata") or {}).get("labels")):
                    return False
        osel = hook.get("objectSelector")
        if osel:
            if not any(label_selector_matches(osel, ((o or {}).get("metadata") or {}).get("labels"))
                       for o in (new, old) if o is not None):
                return False
        return True

    @staticmethod
    def _rule(store: "Store", rule: dict, rt: "ResourceType", op: str, ns: str | None, subresource: str,
              policy: str) -> bool:
        ops = rule.get("operations") or []
        if "*" not in ops and op not in ops:
            return False
        groups = rule.get("apiGroups") or []
        if "*" not in groups and rt.group not in groups:
            return False
        versions = rule.get("apiVersions") or []
        if "*" not in versions and rt.version not in versions:
            if policy == "Exact" or not any(store.table.lookup(rt.group, v, rt.plural) for v in versions):
                return False
        for res in rule.get("resources") or []:
            r, _, sub = res.partition("/")
            if r in ("*", rt.plural) and sub in ("*", subresource):
                break
        else:
            return False
        scope = rule.get("scope") or "*"
        is_namespace = rt.group == "" and rt.kind == "Namespace"
        if scope == "Namespaced":
            return not is_namespace and bool(ns)
        if scope == "Cluster":
            return is_namespace or not ns
        return True

    # ------------------------------------------------------------------ calling it
    def call_error(self, store: "Store", hook: dict) -> str | None:
        """Why calling the webhook fails (the text after "failed to call webhook: "), or None if it answers."""
        cc = hook.get("clientConfig") or {}
        svc_ref = cc.get("service")
        if not svc_ref:
            return None
        ns, name = svc_ref.get("namespace", ""), svc_ref.get("name", "")
        port = svc_ref.get("port") or 443
        timeout = hook.get("timeoutSeconds") or 10
        url = f'https://{name}.{ns}.svc:{port}{svc_ref.get("path") or ""}?timeout={timeout}s'
        err = resolve(store, ns, name, port, self.routing)
        if err is None and self.require_ca_bundle and not cc.get("caBundle"):
            err = UNKNOWN_AUTHORITY
        return None if err is None else f'Post "{url}": {err}'


def resolve(store: "Store", ns: str, name: str, port: int, routing: str = "endpoints") -> str | None:
    """Reach Service ns/name on `port` as kube-apiserver's resolvers do: None, or the dial error's text."""
    svc: Any = store.objects.get(("", "services", ns, name))
    if svc is None:
        return f'service "{name}" not found'
    spec = svc.get("spec") or {}
    stype = spec.get("type", "ClusterIP")
    if routing == "clusterip" and stype == "ClusterIP" and spec.get("clusterIP") == "None":
        return 'cannot route to service with ClusterIP "None"'
    if stype not in ("ClusterIP", "LoadBalancer", "NodePort"):
        return None if routing == "clusterip" and stype == "ExternalName" else f'unsupported service type "{stype}"'
    svc_port = next((p for p in spec.get("ports") or [] if p.get("port") == port), None)
    if svc_port is None:
        return f'no service port {port} found for service "{name}"'
    if ready_address(store, ns, name, svc_port.get("name") or "") is None:
        if routing == "clusterip":
            return f'dial tcp {spec.get("clusterIP")}:{port}: connect: connection refused'
        return f'no endpoints available for service "{name}"'
    return None
