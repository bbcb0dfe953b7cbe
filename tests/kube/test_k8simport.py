"""The official client imported without pydantic, dateutil, oauthlib and requests (kfctl.kube.k8simport),
and each of them the real thing the moment the client uses it: an OIDC token refresh end to end."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import yaml

from tests.conftest import run_kfctl

DEFERRED = ("pydantic", "dateutil.parser", "oauthlib", "oauthlib.oauth2", "requests", "requests_oauthlib",
            "kubernetes.client.api_response")


def test_the_client_imports_without_them_and_gets_the_real_ones_when_used():
    code = f"""
import sys
from kfctl.kube.k8simport import client_and_config
c, k = client_and_config()
import kubernetes.client.api_client as ac, kubernetes.config.kube_config as kc
configuration = c.Configuration()
configuration.host = "http://127.0.0.1:9"
api = c.ApiClient(configuration)
assert not isinstance("x", ac.SecretStr)  # (no SecretStr can exist before pydantic is imported)
print(sorted(m for m in {DEFERRED!r} if m in sys.modules))
from pydantic import SecretStr
assert api.sanitize_for_serialization({{"a": SecretStr("s3")}}) == {{"a": "s3"}} and isinstance(SecretStr("x"), ac.SecretStr)
import kubernetes.client.api_response as ar
r = ac.ApiResponse(status_code=200, data=None, headers=None, raw_data=b"")
assert type(r) is ar.ApiResponse and r.status_code == 200
assert api.deserialize('"2026-01-02T03:04:05Z"', "datetime", "application/json").year == 2026
import dateutil.parser, oauthlib.oauth2, requests_oauthlib
assert kc.oauthlib.oauth2.rfc6749.errors.InvalidClientIdError is oauthlib.oauth2.rfc6749.errors.InvalidClientIdError
assert type(kc.OAuth2Session(client_id="x")) is requests_oauthlib.OAuth2Session
assert k.load_kube_config is kc.load_kube_config and c.ApiClient is ac.ApiClient
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (out.returncode, out.stdout, out.stderr) == (0, "[]\nok\n", "")


def _jwt(claims: dict) -> str:
    def part(doc: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(doc).encode()).decode().rstrip("=")
    return f"{part({'alg': 'none'})}.{part(claims)}.c2ln"


class _Issuer(BaseHTTPRequestHandler):
    """An OIDC issuer: its discovery document and a token endpoint that swaps the refresh token."""

    new_id_token = ""
    grants: list = []

    def do_GET(self):  # noqa: N802
        port = self.server.server_address[1]
        self._answer({"issuer": f"http://127.0.0.1:{port}", "token_endpoint": f"http://127.0.0.1:{port}/token"})

    def do_POST(self):  # noqa: N802
        form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        type(self).grants.append((self.path, form["grant_type"][0], form["refresh_token"][0],
                                  self.headers.get("Authorization")))
        self._answer({"access_token": "at", "token_type": "Bearer", "expires_in": 3600,
                      "id_token": type(self).new_id_token, "refresh_token": "refresh-2"})

    def _answer(self, doc: dict) -> None:
        body = json.dumps(doc).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.mark.emulator(token=_jwt({"sub": "alice", "exp": 4102444800}))  # valid until 2100
def test_an_expired_oidc_token_is_refreshed_through_the_deferred_oauth_libraries(emulator, tmp_path):
    _Issuer.new_id_token, _Issuer.grants = emulator.token, []
    issuer = HTTPServer(("127.0.0.1", 0), _Issuer)
    threading.Thread(target=issuer.serve_forever, daemon=True).start()
    try:
        provider = {"name": "oidc", "config": {
            "client-id": "kfctl", "client-secret": "shh", "refresh-token": "refresh-1",
            "id-token": _jwt({"sub": "alice", "exp": 1000000000}),  # expired in 2001
            "idp-issuer-url": f"http://127.0.0.1:{issuer.server_address[1]}"}}
        kc = tmp_path / "kubeconfig"
        kc.write_text(yaml.safe_dump({
            "apiVersion": "v1", "kind": "Config", "current-context": "emu",
            "clusters": [{"name": "emu", "cluster": {"server": emulator.url}}],
            "contexts": [{"name": "emu", "context": {"cluster": "emu", "user": "alice", "namespace": "ml"}}],
            "users": [{"name": "alice", "user": {"auth-provider": provider}}]}))
        env = {"KUBECONFIG": str(kc), "XDG_CACHE_HOME": str(tmp_path / "cache"),
               "OAUTHLIB_INSECURE_TRANSPORT": "1"}  # (the test issuer speaks plain HTTP)
        app = tmp_path / "demo"
        run_kfctl("init", "demo", "--dir", str(app), "--context", "emu", check=0, env=env)
        run_kfctl("generate", "deployed-service", "web", "--image", "nginx", cwd=app, check=0, env=env)
        res = run_kfctl("apply", "default", "--yes", cwd=app, env=env)
        assert res.exit_code == 0, res.stderr
        basic = "Basic " + base64.b64encode(b"kfctl:shh").decode()
        assert _Issuer.grants == [("/token", "refresh_token", "refresh-1", basic)]
        assert emulator.get("Deployment", "web", "ml")["metadata"]["name"] == "web"
        sent = {v for r in emulator.requests for h, v in r.headers.items() if h.lower() == "authorization"}
        assert sent == {f"Bearer {emulator.token}"}  # (the emulator answers 401 to any other)
    finally:
        issuer.shutdown()
        issuer.server_close()
    assert Path(kc).read_text().count("refresh-1") == 1  # kfctl keeps the kubeconfig as it was
