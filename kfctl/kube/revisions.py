"""Revisions: what each apply of an app/env deployed, kept on the cluster beside the state record.

One Secret per revision, ``kfctl-<app>-<env>-rev-<N>`` in the env namespace (type
``kfctl.dev/revision``), so the Secrets of a render are stored only in a Secret.  Its data:

* ``meta.json`` — number, outcome and reason, start/finish time, who applied (SelfSubjectReview,
  else the kubeconfig user), kfctl version, the app's git commit and dirty flag, object counts and
  the objects changed, the revision it rolled back to;
* ``objects.json.xz`` — the rendered objects as applied (``[{component, object}]``), xz-compressed
  (a render's CRDs repeat: ~60x smaller than the JSON); beyond :data:`CHUNK` bytes the rest goes to
  ``-rev-<N>-part-<i>`` Secrets;
* ``params.json.xz`` — the env's resolved component params.

Labels: kfctl's ownership labels, ``kfctl.dev/state: "true"`` (prune and delete never touch it),
``kfctl.dev/revision: "<N>"`` and ``kfctl.dev/outcome``.  A revision is written *before* the first
object is applied with outcome ``failed`` ("did not finish") and updated when the apply ends: a
crashed apply leaves a failed revision, never a lock, and the next apply simply records the next one.
"""

from __future__ import annotations

import base64
import json
import lzma
import time
from dataclasses import dataclass, field
from typing import Any

from kfctl.kube.client import Kube
from kfctl.kube.errors import ApiError
from kfctl.kube.state import STATE_LABEL, state_name
from kfctl.render.model import LABEL_APP, LABEL_ENV, LABEL_MANAGED_BY, MANAGED_BY, label_value

REVISION_LABEL = "kfctl.dev/revision"
OUTCOME_LABEL = "kfctl.dev/outcome"
PART_LABEL = "kfctl.dev/revision-part"
SECRET_TYPE = "kfctl.dev/revision"
CHUNK = 700_000  # compressed bytes per Secret (base64 makes ~930 kB, under the 1 MiB object limit)
UNFINISHED = "apply did not finish (interrupted, crashed or lost its connection)"
OUTCOMES = ("succeeded", "partial", "failed", "not-ready", "interrupted")


@dataclass
class Revision:
    number: int
    outcome: str = "failed"
    reason: str = UNFINISHED
    started: str = ""
    finished: str | None = None
    user: str | None = None
    user_source: str | None = None  # SelfSubjectReview | kubeconfig
    kfctl_version: str = ""
    commit: str | None = None
    dirty: bool | None = None
    counts: dict[str, int] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)
    components: list[str] = field(default_factory=list)
    objects_count: int = 0
    rollback_of: int | None = None
    parts: int = 1
    name: str = ""  # the Secret
    # the env's other revisions as :func:`record` listed them (oldest first; not stored): what :func:`trim`
    # trims without listing them again
    older: list["Revision"] | None = field(default=None, repr=False, compare=False)

    def meta(self) -> dict[str, Any]:
        return {"number": self.number, "outcome": self.outcome, "reason": self.reason, "started": self.started,
                "finished": self.finished, "user": self.user, "userSource": self.user_source,
                "kfctlVersion": self.kfctl_version, "commit": self.commit, "dirty": self.dirty,
                "counts": dict(self.counts), "changed": list(self.changed), "components": list(self.components),
                "objects": self.objects_count, "rollbackOf": self.rollback_of, "parts": self.parts}

    @classmethod
    def from_meta(cls, meta: dict, name: str) -> "Revision":
        return cls(number=int(meta["number"]), outcome=meta.get("outcome") or "failed", reason=meta.get("reason") or "",
                   started=meta.get("started") or "", finished=meta.get("finished"), user=meta.get("user"),
                   user_source=meta.get("userSource"), kfctl_version=meta.get("kfctlVersion") or "",
                   commit=meta.get("commit"), dirty=meta.get("dirty"), counts=dict(meta.get("counts") or {}),
                   changed=list(meta.get("changed") or []), components=list(meta.get("components") or []),
                   objects_count=int(meta.get("objects") or 0), rollback_of=meta.get("rollbackOf"),
                   parts=int(meta.get("parts") or 1), name=name)


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def revision_name(app: str, env: str, number: int, part: int = 0) -> str:
    return f"{state_name(app, env)}-rev-{number}" + (f"-part-{part}" if part else "")


def _labels(app: str, env: str, number: int, outcome: str | None = None, part: int = 0) -> dict[str, str]:
    out = {LABEL_MANAGED_BY: MANAGED_BY, LABEL_APP: label_value(app), LABEL_ENV: label_value(env),
           STATE_LABEL: "true", REVISION_LABEL: str(number)}
    if outcome:
        out[OUTCOME_LABEL] = outcome
    if part:
        out[PART_LABEL] = str(part)
    return out


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


# fast preset, large window: a render's CRDs repeat far apart (11 MB of JSON → 178 kB in 0.5 s;
# the default preset 6 gets 143 kB in 3.9 s, gzip 1.4 MB — more than a Secret holds).  The window is
# no larger than the text (a bigger one finds nothing more, and its match finder's tables — ~7x the
# window — are what a small compression spends its time allocating: 1,000 ConfigMaps in 5 ms, not 30)
_MAX_WINDOW = 16 << 20


def pack(value: Any) -> bytes:
    from kfctl.util.jsonfast import dumps_bytes

    text = dumps_bytes(value, sort_keys=True)
    window = max(1 << 16, min(_MAX_WINDOW, 1 << max(len(text) - 1, 1).bit_length()))
    return lzma.compress(text, format=lzma.FORMAT_XZ,
                         filters=[{"id": lzma.FILTER_LZMA2, "preset": 1, "dict_size": window}])


def unpack(data: bytes) -> Any:
    return json.loads(lzma.decompress(data).decode("utf-8"))


def _path(namespace: str, name: str | None = None) -> str:
    return f"/api/v1/namespaces/{namespace}/secrets" + (f"/{name}" if name else "")


def _selector(app: str, env: str) -> str:
    return f"{LABEL_MANAGED_BY}={MANAGED_BY},{LABEL_APP}={label_value(app)},{LABEL_ENV}={label_value(env)},{REVISION_LABEL}"


def _listed(kube: Kube, app: str, env: str, namespace: str) -> list[dict]:
    try:
        _, body = kube.request("GET", _path(namespace), query={"labelSelector": _selector(app, env)})
    except ApiError as exc:
        if exc.status == 404:  # no namespace yet: no revisions
            return []
        raise
    return [s for s in (body or {}).get("items") or [] if s.get("type") == SECRET_TYPE]


@dataclass
class Stored:
    """A revision as listed: its metadata and the Secret (objects decoded on demand)."""

    revision: Revision
    secret: dict


def list_revisions(kube: Kube, app: str, env: str, namespace: str) -> list[Stored]:
    """The env's revisions, oldest first (part Secrets left out; unreadable ones skipped)."""
    out = []
    for s in _listed(kube, app, env, namespace):
        labels = (s.get("metadata") or {}).get("labels") or {}
        if labels.get(PART_LABEL):
            continue
        try:
            meta = json.loads(_unb64((s.get("data") or {})["meta.json"]))
            out.append(Stored(Revision.from_meta(meta, s["metadata"]["name"]), s))
        except (KeyError, ValueError, TypeError):
            continue
    return sorted(out, key=lambda r: r.revision.number)


def load_payload(kube: Kube, stored: Stored, namespace: str) -> tuple[list[dict], dict]:
    """(``[{component, object}]``, params) of a listed revision, fetching its part Secrets."""
    data = stored.secret.get("data") or {}
    blob = _unb64(data.get("objects.json.xz", ""))
    rev = stored.revision
    for i in range(1, rev.parts):
        part = kube.get(_path(namespace, f"{rev.name}-part-{i}"))
        blob += _unb64((part.get("data") or {}).get("objects.json.xz", ""))
    objects = unpack(blob) if blob else []
    params = unpack(_unb64(data["params.json.xz"])) if data.get("params.json.xz") else {}
    return objects, params


def _secret(app: str, env: str, namespace: str, rev: Revision, data: dict[str, str], part: int = 0) -> dict:
    return {"apiVersion": "v1", "kind": "Secret", "type": SECRET_TYPE,
            "metadata": {"name": revision_name(app, env, rev.number, part), "namespace": namespace,
                         "labels": _labels(app, env, rev.number, None if part else rev.outcome, part)},
            "data": data}


def record(kube: Kube, app: str, env: str, namespace: str, rev: Revision, objects: list[dict], params: dict,
           *, attempts: int = 5) -> Revision:
    """Create revision ``rev`` (its number: the next free one); a number taken meanwhile by another
    kfctl is skipped.  Returns the revision as stored (number and Secret name set)."""
    blob = pack(objects)
    chunks = [blob[i:i + CHUNK] for i in range(0, len(blob), CHUNK)] or [b""]
    rev.parts = len(chunks)
    rev.objects_count = len(objects)
    params_blob = _b64(pack(params))
    for _ in range(attempts):
        rev.older = [s.revision for s in list_revisions(kube, app, env, namespace)]
        rev.number = max((r.number for r in rev.older), default=0) + 1
        rev.name = revision_name(app, env, rev.number)
        for i, chunk in enumerate(chunks[1:], start=1):  # parts first: the main Secret makes it visible
            kube.request("POST", _path(namespace), query={"fieldManager": "kfctl"}, body=json.dumps(_secret(
                app, env, namespace, rev, {"objects.json.xz": _b64(chunk)}, part=i)))
        try:
            kube.request("POST", _path(namespace), query={"fieldManager": "kfctl"}, body=json.dumps(_secret(app, env, namespace, rev, {
                "meta.json": _b64(json.dumps(rev.meta(), sort_keys=True).encode()),
                "objects.json.xz": _b64(chunks[0]), "params.json.xz": params_blob})))
            return rev
        except ApiError as exc:
            if exc.status != 409:
                raise
            for i in range(1, len(chunks)):
                _delete(kube, namespace, revision_name(app, env, rev.number, i))
    raise ApiError(409, {"message": f"could not claim a revision number after {attempts} attempts"}, "POST",
                   _path(namespace))


def after_interrupt(kube: Kube) -> Kube:
    """A client for the one write after Ctrl-C (the revision's outcome): ``kube``'s connection, not its
    cancellation, and a short timeout (a second Ctrl-C still stops it)."""
    import dataclasses
    import threading

    return dataclasses.replace(kube, cancelled=threading.Event(), timeout=min(kube.timeout or 5.0, 5.0), retries=1)


def update(kube: Kube, app: str, env: str, namespace: str, rev: Revision) -> None:
    """Write ``rev``'s metadata (outcome, counts, finish time) to its Secret."""
    patch = {"apiVersion": "v1", "kind": "Secret",
             "metadata": {"name": rev.name, "namespace": namespace, "labels": {OUTCOME_LABEL: rev.outcome}},
             "data": {"meta.json": _b64(json.dumps(rev.meta(), sort_keys=True).encode())}}
    kube.request("PATCH", _path(namespace, rev.name), query={"fieldManager": "kfctl-revision", "force": "true"},
                 body=json.dumps(patch), content_type="application/apply-patch+yaml")


def _delete(kube: Kube, namespace: str, name: str) -> None:
    try:
        kube.request("DELETE", _path(namespace, name))
    except ApiError as exc:
        if exc.status != 404:
            raise


def trim(kube: Kube, app: str, env: str, namespace: str, keep: int, newest: Revision | None = None) -> list[int]:
    """Delete the oldest revisions beyond the newest ``keep``; returns their numbers.  With ``newest`` (the
    revision :func:`record` just wrote) the others are those it listed then, not listed again: one that
    another kfctl recorded meanwhile is trimmed by the next apply."""
    if newest is not None and newest.older is not None:
        revs = sorted(newest.older + [newest], key=lambda r: r.number)
    else:
        revs = [s.revision for s in list_revisions(kube, app, env, namespace)]
    old = revs[:-keep] if keep > 0 else []
    for r in old:
        for i in range(1, r.parts):
            _delete(kube, namespace, f"{r.name}-part-{i}")
        _delete(kube, namespace, r.name)
    return [r.number for r in old]


def delete_all(kube: Kube, app: str, env: str, namespace: str) -> None:
    """Forget every revision (``kfctl delete`` of the whole env)."""
    for s in _listed(kube, app, env, namespace):
        _delete(kube, namespace, s["metadata"]["name"])


def whoami(kube: Kube, kubeconfig: str | None = None) -> tuple[str | None, str | None]:
    """(user, how it is known): the server's SelfSubjectReview, else the kubeconfig context's user."""
    try:
        _, body = kube.request("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", retries=1,
                               body=json.dumps({"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"}))
        user = (((body or {}).get("status") or {}).get("userInfo") or {}).get("username")
        if user:
            return user, "SelfSubjectReview"
    except ApiError:
        pass
    ctx = kube.target.context
    if ctx:
        try:
            from kfctl.kube.kubeconfig import load_kubeconfig

            user = load_kubeconfig(kubeconfig).context(ctx).user
            if user:
                return user, "kubeconfig"
        except Exception:  # the kubeconfig was readable a moment ago; a user name is not worth failing for
            return None, None
    return None, None
