"""Decode the few protobuf request bodies kubectl's typed commands send (`kubectl create namespace|configmap|
secret|serviceaccount`, `kubectl auth can-i`, `kubectl auth whoami`). client-go encodes built-in kinds as protobuf and does not fall back to JSON, so the
emulator understands these kinds' wire format; any other protobuf body gets a 415."""

from __future__ import annotations

import base64
from typing import Any

from .errors import ApiError

MAGIC = b"k8s\x00"


def _varint(buf: bytes, i: int) -> tuple[int, int]:
    shift = result = 0
    while True:
        b = buf[i]
        i += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, i
        shift += 7


def fields(buf: bytes) -> list[tuple[int, Any]]:
    """(field number, value) pairs; length-delimited values stay bytes, varints are ints."""
    out, i = [], 0
    while i < len(buf):
        key, i = _varint(buf, i)
        num, wire = key >> 3, key & 7
        if wire == 0:
            val, i = _varint(buf, i)
        elif wire == 2:
            n, i = _varint(buf, i)
            val, i = buf[i:i + n], i + n
        elif wire == 1:
            val, i = buf[i:i + 8], i + 8
        elif wire == 5:
            val, i = buf[i:i + 4], i + 4
        else:
            raise ValueError(f"unsupported wire type {wire}")
        out.append((num, val))
    return out


def _map(entries: list[bytes], binary: bool = False) -> dict:
    out = {}
    for e in entries:
        kv = dict(fields(e))
        v = kv.get(2, b"")
        out[kv.get(1, b"").decode()] = base64.b64encode(v).decode() if binary else v.decode()
    return out


def _metadata(buf: bytes) -> dict:
    md: dict[str, Any] = {}
    labels, annotations, finalizers = [], [], []
    for num, val in fields(buf):
        if num == 1:
            md["name"] = val.decode()
        elif num == 2:
            md["generateName"] = val.decode()
        elif num == 3:
            md["namespace"] = val.decode()
        elif num == 6:
            md["resourceVersion"] = val.decode()
        elif num == 11:
            labels.append(val)
        elif num == 12:
            annotations.append(val)
        elif num == 14:
            finalizers.append(val.decode())
    if labels:
        md["labels"] = _map(labels)
    if annotations:
        md["annotations"] = _map(annotations)
    if finalizers:
        md["finalizers"] = finalizers
    return {k: v for k, v in md.items() if v != ""}


def decode(body: bytes) -> dict:
    if not body.startswith(MAGIC):
        raise ApiError(400, "BadRequest", "protobuf body without the k8s envelope")
    envelope = dict(fields(body[len(MAGIC):]))
    type_meta = dict(fields(envelope.get(1, b"")))
    api_version, kind = type_meta.get(1, b"").decode(), type_meta.get(2, b"").decode()
    raw = fields(envelope.get(2, b""))
    obj: dict[str, Any] = {"apiVersion": api_version, "kind": kind}
    grouped: dict[int, list] = {}
    for num, val in raw:
        grouped.setdefault(num, []).append(val)
    obj["metadata"] = _metadata(grouped.get(1, [b""])[0])
    if (api_version, kind) == ("v1", "Namespace"):
        spec = fields(grouped.get(2, [b""])[0])
        fin = [v.decode() for n, v in spec if n == 1]
        if fin:
            obj["spec"] = {"finalizers": fin}
    elif (api_version, kind) == ("v1", "ConfigMap"):
        if 2 in grouped:
            obj["data"] = _map(grouped[2])
        if 3 in grouped:
            obj["binaryData"] = _map(grouped[3], binary=True)
        if 4 in grouped:
            obj["immutable"] = bool(grouped[4][0])
    elif (api_version, kind) == ("v1", "Secret"):
        if 2 in grouped:
            obj["data"] = _map(grouped[2], binary=True)
        if 3 in grouped:
            obj["type"] = grouped[3][0].decode()
        if 4 in grouped:
            obj["stringData"] = _map(grouped[4])
        if 5 in grouped:
            obj["immutable"] = bool(grouped[5][0])
    elif (api_version, kind) == ("v1", "ServiceAccount"):
        pass
    elif (api_version, kind) == ("authorization.k8s.io/v1", "SelfSubjectAccessReview"):
        spec = dict(fields(grouped.get(2, [b""])[0]))
        names = {1: "namespace", 2: "verb", 3: "group", 4: "version", 5: "resource", 6: "subresource", 7: "name"}
        if 1 in spec:
            obj["spec"] = {"resourceAttributes": {names[n]: v.decode() for n, v in fields(spec[1]) if n in names}}
        else:
            obj["spec"] = {"nonResourceAttributes": {{1: "path", 2: "verb"}[n]: v.decode()
                                                     for n, v in fields(spec.get(2, b"")) if n in (1, 2)}}
    elif (api_version, kind) == ("authentication.k8s.io/v1", "SelfSubjectReview"):
        pass  # `kubectl auth whoami`: no spec, the answer is the caller
    else:
        raise ApiError(415, "UnsupportedMediaType", f"the emulator decodes protobuf bodies only for Namespace, "
                       f"ConfigMap, Secret, ServiceAccount, SelfSubjectAccessReview and SelfSubjectReview, not {api_version}/{kind}; "
                       f"send JSON")
    return obj
