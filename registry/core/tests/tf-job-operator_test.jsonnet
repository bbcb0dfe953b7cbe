local core = import "../all.libsonnet";
local tfjob = import "../tf-job-operator.libsonnet";

local cfg = core.config({ namespace: "test-kf-001" }, { name: "core", tfDefaultImage: "tensorflow/tensorflow:2.16.1" });
local parts = tfjob.parts(cfg);

std.assertEqual(parts.tfConfigMap, {
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "tf-job-operator-config", namespace: "test-kf-001" },
  data: {
    "controller_config_file.yaml": std.manifestJson({
      grpcServerFilePath: "/opt/mlkube/grpc_tensorflow_server/grpc_tensorflow_server.py",
      tfImage: "tensorflow/tensorflow:2.16.1",
    }),
  },
}) &&
std.assertEqual(parts.tfServiceAccount, {
  apiVersion: "v1",
  kind: "ServiceAccount",
  metadata: { name: "tf-job-operator", namespace: "test-kf-001", labels: { app: "tf-job-operator" } },
}) &&
std.assertEqual(parts.tfOperatorRoleBinding, {
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind: "ClusterRoleBinding",
  metadata: { name: "tf-job-operator", labels: { app: "tf-job-operator" } },
  roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "tf-job-operator" },
  subjects: [{ kind: "ServiceAccount", name: "tf-job-operator", namespace: "test-kf-001" }],
}) &&
// the CRD: kubeflow.org/v1 only, namespaced, status subresource, structural schema requiring tfReplicaSpecs
std.assertEqual(parts.tfJobCrd.apiVersion, "apiextensions.k8s.io/v1") &&
std.assertEqual(std.objectHas(parts.tfJobCrd.metadata, "namespace"), false) &&
std.assertEqual(parts.tfJobCrd.spec.scope, "Namespaced") &&
std.assertEqual([v.name for v in parts.tfJobCrd.spec.versions], ["v1"]) &&
std.assertEqual(parts.tfJobCrd.spec.versions[0].subresources, { status: {} }) &&
std.assertEqual(parts.tfJobCrd.spec.versions[0].schema.openAPIV3Schema.properties.spec.required, ["tfReplicaSpecs"]) &&
std.assertEqual(
  std.objectFields(parts.tfJobCrd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.tfReplicaSpecs.properties),
  ["Chief", "Evaluator", "Master", "PS", "Worker"]
) &&
// the operator: apps/v1 with a selector matching the pod labels, TFJob scheme only
std.assertEqual(parts.tfJobDeploy.apiVersion, "apps/v1") &&
std.assertEqual(parts.tfJobDeploy.spec.selector.matchLabels, parts.tfJobDeploy.spec.template.metadata.labels) &&
std.assertEqual(parts.tfJobDeploy.spec.template.spec.containers[0].args, ["--enable-scheme=tfjob"]) &&
std.assertEqual(parts.tfJobDeploy.spec.template.spec.containers[0].image, "kubeflow/training-operator:v1-855e096") &&
std.assertEqual(parts.tfUiService.spec.type, "ClusterIP") &&
std.assertEqual(
  tfjob.parts(core.config({ namespace: "x" }, { name: "core", cloud: "on-prem" })).tfUiService.spec.type,
  "NodePort"
) &&
std.assertEqual(std.length(parts.all), 11)
