// @apiVersion 0.1
// @name io.ksonnet.pkg.katib-experiment
// @description A Katib v1beta1 Experiment (Katib v0.19.0): a search algorithm, an objective metric, the hyperparameters' search space, and a trial template that runs a batch/v1 Job or a kubeflow.org/v1 PyTorchJob (training-operator). Each hyperparameter reaches the training command as --<name>=<value>; the metrics collector reads the objective from the container's output (name=value lines, StdOut).
// @shortDescription A Katib hyperparameter-tuning Experiment (trials as Job or PyTorchJob).
// @param name string Name of the Experiment
// @optionalParam namespace string null Namespace of the Experiment (null: the environment's).
// @optionalParam algorithm string random Search algorithm: random, grid, tpe, multivariate-tpe, bayesianoptimization, cmaes, sobol, hyperband, enas, darts, pbt.
// @optionalParam algorithmSettings object null Algorithm settings, e.g. {random_state: 10} (null: the algorithm's defaults).
// @optionalParam objectiveMetric string loss Metric the trials report and the search optimises.
// @optionalParam objectiveType string minimize minimize or maximize.
// @optionalParam goal string null Stop when the objective reaches this value (null: run maxTrialCount trials).
// @optionalParam additionalMetrics string null Other metrics to record, comma separated.
// @optionalParam parameters array [{name:'lr',type:'double',min:'0.01',max:'0.05'},{name:'momentum',type:'double',min:'0.5',max:'0.9'}] Search space: {name, type (double, int, categorical, discrete), min, max, step, list} per hyperparameter.
// @optionalParam maxTrialCount number 12 Trials to run.
// @optionalParam parallelTrialCount number 3 Trials run at the same time.
// @optionalParam maxFailedTrialCount number 3 Failed trials after which the Experiment fails.
// @optionalParam trialKind string Job What a trial runs: Job (batch/v1) or PyTorchJob (kubeflow.org/v1, needs training-operator).
// @optionalParam image string ghcr.io/kubeflow/katib/pytorch-mnist-cpu:v0.19.0 Training image.
// @optionalParam command string python3,/opt/pytorch-mnist/mnist.py,--epochs=1,--batch-size=16 Training command, comma separated; --<name>=<value> per hyperparameter is appended.
// @optionalParam numWorkers number 1 PyTorchJob workers next to the master (trialKind=PyTorchJob).
// @optionalParam cpu string null CPU limit of each training container (null: none).
// @optionalParam memory string null Memory limit of each training container (null: none).
// @optionalParam num_gpus number 0 GPUs per training container.
// @optionalParam metricsCollector string StdOut Metrics collector kind: StdOut, File, TensorFlowEvent, PrometheusMetric, Custom, None.
// @optionalParam queue string null Kueue LocalQueue that admits each trial's job (null: none).
// @optionalParam gpuNodeSelectorKey string null Node label of GPU nodes (null: the platform profile's, else none).
// @optionalParam gpuNodeSelectorValue string null Value of that label (null: any value).
// @optionalParam gpuTolerationKey string null Taint key of GPU nodes that GPU pods tolerate (null: the platform profile's, else none).

local experiment = import "kubeflow/katib/experiment.libsonnet";

experiment.list(experiment.new(env, params))
