"""What the render pipeline produces: objects tagged with the component that made them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# ownership labels (design.md): filterable on the server, used by prune and delete
LABEL_MANAGED_BY = "app.kubernetes.io/managed-by"
LABEL_APP = "kfctl.dev/app"
LABEL_ENV = "kfctl.dev/env"
LABEL_COMPONENT = "kfctl.dev/component"
MANAGED_BY = "kfctl"


def label_value(text: str) -> str:
    """A valid label value for a name (≤63 chars of [A-Za-z0-9-_.], alphanumeric at both ends):
    ``us-west/prd`` → ``us-west.prd``; anything else invalid becomes ``-``; long names keep a hash."""
    import hashlib
    import re

    v = re.sub(r"[^A-Za-z0-9_.-]", "-", text.replace("/", "."))
    if len(v) > 63:
        v = v[:52] + "-" + hashlib.sha256(text.encode()).hexdigest()[:10]
    return v.strip("-_.") or "x"


@dataclass
class RenderedObject:
    component: str
    obj: dict[str, Any]

    @property
    def api_version(self) -> str:
        return str(self.obj.get("apiVersion", ""))

    @property
    def group(self) -> str:
        from kfctl.util.k8s import group_of

        return group_of(self.api_version)

    @property
    def version(self) -> str:
        return self.api_version.rsplit("/", 1)[-1]

    @property
    def kind(self) -> str:
        return str(self.obj.get("kind", ""))

    @property
    def name(self) -> str:
        return str((self.obj.get("metadata") or {}).get("name", ""))

    @property
    def namespace(self) -> str | None:
        return (self.obj.get("metadata") or {}).get("namespace")

    @property
    def key(self) -> tuple[str, str, str, str]:
        """Identity of the object on a cluster: (group, kind, namespace, name)."""
        return (self.group, self.kind, self.namespace or "", self.name)

    def ref(self) -> str:
        """Human reference, e.g. ``train/TFJob/kubeflow/train``."""
        ns = f"{self.namespace}/" if self.namespace else ""
        return f"{self.component}/{self.kind}/{ns}{self.name}"


@dataclass
class Render:
    app: str
    env: str
    namespace: str
    objects: list[RenderedObject] = field(default_factory=list)
    # scope of kinds found in CRDs of this render: (group, kind) -> namespaced?
    crd_scopes: dict[tuple[str, str], bool] = field(default_factory=dict)
    # what prototypes ask to tell the user (kfctl.dev/warnings of their Lists), one line each
    warnings: list[str] = field(default_factory=list)

    def components(self) -> list[str]:
        return sorted({o.component for o in self.objects})
