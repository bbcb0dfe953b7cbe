// A JobSet jobset.x-k8s.io/v1alpha2 (JobSet v0.12.0): one replicated job of indexed Jobs.
local lib = import "kubeflow/jobset/upstream/lib.libsonnet";

{
  config(env, params):: lib.jobConfig(env, params) {
    local p = { command: "null", args: "null", replicas: 1, parallelism: 1, replicatedJob: "workers", backoffLimit: 0 } + params,
    image: p.image,
    command: lib.toArray(p.command),
    args: lib.toArray(p.args),
    replicas: lib.toNumber(p.replicas, 1),
    parallelism: lib.toNumber(p.parallelism, 1),
    replicatedJob: p.replicatedJob,
    backoffLimit: lib.toNumber(p.backoffLimit, 0),
  },

  jobSet(cfg)::
    assert cfg.replicas >= 1 && cfg.parallelism >= 1 : "%s: replicas and parallelism must be at least 1" % cfg.name;
    lib.podGroup(cfg, cfg.replicas * cfg.parallelism) + [{
      apiVersion: "jobset.x-k8s.io/v1alpha2",
      kind: "JobSet",
      metadata: { name: cfg.name, namespace: cfg.namespace } + lib.jobMetaLabels(cfg),
      spec: {
        replicatedJobs: [{
          name: cfg.replicatedJob,
          replicas: cfg.replicas,
          template: { spec: {
            parallelism: cfg.parallelism,
            completions: cfg.parallelism,
            completionMode: "Indexed",
            backoffLimit: cfg.backoffLimit,
            template: lib.podTemplate(cfg, [
              { name: "worker", image: cfg.image } +
              (if cfg.command != [] then { command: cfg.command } else {}) +
              (if cfg.args != [] then { args: cfg.args } else {}) + lib.gpuResources(cfg),
            ], extraSpec={ restartPolicy: "Never" }),
          } },
        }],
      },
    }],

  new(env, params):: $.jobSet($.config(env, params)),
  list(items):: lib.list(items),
}
