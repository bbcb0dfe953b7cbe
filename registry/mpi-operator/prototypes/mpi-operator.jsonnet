// @apiVersion 0.1
// @name io.ksonnet.pkg.mpi-operator
// @description Kubeflow MPI Operator v0.8.0 as released (kubeflow/mpi-operator deploy/v2beta1/mpi-operator.yaml): the MPIJob kubeflow.org/v2beta1 CRD, RBAC (with aggregated admin/edit/view roles) and the controller. Its CRD mpijobs.kubeflow.org clashes with training-operator's v1 MPIJob: install training-operator with enabledKinds without mpijob next to it.
// @shortDescription Kubeflow MPI Operator v0.8.0 (MPIJob v2beta1).
// @param name string Name of the component
// @optionalParam namespace string mpi-operator Namespace of the controller (null: the environment's).
// @optionalParam createNamespace string true Render the Namespace object (false when the namespace exists).
// @optionalParam installCrds string true Render the CRDs (false when they are managed elsewhere).
// @optionalParam image string null Controller image (null: the release's).
// @optionalParam imageTag string null Tag of the release's controller image (null: the release's).
// @optionalParam imageRegistry string null Registry mirror that replaces the registry of every image (null: upstream registries).
// @optionalParam replicas string null Controller replicas (null: the release's).
// @optionalParam resources object null Controller container resources (null: the release's).
// @optionalParam nodeSelector object null Node selector of the controller pods (null: the release's).
// @optionalParam tolerations array null Tolerations of the controller pods (null: the release's).
// @optionalParam gangScheduling string null Gang scheduler the controller creates PodGroups for: volcano or scheduler-plugins-scheduler (null: none).

local op = import "kubeflow/mpi-operator/mpi-operator.libsonnet";

op.list(op.new(env, params))
