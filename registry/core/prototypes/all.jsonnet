// @apiVersion 0.1
// @name io.ksonnet.pkg.kubeflow-core
// @description Kubeflow core components: JupyterHub, the TFJob operator (training-operator v1.9.4 serving kubeflow.org/v1 TFJob; its 2018 dashboard only when tfJobUiImage is set), the Ambassador gateway, the central dashboard and the kubeflow-version ConfigMap; NFS volumes when disks is set and usage reporting when reportUsage is true.
// @shortDescription Kubeflow core components. This currently includes JupyterHub and the TfJob controller.
// @param name string Name to give to each of the components
// @optionalParam namespace string null Namespace to use for the components. It is automatically inherited from the environment if not set.
// @optionalParam disks string null Comma separated list of volumes (PersistentVolumeClaims, mounted at /mnt/<disk> in notebooks).
// @optionalParam cloud string null Platform: gke, eks, aks, on-prem, kind or minikube; picks service types, storage and GPU defaults.
// @optionalParam tfAmbassadorServiceType string null Service type of the Ambassador gateway (null: LoadBalancer on gke/eks/aks, NodePort on on-prem/kind/minikube, else ClusterIP).
// @optionalParam tfJobImage string null The image for the TFJob operator (null: the training-operator v1.9.4 release image, ghcr.io/kubeflow/training-v1/training-operator:v1-93c5489).
// @optionalParam tfDefaultImage string null Kept for Kubeflow 0.1 apps; training-operator v1 has no default TensorFlow image, so it has no effect.
// @optionalParam tfJobUiServiceType string null The service type for the TFJob dashboard (null: NodePort on on-prem, else ClusterIP).
// @optionalParam tfJobUiImage string null The image for the 2018 TFJob dashboard (null: no dashboard; no current release ships one).
// @optionalParam jupyterHubServiceType string null The service type for JupyterHub (null: NodePort on on-prem, else ClusterIP).
// @optionalParam jupyterHubImage string gcr.io/kubeflow/jupyterhub-k8s:v20180531-3bb991b1 The image to use for JupyterHub.
// @optionalParam jupyterHubAuthenticator string null The authenticator to use: iap, remote-user, or null for the dummy authenticator.
// @optionalParam jupyterNotebookPVCMount string null Mount path of a per-user PersistentVolumeClaim in notebooks (null: no per-user storage).
// @optionalParam storageClass string null StorageClass for per-user and export volumes (null: the cloud's default class).
// @optionalParam nfsServer string null NFS server exporting the disks (on-prem); null runs an in-cluster NFS provisioner per disk.
// @optionalParam nfsPath string /exports Directory on nfsServer holding one export per disk.
// @optionalParam diskSize string 10Gi Size of each disk.
// @optionalParam gpuTolerationKey string null Taint key of GPU nodes that notebook pods tolerate (null: the cloud's, nvidia.com/gpu or sku on aks; none when cloud is unset).
// @optionalParam ambassadorImage string quay.io/datawire/ambassador:0.30.1 The image for the Ambassador gateway.
// @optionalParam statsdImage string quay.io/datawire/statsd:0.30.1 The image for the Ambassador statsd sidecar.
// @optionalParam centralUiImage string gcr.io/kubeflow-images-public/centraldashboard:v20180618-v0.2.0-rc.0-5-g715aafc8-e3b0c4 The image for the central dashboard.
// @optionalParam reportUsage string false Whether or not to report Kubeflow usage to kubeflow.org.
// @optionalParam usageId string unknown_cluster Optional id to use when reporting usage to kubeflow.org

local core = import "kubeflow/core/all.libsonnet";

core.list(core.parts(env, params).all)
