// @apiVersion 0.1
// @name io.ksonnet.pkg.team-queues
// @description Per-team quotas on Kueue (kueue.x-k8s.io/v1beta2): a default ResourceFlavor for CPU/memory and one GPU ResourceFlavor per GPU type with the node label and taint of the env's platform profile, one ClusterQueue per team (quota, cohort, borrowing limits; admits only the team's namespace) and a LocalQueue in each team namespace — jobs use it with --queue=<team>. Needs the kueue package's controller (or Kueue installed separately) with the integration of each job kind the teams queue: Kueue v0.19.2 admits batch Jobs, MPIJob v2beta1, JobSets, TrainJobs and pods as released, training-operator's PyTorchJob/TFJob/XGBoostJob/PaddleJob/JAXJob with the kueue prototype's trainingOperator=true (kfctl validate/diff/apply refuse a queued job whose integration is off).
// @shortDescription Kueue ResourceFlavors, a ClusterQueue per team and LocalQueues.
// @param name string Name of the component
// @param teams array Teams: [{name, namespace (default name), queue (LocalQueue name, default name), cpu, memory, gpu (quotas), cohort, borrowingLimit ({cpu, memory, gpu} or one CPU amount; needs cohort), gpuType (GPU node label value, default gpuNodeSelectorValue)}].
// @optionalParam createNamespaces string true Render the teams' Namespaces (false when they exist, e.g. Kubeflow Profiles).
// @optionalParam defaultFlavor string default-flavor Name of the CPU/memory ResourceFlavor.
// @optionalParam gpuResource string nvidia.com/gpu The GPU resource the quotas count.
// @optionalParam gpuNodeSelectorKey string null Node label of GPU nodes (the platform profile sets it); the GPU flavors select nodes by it.
// @optionalParam gpuNodeSelectorValue string null Default GPU type: the value of gpuNodeSelectorKey on GPU nodes (the platform profile sets it where it is fixed).
// @optionalParam gpuTolerationKey string null Taint key of GPU nodes; the GPU flavors add its toleration to admitted pods (the platform profile sets it).

local tq = import "kubeflow/kueue/team-queues.libsonnet";

tq.list(tq.new(env, params))
