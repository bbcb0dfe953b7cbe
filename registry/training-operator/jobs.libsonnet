// Job prototypes served by training-operator v1: PyTorchJob and XGBoostJob (kubeflow.org/v1).
local lib = import "kubeflow/training-operator/upstream/lib.libsonnet";

{
  config(env, params, defaults):: lib.jobConfig(env, params, defaults) {
    local p = defaults + params,
    image: p.image,
    command: lib.toArray(std.get(p, "command", null)),
    args: lib.toArray(std.get(p, "args", null)),
    numMasters: lib.toNumber(p.num_masters, 1),
    numWorkers: lib.toNumber(p.num_workers, 0),
    restartPolicy: lib.orDefault(std.get(p, "restartPolicy", null), "OnFailure"),
    cleanPodPolicy: lib.orDefault(std.get(p, "cleanPodPolicy", null), "None"),
    ttlSecondsAfterFinished: lib.toNumber(std.get(p, "ttlSecondsAfterFinished", null)),
  },

  replica(cfg, container, replicas):: if replicas <= 0 then {} else {
    replicas: replicas,
    restartPolicy: cfg.restartPolicy,
    template: lib.podTemplate(cfg, [
      { name: container, image: cfg.image } +
      (if cfg.command != [] then { command: cfg.command } else {}) +
      (if cfg.args != [] then { args: cfg.args } else {}) +
      lib.gpuResources(cfg),
    ]),
  },

  // kind: PyTorchJob | XGBoostJob; specsKey: pytorchReplicaSpecs | xgbReplicaSpecs
  job(cfg, kind, specsKey, container)::
    assert cfg.numMasters == 0 || cfg.numMasters == 1 : "%s: num_masters must be 0 or 1, got %s" % [cfg.name, cfg.numMasters];
    assert cfg.numMasters + cfg.numWorkers > 0 : "%s: set num_masters or num_workers: a %s needs a Master or a Worker" % [cfg.name, kind];
    assert cfg.numWorkers >= 0 && cfg.numGpus >= 0 : "%s: replica and GPU counts cannot be negative" % cfg.name;
    local master = $.replica(cfg, container, cfg.numMasters);
    local worker = $.replica(cfg, container, cfg.numWorkers);
    lib.podGroup(cfg, cfg.numMasters + cfg.numWorkers) + [{
      apiVersion: "kubeflow.org/v1",
      kind: kind,
      metadata: { name: cfg.name, namespace: cfg.namespace, labels: { app: cfg.name } + lib.jobLabels(cfg) },
      spec: {
        runPolicy: { cleanPodPolicy: cfg.cleanPodPolicy } +
                   (if cfg.ttlSecondsAfterFinished != null then { ttlSecondsAfterFinished: cfg.ttlSecondsAfterFinished } else {}),
        [specsKey]: (if master != {} then { Master: master } else {}) + (if worker != {} then { Worker: worker } else {}),
      },
    }],

  pytorchJob(env, params):: $.job($.config(env, params, { image: "pytorch/pytorch:2.13.0-cuda13.0-cudnn9-runtime", num_masters: 1, num_workers: 0 }),
                                  "PyTorchJob", "pytorchReplicaSpecs", "pytorch"),
  xgboostJob(env, params):: $.job($.config(env, params, { num_masters: 1, num_workers: 0 }), "XGBoostJob", "xgbReplicaSpecs", "xgboost"),
  list(items):: lib.list(items),
}
