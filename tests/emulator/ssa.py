"""Server-side apply and managed fields: field sets in the real `fieldsV1` format, conflicts, ownership.

A field set is a set of paths; a path is a tuple of fieldsV1 elements: "f:<name>" (map field),
'k:{"name":"x"}' (keyed list item), 'v:"x"' (set item), "." (the list item itself).
"""

from __future__ import annotations

import json
from typing import Any, Iterable

from .jcopy import clone
from .errors import ApiError
from .schema import is_atomic_map, is_set_list, key_of, list_keys

Path = tuple[str, ...]
MISSING = object()

# metadata fields the server owns; never tracked and never taken from applied configs
SERVER_METADATA = ("uid", "resourceVersion", "generation", "creationTimestamp", "managedFields",
                   "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink")
UNTRACKED_METADATA = ("name", "namespace", *SERVER_METADATA)


def _jkey(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def trackable(obj: dict, part: str, has_status: bool) -> dict:
    """The part of an object whose fields are tracked: no apiVersion/kind/identity metadata;
    for the main resource of a kind with a status subresource, no status; for /status, only status."""
    out: dict = {}
    for k, v in obj.items():
        if k in ("apiVersion", "kind"):
            continue
        if k == "metadata":
            md = {mk: mv for mk, mv in (v or {}).items() if mk not in UNTRACKED_METADATA}
            if md and part != "status":
                out["metadata"] = md
            continue
        if part == "status":
            if k == "status":
                out[k] = v
            continue
        if k == "status" and has_status:
            continue
        out[k] = v
    return out


def field_set(obj: dict) -> set[Path]:
    out: set[Path] = set()
    for k, v in obj.items():
        _walk(v, k, ("f:" + k,), out)
    return out


def _walk(value: Any, name: str, path: Path, out: set[Path]) -> None:
    if isinstance(value, dict):
        if not value or is_atomic_map(name):
            out.add(path)
            return
        for k, v in value.items():
            _walk(v, k, path + ("f:" + k,), out)
    elif isinstance(value, list):
        keys = list_keys(name, value)
        if keys is not None and value:
            for item in value:
                kp = path + ("k:" + _jkey(key_of(item, keys)),)
                out.add(kp + (".",))
                for k, v in item.items():
                    _walk(v, k, kp + ("f:" + k,), out)
        elif value and is_set_list(name, value):
            for item in value:
                out.add(path + ("v:" + _jkey(item),))
        else:
            out.add(path)
    else:
        out.add(path)


def value_at(obj: Any, path: Path) -> Any:
    cur = obj
    for el in path:
        if el == ".":
            return True if cur is not MISSING else MISSING  # the item itself: existence only
        if el.startswith("f:"):
            if not isinstance(cur, dict) or el[2:] not in cur:
                return MISSING
            cur = cur[el[2:]]
        elif el.startswith("k:"):
            want = json.loads(el[2:])
            if not isinstance(cur, list):
                return MISSING
            cur = next((i for i in cur if isinstance(i, dict) and key_of(i, tuple(want)) == want), MISSING)
            if cur is MISSING:
                return MISSING
        elif el.startswith("v:"):
            want = json.loads(el[2:])
            return want if isinstance(cur, list) and want in cur else MISSING
    return cur


def path_string(path: Path) -> str:
    """The path as kube prints it in conflict messages: .spec.containers[name="nginx"].image"""
    out = ""
    for el in path:
        if el.startswith("f:"):
            out += "." + el[2:]
        elif el.startswith("k:"):
            key = json.loads(el[2:])
            out += "[" + ",".join(f"{k}={_jkey(v)}" for k, v in key.items()) + "]"
        elif el.startswith("v:"):
            out += f"[={el[2:]}]"
    return out


# ----------------------------------------------------------------------------- fieldsV1 tree <-> path set

def to_fields_v1(paths: Iterable[Path]) -> dict:
    tree: dict = {}
    for p in paths:
        node = tree
        for el in p:
            node = node.setdefault(el, {})
    return _sorted_tree(tree)


def _sorted_tree(node: dict) -> dict:
    return {k: _sorted_tree(node[k]) for k in sorted(node, key=lambda k: (k != ".", k))}


def from_fields_v1(tree: dict, prefix: Path = ()) -> set[Path]:
    out: set[Path] = set()
    for k, child in (tree or {}).items():
        p = prefix + (k,)
        if not child:
            out.add(p)
        else:
            out |= from_fields_v1(child, p)
    return out


# ----------------------------------------------------------------------------- managed field entries

class Entry:
    def __init__(self, manager: str, operation: str, api_version: str, time: str, fields: set[Path],
                 subresource: str = ""):
        self.manager, self.operation, self.api_version = manager, operation, api_version
        self.time, self.fields, self.subresource = time, fields, subresource

    @classmethod
    def decode(cls, raw: dict) -> "Entry":
        return cls(raw.get("manager", ""), raw.get("operation", "Update"), raw.get("apiVersion", ""),
                   raw.get("time", ""), from_fields_v1(raw.get("fieldsV1") or {}), raw.get("subresource", ""))

    def encode(self) -> dict:
        out = {"manager": self.manager, "operation": self.operation, "apiVersion": self.api_version,
               "time": self.time, "fieldsType": "FieldsV1", "fieldsV1": to_fields_v1(self.fields)}
        if self.subresource:
            out["subresource"] = self.subresource
        return out

    def same_identity(self, manager: str, operation: str, subresource: str) -> bool:
        return (self.manager, self.operation, self.subresource) == (manager, operation, subresource)

    def printable(self) -> str:
        if self.operation == "Update":
            return f'"{self.manager}" using {self.api_version}'
        return f'"{self.manager}"'


def decode_entries(obj: dict | None) -> list[Entry]:
    return [Entry.decode(e) for e in ((obj or {}).get("metadata") or {}).get("managedFields") or []]


def encode_entries(entries: list[Entry]) -> list[dict]:
    return [e.encode() for e in entries if e.fields]


# ----------------------------------------------------------------------------- apply

def without_nulls(value: Any) -> Any:
    """An applied value as the server keeps it: a null field of an apply configuration means "not
    set" (structured-merge-diff), so it is never stored — at any depth, on create too."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def apply_merge(live: Any, applied: Any, name: str = "") -> Any:
    if isinstance(live, dict) and isinstance(applied, dict) and not is_atomic_map(name):
        out = clone(live)
        for k, v in applied.items():
            if v is None:
                out.pop(k, None)
            elif k in out:
                out[k] = apply_merge(out[k], v, k)
            else:
                out[k] = without_nulls(v)
        return out
    if isinstance(live, list) and isinstance(applied, list):
        keys = list_keys(name, [*live, *applied])
        if keys is not None and all(isinstance(i, dict) for i in [*live, *applied]):
            # Order like structured-merge-diff: walk the live list; an item that is also applied pulls in
            # the applied items before it (in applied order); applied-only items left over go last.
            live_by = {_jkey(key_of(i, keys)): i for i in live}
            applied_keys = [_jkey(key_of(i, keys)) for i in applied]
            applied_by = dict(zip(applied_keys, applied))
            out, emitted = [], set()

            def emit_upto(k: str) -> None:
                for ak in applied_keys[:applied_keys.index(k) + 1]:
                    if ak not in emitted:
                        emitted.add(ak)
                        item = applied_by[ak]
                        out.append(apply_merge(live_by[ak], item, name) if ak in live_by else without_nulls(item))
            for item in live:
                k = _jkey(key_of(item, keys))
                if k in applied_by:
                    emit_upto(k)
                else:
                    out.append(clone(item))
            if applied_keys:
                emit_upto(applied_keys[-1])
            return out
        if is_set_list(name, [*live, *applied]):
            return list(applied) + [x for x in live if x not in applied]
    return without_nulls(applied)


def remove_path(obj: dict, path: Path) -> None:
    """Remove the field (or keyed list item, for paths ending in '.') at path, pruning emptied parents."""
    target = path[:-1] if path[-1] == "." else path
    parents: list[tuple[Any, str]] = []
    cur: Any = obj
    for el in target:
        if el.startswith("f:"):
            if not isinstance(cur, dict) or el[2:] not in cur:
                return
            parents.append((cur, el))
            cur = cur[el[2:]]
        elif el.startswith("k:"):
            want = json.loads(el[2:])
            if not isinstance(cur, list):
                return
            item = next((i for i in cur if isinstance(i, dict) and key_of(i, tuple(want)) == want), None)
            if item is None:
                return
            parents.append((cur, el))
            cur = item
        elif el.startswith("v:"):
            parents.append((cur, el))
    # delete the last element, then prune parents that became empty
    for container, el in reversed(parents):
        if el.startswith("f:"):
            container.pop(el[2:], None)
        elif el.startswith("k:"):
            want = json.loads(el[2:])
            container[:] = [i for i in container if not (isinstance(i, dict) and key_of(i, tuple(want)) == want)]
        elif el.startswith("v:"):
            val = json.loads(el[2:])
            if val in container:
                container.remove(val)
        if container:
            break


def conflict_error(conflicts: list[tuple[Entry, Path]]) -> ApiError:
    causes = [{"reason": "FieldManagerConflict", "message": f"conflict with {e.printable()}",
               "field": path_string(p)} for e, p in conflicts]
    if len(conflicts) == 1:
        e, p = conflicts[0]
        msg = f"Apply failed with 1 conflict: conflict with {e.printable()}: {path_string(p)}"
    else:
        by_mgr: dict[str, list[str]] = {}
        for e, p in conflicts:
            by_mgr.setdefault(e.printable(), []).append(path_string(p))
        lines = []
        for mgr, paths in sorted(by_mgr.items()):  # kube sorts the printed managers
            lines.append(f"conflicts with {mgr}:")
            lines.extend(f"- {p}" for p in sorted(paths))
        msg = f"Apply failed with {len(conflicts)} conflicts: " + "\n".join(lines)
    return ApiError(409, "Conflict", msg, {"causes": causes})


def apply(live: dict | None, applied: dict, *, manager: str, force: bool, api_version: str, now: str,
          has_status: bool, subresource: str = "") -> tuple[dict, list[dict]]:
    """Merge an applied configuration into the live object; returns (new object, new managedFields).
    Raises a 409 FieldManagerConflict ApiError when another manager owns a field applied with a different value."""
    part = "status" if subresource == "status" else "main"
    entries = decode_entries(live)
    applied_t = trackable(applied, part, has_status)
    live_obj = clone(live) if live is not None else {}
    live_t = trackable(live_obj, part, has_status)
    new_set = field_set(applied_t)
    mine = next((e for e in entries if e.same_identity(manager, "Apply", subresource)), None)
    prev = set(mine.fields) if mine else set()
    others = [e for e in entries if e is not mine]

    conflicts = []
    for e in others:
        for p in sorted(new_set & e.fields):
            if value_at(applied_t, p) != value_at(live_t, p):
                conflicts.append((e, p))
    if conflicts and not force:
        raise conflict_error(conflicts)
    for e, p in conflicts:
        e.fields.discard(p)

    owned_by_others: set[Path] = set().union(*(e.fields for e in others)) if others else set()
    keep = owned_by_others | new_set
    # whole list items first (so their keys are still there to find them), then single fields
    for p in sorted(prev - new_set, key=lambda p: (p[-1] != ".", len(p), p)):
        if p in owned_by_others:
            continue
        if p[-1] == "." and any(q[:len(p) - 1] == p[:-1] for q in keep):
            continue
        remove_path(live_obj, p)

    merged = apply_merge(live_obj, applied_t)
    if mine is None:
        mine = Entry(manager, "Apply", api_version, now, set(), subresource)
        entries.append(mine)
    mine.fields, mine.time, mine.api_version = new_set, now, api_version
    return merged, encode_entries(entries)


def track_update(old: dict | None, new: dict, *, manager: str, api_version: str, now: str, has_status: bool,
                 subresource: str = "") -> list[dict]:
    """managedFields after a non-apply write (create/update/patch): the writer takes every field it changed."""
    part = "status" if subresource == "status" else "main"
    entries = decode_entries(old) if old is not None else []
    old_t = trackable(old or {}, part, has_status)
    new_t = trackable(new, part, has_status)
    old_set, new_set = field_set(old_t), field_set(new_t)
    changed = {p for p in new_set if p not in old_set or value_at(new_t, p) != value_at(old_t, p)}
    removed = old_set - new_set
    mine = next((e for e in entries if e.same_identity(manager, "Update", subresource)), None)
    for e in entries:
        if e is not mine:
            e.fields -= changed | removed
    if changed or mine is not None:
        if mine is None:
            mine = Entry(manager, "Update", api_version, now, set(), subresource)
            entries.append(mine)
        mine.fields = ((mine.fields | changed) - removed) & new_set
        if changed:
            mine.time = now
    return encode_entries(entries)
