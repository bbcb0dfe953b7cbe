"""The Emulator object: start/stop, kubeconfig, seeding and inspecting objects, test knobs."""

from __future__ import annotations

import base64
import ipaddress
import ssl
import tempfile
import threading
from pathlib import Path
from typing import Any

import yaml

from .jcopy import clone
from . import modes
from .flowcontrol import FlowControl, Throttle
from .knobs import Fault, Readiness, RecordedRequest
from .resources import ResourceTable, ResourceType
from .server import Handler, Server
from .store import Store, WriteOptions


class Emulator:
    """A Kubernetes API server emulator on 127.0.0.1 (plain HTTP or HTTPS), served from a background thread.

    Knobs: token (require this bearer token, else 401), tls (HTTPS with a fresh self-signed cert),
    ready ("immediate" | "never" | N reads, for workloads), crd_established ("immediate" | "never" | N reads;
    a read is a GET of the object or a LIST that returns it),
    aggregated_discovery (serve apidiscovery.k8s.io/v2 for /api and /apis), version (gitVersion of /version),
    user (the user named in Forbidden messages and SelfSubjectReviews; self_subject_review=False makes
    those 404 as before Kubernetes 1.28), latency (seconds per request, outside the store lock),
    apf / max_inflight / retry_after (API Priority and Fairness headers and 429s), mode ("kubernetes",
    "not-kubernetes", "login-page", "unresponsive"). docs/testing.md lists them all.
    """

    def __init__(self, *, token: str | None = None, tls: bool = False, ready: str | int = "immediate",
                 crd_established: str | int = "immediate", aggregated_discovery: bool = True,
                 version: str = "v1.34.1", watch_timeout: float = 30.0, user: str = "emulator-user",
                 latency: float = 0.0, apf: bool = False, max_inflight: int | None = None, retry_after: int = 1,
                 mode: str = "kubernetes", webhooks: bool = False, webhook_routing: str = "endpoints",
                 require_ca_bundle: bool = False, endpoints: str | int | None = None,
                 ca_injector: str | int | None = None, apiservices: str | int = "immediate",
                 aggregated_resources: dict[str, list[dict]] | None = None,
                 operator: dict[str, Any] | None = None, cert_controller: str | int | None = None):
        self.token = token
        self.user = user
        self.self_subject_review = True  # False: answer SelfSubjectReviews with 404 (servers before 1.28)
        self.denials: list[tuple[str, str, str, str | None]] = []
        self.tls = tls
        self.version = version
        self.aggregated_discovery = aggregated_discovery
        self.watch_timeout = watch_timeout
        self.lock = threading.Lock()
        self.requests: list[RecordedRequest] = []
        self.faults: list[Fault] = []
        self.errors: list[Exception] = []  # emulator bugs surfaced as 500s; the fixture fails the test on them
        self.stopping = threading.Event()
        self.flow = FlowControl(latency=latency, apf=apf, max_inflight=max_inflight, retry_after=retry_after)
        self._mode = modes.check(mode)
        self.readiness = Readiness(ready, crd_established)
        self.table = ResourceTable()
        self.store = Store(self.table, self.readiness)
        self._gates(webhooks=webhooks, webhook_routing=webhook_routing, require_ca_bundle=require_ca_bundle,
                    endpoints=endpoints, ca_injector=ca_injector, apiservices=apiservices,
                    aggregated_resources=aggregated_resources, operator=operator, cert_controller=cert_controller)
        self.ca_pem: bytes | None = None
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._tmp: tempfile.TemporaryDirectory | None = None

    def _gates(self, *, webhooks: bool, webhook_routing: str, require_ca_bundle: bool, endpoints: Any,
               ca_injector: Any, apiservices: Any, aggregated_resources: Any, operator: Any,
               cert_controller: Any = None) -> None:
        """The readiness-gate knobs: simulated controllers (endpoints, cainjector, controllers' own certificate
        rotators, APIService availability, an operator) and the admission webhook gate. Each module's docstring
        says what it models."""
        from .admission import Admission
        from .aggregation import Aggregation
        from .cainjector import CAInjector
        from .certcontroller import CertController
        from .endpoints import EndpointsController
        from .operator import Operator

        self.store.admission = Admission(webhook_routing, require_ca_bundle) if webhooks else None
        ctrls = self.store.controllers
        if endpoints is not None:
            ctrls.append(EndpointsController(endpoints))
        if ca_injector is not None:
            ctrls.append(CAInjector(ca_injector))
        if cert_controller is not None:
            ctrls.append(CertController(cert_controller))
        ctrls.append(Aggregation(apiservices, aggregated_resources, require_ca_bundle, webhook_routing))
        if operator:
            ctrls.append(Operator(operator))
        self.store.tick_interval = 0.05 if any(c.timed for c in ctrls) else 0.2

    def controller(self, name: str) -> Any:
        """The simulated controller called `name` ("endpoints", "ca_injector", "cert_controller", "apiservices",
        "operator")."""
        return next(c for c in self.store.controllers if c.name == name)

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> "Emulator":
        server = Server(("127.0.0.1", 0), Handler)
        server.emulator = self
        if self.tls:
            self._tmp = tempfile.TemporaryDirectory(prefix="kube-emu-")
            cert, key = _self_signed_cert()
            self.ca_pem = cert
            cert_file, key_file = Path(self._tmp.name, "tls.crt"), Path(self._tmp.name, "tls.key")
            cert_file.write_bytes(cert)
            key_file.write_bytes(key)
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(cert_file, key_file)
            # the handshake happens in the connection's thread (Handler.handle), not in the accept loop
            server.socket = ctx.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="kube-emulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        with self.store.cond:
            self.store.cond.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server.close_connections()
            self._server = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> "Emulator":
        return self.start() if self._server is None else self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "emulator not started"
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def kubeconfig(self, path: str | Path, context: str = "emu", namespace: str | None = None,
                   token: str | None = None, cluster: str | None = None, user: str | None = None) -> Path:
        """Write a kubeconfig for this emulator (with certificate-authority-data when serving HTTPS)."""
        cluster = cluster or context
        user = user or f"{context}-user"
        cl: dict[str, Any] = {"server": self.url}
        if self.ca_pem:
            cl["certificate-authority-data"] = base64.b64encode(self.ca_pem).decode()
        ctx: dict[str, Any] = {"cluster": cluster, "user": user}
        if namespace:
            ctx["namespace"] = namespace
        tok = token if token is not None else (self.token or "emulator-token")
        doc = {"apiVersion": "v1", "kind": "Config", "current-context": context, "preferences": {},
               "clusters": [{"name": cluster, "cluster": cl}],
               "contexts": [{"name": context, "context": ctx}],
               "users": [{"name": user, "user": {"token": tok}}]}
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(doc, sort_keys=False))
        return path

    # ------------------------------------------------------------------ transport knobs
    @property
    def latency(self) -> float:
        """Seconds every request waits before it is served; settable while running."""
        return self.flow.latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        self.flow.latency = float(seconds)

    @property
    def mode(self) -> str:
        """"kubernetes", "not-kubernetes", "login-page" or "unresponsive" (see modes.py); settable while running."""
        return self._mode

    @mode.setter
    def mode(self, value: str) -> None:
        self._mode = modes.check(value)

    def hang_while_unresponsive(self) -> None:
        while self._mode == "unresponsive" and not self.stopping.wait(0.02):
            pass

    def throttle(self, *, count: int | None = 1, path: str = ".*", method: str | None = None,
                 retry_after: int = 1) -> Throttle:
        """Reject the next `count` matching requests (None = every one) as API Priority and Fairness does:
        429, `Retry-After`, the plain-text body `Too many requests, please try again later.`."""
        t = Throttle(path=path, method=method, count=count, retry_after=retry_after)
        with self.flow.lock:
            self.flow.throttles.append(t)
        return t

    # ------------------------------------------------------------------ objects
    def _type(self, kind: str, api_version: str | None = None) -> ResourceType:
        """Find a type by kind, plural, short name or `plural.group`; api_version narrows it."""
        k = kind.lower()
        for t in self.table.all():
            if api_version and t.group_version != api_version:
                continue
            if k in (t.kind.lower(), t.plural, t.singular_name, f"{t.plural}.{t.group}") or k in t.short_names:
                return t
        raise KeyError(f"unknown kind {kind!r}")

    def objects(self, kind: str | None = None, namespace: str | None = None, *,
                api_version: str | None = None, label_selector: str | None = None) -> list[dict]:
        """Stored objects (deep copies), optionally of one kind and/or namespace."""
        out = []
        types = [self._type(kind, api_version)] if kind else self._distinct_types()
        for t in types:
            items, _ = self.store.list(t, namespace, label_selector)
            out.extend(items)
        return out

    def _distinct_types(self) -> list[ResourceType]:
        seen, out = set(), []
        for t in self.table.all():
            if (t.group, t.plural) not in seen:
                seen.add((t.group, t.plural))
                out.append(t)
        return out

    def get(self, kind: str, name: str, namespace: str | None = None, api_version: str | None = None) -> dict | None:
        t = self._type(kind, api_version)
        with self.store.lock:
            obj = self.store.objects.get(self.store.key(t, namespace, name))
            return clone(obj) if obj else None

    def create(self, obj: dict, manager: str = "emulator-seed") -> dict:
        """Seed an object through the normal create path (validation, defaults, managedFields); admission webhooks
        (the `webhooks` knob) do not see seeds."""
        t = self._type(obj["kind"], obj.get("apiVersion"))
        ns = (obj.get("metadata") or {}).get("namespace") or ("default" if t.namespaced else None)
        return self.store.create(t, ns, obj, WriteOptions(manager=manager, admit=False))

    def establish(self, crd_name: str) -> None:
        self.store.establish(crd_name)

    def set_ready(self, mode: str | int, kinds: tuple[str, ...] | str | None = None) -> None:
        """Readiness for workload kinds: "immediate", "never", or N (ready after N reads of an object)."""
        kinds = (kinds,) if isinstance(kinds, str) else kinds
        for k in kinds or [k for k in self.readiness.modes if k != "CustomResourceDefinition"]:
            self.readiness.modes[k] = mode

    # ------------------------------------------------------------------ authorization
    def deny(self, verb: str = "*", resource: str = "*", group: str | None = None,
             namespace: str | None = None) -> None:
        """Forbid (403, like RBAC) requests for verb on resource (plural) in group and namespace; "*" or None
        match anything. SelfSubjectAccessReviews (`kubectl auth can-i`) answer accordingly."""
        with self.lock:
            self.denials.append((verb, resource, "*" if group is None else group, namespace))

    def denied(self, verb: str, group: str, resource: str, namespace: str | None) -> bool:
        for v, r, g, ns in list(self.denials):
            if v in ("*", verb) and r in ("*", resource) and g in ("*", group) and ns in (None, namespace):
                return True
        return False

    # ------------------------------------------------------------------ faults and the request log
    def inject(self, *, path: str = ".*", method: str | None = None, status: int | None = None,
               count: int | None = 1, delay: float = 0.0, drop: bool = False, retry_after: int | None = None,
               message: str = "") -> Fault:
        """Answer the next `count` requests matching method/path-regex with an error status, after a delay,
        or by closing the connection without a response (drop=True). count=None: every matching request."""
        f = Fault(method=method, path=path, status=status, count=count, delay=delay, drop=drop,
                  retry_after=retry_after, message=message)
        with self.lock:
            self.faults.append(f)
        return f

    def clear_faults(self) -> None:
        with self.lock:
            self.faults.clear()

    def requests_matching(self, method: str | None = None, path: str | None = None) -> list[RecordedRequest]:
        import re
        return [r for r in list(self.requests) if (method is None or r.method == method.upper())
                and (path is None or re.search(path, r.path))]

    def clear_requests(self) -> None:
        with self.lock:
            self.requests.clear()

    def writes(self) -> list[RecordedRequest]:
        """Recorded mutating requests (POST/PUT/PATCH/DELETE), in order; reviews (SelfSubjectReview,
        SelfSubjectAccessReview) are POSTs that store nothing and are left out."""
        return [r for r in list(self.requests) if r.method in ("POST", "PUT", "PATCH", "DELETE")
                and not r.path.endswith(("/selfsubjectreviews", "/selfsubjectaccessreviews"))]


def _self_signed_cert() -> tuple[bytes, bytes]:
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kube-emulator")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return cert_pem, key_pem


def start_emulator(**knobs: Any) -> Emulator:
    """Start an emulator on a random free port; call .stop() when done (or use it as a context manager)."""
    return Emulator(**knobs).start()
