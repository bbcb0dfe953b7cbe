"""Talking to an API server through the official ``kubernetes`` client.

The official client does what it is best at — kubeconfig contexts (several files, client
certificates, tokens, exec credential plugins as GKE/EKS/AKS use them), in-cluster config, TLS —
and kfctl sends plain REST requests through its ``ApiClient`` so every kind, built-in or custom,
goes through one path with one retry policy and one error mapping:

* retries with exponential backoff on 429 (honouring Retry-After), 5xx (not an admission webhook that
  could not be called: apply's gates handle that), dropped connections and timeouts, and on a 409
  "the object has been modified" answer to a server-side apply; each retry
  is reported through ``on_retry`` (the CLI prints it on stderr — this layer never prints);
* one API call, retries included, takes at most ``timeout`` seconds (``--request-timeout``); each
  attempt gets a third of it, so an unresponsive server is retried and then given up on;
* a server that cannot be reached after all retries makes every later call fail at once
  (:class:`Unreachable`), so a parallel apply of 5,000 objects does not wait 5,000 times;
* errors become :class:`ApiError` with the server's Status (reason, message, causes); an answer
  that is not JSON (an HTML page) says the server is not a Kubernetes API server.
"""

from __future__ import annotations

import random
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import quote, urlencode

from kfctl.errors import ClusterError, ConfigError
from kfctl.kube.errors import ApiError, Cancelled, Target, Unreachable, explain, is_modified_conflict
from kfctl.kube.answers import (_answer, _Dropped, _is_json, connection_failure, not_kubernetes,  # noqa: F401
                                one_line, webhook_call_failed)
from kfctl.util.jsonfast import dumps_bytes, loads

RETRY_STATUSES = {429, 500, 502, 503, 504}
DEFAULT_REQUEST_TIMEOUT = 30.0
CONFLICT_RETRIES = 3  # 409 "the object has been modified" on a server-side apply
AUTH_REFRESH_SECONDS = 1.0  # how often the client's credential refresh hook is asked (see Kube._auth_headers)


@dataclass
class Kube:
    api: Any  # kubernetes.client.ApiClient
    target: Target
    retries: int = 5
    backoff: float = 0.2
    timeout: float = DEFAULT_REQUEST_TIMEOUT  # one call, retries included; 0 = no limit
    on_retry: Callable[[str], None] | None = None
    request_count: int = 0
    limiter: Any = None  # kfctl.kube.ratelimit.RateLimiter (--qps/--burst), or None
    cancelled: threading.Event = field(default_factory=threading.Event)
    unreachable: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _said: dict = field(default_factory=dict)
    _base: tuple | None = None  # (the server URL without a trailing slash, (scheme, host, port) or None)
    _auth: tuple[float, dict] | None = None  # (when, the authorization header) — see _auth_headers

    # ---------------------------------------------------------------- requests
    def request(self, method: str, path: str, *, query: dict | None = None, body: Any = None,
                content_type: str = "application/json", accept: str = "application/json",
                retries: int | None = None, deadline: float | None = None, quiet: bool = False) -> tuple[int, Any]:
        """One REST call with retries; returns (status, decoded JSON body).  Raises ApiError on >= 400.

        ``deadline`` (time.monotonic()) cuts the call short, retries included, e.g. at --wait's end;
        ``quiet`` retries without reporting it (discovery of an aggregated API that is often down)."""
        retries = self.retries if retries is None else retries
        url = path
        if query:
            url += "?" + urlencode({k: v for k, v in query.items() if v is not None}, doseq=True)
        headers = {"Accept": accept, "User-Agent": "kfctl"}
        data = None
        if body is not None:
            headers["Content-Type"] = content_type
            data = body.encode() if isinstance(body, str) else body if isinstance(body, bytes) else dumps_bytes(body)
        start = time.monotonic()
        end = start + self.timeout if self.timeout else None
        if deadline is not None:
            end = deadline if end is None else min(end, deadline)
        per_attempt = max(self.timeout / 3, 1.0) if self.timeout else None
        attempt = conflicts = 0
        while True:
            attempt += 1
            if self.cancelled.is_set():
                raise Cancelled("interrupted")
            if self.unreachable:
                raise Unreachable(self.unreachable)
            if self.limiter is not None:
                self.limiter.wait(self.cancelled)
                if self.cancelled.is_set():
                    raise Cancelled("interrupted")
            with self._lock:
                self.request_count += 1
            budget = None if end is None else max(end - time.monotonic(), 0.05)
            attempt_timeout = min(x for x in (budget, per_attempt) if x is not None) if (budget or per_attempt) else None
            try:
                status, payload, retry_after, ctype = self._send(method, url, headers, data, attempt_timeout)
            except _Dropped as exc:
                if attempt <= retries and exc.retryable and self._pause(attempt, None, end):
                    self._report(f"{method} {path}: {exc.cause}", attempt, retries, cause=exc.cause)
                    continue
                took = time.monotonic() - start
                tries = f"; {attempt} attempts in {took:.1f}s" if attempt > 1 else ""
                msg = f"{exc.final if attempt > 1 else exc.cause} ({method} {path}{tries})"
                if exc.retryable:
                    self.unreachable = msg
                raise Unreachable(msg, hint=exc.hint) from None
            if status in RETRY_STATUSES and attempt <= retries and not webhook_call_failed(status, payload) \
                    and self._pause(attempt, retry_after, end):
                if not quiet:
                    self._report(f"{method} {path}: {_answer(status, payload)}", attempt, retries)
                continue
            if (status == 409 and method == "PATCH" and conflicts < CONFLICT_RETRIES and is_modified_conflict(payload)
                    and self._pause(1, None, end)):
                conflicts += 1  # someone wrote the object while the server applied ours: apply again
                self._report(f"{method} {path}: {_answer(status, payload)}", conflicts, CONFLICT_RETRIES)
                continue
            if not isinstance(payload, dict) and (status >= 400 or payload is not None):
                if not _is_json(ctype) or isinstance(payload, str):
                    raise ClusterError(not_kubernetes(self.target.server, status, ctype, payload, method, path),
                                       hint="check the server URL of the kube context or the env "
                                            "('kfctl env list' shows it)")
            if status >= 400:
                err = ApiError(status, payload if isinstance(payload, dict) else {"message": str(payload)},
                               method, path)
                if status == 409 and is_modified_conflict(payload):
                    err.body = {**err.body, "kfctlRetries": conflicts}
                if status in (401, 403):
                    _group, resource, _namespace, _name = describe_path(path)
                    err.message = explain(err, self.target, resource=resource)
                elif status >= 500 or status == 429:  # (callers that know the object say it their own way)
                    err.message = f"{_answer(status, payload)} ({method} {path})"
                raise err
            return status, payload

    def _pool(self):
        """The official client's connection pool for the server: its TLS, client certificates and proxy
        settings.  Asked of its PoolManager by (scheme, host, port) — parsing the URL again for every
        request cost more than the rest of urllib3's request path."""
        import urllib3

        pm = self.api.rest_client.pool_manager
        if self._base is None:
            base = self.api.configuration.host.rstrip("/")
            u = urllib3.util.parse_url(base)
            # a plain PoolManager's pool takes the path; a proxy (or a server URL with a path prefix)
            # goes the manager's own way with the whole URL
            direct = type(pm) is urllib3.PoolManager and not (u.path or "").strip("/")
            self._base = (base, (u.scheme, u.host, u.port) if direct else None)
        base, direct = self._base
        if direct is None:
            return None, base
        return pm.connection_from_host(direct[1], port=direct[2], scheme=direct[0]), ""

    def _auth_headers(self) -> dict:
        """The ``authorization`` header the official client's configuration gives (a token, a refreshed
        OIDC/exec credential).  Its loader refreshes an expiring credential from a hook it runs on every
        call — and that hook re-applies the whole kubeconfig, reading the proxy environment, ~0.2 ms a
        request; its refresh starts 5 minutes before the credential expires, so asking it once a
        second changes nothing but the cost."""
        cached = self._auth
        now = time.monotonic()
        if cached is not None and now - cached[0] < AUTH_REFRESH_SECONDS:
            return cached[1]
        auth: dict = {}
        self.api.update_params_for_auth(auth, [], ["BearerToken"], "", "", None)
        self._auth = (now, auth)
        return auth

    def _send(self, method: str, url: str, headers: dict, data: bytes | None,
              timeout: float | None) -> tuple[int, Any, float | None, str]:
        """One attempt through the official client's urllib3 pool (its TLS, client certificates and
        proxy settings), without the client's per-request body re-encoding."""
        import urllib3

        headers = {**headers, **self._auth_headers()}
        try:
            pool, base = self._pool()
            kw = dict(body=data, headers=headers, preload_content=False, retries=False,
                      timeout=urllib3.Timeout(connect=timeout, read=timeout) if timeout else urllib3.Timeout.DEFAULT_TIMEOUT)
            if pool is not None:
                resp = pool.urlopen(method, url, redirect=False, assert_same_host=False, **kw)
            else:
                resp = self.api.rest_client.pool_manager.urlopen(method, base + url, **kw)
            status = resp.status
            raw = resp.read()
            hdrs = resp.headers
        except Exception as exc:  # urllib3 connection errors: refused, reset, timeouts, DNS, TLS
            text = f"{type(exc).__name__}: {exc}"
            if "SSL" in text or "CERTIFICATE_VERIFY_FAILED" in text:
                raise self._tls_error(text) from None
            raise connection_failure(exc, self.target.server, timeout) from None
        ctype = str((hdrs or {}).get("Content-Type") or "")
        try:
            payload = loads(raw) if raw else None
        except ValueError:
            payload = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        retry_after = None
        try:
            ra = hdrs.get("Retry-After") if hdrs else None
            retry_after = float(ra) if ra else None
        except (TypeError, ValueError):
            retry_after = None
        return status, payload, retry_after, ctype

    def _tls_error(self, text: str) -> ClusterError:
        m = re.search(r"certificate verify failed: (.*?)\s*\(_ssl", text)
        if m:
            why = m.group(1).strip().rstrip(".")
        else:
            m = re.search(r"\[SSL[^\]]*\]\s*([^()'\"]+)", text)
            why = m.group(1).strip().rstrip(".") if m else one_line(text)
        return ClusterError(f"TLS verification of {self.target.server} failed: {why}",
                            hint="check certificate-authority(-data) of the cluster in your kubeconfig")

    def _pause(self, attempt: int, retry_after: float | None, end: float | None) -> bool:
        """Sleep before the next attempt; False if that would pass the deadline (or Ctrl-C came)."""
        delay = retry_after if retry_after is not None else self.backoff * (2 ** (attempt - 1))
        delay = min(delay, 10.0) * (1 + random.random() * 0.1)
        if end is not None and time.monotonic() + delay >= end:
            return False
        if self.cancelled.wait(delay):
            raise Cancelled("interrupted")
        return True

    def _report(self, what: str, n: int, total: int, cause: str | None = None) -> None:
        """Say a retry out loud: through ``on_retry``, else the ``kfctl.kube`` logger (the CLI shows
        it as a warning).  Parallel requests failing for one cause (the server went away) say it once."""
        key = (cause or what, n)
        with self._lock:
            now = time.monotonic()
            if now - self._said.get(key, -10.0) < 2.0:
                return
            self._said[key] = now
        message = f"{what}; retrying ({n}/{total})…"
        if self.on_retry:
            self.on_retry(message)
        else:
            from kfctl.util.logs import logger

            logger("kfctl.kube").warning(message)

    def get(self, path: str, *, deadline: float | None = None, **q) -> Any:
        return self.request("GET", path, query=q or None, deadline=deadline)[1]

    def close(self) -> None:
        try:
            self.api.close()
        except Exception:
            pass


_PATH = re.compile(r"^/(?:api/(?P<cv>[^/]+)|apis/(?P<g>[^/]+)/(?P<gv>[^/]+))"
                   r"(?:/namespaces/(?P<ns>[^/]+)(?=/))?(?:/(?P<res>[^/]+))?(?:/(?P<name>[^/]+))?")


def describe_path(path: str) -> tuple[str, str, str | None, str | None]:
    """(group, resource, namespace, name) of a REST path; '/api/v1/namespaces/x' is namespaces 'x'."""
    from urllib.parse import unquote

    p = path.split("?", 1)[0]
    m = _PATH.match(p)
    if not m:
        return "", "", None, None
    group = m.group("g") or ""
    res, name, ns = m.group("res") or "", m.group("name"), m.group("ns")
    if not res and ns and not group:  # /api/v1/namespaces/x
        res, name, ns = "namespaces", ns, None
    return group, (f"{res}.{group}" if group and res else res), ns and unquote(ns), name and unquote(name)


def object_path(base: str, namespace: str | None, resource: str, name: str | None = None,
                subresource: str | None = None) -> str:
    p = base
    if namespace:
        p += f"/namespaces/{quote(namespace, safe='')}"
    p += f"/{resource}"
    if name:
        p += f"/{quote(name, safe='')}"
    if subresource:
        p += f"/{subresource}"
    return p


def connect(env, *, context: str | None = None, kubeconfig: str | None = None, pool_size: int = 16,
            request_timeout: float | None = None, on_retry: Callable[[str], None] | None = None,
            qps: float | None = None, burst: int | None = None) -> Kube:
    """A client for ``env``: its recorded kube context (or ``--context``), else the context whose
    cluster has the env's server, else in-cluster config, else the server URL directly."""
    import os

    from kfctl.kube.k8simport import client_and_config

    kclient, kconfig = client_and_config()  # not kubernetes.dynamic/watch/stream (kubernetes_validate, jsonschema)

    from kfctl.kube.kubeconfig import check_data_fields, load_client_config, load_kubeconfig

    cfg = load_kubeconfig(kubeconfig)
    ctx_name = context or env.context
    if ctx_name is None and env.server and cfg.files:
        ctx_name = cfg.context_for_server(env.server)
    configuration = kclient.Configuration()
    if ctx_name:
        info = cfg.context(ctx_name)  # clear error for a missing context
        check_data_fields(cfg, ctx_name)
        files = [str(f) for f in cfg.files] if not kubeconfig else [kubeconfig]
        load_client_config(files, ctx_name, configuration, exec_timeout=request_timeout)
        server = configuration.host
        if env.server and context is None and server.rstrip("/") != env.server.rstrip("/"):
            raise ConfigError(
                f"environment {env.name!r} points at {env.server} but its context {ctx_name!r} points at {server}",
                hint=f"run 'kfctl env set {env.name} --context {ctx_name}' or pass --context")
        target = Target(server, ctx_name, info.cluster, env.namespace, bool(info.insecure))
    elif os.environ.get("KUBERNETES_SERVICE_HOST") and not env.server:
        kconfig.load_incluster_config(client_configuration=configuration)
        target = Target(configuration.host, None, "in-cluster", env.namespace)
    elif env.server:
        if cfg.files and cfg.contexts:
            raise ConfigError(
                f"environment {env.name!r}: no kube context in {', '.join(map(str, cfg.files))} points at {env.server}",
                hint=f"pass --context NAME or run 'kfctl env set {env.name} --context NAME'")
        configuration.host = env.server
        target = Target(env.server, None, None, env.namespace)
    else:
        raise ConfigError(f"environment {env.name!r} has no server and no kube context",
                          hint=f"run 'kfctl env set {env.name} --server URL' or '--context NAME'")
    configuration.connection_pool_maxsize = pool_size
    configuration.retries = 0  # our own retry policy
    api = kclient.ApiClient(configuration)
    from kfctl.kube.ratelimit import DEFAULT_BURST, DEFAULT_QPS, RateLimiter

    kube = Kube(api=api, target=target, on_retry=on_retry,
                limiter=RateLimiter(qps or DEFAULT_QPS, burst or DEFAULT_BURST))
    if request_timeout is not None:
        kube.timeout = request_timeout
    return kube
