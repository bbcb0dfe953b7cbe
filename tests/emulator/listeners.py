"""Sick-network knobs next to the emulator: servers that are not (or no longer) Kubernetes API servers.

    with silent_listener() as url:      # accepts TCP connections, never answers (a hung apiserver)
    with html_server() as url:          # answers every request with an HTML page (a web server, a proxy)
    url = refused_url()                 # nothing listens there: connection refused
    modified_conflict(emu, path=r"/deployments/web$", count=2)   # 409 "the object has been modified"

Each is checked once with the real kubectl in tests/test_emulator_listeners.py.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

NGINX_PAGE = ("<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n"
              "<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed"
              " and working.</p>\n</body>\n</html>\n")


@contextlib.contextmanager
def silent_listener() -> Iterator[str]:
    """http://127.0.0.1:PORT that completes the TCP handshake (the kernel's backlog) and never answers."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        sock.close()


def refused_url() -> str:
    """http://127.0.0.1:PORT where nothing listens (the port was free a moment ago)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}"


class _HtmlHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    status = 200
    page = NGINX_PAGE
    ctype = "text/html"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - keep test output quiet
        pass

    def do_GET(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.server.paths.append(f"{self.command} {self.path}")  # type: ignore[attr-defined]
        data = self.page.encode()
        self.send_response(self.status)
        self.send_header("Content-Type", self.ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET


@contextlib.contextmanager
def html_server(status: int = 200, page: str = NGINX_PAGE, ctype: str = "text/html") -> Iterator[str]:
    """http://127.0.0.1:PORT answering every request with ``page`` (``status``, ``ctype``).
    The requests it saw are in ``html_server.paths`` of the yielded URL's server (see ``requests_seen``)."""
    handler = type("Handler", (_HtmlHandler,), {"status": status, "page": page, "ctype": ctype})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    server.paths = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    _SEEN[url] = server.paths  # type: ignore[attr-defined]
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()
        _SEEN.pop(url, None)


_SEEN: dict[str, list[str]] = {}


def requests_seen(url: str) -> list[str]:
    """``METHOD /path`` of every request an :func:`html_server` answered."""
    return list(_SEEN.get(url, []))


def modified_conflict(emu, *, path: str, method: str = "PATCH", count: int | None = 1, name: str = "web",
                      resource: str = "deployments.apps"):
    """Answer matching requests with kube's optimistic-concurrency 409 (a resourceVersion race), exactly
    as the API server words it — not a field-manager conflict."""
    return emu.inject(method=method, path=path, status=409, count=count,
                      message=f'Operation cannot be fulfilled on {resource} "{name}": the object has been '
                              "modified; please apply your changes to the latest version and try again")
