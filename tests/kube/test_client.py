"""kfctl.kube in-process against the emulator's HTTP server: the client's retry policy and error
mapping, and how an env's kube context becomes a connection (no monkeypatched client methods)."""

from __future__ import annotations

import pytest

from kfctl.app.app import Environment
from kfctl.errors import ConfigError
from kfctl.kube.client import connect
from kfctl.kube.errors import ApiError


@pytest.fixture
def kube(emulator, tmp_path):
    kc = emulator.kubeconfig(tmp_path / "kc", context="emu", namespace="ml")
    k = connect(Environment("default", namespace="ml", context="emu"), kubeconfig=str(kc))
    k.backoff = 0.01
    yield k
    k.close()


def test_target_comes_from_the_context(kube, emulator):
    t = kube.target
    assert (t.server, t.context, t.namespace) == (emulator.url, "emu", "ml")


def test_retries_429_and_5xx_then_succeeds(kube, emulator):
    emulator.inject(method="GET", path=r"^/api/v1/namespaces$", status=503, count=2)
    emulator.inject(method="GET", path=r"^/api/v1/namespaces$", status=429, retry_after=0, count=1)
    status, body = kube.request("GET", "/api/v1/namespaces")
    assert status == 200 and {n["metadata"]["name"] for n in body["items"]} >= {"default", "kube-system"}
    assert len(emulator.requests_matching("GET", r"^/api/v1/namespaces$")) == 4
    assert kube.request_count == 4


def test_gives_up_after_the_retries_with_the_servers_status(kube, emulator):
    emulator.inject(method="GET", path=r"^/api/v1/namespaces/ml$", status=503, count=None, message="etcd down")
    with pytest.raises(ApiError) as err:
        kube.request("GET", "/api/v1/namespaces/ml", retries=2)
    assert (err.value.status, err.value.method, err.value.path) == (503, "GET", "/api/v1/namespaces/ml")
    assert err.value.body["message"] == "etcd down"
    assert err.value.message == "the server answered 503 ServiceUnavailable: etcd down (GET /api/v1/namespaces/ml)"
    assert len(emulator.requests_matching("GET", r"^/api/v1/namespaces/ml$")) == 3


def test_dropped_connections_become_one_cluster_error(kube, emulator):
    from kfctl.kube.errors import Unreachable

    emulator.inject(method="GET", path=r"^/version$", drop=True, count=None)
    with pytest.raises(Unreachable, match=rf"^{emulator.url} closed the connection without answering \(GET /version; "
                                          r"3 attempts in \d+\.\ds\)$"):
        kube.request("GET", "/version", retries=2)
    with pytest.raises(Unreachable):  # and later calls fail at once, without a request
        kube.request("GET", "/api")
    assert emulator.requests_matching("GET", r"^/api$") == []


def test_forbidden_is_explained_with_context_verb_and_resource(kube, emulator):
    emulator.deny("list", "configmaps", namespace="ml")
    with pytest.raises(ApiError) as err:
        kube.get("/api/v1/namespaces/ml/configmaps")
    assert err.value.status == 403
    # (the client only knows the path here: it names the context, the verb the server names and the resource)
    assert err.value.message == (
        "context 'emu' is not allowed to list configmaps in namespace 'ml' (403 Forbidden: configmaps is forbidden: "
        "User \"emulator-user\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"ml\")")


def test_an_env_whose_context_points_elsewhere_is_refused(emulator, tmp_path):
    kc = emulator.kubeconfig(tmp_path / "kc", context="emu", namespace="ml")
    env = Environment("default", server="https://elsewhere.example", context="emu")
    with pytest.raises(ConfigError, match=rf"^environment 'default' points at https://elsewhere.example but its "
                                          rf"context 'emu' points at {emulator.url}$"):
        connect(env, kubeconfig=str(kc))
