local core = import "../all.libsonnet";
local tfjob = import "../tf-job-operator.libsonnet";
local up = import "kubeflow/training-operator/upstream/upstream.libsonnet";

local cfg = core.config({ namespace: "test-kf-001" }, { name: "core", tfDefaultImage: "tensorflow/tensorflow:2.16.1" });
local parts = tfjob.parts(cfg);
local find(kind) = [o for o in parts.operator if o.kind == kind][0];
local released(kind) = [o for o in up.variants.standalone if o.kind == kind][0];

// the released objects, moved to the component's namespace; no Namespace object (the env's)
std.assertEqual([o.kind for o in parts.operator], [
  "CustomResourceDefinition", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Secret", "Service",
  "Deployment", "ValidatingWebhookConfiguration",
]) &&
std.assertEqual(find("CustomResourceDefinition"), up.crds["tfjobs.kubeflow.org"]) &&
std.assertEqual(find("ClusterRole"), released("ClusterRole")) &&
std.assertEqual(find("ServiceAccount"), released("ServiceAccount") { metadata+: { namespace: "test-kf-001" } }) &&
std.assertEqual(find("ClusterRoleBinding").subjects, [{ kind: "ServiceAccount", name: "training-operator", namespace: "test-kf-001" }]) &&
// TFJob only: the scheme flag and the TFJob webhook, its service in the component's namespace
std.assertEqual(find("Deployment").spec.template.spec.containers[0].args, ["--enable-scheme=tfjob"]) &&
std.assertEqual(find("Deployment").spec.template.spec.containers[0].image, "ghcr.io/kubeflow/training-v1/training-operator:v1-93c5489") &&
std.assertEqual([w.name for w in find("ValidatingWebhookConfiguration").webhooks], ["validator.tfjob.training-operator.kubeflow.org"]) &&
std.assertEqual(find("ValidatingWebhookConfiguration").webhooks[0].clientConfig.service,
                { name: "training-operator", namespace: "test-kf-001", path: "/validate-kubeflow-org-v1-tfjob" }) &&
// tfJobImage still picks the controller image
std.assertEqual(
  [o for o in tfjob.parts(core.config({ namespace: "x" }, { name: "core", tfJobImage: "mirror.local/to:v1" })).operator if o.kind == "Deployment"][0].spec.template.spec.containers[0].image,
  "mirror.local/to:v1"
) &&
// the 2018 dashboard only when its image is given; its service type follows the cloud
std.assertEqual(parts.dashboard, []) &&
std.assertEqual(
  tfjob.parts(core.config({ namespace: "x" }, { name: "core", cloud: "on-prem", tfJobUiImage: "ui:1" })).tfUiService.spec.type,
  "NodePort"
) &&
std.assertEqual(std.length(tfjob.parts(core.config({ namespace: "x" }, { name: "core", tfJobUiImage: "ui:1" })).all), 13) &&
std.assertEqual(std.length(parts.all), 8)
