// @apiVersion 0.1
// @name io.ksonnet.pkg.xgboost-job
// @description A distributed XGBoost job (kubeflow.org/v1 XGBoostJob, training-operator v1.9.4) with a Master and Workers; the container is named xgboost, as the operator requires. A Kueue queue and gang scheduling on request.
// @shortDescription An XGBoostJob (training-operator v1).
// @param name string Name of the job
// @param image string Image of the Master and Workers.
// @optionalParam namespace string null Namespace of the job (null: the environment's).
// @optionalParam command string null Command, comma separated (null: the image's).
// @optionalParam args string null Arguments, comma separated.
// @optionalParam num_masters number 1 Master replicas (0 or 1).
// @optionalParam num_workers number 0 Worker replicas.
// @optionalParam num_gpus number 0 GPUs (nvidia.com/gpu) of each pod.
// @optionalParam restartPolicy string OnFailure Restart policy of the replicas: Always, OnFailure, Never or ExitCode.
// @optionalParam cleanPodPolicy string None Which pods to delete when the job finishes: All, Running or None.
// @optionalParam ttlSecondsAfterFinished numberOrString null Delete the job this many seconds after it finished (null: keep it).
// @optionalParam queue string null Kueue LocalQueue of the job (label kueue.x-k8s.io/queue-name; admitted through Kueue's kubeflow.org/xgboostjob integration, off as released: the kueue prototype's trainingOperator=true; kfctl validate/diff/apply check it); null: not queued.
// @optionalParam gangScheduling string none Gang scheduling: none, coscheduling (a PodGroup + schedulerName, needs scheduler-plugins) or kueue (admitted as a whole by Kueue; needs queue).
// @optionalParam schedulerName string scheduler-plugins-scheduler Scheduler of the pods with gangScheduling=coscheduling.
// @optionalParam gpuNodeSelectorKey string null Node label of GPU nodes (the platform profile sets it); GPU pods are scheduled on nodes with it.
// @optionalParam gpuNodeSelectorValue string null Required value of gpuNodeSelectorKey (null: any node carrying the label).
// @optionalParam gpuTolerationKey string null Taint key of GPU nodes that GPU pods tolerate (the platform profile sets it).

local jobs = import "kubeflow/training-operator/jobs.libsonnet";

jobs.list(jobs.xgboostJob(env, params))
