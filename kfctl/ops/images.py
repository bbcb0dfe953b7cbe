"""``kfctl images``: every image an env's render makes the cluster pull, with the objects using it,
the name it is pulled under in that env (its image mirror and overrides), and the lists air-gap
tools read (a plain list, a Hauler ``Images`` manifest, a Zarf package's ``images:``).

The render is taken before the mirror (``mirror_images=False``) so the sources' names are listed;
the env's :class:`~kfctl.render.mirror.MirrorPolicy` gives the mirror name of each — the same
function the render pipeline rewrites with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Sequence

from kfctl.app.app import App, Environment

FORMATS = ("plain", "hauler", "zarf")
HAULER_API_VERSION = "content.hauler.cattle.io/v1"  # hauler v2: pkg/apis/hauler.cattle.io/v1 (kind Images)
ZARF_API_VERSION = "zarf.dev/v1alpha1"  # zarf v0.84: src/pkg/schema/zarf.schema.json


@dataclass
class ImageUse:
    env: str
    component: str
    kind: str
    namespace: str | None
    name: str
    where: str  # the field in the object
    site: str  # container | init | ephemeral | sidecar | env | flag | field | config | implied

    def ref(self) -> str:
        ns = f"{self.namespace}/" if self.namespace else ""
        return f"{self.component}/{self.kind} {ns}{self.name}"

    def to_dict(self) -> dict[str, Any]:
        return {"env": self.env, "component": self.component, "kind": self.kind, "namespace": self.namespace,
                "name": self.name, "field": self.where, "type": self.site}


@dataclass
class ImageEntry:
    image: str  # what a pull fetches: fully qualified, :latest when untagged (as written when invalid)
    written: list[str] = field(default_factory=list)  # the spellings in the render
    mirrors: dict[str, str] = field(default_factory=dict)  # env → the name it is pulled under there
    used_by: list[ImageUse] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    valid: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {"image": self.image, "written": list(self.written), "mirrors": dict(self.mirrors),
                "valid": self.valid, "notes": list(self.notes), "usedBy": [u.to_dict() for u in self.used_by]}


@dataclass
class ImagesReport:
    app: str
    envs: list[str]
    images: list[ImageEntry]
    mirrored_envs: list[str] = field(default_factory=list)  # envs with an image mirror or overrides

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "ImageList", "app": self.app, "envs": list(self.envs),
                "images": [i.to_dict() for i in self.images]}

    def pull_list(self) -> list[str]:
        return [i.image for i in self.images if i.valid]

    def plain(self) -> str:
        return "".join(f"{i}\n" for i in self.pull_list())

    def _doc_name(self) -> str:
        name = re.sub(r"[^a-z0-9-]+", "-", f"{self.app}-images".lower()).strip("-")
        return name[:63].rstrip("-") or "kfctl-images"

    def hauler(self) -> dict[str, Any]:
        """A Hauler content manifest (``hauler store sync -f``)."""
        return {"apiVersion": HAULER_API_VERSION, "kind": "Images",
                "metadata": {"name": self._doc_name()},
                "spec": {"images": [{"name": i} for i in self.pull_list()]}}

    def zarf(self) -> dict[str, Any]:
        """A Zarf package definition (``zarf.yaml``) with one required component listing the images."""
        return {"apiVersion": ZARF_API_VERSION, "kind": "ZarfPackageConfig",
                "metadata": {"name": self._doc_name(),
                             "description": f"Images of kfctl app {self.app} (env {', '.join(self.envs)})"},
                "components": [{"name": "images", "required": True, "images": self.pull_list()}]}


def images(app: App, envs: Sequence[Environment], *, components: Sequence[str] | None = None,
           engine: str | None = None) -> ImagesReport:
    """The images of ``envs`` (one or all), deduplicated by the name a pull fetches, sorted."""
    from kfctl.ops.render import render
    from kfctl.render.images import find_images
    from kfctl.render.mirror import MirrorPolicy
    from kfctl.util.imageref import try_parse

    entries: dict[str, ImageEntry] = {}
    mirrored: list[str] = []
    for env in envs:
        policy = MirrorPolicy.of(env)
        if policy.active:
            mirrored.append(env.name)
        rendered = render(app, env, components=components, engine=engine, mirror_images=False)
        objs = [ro.obj for ro in rendered.objects]
        for ro, sites in zip(rendered.objects, find_images(objs)):
            for s in sites:
                if not s.active:
                    continue
                ref = try_parse(s.image)
                key = ref.pull_name() if ref is not None else s.image
                e = entries.setdefault(key, ImageEntry(key, valid=ref is not None))
                if ref is None and "not a valid image reference" not in e.notes:
                    e.notes.append("not a valid image reference")
                if s.image not in e.written:
                    e.written.append(s.image)
                if s.note and s.note not in e.notes:
                    e.notes.append(s.note)
                if policy.active and ref is not None:
                    e.mirrors[env.name] = policy.map(s.image)
                e.used_by.append(ImageUse(env.name, ro.component, ro.kind, ro.namespace, ro.name, s.where, s.kind))
    out = [entries[k] for k in sorted(entries)]
    for e in out:
        e.written.sort()
        e.used_by.sort(key=lambda u: (u.env, u.component, u.kind, u.namespace or "", u.name, u.where))
    return ImagesReport(app.name, [e.name for e in envs], out, mirrored)
