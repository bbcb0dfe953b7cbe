"""Regression tests from a review of the cluster layer against real API server behaviour."""

from __future__ import annotations

import json

from tests.cluster.conftest import write_component

CM = """\
[{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "%s" }, data: { a: "1" } }]
"""


def test_apply_prune_with_component_keeps_other_components(cluster):
    write_component(cluster.app, "one", CM % "one")
    write_component(cluster.app, "two", CM % "two")
    cluster.kfctl("apply", "default", "--yes", check=0)
    res = cluster.kfctl("apply", "default", "-c", "one", "--prune", "--yes", "-o", "json", check=0)
    data = json.loads(res.stdout)
    assert [(o["name"], o["action"]) for o in data["objects"]] == [("one", "unchanged")]
    assert cluster.emu.get("ConfigMap", "two", "ml") is not None
    # an orphan of the selected component is pruned; an orphan of another component is not
    write_component(cluster.app, "one", "[]")
    write_component(cluster.app, "two", "[]")
    write_component(cluster.app, "three", CM % "three")
    res = cluster.kfctl("apply", "default", "-c", "one", "--prune", "--yes", "-o", "json", check=0)
    data = json.loads(res.stdout)
    assert [(o["name"], o["action"]) for o in data["objects"]] == [("one", "pruned")]
    assert cluster.emu.get("ConfigMap", "one", "ml") is None
    assert cluster.emu.get("ConfigMap", "two", "ml") is not None
