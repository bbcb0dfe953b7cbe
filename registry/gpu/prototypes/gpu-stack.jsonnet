// @apiVersion 0.1
// @name io.ksonnet.pkg.gpu-stack
// @description The GPU setup of the env's platform profile: gpuStack=device-plugin (the NVIDIA device plugin v0.20.0, where nodes ship driver and toolkit: EKS accelerated AMIs, minikube), gpu-operator (the NVIDIA GPU Operator v26.7.0 with the cloud's driver/toolkit settings: GKE uses Google's driver and GKE host paths; AKS node pools made with --gpu-driver none; on-prem installs everything) or none (kind). kfctl env add --platform gke|eks|aks|on-prem sets these params.
// @shortDescription The GPU stack the platform profile picks (device plugin or GPU Operator).
// @param name string Name of the component
// @optionalParam gpuStack string device-plugin device-plugin, gpu-operator or none (the platform profile sets it).
// @optionalParam gpuDriver string true GPU Operator: install the driver (the platform profile sets it).
// @optionalParam gpuToolkit string true GPU Operator: install the container toolkit (the platform profile sets it).
// @optionalParam gpuDriverInstallDir string null GPU Operator: host path of the driver (the platform profile sets it on GKE).
// @optionalParam gpuToolkitInstallDir string null GPU Operator: host path of the toolkit (the platform profile sets it on GKE).
// @optionalParam migStrategy string null MIG strategy: none, single or mixed (null: the release's).
// @optionalParam imageRegistry string null Registry mirror for every image.
// @optionalParam gpuNodeSelectorKey string null Device plugin: node label of GPU nodes (the platform profile sets it).
// @optionalParam gpuNodeSelectorValue string null Device plugin: required value of gpuNodeSelectorKey.
// @optionalParam gpuTolerationKey string nvidia.com/gpu Device plugin: taint key of GPU nodes (the platform profile sets it).

local stack = import "kubeflow/gpu/stack.libsonnet";
local lib = import "kubeflow/gpu/upstream/gpu-operator/lib.libsonnet";

lib.list(stack.new(env, params))
