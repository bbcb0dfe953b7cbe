"""The HTTP face of the emulator: URL routing, content negotiation, auth, faults, watches, Tables."""

from __future__ import annotations

import http.client
import json
import socket
import ssl
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

import orjson
from urllib.parse import parse_qs, unquote, urlsplit

from . import flowcontrol, modes, resources
from .errors import ApiError, bad_request, forbidden, generic
from .knobs import RecordedRequest
from .store import WriteOptions

if TYPE_CHECKING:
    from .emulator import Emulator

AGGREGATED_CT = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
PATCH_TYPES = {"application/merge-patch+json": "merge", "application/strategic-merge-patch+json": "strategic",
               "application/json-patch+json": "json", "application/apply-patch+yaml": "apply",
               "application/apply-patch+cbor": "unsupported"}


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    emulator: "Emulator"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.connections: set[socket.socket] = set()
        self.conn_lock = threading.Lock()

    def handle_error(self, request: Any, client_address: Any) -> None:  # quiet on client disconnects
        pass

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.conn_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.conn_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Close kept-alive client connections too, so a stopped emulator really stops answering."""
        with self.conn_lock:
            conns = list(self.connections)
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class Headers:
    """A request's headers as ``email.message.Message`` answers what the emulator asks (``get``,
    ``[]``, ``in``, ``items``, ``get_all``): names case-insensitive, the first of repeated names for
    ``get``; read with http.client's limits (a line of 64 KiB, 100 headers)."""

    __slots__ = ("_items", "_first")

    def __init__(self, items: list[tuple[str, str]]):
        self._items = items
        self._first: dict[str, str] = {}
        for k, v in items:
            self._first.setdefault(k.lower(), v)

    @classmethod
    def read(cls, fp) -> "Headers":
        items: list[tuple[str, str]] = []
        count = 0
        while True:
            line = fp.readline(http.client._MAXLINE + 1)
            if len(line) > http.client._MAXLINE:
                raise http.client.LineTooLong("header line")
            if line in (b"\r\n", b"\n", b""):
                return cls(items)
            count += 1
            if count > http.client._MAXHEADERS:
                raise http.client.HTTPException(f"got more than {http.client._MAXHEADERS} headers")
            text = line.decode("iso-8859-1")
            if text[0] in " \t" and items:  # an obsolete folded continuation line
                k, v = items[-1]
                items[-1] = (k, v + "\r\n" + text.rstrip("\r\n"))
                continue
            name, sep, value = text.partition(":")
            if sep:
                items.append((name, value.lstrip(" \t").rstrip("\r\n")))

    def get(self, name: str, default: Any = None) -> Any:
        return self._first.get(name.lower(), default)

    def __getitem__(self, name: str) -> str | None:
        return self._first.get(name.lower())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._first

    def get_all(self, name: str, failobj: Any = None) -> Any:
        found = [v for k, v in self._items if k.lower() == name.lower()]
        return found or failobj

    def items(self) -> list[tuple[str, str]]:
        return list(self._items)

    def keys(self) -> list[str]:
        return [k for k, _ in self._items]

    def __iter__(self):
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self._items)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep test output clean
        pass

    def send_response(self, code: int, message: str | None = None) -> None:
        """Like Go's net/http (kube-apiserver): a Date header and no Server header."""
        self.send_response_only(code, message)
        self.send_header("Date", self.date_time_string())

    def parse_request(self) -> bool:
        """BaseHTTPRequestHandler.parse_request (Python 3.11), with the request's headers read into
        :class:`Headers` instead of an ``email.message.Message``: the email parser and its per-lookup
        header policy were a quarter of the emulator's CPU per request."""
        self.command = None
        self.request_version = version = self.default_request_version
        self.close_connection = True
        requestline = str(self.raw_requestline, "iso-8859-1").rstrip("\r\n")
        self.requestline = requestline
        words = requestline.split()
        if not words:
            return False
        if len(words) >= 3:
            version = words[-1]
            try:
                if not version.startswith("HTTP/"):
                    raise ValueError
                number = version.split("/", 1)[1].split(".")
                if len(number) != 2 or any(not c.isdigit() or len(c) > 10 for c in number):
                    raise ValueError
                major_minor = int(number[0]), int(number[1])
            except (ValueError, IndexError):
                self.send_error(HTTPStatus.BAD_REQUEST, f"Bad request version ({version!r})")
                return False
            if major_minor >= (1, 1) and self.protocol_version >= "HTTP/1.1":
                self.close_connection = False
            if major_minor >= (2, 0):
                self.send_error(HTTPStatus.HTTP_VERSION_NOT_SUPPORTED, f"Invalid HTTP version ({version[5:]})")
                return False
            self.request_version = version
        if not 2 <= len(words) <= 3:
            self.send_error(HTTPStatus.BAD_REQUEST, f"Bad request syntax ({requestline!r})")
            return False
        command, path = words[:2]
        if len(words) == 2:
            self.close_connection = True
            if command != "GET":
                self.send_error(HTTPStatus.BAD_REQUEST, f"Bad HTTP/0.9 request type ({command!r})")
                return False
        self.command, self.path = command, ("/" + path.lstrip("/") if path.startswith("//") else path)
        try:
            self.headers = Headers.read(self.rfile)
        except http.client.LineTooLong as err:
            self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Line too long", str(err))
            return False
        except http.client.HTTPException as err:
            self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Too many headers", str(err))
            return False
        conntype = self.headers.get("Connection", "").lower()
        if conntype == "close":
            self.close_connection = True
        elif conntype == "keep-alive" and self.protocol_version >= "HTTP/1.1":
            self.close_connection = False
        if (self.headers.get("Expect", "").lower() == "100-continue" and self.protocol_version >= "HTTP/1.1"
                and self.request_version >= "HTTP/1.1"):
            if not self.handle_expect_100():
                return False
        return True

    def setup(self) -> None:
        super().setup()
        try:  # no Nagle: a small response must not wait for the client's delayed ACK (~40 ms)
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass

    def handle(self) -> None:
        emu = self.server.emulator
        emu.hang_while_unresponsive()  # mode "unresponsive": the connection is accepted, never answered
        if emu.stopping.is_set():
            return
        if isinstance(self.connection, ssl.SSLSocket):  # the TLS handshake runs here, not in the accept loop
            try:
                self.connection.do_handshake()
            except (ssl.SSLError, OSError):
                return
        super().handle()

    def do_GET(self) -> None:  # noqa: N802
        self._handle()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_GET

    # ------------------------------------------------------------------ plumbing
    def _handle(self) -> None:
        emu = self.server.emulator
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = self._read_chunked()
        query = parse_qs(url.query, keep_blank_values=True)
        method = self.command
        rec = RecordedRequest(method, url.path, query, self.headers.get("Content-Type", ""), body,
                              {k: v for k, v in self.headers.items()})
        with emu.lock:
            emu.requests.append(rec)
        if emu.mode != "kubernetes":
            emu.hang_while_unresponsive()
            if emu.stopping.is_set():
                self._drop()
                return
            if emu.mode in modes.WEB_PAGES:
                status, page = modes.web_page(emu.mode, url.path)
                self._send(status, page, "text/html", headers={"Server": "nginx/1.27.4"}, apf=False)
                return
        flow = emu.flow
        retry_after = flow.enter(method, url.path, long_running=query.get("watch", [""])[0] in ("true", "1"))
        if retry_after is not None:
            flow.delay()
            self._send(429, flowcontrol.TOO_MANY, "text/plain; charset=utf-8",
                       headers={"Retry-After": retry_after, "X-Content-Type-Options": "nosniff"})
            return
        try:
            flow.delay()  # outside every lock: concurrent requests overlap, as on a real API server
            self._serve(emu, rec, method, url.path, query, body)
        finally:
            if query.get("watch", [""])[0] not in ("true", "1"):
                flow.leave()

    def _serve(self, emu: "Emulator", rec: RecordedRequest, method: str, path: str, query: dict,
               body: bytes) -> None:
        with emu.lock:
            fault = next((f for f in emu.faults if f.matches(method, path)), None)
            if fault:
                fault.hits += 1
        try:
            if fault:
                if fault.delay:
                    time.sleep(fault.delay)
                if fault.drop:
                    self._drop()
                    return
                if fault.status:
                    raise self._fault_error(fault, method, path)
            self._check_auth()
            emu.store.tick()
            status, payload, ctype = self._route(method, path, query, body)
        except ApiError as e:
            self._send(e.code, e.status(), headers=e.headers)
            return
        except _Streamed:
            return
        except (BrokenPipeError, ConnectionResetError):
            return
        except _Plain as e:
            self._send(e.code, e.body, "text/plain; charset=utf-8", headers={"X-Content-Type-Options": "nosniff"})
            return
        except Exception as e:  # an emulator bug: answer like the real server would, and keep the message
            emu.errors.append(e)
            self._send(500, generic(500, f"Internal error occurred: {type(e).__name__}: {e}").status())
            return
        self._send(status, payload, ctype)

    def _read_chunked(self) -> bytes:
        out = b""
        while True:
            size = int(self.rfile.readline().strip() or b"0", 16)
            if size == 0:
                self.rfile.readline()
                return out
            out += self.rfile.read(size)
            self.rfile.readline()

    def _drop(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _send(self, status: int, payload: Any, ctype: str = "application/json", headers: dict | None = None,
              apf: bool = True) -> None:
        data = payload if isinstance(payload, bytes) else _json_bytes(payload)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-cache, private")
        self.send_header("Audit-Id", "emulator")
        for k, v in {**(self.server.emulator.flow.headers() if apf else {}), **(headers or {})}.items():
            self.send_header(k, str(v))
        # headers and body in one send (with TCP_NODELAY): no small second segment left waiting for an ACK
        self._headers_buffer.append(b"\r\n")
        if self.command != "HEAD":
            self._headers_buffer.append(data)
        self.flush_headers()

    def _check_auth(self) -> None:
        want = self.server.emulator.token
        if want is None:
            return
        if self.headers.get("Authorization", "") != f"Bearer {want}":
            raise ApiError(401, "Unauthorized", "Unauthorized")

    def _fault_error(self, fault: Any, method: str, path: str) -> ApiError:
        if fault.status == 403:
            verb = {"GET": "get", "POST": "create", "PUT": "update", "PATCH": "patch", "DELETE": "delete"}[method]
            try:
                r = self._parse_resource_path(path)
            except ApiError:
                r = None
            if r:
                group, _, ns, plural, name, _ = r
                if method == "GET" and not name:
                    verb = "list"
                return forbidden(self.server.emulator.user, verb, plural, group, ns, name or "")
            return ApiError(403, "Forbidden", fault.message or f'forbidden: User "system:anonymous" cannot {verb} '
                            f'path "{path}"')
        err = generic(fault.status, fault.message)
        if fault.retry_after is not None or fault.status == 429:
            err.headers["Retry-After"] = str(fault.retry_after if fault.retry_after is not None else 1)
            err.details = {"retryAfterSeconds": int(fault.retry_after or 1)}
        return err

    # ------------------------------------------------------------------ routing
    @staticmethod
    def _parse_resource_path(path: str) -> tuple[str, str, str | None, str, str | None, str] | None:
        # each segment percent-decoded, as Go's net/url gives kube-apiserver the path ("a%3Ab" is "a:b")
        parts = [unquote(p) for p in path.split("/") if p]
        if len(parts) >= 3 and parts[0] == "api" and parts[1] == "v1":
            group, version, rest = "", "v1", parts[2:]
        elif len(parts) >= 4 and parts[0] == "apis":
            group, version, rest = parts[1], parts[2], parts[3:]
        else:
            return None
        ns = None
        if rest[0] == "namespaces" and len(rest) >= 3 and not (len(rest) == 3 and rest[2] in ("status", "finalize")):
            ns, rest = rest[1], rest[2:]
        plural = rest[0]
        name = rest[1] if len(rest) > 1 else None
        sub = rest[2] if len(rest) > 2 else ""
        if len(rest) > 3:
            raise ApiError(404, "NotFound", "the server could not find the requested resource")
        return group, version, ns, plural, name, sub

    def _route(self, method: str, path: str, query: dict, body: bytes) -> tuple[int, Any, str]:
        emu = self.server.emulator
        accept = self.headers.get("Accept", "")
        table = emu.table
        p = path.rstrip("/") or "/"
        if method == "GET":
            if p == "/version":
                return 200, resources.version_doc(emu.version), "application/json"
            if p in ("/api", "/apis"):
                if "as=APIGroupDiscoveryList" in accept and emu.aggregated_discovery:
                    return 200, resources.aggregated_doc(table, p == "/api"), AGGREGATED_CT
                if "as=APIGroupDiscoveryList" in accept and "application/json," not in accept + "," \
                        and not accept.rstrip().endswith("application/json") and "*/*" not in accept:
                    raise ApiError(406, "NotAcceptable", "only the following media types are accepted: "
                                   "application/json")
                doc = resources.api_versions_doc() if p == "/api" else resources.api_group_list_doc(table)
                return 200, doc, "application/json"
            if p == "/api/v1":
                return 200, resources.resource_list_doc(table, "", "v1"), "application/json"
            parts = p.strip("/").split("/")
            if parts[0] == "apis" and len(parts) == 2:
                doc = resources.api_group_doc(table, parts[1])
                if doc is None:
                    raise ApiError(404, "NotFound", "the server could not find the requested resource")
                return 200, doc, "application/json"
            if parts[0] == "apis" and len(parts) == 3:
                if table.unavailable(parts[1], parts[2]):
                    raise _Plain(503, "service unavailable")
                doc = resources.resource_list_doc(table, parts[1], parts[2])
                if doc is None:
                    raise ApiError(404, "NotFound", "the server could not find the requested resource")
                return 200, doc, "application/json"
            if p == "/openapi/v3":
                return 200, resources.openapi_v3_index(table), "application/json"
            if p.startswith("/openapi/v3/"):
                rest = p[len("/openapi/v3/"):].split("/")
                doc = None
                if rest[0] == "api" and len(rest) == 2:
                    doc = resources.openapi_v3_gv_doc(table, "", rest[1])
                elif rest[0] == "apis" and len(rest) == 3:
                    doc = resources.openapi_v3_gv_doc(table, rest[1], rest[2])
                if doc is None:
                    raise ApiError(404, "NotFound", "the server could not find the requested resource")
                return 200, doc, "application/json"
            if p == "/openapi/v2":
                doc, ctype = resources.openapi_v2("protobuf" in accept, emu.version)
                return 200, doc, ctype
            if p.startswith("/openapi") or p in ("/healthz", "/readyz", "/livez"):
                if p in ("/healthz", "/readyz", "/livez"):
                    return 200, b"ok", "text/plain"
                raise ApiError(404, "NotFound", "the server could not find the requested resource")
        parsed = self._parse_resource_path(p)
        if parsed is None:
            raise ApiError(404, "NotFound", "the server could not find the requested resource")
        group, version, ns, plural, name, sub = parsed
        if table.unavailable(group, version):  # kube-aggregator's proxy for an APIService that is not Available
            raise _Plain(503, "service unavailable")

        def q(name_: str) -> str | None:
            v = query.get(name_)
            return v[0] if v else None
        verb = _verb(method, name, q("watch") in ("true", "1"))
        if emu.denied(verb, group, plural, ns):
            raise forbidden(emu.user, verb, plural + (f"/{sub}" if sub else ""), group, ns, name or "")
        rt = table.lookup(group, version, plural)
        if rt is None:
            raise ApiError(404, "NotFound", "the server could not find the requested resource")
        if ns is not None and not rt.namespaced:
            raise ApiError(404, "NotFound", "the server could not find the requested resource")
        if rt.namespaced and name is not None and ns is None:
            raise ApiError(404, "NotFound", "the server could not find the requested resource")
        if sub == "scale" and rt.kind in resources.SCALABLE and name:
            return self._scale(rt, ns, name, method, body)
        if sub and not (sub == "status" and rt.status_subresource):
            raise ApiError(404, "NotFound", "the server could not find the requested resource")
        store = emu.store

        dry_run = q("dryRun") == "All"
        if q("dryRun") not in (None, "", "All"):
            raise bad_request(f'Unsupported value: "{q("dryRun")}": supported values: "All"')
        manager = q("fieldManager") or _default_manager(self.headers.get("User-Agent", ""))
        opts = WriteOptions(manager=manager, dry_run=dry_run, subresource=sub, force=q("force") == "true")

        if method in ("GET", "HEAD"):
            if name is None:
                if q("watch") in ("true", "1"):
                    self._watch(rt, ns, q)
                    raise _Streamed()
                items, rv = store.list(rt, ns, q("labelSelector"), q("fieldSelector"), count_reads=True)
                if "as=Table" in accept:
                    return 200, _table(items, rv, q("includeObject") or "Metadata", rt), \
                        "application/json;as=Table;v=v1;g=meta.k8s.io"
                return 200, {"kind": rt.kind + "List", "apiVersion": rt.group_version,
                             "metadata": {"resourceVersion": str(rv)}, "items": items}, "application/json"
            obj = store.get(rt, ns, name)
            if "as=Table" in accept:
                return 200, _table([obj], int(obj["metadata"]["resourceVersion"]),
                                   q("includeObject") or "Metadata", rt), "application/json;as=Table;v=v1;g=meta.k8s.io"
            return 200, obj, "application/json"
        ctype_full = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        if method in ("POST", "PUT") and ctype_full == "application/vnd.kubernetes.protobuf":
            from . import protobuf
            body = json.dumps(protobuf.decode(body)).encode()
        if rt.plural == "selfsubjectaccessreviews" and method == "POST":
            return 201, self._access_review(_decode(body)), "application/json"
        if rt.plural == "selfsubjectreviews" and method == "POST":
            if not emu.self_subject_review:  # a server before Kubernetes 1.28 (authentication.k8s.io/v1)
                raise ApiError(404, "NotFound", "the server could not find the requested resource")
            return 201, {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview",
                         "metadata": {"creationTimestamp": None},
                         "status": {"userInfo": {"username": emu.user, "uid": "emulator-uid",
                                                 "groups": ["system:authenticated"]}}}, "application/json"
        if method == "POST":
            if name is not None:
                raise ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested "
                               "resource")
            obj = store.create(rt, ns, _decode(body), opts)
            return 201, obj, "application/json"
        if method == "PUT":
            if name is None:
                raise ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested "
                               "resource")
            return 200, store.update(rt, ns, name, _decode(body), opts), "application/json"
        if method == "PATCH":
            if name is None:
                raise ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested "
                               "resource")
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip()
            kind = PATCH_TYPES.get(ctype)
            if kind is None or kind == "unsupported":
                raise ApiError(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                               "accepted media types include: application/json-patch+json, "
                               "application/merge-patch+json, application/apply-patch+yaml, "
                               "application/strategic-merge-patch+json")
            if kind == "apply":
                existed = _exists(store, rt, ns, name)
                opts.manager = q("fieldManager") or ""  # apply requires an explicit manager
                obj = store.apply(rt, ns, name, _decode(body, yaml_ok=True), opts)
                return (200 if existed else 201), obj, "application/json"
            return 200, store.patch(rt, ns, name, kind, _decode(body), opts), "application/json"
        if method == "DELETE":
            opts_body = _decode(body) if body else {}
            if name is None:
                items, _ = store.list(rt, ns, q("labelSelector"), q("fieldSelector"))
                for it in items:
                    store.delete(rt, it["metadata"].get("namespace"), it["metadata"]["name"], dry_run=dry_run,
                                 propagation=q("propagationPolicy") or opts_body.get("propagationPolicy"))
                return 200, {"kind": rt.kind + "List", "apiVersion": rt.group_version,
                             "metadata": {}, "items": items}, "application/json"
            gone = store.delete(rt, ns, name, dry_run=dry_run,
                                propagation=q("propagationPolicy") or (opts_body or {}).get("propagationPolicy"),
                                preconditions=(opts_body or {}).get("preconditions"))
            details = {"name": name, "kind": rt.plural, "uid": gone["metadata"]["uid"]}
            if rt.group:
                details["group"] = rt.group
            return 200, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                         "details": details}, "application/json"
        raise ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource")

    def _access_review(self, review: dict) -> dict:
        emu = self.server.emulator
        attrs = (review.get("spec") or {}).get("resourceAttributes") or {}
        allowed = not emu.denied(attrs.get("verb", ""), attrs.get("group", ""), attrs.get("resource", ""),
                                 attrs.get("namespace") or None)
        out = {**review, "apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
               "metadata": {"creationTimestamp": None}, "status": {"allowed": allowed}}
        if not allowed:
            out["status"]["reason"] = "denied by the emulator's test knob"
        return out

    # ------------------------------------------------------------------ scale subresource
    def _scale(self, rt: Any, ns: str | None, name: str, method: str, body: bytes) -> tuple[int, Any, str]:
        from . import patches
        store = self.server.emulator.store
        manager = _default_manager(self.headers.get("User-Agent", ""))

        def scale_of(obj: dict) -> dict:
            md = obj["metadata"]
            sel = ((obj.get("spec") or {}).get("selector") or {}).get("matchLabels") or {}
            return {"kind": "Scale", "apiVersion": "autoscaling/v1",
                    "metadata": {k: md[k] for k in ("name", "namespace", "uid", "resourceVersion",
                                                    "creationTimestamp") if k in md},
                    "spec": {"replicas": (obj.get("spec") or {}).get("replicas", 1)},
                    "status": {"replicas": (obj.get("status") or {}).get("replicas", 0),
                               "selector": ",".join(f"{k}={v}" for k, v in sel.items())}}
        with store.lock:
            obj = store.get(rt, ns, name, count_read=False)
            if method == "GET":
                return 200, scale_of(obj), "application/json"
            cur = scale_of(obj)
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip()
            if method == "PUT":
                new = _decode(body)
            elif PATCH_TYPES.get(ctype) == "json":
                new = patches.json_patch(cur, _decode(body))
            elif PATCH_TYPES.get(ctype) in ("merge", "strategic"):
                new = patches.json_merge_patch(cur, _decode(body))
            else:
                raise ApiError(415, "UnsupportedMediaType", "the body of the request was in an unknown format")
            replicas = (new.get("spec") or {}).get("replicas")
            if not isinstance(replicas, int) or replicas < 0:
                raise ApiError(422, "Invalid", f'Scale.autoscaling "{name}" is invalid: spec.replicas: Invalid '
                               f"value: {replicas}: must be greater than or equal to 0")
            updated = store.patch(rt, ns, name, "merge", {"spec": {"replicas": replicas}},
                                  WriteOptions(manager=manager, subresource="scale"))
            return 200, scale_of(updated), "application/json"

    # ------------------------------------------------------------------ watch
    def _watch(self, rt: Any, ns: str | None, q: Any) -> None:
        emu = self.server.emulator
        store = emu.store
        match = store.matcher(rt, ns, q("labelSelector"), q("fieldSelector"))
        timeout = min(float(q("timeoutSeconds") or emu.watch_timeout), emu.watch_timeout)
        deadline = time.monotonic() + timeout
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Cache-Control", "no-cache, private")
        for k, v in emu.flow.headers().items():
            self.send_header(k, v)
        self.end_headers()

        def send_event(type_: str, obj: dict) -> None:
            line = json.dumps({"type": type_, "object": obj}).encode() + b"\n"
            self.wfile.write(b"%x\r\n%s\r\n" % (len(line), line))
            self.wfile.flush()

        since = q("resourceVersion")
        with store.lock:
            cursor = store.rv  # everything up to here is covered by `pending`
            if since and since != "0" and since.isdigit() and int(since) + 1 < store.oldest_event_rv:
                expired = ApiError(410, "Expired", f"too old resource version: {since} ({store.oldest_event_rv})")
                pending, initial = [("ERROR", expired.status())], False
                deadline = 0.0  # the stream ends after the error, as on the real server
            elif since and since != "0":
                pending, initial = [(e.type, e.obj) for e in store.events if e.rv > int(since) and match(e)], False
            else:
                items, _ = store.list(rt, ns, q("labelSelector"), q("fieldSelector"))
                pending, initial = [("ADDED", o) for o in items], True
        try:
            for t, o in pending:
                send_event(t, o)
            if initial and q("sendInitialEvents") == "true":
                # the watch-list protocol: a bookmark marks the end of the initial state
                send_event("BOOKMARK", {"kind": rt.kind, "apiVersion": rt.group_version, "metadata": {
                    "resourceVersion": str(cursor), "annotations": {"k8s.io/initial-events-end": "true"}}})
            while time.monotonic() < deadline and not emu.stopping.is_set():
                store.tick()
                with store.cond:
                    store.cond.wait(timeout=store.tick_interval)
                    new = [e for e in store.events if e.rv > cursor]
                    if new:
                        cursor = new[-1].rv
                for e in new:
                    if match(e):
                        send_event(e.type, e.obj)
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except OSError:
            pass
        self.close_connection = True


class _Streamed(Exception):
    pass


class _Plain(Exception):
    """A plain-text answer, as Go's http.Error writes (kube-aggregator's 503 for an unavailable APIService)."""

    def __init__(self, code: int, text: str):
        super().__init__(text)
        self.code = code
        self.body = (text + "\n").encode()


def _verb(method: str, name: str | None, watch: bool) -> str:
    if method in ("GET", "HEAD"):
        return "get" if name else ("watch" if watch else "list")
    if method == "DELETE":
        return "delete" if name else "deletecollection"
    return {"POST": "create", "PUT": "update", "PATCH": "patch"}.get(method, method.lower())


def _exists(store: Any, rt: Any, ns: str | None, name: str) -> bool:
    with store.lock:
        return store.key(rt, ns, name) in store.objects


def _default_manager(user_agent: str) -> str:
    """The real server names an unnamed writer after its user agent's program name."""
    return (user_agent.split("/")[0] or "unknown").strip() if user_agent else "unknown"


def _json_bytes(payload: Any) -> bytes:
    """Compact JSON, as kube-apiserver writes it (orjson; json for what orjson refuses, e.g. big integers)."""
    try:
        return orjson.dumps(payload)
    except TypeError:
        return json.dumps(payload, separators=(",", ":")).encode()


def _decode(body: bytes, yaml_ok: bool = False) -> Any:
    if not body:
        raise bad_request("the body of the request was empty")
    try:
        return json.loads(body)
    except ValueError:
        if yaml_ok:
            import yaml
            try:
                return yaml.safe_load(body)
            except yaml.YAMLError as e:
                raise bad_request(f"error decoding YAML: {e}") from None
        raise bad_request("the body of the request was in an unknown format - accepted media types include: "
                          "application/json, application/yaml") from None


def _table(items: list[dict], rv: int, include: str, rt: Any = None) -> dict:
    from . import aggregation
    apiservices = rt is not None and (rt.group, rt.kind) == ("apiregistration.k8s.io", "APIService")
    rows = []
    for o in items:
        if include == "Object":
            ref: Any = o
        elif include == "None":
            ref = None
        else:
            ref = {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": o["metadata"]}
        cells = aggregation.table_cells(o) if apiservices else [o["metadata"]["name"],
                                                                  o["metadata"].get("creationTimestamp")]
        rows.append({"cells": cells, "object": ref})
    if apiservices:
        return {"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": str(rv)},
                "columnDefinitions": aggregation.TABLE_COLUMNS, "rows": rows}
    return {"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": str(rv)},
            "columnDefinitions": [
                {"name": "Name", "type": "string", "format": "name", "priority": 0,
                 "description": "Name must be unique within a namespace."},
                {"name": "Created At", "type": "date", "format": "", "priority": 0,
                 "description": "CreationTimestamp is a timestamp representing the server time when this object "
                                "was created."}],
            "rows": rows}
