local op = import "../training-operator.libsonnet";
local up = import "../upstream/upstream.libsonnet";

local render(params) = op.new({ namespace: "env-ns" }, { name: "to" } + params);
local names(objs) = [o.kind + "/" + o.metadata.name for o in objs];
local find(objs, kind) = [o for o in objs if o.kind == kind][0];

// defaults: the release's objects, CRDs first
std.assertEqual(render({}), [up.crds[c] for c in std.objectFields(up.crds)] + up.variants.standalone) &&
// enabledKinds: only those CRDs and webhooks, and the scheme flags (any case, any spacing)
local two = render({ enabledKinds: "TFJob, pytorchjob" });
std.assertEqual([o.metadata.name for o in two if o.kind == "CustomResourceDefinition"], ["pytorchjobs.kubeflow.org", "tfjobs.kubeflow.org"]) &&
std.assertEqual([w.name for w in find(two, "ValidatingWebhookConfiguration").webhooks],
                ["validator.pytorchjob.training-operator.kubeflow.org", "validator.tfjob.training-operator.kubeflow.org"]) &&
std.assertEqual(find(two, "Deployment").spec.template.spec.containers[0].args, ["--enable-scheme=pytorchjob", "--enable-scheme=tfjob"]) &&
// installCrds=false keeps the controller, drops the CRDs
std.assertEqual([o for o in render({ installCrds: "false" }) if o.kind == "CustomResourceDefinition"], []) &&
// namespace: everything moves, including the references
local moved = render({ namespace: "training", createNamespace: false });
std.assertEqual(std.member(names(moved), "Namespace/kubeflow"), false) &&
std.assertEqual(std.set([o.metadata.namespace for o in moved if std.objectHas(o.metadata, "namespace")]), ["training"]) &&
std.assertEqual(find(moved, "ClusterRoleBinding").subjects[0].namespace, "training") &&
std.assertEqual(std.set([w.clientConfig.service.namespace for w in find(moved, "ValidatingWebhookConfiguration").webhooks]), ["training"]) &&
// namespace "null": the environment's
std.assertEqual(find(render({ namespace: "null" }), "Deployment").metadata.namespace, "env-ns") &&
// images: mirror, tag, full override
std.assertEqual(find(render({ imageRegistry: "mirror.local:5000/" }), "Deployment").spec.template.spec.containers[0].image,
                "mirror.local:5000/kubeflow/training-v1/training-operator:v1-93c5489") &&
std.assertEqual(find(render({ imageTag: "v1-abc" }), "Deployment").spec.template.spec.containers[0].image,
                "ghcr.io/kubeflow/training-v1/training-operator:v1-abc") &&
std.assertEqual(find(render({ image: "me/op:1", imageRegistry: "m.local" }), "Deployment").spec.template.spec.containers[0].image,
                "m.local/me/op:1") &&
// placement and size
local placed = find(render({ replicas: "2", nodeSelector: '{"infra": "true"}', tolerations: [{ key: "infra", operator: "Exists" }],
                             resources: { limits: { cpu: "1" } } }), "Deployment");
std.assertEqual(placed.spec.replicas, 2) &&
std.assertEqual(placed.spec.template.spec.nodeSelector, { infra: "true" }) &&
std.assertEqual(placed.spec.template.spec.tolerations, [{ key: "infra", operator: "Exists" }]) &&
std.assertEqual(placed.spec.template.spec.containers[0].resources, { limits: { cpu: "1" } }) &&
std.assertEqual(find(render({ gangSchedulerName: "volcano" }), "Deployment").spec.template.spec.containers[0].args, ["--gang-scheduler-name=volcano"])
