"""API discovery: which (group, kind) maps to which resource, version and scope on this server.

Cached on disk per server, like kubectl's ``~/.kube/cache/discovery``: ``<user cache>/kfctl/discovery/
<hash of the server URL>.json``, trusted for :data:`TTL` seconds (``$KFCTL_DISCOVERY_TTL`` overrides;
0 turns the cache off).  A command that finds the cache fresh sends no discovery requests; a lookup
that misses in a view read from the cache (a CRD created since, say) refreshes it from the server
once, and so does apply when a CRD it just created is not served yet — not every apply.
"""

from __future__ import annotations

import os
import threading
import time
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


TTL = 6 * 3600  # kubectl's discovery cache lives 6 hours too


def _ttl() -> float:
    try:
        return float(os.environ.get("KFCTL_DISCOVERY_TTL", TTL))
    except ValueError:
        return TTL


def cache_file(server: str):
    import hashlib

    from kfctl.util.cache import cache_root

    digest = hashlib.sha256(server.rstrip("/").encode()).hexdigest()[:24]
    return cache_root() / "discovery" / f"{digest}.json"


class Discovery:
    def __init__(self, kube: Kube, *, cached: bool = True):
        self.kube = kube
        self.by_gvk: dict[tuple[str, str, str], Resource] = {}
        self.preferred: dict[tuple[str, str], Resource] = {}  # (group, kind) -> preferred version
        self.fresh = False  # fetched from the server by this process (else read from the cache)
        self._lock = threading.Lock()
        server = getattr(getattr(kube, "target", None), "server", None)
        self._file = cache_file(server) if cached and server and _ttl() > 0 else None
        if not self._load():
            self.refresh()

    def _load(self) -> bool:
        if self._file is None:
            return False
        import json

        try:
            doc = json.loads(self._file.read_text())
            age = time.time() - float(doc["time"])
            if doc.get("server") != self.kube.target.server.rstrip("/") or not 0 <= age < _ttl():
                return False
            by_gvk = {}
            for g, v, k, name, namespaced, verbs in doc["resources"]:
                by_gvk[(g, v, k)] = Resource(g, v, k, name, bool(namespaced), tuple(verbs))
            preferred = {(g, k): by_gvk[(g, v, k)] for g, k, v in doc["preferred"]}
        except (OSError, ValueError, KeyError, TypeError):
            return False  # absent, unreadable or from another kfctl: ask the server
        self.by_gvk, self.preferred = by_gvk, preferred
        return True

    def _store(self) -> None:
        if self._file is None:
            return
        import json

        from kfctl.util.fsutil import atomic_write

        doc = {"server": self.kube.target.server.rstrip("/"), "time": time.time(),
               "resources": [[r.group, r.version, r.kind, r.name, r.namespaced, list(r.verbs)]
                             for r in self.by_gvk.values()],
               "preferred": [[g, k, r.version] for (g, k), r in self.preferred.items()]}
        try:
            self._file.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self._file, json.dumps(doc, separators=(",", ":")))
        except OSError:
            pass  # a read-only cache: discovery is only slower

    def _refresh_on_miss(self) -> bool:
        """A miss in a view from the cache: refresh once (True if that happened now or before)."""
        with self._lock:
            if self.fresh:
                return False
            self._fetch()
            return True

    def refresh(self) -> None:
        """Ask the server again (and update the cache)."""
        with self._lock:
            self._fetch()

    def _fetch(self) -> None:
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
        self.fresh = True
        self._store()

    def lookup(self, api_version: str, kind: str) -> Resource | None:
        group, version = split_api_version(api_version)
        found = self.by_gvk.get((group, version, kind))
        if found is None and not self.fresh and self._refresh_on_miss():
            found = self.by_gvk.get((group, version, kind))
        return found

    def for_group_kind(self, group: str, kind: str) -> Resource | None:
        found = self.preferred.get((group, kind))
        if found is None and not self.fresh and self._refresh_on_miss():
            found = self.preferred.get((group, kind))
        return found
