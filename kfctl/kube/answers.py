"""What an API server's answers and a dropped connection mean, in words (for :mod:`kfctl.kube.client`)."""

from __future__ import annotations

import json
import re
from typing import Any


class _Dropped(Exception):
    """``cause`` says what one attempt met ("no answer within 10s"); ``final`` what the whole call
    met, for the error after the retries (the last attempt may have had less time)."""

    def __init__(self, cause: str, *, retryable: bool = True, hint: str | None = None, final: str | None = None):
        super().__init__(cause)
        self.cause, self.retryable, self.hint, self.final = cause, retryable, hint, final or cause


def one_line(text: str, limit: int = 300) -> str:
    """Collapse whitespace; shorten at a word boundary (never mid-word), marking the cut with '…'."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + " …"


def connection_failure(exc: Exception, server: str, timeout: float | None) -> _Dropped:
    """What went wrong on the wire, as one whole sentence (urllib3's text names objects and pools)."""
    import urllib3.exceptions as ue

    e: BaseException = exc
    while isinstance(e, ue.MaxRetryError) and e.reason is not None:
        e = e.reason
    text = str(e)
    oserr = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", text)
    why = oserr.group(1).strip().rstrip(".").lower() if oserr else ""
    secs = f"{timeout:.1f}".rstrip("0").rstrip(".") + "s" if timeout else "the timeout"
    if isinstance(e, ue.NameResolutionError) or "Name or service not known" in text or \
            "nodename nor servname" in text or "Temporary failure in name resolution" in text:
        host = re.search(r"Failed to resolve '([^']+)'", text)
        name = f"host name {host.group(1)!r}" if host else "its host name"
        return _Dropped(f"cannot connect to {server}: {name} not found (DNS: {why or 'name resolution failed'})",
                        retryable=False, hint="check the server URL of the kube context")
    # (urllib3 2 makes NewConnectionError a ConnectTimeoutError: test the refusal first)
    if isinstance(e, ue.NewConnectionError) and why and "timed out" not in why:
        return _Dropped(f"cannot connect to {server}: {why}")
    if isinstance(e, ue.ConnectTimeoutError) or "timed out" in why:
        return _Dropped(f"cannot connect to {server}: connection timed out after {secs}",
                        final=f"cannot connect to {server}: connection timed out")
    if isinstance(e, ue.ReadTimeoutError) or isinstance(e, TimeoutError) or "Read timed out" in text:
        return _Dropped(f"no answer from {server} within {secs}", final=f"no answer from {server}",
                        hint="the server accepts connections but does not answer; pass --request-timeout "
                             "to wait longer")
    if isinstance(e, ue.ProtocolError) or isinstance(e, ConnectionError):
        if "RemoteDisconnected" in text or "without response" in text:
            return _Dropped(f"{server} closed the connection without answering")
        if "reset" in text.lower():
            return _Dropped(f"the connection to {server} was reset")
        return _Dropped(f"the connection to {server} broke: {why or one_line(text)}")
    return _Dropped(f"cannot talk to {server}: {type(e).__name__}: {one_line(text)}")


def webhook_call_failed(status: int, payload: Any) -> bool:
    """The API server could not call an admission webhook (500 "failed calling webhook": no endpoints,
    connection refused, x509).  Not retried here: the webhook is not up yet, which apply's readiness
    gates wait for (kfctl.kube.gates) before they retry that one object."""
    return status == 500 and isinstance(payload, dict) and "failed calling webhook" in str(payload.get("message", ""))


def _is_json(ctype: str) -> bool:
    c = ctype.split(";")[0].strip().lower()
    return not c or c == "application/json" or c.endswith("+json")


def _answer(status: int, payload: Any) -> str:
    """A server's error answer in one line: '503 ServiceUnavailable: etcd down'."""
    if isinstance(payload, dict):
        reason = payload.get("reason") or ""
        msg = payload.get("message") or ""
        return one_line(f"the server answered {status} {reason}".rstrip() + (f": {msg}" if msg else ""), 200)
    text = _page_summary(payload)
    return f"the server answered {status}" + (f": {text}" if text else "")


def _page_summary(payload: Any) -> str:
    text = payload if isinstance(payload, str) else ("" if payload is None else json.dumps(payload))
    m = re.search(r"<title[^>]*>(.*?)</title>", text, re.I | re.S)
    if m:
        return one_line(m.group(1), 80)
    text = re.sub(r"<[^>]+>", " ", text)
    return one_line(text, 80)


def not_kubernetes(server: str, status: int, ctype: str, payload: Any, method: str, path: str) -> str:
    kind = ctype.split(";")[0].strip() or "no content type"
    page = _page_summary(payload)
    return (f"{server} is not a Kubernetes API server (answered {kind} with status {status} to {method} {path}"
            + (f': "{page}"' if page else "") + ")")

