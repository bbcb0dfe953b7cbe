"""API errors (:class:`ApiError`), where they happened (:class:`Target`), and sentences a person can act on."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

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


class Unreachable(ClusterError):
    """The server could not be reached (refused, timed out, DNS, dropped) after every retry."""


class Cancelled(ClusterError):
    """The command was interrupted (Ctrl-C): no further request is sent."""

    exit_code = 130


@dataclass
class Target:
    """Where the cluster commands connect, for the banner and error messages."""
    server: str
    context: str | None
    cluster: str | None
    namespace: str
    insecure: bool = False


def is_modified_conflict(payload: Any) -> bool:
    """409 because the object's resourceVersion moved (optimistic concurrency), not a field-manager conflict."""
    if not isinstance(payload, dict) or payload.get("code", 409) != 409:
        return False
    causes = (payload.get("details") or {}).get("causes") or []
    if any(c.get("reason") == "FieldManagerConflict" for c in causes):
        return False
    return "the object has been modified" in str(payload.get("message", ""))


_VERB = {"GET": "get", "PATCH": "patch", "POST": "create", "PUT": "update", "DELETE": "delete"}
_FORBIDDEN = re.compile(r'cannot (?P<verb>\S+) resource "(?P<res>[^"]+)" in API group "(?P<group>[^"]*)"'
                        r'(?: in the namespace "(?P<ns>[^"]+)")?')


def explain(exc: ApiError, target: Target, *, kind: str = "", name: str = "", namespace: str | None = None,
            resource: str = "", verb: str | None = None) -> str:
    """One line for an API error: what (``Kind ns/name: ``, when known), then what the server said.

    ``verb`` names what kfctl was doing when it is not the HTTP verb (a server-side apply that
    creates a namespace is a creation)."""
    what = f"{kind} {namespace + '/' if namespace else ''}{name}".strip()
    prefix = f"{what}: " if what else ""
    ctx = f"context {target.context!r}" if target.context else f"server {target.server}"
    message = str(exc.body.get("message", "") or "")
    if exc.status == 401:
        return f"{ctx}: the server rejected the credentials (401 Unauthorized); log in again or check the user of {ctx}"
    if exc.status == 403:
        m = _FORBIDDEN.search(message)
        v = verb or (m.group("verb") if m else _VERB.get(exc.method, exc.method.lower()))
        if m and not resource:
            resource = m.group("res") + (f".{m.group('group')}" if m.group("group") else "")
        resource = resource or (kind.lower() + "s" if kind else "this resource")
        ns = namespace or (m.group("ns") if m else None)
        where = f" in namespace {ns!r}" if ns else " at cluster scope"
        return f"{prefix}{ctx} is not allowed to {v} {resource}{where} (403 Forbidden: {message})"
    if exc.status == 409 and is_modified_conflict(exc.body):
        tries = exc.body.get("kfctlRetries")
        retried = f"; kfctl applied it again {tries} times" if tries else ""
        return (f"{prefix}someone else kept changing the object while kfctl applied it (409 Conflict: the "
                f"resourceVersion moved — not a field-ownership conflict){retried}; rerun the apply, and if it "
                "persists look for a controller that rewrites the object constantly")
    if exc.status == 409 and (exc.causes or message.startswith("Apply failed with")):
        fields = []
        for c in exc.causes:
            m = re.search(r'conflict with "([^"]+)"', c.get("message", ""))
            mgr = m.group(1) if m else "another manager"
            fields.append(f"{c.get('field', '?')} (owned by {mgr})")
        detail = ", ".join(fields) if fields else message or "conflict"
        return f"{prefix}field conflict: {detail}; rerun with --force-conflicts to take ownership"
    if exc.status == 422:
        errs = [f"{c.get('field', '?')}: {c.get('message', '')}" for c in exc.causes]
        return f"{prefix}invalid: " + ("; ".join(errs) if errs else message)
    if exc.status == 404 and namespace and "namespaces" in message and "not found" in message:
        return f"{prefix}namespace {namespace!r} does not exist on the cluster"
    reason = f"{exc.status} {exc.reason}".strip() if exc.reason else f"HTTP {exc.status}"
    if exc.status >= 500 or exc.status == 429:
        return f"{prefix}the server answered {reason}: {message or 'no message'}"
    return f"{prefix}{message or reason}"
