// @apiVersion 0.1
// @name io.ksonnet.pkg.mpi-job
// @description An MPI job (kubeflow.org/v2beta1 MPIJob, MPI Operator v0.8.0): one Launcher running command (mpirun ...) and Workers with slotsPerWorker slots; GPUs on the Workers. A Kueue queue and gang scheduling on request.
// @shortDescription An MPIJob (MPI Operator v2beta1).
// @param name string Name of the job
// @param image string Image of the Launcher and Workers.
// @optionalParam namespace string null Namespace of the job (null: the environment's).
// @optionalParam command string null Launcher command, comma separated (e.g. mpirun,-np,2,python,train.py).
// @optionalParam num_workers number 2 Worker replicas.
// @optionalParam slotsPerWorker number 1 MPI slots per Worker.
// @optionalParam num_gpus number 0 GPUs (nvidia.com/gpu) of each Worker.
// @optionalParam cleanPodPolicy string Running Which pods to delete when the job finishes: All, Running or None.
// @optionalParam queue string null Kueue LocalQueue of the job (label kueue.x-k8s.io/queue-name; admitted through Kueue's kubeflow.org/mpijob integration, on as released; kfctl validate/diff/apply check it); null: not queued.
// @optionalParam gangScheduling string none Gang scheduling: none, coscheduling (a PodGroup + schedulerName, needs scheduler-plugins) or kueue (admitted as a whole by Kueue; needs queue).
// @optionalParam schedulerName string scheduler-plugins-scheduler Scheduler of the pods with gangScheduling=coscheduling.
// @optionalParam gpuNodeSelectorKey string null Node label of GPU nodes (the platform profile sets it); GPU pods are scheduled on nodes with it.
// @optionalParam gpuNodeSelectorValue string null Required value of gpuNodeSelectorKey (null: any node carrying the label).
// @optionalParam gpuTolerationKey string null Taint key of GPU nodes that GPU pods tolerate (the platform profile sets it).

local mpi = import "kubeflow/mpi-operator/mpi-job.libsonnet";

mpi.list(mpi.new(env, params))
