"""Client-side request rate limit: a token bucket like client-go's (``--qps``, ``--burst``).

``burst`` requests may go at once; after that one every ``1/qps`` seconds.  The server's own
protection (API priority and fairness) answers 429 with Retry-After, which the client's retry loop
honours; this cap is for users who want kfctl gentler than that.  The defaults are above what
kfctl's 8 requests in flight reach on a typical machine, so they cap only a very fast server.
"""

from __future__ import annotations

import threading
import time

DEFAULT_QPS = 500.0
DEFAULT_BURST = 1000


class RateLimiter:
    def __init__(self, qps: float, burst: int):
        if qps <= 0 or burst < 1:
            raise ValueError("qps must be > 0 and burst >= 1")
        self.qps, self.burst = float(qps), int(burst)
        self._tokens = float(burst)
        self._last = time.monotonic()
        self._lock = threading.Lock()

    def wait(self, cancelled: threading.Event | None = None) -> None:
        """Take one token, sleeping until one is there (returns early if ``cancelled`` is set)."""
        with self._lock:
            now = time.monotonic()
            self._tokens = min(self.burst, self._tokens + (now - self._last) * self.qps)
            self._last = now
            self._tokens -= 1.0
            delay = -self._tokens / self.qps if self._tokens < 0 else 0.0
        if delay > 0:
            if cancelled is not None:
                cancelled.wait(delay)
            else:
                time.sleep(delay)
