local tfJob = import "../tf-job.libsonnet";

local env = { namespace: "kf" };
local job(params) = tfJob.new(env, { name: "mnist" } + params);

std.assertEqual(job({}), {
  apiVersion: "kubeflow.org/v1",
  kind: "TFJob",
  metadata: { name: "mnist", namespace: "kf", labels: { app: "mnist" } },
  spec: {
    runPolicy: { cleanPodPolicy: "None", ttlSecondsAfterFinished: null },
    tfReplicaSpecs: {
      Chief: {
        replicas: 1,
        restartPolicy: "OnFailure",
        template: {
          spec: {
            containers: [{ name: "tensorflow", image: "tensorflow/tensorflow:2.16.1", args: null, resources: null }],
            nodeSelector: null,
            affinity: null,
            tolerations: null,
            schedulerName: null,
          },
        },
      },
      PS: null,
      Worker: null,
      Evaluator: null,
    },
  },
}) &&
// GPUs go to Chief and Workers only, with the GPU image
local gpu = job({ num_gpus: 2, num_workers: 3, num_ps: 1, gpuTolerationKey: "nvidia.com/gpu" });
std.assertEqual(gpu.spec.tfReplicaSpecs.Worker.replicas, 3) &&
std.assertEqual(gpu.spec.tfReplicaSpecs.Worker.template.spec.containers[0].resources, { limits: { "nvidia.com/gpu": 2 } }) &&
std.assertEqual(gpu.spec.tfReplicaSpecs.Chief.template.spec.containers[0].image, "tensorflow/tensorflow:2.16.1-gpu") &&
std.assertEqual(gpu.spec.tfReplicaSpecs.PS.template.spec.containers[0].resources, null) &&
std.assertEqual(gpu.spec.tfReplicaSpecs.PS.template.spec.tolerations, null) &&
std.assertEqual(gpu.spec.tfReplicaSpecs.Worker.template.spec.tolerations, [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]) &&
// node selection: exact value -> nodeSelector, key only -> Exists affinity
std.assertEqual(job({ num_gpus: 1, gpuNodeSelectorKey: "accelerator", gpuNodeSelectorValue: "nvidia" }).spec.tfReplicaSpecs.Chief.template.spec.nodeSelector, { accelerator: "nvidia" }) &&
std.assertEqual(job({ num_gpus: 1, gpuNodeSelectorKey: "accelerator" }).spec.tfReplicaSpecs.Chief.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions, [{ key: "accelerator", operator: "Exists" }]) &&
// numbers that arrive as strings, comma separated args, ttl
std.assertEqual(job({ num_workers: "2", num_masters: "0" }).spec.tfReplicaSpecs.Worker.replicas, 2) &&
std.assertEqual(job({ args: "python,train.py,--epochs=3" }).spec.tfReplicaSpecs.Chief.template.spec.containers[0].args, ["python", "train.py", "--epochs=3"]) &&
std.assertEqual(job({ ttlSecondsAfterFinished: "600" }).spec.runPolicy.ttlSecondsAfterFinished, 600) &&
std.assertEqual(job({ namespace: "team-a" }).metadata.namespace, "team-a") &&
// Kueue queue label and coscheduling (a PodGroup counting every replica, the pod-group label, the second scheduler)
local gang = tfJob.all(env, { name: "g", num_ps: 1, num_workers: 2, queue: "team-a", gangScheduling: "coscheduling" });
std.assertEqual(gang[0], { apiVersion: "scheduling.x-k8s.io/v1alpha1", kind: "PodGroup", metadata: { name: "g", namespace: "kf" }, spec: { minMember: 4 } }) &&
std.assertEqual(gang[1].metadata.labels, { app: "g", "kueue.x-k8s.io/queue-name": "team-a" }) &&
std.assertEqual(gang[1].spec.tfReplicaSpecs.PS.template.metadata.labels, { "scheduling.x-k8s.io/pod-group": "g" }) &&
std.assertEqual(gang[1].spec.tfReplicaSpecs.Worker.template.spec.schedulerName, "scheduler-plugins-scheduler") &&
std.assertEqual(tfJob.all(env, { name: "n" })[0], null)
