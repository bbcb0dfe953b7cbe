// @apiVersion 0.1
// @name io.ksonnet.pkg.kubeflow-core
// @description Kubeflow core components, 2026: the TFJob operator (training-operator v1.9.4 serving kubeflow.org/v1 TFJob), the notebook controller (Kubeflow Notebooks v1.11.0, no Istio), Katib v0.19.0 (with MySQL) and JupyterHub (zero-to-jupyterhub 4.4.0, JupyterHub 5.5) for the Kubeflow 0.1 style of multi-user notebooks, each the upstream release's objects, in the component's namespace; the kubeflow-version ConfigMap; NFS volumes when disks is set. Kubeflow 0.1 params of components that are gone (Ambassador, the 2018 dashboard, usage reporting) are accepted and named in one warning.
// @shortDescription Kubeflow core components: the TFJob operator, notebooks, Katib and JupyterHub.
// @param name string Name to give to each of the components
// @optionalParam namespace string null Namespace to use for the components. It is automatically inherited from the environment if not set.
// @optionalParam disks string null Comma separated list of volumes (PersistentVolumeClaims, mounted at /mnt/<disk> in JupyterHub's notebooks).
// @optionalParam cloud string null Platform: gke, eks, aks, on-prem, kind or minikube; picks service types, storage and GPU defaults.
// @optionalParam tfJobImage string null The image for the TFJob operator (null: the training-operator v1.9.4 release image, ghcr.io/kubeflow/training-v1/training-operator:v1-93c5489).
// @optionalParam tfJobUiServiceType string null The service type for the TFJob dashboard (null: NodePort on on-prem, else ClusterIP).
// @optionalParam tfJobUiImage string null The image for the 2018 TFJob dashboard (null: no dashboard; no current release ships one).
// @optionalParam jupyterHub string true Deploy JupyterHub (zero-to-jupyterhub 4.4.0).
// @optionalParam jupyterHubServiceType string null The service type of JupyterHub's proxy-public Service (null: NodePort on on-prem, else ClusterIP).
// @optionalParam jupyterHubImage string null The JupyterHub hub image (null: quay.io/jupyterhub/k8s-hub:4.4.0; the 2018 gcr.io/kubeflow/jupyterhub-k8s images have no effect).
// @optionalParam jupyterHubAuthenticator string null The authenticator to use: iap, remote-user, or null for the dummy authenticator.
// @optionalParam jupyterHubSecret string null Secret the hub's proxy token, cookie secret and auth-state key derive from (e.g. openssl rand -hex 32; null: the vendored chart's placeholders, with a warning).
// @optionalParam jupyterNotebookPVCMount string null Mount path of a per-user PersistentVolumeClaim in notebooks (null: no per-user storage).
// @optionalParam notebookController string true Deploy the notebook controller (Notebook resources; the notebook prototype).
// @optionalParam katib string true Deploy Katib (Experiments; the katib-experiment prototype).
// @optionalParam katibDbPassword string null Password of Katib's MySQL (null: the release's well-known default).
// @optionalParam storageClass string null StorageClass for per-user, Katib and export volumes (null: the cloud's default class).
// @optionalParam nfsServer string null NFS server exporting the disks (on-prem); null runs an in-cluster NFS provisioner per disk.
// @optionalParam nfsPath string /exports Directory on nfsServer holding one export per disk.
// @optionalParam diskSize string 10Gi Size of each disk.
// @optionalParam gpuTolerationKey string null Taint key of GPU nodes that notebook pods tolerate (null: the cloud's, nvidia.com/gpu or sku on aks; none when cloud is unset).
// @optionalParam tfAmbassadorServiceType string null No effect (Ambassador 0.30 is not deployed: reach JupyterHub through jupyterHubServiceType, other UIs through an Ingress).
// @optionalParam tfDefaultImage string null No effect (training-operator v1 has no default TensorFlow image).
// @optionalParam ambassadorImage string null No effect (Ambassador 0.30 is not deployed).
// @optionalParam statsdImage string null No effect (Ambassador 0.30 is not deployed).
// @optionalParam centralUiImage string null No effect (the 2018 central dashboard is not deployed; Kubeflow Dashboard v2 needs Istio and Profiles).
// @optionalParam reportUsage string false No effect (spartakus usage reporting to kubeflow.org ended).
// @optionalParam usageId string null No effect (spartakus usage reporting to kubeflow.org ended).

local core = import "kubeflow/core/all.libsonnet";
local parts = core.parts(env, params);

core.list(parts.all, parts.warnings)
