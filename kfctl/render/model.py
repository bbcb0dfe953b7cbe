"""What the render pipeline produces: objects tagged with the component that made them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

# ownership labels (design.md): filterable on the server, used by prune and delete
LABEL_MANAGED_BY = "app.kubernetes.io/managed-by"
LABEL_APP = "kfctl.dev/app"
LABEL_ENV = "kfctl.dev/env"
LABEL_COMPONENT = "kfctl.dev/component"
MANAGED_BY = "kfctl"


def label_value(text: str) -> str:
    """A valid label value for a name (≤63 chars of [A-Za-z0-9-_.], alphanumeric at both ends):
    ``us-west/prd`` → ``us-west.prd``; anything else invalid becomes ``-``; long names keep a hash."""
    import re

    v = re.sub(r"[^A-Za-z0-9_.-]", "-", text.replace("/", "."))
    if len(v) > 63:
        import hashlib  # (only for long names: ~2 ms of OpenSSL start-up)

        v = v[:52] + "-" + hashlib.sha256(text.encode()).hexdigest()[:10]
    return v.strip("-_.") or "x"


@dataclass
class RenderedObject:
    component: str
    obj: dict[str, Any]

    # Read from ``obj`` on every access (the pipeline may still change it), so kept to plain dict
    # lookups: an apply asks an object's key a dozen times.
    @property
    def api_version(self) -> str:
        return str(self.obj.get("apiVersion", ""))

    @property
    def group(self) -> str:
        return str(self.obj.get("apiVersion", "")).rpartition("/")[0]

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
        obj = self.obj
        meta = obj.get("metadata") or {}
        return (str(obj.get("apiVersion", "")).rpartition("/")[0], str(obj.get("kind", "")),
                meta.get("namespace") or "", str(meta.get("name", "")))

    def ref(self) -> str:
        """Human reference, e.g. ``train/TFJob/kubeflow/train``."""
        ns = f"{self.namespace}/" if self.namespace else ""
        return f"{self.component}/{self.kind}/{ns}{self.name}"


@dataclass
class Duplicate:
    """One object (group, kind, namespace, name) rendered more than once.  ks printed every copy;
    kfctl shows and exports them too (with a warning) but will not apply or diff such an env."""

    kind: str
    namespace: str | None
    name: str
    components: list[str]  # in render order; a component that renders it twice appears twice
    crd_clash: str | None = None  # a CRD two components define: the message naming both packages and the fix

    @property
    def what(self) -> str:
        return f"{self.kind} {self.namespace + '/' if self.namespace else ''}{self.name}"

    @property
    def by(self) -> str:
        names = sorted(set(self.components))
        if len(names) == 1:
            return f"component {names[0]!r} {len(self.components)} times"
        quoted = [repr(n) for n in names]
        return "components " + ", ".join(quoted[:-1]) + " and " + quoted[-1]

    def warning(self) -> str:
        return f"{self.crd_clash or f'{self.what} is rendered by {self.by}'}; every copy is output, as ks did"


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
    duplicates: list[Duplicate] = field(default_factory=list)
    # component → the package ("kubeflow/core") whose prototype made it, when known (clash messages)
    package_of: Callable[[str], str | None] = field(default=lambda component: None, repr=False, compare=False)

    def components(self) -> list[str]:
        return sorted({o.component for o in self.objects})

    def raise_crd_clash(self) -> None:
        """Two components defining one CRD (their packages collide on the cluster): an error for
        ``validate`` too."""
        for d in self.duplicates:
            if d.crd_clash:
                from kfctl.errors import RenderError

                raise RenderError(d.crd_clash)

    def first_copies(self) -> "Render":
        """This render with one copy of each object (what delete and status act on)."""
        if not self.duplicates:
            return self
        from dataclasses import replace

        seen: set = set()
        objs = []
        for o in self.objects:
            if o.name and o.key in seen:
                continue
            seen.add(o.key)
            objs.append(o)
        return replace(self, objects=objs, duplicates=[], warnings=list(self.warnings))

    def unique_or_raise(self, command: str) -> None:
        """``apply``/``diff`` need one object per identity: refuse, saying which components collide
        and how to deploy one of them."""
        if not self.duplicates:
            return
        from kfctl.errors import RenderError

        d = self.duplicates[0]
        more = f" ({len(self.duplicates) - 1} more object(s) like it)" if len(self.duplicates) > 1 else ""
        if d.crd_clash:
            raise RenderError(d.crd_clash + more)
        names = sorted(set(d.components))
        if len(names) == 1:
            hint = f"fix component {names[0]!r} so that it renders the object once"
        else:
            hint = (f"{command} one of them with -c, e.g. 'kfctl {command} {self.env} -c {names[0]}', "
                    "or give the objects different names")
        raise RenderError(f"cannot {command} env {self.env}: {d.what} is rendered by {d.by}{more}", hint=hint)
