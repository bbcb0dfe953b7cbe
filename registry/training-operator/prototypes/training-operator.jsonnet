// @apiVersion 0.1
// @name io.ksonnet.pkg.training-operator
// @description Kubeflow training-operator v1.9.4 (kubeflow/trainer release-1.9, manifests/overlays/standalone): the controller for TFJob, PyTorchJob, MPIJob (kubeflow.org/v1), XGBoostJob, PaddleJob and JAXJob with its CRDs, RBAC, webhook and Service, as the release ships them. TFJob users stay here: Trainer v2 serves no TFJob.
// @shortDescription Kubeflow training-operator v1 (TFJob, PyTorchJob, MPIJob v1, XGBoostJob, PaddleJob, JAXJob).
// @param name string Name of the component
// @optionalParam namespace string kubeflow Namespace of the controller (null: the environment's).
// @optionalParam createNamespace string true Render the Namespace object (false when the namespace exists).
// @optionalParam enabledKinds string all Job kinds to serve: all, or a comma list of tfjob, pytorchjob, mpijob, xgboostjob, paddlejob, jaxjob. CRDs and webhooks of the others are left out (e.g. tfjob,pytorchjob,xgboostjob,paddlejob,jaxjob next to mpi-operator's MPIJob v2beta1).
// @optionalParam installCrds string true Render the CRDs of the enabled kinds (false when they are managed elsewhere).
// @optionalParam gangSchedulerName string null Gang scheduler for job pods: volcano or scheduler-plugins-scheduler (null: none).
// @optionalParam image string null Controller image (null: the release's ghcr.io/kubeflow/training-v1/training-operator:v1-93c5489).
// @optionalParam imageTag string null Tag of the release's controller image (null: the release's).
// @optionalParam imageRegistry string null Registry mirror that replaces the registry of every image (null: upstream registries).
// @optionalParam replicas string null Controller replicas (null: the release's 1).
// @optionalParam resources object null Controller container resources, e.g. {requests: {cpu: '100m', memory: '128Mi'}} (null: none, as released).
// @optionalParam nodeSelector object null Node selector of the controller pod (null: none).
// @optionalParam tolerations array null Tolerations of the controller pod (null: none).

local op = import "kubeflow/training-operator/training-operator.libsonnet";

op.list(op.new(env, params))
