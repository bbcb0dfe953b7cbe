"""Per-request latency and API Priority and Fairness (APF): its response headers and its 429 rejections.

The real filter (k8s.io/apiserver/pkg/server/filters/priority-and-fairness.go) sets
`X-Kubernetes-PF-FlowSchema-UID` and `X-Kubernetes-PF-PriorityLevel-UID` on every request it classifies,
and rejects a request it cannot seat with 429, `Retry-After: <seconds>` and the plain-text body
`Too many requests, please try again later.` (http.Error: text/plain, a trailing newline) - not a Status.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field

# Stable UIDs for the one flow schema / priority level the emulator classifies every request into.
FLOW_SCHEMA_UID = "5a1d3c2e-7f0b-4c8e-9a61-2b7e4d9f0c13"       # "global-default"
PRIORITY_LEVEL_UID = "0e6f8a4b-3d2c-4b7a-8e19-6c5d4f3a2b10"    # "global-default"
TOO_MANY = b"Too many requests, please try again later.\n"


@dataclass
class Throttle:
    """Reject the next `count` matching requests (None = all) as APF does when a priority level is full."""
    path: str = ".*"
    method: str | None = None
    count: int | None = 1
    retry_after: int = 1
    hits: int = 0
    _rx: re.Pattern = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._rx = re.compile(self.path)

    def take(self, method: str, path: str) -> bool:
        if self.count is not None and self.hits >= self.count:
            return False
        if self.method and self.method.upper() != method:
            return False
        if not self._rx.search(path):
            return False
        self.hits += 1
        return True


class FlowControl:
    """latency: seconds every request waits before it is served (outside every lock, so concurrent requests
    overlap as on a real server); apf: send the APF headers; max_inflight: more concurrent requests than this
    (watches excepted) are rejected with APF's 429; retry_after: the Retry-After those 429s carry."""

    def __init__(self, latency: float = 0.0, apf: bool = False, max_inflight: int | None = None,
                 retry_after: int = 1):
        self.latency = float(latency)
        self.apf = apf
        self.max_inflight = max_inflight
        self.retry_after = retry_after
        self.lock = threading.Lock()
        self.inflight = 0
        self.peak_inflight = 0
        self.rejected = 0
        self.throttles: list[Throttle] = []

    def headers(self) -> dict[str, str]:
        if not self.apf:
            return {}
        return {"X-Kubernetes-PF-FlowSchema-UID": FLOW_SCHEMA_UID,
                "X-Kubernetes-PF-PriorityLevel-UID": PRIORITY_LEVEL_UID}

    def enter(self, method: str, path: str, long_running: bool) -> int | None:
        """Seat a request: None if admitted (call leave() when done), else the Retry-After of a 429."""
        with self.lock:
            for t in self.throttles:
                if t.take(method, path):
                    self.rejected += 1
                    return t.retry_after
            if long_running:
                return None
            if self.max_inflight is not None and self.inflight >= self.max_inflight:
                self.rejected += 1
                return self.retry_after
            self.inflight += 1
            self.peak_inflight = max(self.peak_inflight, self.inflight)
            return None

    def leave(self) -> None:
        with self.lock:
            self.inflight -= 1

    def delay(self) -> None:
        if self.latency > 0:
            time.sleep(self.latency)
