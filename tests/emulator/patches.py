"""The three PATCH flavours: JSON merge patch (RFC 7386), strategic merge patch, JSON patch (RFC 6902)."""

from __future__ import annotations

from typing import Any

from .jcopy import clone
from .errors import ApiError, bad_request
from .schema import key_of, list_keys


def json_merge_patch(target: Any, patch: Any) -> Any:
    if not isinstance(patch, dict):
        return clone(patch)
    out = clone(target) if isinstance(target, dict) else {}
    for k, v in patch.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = json_merge_patch(out.get(k), v)
    return out


def strategic_merge_patch(target: Any, patch: Any, field: str = "") -> Any:
    """A practical subset of kube's strategic merge: maps merge, keyed lists merge by key
    (containers/env/volumes by name, ports by port, ...), `$patch: delete|replace`, `$retainKeys` ignored,
    `$deleteFromPrimitiveList/<f>` and `$setElementOrder/<f>` honoured/ignored; other lists are replaced."""
    if isinstance(patch, dict):
        if patch.get("$patch") == "replace":
            return {k: clone(v) for k, v in patch.items() if k != "$patch"}
        if patch.get("$patch") == "delete":
            return None
        out = clone(target) if isinstance(target, dict) else {}
        for k, v in patch.items():
            if k in ("$patch", "$retainKeys") or k.startswith("$setElementOrder/"):
                continue
            if k.startswith("$deleteFromPrimitiveList/"):
                f = k.split("/", 1)[1]
                if isinstance(out.get(f), list):
                    out[f] = [x for x in out[f] if x not in v]
                continue
            if v is None:
                out.pop(k, None)
                continue
            merged = strategic_merge_patch(out.get(k), v, k)
            if merged is None and isinstance(v, dict):
                out.pop(k, None)
            else:
                out[k] = merged
        return out
    if isinstance(patch, list):
        live = target if isinstance(target, list) else []
        keys = list_keys(field, [*live, *[p for p in patch if isinstance(p, dict)]])
        if keys is None:
            return [x for x in clone(patch) if not (isinstance(x, dict) and "$patch" in x)]
        if any(isinstance(p, dict) and p.get("$patch") == "replace" for p in patch):
            return [clone(p) for p in patch if not (isinstance(p, dict) and "$patch" in p)]
        kk = keys[:1] if field != "ports" else keys
        out = clone(live)
        for item in patch:
            if not isinstance(item, dict):
                raise bad_request(f"unable to find api field in struct for the list {field}")
            idx = next((i for i, cur in enumerate(out) if key_of(cur, kk) == key_of(item, kk)), None)
            if item.get("$patch") == "delete":
                if idx is not None:
                    out.pop(idx)
                continue
            if idx is None:
                out.append(strategic_merge_patch({}, item, field))
            else:
                out[idx] = strategic_merge_patch(out[idx], item, field)
        return out
    return clone(patch)


def _pointer(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise bad_request(f'the server rejected our request due to an error in our request: invalid JSON pointer "{path}"')
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _walk(doc: Any, parts: list[str]) -> Any:
    cur = doc
    for p in parts:
        if isinstance(cur, dict) and p in cur:
            cur = cur[p]
        elif isinstance(cur, list) and p.isdigit() and int(p) < len(cur):
            cur = cur[int(p)]
        else:
            raise ApiError(422, "Invalid", f"the server rejected our request due to an error in our request: "
                           f"doc is missing path: \"/{'/'.join(parts)}\"")
    return cur


def json_patch(doc: Any, ops: Any) -> Any:
    if not isinstance(ops, list):
        raise bad_request("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
    doc = clone(doc)
    for op in ops:
        kind, parts = op.get("op"), _pointer(op.get("path", ""))
        if kind in ("move", "copy"):
            src = _pointer(op.get("from", ""))
            value = clone(_walk(doc, src))
            if kind == "move":
                doc = _remove(doc, src)
            doc = _add(doc, parts, value)
        elif kind == "add":
            doc = _add(doc, parts, clone(op.get("value")))
        elif kind == "remove":
            doc = _remove(doc, parts)
        elif kind == "replace":
            _walk(doc, parts)
            doc = _remove(doc, parts)
            doc = _add(doc, parts, clone(op.get("value")))
        elif kind == "test":
            if _walk(doc, parts) != op.get("value"):
                raise ApiError(422, "Invalid", "the server rejected our request due to an error in our request: "
                               "testing value failed")
        else:
            raise bad_request(f"Unexpected kind: {kind}")
    return doc


def _add(doc: Any, parts: list[str], value: Any) -> Any:
    if not parts:
        return value
    parent = _walk(doc, parts[:-1])
    last = parts[-1]
    if isinstance(parent, dict):
        parent[last] = value
    elif isinstance(parent, list):
        if last == "-":
            parent.append(value)
        elif last.isdigit() and int(last) <= len(parent):
            parent.insert(int(last), value)
        else:
            raise ApiError(422, "Invalid", f"add operation does not apply: index {last} out of bounds")
    else:
        raise ApiError(422, "Invalid", f"doc is missing path: \"/{'/'.join(parts)}\"")
    return doc


def _remove(doc: Any, parts: list[str]) -> Any:
    _walk(doc, parts)
    parent = _walk(doc, parts[:-1])
    if isinstance(parent, dict):
        del parent[parts[-1]]
    else:
        parent.pop(int(parts[-1]))
    return doc
