// @apiVersion 0.1
// @name io.ksonnet.pkg.kubeflow-platform
// @description An ML platform from the built-in packages, a switch each, every package the upstream release's objects in its own namespace: training (training-operator v1.9.4: TFJob, PyTorchJob, MPIJob v1, XGBoostJob, PaddleJob, JAXJob), trainer (Trainer v2.3.0 with JobSet), kueue (Kueue v0.19.2, its integrations matched to the training operator), serving (KServe v0.20.0 in Standard mode, with cert-manager v1.21.1 unless certManager=false), tuning (Katib v0.19.0), notebooks (the Kubeflow Notebooks v1.11.0 controller), workflows (Argo Workflows v4.1.2), gpu (the GPU stack the platform profile picks). kfctl apply orders it: CRDs, then the controllers, then what their webhooks admit.
// @shortDescription An ML platform: training, queues, serving, tuning, notebooks, workflows, GPUs.
// @param name string Name of the component
// @optionalParam training string true training-operator v1.9.4 (kubeflow.org/v1 TFJob, PyTorchJob, MPIJob, XGBoostJob, PaddleJob, JAXJob).
// @optionalParam trainer string false Kubeflow Trainer v2.3.0 (TrainJob; JobSet v0.12.0 bundled).
// @optionalParam kueue string true Kueue v0.19.2 (team quotas: the team-queues prototype), managing the training operator's jobs too.
// @optionalParam serving string true KServe v0.20.0 in Standard mode (the inference-service prototype).
// @optionalParam certManager string true cert-manager v1.21.1 for KServe's webhook certificates (false: installed separately).
// @optionalParam tuning string true Katib v0.19.0 with MySQL (the katib-experiment prototype).
// @optionalParam notebooks string true The Kubeflow Notebooks v1.11.0 notebook controller (the notebook prototype).
// @optionalParam workflows string true Argo Workflows v4.1.2 (the workflow prototype).
// @optionalParam gpu string false The GPU stack of the platform profile (gpuStack: NVIDIA device plugin v0.20.0 or GPU Operator v26.7.0).
// @optionalParam installCrds string true Render the packages' CRDs (false: managed elsewhere).
// @optionalParam imageRegistry string null Registry mirror for every image of every package (null: upstream registries).
// @optionalParam gpuStack string device-plugin GPU stack: device-plugin, gpu-operator or none (the platform profile sets it).
// @optionalParam gpuDriver string true GPU Operator: install the driver (the platform profile sets it).
// @optionalParam gpuToolkit string true GPU Operator: install the container toolkit (the platform profile sets it).
// @optionalParam gpuDriverInstallDir string null GPU Operator: host path of the driver (the platform profile sets it on GKE).
// @optionalParam gpuToolkitInstallDir string null GPU Operator: host path of the toolkit (the platform profile sets it on GKE).
// @optionalParam gpuNodeSelectorKey string null Device plugin: node label of GPU nodes (the platform profile sets it).
// @optionalParam gpuNodeSelectorValue string null Device plugin: required value of gpuNodeSelectorKey.
// @optionalParam gpuTolerationKey string nvidia.com/gpu Device plugin: taint key of GPU nodes (the platform profile sets it).

local platform = import "kubeflow/platform/platform.libsonnet";

platform.list(platform.new(env, params))
