"""Kubernetes-style errors: every failure is answered with a metav1 Status body."""

from __future__ import annotations

from dataclasses import dataclass, field

_REASON_CODES = {"BadRequest": 400, "Unauthorized": 401, "Forbidden": 403, "NotFound": 404,
                 "MethodNotAllowed": 405, "NotAcceptable": 406, "AlreadyExists": 409, "Conflict": 409,
                 "Gone": 410, "Invalid": 422, "TooManyRequests": 429, "InternalError": 500,
                 "ServiceUnavailable": 503, "UnsupportedMediaType": 415, "Timeout": 504}


@dataclass
class ApiError(Exception):
    code: int
    reason: str
    message: str
    details: dict | None = None
    headers: dict = field(default_factory=dict)

    def status(self) -> dict:
        out = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
               "message": self.message, "reason": self.reason, "code": self.code}
        if self.details is not None:
            out["details"] = self.details
        return out

    def __str__(self) -> str:
        return f"{self.code} {self.reason}: {self.message}"


def _qualified(resource: str, group: str) -> str:
    return f"{resource}.{group}" if group else resource


def not_found(resource: str, group: str, name: str) -> ApiError:
    return ApiError(404, "NotFound", f'{_qualified(resource, group)} "{name}" not found',
                    {"name": name, "group": group, "kind": resource} if group else {"name": name, "kind": resource})


def already_exists(resource: str, group: str, name: str) -> ApiError:
    d = {"name": name, "kind": resource}
    if group:
        d["group"] = group
    return ApiError(409, "AlreadyExists", f'{_qualified(resource, group)} "{name}" already exists', d)


def conflict(resource: str, group: str, name: str, why: str) -> ApiError:
    d = {"name": name, "kind": resource}
    if group:
        d["group"] = group
    return ApiError(409, "Conflict", f'Operation cannot be fulfilled on {_qualified(resource, group)} "{name}": {why}',
                    d)


def invalid(kind: str, group: str, name: str, causes: list[tuple[str, str, str]]) -> ApiError:
    """causes: (type, field, message) like FieldValueRequired / metadata.name / Required value: ..."""
    parts = [f"{f}: {m}" for _, f, m in causes]
    joined = parts[0] if len(parts) == 1 else "[" + ", ".join(parts) + "]"
    d = {"name": name, "kind": kind, "causes": [{"reason": t, "message": m, "field": f} for t, f, m in causes]}
    if group:
        d["group"] = group
    return ApiError(422, "Invalid", f'{_qualified(kind, group)} "{name}" is invalid: {joined}', d)


def bad_request(message: str) -> ApiError:
    return ApiError(400, "BadRequest", message)


def forbidden(user: str, verb: str, resource: str, group: str, namespace: str | None, name: str = "") -> ApiError:
    scope = f' in the namespace "{namespace}"' if namespace else " at the cluster scope"
    subject = f'{_qualified(resource, group)} "{name}"' if name else _qualified(resource, group)
    msg = (f'{subject} is forbidden: User "{user}" cannot {verb} resource "{resource}" in API group "{group}"'
           f'{scope}')
    d = {"kind": resource, "group": group}
    if name:
        d["name"] = name
    return ApiError(403, "Forbidden", msg, d)


def generic(code: int, message: str = "") -> ApiError:
    reason = {v: k for k, v in _REASON_CODES.items()}.get(code, "InternalError")
    if code == 409:
        reason = "Conflict"
    return ApiError(code, reason, message or {500: "Internal error occurred: injected fault",
                                               503: "the server is currently unable to handle the request",
                                               429: "Too many requests, please try again later.",
                                               401: "Unauthorized"}.get(code, reason))
