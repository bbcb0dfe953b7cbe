"""Jsonnet written the way ksonnet users wrote it, evaluated against the generated ksonnet-lib."""

from __future__ import annotations

import pytest

ENGINES = ["rjsonnet", "gojsonnet"]

PRELUDE = """
local k = import "k.libsonnet";
local deployment = k.apps.v1beta1.deployment;
local container = deployment.mixin.spec.template.spec.containersType;
local containerPort = container.portsType;
local service = k.core.v1.service;
local servicePort = service.mixin.spec.portsType;
"""


@pytest.mark.parametrize("engine", ENGINES)
def test_guestbook_style_deployment_and_service(ks, engine):
    code = PRELUDE + """
local targetPort = 80;
local labels = {app: "guestbook-ui"};
local appDeployment = deployment.new(
  "guestbook-ui", 2,
  container.new("guestbook-ui", "gcr.io/heptio-images/ks-guestbook-demo:0.1")
  + container.withPorts(containerPort.new(targetPort)),
  labels);
local appService = service.new("guestbook-ui", labels, servicePort.new(80, targetPort))
  + service.mixin.spec.withType("ClusterIP");
k.core.v1.list.new([appService, appDeployment])
"""
    assert ks(code, engine=engine) == {
        "apiVersion": "v1",
        "kind": "List",
        "items": [
            {
                "apiVersion": "v1", "kind": "Service", "metadata": {"name": "guestbook-ui"},
                "spec": {"ports": [{"port": 80, "targetPort": 80}], "selector": {"app": "guestbook-ui"},
                         "type": "ClusterIP"},
            },
            {
                "apiVersion": "apps/v1beta1", "kind": "Deployment", "metadata": {"name": "guestbook-ui"},
                "spec": {
                    "replicas": 2,
                    "template": {
                        "metadata": {"labels": {"app": "guestbook-ui"}},
                        "spec": {"containers": [{"image": "gcr.io/heptio-images/ks-guestbook-demo:0.1",
                                                 "name": "guestbook-ui", "ports": [{"containerPort": 80}]}]},
                    },
                },
            },
        ],
    }


@pytest.mark.parametrize("engine", ENGINES)
def test_deployment_mixins_deep_tree(ks, engine):
    code = PRELUDE + """
deployment.new("web", 1, [container.new("web", "nginx")])
+ deployment.mixin.metadata.withNamespace("prod")
+ deployment.mixin.metadata.withLabels({tier: "front"})
+ deployment.mixin.metadata.withLabelsMixin({team: "a"})
+ deployment.mixin.spec.withMinReadySeconds(5)
+ deployment.mixin.spec.strategy.rollingUpdate.withMaxSurge(1)
+ deployment.mixin.spec.template.spec.withServiceAccountName("runner")
+ deployment.mixin.spec.template.spec.withVolumesMixin([{name: "data", emptyDir: {}}])
+ deployment.mixin.spec.template.spec.securityContext.withRunAsUser(1000)
+ deployment.mixin.spec.selector.withMatchLabels({app: "web"})
"""
    assert ks(code, engine=engine) == {
        "apiVersion": "apps/v1beta1",
        "kind": "Deployment",
        "metadata": {"labels": {"team": "a", "tier": "front"}, "name": "web", "namespace": "prod"},
        "spec": {
            "minReadySeconds": 5,
            "replicas": 1,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {"rollingUpdate": {"maxSurge": 1}},
            "template": {
                # ksonnet-lib's (and Tanka's) podLabels default is the literal {app: 'name'}
                "metadata": {"labels": {"app": "name"}},
                "spec": {
                    "containers": [{"image": "nginx", "name": "web"}],
                    "securityContext": {"runAsUser": 1000},
                    "serviceAccountName": "runner",
                    "volumes": [{"emptyDir": {}, "name": "data"}],
                },
            },
        },
    }


def test_kubeflow_03_tf_job_operator_calls(ks):
    """The k.libsonnet surface kubeflow v0.3/v0.4 (tf-job-operator.libsonnet, util) calls."""
    code = """
local k = import "k.libsonnet";
local deployment = k.apps.v1beta1.deployment;
local c = deployment.mixin.spec.template.spec.containersType;
local base = {apiVersion: "apps/v1beta1", kind: "Deployment",
              spec: {template: {spec: {containers: [{name: "tf-job-operator", image: "img"}, {name: "side", image: "s"}]}}}};
local d = base
  + deployment.mixin.metadata.withName("tf-job-operator")
  + deployment.mixin.metadata.withNamespace("kubeflow")
  + deployment.mapContainers(function(x) x + c.withEnvMixin([{name: "A", value: "1"}]) + c.withCommand(["/op"])
                                        + c.withVolumeMountsMixin([{name: "cfg", mountPath: "/etc/config"}]))
  + deployment.mixin.spec.template.spec.withVolumesMixin([{name: "cfg", configMap: {name: "tf-job-operator-config"}}]);
local role = k.rbac.v1beta1.role;
local rules = role.rulesType;
{
  d: d,
  role: role.new() + role.mixin.metadata.withName("r") + role.mixin.metadata.withNamespace("kubeflow")
        + role.withRulesMixin([rules.new() + rules.withApiGroupsMixin(["kubeflow.org"]) + rules.withResourcesMixin(["tfjobs"])
                               + rules.withVerbsMixin(["*"])]),
  kinds: [k.rbac.v1beta1.role.new().kind, k.rbac.v1beta1.roleBinding.new().kind,
          k.rbac.v1beta1.clusterRole.new().kind, k.rbac.v1beta1.clusterRoleBinding.new().kind],
}
"""
    out = ks(code)
    assert out["kinds"] == ["Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"]
    assert out["role"] == {
        "apiVersion": "rbac.authorization.k8s.io/v1beta1", "kind": "Role",
        "metadata": {"name": "r", "namespace": "kubeflow"},
        "rules": [{"apiGroups": ["kubeflow.org"], "resources": ["tfjobs"], "verbs": ["*"]}],
    }
    patched = {"command": ["/op"], "env": [{"name": "A", "value": "1"}],
               "volumeMounts": [{"mountPath": "/etc/config", "name": "cfg"}]}
    assert out["d"] == {
        "apiVersion": "apps/v1beta1", "kind": "Deployment",
        "metadata": {"name": "tf-job-operator", "namespace": "kubeflow"},
        "spec": {"template": {"spec": {
            "containers": [{"name": "tf-job-operator", "image": "img", **patched}, {"name": "side", "image": "s", **patched}],
            "volumes": [{"configMap": {"name": "tf-job-operator-config"}, "name": "cfg"}],
        }}},
    }


def test_map_containers_with_name_only_touches_named(ks):
    code = PRELUDE + """
deployment.new("d", 1, [container.new("a", "ia"), container.new("b", "ib")], {app: "d"})
+ deployment.mapContainersWithName(["b"], function(c) c + container.withImagePullPolicy("Always"))
"""
    out = ks(code)
    assert out["spec"]["template"]["spec"]["containers"] == [
        {"name": "a", "image": "ia"}, {"name": "b", "image": "ib", "imagePullPolicy": "Always"}]


def test_rbac_bindings_and_service_account(ks):
    code = """
local k = import "k.libsonnet";
local sa = k.core.v1.serviceAccount;
local crb = k.rbac.v1beta1.clusterRoleBinding;
local subject = crb.subjectsType;
[
  sa.new("runner") + sa.mixin.metadata.withNamespace("ml"),
  crb.new() + crb.mixin.metadata.withName("runner")
  + crb.mixin.roleRef.withApiGroup("rbac.authorization.k8s.io") + crb.mixin.roleRef.withKind("ClusterRole")
  + crb.mixin.roleRef.withName("edit")
  + crb.withSubjects(subject.new() + subject.withKind("ServiceAccount") + subject.withName("runner") + subject.withNamespace("ml")),
]
"""
    assert ks(code) == [
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "runner", "namespace": "ml"}},
        {
            "apiVersion": "rbac.authorization.k8s.io/v1beta1", "kind": "ClusterRoleBinding",
            "metadata": {"name": "runner"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "edit"},
            "subjects": [{"kind": "ServiceAccount", "name": "runner", "namespace": "ml"}],
        },
    ]


def test_list_helpers(ks):
    code = """
local k = import "k.libsonnet";
local list = k.core.v1.list;
{
  one: list.new({kind: "A"}),
  many: list.new([{kind: "A"}, {kind: "B"}]) + list.items({kind: "C"}),
  typed: k.apps.v1beta1.deploymentList.new([{kind: "Deployment"}]),
}
"""
    assert ks(code) == {
        "one": {"apiVersion": "v1", "kind": "List", "items": [{"kind": "A"}]},
        "many": {"apiVersion": "v1", "kind": "List", "items": [{"kind": "A"}, {"kind": "B"}, {"kind": "C"}]},
        "typed": {"apiVersion": "apps/v1beta1", "kind": "DeploymentList", "items": [{"kind": "Deployment"}]},
    }


def test_env_override_main_jsonnet_style(ks):
    """environments/<env>/main.jsonnet: base + {"c"+: deployment.mixin...} patches one component."""
    code = """
local k = import "k.libsonnet";
local deployment = k.extensions.v1beta1.deployment;
local base = {
  web: deployment.new("web", 1, [{name: "web", image: "nginx"}], {app: "web"}),
  other: {apiVersion: "v1", kind: "ConfigMap", metadata: {name: "o"}},
};
base + {
  web+: deployment.mixin.metadata.withLabels({env: "prod"}) + deployment.mixin.spec.withReplicas(3),
}
"""
    assert ks(code) == {
        "web": {
            "apiVersion": "extensions/v1beta1", "kind": "Deployment",
            "metadata": {"labels": {"env": "prod"}, "name": "web"},
            "spec": {"replicas": 3, "template": {"metadata": {"labels": {"app": "web"}},
                                                 "spec": {"containers": [{"image": "nginx", "name": "web"}]}}},
        },
        "other": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "o"}},
    }


def test_custom_constructors(ks):
    code = """
local k = import "k.libsonnet";
local v1 = k.core.v1;
local c = k.apps.v1beta1.deployment.mixin.spec.template.spec.containersType;
local vol = k.apps.v1beta1.deployment.mixin.spec.template.spec.volumesType;
{
  cm: v1.configMap.new("cfg", {a: "1"}),
  secret: v1.secret.new("s", {k: "dg=="}),
  ns: v1.namespace.new("ml"),
  env: [c.envType.new("A", "1"), c.envType.fromSecretRef("B", "sec", "key"), c.envType.fromFieldPath("C", "metadata.name")],
  mounts: [c.volumeMountsType.new("data", "/data"), c.volumeMountsType.new("ro", "/ro", true)],
  ports: [c.portsType.newNamed(8080, "http"), v1.service.mixin.spec.portsType.newNamed("http", 80, "http")],
  vols: [vol.fromConfigMap("v1", "cm", [{key: "a", path: "a"}]), vol.fromEmptyDir("v2"),
         vol.fromPersistentVolumeClaim("v3", "claim"), vol.fromHostPath("v4", "/h"), vol.fromSecret("v5", "s")],
  sts: k.apps.v1beta1.statefulSet.new("db", 2, [{name: "db"}], [{metadata: {name: "pvc"}}], {app: "db"}),
  scale: k.apps.v1beta1.scale.new(4),
}
"""
    assert ks(code) == {
        "cm": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"a": "1"}},
        "secret": {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "data": {"k": "dg=="},
                   "type": "Opaque"},
        "ns": {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "ml"}},
        "env": [
            {"name": "A", "value": "1"},
            {"name": "B", "valueFrom": {"secretKeyRef": {"key": "key", "name": "sec"}}},
            {"name": "C", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
        ],
        "mounts": [{"name": "data", "mountPath": "/data", "readOnly": False},
                   {"name": "ro", "mountPath": "/ro", "readOnly": True}],
        "ports": [{"containerPort": 8080, "name": "http"}, {"name": "http", "port": 80, "targetPort": "http"}],
        "vols": [
            {"name": "v1", "configMap": {"name": "cm", "items": [{"key": "a", "path": "a"}]}},
            {"name": "v2", "emptyDir": {}},
            {"name": "v3", "persistentVolumeClaim": {"claimName": "claim"}},
            {"name": "v4", "hostPath": {"path": "/h"}},
            {"name": "v5", "secret": {"secretName": "s"}},
        ],
        "sts": {
            "apiVersion": "apps/v1beta1", "kind": "StatefulSet", "metadata": {"name": "db"},
            "spec": {"replicas": 2, "volumeClaimTemplates": [{"metadata": {"name": "pvc"}}],
                     "template": {"metadata": {"labels": {"app": "db"}}, "spec": {"containers": [{"name": "db"}]}}},
        },
        "scale": {"apiVersion": "apps/v1beta1", "kind": "Scale", "spec": {"replicas": 4}},
    }


def test_chaining_and_mixin_instance(ks):
    code = """
local k = import "k.libsonnet";
local c = k.core.v1.container;
local d = k.apps.v1beta1.deployment;
{
  chained: c.new("a", "img").withArgs("--x").withArgsMixin(["--y"]),
  inst: {} + d.mixin.spec.template.mixinInstance({metadata: {annotations: {x: "1"}}}),
}
"""
    assert ks(code) == {
        "chained": {"name": "a", "image": "img", "args": ["--x", "--y"]},
        "inst": {"spec": {"template": {"metadata": {"annotations": {"x": "1"}}}}},
    }


@pytest.mark.parametrize("engine", ENGINES)
def test_modern_version_apps_v1(ks, engine):
    code = """
local k = import "k.libsonnet";
local d = k.apps.v1.deployment;
local c = k.core.v1.container;
d.new("api", 2, [c.new("api", "img:1") + c.withPorts([k.core.v1.containerPort.newNamed(8080, "http")])], {app: "api"})
+ d.mixin.spec.selector.withMatchLabels({app: "api"})
+ d.mixin.spec.template.spec.withServiceAccountName("api")
"""
    assert ks(code, version="v1.30.0", engine=engine) == {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api"},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "api"}},
            "template": {
                "metadata": {"labels": {"app": "api"}},
                "spec": {"containers": [{"image": "img:1", "name": "api", "ports": [{"containerPort": 8080, "name": "http"}]}],
                         "serviceAccountName": "api"},
            },
        },
    }


@pytest.mark.parametrize("engine", ENGINES)
def test_acronym_names_follow_ksonnet_gen(ks, engine):
    """ksonnet-lib spelled acronyms ksonnet-gen's way: withClusterIp, withHostIpc, downwardApi, withPodCidr."""
    code = PRELUDE + """
local pod = k.core.v1.pod;
{
  svc: service.new("h", {app: "h"}, servicePort.new(80, 80)) + service.mixin.spec.withClusterIp("None")
       + service.mixin.spec.withExternalIps(["1.2.3.4"]),
  pod: pod.new() + pod.mixin.spec.withHostIpc(true) + pod.mixin.spec.withHostPid(false),
  vol: pod.mixin.spec.volumesType.new() + pod.mixin.spec.volumesType.mixin.downwardApi.withDefaultMode(420),
}
"""
    out = ks(code, engine=engine)
    assert out["svc"]["spec"] == {"clusterIP": "None", "externalIPs": ["1.2.3.4"], "ports": [{"port": 80, "targetPort": 80}],
                                  "selector": {"app": "h"}}
    assert out["pod"]["spec"] == {"hostIPC": True, "hostPID": False}
    assert out["vol"] == {"downwardAPI": {"defaultMode": 420}}
