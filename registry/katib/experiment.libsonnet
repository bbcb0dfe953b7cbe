// A Katib v1beta1 Experiment whose trials run a batch/v1 Job or a kubeflow.org/v1 PyTorchJob
// (training-operator): algorithm, objective, the search space, and a trial template that passes
// every hyperparameter to the training command as --<name>=<value>.
local lib = import "kubeflow/katib/upstream/lib.libsonnet";

{
  defaults:: {
    namespace: "null",
    algorithm: "random",
    algorithmSettings: "null",
    objectiveMetric: "loss",
    objectiveType: "minimize",
    goal: "null",
    additionalMetrics: "null",
    parameters: "[{name: 'lr', type: 'double', min: '0.01', max: '0.05'}, {name: 'momentum', type: 'double', min: '0.5', max: '0.9'}]",
    maxTrialCount: 12,
    parallelTrialCount: 3,
    maxFailedTrialCount: 3,
    trialKind: "Job",
    image: "ghcr.io/kubeflow/katib/pytorch-mnist-cpu:v0.19.0",
    command: "python3,/opt/pytorch-mnist/mnist.py,--epochs=1,--batch-size=16",
    numWorkers: 1,
    cpu: "null",
    memory: "null",
    num_gpus: 0,
    metricsCollector: "StdOut",
    queue: "null",
    gpuNodeSelectorKey: "null",
    gpuNodeSelectorValue: "null",
    gpuTolerationKey: "null",
  },

  parameterTypes:: { double: "double", int: "int", categorical: "categorical", discrete: "discrete" },

  config(env, params):: {
    local p = $.defaults + params,
    local str(v) = if lib.isSet(v) then std.toString(v) else "",
    local name = p.name,
    name: name,
    namespace: lib.namespace(env, p, null),
    algorithm: str(p.algorithm),
    algorithmSettings:
      local s = lib.toObject(p.algorithmSettings);
      if s == null then [] else [{ name: k, value: std.toString(s[k]) } for k in std.objectFields(s)],
    objectiveMetric: str(p.objectiveMetric),
    objectiveType:
      local t = std.asciiLower(str(p.objectiveType));
      assert std.member(["minimize", "maximize"], t) : "%s: objectiveType must be minimize or maximize, got %s" % [name, t];
      t,
    goal: lib.toNumber(p.goal),
    additionalMetrics: lib.toArray(p.additionalMetrics),
    // an array; a string is read as YAML flow (JSON or {name: 'lr', ...})
    parameters:
      local ps = if std.isString(p.parameters) then std.native("parseYaml")(p.parameters)[0] else p.parameters;
      assert std.isArray(ps) && std.length(ps) > 0 : "%s: parameters must be a non-empty array of {name, type, min, max | list}" % name;
      ps,
    maxTrialCount: lib.toNumber(p.maxTrialCount),
    parallelTrialCount: lib.toNumber(p.parallelTrialCount),
    maxFailedTrialCount: lib.toNumber(p.maxFailedTrialCount),
    trialKind:
      local k = std.asciiLower(str(p.trialKind));
      assert std.member(["job", "pytorchjob"], k) : "%s: trialKind must be Job or PyTorchJob, got %s" % [name, p.trialKind];
      if k == "job" then "Job" else "PyTorchJob",
    image: str(p.image),
    command: lib.toArray(p.command),
    numWorkers: lib.toNumber(p.numWorkers, 0),
    cpu: str(p.cpu),
    memory: str(p.memory),
    numGpus: lib.toNumber(p.num_gpus, 0),
    metricsCollector: str(p.metricsCollector),
    queue: str(p.queue),
    gpuNodeSelectorKey: str(p.gpuNodeSelectorKey),
    gpuNodeSelectorValue: str(p.gpuNodeSelectorValue),
    gpuTolerationKey: str(p.gpuTolerationKey),
  },

  // {name, type, min, max, step, list} → a Katib ParameterSpec (feasible-space bounds are strings)
  parameterSpec(cfg, x)::
    local t = std.asciiLower(std.toString(std.get(x, "type", "double")));
    local text(v) = if std.isNumber(v) then std.format("%.15g", v) else std.toString(v);
    assert std.objectHas(x, "name") : "%s: every entry of parameters needs a name" % cfg.name;
    assert std.objectHas($.parameterTypes, t) :
           "%s: parameter %s has type %s; use double, int, categorical or discrete" % [cfg.name, x.name, t];
    local space =
      (if std.objectHas(x, "min") then { min: text(x.min) } else {}) +
      (if std.objectHas(x, "max") then { max: text(x.max) } else {}) +
      (if std.objectHas(x, "step") then { step: text(x.step) } else {}) +
      (if std.objectHas(x, "list") then { list: [text(v) for v in x.list] } else {});
    assert std.member(["categorical", "discrete"], t) || (std.objectHas(space, "min") && std.objectHas(space, "max")) :
           "%s: parameter %s (%s) needs min and max" % [cfg.name, x.name, t];
    assert !std.member(["categorical", "discrete"], t) || std.objectHas(space, "list") :
           "%s: parameter %s (%s) needs list" % [cfg.name, x.name, t];
    { name: x.name, parameterType: $.parameterTypes[t], feasibleSpace: space },

  container(cfg, name, gpu=true):: {
    name: name,
    image: cfg.image,
    command: cfg.command + ["--%s=${trialParameters.%s}" % [x.name, x.name] for x in cfg.parameters],
  } + (
    local limits = (if cfg.cpu != "" then { cpu: cfg.cpu } else {}) +
                   (if cfg.memory != "" then { memory: cfg.memory } else {}) +
                   (if gpu && cfg.numGpus > 0 then { "nvidia.com/gpu": cfg.numGpus } else {});
    if limits == {} then {} else { resources: { limits: limits } }
  ),

  podSpec(cfg, containers, restartPolicy=null)::
    { containers: containers } +
    (if restartPolicy != null then { restartPolicy: restartPolicy } else {}) +
    (if cfg.numGpus > 0 && cfg.gpuNodeSelectorKey != "" && cfg.gpuNodeSelectorValue != "" then
       { nodeSelector: { [cfg.gpuNodeSelectorKey]: cfg.gpuNodeSelectorValue } } else {}) +
    (if cfg.numGpus > 0 && cfg.gpuNodeSelectorKey != "" && cfg.gpuNodeSelectorValue == "" then {
       affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {
         nodeSelectorTerms: [{ matchExpressions: [{ key: cfg.gpuNodeSelectorKey, operator: "Exists" }] }],
       } } },
     } else {}) +
    (if cfg.numGpus > 0 && cfg.gpuTolerationKey != "" then
       { tolerations: [{ key: cfg.gpuTolerationKey, operator: "Exists", effect: "NoSchedule" }] } else {}),

  // Kueue admits each trial's job through the team's LocalQueue
  jobMeta(cfg):: if cfg.queue == "" then {} else { metadata: { labels: { "kueue.x-k8s.io/queue-name": cfg.queue } } },

  trialSpec(cfg)::
    if cfg.trialKind == "Job" then {
      apiVersion: "batch/v1",
      kind: "Job",
      spec: { template: { spec: $.podSpec(cfg, [$.container(cfg, "training-container")], "Never") } },
    } + $.jobMeta(cfg)
    else {
      apiVersion: "kubeflow.org/v1",
      kind: "PyTorchJob",
      spec: { pytorchReplicaSpecs: {
        Master: { replicas: 1, restartPolicy: "OnFailure", template: { spec: $.podSpec(cfg, [$.container(cfg, "pytorch")]) } },
      } + (if cfg.numWorkers > 0 then {
        Worker: { replicas: cfg.numWorkers, restartPolicy: "OnFailure", template: { spec: $.podSpec(cfg, [$.container(cfg, "pytorch")]) } },
      } else {}) },
    } + $.jobMeta(cfg),

  experiment(cfg):: {
    apiVersion: "kubeflow.org/v1beta1",
    kind: "Experiment",
    metadata: { name: cfg.name, namespace: cfg.namespace },
    spec: {
      objective: { type: cfg.objectiveType, objectiveMetricName: cfg.objectiveMetric } +
                 (if cfg.goal != null then { goal: cfg.goal } else {}) +
                 (if std.length(cfg.additionalMetrics) > 0 then { additionalMetricNames: cfg.additionalMetrics } else {}),
      algorithm: { algorithmName: cfg.algorithm } +
                 (if std.length(cfg.algorithmSettings) > 0 then { algorithmSettings: cfg.algorithmSettings } else {}),
      parameters: [$.parameterSpec(cfg, x) for x in cfg.parameters],
      metricsCollectorSpec: { collector: { kind: cfg.metricsCollector } },
      trialTemplate: {
        primaryContainerName: if cfg.trialKind == "Job" then "training-container" else "pytorch",
        trialParameters: [{ name: x.name, reference: x.name } for x in cfg.parameters],
        trialSpec: $.trialSpec(cfg),
      },
    } + {
      [k]: cfg[k]
      for k in ["maxTrialCount", "parallelTrialCount", "maxFailedTrialCount"]
      if cfg[k] != null
    },
  },

  new(env, params):: [$.experiment($.config(env, params))],
  list(items):: lib.list(items),
}
