"""Talking to an API server through the official ``kubernetes`` client.

The official client does what it is best at — kubeconfig contexts (several files, client
certificates, tokens, exec credential plugins as GKE/EKS/AKS use them), in-cluster config, TLS —
and kfctl sends plain REST requests through its ``ApiClient`` so every kind, built-in or custom,
goes through one path with one retry policy and one error mapping:

* retries with exponential backoff on 429 (honouring Retry-After), 5xx and dropped connections;
* errors become :class:`ApiError` with the server's Status (reason, message, causes).
"""

from __future__ import annotations

import json
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from kfctl.errors import ClusterError, ConfigError
from kfctl.kube.errors import ApiError, Target, explain

RETRY_STATUSES = {429, 500, 502, 503, 504}


@dataclass
class Kube:
    api: Any  # kubernetes.client.ApiClient
    target: Target
    retries: int = 5
    backoff: float = 0.2
    timeout: float = 30.0
    request_count: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # ---------------------------------------------------------------- requests
    def request(self, method: str, path: str, *, query: dict | None = None, body: Any = None,
                content_type: str = "application/json", accept: str = "application/json",
                retries: int | None = None) -> tuple[int, Any]:
        """One REST call with retries; returns (status, decoded JSON body).  Raises ApiError on >= 400."""
        retries = self.retries if retries is None else retries
        url = self.api.configuration.host.rstrip("/") + path
        if query:
            url += "?" + urlencode({k: v for k, v in query.items() if v is not None}, doseq=True)
        headers = {"Accept": accept, "User-Agent": "kfctl"}
        data = None
        if body is not None:
            headers["Content-Type"] = content_type
            # the REST layer serialises JSON bodies itself; other content types go as text
            if content_type == "application/json":
                data = json.loads(body) if isinstance(body, (bytes, str)) else body
            else:
                data = body if isinstance(body, (bytes, str)) else json.dumps(body)
        attempt = 0
        while True:
            attempt += 1
            with self._lock:
                self.request_count += 1
            try:
                status, payload, retry_after = self._send(method, url, headers, data)
            except _Dropped as exc:
                if attempt <= retries:
                    self._sleep(attempt, None)
                    continue
                raise ClusterError(f"{method} {path}: connection to {self.target.server} failed after "
                                   f"{attempt} attempts: {exc}") from None
            if status in RETRY_STATUSES and attempt <= retries:
                self._sleep(attempt, retry_after)
                continue
            if status >= 400:
                err = ApiError(status, payload if isinstance(payload, dict) else {"message": str(payload)[:200]},
                               method, path)
                if status in (401, 403):
                    err.message = explain(err, self.target, resource=path.rsplit("/", 1)[-1])
                raise err
            return status, payload

    def _send(self, method: str, url: str, headers: dict, data: Any) -> tuple[int, Any, float | None]:
        from kubernetes.client.exceptions import ApiException

        auth = {}
        self.api.update_params_for_auth(auth, [], ["BearerToken"], url, method, data)
        headers = {**headers, **auth}
        try:
            resp = self.api.rest_client.request(method, url, headers=headers, body=data,
                                                _request_timeout=self.timeout)
            status = resp.status
            raw = resp.read()
            hdrs = resp.headers
        except ApiException as exc:  # older clients raise for non-2xx
            status, raw, hdrs = exc.status, (exc.body or b""), (exc.headers or {})
        except Exception as exc:  # urllib3 connection errors: refused, reset, timeouts, TLS
            name = type(exc).__name__
            text = str(exc)
            if "SSL" in name or "SSLError" in text or "CERTIFICATE_VERIFY_FAILED" in text:
                import re

                m = re.search(r"certificate verify failed: (.*?)\s*\(_ssl", text)
                why = m.group(1).strip().rstrip(".") if m else text[:120]
                raise ClusterError(f"TLS verification of {self.target.server} failed: {why}",
                                   hint="check certificate-authority(-data) of the cluster in your kubeconfig") from None
            raise _Dropped(f"{name}: {str(exc)[:160]}") from None
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        retry_after = None
        try:
            ra = hdrs.get("Retry-After") if hdrs else None
            retry_after = float(ra) if ra else None
        except (TypeError, ValueError):
            retry_after = None
        return status, payload, retry_after

    def _sleep(self, attempt: int, retry_after: float | None) -> None:
        delay = retry_after if retry_after is not None else self.backoff * (2 ** (attempt - 1))
        time.sleep(min(delay, 10.0) * (1 + random.random() * 0.1))

    def get(self, path: str, **q) -> Any:
        return self.request("GET", path, query=q or None)[1]

    def close(self) -> None:
        try:
            self.api.close()
        except Exception:
            pass


class _Dropped(Exception):
    pass


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


def connect(env, *, context: str | None = None, kubeconfig: str | None = None, pool_size: int = 16) -> Kube:
    """A client for ``env``: its recorded kube context (or ``--context``), else the context whose
    cluster has the env's server, else in-cluster config, else the server URL directly."""
    import os

    from kfctl.kube.k8simport import client_and_config

    kclient, kconfig = client_and_config()  # not kubernetes.dynamic/watch/stream (kubernetes_validate, jsonschema)

    from kfctl.kube.kubeconfig import load_kubeconfig

    cfg = load_kubeconfig(kubeconfig)
    ctx_name = context or env.context
    if ctx_name is None and env.server and cfg.files:
        ctx_name = cfg.context_for_server(env.server)
    configuration = kclient.Configuration()
    if ctx_name:
        info = cfg.context(ctx_name)  # clear error for a missing context
        try:
            files = ":".join(str(f) for f in cfg.files) if not kubeconfig else kubeconfig
            kconfig.load_kube_config(config_file=files, context=ctx_name, client_configuration=configuration,
                                     persist_config=False)
        except Exception as exc:
            raise ConfigError(f"kube context {ctx_name!r}: {str(exc).splitlines()[0][:300]}") from None
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
    return Kube(api=api, target=target)
