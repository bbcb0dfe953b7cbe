"""Test knobs: readiness simulation, fault injection, the request log."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    content_type: str
    body: bytes
    headers: dict[str, str]

    @property
    def json(self) -> Any:
        if not self.body:
            return None
        try:
            return json.loads(self.body)
        except ValueError:
            import yaml
            return yaml.safe_load(self.body)

    def param(self, name: str) -> str | None:
        vals = self.query.get(name)
        return vals[0] if vals else None


@dataclass
class Fault:
    """Answer matching requests with an error, a delay, or a dropped connection, `count` times (None = always)."""
    method: str | None = None
    path: str = ".*"
    status: int | None = None
    count: int | None = 1
    delay: float = 0.0
    drop: bool = False
    retry_after: int | None = None
    message: str = ""
    hits: int = 0
    _rx: re.Pattern = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._rx = re.compile(self.path)

    def matches(self, method: str, path: str) -> bool:
        if self.count is not None and self.hits >= self.count:
            return False
        if self.method and self.method.upper() != method:
            return False
        return bool(self._rx.search(path))


READY_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "PersistentVolumeClaim", "Service",
               "Pod", "CustomResourceDefinition", "APIService")


class Readiness:
    """Per-kind readiness mode: "immediate", "never", or an int N = ready after N reads of the object."""

    def __init__(self, default: str | int = "immediate", crd: str | int = "immediate"):
        self.lock = threading.Lock()
        self.modes: dict[str, str | int] = {k: default for k in READY_KINDS}
        self.modes["CustomResourceDefinition"] = crd
        self.reads: dict[str, int] = {}

    def mode(self, kind: str) -> str | int | None:
        return self.modes.get(kind)

    def note_read(self, uid: str) -> int:
        with self.lock:
            self.reads[uid] = self.reads.get(uid, 0) + 1
            return self.reads[uid]


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def ready_status(kind: str, obj: dict) -> dict | None:
    """The status a controller would eventually write for a healthy object of this kind (None = no change)."""
    spec = obj.get("spec") or {}
    gen = (obj.get("metadata") or {}).get("generation", 1)
    t = now()
    if kind == "Deployment":
        n = spec.get("replicas", 1)
        return {"observedGeneration": gen, "replicas": n, "updatedReplicas": n, "readyReplicas": n,
                "availableReplicas": n, "conditions": [
                    {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable",
                     "message": "Deployment has minimum availability.", "lastUpdateTime": t,
                     "lastTransitionTime": t},
                    {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable",
                     "message": f'ReplicaSet "{obj["metadata"]["name"]}-5d4f8c" has successfully progressed.',
                     "lastUpdateTime": t, "lastTransitionTime": t}]}
    if kind == "APIService":  # the aggregated API's backing service answers
        return {"conditions": [{"type": "Available", "status": "True", "reason": "Passed",
                                "message": "all checks passed", "lastTransitionTime": t}]}
    if kind == "StatefulSet":
        n = spec.get("replicas", 1)
        rev = f'{obj["metadata"]["name"]}-7c9b8d'
        return {"observedGeneration": gen, "replicas": n, "readyReplicas": n, "currentReplicas": n,
                "updatedReplicas": n, "availableReplicas": n, "currentRevision": rev, "updateRevision": rev,
                "collisionCount": 0}
    if kind == "DaemonSet":
        return {"observedGeneration": gen, "desiredNumberScheduled": 1, "currentNumberScheduled": 1,
                "numberReady": 1, "updatedNumberScheduled": 1, "numberAvailable": 1, "numberMisscheduled": 0}
    if kind == "ReplicaSet":
        n = spec.get("replicas", 1)
        return {"observedGeneration": gen, "replicas": n, "readyReplicas": n, "availableReplicas": n,
                "fullyLabeledReplicas": n}
    if kind == "Job":
        n = spec.get("completions", 1)
        return {"startTime": t, "completionTime": t, "succeeded": n, "active": 0, "ready": 0,
                "conditions": [{"type": "Complete", "status": "True", "lastProbeTime": t,
                                "lastTransitionTime": t}]}
    if kind == "PersistentVolumeClaim":
        req = ((spec.get("resources") or {}).get("requests")) or {}
        return {"phase": "Bound", "accessModes": spec.get("accessModes", ["ReadWriteOnce"]),
                "capacity": {"storage": req.get("storage", "1Gi")}}
    if kind == "Service":
        if spec.get("type") != "LoadBalancer":
            return None
        return {"loadBalancer": {"ingress": [{"ip": "192.0.2.10", "ipMode": "VIP"}]}}
    if kind == "Pod":
        return {"phase": "Running", "startTime": t, "podIP": "10.244.0.10",
                "conditions": [{"type": c, "status": "True", "lastTransitionTime": t}
                               for c in ("Initialized", "Ready", "ContainersReady", "PodScheduled")]}
    if kind == "CustomResourceDefinition":
        names = dict(spec.get("names") or {})
        names.setdefault("singular", names.get("kind", "").lower())
        names.setdefault("listKind", names.get("kind", "") + "List")
        return {"acceptedNames": names, "storedVersions": [v["name"] for v in spec.get("versions") or []
                                                           if v.get("storage")],
                "conditions": [{"type": "NamesAccepted", "status": "True", "reason": "NoConflicts",
                                "message": "no conflicts found", "lastTransitionTime": t},
                               {"type": "Established", "status": "True", "reason": "InitialNamesAccepted",
                                "message": "the initial names have been accepted", "lastTransitionTime": t}]}
    return None
