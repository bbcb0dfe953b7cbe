// @apiVersion 0.1
// @name io.ksonnet.pkg.gpu-operator
// @description The NVIDIA GPU Operator v26.7.0 as released (NVIDIA/gpu-operator chart deployments/gpu-operator, helm template without hooks): the operator, Node Feature Discovery 0.19.0, their CRDs and RBAC, and the ClusterPolicy that installs the driver 595.91.07, container toolkit v1.20.0, device plugin v0.20.0, GFD, DCGM exporter and MIG manager on GPU nodes. driver/toolkit and their host paths follow the cloud (see gpu-stack).
// @shortDescription NVIDIA GPU Operator v26.7.0
// @param name string Name of the component
// @optionalParam namespace string gpu-operator Namespace of the operator (null: the environment's).
// @optionalParam createNamespace string true Render the Namespace object (helm install --create-namespace).
// @optionalParam installCrds string true Render the CRDs.
// @optionalParam image string null Operator image (null: the release's nvcr.io/nvidia/gpu-operator:v26.7.0).
// @optionalParam imageTag string null Tag of the operator image.
// @optionalParam imageRegistry string null Registry mirror for the operator, NFD and every operand (ClusterPolicy repositories).
// @optionalParam driver string true Install the NVIDIA driver on GPU nodes (false where the cloud or the node image ships it).
// @optionalParam toolkit string true Install the NVIDIA container toolkit.
// @optionalParam driverInstallDir string null Host path of the driver (null: the release's /run/nvidia/driver; GKE: /home/kubernetes/bin/nvidia).
// @optionalParam toolkitInstallDir string null Host path of the toolkit (null: the release's /usr/local/nvidia; GKE: /home/kubernetes/bin/nvidia).
// @optionalParam migStrategy string null MIG strategy: none, single or mixed (null: the release's single).
// @optionalParam dcgmExporter string true Run the DCGM exporter (GPU metrics).
// @optionalParam nfd string true Deploy Node Feature Discovery (false when NFD runs already).
// @optionalParam replicas string null Operator replicas (null: the release's).
// @optionalParam resources object null Operator container resources (null: the release's).
// @optionalParam nodeSelector object null Node selector of the operator pods (null: the release's).
// @optionalParam tolerations array null Tolerations of the operator pods (null: the release's).

local op = import "kubeflow/gpu/gpu-operator.libsonnet";

op.list(op.new(env, params))
