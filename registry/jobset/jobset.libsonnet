// JobSet v0.12.0 controller: a thin layer over the vendored release manifests (upstream/).
local up = import "kubeflow/jobset/upstream/upstream.libsonnet";
local lib = import "kubeflow/jobset/upstream/lib.libsonnet";

{
  upstreamNamespace:: "jobset-system",
  imageRepo:: "registry.k8s.io/jobset/jobset",
  defaults:: { namespace: $.upstreamNamespace, installCrds: true },

  config(env, params):: lib.controllerConfig(env, params, $.defaults) {
    installCrds: lib.toBool(($.defaults + params).installCrds),
  },

  objects(cfg)::
    lib.crds(if cfg.installCrds then [up.crds["jobsets.jobset.x-k8s.io"]] else [], cfg, $.upstreamNamespace) +
    lib.standard(up.variants.manifests, cfg, $.upstreamNamespace, $.imageRepo),

  new(env, params):: $.objects($.config(env, params)),
  list(items):: lib.list(items),
}
