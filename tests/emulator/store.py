"""Object storage and the API semantics: create/get/list/update/patch/apply/delete, resourceVersion,
generation, namespaces, CRD establishment, garbage collection, readiness simulation, the watch event log."""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass
from typing import Any, Callable

from .jcopy import clone
from . import patches, ssa, validation
from .errors import ApiError, already_exists, bad_request, conflict, invalid, not_found
from .knobs import Readiness, now, ready_status
from .resources import ResourceTable, ResourceType
from .selectors import parse_field_selector, parse_label_selector

Key = tuple[str, str, str, str]  # group, plural, namespace ("" if cluster-scoped), name

NS_TYPE = ResourceType("", "v1", "namespaces", "Namespace", False, status_subresource=True)


@dataclass
class WriteOptions:
    manager: str = ""
    dry_run: bool = False
    subresource: str = ""
    force: bool = False
    admit: bool = True  # run admission webhooks (False for the emulator's own seeding and controllers)


@dataclass
class Event:
    rv: int
    type: str
    group: str
    plural: str
    obj: dict


def _comparable(obj: dict) -> str:
    """An object's JSON without managedFields timestamps (a write that changes nothing else is a no-op)."""
    md = obj.get("metadata", {})
    if md.get("managedFields"):
        obj = {**obj, "metadata": {**md, "managedFields": [{k: v for k, v in e.items() if k != "time"}
                                                           for e in md["managedFields"]]}}
    return json.dumps(obj, sort_keys=True)


class Store:
    def __init__(self, table: ResourceTable, readiness: Readiness):
        self.table = table
        self.readiness = readiness
        self.lock = threading.RLock()
        self.cond = threading.Condition(self.lock)
        self.rv = 1
        self.objects: dict[Key, dict] = {}
        self.events: list[Event] = []
        self.max_events = 5000  # the watch cache; older resourceVersions get 410 Expired
        self.oldest_event_rv = 0
        self._ip = 10
        self.controllers: list = []   # simulated controllers (controllers.Controller), run after changes
        self.admission = None         # admission.Admission when the webhook knob is on
        self._dirty: set[str] = set()
        self._reconciling = False
        self.tick_interval = 0.2      # how often watches wake up to run timed controllers
        for ns in ("default", "kube-system", "kube-public", "kube-node-lease"):
            self.create(NS_TYPE, None, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}},
                        WriteOptions(manager="kube-apiserver"))

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def key(rt: ResourceType, ns: str | None, name: str) -> Key:
        return (rt.group, rt.plural, ns or "" if rt.namespaced else "", name)

    def _require_namespace(self, rt: ResourceType, ns: str | None) -> None:
        """NamespaceLifecycle admission: a create in a namespace that does not exist is refused. Reads, updates,
        patches and deletes there never get this far on the real server: their object is simply not found."""
        if rt.namespaced:
            if not ns:
                raise bad_request("the server could not find the requested resource (namespace is required)")
            if ("", "namespaces", "", ns) not in self.objects:
                raise not_found("namespaces", "", ns)

    def _present(self, rt: ResourceType, obj: dict) -> dict:
        out = clone(obj)
        out["apiVersion"] = rt.group_version
        out["kind"] = rt.kind
        return out

    def _emit(self, type_: str, rt: ResourceType, obj: dict) -> None:
        """``obj``: a copy of its own (every caller passes a fresh ``_present``), kept as the event."""
        self.events.append(Event(self.rv, type_, rt.group, rt.plural, obj))
        if len(self.events) > self.max_events:
            drop = len(self.events) - self.max_events // 2
            self.oldest_event_rv = self.events[drop].rv
            del self.events[:drop]
        self.cond.notify_all()

    def _next_ip(self) -> str:
        self._ip += 1
        return f"10.96.{self._ip // 250}.{self._ip % 250 + 1}"

    def find_type(self, group: str, plural: str) -> ResourceType | None:
        for t in self.table.all():
            if t.group == group and t.plural == plural:
                return t
        return None

    # ------------------------------------------------------------------ reads
    def get(self, rt: ResourceType, ns: str | None, name: str, *, count_read: bool = True) -> dict:
        with self.lock:
            obj = self.objects.get(self.key(rt, ns, name))
            if obj is None:
                raise not_found(rt.plural, rt.group, name)
            if count_read:
                obj = self._maybe_ready_on_read(rt, obj)
                obj = self._note_read(rt, obj)
            return self._present(rt, obj)

    def list(self, rt: ResourceType, ns: str | None, label_selector: str | None = None,
             field_selector: str | None = None, count_reads: bool = False) -> tuple[list[dict], int]:
        lsel = parse_label_selector(label_selector)
        fsel = parse_field_selector(field_selector)
        with self.lock:
            matched = []
            for (g, p, ons, _), obj in sorted(self.objects.items()):
                if g != rt.group or p != rt.plural or (ns and rt.namespaced and ons != ns):
                    continue
                if lsel(obj["metadata"].get("labels") or {}) and fsel(obj):
                    matched.append(obj)
            if count_reads and isinstance(self.readiness.mode(rt.kind), int):
                matched = [self._maybe_ready_on_read(rt, o) for o in matched]  # (N reads: a LIST that shows it)
            if count_reads and any(rt.kind in c.reads for c in self.controllers):
                matched = [self._note_read(rt, o) for o in matched]
            return [self._present(rt, o) for o in matched], self.rv

    def matcher(self, rt: ResourceType, ns: str | None, label_selector: str | None,
                field_selector: str | None) -> Callable[[Event], bool]:
        lsel = parse_label_selector(label_selector)
        fsel = parse_field_selector(field_selector)

        def match(ev: Event) -> bool:
            if ev.group != rt.group or ev.plural != rt.plural:
                return False
            if ns and rt.namespaced and ev.obj["metadata"].get("namespace") != ns:
                return False
            return lsel(ev.obj["metadata"].get("labels") or {}) and fsel(ev.obj)
        return match

    # ------------------------------------------------------------------ writes
    def create(self, rt: ResourceType, ns: str | None, body: dict, opts: WriteOptions) -> dict:
        validation.check_identity(rt, body, url_namespace=ns, url_name=None)
        with self.lock:
            obj = clone(body)
            md = obj.setdefault("metadata", {})
            if not md.get("name") and md.get("generateName"):
                md["name"] = md["generateName"] + uuid.uuid4().hex[:5]
            ns = ns or md.get("namespace") if rt.namespaced else None
            self._require_namespace(rt, ns)
            name = md.get("name") or ""
            if name and self.key(rt, ns, name) in self.objects:
                raise already_exists(rt.plural, rt.group, name)
            return self._write(rt, ns, name, obj, None, opts)

    def update(self, rt: ResourceType, ns: str | None, name: str, body: dict, opts: WriteOptions) -> dict:
        validation.check_identity(rt, body, url_namespace=ns, url_name=name)
        with self.lock:
            old = self.objects.get(self.key(rt, ns, name))
            if old is None:
                raise not_found(rt.plural, rt.group, name)
            want_rv = (body.get("metadata") or {}).get("resourceVersion")
            if want_rv and want_rv != old["metadata"]["resourceVersion"]:
                raise conflict(rt.plural, rt.group, name, "the object has been modified; please apply your "
                               "changes to the latest version and try again")
            return self._write(rt, ns, name, clone(body), old, opts)

    def patch(self, rt: ResourceType, ns: str | None, name: str, patch_type: str, body: Any,
              opts: WriteOptions) -> dict:
        with self.lock:
            old = self.objects.get(self.key(rt, ns, name))
            if old is None:
                raise not_found(rt.plural, rt.group, name)
            current = self._present(rt, old)
            if patch_type == "merge":
                new = patches.json_merge_patch(current, body)
            elif patch_type == "strategic":
                if rt.crd:
                    raise ApiError(415, "UnsupportedMediaType", "the body of the request was in an unknown "
                                   "format - accepted media types include: application/json-patch+json, "
                                   "application/merge-patch+json, application/apply-patch+yaml")
                new = patches.strategic_merge_patch(current, body)
            else:
                new = patches.json_patch(current, body)
            if not isinstance(new, dict):
                raise bad_request("the patch did not produce an object")
            validation.check_identity(rt, new, url_namespace=ns, url_name=name)
            want_rv = (new.get("metadata") or {}).get("resourceVersion")
            if want_rv and want_rv != old["metadata"]["resourceVersion"]:
                raise conflict(rt.plural, rt.group, name, "the object has been modified; please apply your "
                               "changes to the latest version and try again")
            return self._write(rt, ns, name, new, old, opts)

    def apply(self, rt: ResourceType, ns: str | None, name: str, applied: Any, opts: WriteOptions) -> dict:
        if not opts.manager:
            raise invalid("PatchOptions", "meta.k8s.io", "", [("FieldValueRequired", "fieldManager",
                                                                 "Required value: is required for apply patch")])
        if not isinstance(applied, dict):
            raise bad_request("error decoding YAML: the applied configuration must be an object")
        for f in ("apiVersion", "kind"):
            if not applied.get(f):
                raise bad_request(f"invalid object type: {f} must be set in the applied configuration")
        validation.check_identity(rt, applied, url_namespace=ns, url_name=name)
        with self.lock:
            old = self.objects.get(self.key(rt, ns, name))
            if old is None and not opts.subresource:
                self._require_namespace(rt, ns)  # an apply that creates
            if old is None and opts.subresource:
                raise not_found(rt.plural, rt.group, name)
            want_rv = (applied.get("metadata") or {}).get("resourceVersion")
            if want_rv and (old is None or want_rv != old["metadata"]["resourceVersion"]):
                if old is None:
                    raise not_found(rt.plural, rt.group, name)
                raise conflict(rt.plural, rt.group, name, "the object has been modified; please apply your "
                               "changes to the latest version and try again")
            live = self._present(rt, old) if old else None
            merged, managed = ssa.apply(live, applied, manager=opts.manager, force=opts.force,
                                        api_version=rt.group_version, now=now(),
                                        has_status=rt.status_subresource, subresource=opts.subresource)
            if old is not None:
                merged.setdefault("metadata", {})["resourceVersion"] = old["metadata"]["resourceVersion"]
            return self._write(rt, ns, name, merged, old, opts, managed=managed)

    def _write(self, rt: ResourceType, ns: str | None, name: str, new: dict, old: dict | None,
               opts: WriteOptions, managed: list[dict] | None = None) -> dict:
        md = new.setdefault("metadata", {})
        if not isinstance(md, dict):
            raise bad_request("metadata must be an object")
        new["apiVersion"], new["kind"] = rt.group_version, rt.kind
        md["name"] = name or md.get("name") or ""
        if rt.namespaced:
            md["namespace"] = ns
        else:
            md.pop("namespace", None)
        if opts.subresource == "status":
            assert old is not None
            status = new.get("status")
            new = clone(old)
            new["status"] = status
            md = new["metadata"]
        elif rt.status_subresource:
            if old is not None and "status" in old:
                new["status"] = clone(old["status"])
            elif old is None or "status" not in old:
                new.pop("status", None)
        for f in ssa.SERVER_METADATA:
            md.pop(f, None)
        if old is not None:
            omd = old["metadata"]
            for f in ("uid", "creationTimestamp", "generation", "resourceVersion", "deletionTimestamp"):
                if f in omd:
                    md[f] = omd[f]
        else:
            md["uid"] = str(uuid.uuid4())
            md["creationTimestamp"] = now()
        validation.apply_defaults(rt, new, self._next_ip() if old is None else "")
        if old is not None and rt.kind == "Service" and isinstance(new.get("spec"), dict):
            old_ip = (old.get("spec") or {}).get("clusterIP")
            if old_ip:
                new["spec"]["clusterIP"] = old_ip
                new["spec"]["clusterIPs"] = [old_ip]
        if opts.admit and self.admission is not None:
            self.admission.review(self, "mutating", rt, new, old, opts)
        validation.validate(rt, new)
        if opts.admit and self.admission is not None:
            self.admission.review(self, "validating", rt, new, old, opts)
        if ("spec" in new and rt.group) or rt.crd:  # core kinds (Namespace, Service, ...) carry no generation
            if old is None:
                md["generation"] = 1
            else:
                def body(o: dict) -> dict:
                    return {k: v for k, v in o.items() if k not in ("metadata", "status", "apiVersion", "kind")}
                md["generation"] = omd.get("generation", 1) + (1 if body(new) != body(old) else 0)
        live_for_tracking = self._present(rt, old) if old is not None else None
        if managed is None:
            managed = ssa.track_update(live_for_tracking, new, manager=opts.manager or "unknown",
                                       api_version=rt.group_version, now=now(),
                                       has_status=rt.status_subresource, subresource=opts.subresource)
        md["managedFields"] = managed
        if not managed:
            md.pop("managedFields")
        mode = self.readiness.mode(rt.kind)
        if mode == "immediate" and opts.subresource != "status":
            self._fill_status(rt, new)
        if rt.kind == "CustomResourceDefinition" and old is None and mode != "immediate":
            new.pop("status", None)
        if opts.dry_run:
            if old is None:
                md.pop("resourceVersion", None)
            return self._present(rt, new)
        if old is not None and _comparable(new) == _comparable(old):
            return self._present(rt, old)  # no-op writes keep the resourceVersion, as on the real server
        self.rv += 1
        md["resourceVersion"] = str(self.rv)
        self.objects[self.key(rt, ns, name)] = new
        self._emit("MODIFIED" if old is not None else "ADDED", rt, self._present(rt, new))
        if rt.kind == "CustomResourceDefinition" and rt.group == "apiextensions.k8s.io":
            self._sync_crd(new)
        result = self._present(rt, new)
        self._changed(rt)
        return result

    def _fill_status(self, rt: ResourceType, obj: dict) -> bool:
        status = ready_status(rt.kind, obj)
        if status is None:
            return False
        cur = obj.get("status") or {}
        merged = {**cur, **status}
        if rt.kind == "Deployment" and cur.get("conditions"):
            merged["conditions"] = [
                {**c, **{k: v for k, v in n.items() if "Time" not in k}} if c.get("type") == n["type"] else c
                for c in cur["conditions"] for n in status["conditions"] if c.get("type") == n["type"]
            ] or status["conditions"]
        if {k: v for k, v in merged.items() if k != "conditions"} == {k: v for k, v in cur.items()
                                                                        if k != "conditions"} and cur:
            return False
        obj["status"] = merged
        return True

    def _maybe_ready_on_read(self, rt: ResourceType, obj: dict) -> dict:
        mode = self.readiness.mode(rt.kind)
        if not isinstance(mode, int) or isinstance(mode, bool):
            return obj
        n = self.readiness.note_read(obj["metadata"]["uid"] + "/" + str(obj["metadata"].get("generation", 0)))
        if n < mode:
            return obj
        new = clone(obj)
        if not self._fill_status(rt, new):
            return obj
        self.rv += 1
        new["metadata"]["resourceVersion"] = str(self.rv)
        self.objects[self.key(rt, new["metadata"].get("namespace"), new["metadata"]["name"])] = new
        self._emit("MODIFIED", rt, self._present(rt, new))
        if rt.kind == "CustomResourceDefinition":
            self._sync_crd(new)
        self._changed(rt)
        return new

    def establish(self, crd_name: str) -> None:
        """Mark a CRD Established now (for readiness mode "never" or N reads)."""
        crd_rt = self.find_type("apiextensions.k8s.io", "customresourcedefinitions")
        with self.lock:
            obj = self.objects.get(self.key(crd_rt, None, crd_name))
            if obj is None:
                raise KeyError(crd_name)
            new = clone(obj)
            self._fill_status(crd_rt, new)
            self.rv += 1
            new["metadata"]["resourceVersion"] = str(self.rv)
            self.objects[self.key(crd_rt, None, crd_name)] = new
            self._emit("MODIFIED", crd_rt, self._present(crd_rt, new))
            self._sync_crd(new)
            self._changed(crd_rt)

    def _sync_crd(self, crd: dict) -> None:
        established = any(c.get("type") == "Established" and c.get("status") == "True"
                          for c in (crd.get("status") or {}).get("conditions") or [])
        self.table.set_crd(crd if established else None, crd["metadata"]["name"])

    # ------------------------------------------------------------------ deletes
    def delete(self, rt: ResourceType, ns: str | None, name: str, *, dry_run: bool = False,
               propagation: str | None = None, preconditions: dict | None = None, admit: bool = True) -> dict:
        with self.lock:
            key = self.key(rt, ns, name)
            obj = self.objects.get(key)
            if obj is None:
                raise not_found(rt.plural, rt.group, name)
            err = validation.not_allowed_delete(rt, name)
            if err:
                raise err
            pre = preconditions or {}
            if pre.get("uid") and pre["uid"] != obj["metadata"]["uid"]:
                raise conflict(rt.plural, rt.group, name, f"Precondition failed: UID in precondition: "
                               f"{pre['uid']}, UID in object meta: {obj['metadata']['uid']}")
            if pre.get("resourceVersion") and pre["resourceVersion"] != obj["metadata"]["resourceVersion"]:
                raise conflict(rt.plural, rt.group, name, "the object has been modified; please apply your "
                               "changes to the latest version and try again")
            if admit and self.admission is not None:
                self.admission.review(self, "mutating", rt, None, obj, WriteOptions(dry_run=dry_run),
                                      operation="DELETE")
                self.admission.review(self, "validating", rt, None, obj, WriteOptions(dry_run=dry_run),
                                      operation="DELETE")
            result = self._present(rt, obj)
            if dry_run:
                return result
            self._remove(rt, key, propagation)
            return result

    def _remove(self, rt: ResourceType, key: Key, propagation: str | None) -> None:
        obj = self.objects.pop(key, None)
        if obj is None:
            return
        self.rv += 1
        gone = self._present(rt, obj)
        gone["metadata"]["resourceVersion"] = str(self.rv)
        self._emit("DELETED", rt, gone)
        self._changed(rt)
        if rt.kind == "Namespace" and rt.group == "":
            for k in [k for k in self.objects if k[2] == key[3]]:
                t = self.find_type(k[0], k[1])
                if t:
                    self._remove(t, k, None)
        if rt.kind == "CustomResourceDefinition" and rt.group == "apiextensions.k8s.io":
            spec = obj.get("spec") or {}
            plural, group = (spec.get("names") or {}).get("plural"), spec.get("group")
            for t in self.table.custom.get(obj["metadata"]["name"], [])[:1]:
                for k in [k for k in self.objects if k[0] == group and k[1] == plural]:
                    self._remove(t, k, None)
            self.table.set_crd(None, obj["metadata"]["name"])
        if propagation != "Orphan":
            uid = obj["metadata"]["uid"]
            for k, o in list(self.objects.items()):
                refs = o["metadata"].get("ownerReferences") or []
                if any(r.get("uid") == uid for r in refs):
                    t = self.find_type(k[0], k[1])
                    if t:
                        self._remove(t, k, propagation)

    # ------------------------------------------------------------------ simulated controllers
    def _changed(self, rt: ResourceType) -> None:
        """A committed change of kind rt.kind: run the controllers that watch it (not re-entrantly; their own
        writes mark more kinds dirty and are processed by the same loop)."""
        if not self.controllers:
            return
        self._dirty.add(rt.kind)
        self._run_controllers()

    def _run_controllers(self, forced: list | None = None) -> None:
        if self._reconciling:
            return
        self._reconciling = True
        try:
            for c in forced or []:
                c.reconcile(self)
            for _ in range(50):
                if not self._dirty:
                    break
                dirty, self._dirty = self._dirty, set()
                for c in self.controllers:
                    if c.watches & dirty:
                        c.reconcile(self)
        finally:
            self._reconciling = False

    def mark_dirty(self, kind: str) -> None:
        """Have the controllers watching `kind` reconcile (after the current read or change)."""
        self._dirty.add(kind)

    def _note_read(self, rt: ResourceType, obj: dict) -> dict:
        """Tell the controllers that read this kind; return the object as stored afterwards (a controller may
        have acted on this very read)."""
        interested = [c for c in self.controllers if rt.kind in c.reads]
        if not interested:
            return obj
        key = self.key(rt, obj["metadata"].get("namespace"), obj["metadata"]["name"])
        self._reconciling, was = True, self._reconciling
        try:
            for c in interested:
                c.on_read(self, rt, self.objects.get(key, obj))
        finally:
            self._reconciling = was
        self._run_controllers()
        return self.objects.get(key, obj)

    def tick(self) -> None:
        """Run the controllers whose timers have expired (called on every request and watch wake-up)."""
        if not self.controllers:
            return
        with self.lock:
            due = [c for c in self.controllers if c.due()]
            if due:
                self._run_controllers(forced=due)

    def find_kind(self, group: str, kind: str) -> ResourceType | None:
        for t in self.table.all():
            if t.group == group and t.kind == kind:
                return t
        return None

    def stored(self, group: str, plural: str, ns: str | None = None) -> list[dict]:
        """The stored objects (not copies) of one resource, optionally in one namespace."""
        return [o for (g, p, ons, _), o in sorted(self.objects.items())
                if g == group and p == plural and (ns is None or ons == ns)]

    def system_write(self, rt: ResourceType, new: dict, manager: str, subresource: str = "") -> dict | None:
        """A controller's update (or status update) of an existing object: no admission, managedFields under
        `manager` with operation Update. Returns the stored result, or None if the object is gone."""
        md = new["metadata"]
        ns = md.get("namespace") if rt.namespaced else None
        old = self.objects.get(self.key(rt, ns, md["name"]))
        if old is None:
            return None
        return self._write(rt, ns, md["name"], clone(new), old,
                           WriteOptions(manager=manager, subresource=subresource, admit=False))

    def system_create(self, rt: ResourceType, obj: dict, manager: str) -> dict | None:
        obj = clone(obj)
        md = obj.setdefault("metadata", {})
        if not md.get("name") and md.get("generateName"):
            md["name"] = md["generateName"] + uuid.uuid4().hex[:5]
        ns = md.get("namespace") if rt.namespaced else None
        if rt.namespaced and ("", "namespaces", "", ns) not in self.objects:
            return None
        if self.key(rt, ns, md["name"]) in self.objects:
            return None
        return self._write(rt, ns, md["name"], obj, None, WriteOptions(manager=manager, admit=False))

    def system_delete(self, rt: ResourceType, ns: str | None, name: str) -> None:
        self._remove(rt, self.key(rt, ns, name), None)
