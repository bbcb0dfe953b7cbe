"""The API server emulator, driven through the official `kubernetes` client and raw HTTP."""

from __future__ import annotations

import http.client as httplib
import json
import socket
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.emulator import Emulator, start_emulator
from tests.emulator import ssa

pytest_plugins = ["tests.emulator.fixture"]


# ------------------------------------------------------------------------------------------------ helpers

def http(emu: Emulator, method: str, path: str, body: object = None, ctype: str = "application/json",
         headers: dict | None = None) -> tuple[int, dict, dict]:
    data = None
    if body is not None:
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
    req = urllib.request.Request(emu.url + path, data=data, method=method,
                                 headers={"Content-Type": ctype, **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            raw = r.read()
            return r.status, (json.loads(raw) if raw.startswith(b"{") else {"raw": raw}), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read()), dict(e.headers)


def client(emu: Emulator, tmp_path: Path, **kw):
    import kubernetes
    return kubernetes.config.new_client_from_config(config_file=str(emu.kubeconfig(tmp_path / "kc", **kw)))


def cm(name: str, ns: str = "default", labels: dict | None = None, data: dict | None = None) -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": name, "namespace": ns, "labels": labels or {}}, "data": data or {"k": "v"}}


def deployment(name: str = "web", replicas: int = 2, image: str = "nginx:1.25", **extra: object) -> dict:
    d = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "namespace": "default"},
         "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                  "template": {"metadata": {"labels": {"app": name}},
                               "spec": {"containers": [{"name": "main", "image": image}]}}}}
    d["spec"].update(extra)
    return d


CRD = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
       "metadata": {"name": "widgets.example.com"},
       "spec": {"group": "example.com", "scope": "Namespaced",
                "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "shortNames": ["wd"]},
                "versions": [{"name": "v1", "served": True, "storage": True,
                              "schema": {"openAPIV3Schema": {"type": "object",
                                                             "x-kubernetes-preserve-unknown-fields": True}},
                              "subresources": {"status": {}}}]}}
CRS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
WIDGETS = "/apis/example.com/v1/namespaces/default/widgets"
CMS = "/api/v1/namespaces/default/configmaps"
DEPLOYS = "/apis/apps/v1/namespaces/default/deployments"


def apply(emu: Emulator, path: str, obj: dict, manager: str = "kfctl", force: bool = False, dry: bool = False):
    q = f"?fieldManager={manager}" + ("&force=true" if force else "") + ("&dryRun=All" if dry else "")
    return http(emu, "PATCH", path + q, obj, "application/apply-patch+yaml")


def assert_status(body: dict, code: int, reason: str, message: str | None = None) -> None:
    assert body["kind"] == "Status" and body["apiVersion"] == "v1" and body["status"] == "Failure"
    assert (body["code"], body["reason"]) == (code, reason), body
    if message is not None:
        assert body["message"] == message


# ------------------------------------------------------------------------------------------------ discovery

def test_discovery_documents(emulator: Emulator) -> None:
    status, v, _ = http(emulator, "GET", "/version")
    assert status == 200 and v["gitVersion"] == "v1.34.1" and v["minor"] == "34"
    _, core, _ = http(emulator, "GET", "/api/v1")
    cms = next(r for r in core["resources"] if r["name"] == "configmaps")
    assert cms == {"name": "configmaps", "singularName": "configmap", "namespaced": True, "kind": "ConfigMap",
                   "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
                   "shortNames": ["cm"]}
    assert {"nodes", "persistentvolumes", "namespaces", "pods/status"} <= {r["name"] for r in core["resources"]}
    _, groups, _ = http(emulator, "GET", "/apis")
    names = {g["name"] for g in groups["groups"]}
    assert {"apps", "batch", "rbac.authorization.k8s.io", "apiextensions.k8s.io", "networking.k8s.io",
            "storage.k8s.io", "scheduling.k8s.io", "policy", "admissionregistration.k8s.io",
            "autoscaling"} <= names
    autoscaling = next(g for g in groups["groups"] if g["name"] == "autoscaling")
    assert autoscaling["preferredVersion"]["version"] == "v2"
    _, apps, _ = http(emulator, "GET", "/apis/apps/v1")
    dep = next(r for r in apps["resources"] if r["name"] == "deployments")
    assert dep["shortNames"] == ["deploy"] and dep["kind"] == "Deployment" and dep["namespaced"] is True
    assert http(emulator, "GET", "/apis/nope.example.com/v1")[0] == 404


def test_aggregated_discovery_and_fallback(emulator_factory) -> None:
    accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"
    emu = emulator_factory()
    status, doc, headers = http(emu, "GET", "/apis", headers={"Accept": accept})
    assert headers["Content-Type"] == "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
    assert doc["kind"] == "APIGroupDiscoveryList"
    apps = next(i for i in doc["items"] if i["metadata"]["name"] == "apps")
    dep = next(r for r in apps["versions"][0]["resources"] if r["resource"] == "deployments")
    assert dep["scope"] == "Namespaced" and dep["responseKind"] == {"group": "apps", "version": "v1",
                                                                      "kind": "Deployment"}
    assert {s["subresource"] for s in dep["subresources"]} == {"status", "scale"}
    _, core, _ = http(emu, "GET", "/api", headers={"Accept": accept})
    assert [i["versions"][0]["version"] for i in core["items"]] == ["v1"]
    plain = emulator_factory(aggregated_discovery=False)
    _, doc, headers = http(plain, "GET", "/apis", headers={"Accept": accept})
    assert headers["Content-Type"] == "application/json" and doc["kind"] == "APIGroupList"
    status, body, _ = http(plain, "GET", "/apis", headers={
        "Accept": "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"})
    assert status == 406 and body["reason"] == "NotAcceptable"


def test_openapi_v3_declares_field_validation(emulator: Emulator) -> None:
    _, index, _ = http(emulator, "GET", "/openapi/v3")
    url = index["paths"]["apis/apps/v1"]["serverRelativeURL"]
    assert url.startswith("/openapi/v3/apis/apps/v1?hash=")
    _, doc, _ = http(emulator, "GET", url)
    op = doc["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]["patch"]
    assert op["x-kubernetes-group-version-kind"] == {"group": "apps", "version": "v1", "kind": "Deployment"}
    assert "fieldValidation" in {p["name"] for p in op["parameters"]}
    status, v2, _ = http(emulator, "GET", "/openapi/v2")
    assert status == 200 and v2["definitions"] == {} and v2["swagger"] == "2.0"


def test_protobuf_bodies_of_kubectl_typed_commands(emulator: Emulator) -> None:
    # what `kubectl create configmap c --from-literal=a=b` sends (k8s protobuf envelope around a v1.ConfigMap)
    def s(field: int, data: bytes) -> bytes:
        return bytes([(field << 3) | 2, len(data)]) + data
    md = s(1, b"c") + s(11, s(1, b"app") + s(2, b"x"))
    raw = s(1, md) + s(2, s(1, b"a") + s(2, b"b"))
    body = b"k8s\x00" + s(1, s(1, b"v1") + s(2, b"ConfigMap")) + s(2, raw)
    req = urllib.request.Request(emulator.url + CMS, data=body, method="POST",
                                 headers={"Content-Type": "application/vnd.kubernetes.protobuf"})
    with urllib.request.urlopen(req, timeout=10) as r:
        out = json.loads(r.read())
    assert out["data"] == {"a": "b"} and out["metadata"]["labels"] == {"app": "x"}
    body = b"k8s\x00" + s(1, s(1, b"apps/v1") + s(2, b"Deployment")) + s(2, s(1, s(1, b"d")))
    req = urllib.request.Request(emulator.url + DEPLOYS, data=body, method="POST",
                                 headers={"Content-Type": "application/vnd.kubernetes.protobuf"})
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(req, timeout=10)
    assert exc.value.code == 415


# ------------------------------------------------------------------------------------------------ CRUD

def test_crud_with_the_official_client(emulator: Emulator, tmp_path: Path) -> None:
    import kubernetes
    from kubernetes.client.rest import ApiException
    core = kubernetes.client.CoreV1Api(client(emulator, tmp_path))
    created = core.create_namespaced_config_map("default", cm("a", labels={"app": "x"}))
    md = created.metadata
    assert md.uid and md.resource_version and md.creation_timestamp and md.generation is None
    with pytest.raises(ApiException) as exc:
        core.create_namespaced_config_map("default", cm("a"))
    assert exc.value.status == 409
    assert_status(json.loads(exc.value.body), 409, "AlreadyExists", 'configmaps "a" already exists')
    got = core.read_namespaced_config_map("a", "default")
    assert got.data == {"k": "v"} and got.metadata.labels == {"app": "x"}
    got.data = {"k": "v2"}
    updated = core.replace_namespaced_config_map("a", "default", got)
    assert int(updated.metadata.resource_version) > int(md.resource_version)
    got.data = {"k": "stale"}  # still carries the old resourceVersion
    with pytest.raises(ApiException) as exc:
        core.replace_namespaced_config_map("a", "default", got)
    assert exc.value.status == 409
    assert json.loads(exc.value.body)["message"] == (
        'Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your '
        'changes to the latest version and try again')
    core.delete_namespaced_config_map("a", "default")
    with pytest.raises(ApiException) as exc:
        core.read_namespaced_config_map("a", "default")
    assert exc.value.status == 404
    assert_status(json.loads(exc.value.body), 404, "NotFound", 'configmaps "a" not found')


@pytest.mark.parametrize("selector,expected", [
    ("app=web", ["a", "b"]), ("app==web", ["a", "b"]), ("app!=web", ["c", "d"]),
    ("tier in (fe,be)", ["a", "c"]), ("tier notin (fe)", ["b", "c", "d"]), ("tier", ["a", "c"]),
    ("!tier", ["b", "d"]), ("app=web,tier=fe", ["a"]), ("app in (web),!tier", ["b"]),
])
def test_label_selectors(emulator: Emulator, selector: str, expected: list[str]) -> None:
    emulator.create(cm("a", labels={"app": "web", "tier": "fe"}))
    emulator.create(cm("b", labels={"app": "web"}))
    emulator.create(cm("c", labels={"app": "db", "tier": "be"}))
    emulator.create(cm("d"))
    _, lst, _ = http(emulator, "GET", CMS + "?labelSelector=" + urllib.parse.quote(selector))
    assert [i["metadata"]["name"] for i in lst["items"]] == expected
    assert lst["kind"] == "ConfigMapList" and lst["metadata"]["resourceVersion"]


def test_field_selectors_and_all_namespaces(emulator: Emulator) -> None:
    emulator.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "other"}})
    emulator.create(cm("a"))
    emulator.create(cm("a", ns="other"))
    emulator.create(cm("b", ns="other"))
    _, lst, _ = http(emulator, "GET", "/api/v1/configmaps")
    assert sorted((i["metadata"]["namespace"], i["metadata"]["name"]) for i in lst["items"]) == [
        ("default", "a"), ("other", "a"), ("other", "b")]
    _, lst, _ = http(emulator, "GET", "/api/v1/configmaps?fieldSelector=metadata.name%3Da")
    assert len(lst["items"]) == 2
    _, lst, _ = http(emulator, "GET", "/api/v1/configmaps?fieldSelector=metadata.namespace%3Dother,"
                                      "metadata.name!%3Da")
    assert [i["metadata"]["name"] for i in lst["items"]] == ["b"]
    status, body, _ = http(emulator, "GET", "/api/v1/configmaps?fieldSelector=data.k%3Dv")
    assert status == 400 and body["reason"] == "BadRequest"


def test_namespaces_rules(emulator: Emulator) -> None:
    _, lst, _ = http(emulator, "GET", "/api/v1/namespaces")
    assert {"default", "kube-system", "kube-public"} <= {n["metadata"]["name"] for n in lst["items"]}
    status, body, _ = http(emulator, "POST", "/api/v1/namespaces/nope/configmaps", cm("a", ns="nope"))
    assert status == 404
    assert_status(body, 404, "NotFound", 'namespaces "nope" not found')
    emulator.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}})
    emulator.create(cm("a", ns="team"))
    emulator.create(deployment() | {"metadata": {"name": "web", "namespace": "team"}})
    status, _, _ = http(emulator, "DELETE", "/api/v1/namespaces/team")
    assert status == 200
    assert emulator.objects("configmaps", "team") == [] and emulator.objects("deployments") == []
    status, body, _ = http(emulator, "DELETE", "/api/v1/namespaces/default")
    assert status == 403 and body["reason"] == "Forbidden"


def test_server_fields_generation_and_resource_versions(emulator: Emulator) -> None:
    _, d1, _ = http(emulator, "POST", DEPLOYS, deployment())
    assert d1["metadata"]["generation"] == 1 and d1["status"]["readyReplicas"] == 2
    _, c1, _ = http(emulator, "POST", CMS, cm("a"))
    assert int(c1["metadata"]["resourceVersion"]) > int(d1["metadata"]["resourceVersion"])
    _, d2, _ = http(emulator, "PATCH", DEPLOYS + "/web", {"metadata": {"labels": {"x": "y"}}},
                    "application/merge-patch+json")
    assert d2["metadata"]["generation"] == 1  # metadata-only change
    _, d3, _ = http(emulator, "PATCH", DEPLOYS + "/web", {"spec": {"replicas": 4}},
                    "application/merge-patch+json")
    assert d3["metadata"]["generation"] == 2 and d3["status"]["observedGeneration"] == 2
    assert d3["metadata"]["uid"] == d1["metadata"]["uid"]
    assert d3["metadata"]["creationTimestamp"] == d1["metadata"]["creationTimestamp"]


def test_status_subresource_is_separate(emulator: Emulator) -> None:
    emulator.set_ready("never")
    _, d, _ = http(emulator, "POST", DEPLOYS, deployment() | {"status": {"replicas": 9}})
    assert "status" not in d  # status is not settable through the main resource
    d["spec"]["replicas"] = 3
    d["status"] = {"readyReplicas": 7}
    _, d2, _ = http(emulator, "PUT", DEPLOYS + "/web", d)
    assert d2["spec"]["replicas"] == 3 and "status" not in d2
    _, d3, _ = http(emulator, "PATCH", DEPLOYS + "/web/status", {"status": {"readyReplicas": 3},
                                                                "spec": {"replicas": 99}},
                    "application/merge-patch+json")
    assert d3["status"] == {"readyReplicas": 3} and d3["spec"]["replicas"] == 3
    # ConfigMaps have no status subresource
    assert http(emulator, "GET", CMS + "/x/status")[0] == 404


def test_delete_propagation_and_dry_run(emulator: Emulator) -> None:
    owner = emulator.create(deployment())
    ref = {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "uid": owner["metadata"]["uid"]}
    emulator.create(cm("owned") | {"metadata": {"name": "owned", "namespace": "default", "ownerReferences": [ref]}})
    emulator.create(cm("orphan") | {"metadata": {"name": "orphan", "namespace": "default",
                                                  "ownerReferences": [ref]}})
    status, body, _ = http(emulator, "DELETE", DEPLOYS + "/web?dryRun=All")
    assert status == 200 and body["status"] == "Success" and emulator.get("deploy", "web", "default")
    http(emulator, "DELETE", CMS + "/orphan", {"propagationPolicy": "Orphan"})
    status, body, _ = http(emulator, "DELETE", DEPLOYS + "/web?propagationPolicy=Background")
    assert body["details"] == {"name": "web", "kind": "deployments", "uid": owner["metadata"]["uid"],
                               "group": "apps"}
    assert emulator.objects("configmaps", "default") == []


# ------------------------------------------------------------------------------------------------ patches

def test_merge_strategic_and_json_patches(emulator: Emulator) -> None:
    d = deployment()
    d["spec"]["template"]["spec"]["containers"] = [
        {"name": "main", "image": "a:1", "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
         "ports": [{"containerPort": 80}]},
        {"name": "side", "image": "s:1"}]
    emulator.create(d)
    smp = {"spec": {"template": {"spec": {"containers": [
        {"name": "main", "image": "a:2", "env": [{"name": "B", "value": "3"}, {"name": "C", "value": "4"},
                                                   {"name": "A", "$patch": "delete"}],
         "ports": [{"containerPort": 81}]}]}}}}
    _, out, _ = http(emulator, "PATCH", DEPLOYS + "/web", smp, "application/strategic-merge-patch+json")
    main, side = out["spec"]["template"]["spec"]["containers"]
    assert side == {"name": "side", "image": "s:1"}
    assert main["image"] == "a:2"
    assert main["env"] == [{"name": "B", "value": "3"}, {"name": "C", "value": "4"}]
    assert main["ports"] == [{"containerPort": 80}, {"containerPort": 81}]
    # JSON merge patch replaces lists wholesale
    _, out, _ = http(emulator, "PATCH", DEPLOYS + "/web", {"spec": {"template": {"spec": {"containers": [
        {"name": "only", "image": "o:1"}]}}}, "metadata": {"labels": {"x": "1"}}}, "application/merge-patch+json")
    assert out["spec"]["template"]["spec"]["containers"] == [{"name": "only", "image": "o:1"}]
    _, out, _ = http(emulator, "PATCH", DEPLOYS + "/web", {"metadata": {"labels": {"x": None}}},
                     "application/merge-patch+json")
    assert "x" not in (out["metadata"].get("labels") or {})
    ops = [{"op": "replace", "path": "/spec/replicas", "value": 5},
           {"op": "add", "path": "/metadata/annotations", "value": {"a/b": "c"}},
           {"op": "test", "path": "/spec/replicas", "value": 5},
           {"op": "remove", "path": "/metadata/annotations/a~1b"}]
    _, out, _ = http(emulator, "PATCH", DEPLOYS + "/web", ops, "application/json-patch+json")
    assert out["spec"]["replicas"] == 5 and out["metadata"]["annotations"] == {}
    status, body, _ = http(emulator, "PATCH", DEPLOYS + "/web", [{"op": "test", "path": "/spec/replicas",
                                                                  "value": 1}], "application/json-patch+json")
    assert status == 422 and body["kind"] == "Status"
    status, body, _ = http(emulator, "PATCH", DEPLOYS + "/web", {}, "text/plain")
    assert status == 415 and body["reason"] == "UnsupportedMediaType"


def test_patch_dry_run_does_not_store(emulator: Emulator) -> None:
    emulator.create(cm("a"))
    before = emulator.get("cm", "a", "default")
    status, out, _ = http(emulator, "PATCH", CMS + "/a?dryRun=All", {"data": {"k": "dry"}},
                          "application/merge-patch+json")
    assert status == 200 and out["data"] == {"k": "dry"}
    assert emulator.get("cm", "a", "default") == before
    status, out, _ = http(emulator, "POST", CMS + "?dryRun=All", cm("new"))
    assert status == 201 and out["metadata"]["uid"] and "resourceVersion" not in out["metadata"]
    assert emulator.get("cm", "new", "default") is None
    out = http(emulator, "PUT", CMS + "/a?dryRun=All", cm("a", data={"z": "z"}))[1]
    assert out["data"] == {"z": "z"} and emulator.get("cm", "a", "default")["data"] == {"k": "v"}


def test_only_creates_need_the_namespace(emulator: Emulator) -> None:
    """NamespaceLifecycle refuses a create in a missing namespace - by POST, by an apply that creates, and in a
    dry run too; a read, update, patch or delete there just does not find its object."""
    nope = "/api/v1/namespaces/nope/configmaps"
    missing_ns = 'namespaces "nope" not found'
    for method, path, body, ctype in [
            ("POST", nope, cm("a", ns="nope"), "application/json"),
            ("POST", nope + "?dryRun=All", cm("a", ns="nope"), "application/json"),
            ("PATCH", nope + "/a?fieldManager=kfctl", cm("a", ns="nope"), "application/apply-patch+yaml"),
            ("PATCH", nope + "/a?fieldManager=kfctl&dryRun=All", cm("a", ns="nope"), "application/apply-patch+yaml")]:
        status, body_, _ = http(emulator, method, path, body, ctype)
        assert status == 404, (method, path)
        assert body_ == {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                         "message": missing_ns, "reason": "NotFound", "code": 404,
                         "details": {"name": "nope", "kind": "namespaces"}}
    for method, body, ctype in [("GET", None, "application/json"), ("PUT", cm("a", ns="nope"), "application/json"),
                                ("PATCH", {"data": {"k": "x"}}, "application/merge-patch+json"),
                                ("DELETE", None, "application/json")]:
        status, body_, _ = http(emulator, method, nope + "/a", body, ctype)
        assert (status, body_["message"]) == (404, 'configmaps "a" not found'), method
    status, lst, _ = http(emulator, "GET", nope)
    assert (status, lst["items"]) == (200, [])


def test_dry_run_writes_nothing(emulator: Emulator) -> None:
    """No object, no namespace, no resourceVersion bump (the list resourceVersion is the store's)."""
    emulator.create(cm("a"))
    rv = http(emulator, "GET", CMS)[1]["metadata"]["resourceVersion"]
    ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "fresh"}}
    status, out, _ = http(emulator, "POST", "/api/v1/namespaces?dryRun=All", ns)
    assert status == 201 and out["status"] == {"phase": "Active"} and "resourceVersion" not in out["metadata"]
    status, out, _ = apply(emulator, "/api/v1/namespaces/fresh", ns, dry=True)
    assert status == 201
    assert emulator.get("namespace", "fresh") is None
    # so a dry-run create in it is refused, as on a real server
    status, out, _ = http(emulator, "POST", "/api/v1/namespaces/fresh/configmaps?dryRun=All", cm("b", ns="fresh"))
    assert (status, out["message"]) == (404, 'namespaces "fresh" not found')
    assert apply(emulator, CMS + "/a", cm("a", data={"k": "dry"}), force=True, dry=True)[0] == 200
    assert http(emulator, "DELETE", CMS + "/a?dryRun=All")[0] == 200
    assert http(emulator, "DELETE", DEPLOYS + "?dryRun=All")[0] == 200
    assert http(emulator, "GET", CMS)[1]["metadata"]["resourceVersion"] == rv
    assert emulator.get("cm", "a", "default")["data"] == {"k": "v"}
    assert [e.rv for e in emulator.store.events if e.rv > int(rv)] == []


def test_stale_resource_version_conflicts(emulator: Emulator) -> None:
    c = emulator.create(cm("a"))
    fresh = http(emulator, "PUT", CMS + "/a", {**c, "data": {"k": "2"}})[1]
    message = ('Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your '
               'changes to the latest version and try again')
    for method, body, ctype in [("PUT", {**c, "data": {"k": "3"}}, "application/json"),
                                ("PATCH", {"metadata": {"resourceVersion": c["metadata"]["resourceVersion"]},
                                           "data": {"k": "3"}}, "application/merge-patch+json")]:
        status, out, _ = http(emulator, method, CMS + "/a", body, ctype)
        assert (status, out) == (409, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                                       "message": message, "reason": "Conflict", "code": 409,
                                       "details": {"name": "a", "kind": "configmaps"}}), method
    assert emulator.get("cm", "a", "default")["metadata"]["resourceVersion"] == fresh["metadata"]["resourceVersion"]


# ------------------------------------------------------------------------------------------------ validation

@pytest.mark.parametrize("path,body,field,message", [
    (CMS, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {}},
     "metadata.name", 'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required'),
    (CMS, {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "x"}},
     "kind", 'ConfigMap "x" is invalid: kind: Invalid value: "Secret": must be ConfigMap'),
    (DEPLOYS, {"apiVersion": "apps/v1beta1", "kind": "Deployment", "metadata": {"name": "x"}},
     "apiVersion", None),
    (DEPLOYS, {**deployment(), "spec": {"template": deployment()["spec"]["template"]}},
     "spec.selector", 'Deployment.apps "web" is invalid: spec.selector: Required value'),
    (DEPLOYS, deployment(selector={"matchLabels": {"app": "other"}}),
     "spec.template.metadata.labels", None),
])
def test_invalid_objects(emulator: Emulator, path: str, body: dict, field: str, message: str | None) -> None:
    status, out, _ = http(emulator, "POST", path, body)
    assert status == 422
    assert_status(out, 422, "Invalid", message)
    assert field in [c["field"] for c in out["details"]["causes"]]


# ------------------------------------------------------------------------------------------------ server-side apply

def test_ssa_create_managed_fields_and_noop(emulator: Emulator) -> None:
    d = deployment()
    d["metadata"]["labels"] = {"app": "web"}
    d["spec"]["template"]["spec"]["containers"][0]["ports"] = [{"containerPort": 80}]
    status, out, _ = apply(emulator, DEPLOYS + "/web", d)
    assert status == 201
    [entry] = out["metadata"]["managedFields"]
    assert {k: entry[k] for k in ("manager", "operation", "apiVersion", "fieldsType")} == {
        "manager": "kfctl", "operation": "Apply", "apiVersion": "apps/v1", "fieldsType": "FieldsV1"}
    assert entry["fieldsV1"] == {
        "f:metadata": {"f:labels": {"f:app": {}}},
        "f:spec": {"f:replicas": {}, "f:selector": {}, "f:template": {
            "f:metadata": {"f:labels": {"f:app": {}}},
            "f:spec": {"f:containers": {'k:{"name":"main"}': {
                ".": {}, "f:image": {}, "f:name": {},
                "f:ports": {'k:{"containerPort":80,"protocol":"TCP"}': {".": {}, "f:containerPort": {}}}}}}}}}
    status, again, _ = apply(emulator, DEPLOYS + "/web", d)
    assert status == 200
    assert again["metadata"]["resourceVersion"] == out["metadata"]["resourceVersion"]


def test_ssa_null_fields_are_not_set(emulator: Emulator) -> None:
    """A null in an apply configuration means "not set": never stored, on create or in new list
    items (Helm-rendered objects carry `annotations: null`, `rollingUpdate: null`)."""
    d = deployment("nulls")
    d["metadata"]["annotations"] = None
    d["spec"]["strategy"] = {"type": "Recreate", "rollingUpdate": None}
    d["spec"]["template"]["spec"]["containers"][0]["env"] = [{"name": "A", "value": "1", "valueFrom": None}]
    status, out, _ = apply(emulator, DEPLOYS + "/nulls", d)
    assert status == 201, out
    assert "annotations" not in out["metadata"]
    assert out["spec"]["strategy"] == {"type": "Recreate"}
    assert out["spec"]["template"]["spec"]["containers"][0]["env"] == [{"name": "A", "value": "1"}]
    status, again, _ = apply(emulator, DEPLOYS + "/nulls", d)
    assert (status, again["metadata"]["resourceVersion"]) == (200, out["metadata"]["resourceVersion"])


def test_ssa_conflicts_force_and_shared_ownership(emulator: Emulator) -> None:
    # created by a client-side apply (an Update by kubectl-client-side-apply)
    http(emulator, "POST", DEPLOYS + "?fieldManager=kubectl-client-side-apply", deployment())
    status, body, _ = apply(emulator, DEPLOYS + "/web", deployment(replicas=3))
    assert status == 409
    assert_status(body, 409, "Conflict", 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" '
                                         'using apps/v1: .spec.replicas')
    assert body["details"]["causes"] == [{"reason": "FieldManagerConflict", "field": ".spec.replicas",
                                          "message": 'conflict with "kubectl-client-side-apply" using apps/v1'}]
    status, body, _ = apply(emulator, DEPLOYS + "/web", deployment(replicas=3, image="nginx:2"))
    assert body["message"] == (
        'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n'
        '- .spec.replicas\n- .spec.template.spec.containers[name="main"].image')
    # same values: no conflict, shared ownership
    status, out, _ = apply(emulator, DEPLOYS + "/web", deployment())
    assert status == 200
    status, out, _ = apply(emulator, DEPLOYS + "/web", deployment(replicas=3), force=True)
    assert status == 200 and out["spec"]["replicas"] == 3
    owners = {e["manager"]: e for e in out["metadata"]["managedFields"]}
    assert "f:replicas" in owners["kfctl"]["fieldsV1"]["f:spec"]
    assert "f:replicas" not in owners["kubectl-client-side-apply"]["fieldsV1"]["f:spec"]
    # another applier now conflicts with kfctl, an Apply manager (printed without "using")
    status, body, _ = apply(emulator, DEPLOYS + "/web", deployment(replicas=4), manager="other")
    assert body["message"] == 'Apply failed with 1 conflict: conflict with "kfctl": .spec.replicas'


def test_ssa_removes_fields_no_longer_applied(emulator: Emulator) -> None:
    first = cm("a", labels={"keep": "1", "drop": "1"}, data={"x": "1", "y": "2"})
    apply(emulator, CMS + "/a", first)
    # a second manager co-owns data.y (same value)
    apply(emulator, CMS + "/a", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"},
                                 "data": {"y": "2"}}, manager="other")
    status, out, _ = apply(emulator, CMS + "/a", cm("a", labels={"keep": "1"}, data={"x": "1"}))
    assert status == 200
    assert out["metadata"]["labels"] == {"keep": "1"}
    assert out["data"] == {"x": "1", "y": "2"}  # y still owned by "other"
    apply(emulator, CMS + "/a", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}},
          manager="other")
    assert emulator.get("cm", "a", "default")["data"] == {"x": "1"}


def test_ssa_list_items_merge_by_key(emulator: Emulator) -> None:
    base = deployment()
    apply(emulator, DEPLOYS + "/web", base)
    sidecar = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
               "spec": {"template": {"spec": {"containers": [{"name": "side", "image": "s:1"}]}}}}
    status, out, _ = apply(emulator, DEPLOYS + "/web", sidecar, manager="injector")
    assert status == 200
    assert [c["name"] for c in out["spec"]["template"]["spec"]["containers"]] == ["main", "side"]
    apply(emulator, DEPLOYS + "/web", {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}},
          manager="injector")
    assert [c["name"] for c in emulator.get("deploy", "web", "default")["spec"]["template"]["spec"]["containers"]
            ] == ["main"]


def test_ssa_rules(emulator: Emulator) -> None:
    status, body, _ = http(emulator, "PATCH", CMS + "/a", cm("a"), "application/apply-patch+yaml")
    assert status == 422 and body["details"]["causes"][0]["field"] == "fieldManager"
    status, body, _ = apply(emulator, "/api/v1/namespaces/nope/configmaps/a", cm("a", ns="nope"))
    assert_status(body, 404, "NotFound", 'namespaces "nope" not found')
    status, body, _ = apply(emulator, CMS + "/a", cm("b"))
    assert status == 400 and "does not match the name on the URL" in body["message"]
    # the path is percent-decoded as kube-apiserver's is: an RBAC name with ':' may come escaped
    roles = "/apis/rbac.authorization.k8s.io/v1/clusterroles"
    role = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "x:y"}}
    status, out, _ = apply(emulator, roles + "/x%3Ay", role)
    assert (status, out["metadata"]["name"]) == (201, "x:y") and emulator.get("clusterrole", "x:y") is not None
    assert http(emulator, "GET", roles + "/x:y")[1]["metadata"]["name"] == "x:y"
    assert http(emulator, "DELETE", roles + "/x%3Ay")[0] == 200 and emulator.get("clusterrole", "x:y") is None
    status, out, _ = apply(emulator, CMS + "/a", cm("a"), dry=True)
    assert status == 201 and out["data"] == {"k": "v"} and emulator.get("cm", "a", "default") is None
    apply(emulator, CMS + "/a", cm("a"))
    stale = cm("a", data={"k": "new"})
    stale["metadata"]["resourceVersion"] = "1"
    status, body, _ = apply(emulator, CMS + "/a", stale)
    assert status == 409 and "the object has been modified" in body["message"]
    yaml_body = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\ndata:\n  k: from-yaml\n"
    status, out, _ = http(emulator, "PATCH", CMS + "/y?fieldManager=m", yaml_body, "application/apply-patch+yaml")
    assert status == 201 and out["data"] == {"k": "from-yaml"}


def test_ssa_with_dynamic_client_and_call_api(emulator: Emulator, tmp_path: Path) -> None:
    from kubernetes.client.rest import ApiException
    from kubernetes.dynamic import DynamicClient
    api = client(emulator, tmp_path)
    dyn = DynamicClient(api)
    deps = dyn.resources.get(api_version="apps/v1", kind="Deployment")
    out = deps.server_side_apply(body=deployment(), name="web", namespace="default", field_manager="kfctl")
    assert out.spec.replicas == 2 and out.metadata.managedFields[0].manager == "kfctl"
    with pytest.raises(ApiException) as exc:
        deps.server_side_apply(body=deployment(replicas=5), name="web", namespace="default", field_manager="x")
    assert exc.value.status == 409
    out = deps.server_side_apply(body=deployment(replicas=5), name="web", namespace="default", field_manager="x",
                                 force_conflicts=True)
    assert out.spec.replicas == 5
    method, url, headers, body, post = api.param_serialize(
        "PATCH", "/api/v1/namespaces/{namespace}/configmaps/{name}",
        path_params={"namespace": "default", "name": "c"}, query_params=[("fieldManager", "kfctl")],
        header_params={"Content-Type": "application/apply-patch+yaml", "Accept": "application/json"},
        body=cm("c"), auth_settings=["BearerToken"])
    resp = api.call_api(method, url, headers, body, post)
    resp.read()
    data = json.loads(resp.data)
    assert resp.status == 201 and data["metadata"]["name"] == "c"
    assert data["metadata"]["managedFields"][0]["operation"] == "Apply"
    req = emulator.requests_matching("PATCH", r"/configmaps/c$")[-1]
    assert req.content_type == "application/apply-patch+yaml" and req.param("fieldManager") == "kfctl"


# ------------------------------------------------------------------------------------------------ CRDs

def test_custom_resources_need_an_established_crd(emulator_factory) -> None:
    emu = emulator_factory(crd_established="never")
    widget = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}, "spec": {"size": 1}}
    assert http(emu, "POST", WIDGETS, widget)[0] == 404
    status, crd, _ = http(emu, "POST", CRS, CRD)
    assert status == 201 and "status" not in crd
    assert http(emu, "POST", WIDGETS, widget)[0] == 404
    assert http(emu, "GET", "/apis/example.com/v1")[0] == 404
    emu.establish("widgets.example.com")
    status, w, _ = http(emu, "POST", WIDGETS, widget)
    assert status == 201 and w["metadata"]["generation"] == 1
    _, rl, _ = http(emu, "GET", "/apis/example.com/v1")
    assert rl["resources"][0] | {} == {"name": "widgets", "singularName": "widget", "namespaced": True,
                                       "kind": "Widget", "verbs": rl["resources"][0]["verbs"],
                                       "shortNames": ["wd"]}
    status, _, _ = http(emu, "PATCH", WIDGETS + "/w", {"spec": {"size": 2}}, "application/strategic-merge-patch+json")
    assert status == 415  # custom resources do not support strategic merge patch
    http(emu, "DELETE", CRS + "/widgets.example.com")
    assert http(emu, "GET", WIDGETS)[0] == 404
    assert not [k for k in emu.store.objects if k[0] == "example.com"]


def test_crd_established_after_reads_and_cluster_scope(emulator_factory) -> None:
    emu = emulator_factory(crd_established=2)
    crd = json.loads(json.dumps(CRD))
    crd["spec"]["scope"] = "Cluster"
    http(emu, "POST", CRS, crd)
    _, first, _ = http(emu, "GET", CRS + "/widgets.example.com")
    assert "status" not in first
    _, second, _ = http(emu, "GET", CRS + "/widgets.example.com")
    assert {c["type"]: c["status"] for c in second["status"]["conditions"]} == {"NamesAccepted": "True",
                                                                               "Established": "True"}
    widget = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}}
    assert http(emu, "POST", WIDGETS, widget)[0] == 404  # cluster-scoped: no namespaced URL
    status, w, _ = http(emu, "POST", "/apis/example.com/v1/widgets", widget)
    assert status == 201 and "namespace" not in w["metadata"]
    status, out, _ = http(emu, "POST", CRS, {**CRD, "metadata": {"name": "wrong.example.com"}})
    assert status == 422 and out["details"]["causes"][0]["field"] == "metadata.name"


# ------------------------------------------------------------------------------------------------ knobs

def test_readiness_never_and_after_reads(emulator: Emulator) -> None:
    emulator.set_ready("never")
    _, d, _ = http(emulator, "POST", DEPLOYS, deployment())
    assert "status" not in d and "status" not in http(emulator, "GET", DEPLOYS + "/web")[1]
    emulator.set_ready(2, "Deployment")
    http(emulator, "POST", DEPLOYS, deployment("api"))
    assert "status" not in http(emulator, "GET", DEPLOYS + "/api")[1]
    ready = http(emulator, "GET", DEPLOYS + "/api")[1]
    assert ready["status"]["availableReplicas"] == 2 and ready["status"]["observedGeneration"] == 1
    assert {c["type"] for c in ready["status"]["conditions"]} == {"Available", "Progressing"}


def test_readiness_immediate_for_other_kinds(emulator: Emulator) -> None:
    pvc = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data"},
           "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "5Gi"}}}}
    assert http(emulator, "POST", "/api/v1/namespaces/default/persistentvolumeclaims", pvc)[1]["status"] == {
        "phase": "Bound", "accessModes": ["ReadWriteOnce"], "capacity": {"storage": "5Gi"}}
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "lb"},
           "spec": {"type": "LoadBalancer", "ports": [{"port": 80}]}}
    out = http(emulator, "POST", "/api/v1/namespaces/default/services", svc)[1]
    assert out["status"]["loadBalancer"]["ingress"][0]["ip"] and out["spec"]["clusterIP"]
    assert out["spec"]["ports"] == [{"port": 80, "protocol": "TCP", "targetPort": 80}]
    job = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"},
           "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "busybox"}],
                                          "restartPolicy": "Never"}}}}
    out = http(emulator, "POST", "/apis/batch/v1/namespaces/default/jobs", job)[1]
    assert out["status"]["succeeded"] == 1 and out["status"]["conditions"][0]["type"] == "Complete"
    sts = deployment("db") | {"kind": "StatefulSet"}
    out = http(emulator, "POST", "/apis/apps/v1/namespaces/default/statefulsets", sts)[1]
    assert out["status"]["readyReplicas"] == 2 and out["status"]["currentRevision"] == out["status"]["updateRevision"]
    ds = deployment("agent") | {"kind": "DaemonSet"}
    del ds["spec"]["replicas"]
    out = http(emulator, "POST", "/apis/apps/v1/namespaces/default/daemonsets", ds)[1]
    assert out["status"]["numberReady"] == out["status"]["desiredNumberScheduled"] == 1


def test_fault_injection(emulator: Emulator) -> None:
    emulator.inject(method="GET", path=r"/configmaps$", status=503, count=1)
    assert http(emulator, "GET", CMS)[0] == 503
    assert http(emulator, "GET", CMS)[0] == 200  # count exhausted
    emulator.inject(path=r"/configmaps", status=429, retry_after=3)
    status, body, headers = http(emulator, "GET", CMS)
    assert (status, headers["Retry-After"], body["reason"]) == (429, "3", "TooManyRequests")
    emulator.inject(method="POST", path=r"/configmaps", status=403)
    status, body, _ = http(emulator, "POST", CMS, cm("a"))
    assert_status(body, 403, "Forbidden", 'configmaps is forbidden: User "emulator-user" '
                                          'cannot create resource "configmaps" in API group "" in the namespace '
                                          '"default"')
    emulator.inject(method="DELETE", path=r"/deployments/web", status=403)
    status, body, _ = http(emulator, "DELETE", DEPLOYS + "/web")
    assert body["message"].startswith('deployments.apps "web" is forbidden: User ') and 'delete resource' in \
        body["message"] and body["details"] == {"kind": "deployments", "group": "apps", "name": "web"}
    emulator.inject(path=r"/configmaps", status=500, count=2)
    assert [http(emulator, "GET", CMS)[0] for _ in range(3)] == [500, 500, 200]
    emulator.inject(path=r"/configmaps", delay=0.3)
    t = time.monotonic()
    assert http(emulator, "GET", CMS)[0] == 200 and time.monotonic() - t >= 0.3
    emulator.inject(path=r"/configmaps", drop=True)
    with pytest.raises((httplib.RemoteDisconnected, ConnectionResetError, urllib.error.URLError)):
        urllib.request.urlopen(emulator.url + CMS, timeout=5)
    assert http(emulator, "GET", CMS)[0] == 200
    assert [r.method for r in emulator.requests_matching(path=r"/configmaps")].count("GET") == 9


def test_request_log(emulator: Emulator) -> None:
    http(emulator, "POST", CMS + "?fieldManager=kfctl", cm("a"))
    [req] = emulator.writes()
    assert (req.method, req.path, req.param("fieldManager"), req.content_type) == (
        "POST", CMS, "kfctl", "application/json")
    assert req.json["metadata"]["name"] == "a"
    emulator.clear_requests()
    assert emulator.requests == []


def test_bearer_token_required(emulator_factory, tmp_path: Path) -> None:
    import kubernetes
    from kubernetes.client.rest import ApiException
    emu = emulator_factory(token="s3cret")
    status, body, _ = http(emu, "GET", CMS)
    assert_status(body, 401, "Unauthorized", "Unauthorized")
    assert http(emu, "GET", CMS, headers={"Authorization": "Bearer s3cret"})[0] == 200
    core = kubernetes.client.CoreV1Api(client(emu, tmp_path, token="wrong"))
    with pytest.raises(ApiException) as exc:
        core.list_namespace()
    assert exc.value.status == 401
    core = kubernetes.client.CoreV1Api(client(emu, tmp_path))
    assert "default" in [n.metadata.name for n in core.list_namespace().items]


def test_https_with_generated_ca(emulator_factory, tmp_path: Path) -> None:
    import base64

    import kubernetes
    import yaml
    emu = emulator_factory(tls=True)
    assert emu.url.startswith("https://127.0.0.1:")
    kc = yaml.safe_load(emu.kubeconfig(tmp_path / "kc", namespace="default").read_text())
    ca = base64.b64decode(kc["clusters"][0]["cluster"]["certificate-authority-data"])
    assert ca.startswith(b"-----BEGIN CERTIFICATE-----") and kc["contexts"][0]["context"]["namespace"] == "default"
    core = kubernetes.client.CoreV1Api(client(emu, tmp_path))
    assert core.read_namespace("kube-system").metadata.name == "kube-system"
    with pytest.raises(urllib.error.URLError):  # not trusted without the CA
        urllib.request.urlopen(emu.url + "/version", timeout=5)


def test_watch_streams_events(emulator: Emulator) -> None:
    emulator.create(cm("a"))
    events: list[tuple[str, str]] = []

    def watch() -> None:
        with urllib.request.urlopen(emulator.url + CMS + "?watch=true&timeoutSeconds=2", timeout=10) as r:
            for line in r:
                ev = json.loads(line)
                events.append((ev["type"], ev["object"]["metadata"]["name"]))
                if len(events) == 3:
                    return
    t = threading.Thread(target=watch)
    t.start()
    deadline = time.monotonic() + 5
    while not events and time.monotonic() < deadline:
        time.sleep(0.02)
    emulator.create(cm("b"))
    http(emulator, "DELETE", CMS + "/a")
    t.join(10)
    assert events == [("ADDED", "a"), ("ADDED", "b"), ("DELETED", "a")]


# ------------------------------------------------------------------------------------------------ ssa module

def test_fields_v1_round_trip_and_paths() -> None:
    obj = {"metadata": {"labels": {"a": "1"}, "finalizers": ["x/y"]},
           "spec": {"ports": [{"port": 80, "protocol": "UDP", "name": "dns"}], "args": ["--v=1"]}}
    fs = ssa.field_set(obj)
    tree = ssa.to_fields_v1(fs)
    assert tree == {"f:metadata": {"f:finalizers": {'v:"x/y"': {}}, "f:labels": {"f:a": {}}},
                    "f:spec": {"f:args": {}, "f:ports": {'k:{"port":80,"protocol":"UDP"}': {
                        ".": {}, "f:name": {}, "f:port": {}, "f:protocol": {}}}}}
    assert ssa.from_fields_v1(tree) == fs
    assert ssa.path_string(("f:spec", "f:ports", 'k:{"port":80,"protocol":"UDP"}', "f:name")) == \
        '.spec.ports[port=80,protocol="UDP"].name'
    assert ssa.path_string(("f:metadata", "f:finalizers", 'v:"x/y"')) == '.metadata.finalizers[="x/y"]'


def test_start_emulator_context_manager(tmp_path: Path) -> None:
    with start_emulator() as emu:
        url = emu.url
        assert http(emu, "GET", "/version")[0] == 200
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])), timeout=1).close()


def test_watch_resume_and_expiry_with_the_official_client(emulator: Emulator, tmp_path: Path) -> None:
    import kubernetes
    core = kubernetes.client.CoreV1Api(client(emulator, tmp_path))
    rv = core.list_namespaced_config_map("default").metadata.resource_version
    emulator.create(cm("a"))
    http(emulator, "PATCH", CMS + "/a", {"data": {"k": "2"}}, "application/merge-patch+json")
    w = kubernetes.watch.Watch()
    seen = [(ev["type"], ev["object"].data) for ev in w.stream(core.list_namespaced_config_map, "default",
                                                                resource_version=rv, timeout_seconds=1)]
    assert seen == [("ADDED", {"k": "v"}), ("MODIFIED", {"k": "2"})]
    emulator.store.max_events = 4
    for i in range(6):
        emulator.create(cm(f"n{i}"))
    with urllib.request.urlopen(emulator.url + CMS + f"?watch=true&resourceVersion={rv}", timeout=5) as r:
        [line] = r.read().splitlines()
    ev = json.loads(line)
    assert ev["type"] == "ERROR" and ev["object"]["code"] == 410 and ev["object"]["reason"] == "Expired"


def test_deletecollection_and_emulator_kubeconfig_fixture(emulator: Emulator, emulator_kubeconfig: Path) -> None:
    import os

    import kubernetes
    assert os.environ["KUBECONFIG"] == str(emulator_kubeconfig)
    core = kubernetes.client.CoreV1Api(kubernetes.config.new_client_from_config(os.environ["KUBECONFIG"]))
    for name, app in (("a", "x"), ("b", "x"), ("c", "y")):
        emulator.create(cm(name, labels={"app": app}))
    core.delete_collection_namespaced_config_map("default", label_selector="app=x")
    assert [c.metadata.name for c in core.list_namespaced_config_map("default").items] == ["c"]


def test_stop_closes_kept_alive_connections() -> None:
    emu = start_emulator()
    conn = httplib.HTTPConnection("127.0.0.1", emu.port, timeout=5)
    conn.request("GET", "/version")
    assert conn.getresponse().read()
    emu.stop()
    with pytest.raises((httplib.HTTPException, OSError)):
        conn.request("GET", "/version")
        conn.getresponse().read()


EMULATOR_KNOBS = {"version": "v1.33.2"}  # knobs for the module-scoped `emulator_module` fixture


def test_module_scoped_emulator_uses_module_knobs(emulator_module: Emulator) -> None:
    assert http(emulator_module, "GET", "/version")[1]["gitVersion"] == "v1.33.2"


def test_ssa_on_the_status_subresource(emulator: Emulator) -> None:
    emulator.set_ready("never")
    status, body, _ = apply(emulator, DEPLOYS + "/web/status", {"apiVersion": "apps/v1", "kind": "Deployment",
                                                                "metadata": {"name": "web"}})
    assert status == 404 and body["reason"] == "NotFound"
    apply(emulator, DEPLOYS + "/web", deployment())
    status, out, _ = apply(emulator, DEPLOYS + "/web/status", {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
        "spec": {"replicas": 9}, "status": {"readyReplicas": 1}}, manager="controller")
    assert status == 200 and out["status"] == {"readyReplicas": 1} and out["spec"]["replicas"] == 2
    entry = next(e for e in out["metadata"]["managedFields"] if e["manager"] == "controller")
    assert entry["subresource"] == "status" and entry["fieldsV1"] == {"f:status": {"f:readyReplicas": {}}}


def test_denials_act_like_rbac(emulator: Emulator) -> None:
    emulator.deny("delete", "deployments", "apps", "default")
    emulator.create(deployment())
    status, body, _ = http(emulator, "DELETE", DEPLOYS + "/web")
    assert_status(body, 403, "Forbidden", 'deployments.apps "web" is forbidden: User "emulator-user" cannot delete '
                                          'resource "deployments" in API group "apps" in the namespace "default"')
    assert http(emulator, "GET", DEPLOYS + "/web")[0] == 200
    review = {"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
              "spec": {"resourceAttributes": {"verb": "delete", "group": "apps", "resource": "deployments",
                                              "namespace": "default"}}}
    status, out, _ = http(emulator, "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", review)
    assert status == 201 and out["status"]["allowed"] is False
    review["spec"]["resourceAttributes"]["verb"] = "get"
    assert http(emulator, "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", review)[1][
        "status"]["allowed"] is True


def test_non_string_map_values_fail_to_decode(emulator: Emulator) -> None:
    status, body, _ = http(emulator, "POST", CMS, cm("a", data={"n": 1}))
    assert_status(body, 400, "BadRequest", 'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot '
                                           'unmarshal number into Go struct field ConfigMap.data of type string')
    status, body, _ = apply(emulator, DEPLOYS + "/web", {**deployment(), "metadata": {
        "name": "web", "labels": {"on": True}}})
    assert status == 400 and "ObjectMeta.metadata.labels of type string" in body["message"]


def test_scale_subresource(emulator: Emulator) -> None:
    apply(emulator, DEPLOYS + "/web", deployment())
    _, scale, _ = http(emulator, "GET", DEPLOYS + "/web/scale")
    assert (scale["kind"], scale["spec"], scale["status"]["selector"]) == ("Scale", {"replicas": 2}, "app=web")
    _, scale, _ = http(emulator, "PATCH", DEPLOYS + "/web/scale", {"spec": {"replicas": 4}},
                       "application/merge-patch+json")
    assert scale["spec"]["replicas"] == 4
    dep = emulator.get("deploy", "web", "default")
    assert dep["spec"]["replicas"] == 4
    scaler = next(e for e in dep["metadata"]["managedFields"] if e.get("subresource") == "scale")
    assert scaler["fieldsV1"] == {"f:spec": {"f:replicas": {}}}
    # the applier no longer owns replicas alone: re-applying 2 now conflicts with the scaler
    status, body, _ = apply(emulator, DEPLOYS + "/web", deployment())
    assert status == 409 and body["details"]["causes"][0]["field"] == ".spec.replicas"
