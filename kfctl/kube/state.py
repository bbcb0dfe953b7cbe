"""What kfctl remembers on the cluster about an app/env: the kinds it has applied (so prune lists
only those, kapp-style), whether apply created the env namespace (so delete/prune leave it), and per
applied object a fingerprint of its last applied configuration and of the fields kfctl owns on it
after that apply (so an apply with nothing to change sends nothing; see kfctl.kube.apply).

Kept in a ConfigMap ``kfctl-<app>-<env>`` in the env namespace, labelled like every kfctl object
but never pruned or deleted by kfctl itself.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

from kfctl.kube.client import Kube
from kfctl.kube.errors import ApiError
from kfctl.render.model import LABEL_APP, LABEL_ENV, LABEL_MANAGED_BY, MANAGED_BY, label_value

STATE_LABEL = "kfctl.dev/state"


def state_name(app: str, env: str) -> str:
    base = re.sub(r"[^a-z0-9-]+", "-", f"kfctl-{app}-{env}".lower()).strip("-")
    if len(base) > 63:
        base = base[:52] + "-" + hashlib.sha256(base.encode()).hexdigest()[:10]
    return base


@dataclass
class EnvState:
    kinds: set[tuple[str, str]] = field(default_factory=set)  # (apiVersion, kind)
    created_namespace: str | None = None
    applied: dict[str, str] = field(default_factory=dict)  # object key -> "<config hash>:<owned fields hash>"
    stored: dict | None = None  # the ConfigMap's data as read (None: there was none)

    def data(self) -> dict:
        return {"kinds": json.dumps(sorted(list(k) for k in self.kinds)),
                **({"createdNamespace": self.created_namespace} if self.created_namespace else {}),
                **({"applied": json.dumps(self.applied, sort_keys=True, separators=(",", ":"))} if self.applied else {})}


def load_state(kube: Kube, app: str, env: str, namespace: str) -> EnvState:
    try:
        cm = kube.get(f"/api/v1/namespaces/{namespace}/configmaps/{state_name(app, env)}")
    except ApiError as exc:
        if exc.status == 404:
            return EnvState()
        raise
    data = cm.get("data") or {}
    kinds = {tuple(k) for k in json.loads(data.get("kinds", "[]"))}
    try:
        applied = json.loads(data.get("applied", "{}"))
    except ValueError:
        applied = {}
    if not isinstance(applied, dict):
        applied = {}
    return EnvState(kinds=kinds, created_namespace=data.get("createdNamespace") or None, applied=applied,
                    stored=dict(data))


def save_state(kube: Kube, app: str, env: str, namespace: str, state: EnvState, *, dry_run: bool = False) -> None:
    body = {
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": state_name(app, env), "namespace": namespace,
                     "labels": {LABEL_MANAGED_BY: MANAGED_BY, LABEL_APP: label_value(app), LABEL_ENV: label_value(env),
                                STATE_LABEL: "true"}},
        "data": state.data(),
    }
    kube.request("PATCH", f"/api/v1/namespaces/{namespace}/configmaps/{state_name(app, env)}",
                 query={"fieldManager": "kfctl", "force": "true", **({"dryRun": "All"} if dry_run else {})},
                 body=json.dumps(body), content_type="application/apply-patch+yaml")


def delete_state(kube: Kube, app: str, env: str, namespace: str) -> None:
    """Forget the app/env (after ``kfctl delete`` of the whole env)."""
    try:
        kube.request("DELETE", f"/api/v1/namespaces/{namespace}/configmaps/{state_name(app, env)}")
    except ApiError as exc:
        if exc.status != 404:
            raise
