// MPI Operator v0.8.0 (MPIJob kubeflow.org/v2beta1): a thin layer over the vendored release
// (upstream/, scripts/vendor_upstream.py).
local up = import "kubeflow/mpi-operator/upstream/upstream.libsonnet";
local lib = import "kubeflow/mpi-operator/upstream/lib.libsonnet";

{
  upstreamNamespace:: "mpi-operator",
  imageRepo:: "mpioperator/mpi-operator",
  defaults:: { namespace: $.upstreamNamespace, installCrds: true, gangScheduling: "null" },

  config(env, params):: lib.controllerConfig(env, params, $.defaults) {
    local p = $.defaults + params,
    installCrds: lib.toBool(p.installCrds),
    gangScheduling: if lib.isSet(p.gangScheduling) then p.gangScheduling else "",
  },

  objects(cfg)::
    local base = lib.standard(up.variants["mpi-operator"], cfg, $.upstreamNamespace, $.imageRepo);
    // the leader-election lock lives in the controller's namespace
    local lock = lib.mapArgs(base, "mpi-operator", "mpi-operator", function(a)
      [if std.startsWith(x, "--lock-namespace=") then "--lock-namespace=" + cfg.namespace else x for x in a] +
      (if cfg.gangScheduling != "" then ["--gang-scheduling=" + cfg.gangScheduling] else []));
    lib.crds(if cfg.installCrds then [up.crds["mpijobs.kubeflow.org"]] else [], cfg, $.upstreamNamespace) + lock,

  new(env, params):: $.objects($.config(env, params)),
  list(items):: lib.list(items),
}
