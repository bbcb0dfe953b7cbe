// The GPU setup the platform profile picks (gpuStack): the device plugin where the node image ships
// the driver and toolkit (EKS accelerated AMIs, minikube), the GPU Operator with the cloud's driver
// and toolkit settings elsewhere (GKE: Google's driver, GKE host paths; AKS node pools created with
// --gpu-driver none; on-prem: everything), or nothing (kind).
local plugin = import "kubeflow/gpu/device-plugin.libsonnet";
local operator = import "kubeflow/gpu/gpu-operator.libsonnet";
local lib = import "kubeflow/gpu/upstream/gpu-operator/lib.libsonnet";

{
  new(env, params)::
    local p = { gpuStack: "device-plugin", gpuDriver: "true", gpuToolkit: "true", gpuDriverInstallDir: "null",
                gpuToolkitInstallDir: "null", imageRegistry: "null", migStrategy: "null",
                gpuNodeSelectorKey: "null", gpuNodeSelectorValue: "null", gpuTolerationKey: "nvidia.com/gpu" } + params;
    local stack = std.asciiLower(lib.orDefault(p.gpuStack, "device-plugin"));
    assert std.member(["device-plugin", "gpu-operator", "none"], stack) :
           "gpu-stack: gpuStack must be device-plugin, gpu-operator or none, got " + stack;
    if stack == "device-plugin" then [plugin.new(env, {
      name: "nvidia-device-plugin-daemonset", imageRegistry: p.imageRegistry,
      gpuNodeSelectorKey: p.gpuNodeSelectorKey, gpuNodeSelectorValue: p.gpuNodeSelectorValue,
      gpuTolerationKey: p.gpuTolerationKey,
      migStrategy: if lib.isSet(p.migStrategy) then p.migStrategy else "none",
    })]
    else if stack == "gpu-operator" then operator.new(env, {
      imageRegistry: p.imageRegistry, driver: p.gpuDriver, toolkit: p.gpuToolkit,
      driverInstallDir: p.gpuDriverInstallDir, toolkitInstallDir: p.gpuToolkitInstallDir, migStrategy: p.migStrategy,
    })
    else [],
}
