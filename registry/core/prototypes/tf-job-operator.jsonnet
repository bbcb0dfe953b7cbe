// @apiVersion 0.1
// @name io.ksonnet.pkg.tf-job-operator
// @description The TFJob operator alone: training-operator v1.9.4 as released (kubeflow/trainer manifests/overlays/standalone) serving TFJob only — the kubeflow.org/v1 TFJob CRD, RBAC, the webhook and its Service, the controller Deployment — in the component's namespace; the 2018 TFJob dashboard only when tfJobUiImage is set.
// @shortDescription A TensorFlow job operator.
// @param name string Name to give to each of the components
// @optionalParam namespace string null Namespace to use for the components. It is automatically inherited from the environment if not set.
// @optionalParam cloud string null Platform: gke, eks, aks, on-prem, kind or minikube.
// @optionalParam tfJobImage string null The image for the TFJob operator (null: the training-operator v1.9.4 release image, ghcr.io/kubeflow/training-v1/training-operator:v1-93c5489).
// @optionalParam tfDefaultImage string null Kept for Kubeflow 0.1 apps; training-operator v1 has no default TensorFlow image, so it has no effect.
// @optionalParam tfJobUiServiceType string null The service type for the TFJob dashboard (null: NodePort on on-prem, else ClusterIP).
// @optionalParam tfJobUiImage string null The image for the 2018 TFJob dashboard (null: no dashboard; no current release ships one).

local core = import "kubeflow/core/all.libsonnet";

local parts = core.parts(env, params);

core.list(parts.operator, parts.operatorWarnings)
