// @apiVersion 0.1
// @name io.ksonnet.pkg.tf-job
// @description A TensorFlow training job (kubeflow.org/v1 TFJob) with Chief, PS, Worker and Evaluator replicas; GPU replicas (Chief and Workers) use image_gpu and request nvidia.com/gpu when num_gpus > 0. Needs the TFJob operator (training-operator, kubeflow-core or tf-job-operator); Trainer v2 serves no TFJob.
// @shortDescription A TensorFlow job.
// @param name string Name to give to the job
// @optionalParam namespace string null Namespace to use for the job. It is automatically inherited from the environment if not set.
// @optionalParam args string null Comma separated list of arguments to pass to the job
// @optionalParam image string tensorflow/tensorflow:2.16.1 The docker image to use for the job.
// @optionalParam image_gpu string tensorflow/tensorflow:2.16.1-gpu The docker image to use when using GPUs.
// @optionalParam num_masters number 1 The number of masters (the Chief replica: 0 or 1).
// @optionalParam num_ps number 0 The number of ps to use
// @optionalParam num_workers number 0 The number of workers to use
// @optionalParam num_evaluators number 0 The number of evaluators (0 or 1).
// @optionalParam num_gpus number 0 The number of GPUs to attach to the Chief and each Worker.
// @optionalParam restartPolicy string OnFailure Restart policy of the replicas: Always, OnFailure, Never or ExitCode.
// @optionalParam cleanPodPolicy string None Which pods to delete when the job finishes: All, Running or None.
// @optionalParam ttlSecondsAfterFinished numberOrString null Delete the job this many seconds after it finished (null: keep it).
// @optionalParam gpuNodeSelectorKey string null Node label of GPU nodes; GPU replicas are scheduled on nodes with it.
// @optionalParam gpuNodeSelectorValue string null Required value of gpuNodeSelectorKey (null: any node carrying the label).
// @optionalParam gpuTolerationKey string null Taint key of GPU nodes that GPU replicas tolerate.
// @optionalParam queue string null Kueue LocalQueue of the job (label kueue.x-k8s.io/queue-name; admitted through Kueue's kubeflow.org/tfjob integration, off as released: the kueue prototype's trainingOperator=true; kfctl validate/diff/apply check it); null: not queued.
// @optionalParam gangScheduling string none Gang scheduling: none, coscheduling (a PodGroup + schedulerName, needs scheduler-plugins) or kueue (admitted as a whole by Kueue; needs queue).
// @optionalParam schedulerName string scheduler-plugins-scheduler Scheduler of the pods with gangScheduling=coscheduling.

local tfJob = import "kubeflow/tf-job/tf-job.libsonnet";

tfJob.list(tfJob.all(env, params))
