// A KServe v1beta1 InferenceService: a model (format, storageUri), optionally a named runtime and
// its version, CPU/memory/GPU, and min/max replicas (Standard mode: an HPA between them).
local lib = import "kubeflow/kserve/upstream/lib.libsonnet";

{
  // KServe v0.20.0's kserve-tensorflow-serving runtime still runs tensorflow/serving:2.6.2; a
  // TensorFlow model gets the current TF Serving as its runtimeVersion unless one is given
  tfServingVersion:: "2.20.0",

  defaults:: {
    namespace: "null",
    modelFormat: "sklearn",
    modelFormatVersion: "null",
    storageUri: "gs://kfserving-examples/models/sklearn/1.0/model",
    runtime: "null",
    runtimeVersion: "null",
    protocolVersion: "null",
    deploymentMode: "null",
    minReplicas: "null",
    maxReplicas: "null",
    scaleMetric: "null",
    scaleTarget: "null",
    cpu: "null",
    memory: "null",
    num_gpus: 0,
    serviceAccountName: "null",
    gpuNodeSelectorKey: "null",
    gpuNodeSelectorValue: "null",
    gpuTolerationKey: "null",
  },

  config(env, params):: {
    local p = $.defaults + params,
    local str(v) = if lib.isSet(v) then std.toString(v) else "",
    local name = p.name,
    name: name,
    namespace: lib.namespace(env, p, null),
    modelFormat: std.asciiLower(str(p.modelFormat)),
    modelFormatVersion: str(p.modelFormatVersion),
    storageUri: str(p.storageUri),
    runtime: str(p.runtime),
    numGpus: lib.toNumber(p.num_gpus, 0),
    runtimeVersion:
      if lib.isSet(p.runtimeVersion) then std.toString(p.runtimeVersion)
      else if self.modelFormat == "tensorflow" && (self.runtime == "" || self.runtime == "kserve-tensorflow-serving")
      then $.tfServingVersion + (if self.numGpus > 0 then "-gpu" else "")
      else "",
    protocolVersion: str(p.protocolVersion),
    deploymentMode:
      local m = std.asciiLower(str(p.deploymentMode));
      local modes = { "": "", standard: "Standard", rawdeployment: "Standard", knative: "Knative", serverless: "Knative" };
      assert std.objectHas(modes, m) : "%s: deploymentMode must be Standard or Knative (null: the controller's default), got %s" % [name, p.deploymentMode];
      modes[m],
    minReplicas: lib.toNumber(p.minReplicas),
    maxReplicas:
      local v = lib.toNumber(p.maxReplicas);
      assert v == null || self.minReplicas == null || v >= self.minReplicas :
             "%s: maxReplicas (%d) is below minReplicas (%d)" % [name, v, self.minReplicas];
      v,
    scaleMetric: str(p.scaleMetric),
    scaleTarget: lib.toNumber(p.scaleTarget),
    cpu: str(p.cpu),
    memory: str(p.memory),
    serviceAccountName: str(p.serviceAccountName),
    gpuNodeSelectorKey: str(p.gpuNodeSelectorKey),
    gpuNodeSelectorValue: str(p.gpuNodeSelectorValue),
    gpuTolerationKey: str(p.gpuTolerationKey),
  },

  resources(cfg)::
    local amounts = (if cfg.cpu != "" then { cpu: cfg.cpu } else {}) + (if cfg.memory != "" then { memory: cfg.memory } else {});
    local gpus = if cfg.numGpus > 0 then { "nvidia.com/gpu": cfg.numGpus } else {};
    (if amounts != {} then { requests: amounts } else {}) +
    (if amounts + gpus != {} then { limits: amounts + gpus } else {}),

  inferenceService(cfg):: {
    apiVersion: "serving.kserve.io/v1beta1",
    kind: "InferenceService",
    metadata: { name: cfg.name, namespace: cfg.namespace } +
              (if cfg.deploymentMode != "" then { annotations: { "serving.kserve.io/deploymentMode": cfg.deploymentMode } } else {}),
    spec: { predictor: {
      model: {
        modelFormat: { name: cfg.modelFormat } + (if cfg.modelFormatVersion != "" then { version: cfg.modelFormatVersion } else {}),
        storageUri: cfg.storageUri,
      } + (if cfg.runtime != "" then { runtime: cfg.runtime } else {})
        + (if cfg.runtimeVersion != "" then { runtimeVersion: cfg.runtimeVersion } else {})
        + (if cfg.protocolVersion != "" then { protocolVersion: cfg.protocolVersion } else {})
        + (local r = $.resources(cfg); if r != {} then { resources: r } else {}),
    } + (if cfg.minReplicas != null then { minReplicas: cfg.minReplicas } else {})
      + (if cfg.maxReplicas != null then { maxReplicas: cfg.maxReplicas } else {})
      + (if cfg.scaleMetric != "" then { scaleMetric: cfg.scaleMetric } else {})
      + (if cfg.scaleTarget != null then { scaleTarget: cfg.scaleTarget } else {})
      + (if cfg.serviceAccountName != "" then { serviceAccountName: cfg.serviceAccountName } else {})
      + (if cfg.numGpus > 0 && cfg.gpuNodeSelectorKey != "" && cfg.gpuNodeSelectorValue != "" then
           { nodeSelector: { [cfg.gpuNodeSelectorKey]: cfg.gpuNodeSelectorValue } } else {})
      + (if cfg.numGpus > 0 && cfg.gpuNodeSelectorKey != "" && cfg.gpuNodeSelectorValue == "" then {
           affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {
             nodeSelectorTerms: [{ matchExpressions: [{ key: cfg.gpuNodeSelectorKey, operator: "Exists" }] }],
           } } },
         } else {})
      + (if cfg.numGpus > 0 && cfg.gpuTolerationKey != "" then
           { tolerations: [{ key: cfg.gpuTolerationKey, operator: "Exists", effect: "NoSchedule" }] } else {}) },
  },

  new(env, params):: [$.inferenceService($.config(env, params))],
  list(items):: lib.list(items),
}
