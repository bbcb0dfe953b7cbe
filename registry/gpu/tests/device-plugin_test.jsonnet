local plugin = import "../device-plugin.libsonnet";
local up = import "../upstream/device-plugin/upstream.libsonnet";

local ds(params) = plugin.new({ namespace: "kf" }, { name: "nvidia-device-plugin-daemonset" } + params);

// defaults: the release's DaemonSet
std.assertEqual(ds({}), up.variants.static[0]) &&
std.assertEqual(ds({ namespace: "null" }).metadata.namespace, "kf") &&
std.assertEqual(plugin.new({}, { name: "gpu-plugin" }).metadata.name, "gpu-plugin") &&
std.assertEqual(ds({}).spec.template.spec.priorityClassName, "system-node-critical") &&
std.assertEqual(std.objectHas(ds({ priorityClassName: "null" }).spec.template.spec, "priorityClassName"), false) &&
std.assertEqual(ds({ gpuTolerationKey: "sku" }).spec.template.spec.tolerations, [{ key: "sku", operator: "Exists", effect: "NoSchedule" }]) &&
std.assertEqual(ds({ gpuTolerationKey: "null" }).spec.template.spec.tolerations, []) &&
// the plugin's switches become env only when they differ from the plugin's defaults
std.assertEqual(ds({}).spec.template.spec.containers[0].env, []) &&
std.assertEqual(ds({ failOnInitError: false, migStrategy: "Mixed" }).spec.template.spec.containers[0].env, [
  { name: "FAIL_ON_INIT_ERROR", value: "false" },
  { name: "MIG_STRATEGY", value: "mixed" },
]) &&
std.assertEqual(ds({ gpuNodeSelectorKey: "nvidia.com/gpu.present", gpuNodeSelectorValue: "true" }).spec.template.spec.nodeSelector, { "nvidia.com/gpu.present": "true" }) &&
std.assertEqual(ds({ imageRegistry: "m.local" }).spec.template.spec.containers[0].image, "m.local/nvidia/k8s-device-plugin:v0.20.0") &&
std.assertEqual(ds({}).spec.template.spec.volumes[0].hostPath, { path: "/var/lib/kubelet/device-plugins", type: "Directory" })
