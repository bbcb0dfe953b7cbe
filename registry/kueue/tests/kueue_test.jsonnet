local kueue = import "../kueue.libsonnet";
local tq = import "../team-queues.libsonnet";
local up = import "../upstream/upstream.libsonnet";

local config(params) = [o for o in kueue.new({}, { name: "k" } + params) if o.kind == "ConfigMap"][0].data["controller_manager_config.yaml"];
local released = [o for o in up.variants.manifests if o.kind == "ConfigMap"][0].data["controller_manager_config.yaml"];

// defaults: the release's config text, byte for byte; upstream leaves the v1 training-operator jobs off
std.assertEqual(config({}), released) &&
std.assertEqual(std.member(kueue.frameworks(released).enabled, "kubeflow.org/pytorchjob"), false) &&
std.assertEqual(std.member(kueue.frameworks(released).enabled, "trainer.kubeflow.org/trainjob"), true) &&
// trainingOperator=true uncomments them, disableFrameworks comments one out; comments elsewhere stay
std.assertEqual(std.setInter(std.set(kueue.frameworks(config({ trainingOperator: "true" })).enabled), std.set(kueue.trainingOperatorFrameworks)),
                std.set(kueue.trainingOperatorFrameworks)) &&
std.assertEqual(std.member(kueue.frameworks(config({ disableFrameworks: "ray.io/rayjob" })).enabled, "ray.io/rayjob"), false) &&
std.assertEqual(std.length(std.split(config({ trainingOperator: true }), "\n")), std.length(std.split(released, "\n"))) &&
// team-queues: flavors from the profile's GPU label and taint, a ClusterQueue and LocalQueue per team
local objs = tq.new({}, { name: "q", teams: [{ name: "a", cpu: 4, memory: "8Gi", gpu: 1, cohort: "ml", borrowingLimit: { gpu: 1 } }],
                          gpuNodeSelectorKey: "accelerator", gpuNodeSelectorValue: "nvidia", gpuTolerationKey: "sku" });
local find(kind, name) = [o for o in objs if o.kind == kind && o.metadata.name == name][0];
std.assertEqual(find("ResourceFlavor", "gpu-nvidia").spec, { nodeLabels: { accelerator: "nvidia" }, tolerations: [{ key: "sku", operator: "Exists", effect: "NoSchedule" }] }) &&
std.assertEqual(find("ClusterQueue", "a").spec.cohortName, "ml") &&
std.assertEqual(find("ClusterQueue", "a").spec.resourceGroups[1].flavors[0].resources, [{ name: "nvidia.com/gpu", nominalQuota: 1, borrowingLimit: 1 }]) &&
std.assertEqual(find("LocalQueue", "a").metadata.namespace, "a") &&
std.assertEqual(find("LocalQueue", "a").spec.clusterQueue, "a")
