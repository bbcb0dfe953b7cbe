// @apiVersion 0.1
// @name io.ksonnet.pkg.jobset-controller
// @description The JobSet v0.12.0 controller as released (kubernetes-sigs/jobset release manifests: config/default): the JobSet jobset.x-k8s.io/v1alpha2 CRD, RBAC, webhooks with their internal certificate, the controller. Not needed next to Trainer v2 with its bundled JobSet (trainer's jobset param).
// @shortDescription JobSet v0.12.0 controller.
// @param name string Name of the component
// @optionalParam namespace string jobset-system Namespace of the controller (null: the environment's).
// @optionalParam createNamespace string true Render the Namespace object (false when the namespace exists).
// @optionalParam installCrds string true Render the CRDs (false when they are managed elsewhere).
// @optionalParam image string null Controller image (null: the release's).
// @optionalParam imageTag string null Tag of the release's controller image (null: the release's).
// @optionalParam imageRegistry string null Registry mirror that replaces the registry of every image (null: upstream registries).
// @optionalParam replicas string null Controller replicas (null: the release's).
// @optionalParam resources object null Controller container resources (null: the release's).
// @optionalParam nodeSelector object null Node selector of the controller pods (null: the release's).
// @optionalParam tolerations array null Tolerations of the controller pods (null: the release's).

local js = import "kubeflow/jobset/jobset.libsonnet";

js.list(js.new(env, params))
