"""Discovery is cached on disk per server: warm commands send no discovery requests; a miss refreshes it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cluster.conftest import CRD_COMPONENT, write_component

CM = '{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { a: "1" } }'


def is_discovery(path: str) -> bool:
    parts = path.split("?")[0].strip("/").split("/")
    return (parts[0] == "api" and len(parts) <= 2) or (parts[0] == "apis" and len(parts) in (1, 3))


def discovery_requests(emu) -> list[str]:
    return [r.path for r in emu.requests_matching(method="GET") if is_discovery(r.path)]


def test_second_command_sends_no_discovery(cluster):
    write_component(cluster.app, "cm", CM)
    cluster.emu.clear_requests()
    cluster.kfctl("apply", "default", "--yes", check=0)
    first = discovery_requests(cluster.emu)
    assert "/api" in first and "/apis" in first and "/api/v1" in first
    files = list((Path(cluster.env["XDG_CACHE_HOME"]) / "kfctl" / "discovery").glob("*.json"))
    assert len(files) == 1
    doc = json.loads(files[0].read_text())
    assert doc["server"] == cluster.emu.url.rstrip("/")
    assert ["", "v1", "ConfigMap", "configmaps", True] == [r for r in doc["resources"] if r[2] == "ConfigMap"][0][:5]
    for args in (("apply", "default", "--yes"), ("diff", "default"), ("status", "default")):
        cluster.emu.clear_requests()
        res = cluster.kfctl(*args)
        assert res.exit_code == 0, res.stderr
        assert discovery_requests(cluster.emu) == [], args


def test_a_kind_missing_from_the_cache_refreshes_it(cluster):
    write_component(cluster.app, "cm", CM)
    cluster.kfctl("apply", "default", "--yes", check=0)  # discovery cached without widgets.acme.io
    write_component(cluster.app, "crd", CRD_COMPONENT)
    cluster.emu.clear_requests()
    res = cluster.kfctl("apply", "default", "--yes", "-o", "json", check=0)
    actions = {(o["kind"], o["name"]): o["action"] for o in json.loads(res.stdout)["objects"]}
    assert actions[("Widget", "w1")] == "created"
    assert cluster.emu.get("Widget", "w1", "ml")["spec"] == {"size": 3}
    assert "/apis" in discovery_requests(cluster.emu)
    cluster.emu.clear_requests()  # the refreshed cache knows Widget now: the next apply asks nothing
    res = cluster.kfctl("apply", "default", "--yes", "-o", "json", check=0)
    assert discovery_requests(cluster.emu) == []


def test_ttl_zero_turns_the_cache_off(cluster):
    write_component(cluster.app, "cm", CM)
    env = {**cluster.env, "KFCTL_DISCOVERY_TTL": "0"}
    from tests.conftest import run_kfctl

    for _ in range(2):
        cluster.emu.clear_requests()
        run_kfctl("apply", "default", "--yes", cwd=cluster.app, env=env, check=0)
        assert "/apis" in discovery_requests(cluster.emu)
    assert not (Path(cluster.env["XDG_CACHE_HOME"]) / "kfctl" / "discovery").exists()
