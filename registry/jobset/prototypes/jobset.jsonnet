// @apiVersion 0.1
// @name io.ksonnet.pkg.jobset
// @description A JobSet (jobset.x-k8s.io/v1alpha2, JobSet v0.12.0): replicas indexed Jobs of parallelism pods each, one container named worker, restartPolicy Never. GPUs per pod with the platform profile's node selection; a Kueue queue and gang scheduling on request. Needs a JobSet controller (the jobset package, or Trainer v2's bundled one).
// @shortDescription A JobSet of indexed Jobs.
// @param name string Name of the JobSet
// @param image string Image of the pods.
// @optionalParam namespace string null Namespace of the JobSet (null: the environment's).
// @optionalParam command string null Command, comma separated (null: the image's).
// @optionalParam args string null Arguments, comma separated.
// @optionalParam replicatedJob string workers Name of the replicated job.
// @optionalParam replicas number 1 Jobs in the replicated job.
// @optionalParam parallelism number 1 Pods of each Job (and its completions, indexed).
// @optionalParam backoffLimit number 0 Pod failures each Job tolerates.
// @optionalParam num_gpus number 0 GPUs (nvidia.com/gpu) of each pod.
// @optionalParam queue string null Kueue LocalQueue of the job (label kueue.x-k8s.io/queue-name; admitted through Kueue's jobset.x-k8s.io/jobset integration, on as released; kfctl validate/diff/apply check it); null: not queued.
// @optionalParam gangScheduling string none Gang scheduling: none, coscheduling (a PodGroup + schedulerName, needs scheduler-plugins) or kueue (admitted as a whole by Kueue; needs queue).
// @optionalParam schedulerName string scheduler-plugins-scheduler Scheduler of the pods with gangScheduling=coscheduling.
// @optionalParam gpuNodeSelectorKey string null Node label of GPU nodes (the platform profile sets it); GPU pods are scheduled on nodes with it.
// @optionalParam gpuNodeSelectorValue string null Required value of gpuNodeSelectorKey (null: any node carrying the label).
// @optionalParam gpuTolerationKey string null Taint key of GPU nodes that GPU pods tolerate (the platform profile sets it).

local js = import "kubeflow/jobset/jobset-job.libsonnet";

js.list(js.new(env, params))
