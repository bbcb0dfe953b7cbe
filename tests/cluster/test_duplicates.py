"""An object rendered by two components (issue 13): apply and diff refuse, naming the components and
the -c way out; apply -c works; delete and status act on one copy."""

from __future__ import annotations

import json

from tests.cluster.conftest import write_component


def test_apply_and_diff_refuse_an_object_rendered_twice(cluster):
    k = cluster.kfctl
    for comp, by in (("a", "x"), ("b", "y")):
        write_component(cluster.app, comp, f"""\
            [ {{ apiVersion: "v1", kind: "ConfigMap", metadata: {{ name: "shared" }}, data: {{ by: "{by}" }} }},
              {{ apiVersion: "v1", kind: "ConfigMap", metadata: {{ name: "own-{comp}" }} }} ]
            """)
    for verb in ("apply", "diff"):
        res = k(verb, "default", "--yes") if verb == "apply" else k(verb, "default")
        assert res.exit_code == (1 if verb == "apply" else 2) and res.stdout == ""
        assert res.stderr == (f"error: cannot {verb} env default: ConfigMap ml/shared is rendered by components 'a' "
                              f"and 'b'; {verb} one of them with -c, e.g. 'kfctl {verb} default -c a', or give the "
                              "objects different names\n")
    assert cluster.emu.requests_matching("PATCH", ".*") == []
    data = json.loads(k("apply", "default", "-c", "a", "--yes", "-o", "json", check=0).stdout)
    assert sorted((o["name"], o["action"]) for o in data["objects"]) == [("own-a", "created"), ("shared", "created")]
    assert cluster.emu.get("ConfigMap", "shared", "ml")["data"] == {"by": "x"}
    assert k("diff", "default", "-c", "a").exit_code == 0
    res = k("status", "default", "-o", "json")
    assert res.exit_code == 1  # own-b was never applied
    assert sorted((o["component"], o["name"], o["state"]) for o in json.loads(res.stdout)["objects"]) == [
        ("a", "own-a", "ready"), ("a", "shared", "ready"), ("b", "own-b", "missing")]
    res = k("delete", "default", "--yes", "-o", "json", check=0)
    assert sorted((o["name"], o["action"]) for o in json.loads(res.stdout)["objects"]) == [
        ("own-a", "deleted"), ("own-b", "skipped"), ("shared", "deleted")]
    assert cluster.emu.get("ConfigMap", "shared", "ml") is None
