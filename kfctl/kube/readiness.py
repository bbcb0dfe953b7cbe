"""Is a live object ready?  (ready, reason) per kind; None = kfctl has no opinion (always ready)."""

from __future__ import annotations


def _cond(obj: dict, type_: str) -> dict | None:
    for c in (obj.get("status") or {}).get("conditions") or []:
        if c.get("type") == type_:
            return c
    return None


def readiness(obj: dict) -> tuple[bool, str]:
    kind = obj.get("kind")
    spec = obj.get("spec") or {}
    st = obj.get("status") or {}
    meta = obj.get("metadata") or {}
    gen, observed = meta.get("generation"), st.get("observedGeneration")
    if kind in ("Deployment", "StatefulSet", "DaemonSet") and gen is not None and (observed or 0) < gen:
        return False, "waiting for the controller to observe the new generation"
    if kind == "Deployment":
        pd = _cond(obj, "Progressing")
        if pd and pd.get("reason") == "ProgressDeadlineExceeded":
            return False, f"failed: progress deadline exceeded: {pd.get('message', '')}"  # as kubectl rollout status
        want = spec.get("replicas", 1)
        upd, avail = st.get("updatedReplicas", 0), st.get("availableReplicas", 0)
        if upd < want:
            return False, f"{upd} of {want} replicas updated"
        if st.get("replicas", 0) > upd:
            return False, f"{st.get('replicas', 0) - upd} old replicas pending termination"
        if avail < want:
            return False, f"{avail} of {want} replicas available"
        return True, f"{avail}/{want} available"
    if kind == "StatefulSet":
        want = spec.get("replicas", 1)
        ready = st.get("readyReplicas", 0)
        if ready < want:
            return False, f"{ready} of {want} replicas ready"
        strategy = spec.get("updateStrategy") or {}
        if strategy.get("type", "RollingUpdate") != "RollingUpdate":
            return True, f"{ready}/{want} ready (OnDelete: pods update when deleted)"
        partition = (strategy.get("rollingUpdate") or {}).get("partition") or 0
        if partition > 0:  # only ordinals >= partition roll; currentRevision never catches up (as kubectl)
            upd, need = st.get("updatedReplicas", 0), max(want - partition, 0)
            if upd < need:
                return False, f"{upd} of {need} replicas above partition {partition} updated"
            return True, f"{ready}/{want} ready, partitioned roll-out at {partition}"
        if st.get("updateRevision") and st.get("currentRevision") != st.get("updateRevision"):
            return False, "rolling update in progress"
        return True, f"{ready}/{want} ready"
    if kind == "DaemonSet":
        want = st.get("desiredNumberScheduled", 0)
        ready, upd = st.get("numberReady", 0), st.get("updatedNumberScheduled", 0)
        on_delete = (spec.get("updateStrategy") or {}).get("type") == "OnDelete"
        if upd < want and not on_delete:  # OnDelete pods update only when someone deletes them
            return False, f"{upd} of {want} pods updated"
        if ready < want:
            return False, f"{ready} of {want} pods ready"
        return True, f"{ready}/{want} ready"
    if kind == "Job":
        failed = _cond(obj, "Failed")
        if failed and failed.get("status") == "True":
            return False, f"failed: {failed.get('message') or failed.get('reason', '')}"
        done = _cond(obj, "Complete")
        if done and done.get("status") == "True":
            return True, "complete"
        want = spec.get("completions", 1)
        return False, f"{st.get('succeeded', 0)} of {want} completions"
    if kind == "CustomResourceDefinition":
        est = _cond(obj, "Established")
        if est and est.get("status") == "True":
            return True, "established"
        return False, "not established yet"
    if kind == "PersistentVolumeClaim":
        phase = st.get("phase", "Pending")
        return (phase == "Bound"), phase.lower()
    if kind == "Service" and spec.get("type") == "LoadBalancer":
        ing = (st.get("loadBalancer") or {}).get("ingress") or []
        if ing:
            return True, "load balancer " + ", ".join(i.get("ip") or i.get("hostname", "") for i in ing)
        return False, "waiting for a load balancer address"
    if kind == "APIService":
        avail = _cond(obj, "Available")
        if avail and avail.get("status") == "True":
            return True, "available"
        detail = ": ".join(x for x in ((avail or {}).get("reason"), (avail or {}).get("message")) if x)
        return False, "not Available" + (f" ({detail})" if detail else " yet")
    if kind == "Pod":
        if st.get("phase") == "Succeeded":
            return True, "succeeded"
        if st.get("phase") == "Failed":
            return False, f"failed: {st.get('reason') or st.get('message') or 'pod failed'}"
        ready = _cond(obj, "Ready")
        if ready and ready.get("status") == "True":
            return True, "ready"
        return False, st.get("phase", "Pending").lower()
    return True, "exists"


WAITABLE = {"Deployment", "StatefulSet", "DaemonSet", "Job", "CustomResourceDefinition", "PersistentVolumeClaim",
            "Service", "Pod", "APIService"}


def needs_wait(obj: dict) -> bool:
    kind = obj.get("kind")
    if kind == "Service":
        return (obj.get("spec") or {}).get("type") == "LoadBalancer"
    return kind in WAITABLE
