// Kubeflow Trainer v2.3.0 (TrainJob, TrainingRuntime, ClusterTrainingRuntime): a thin layer over
// the vendored release (upstream/): manifests/overlays/manager with JobSet v0.12.0 bundled
// (variant manager) or not (manager-without-jobset, upstream's "if JobSet is installed" line
// removed), and the upstream ClusterTrainingRuntimes (overlays/runtimes) as an option.
local up = import "kubeflow/trainer/upstream/upstream.libsonnet";
local lib = import "kubeflow/trainer/upstream/lib.libsonnet";

{
  upstreamNamespace:: "kubeflow-system",
  imageRepo:: "ghcr.io/kubeflow/trainer/trainer-controller-manager",
  defaults:: { namespace: $.upstreamNamespace, installCrds: true, jobset: "bundled", runtimes: "false" },

  config(env, params):: lib.controllerConfig(env, params, $.defaults) {
    local p = $.defaults + params,
    installCrds: lib.toBool(p.installCrds),
    jobset:
      local v = std.asciiLower(lib.orDefault(p.jobset, "bundled"));
      assert std.member(["bundled", "external"], v) : "trainer: jobset must be bundled or external (JobSet installed separately), got " + v;
      v,
    runtimes: lib.toBool(p.runtimes),
  },

  crds(cfg):: if !cfg.installCrds then [] else [
    up.crds[c] for c in std.objectFields(up.crds)
    if cfg.jobset == "bundled" || c != "jobsets.jobset.x-k8s.io"
  ],

  objects(cfg)::
    local variant = if cfg.jobset == "bundled" then up.variants.manager else up.variants["manager-without-jobset"];
    lib.crds($.crds(cfg), cfg, $.upstreamNamespace) + lib.standard(variant, cfg, $.upstreamNamespace, $.imageRepo) +
    (if cfg.runtimes then up.variants.runtimes else []),

  new(env, params):: $.objects($.config(env, params)),
  list(items):: lib.list(items),
}
