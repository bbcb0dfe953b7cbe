// @apiVersion 0.1
// @name io.ksonnet.pkg.trainer
// @description Kubeflow Trainer v2.3.0 as released (kubeflow/trainer manifests/overlays/manager): the TrainJob, TrainingRuntime and ClusterTrainingRuntime CRDs, the controller with its config, webhooks and RBAC, and JobSet v0.12.0 bundled (jobset=external when JobSet is installed separately); the upstream ClusterTrainingRuntimes (torch-distributed, deepspeed, jax, mlx, xgboost, torchtune) with runtimes=true. Trainer v2 serves no TFJob: keep training-operator for TFJob.
// @shortDescription Kubeflow Trainer v2.3.0 (TrainJob; JobSet bundled; upstream runtimes optional).
// @param name string Name of the component
// @optionalParam namespace string kubeflow-system Namespace of the controllers (null: the environment's).
// @optionalParam createNamespace string true Render the Namespace object (false when the namespace exists).
// @optionalParam installCrds string true Render the CRDs (false when they are managed elsewhere).
// @optionalParam image string null Controller image (null: the release's).
// @optionalParam imageTag string null Tag of the release's controller image (null: the release's).
// @optionalParam imageRegistry string null Registry mirror that replaces the registry of every image (null: upstream registries).
// @optionalParam replicas string null Controller replicas (null: the release's).
// @optionalParam resources object null Controller container resources (null: the release's).
// @optionalParam nodeSelector object null Node selector of the controller pods (null: the release's).
// @optionalParam tolerations array null Tolerations of the controller pods (null: the release's).
// @optionalParam jobset string bundled JobSet: bundled (the release's, in this namespace) or external (installed separately, e.g. the jobset package).
// @optionalParam runtimes string false Install the upstream ClusterTrainingRuntimes (manifests/overlays/runtimes).

local trainer = import "kubeflow/trainer/trainer.libsonnet";

trainer.list(trainer.new(env, params))
