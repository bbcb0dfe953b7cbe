// @apiVersion 0.1
// @name io.ksonnet.pkg.kueue
// @description The Kueue v0.19.2 controller as released (kubernetes-sigs/kueue release manifests: config/default): 11 kueue.x-k8s.io CRDs (v1beta2 stored), the controller with its config, webhooks, internal certificate, visibility APIServices and RBAC. Upstream leaves the training-operator v1 integrations (kubeflow.org/pytorchjob, tfjob, xgboostjob, paddlejob, jaxjob) off: set trainingOperator=true when the env installs training-operator, so their jobs are queued. kfctl checks the integrations against the env: validate, diff and apply refuse a job queued (label kueue.x-k8s.io/queue-name) whose integration is off, in this Kueue or the cluster's, and validate warns about an installed job kind whose integration is off, each naming the param to set.
// @shortDescription Kueue v0.19.2 job queueing (v1beta2).
// @param name string Name of the component
// @optionalParam namespace string kueue-system Namespace of the controller (null: the environment's).
// @optionalParam createNamespace string true Render the Namespace object (false when the namespace exists).
// @optionalParam installCrds string true Render the CRDs (false when they are managed elsewhere).
// @optionalParam image string null Controller image (null: the release's).
// @optionalParam imageTag string null Tag of the release's controller image (null: the release's).
// @optionalParam imageRegistry string null Registry mirror that replaces the registry of every image (null: upstream registries).
// @optionalParam replicas string null Controller replicas (null: the release's).
// @optionalParam resources object null Controller container resources (null: the release's).
// @optionalParam nodeSelector object null Node selector of the controller pods (null: the release's).
// @optionalParam tolerations array null Tolerations of the controller pods (null: the release's).
// @optionalParam trainingOperator string false Enable the integrations of training-operator v1's jobs (kubeflow.org/pytorchjob, tfjob, xgboostjob, paddlejob, jaxjob).
// @optionalParam enableFrameworks string null More integrations.frameworks to enable, comma separated (from the ones the release lists, e.g. sparkoperator.k8s.io/sparkapplication).
// @optionalParam disableFrameworks string null integrations.frameworks to disable, comma separated (e.g. ray.io/rayjob,ray.io/raycluster).

local kueue = import "kubeflow/kueue/kueue.libsonnet";

kueue.list(kueue.new(env, params))
