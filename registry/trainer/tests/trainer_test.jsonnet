local trainer = import "../trainer.libsonnet";
local tj = import "../train-job.libsonnet";
local up = import "../upstream/upstream.libsonnet";

local names(objs) = std.set([o.kind + "/" + o.metadata.name for o in objs]);
local bundled = trainer.new({}, { name: "t" });
local external = trainer.new({}, { name: "t", jobset: "external" });

// JobSet bundled by default, left out (CRD and controller) with jobset=external
std.assertEqual(std.member(names(bundled), "Deployment/jobset-controller-manager"), true) &&
std.assertEqual(std.member(names(external), "Deployment/jobset-controller-manager"), false) &&
std.assertEqual(std.member(names(external), "CustomResourceDefinition/jobsets.jobset.x-k8s.io"), false) &&
std.assertEqual(std.member(names(external), "Deployment/kubeflow-trainer-controller-manager"), true) &&
// runtimes on request
std.assertEqual(std.length(trainer.new({}, { name: "t", runtimes: true })) - std.length(bundled), std.length(up.variants.runtimes)) &&
// a TrainJob on the default runtime; queue label; GPU placement as a runtime patch
local job = tj.new({ namespace: "ml" }, { name: "j", num_gpus: 2, queue: "q", gpuNodeSelectorKey: "k", gpuNodeSelectorValue: "v" })[0];
std.assertEqual(job.spec.runtimeRef, { apiGroup: "trainer.kubeflow.org", kind: "ClusterTrainingRuntime", name: "torch-distributed" }) &&
std.assertEqual(job.metadata.labels, { "kueue.x-k8s.io/queue-name": "q" }) &&
std.assertEqual(job.spec.trainer.resourcesPerNode, { limits: { "nvidia.com/gpu": 2 } }) &&
std.assertEqual(job.spec.runtimePatches[0].trainingRuntimeSpec.template.spec.replicatedJobs[0].template.spec.template.spec.nodeSelector, { k: "v" })
