// @apiVersion 0.1
// @name io.ksonnet.pkg.nvidia-device-plugin
// @description The NVIDIA device plugin v0.20.0 DaemonSet as released (NVIDIA/k8s-device-plugin deployments/static/nvidia-device-plugin.yml): advertises nvidia.com/gpu on GPU nodes so pods (training jobs, TF Serving) can request GPUs. Nodes need the NVIDIA driver and container toolkit (EKS accelerated AMIs have them; elsewhere use gpu-operator).
// @shortDescription NVIDIA GPU device plugin v0.20.0
// @param name string Name of the DaemonSet
// @optionalParam namespace string kube-system Namespace of the DaemonSet.
// @optionalParam image string null The device plugin image (null: the release's nvcr.io/nvidia/k8s-device-plugin:v0.20.0).
// @optionalParam imageRegistry string null Registry mirror that replaces the image's registry (null: nvcr.io).
// @optionalParam priorityClassName string system-node-critical Priority class of the plugin pods (null: none).
// @optionalParam gpuNodeSelectorKey string null Node label of GPU nodes; the plugin runs only there (null: every node).
// @optionalParam gpuNodeSelectorValue string null Required value of gpuNodeSelectorKey (null: any node carrying the label).
// @optionalParam gpuTolerationKey string nvidia.com/gpu Taint key of GPU nodes the plugin tolerates.
// @optionalParam failOnInitError string true Fail when the plugin cannot initialise NVML (set false on mixed CPU/GPU node pools).
// @optionalParam migStrategy string none How MIG devices are exposed: none, single or mixed.

local plugin = import "kubeflow/gpu/device-plugin.libsonnet";

plugin.list([plugin.new(env, params)])
