"""APIService availability and the aggregation layer's face in discovery (kube-aggregator).

Knob `apiservices` (when an `apiregistration.k8s.io/v1` APIService with a `spec.service` becomes
`Available=True`):
- "immediate" (the default): at once (`Passed`, "all checks passed").
- "endpoints": as kube-aggregator's availability controller decides (pkg/controllers/status/remote): the
  Service must exist (else `ServiceNotFound`: `service/x in "ns" is not present`), listen on the port
  (`ServicePortError`), have EndpointSlices (`EndpointsNotFound`) with a ready address on that port's name
  (`MissingEndpoints`: `endpointslices for service/x in "ns" have no addresses with port name "https"`); with
  the `require_ca_bundle` knob, an APIService with neither caBundle nor insecureSkipTLSVerify then fails its
  discovery check (`FailedDiscoveryCheck`, an x509 unknown-authority error).
- an After spec (N reads of the APIService, "<seconds>s", "never"): `FailedDiscoveryCheck` (connection
  refused) until then.
APIServices without `spec.service` are local: `Available=True`, reason `Local`.

Until it is available an APIService's group/version is listed in /apis (as the real /apis lists every
APIService), is `freshness: Stale` with no resources in aggregated discovery, and /apis/GROUP/VERSION and every
resource path under it answer `503 service unavailable` (plain text, as the aggregator's proxy does; clients
print "the server is currently unable to handle the request"). Once available it serves the resources given
for it in the `aggregated_resources` knob ({"metrics.k8s.io/v1beta1": [{"name": "pods", "kind": "PodMetrics",
"namespaced": True}]}; stored like custom resources), or an empty resource list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .jcopy import clone
from .admission import UNKNOWN_AUTHORITY
from .controllers import After, Controller, set_condition
from .endpoints import ready_address, service_slices
from .knobs import now
from .resources import ResourceType

if TYPE_CHECKING:
    from .store import Store

LOCAL = ("True", "Local", "Local APIServices are always available")


@dataclass
class AggregatedGV:
    group: str
    version: str
    available: bool
    types: list[ResourceType] = field(default_factory=list)


class Aggregation(Controller):
    name = "apiservices"
    watches = frozenset({"APIService", "Service", "EndpointSlice"})

    def __init__(self, mode: str | int = "immediate", resources: dict[str, list[dict]] | None = None,
                 require_ca_bundle: bool = False, routing: str = "endpoints"):
        self.by_endpoints = mode == "endpoints"
        self.after = None if self.by_endpoints else After.parse(mode, "apiservices")
        self.reads = frozenset({"APIService"}) if self.after and self.after.how == "reads" else frozenset()
        self.timed = bool(self.after and self.after.timed)
        self.resources = resources or {}
        self.require_ca_bundle = require_ca_bundle
        self.routing = routing
        self.since: dict[str, float] = {}
        self.read_counts: dict[str, int] = {}
        self.pending: set[str] = set()   # APIService uids not yet Available (After modes)

    def reconcile(self, store: "Store") -> None:
        import time
        rt = store.find_type("apiregistration.k8s.io", "apiservices")
        served: dict[str, AggregatedGV] = {}
        for obj in list(store.stored("apiregistration.k8s.io", "apiservices")):
            spec = obj.get("spec") or {}
            uid = obj["metadata"]["uid"]
            if not spec.get("service"):
                status, reason, message = LOCAL
            else:
                self.since.setdefault(uid, time.monotonic())
                status, reason, message = self._check(store, spec, uid)
                (self.pending.discard if status == "True" else self.pending.add)(uid)
                group, version = spec.get("group", ""), spec.get("version", "")
                if group and version:
                    served[obj["metadata"]["name"]] = AggregatedGV(group, version, status == "True",
                                                                   self._types(group, version, obj))
            cond = {"type": "Available", "status": status, "lastTransitionTime": now(), "reason": reason,
                    "message": message}
            conds = (obj.get("status") or {}).get("conditions") or []
            cur = next((c for c in conds if c.get("type") == "Available"), None)
            if cur is None or (cur.get("status"), cur.get("reason"), cur.get("message")) != (status, reason, message):
                new = clone(obj)
                new["status"] = {**(obj.get("status") or {}), "conditions": set_condition(conds, cond)}
                store.system_write(rt, new, "kube-apiserver", subresource="status")
        store.table.aggregated = served

    def on_read(self, store: "Store", rt: ResourceType, obj: dict) -> None:
        uid = obj["metadata"]["uid"]
        self.read_counts[uid] = self.read_counts.get(uid, 0) + 1
        store.mark_dirty("APIService")

    def due(self) -> bool:
        if not self.after or not self.after.timed:
            return False
        import time
        t = time.monotonic()
        return any(t - self.since[u] >= self.after.seconds for u in self.pending if u in self.since)

    # ------------------------------------------------------------------ helpers
    def _check(self, store: "Store", spec: dict, uid: str) -> tuple[str, str, str]:
        ref = spec["service"]
        ns, name, port = ref.get("namespace", ""), ref.get("name", ""), ref.get("port") or 443
        svc = store.objects.get(("", "services", ns, name))
        gv_path = f'/apis/{spec.get("group")}/{spec.get("version")}'
        if not self.by_endpoints and self.after.due(self.read_counts.get(uid, 0), self.since.get(uid)):
            return "True", "Passed", "all checks passed"
        if svc is None:
            return "False", "ServiceNotFound", f'service/{name} in "{ns}" is not present'
        svc_spec = svc.get("spec") or {}
        cluster = f'{svc_spec.get("clusterIP")}:{port}'
        if not self.by_endpoints:
            url = f"https://{cluster}{gv_path}"
            return "False", "FailedDiscoveryCheck", (f'failing or missing response from {url}: Get "{url}": dial tcp '
                                                     f'{cluster}: connect: connection refused')
        port_name = ""
        if svc_spec.get("type", "ClusterIP") == "ClusterIP":
            svc_port = next((p for p in svc_spec.get("ports") or [] if p.get("port") == port), None)
            if svc_port is None:
                return "False", "ServicePortError", f'service/{name} in "{ns}" is not listening on port {port}'
            port_name = svc_port.get("name") or ""
            if not service_slices(store, ns, name):
                return "False", "EndpointsNotFound", f'cannot find endpointslices for service/{name} in "{ns}"'
            if ready_address(store, ns, name, port_name) is None:
                return "False", "MissingEndpoints", (f'endpointslices for service/{name} in "{ns}" have no '
                                                     f'addresses with port name "{port_name}"')
        if self.require_ca_bundle and not spec.get("caBundle") and not spec.get("insecureSkipTLSVerify"):
            addr = ready_address(store, ns, name, port_name) if self.routing == "endpoints" else cluster
            url = f"https://{addr or cluster}{gv_path}"
            return "False", "FailedDiscoveryCheck", f'failing or missing response from {url}: Get "{url}": ' \
                                                    f"{UNKNOWN_AUTHORITY}"
        return "True", "Passed", "all checks passed"

    def _types(self, group: str, version: str, obj: dict) -> list[ResourceType]:
        out = []
        for r in self.resources.get(f"{group}/{version}", []):
            out.append(ResourceType(group, version, r["name"], r["kind"], bool(r.get("namespaced", True)),
                                    singular=r.get("singularName", ""),
                                    verbs=tuple(r.get("verbs") or ("get", "list", "watch", "create", "update",
                                                                   "patch", "delete")),
                                    crd=f'apiservice:{obj["metadata"]["name"]}'))
        return out


# ---------------------------------------------------------------------------------------------- kubectl get
# kube-aggregator's printer (pkg/registry/apiservice/etcd/etcd.go ConvertToTable): NAME SERVICE AVAILABLE AGE,
# with AVAILABLE "True", or "False (MissingEndpoints)" (status and reason), or "Unknown" without a condition.
TABLE_COLUMNS = [
    {"name": "Name", "type": "string", "format": "name", "priority": 0,
     "description": "Name must be unique within a namespace."},
    {"name": "Service", "type": "string", "format": "", "priority": 0,
     "description": "The reference to the service that hosts this API endpoint."},
    {"name": "Available", "type": "string", "format": "", "priority": 0,
     "description": "Whether this service is available."},
    {"name": "Age", "type": "string", "format": "", "priority": 0,
     "description": "CreationTimestamp is a timestamp representing the server time when this object was created."}]


def table_cells(obj: dict) -> list:
    spec = obj.get("spec") or {}
    ref = spec.get("service")
    service = f'{ref.get("namespace")}/{ref.get("name")}' if ref else "Local"
    status = "Unknown"
    cond = next((c for c in (obj.get("status") or {}).get("conditions") or [] if c.get("type") == "Available"), None)
    if cond is not None:
        status = cond["status"] if cond.get("status") == "True" or not cond.get("reason") else \
            f'{cond["status"]} ({cond["reason"]})'
    return [obj["metadata"]["name"], service, status, _age(obj["metadata"].get("creationTimestamp"))]


def _age(ts: str | None) -> str:
    """k8s.io/apimachinery/pkg/util/duration.HumanDuration, for the ages a test sees."""
    from datetime import datetime, timezone
    if not ts:
        return "<unknown>"
    secs = int((datetime.now(timezone.utc) - datetime.strptime(ts, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=timezone.utc)).total_seconds())
    if secs < 0:
        return "0s"
    if secs < 120:
        return f"{secs}s"
    minutes = secs // 60
    if minutes < 10:
        return f"{minutes}m{secs % 60}s" if secs % 60 else f"{minutes}m"
    if minutes < 180:
        return f"{minutes}m"
    return f"{minutes // 60}h"
