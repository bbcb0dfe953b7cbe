// @apiVersion 0.1
// @name io.ksonnet.pkg.notebook
// @description A Kubeflow Notebook (kubeflow.org/v1, served by the notebook controller of Kubeflow Notebooks v1.11.0) as its Jupyter web app creates one: a notebook-server image, CPU and memory requests with limits 1.2x, GPUs, and a workspace PersistentVolumeClaim mounted at /home/jovyan. The controller runs it as a StatefulSet with a Service on port 80.
// @shortDescription A Kubeflow Notebook server with a workspace volume (CPU or GPU).
// @param name string Name of the Notebook
// @optionalParam namespace string null Namespace of the Notebook (null: the environment's).
// @optionalParam image string ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-scipy:v1.11.0 Notebook-server image (CUDA images: jupyter-pytorch-cuda-full, jupyter-tensorflow-cuda-full).
// @optionalParam serverType string jupyter jupyter, group-one (VS Code) or group-two (RStudio): how the web app shows it.
// @optionalParam cpu string 0.5 CPU request (limit: limitFactor times it).
// @optionalParam memory string 1Gi Memory request (limit: limitFactor times it).
// @optionalParam limitFactor string 1.2 Limits as a multiple of the requests (1: limits equal requests).
// @optionalParam num_gpus number 0 GPUs of the notebook.
// @optionalParam gpuVendor string nvidia.com/gpu Extended resource of the GPUs: nvidia.com/gpu, amd.com/gpu, habana.ai/gaudi.
// @optionalParam workspacePvc string null PersistentVolumeClaim of the workspace (null: <name>-workspace; none: no workspace volume).
// @optionalParam workspaceSize string 5Gi Size of the workspace claim this component creates.
// @optionalParam createWorkspace string true Render the workspace claim (false: use an existing one).
// @optionalParam storageClass string null StorageClass of the workspace claim (null: the cluster default).
// @optionalParam mountPath string /home/jovyan Where the workspace is mounted.
// @optionalParam shm string true Mount a memory-backed /dev/shm (PyTorch data loaders need more than the default 64Mi).
// @optionalParam serviceAccountName string null Service account of the notebook pod (null: the namespace's default).
// @optionalParam gpuNodeSelectorKey string null Node label of GPU nodes (null: the platform profile's, else none).
// @optionalParam gpuNodeSelectorValue string null Value of that label (null: any value).
// @optionalParam gpuTolerationKey string null Taint key of GPU nodes that GPU notebooks tolerate (null: the platform profile's, else none).

local notebook = import "kubeflow/notebooks/notebook.libsonnet";

notebook.list(notebook.new(env, params))
