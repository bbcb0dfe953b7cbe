"""Tanka-style jsonnet (jsonnet-libs/k8s-libsonnet API) against the generated main.libsonnet."""

from __future__ import annotations

import pytest

ENGINES = ["rjsonnet", "gojsonnet"]


@pytest.mark.parametrize("engine", ENGINES)
def test_tanka_deployment_service(ks, engine):
    code = """
local k = import "github.com/jsonnet-libs/k8s-libsonnet/1.30/main.libsonnet";
local deployment = k.apps.v1.deployment, container = k.core.v1.container, port = k.core.v1.containerPort;
local service = k.core.v1.service, servicePort = k.core.v1.servicePort;
{
  deployment: deployment.new("grafana", replicas=2, containers=[
      container.new("grafana", "grafana/grafana")
      + container.withPorts([port.new(3000)])
      + container.resources.withRequests({cpu: "100m"})
      + container.withEnvMixin([k.core.v1.envVar.new("A", "1")]),
    ], podLabels={app: "grafana"})
    + deployment.spec.selector.withMatchLabels({app: "grafana"})
    + deployment.metadata.withLabelsMixin({team: "obs"})
    + deployment.mixin.spec.template.spec.withServiceAccountName("grafana"),
  service: service.new("grafana", {app: "grafana"}, [servicePort.newNamed("http", 3000, 3000)])
    + service.spec.withType("NodePort"),
}
"""
    assert ks(code, version="v1.30.0", engine=engine) == {
        "deployment": {
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"labels": {"team": "obs"}, "name": "grafana"},
            "spec": {
                "replicas": 2,
                "selector": {"matchLabels": {"app": "grafana"}},
                "template": {
                    "metadata": {"labels": {"app": "grafana"}},
                    "spec": {
                        "containers": [{
                            "env": [{"name": "A", "value": "1"}], "image": "grafana/grafana", "name": "grafana",
                            "ports": [{"containerPort": 3000}], "resources": {"requests": {"cpu": "100m"}},
                        }],
                        "serviceAccountName": "grafana",
                    },
                },
            },
        },
        "service": {
            "apiVersion": "v1", "kind": "Service", "metadata": {"name": "grafana"},
            "spec": {"ports": [{"name": "http", "port": 3000, "targetPort": 3000}], "selector": {"app": "grafana"},
                     "type": "NodePort"},
        },
    }


def test_tanka_generic_new_rbac_and_list(ks):
    code = """
local k = import "github.com/jsonnet-libs/k8s-libsonnet/1.30/main.libsonnet";
local rbac = k.rbac.v1;
local sa = k.core.v1.serviceAccount.new("bot") + k.core.v1.serviceAccount.metadata.withNamespace("ops");
local role = rbac.role.new("reader") + rbac.role.withRules([
  rbac.policyRule.withApiGroups([""]) + rbac.policyRule.withResources("pods") + rbac.policyRule.withVerbs(["get", "list"]),
]);
k.core.v1.list.new([
  sa,
  role,
  rbac.roleBinding.new("reader") + rbac.roleBinding.bindRole(role) + rbac.roleBinding.withSubjects([rbac.subject.fromServiceAccount(sa)]),
  k.core.v1.configMap.new("c", {x: "y"}),
  k.core.v1.namespace.new("ops"),
])
"""
    assert ks(code, version="v1.30.0") == {
        "apiVersion": "v1", "kind": "List",
        "items": [
            {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "bot", "namespace": "ops"}},
            {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "reader"},
             "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]}]},
            {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "reader"},
             "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "reader"},
             "subjects": [{"kind": "ServiceAccount", "name": "bot", "namespace": "ops"}]},
            {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"x": "y"}},
            {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "ops"}},
        ],
    }


def test_tanka_lib_k_libsonnet_alias(tmp_path):
    """A Tanka project's lib/k.libsonnet aliasing k8s-libsonnet resolves through lib_dirs."""
    from kfctl.ksonnetlib import lib_dirs

    from .conftest import evaluate

    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "k.libsonnet").write_text("import 'github.com/jsonnet-libs/k8s-libsonnet/1.30/main.libsonnet'\n")
    out = evaluate('local k = import "k.libsonnet"; k.apps.v1.statefulSet.new("db", 1, [{name: "db"}])',
                   lib_dirs(tmp_path, "v1.30.4"))
    assert out == {
        "apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"},
        "spec": {"replicas": 1, "volumeClaimTemplates": [],
                 "template": {"metadata": {"labels": {"app": "name"}}, "spec": {"containers": [{"name": "db"}]}}},
    }


def test_tanka_missing_containers_is_an_error(ks):
    from kfctl.ksonnetlib import lib_dirs  # noqa: F401

    with pytest.raises(RuntimeError, match="containers unset"):
        ks('(import "github.com/jsonnet-libs/k8s-libsonnet/1.30/main.libsonnet").apps.v1.deployment.new("x")',
           version="v1.30.0")
