"""API discovery: which (group, kind) maps to which resource, version and scope on this server."""

from __future__ import annotations

from dataclasses import dataclass

from kfctl.kube.client import Kube
from kfctl.kube.errors import ApiError
from kfctl.util.k8s import split_api_version


@dataclass(frozen=True)
class Resource:
    group: str
    version: str
    kind: str
    name: str  # plural resource name
    namespaced: bool
    verbs: tuple[str, ...]

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def base(self) -> str:
        return f"/apis/{self.group}/{self.version}" if self.group else f"/api/{self.version}"


class Discovery:
    def __init__(self, kube: Kube):
        self.kube = kube
        self.by_gvk: dict[tuple[str, str, str], Resource] = {}
        self.preferred: dict[tuple[str, str], Resource] = {}  # (group, kind) -> preferred version
        self.refresh()

    def refresh(self) -> None:
        core = self.kube.get("/api")
        groups = self.kube.get("/apis")
        gvs: list[tuple[str, str, bool]] = [("", v, i == 0) for i, v in enumerate(core.get("versions") or [])]
        for g in groups.get("groups") or []:
            pref = (g.get("preferredVersion") or {}).get("version")
            for v in g.get("versions") or []:
                gvs.append((g["name"], v["version"], v["version"] == pref))

        def fetch(gv):
            group, version, _ = gv
            path = f"/apis/{group}/{version}" if group else f"/api/{version}"
            try:
                # one retry only: an aggregated API that is down (a broken metrics-server) answers 503 on
                # every discovery, and full backoff would add seconds to every command (kubectl skips it too)
                return gv, self.kube.request("GET", path, retries=1, quiet=True)[1]
            except ApiError as exc:
                if exc.status in (404, 503):  # group going away / aggregated API down
                    return gv, {}
                raise

        from kfctl.kube.pool import run_parallel

        by_gvk: dict = {}
        preferred: dict = {}
        for (group, version, is_pref), doc in run_parallel(fetch, gvs, 8, cancel=self.kube.cancelled):
            for r in doc.get("resources") or []:
                if "/" in r.get("name", ""):
                    continue  # subresources
                res = Resource(group, version, r["kind"], r["name"], bool(r.get("namespaced")),
                               tuple(r.get("verbs") or ()))
                by_gvk[(group, version, r["kind"])] = res
                if is_pref or (group, r["kind"]) not in preferred:
                    preferred[(group, r["kind"])] = res
        self.by_gvk, self.preferred = by_gvk, preferred

    def lookup(self, api_version: str, kind: str) -> Resource | None:
        group, version = split_api_version(api_version)
        return self.by_gvk.get((group, version, kind))

    def for_group_kind(self, group: str, kind: str) -> Resource | None:
        return self.preferred.get((group, kind))
