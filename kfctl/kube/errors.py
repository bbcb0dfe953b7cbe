"""API errors (:class:`ApiError`), where they happened (:class:`Target`), and sentences a person can act on."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kfctl.errors import ClusterError


class ApiError(ClusterError):
    def __init__(self, status: int, body: dict | None, method: str, path: str):
        self.status = status
        self.body = body or {}
        self.method = method
        self.path = path
        self.reason = self.body.get("reason", "")
        msg = self.body.get("message") or f"HTTP {status}"
        super().__init__(msg)

    @property
    def causes(self) -> list[dict]:
        return list((self.body.get("details") or {}).get("causes") or [])


@dataclass
class Target:
    """Where the cluster commands connect, for the banner and error messages."""
    server: str
    context: str | None
    cluster: str | None
    namespace: str
    insecure: bool = False


_VERB = {"GET": "get", "PATCH": "patch", "POST": "create", "PUT": "update", "DELETE": "delete"}


def explain(exc: ApiError, target: Target, *, kind: str = "", name: str = "", namespace: str | None = None,
            resource: str = "") -> str:
    what = f"{kind} {namespace + '/' if namespace else ''}{name}".strip()
    verb = _VERB.get(exc.method, exc.method.lower())
    ctx = f"context {target.context!r}" if target.context else f"server {target.server}"
    if exc.status == 401:
        return f"{ctx}: the server rejected the credentials (401 Unauthorized); log in again or check the user of {ctx}"
    if exc.status == 403:
        where = f" in namespace {namespace!r}" if namespace else " at cluster scope"
        return (f"{what}: {ctx} is not allowed to {verb} {resource or kind.lower() + 's'}{where} "
                f"(403 Forbidden: {exc.body.get('message', '')})")
    if exc.status == 409 and exc.reason in ("Conflict", "FieldManagerConflict") or (exc.status == 409 and exc.causes):
        fields = []
        for c in exc.causes:
            m = re.search(r'conflict with "([^"]+)"', c.get("message", ""))
            mgr = m.group(1) if m else "another manager"
            fields.append(f"{c.get('field', '?')} (owned by {mgr})")
        detail = ", ".join(fields) if fields else exc.body.get("message", "conflict")
        return f"{what}: field conflict: {detail}; rerun with --force-conflicts to take ownership"
    if exc.status == 422:
        errs = [f"{c.get('field', '?')}: {c.get('message', '')}" for c in exc.causes]
        return f"{what}: invalid: " + ("; ".join(errs) if errs else exc.body.get("message", ""))
    if exc.status == 404 and namespace and "namespaces" in exc.body.get("message", "") and "not found" in exc.body.get("message", ""):
        return f"{what}: namespace {namespace!r} does not exist on the cluster"
    return f"{what}: {exc.body.get('message') or exc}"
