// A kubeflow.org/v1 TFJob (training-operator v1): Chief/PS/Worker/Evaluator replica specs.
local util = import "kubeflow/tf-job/util.libsonnet";

{
  defaults:: {
    namespace: "null",
    args: "null",
    image: "tensorflow/tensorflow:2.16.1",
    image_gpu: "tensorflow/tensorflow:2.16.1-gpu",
    num_masters: 1,
    num_ps: 0,
    num_workers: 0,
    num_evaluators: 0,
    num_gpus: 0,
    restartPolicy: "OnFailure",
    cleanPodPolicy: "None",
    ttlSecondsAfterFinished: "null",
    gpuNodeSelectorKey: "null",
    gpuNodeSelectorValue: "null",
    gpuTolerationKey: "null",
    queue: "null",
    gangScheduling: "none",
    schedulerName: "scheduler-plugins-scheduler",
  },

  config(env, params):: {
    local p = $.defaults + params,
    name: p.name,
    namespace: util.namespace(env, params),
    args: util.toArray(p.args),
    image: util.orDefault(p.image, $.defaults.image),
    imageGpu: util.orDefault(p.image_gpu, self.image),
    numMasters: util.toNumber(p.num_masters),
    numPs: util.toNumber(p.num_ps),
    numWorkers: util.toNumber(p.num_workers),
    numEvaluators: util.toNumber(p.num_evaluators),
    numGpus: util.toNumber(p.num_gpus),
    restartPolicy: util.orDefault(p.restartPolicy, "OnFailure"),
    cleanPodPolicy: util.orDefault(p.cleanPodPolicy, "None"),
    ttlSecondsAfterFinished: if util.isSet(p.ttlSecondsAfterFinished) then util.toNumber(p.ttlSecondsAfterFinished) else null,
    gpuNodeSelectorKey: if util.isSet(p.gpuNodeSelectorKey) then p.gpuNodeSelectorKey else "",
    gpuNodeSelectorValue: if util.isSet(p.gpuNodeSelectorValue) then std.toString(p.gpuNodeSelectorValue) else "",
    gpuTolerationKey: if util.isSet(p.gpuTolerationKey) then p.gpuTolerationKey else "",
    queue: if util.isSet(p.queue) then p.queue else "",
    gangScheduling:
      local g = std.asciiLower(util.orDefault(p.gangScheduling, "none"));
      assert std.member(["none", "coscheduling", "kueue"], g) : "tf-job: gangScheduling must be none, coscheduling or kueue, got " + g;
      assert g != "kueue" || self.queue != "" : "tf-job: gangScheduling=kueue needs queue (the team's Kueue LocalQueue)";
      g,
    schedulerName: util.orDefault(p.schedulerName, "scheduler-plugins-scheduler"),
  },

  // The pod template of one replica type.  `gpu`: this replica type runs on GPUs.
  podTemplate(cfg, gpu):: {
    local useGpu = gpu && cfg.numGpus > 0,
    [if cfg.gangScheduling == "coscheduling" then "metadata"]: { labels: { "scheduling.x-k8s.io/pod-group": cfg.name } },
    spec: {
      schedulerName: if cfg.gangScheduling == "coscheduling" then cfg.schedulerName else null,
      containers: [
        {
          name: "tensorflow",
          image: if useGpu then cfg.imageGpu else cfg.image,
          args: if std.length(cfg.args) > 0 then cfg.args else null,
          resources: if useGpu then { limits: { "nvidia.com/gpu": cfg.numGpus } } else null,
        },
      ],
      // GPU nodes: select them (exact label value, or any node carrying the label) and tolerate their taint
      nodeSelector:
        if useGpu && cfg.gpuNodeSelectorKey != "" && cfg.gpuNodeSelectorValue != "" then
          { [cfg.gpuNodeSelectorKey]: cfg.gpuNodeSelectorValue }
        else null,
      affinity:
        if useGpu && cfg.gpuNodeSelectorKey != "" && cfg.gpuNodeSelectorValue == "" then {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: cfg.gpuNodeSelectorKey, operator: "Exists" }] },
              ],
            },
          },
        } else null,
      tolerations:
        if useGpu && cfg.gpuTolerationKey != "" then
          [{ key: cfg.gpuTolerationKey, operator: "Exists", effect: "NoSchedule" }]
        else null,
    },
  },

  replicaSpec(cfg, replicas, gpu):: if replicas > 0 then {
    replicas: replicas,
    restartPolicy: cfg.restartPolicy,
    template: $.podTemplate(cfg, gpu),
  } else null,

  tfJob(cfg)::
    assert cfg.numMasters == 0 || cfg.numMasters == 1 : "tf-job: num_masters must be 0 or 1 (a TFJob has at most one Chief), got %s" % cfg.numMasters;
    assert cfg.numMasters + cfg.numWorkers > 0 : "tf-job: set num_masters or num_workers: a TFJob needs a Chief or at least one Worker";
    assert cfg.numEvaluators <= 1 : "tf-job: num_evaluators must be 0 or 1, got %s" % cfg.numEvaluators;
    assert cfg.numPs >= 0 && cfg.numWorkers >= 0 && cfg.numGpus >= 0 : "tf-job: replica and GPU counts cannot be negative";
    {
      apiVersion: "kubeflow.org/v1",
      kind: "TFJob",
      metadata: { name: cfg.name, namespace: cfg.namespace,
                  labels: { app: cfg.name } + (if cfg.queue != "" then { "kueue.x-k8s.io/queue-name": cfg.queue } else {}) },
      spec: {
        runPolicy: {
          cleanPodPolicy: cfg.cleanPodPolicy,
          ttlSecondsAfterFinished: cfg.ttlSecondsAfterFinished,
        },
        tfReplicaSpecs: {
          Chief: $.replicaSpec(cfg, cfg.numMasters, true),
          PS: $.replicaSpec(cfg, cfg.numPs, false),
          Worker: $.replicaSpec(cfg, cfg.numWorkers, true),
          Evaluator: $.replicaSpec(cfg, cfg.numEvaluators, false),
        },
      },
    },

  // scheduler-plugins' PodGroup of a coscheduled job (all replicas)
  podGroup(cfg):: if cfg.gangScheduling != "coscheduling" then null else {
    apiVersion: "scheduling.x-k8s.io/v1alpha1",
    kind: "PodGroup",
    metadata: { name: cfg.name, namespace: cfg.namespace },
    spec: { minMember: cfg.numMasters + cfg.numPs + cfg.numWorkers + cfg.numEvaluators },
  },

  new(env, params):: $.tfJob($.config(env, params)),
  all(env, params):: [$.podGroup($.config(env, params)), $.new(env, params)],

  list(items):: std.prune({ apiVersion: "v1", kind: "List", items: items }),
}
