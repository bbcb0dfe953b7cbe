// @apiVersion 0.1
// @name io.ksonnet.pkg.train-job
// @description A Kubeflow Trainer v2 job (trainer.kubeflow.org/v1alpha1 TrainJob) on a runtime (e.g. the upstream ClusterTrainingRuntimes torch-distributed, deepspeed-distributed, jax-distributed, mlx-distributed, xgboost-distributed, torchtune-*; Trainer v2 has no TensorFlow runtime). GPUs per node; GPU node selection as a runtime patch; a Kueue queue on request (gang scheduling comes from the runtime's podGroupPolicy or Kueue).
// @shortDescription A TrainJob (Trainer v2).
// @param name string Name of the job
// @optionalParam namespace string null Namespace of the job (null: the environment's).
// @optionalParam runtime string torch-distributed Name of the runtime.
// @optionalParam runtimeKind string ClusterTrainingRuntime ClusterTrainingRuntime or TrainingRuntime (namespaced).
// @optionalParam image string null Trainer image (null: the runtime's).
// @optionalParam command string null Command, comma separated (null: the runtime's).
// @optionalParam args string null Arguments, comma separated.
// @optionalParam numNodes string null Training nodes (null: the runtime's).
// @optionalParam num_gpus number 0 GPUs (nvidia.com/gpu) of each node.
// @optionalParam replicatedJob string node The runtime's replicated job the GPU placement patch targets (torch-distributed: node).
// @optionalParam queue string null Kueue LocalQueue of the job (label kueue.x-k8s.io/queue-name; admitted through Kueue's trainer.kubeflow.org/trainjob integration, on as released; kfctl validate/diff/apply check it); null: not queued.
// @optionalParam gpuNodeSelectorKey string null Node label of GPU nodes (the platform profile sets it); GPU pods are scheduled on nodes with it.
// @optionalParam gpuNodeSelectorValue string null Required value of gpuNodeSelectorKey (null: any node carrying the label).
// @optionalParam gpuTolerationKey string null Taint key of GPU nodes that GPU pods tolerate (the platform profile sets it).

local tj = import "kubeflow/trainer/train-job.libsonnet";

tj.list(tj.new(env, params))
