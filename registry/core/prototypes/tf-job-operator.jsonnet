// @apiVersion 0.1
// @name io.ksonnet.pkg.tf-job-operator
// @description The TFJob operator alone: the kubeflow.org/v1 TFJob CustomResourceDefinition, the operator Deployment with its ConfigMap, ServiceAccount and ClusterRole(Binding), and the TFJob dashboard.
// @shortDescription A TensorFlow job operator.
// @param name string Name to give to each of the components
// @optionalParam namespace string null Namespace to use for the components. It is automatically inherited from the environment if not set.
// @optionalParam cloud string null Platform: gke, eks, aks, on-prem, kind or minikube.
// @optionalParam tfJobImage string kubeflow/training-operator:v1-855e096 The image for the TFJob operator.
// @optionalParam tfDefaultImage string null The default image to use for TensorFlow.
// @optionalParam tfJobUiServiceType string null The service type for the TFJob dashboard (null: NodePort on on-prem, else ClusterIP).
// @optionalParam tfJobUiImage string gcr.io/kubeflow-images-public/tf_operator:v0.2.0 The image for the TFJob dashboard.

local core = import "kubeflow/core/all.libsonnet";

core.list(core.parts(env, params).tfJobOperator + core.parts(env, params).tfJobDashboard)
