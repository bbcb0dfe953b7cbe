// An MPIJob kubeflow.org/v2beta1 (MPI Operator v0.8.0).
local lib = import "kubeflow/mpi-operator/upstream/lib.libsonnet";

{
  config(env, params):: lib.jobConfig(env, params) {
    local p = { num_workers: 2, slotsPerWorker: 1, cleanPodPolicy: "Running", command: "null" } + params,
    image: p.image,
    command: lib.toArray(p.command),
    numWorkers: lib.toNumber(p.num_workers, 2),
    slotsPerWorker: lib.toNumber(p.slotsPerWorker, 1),
    cleanPodPolicy: lib.orDefault(p.cleanPodPolicy, "Running"),
  },

  mpiJob(cfg)::
    assert cfg.numWorkers >= 1 : "%s: an MPIJob needs num_workers >= 1" % cfg.name;
    lib.podGroup(cfg, cfg.numWorkers + 1) + [{
      apiVersion: "kubeflow.org/v2beta1",
      kind: "MPIJob",
      metadata: { name: cfg.name, namespace: cfg.namespace, labels: { app: cfg.name } + lib.jobLabels(cfg) },
      spec: {
        slotsPerWorker: cfg.slotsPerWorker,
        runPolicy: { cleanPodPolicy: cfg.cleanPodPolicy },
        mpiReplicaSpecs: {
          Launcher: {
            replicas: 1,
            template: lib.podTemplate(cfg, [
              { name: "launcher", image: cfg.image } + (if cfg.command != [] then { command: cfg.command } else {}),
            ], gpu=false),
          },
          Worker: {
            replicas: cfg.numWorkers,
            template: lib.podTemplate(cfg, [{ name: "worker", image: cfg.image } + lib.gpuResources(cfg)]),
          },
        },
      },
    }],

  new(env, params):: $.mpiJob($.config(env, params)),
  list(items):: lib.list(items),
}
