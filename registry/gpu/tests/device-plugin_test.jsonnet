local plugin = import "../device-plugin.libsonnet";

local ds(params) = plugin.new({ namespace: "kf" }, { name: "nvidia-device-plugin" } + params);

std.assertEqual(ds({}).metadata.namespace, "kube-system") &&
std.assertEqual(ds({ namespace: "null" }).metadata.namespace, "kf") &&
std.assertEqual(ds({}).spec.selector.matchLabels, ds({}).spec.template.metadata.labels) &&
std.assertEqual(ds({}).spec.template.spec.priorityClassName, "system-node-critical") &&
std.assertEqual(ds({ priorityClassName: "null" }).spec.template.spec.priorityClassName, null) &&
std.assertEqual(ds({}).spec.template.spec.tolerations[0], { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }) &&
std.assertEqual(ds({}).spec.template.spec.containers[0].env, [
  { name: "FAIL_ON_INIT_ERROR", value: "true" },
  { name: "MIG_STRATEGY", value: "none" },
]) &&
std.assertEqual(ds({ failOnInitError: false, migStrategy: "Mixed" }).spec.template.spec.containers[0].env, [
  { name: "FAIL_ON_INIT_ERROR", value: "false" },
  { name: "MIG_STRATEGY", value: "mixed" },
]) &&
std.assertEqual(ds({ gpuNodeSelectorKey: "nvidia.com/gpu.present", gpuNodeSelectorValue: "true" }).spec.template.spec.nodeSelector, { "nvidia.com/gpu.present": "true" }) &&
std.assertEqual(ds({}).spec.template.spec.volumes[0].hostPath, { path: "/var/lib/kubelet/device-plugins", type: "Directory" })
