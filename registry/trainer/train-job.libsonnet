// A TrainJob trainer.kubeflow.org/v1alpha1 (Trainer v2.3.0) on a (Cluster)TrainingRuntime.
local lib = import "kubeflow/trainer/upstream/lib.libsonnet";

{
  config(env, params):: lib.jobConfig(env, params) {
    local p = { runtime: "torch-distributed", runtimeKind: "ClusterTrainingRuntime", image: "null", command: "null",
                args: "null", numNodes: "null", replicatedJob: "node" } + params,
    runtime: p.runtime,
    runtimeKind:
      local k = p.runtimeKind;
      assert std.member(["ClusterTrainingRuntime", "TrainingRuntime"], k) : "%s: runtimeKind must be ClusterTrainingRuntime or TrainingRuntime, got %s" % [p.name, k];
      k,
    image: if lib.isSet(p.image) then p.image else "",
    command: lib.toArray(p.command),
    args: lib.toArray(p.args),
    numNodes: lib.toNumber(p.numNodes),
    replicatedJob: p.replicatedJob,
  },

  trainJob(cfg)::
    assert cfg.gangScheduling != "coscheduling" :
           "%s: a TrainJob gets gang scheduling from its runtime (podGroupPolicy); use gangScheduling=kueue or none" % cfg.name;
    local gpuPlacement = lib.gpuPlacement(cfg, true);
    // runtime patches allow nodeSelector and tolerations (not affinity)
    local placement = { [k]: gpuPlacement[k] for k in std.objectFields(gpuPlacement) if k != "affinity" };
    local trainer = (if cfg.image != "" then { image: cfg.image } else {}) +
                    (if cfg.command != [] then { command: cfg.command } else {}) +
                    (if cfg.args != [] then { args: cfg.args } else {}) +
                    (if cfg.numNodes != null then { numNodes: cfg.numNodes } else {}) +
                    (if cfg.numGpus > 0 then { resourcesPerNode: { limits: { "nvidia.com/gpu": cfg.numGpus } } } else {});
    [{
      apiVersion: "trainer.kubeflow.org/v1alpha1",
      kind: "TrainJob",
      metadata: { name: cfg.name, namespace: cfg.namespace } + lib.jobMetaLabels(cfg),
      spec: {
        runtimeRef: { apiGroup: "trainer.kubeflow.org", kind: cfg.runtimeKind, name: cfg.runtime },
        [if trainer != {} then "trainer"]: trainer,
        // GPU node placement: a runtime patch of the runtime's replicated job's pod template
        [if placement != {} then "runtimePatches"]: [{
          manager: "kfctl",
          trainingRuntimeSpec: { template: { spec: { replicatedJobs: [{
            name: cfg.replicatedJob,
            template: { spec: { template: { spec: placement } } },
          }] } } },
        }],
      },
    }],

  new(env, params):: $.trainJob($.config(env, params)),
  list(items):: lib.list(items),
}
