"""The emulator's transport: TCP_NODELAY and one send per response, the latency knob, API Priority and
Fairness (headers, 429s), and the server modes that are not Kubernetes at all."""

from __future__ import annotations

import http.client as httplib
import json
import socket
import threading
import time

import pytest

from tests.emulator import Emulator
from tests.emulator.flowcontrol import FLOW_SCHEMA_UID, PRIORITY_LEVEL_UID

CMS = "/api/v1/namespaces/default/configmaps"


def _raw_request(sock: socket.socket, path: str) -> None:
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n\r\n".encode())


def _response_length(data: bytes) -> int | None:
    head, sep, _ = data.partition(b"\r\n\r\n")
    if not sep:
        return None
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(head) + 4 + int(line.split(b":")[1])
    return None


def test_responses_are_one_segment_on_a_nodelay_socket(emulator: Emulator) -> None:
    """Headers and body leave in one send: the client's first recv() holds the whole response. (Two sends, the
    second held back by Nagle until the client's delayed ACK, cost ~40 ms per request.)"""
    sock = socket.create_connection(("127.0.0.1", emulator.port), timeout=5)
    try:
        for _ in range(20):
            _raw_request(sock, "/api/v1/namespaces/default")
            first = sock.recv(1 << 20)
            assert first.startswith(b"HTTP/1.1 200 OK\r\n")
            assert _response_length(first) == len(first), first[:300]
        server_side = list(emulator._server.connections)
        assert len(server_side) == 1
        assert server_side[0].getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    finally:
        sock.close()


def test_sequential_small_requests_do_not_stall(emulator: Emulator) -> None:
    conn = httplib.HTTPConnection("127.0.0.1", emulator.port, timeout=5)
    conn.request("GET", "/version")  # connect and warm up
    conn.getresponse().read()
    times = []
    for i in range(50):
        t = time.perf_counter()
        conn.request("POST", CMS, body=json.dumps({"apiVersion": "v1", "kind": "ConfigMap",
                                                   "metadata": {"name": f"c{i}"}}),
                      headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        r.read()
        assert r.status == 201
        times.append(time.perf_counter() - t)
    conn.close()
    times.sort()
    # a delayed-ACK stall is >= 40 ms per request; without it a request takes about a millisecond here
    assert times[len(times) // 2] < 0.015, times
    assert sum(times) < 1.5, times


def _get_concurrently(emu: Emulator, n: int, path: str = CMS) -> tuple[float, list[tuple]]:
    """n requests on n connections, released together; each result is (status, headers, body, sent, answered)."""
    results: list = [None] * n
    barrier = threading.Barrier(n)

    def one(i: int) -> None:
        conn = httplib.HTTPConnection("127.0.0.1", emu.port, timeout=30)
        conn.connect()
        barrier.wait()
        sent = time.perf_counter()
        conn.request("GET", path)
        r = conn.getresponse()
        body = r.read()
        results[i] = (r.status, dict(r.headers), body, sent, time.perf_counter())
        conn.close()
    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return max(r[4] for r in results) - min(r[3] for r in results), results


def test_latency_overlaps_for_concurrent_requests(emulator_factory) -> None:
    latency, n = 0.5, 8
    emu = emulator_factory(latency=latency)
    elapsed, results = _get_concurrently(emu, n)
    assert [r[0] for r in results] == [200] * n
    assert all(r[4] - r[3] >= latency for r in results)
    # all n were being served at the same moment: every request was sent before any was answered
    assert max(r[3] for r in results) < min(r[4] for r in results)
    assert emu.flow.peak_inflight == n
    assert elapsed < n * latency / 2, elapsed  # ≈ L (0.5 s), not n × L (4 s); slack for a loaded machine
    # settable while running; 0 is fast again
    emu.latency = 0.0
    conn = httplib.HTTPConnection("127.0.0.1", emu.port, timeout=5)
    t = time.perf_counter()
    conn.request("GET", CMS)
    conn.getresponse().read()
    fast = time.perf_counter() - t
    emu.latency = 0.3
    t = time.perf_counter()
    conn.request("GET", CMS)
    conn.getresponse().read()
    slow = time.perf_counter() - t
    conn.close()
    assert slow >= 0.3 and fast < slow - 0.2, (fast, slow)


def test_apf_headers_on_every_answer(emulator_factory) -> None:
    emu = emulator_factory(apf=True)
    plain = emulator_factory()
    conn = httplib.HTTPConnection("127.0.0.1", emu.port, timeout=5)
    for path, status in (("/api/v1/namespaces/default", 200), ("/api/v1/namespaces/nope", 404)):
        conn.request("GET", path)
        r = conn.getresponse()
        r.read()
        assert (r.status, r.getheader("X-Kubernetes-PF-FlowSchema-UID"),
                r.getheader("X-Kubernetes-PF-PriorityLevel-UID")) == (status, FLOW_SCHEMA_UID, PRIORITY_LEVEL_UID)
    conn.request("GET", CMS + "?watch=true&timeoutSeconds=1")
    r = conn.getresponse()
    assert r.getheader("X-Kubernetes-PF-FlowSchema-UID") == FLOW_SCHEMA_UID
    r.read()
    conn.close()
    conn = httplib.HTTPConnection("127.0.0.1", plain.port, timeout=5)
    conn.request("GET", CMS)
    r = conn.getresponse()
    r.read()
    assert r.getheader("X-Kubernetes-PF-FlowSchema-UID") is None
    conn.close()


def test_throttle_answers_like_apf(emulator_factory) -> None:
    emu = emulator_factory(apf=True)
    emu.throttle(count=2, method="GET", path=r"/configmaps$", retry_after=3)
    conn = httplib.HTTPConnection("127.0.0.1", emu.port, timeout=5)
    seen = []
    for _ in range(3):
        conn.request("GET", CMS)
        r = conn.getresponse()
        seen.append((r.status, r.getheader("Content-Type"), r.getheader("Retry-After"),
                     r.getheader("X-Kubernetes-PF-PriorityLevel-UID"), r.read()))
    conn.close()
    assert seen[:2] == [(429, "text/plain; charset=utf-8", "3", PRIORITY_LEVEL_UID,
                         b"Too many requests, please try again later.\n")] * 2
    assert seen[2][0] == 200 and json.loads(seen[2][4])["kind"] == "ConfigMapList"


def test_max_inflight_rejects_what_it_cannot_seat(emulator_factory) -> None:
    emu = emulator_factory(latency=0.3, max_inflight=2, retry_after=2, apf=True)
    _, results = _get_concurrently(emu, 6)
    statuses = sorted(r[0] for r in results)
    assert statuses == [200, 200, 429, 429, 429, 429]
    rejected = [r for r in results if r[0] == 429]
    assert {(r[1]["Retry-After"], r[1]["X-Kubernetes-PF-FlowSchema-UID"], r[2]) for r in rejected} == {
        ("2", FLOW_SCHEMA_UID, b"Too many requests, please try again later.\n")}
    assert (emu.flow.peak_inflight, emu.flow.rejected) == (2, 4)
    # watches are long-running: they never take a seat
    emu.latency = 0.0
    conn = httplib.HTTPConnection("127.0.0.1", emu.port, timeout=5)
    conn.request("GET", CMS + "?watch=1&timeoutSeconds=1")
    r = conn.getresponse()
    assert r.status == 200
    r.read()
    conn.close()
    assert emu.flow.inflight == 0


@pytest.mark.emulator(mode="not-kubernetes")
def test_not_kubernetes_mode_is_a_web_server(emulator: Emulator) -> None:
    conn = httplib.HTTPConnection("127.0.0.1", emulator.port, timeout=5)
    conn.request("GET", "/")
    r = conn.getresponse()
    body = r.read()
    assert (r.status, r.getheader("Content-Type"), r.getheader("Server")) == (200, "text/html", "nginx/1.27.4")
    assert b"<title>Welcome to nginx!</title>" in body
    conn.request("GET", "/api")
    r = conn.getresponse()
    assert (r.status, r.read().splitlines()[1]) == (404, b"<head><title>404 Not Found</title></head>")
    emulator.mode = "login-page"
    conn.request("GET", "/apis")
    r = conn.getresponse()
    assert (r.status, r.getheader("Content-Type")) == (200, "text/html")
    assert b"<title>Sign in</title>" in r.read()
    emulator.mode = "kubernetes"
    conn.request("GET", "/api")
    r = conn.getresponse()
    assert json.loads(r.read())["kind"] == "APIVersions"
    conn.close()
    with pytest.raises(ValueError, match="unknown emulator mode 'nginx'"):
        emulator.mode = "nginx"


@pytest.mark.emulator(mode="unresponsive")
def test_unresponsive_mode_accepts_and_never_answers(emulator: Emulator) -> None:
    sock = socket.create_connection(("127.0.0.1", emulator.port), timeout=0.5)  # the TCP handshake succeeds
    _raw_request(sock, "/version")
    with pytest.raises(socket.timeout):
        sock.recv(100)
    # back to normal at run time: the waiting request is answered
    emulator.mode = "kubernetes"
    sock.settimeout(5)
    assert sock.recv(100).startswith(b"HTTP/1.1 200 OK")
    sock.close()


@pytest.mark.emulator(mode="unresponsive", tls=True)
def test_unresponsive_tls_never_completes_the_handshake(emulator: Emulator) -> None:
    import ssl
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    raw = socket.create_connection(("127.0.0.1", emulator.port), timeout=0.5)
    with pytest.raises(socket.timeout):
        ctx.wrap_socket(raw, server_hostname="127.0.0.1")
    raw.close()
    t = time.perf_counter()
    emulator.stop()  # hung connections do not keep the emulator from stopping
    assert time.perf_counter() - t < 2
