"""Is a custom resource ready?  From its status conditions, as its operator writes them.

* A condition counts only for the generation it was written for (``observedGeneration`` on the condition
  or on ``status``, where the operator writes one): a Ready=True of the previous spec is not ready.
* Which conditions mean ready: the built-in packages' kinds have their own (a TFJob/PyTorchJob is ready
  once ``Running`` or ``Succeeded``, an InferenceService ``Ready``, a Kueue ClusterQueue ``Active``, a
  Notebook once it has a ready replica, an Argo Workflow by its phase); any other kind ``Ready``,
  ``Available`` or ``Succeeded``, or — with none of those — every condition it has True.  ``Failed=True``
  is a failure (the wait stops).
* An operator needs a moment to write status: a custom resource with no status yet waits for it during a
  grace period (``--status-grace``, 15 s).  After it, a kind whose CRD or package says it has conditions is
  still not ready; any other counts as ready ("no status conditions").  A kind whose CRD defines no status
  (or a status without conditions) is ready at once: nothing will ever write conditions on it.
"""

from __future__ import annotations

from dataclasses import dataclass

# built-in API groups: their kinds are not custom resources
BUILTIN_GROUPS = {
    "", "apps", "batch", "autoscaling", "policy", "networking.k8s.io", "rbac.authorization.k8s.io",
    "storage.k8s.io", "scheduling.k8s.io", "apiextensions.k8s.io", "admissionregistration.k8s.io",
    "apiregistration.k8s.io", "coordination.k8s.io", "discovery.k8s.io", "node.k8s.io", "certificates.k8s.io",
    "events.k8s.io", "flowcontrol.apiserver.k8s.io", "resource.k8s.io", "authentication.k8s.io",
    "authorization.k8s.io", "storagemigration.k8s.io", "internal.apiserver.k8s.io",
}

_JOB = ("Running", "Succeeded")  # training-operator v1 / mpi-operator v2beta1 / Katib JobConditions
KIND_READY: dict[str, tuple[str, ...]] = {
    **{k: _JOB for k in ("TFJob", "PyTorchJob", "MPIJob", "XGBoostJob", "PaddleJob", "JAXJob",
                         "Experiment", "Trial", "Suggestion")},
    "TrainJob": ("Complete",), "JobSet": ("Completed",),  # (no Running condition: ready when done, as a Job)
    "InferenceService": ("Ready",), "InferenceGraph": ("Ready",), "TrainedModel": ("Ready",),
    "ClusterQueue": ("Active",), "LocalQueue": ("Active",), "AdmissionCheck": ("Active",),
    "MultiKueueCluster": ("Active",),
    "Certificate": ("Ready",), "CertificateRequest": ("Ready",), "Issuer": ("Ready",), "ClusterIssuer": ("Ready",),
}
SPECIAL = {"Notebook", "Workflow"}  # ready from other status fields (below)
GENERIC = ("Ready", "Available", "Succeeded")
GRACE = 15.0


@dataclass(frozen=True)
class StatusSchema:
    """What a kind's CRD says about its status: True / False / None (cannot tell)."""

    has_status: bool | None = None
    has_conditions: bool | None = None


def status_schema(crd: dict | None, version: str) -> StatusSchema:
    """From the CRD's schema of ``version`` (else its storage version)."""
    if not crd:
        return StatusSchema()
    versions = (crd.get("spec") or {}).get("versions") or []
    v = next((x for x in versions if x.get("name") == version), None) or \
        next((x for x in versions if x.get("storage")), None)
    if v is None:
        return StatusSchema()
    schema = (v.get("schema") or {}).get("openAPIV3Schema")
    has_sub = "status" in (v.get("subresources") or {})
    if not isinstance(schema, dict):
        return StatusSchema(has_status=True if has_sub else None)
    status = (schema.get("properties") or {}).get("status")
    if status is None:
        if schema.get("x-kubernetes-preserve-unknown-fields") or has_sub:
            return StatusSchema(has_status=True if has_sub else None)
        return StatusSchema(has_status=False, has_conditions=False)
    props = status.get("properties") or {}
    if "conditions" in props:
        return StatusSchema(True, True)
    if status.get("x-kubernetes-preserve-unknown-fields") or status.get("additionalProperties"):
        return StatusSchema(True, None)
    return StatusSchema(True, False)


def _fresh(cond: dict, generation: int | None, observed: int | None) -> bool:
    og = cond.get("observedGeneration", observed)
    return generation is None or og is None or og >= generation


def _why(c: dict) -> str:
    detail = ": ".join(x for x in (c.get("reason"), c.get("message")) if x)
    return f"{c.get('type')}={c.get('status')}" + (f" ({detail})" if detail else "")


def cr_readiness(obj: dict, *, waited: float, grace: float = GRACE,
                 schema: StatusSchema = StatusSchema()) -> tuple[bool, str]:
    """(ready, reason) of a custom resource that ``waited`` seconds so far; reasons starting with
    "failed" end the wait."""
    kind = str(obj.get("kind", ""))
    st = obj.get("status") or {}
    gen = (obj.get("metadata") or {}).get("generation")
    observed = st.get("observedGeneration") if isinstance(st, dict) else None
    if not isinstance(st, dict):
        st = {}
    if gen is not None and observed is not None and observed < gen:
        return False, f"waiting for its operator to observe generation {gen} (status is of generation {observed})"
    conds = [c for c in st.get("conditions") or [] if isinstance(c, dict) and c.get("type")]
    fresh = [c for c in conds if _fresh(c, gen, observed)]
    by_type = {c["type"]: c for c in fresh}
    failed = by_type.get("Failed")
    if failed and failed.get("status") == "True":
        return False, "failed: " + (failed.get("message") or failed.get("reason") or "Failed=True")
    if kind == "Notebook" and (st.get("readyReplicas") or 0) >= 1:
        return True, f"{st['readyReplicas']} ready replica(s)"
    if kind == "Workflow" and st.get("phase"):
        phase = st["phase"]
        if phase in ("Failed", "Error"):
            return False, f"failed: {phase}: {st.get('message', '')}".rstrip(": ")
        return phase in ("Running", "Succeeded"), phase.lower()
    types = KIND_READY.get(kind, GENERIC)
    for t in types:
        c = by_type.get(t)
        if c is not None and c.get("status") == "True":
            return True, t
    if kind == "Notebook":
        waiting = ((st.get("containerState") or {}).get("waiting") or {})
        if waiting.get("reason"):
            return False, f"container waiting: {waiting['reason']}" + (
                f" ({waiting['message']})" if waiting.get("message") else "")
        ready = by_type.get("Ready")
        if ready is not None:
            return ready.get("status") == "True", _why(ready)
    present = [by_type[t] for t in types if t in by_type]
    if present:
        return False, ", ".join(_why(c) for c in present)
    if fresh and kind not in KIND_READY and kind not in SPECIAL:
        not_true = [c for c in fresh if c.get("status") != "True"]
        if not not_true:
            return True, "conditions " + ", ".join(c["type"] for c in fresh)
        return False, ", ".join(_why(c) for c in not_true)
    if conds and not fresh:
        return False, f"waiting for its operator to write the conditions of generation {gen}"
    if fresh:
        want = " or ".join(types)
        return False, f"waiting for {want} (" + ", ".join(_why(c) for c in fresh) + ")"
    # no conditions (yet)
    known = kind in KIND_READY or kind in SPECIAL or schema.has_conditions is True
    if schema.has_status is False or (schema.has_conditions is False and not known):
        return True, "no status conditions (its CRD defines none)"
    if waited < grace:
        return False, f"waiting for its operator to write status ({grace - waited:.0f}s of the {grace:g}s grace left)"
    if known:
        return False, f"its operator wrote no status within the {grace:g}s grace period"
    return True, "no status conditions"
