// The NVIDIA GPU Operator v26.7.0 (NVIDIA/gpu-operator chart deployments/gpu-operator, helm template,
// vendored in upstream/gpu-operator) with its Node Feature Discovery subchart and the ClusterPolicy
// CR.  A thin layer: namespace, images (the operator's and, with imageRegistry, every operand's
// repository in the ClusterPolicy), and the per-cloud ClusterPolicy switches (driver, toolkit and
// their host paths, MIG strategy, DCGM exporter, NFD).
local up = import "kubeflow/gpu/upstream/gpu-operator/upstream.libsonnet";
local lib = import "kubeflow/gpu/upstream/gpu-operator/lib.libsonnet";

{
  upstreamNamespace:: "gpu-operator",
  imageRepo:: "nvcr.io/nvidia/gpu-operator",
  nfdCrds:: ["nodefeaturegroups.nfd.k8s-sigs.io", "nodefeaturerules.nfd.k8s-sigs.io", "nodefeatures.nfd.k8s-sigs.io"],
  defaults:: {
    namespace: $.upstreamNamespace, installCrds: true,
    driver: "true", toolkit: "true", driverInstallDir: "null", toolkitInstallDir: "null",
    migStrategy: "null", dcgmExporter: "true", nfd: "true",
  },

  config(env, params):: lib.controllerConfig(env, params, $.defaults) {
    local p = $.defaults + params,
    local str(v) = if lib.isSet(v) then std.toString(v) else "",
    installCrds: lib.toBool(p.installCrds),
    driver: lib.toBool(p.driver),
    toolkit: lib.toBool(p.toolkit),
    driverInstallDir: str(p.driverInstallDir),
    toolkitInstallDir: str(p.toolkitInstallDir),
    migStrategy:
      local s = std.asciiLower(str(p.migStrategy));
      assert s == "" || std.member(["none", "single", "mixed"], s) : "gpu-operator: migStrategy must be none, single or mixed, got " + s;
      s,
    dcgmExporter: lib.toBool(p.dcgmExporter),
    nfd: lib.toBool(p.nfd),
  },

  isNfd(o):: std.length(std.findSubstr("node-feature-discovery", o.metadata.name)) > 0,

  clusterPolicy(cp, cfg):: cp {
    spec+: {
      driver+: { enabled: cfg.driver },
      toolkit+: { enabled: cfg.toolkit } + (if cfg.toolkitInstallDir != "" then { installDir: cfg.toolkitInstallDir } else {}),
      dcgmExporter+: { enabled: cfg.dcgmExporter },
      [if cfg.driverInstallDir != "" then "hostPaths"]+: { driverInstallDir: cfg.driverInstallDir },
      [if cfg.migStrategy != "" then "mig"]+: { strategy: cfg.migStrategy },
    } + (if cfg.imageRegistry == "" then {} else {
      [k]: cp.spec[k] { repository: lib.mirrorImage(cp.spec[k].repository + "/x", cfg.imageRegistry)[:-2] }
      for k in std.objectFields(cp.spec)
      if std.isObject(cp.spec[k]) && std.objectHas(cp.spec[k], "repository")
    }),
  },

  objects(cfg)::
    local kept = [o for o in up.variants.chart if cfg.nfd || !$.isNfd(o)];
    local moved = lib.standard(kept, cfg, $.upstreamNamespace, $.imageRepo);
    lib.crds(if cfg.installCrds then [up.crds[c] for c in std.objectFields(up.crds) if cfg.nfd || !std.member($.nfdCrds, c)] else [], cfg, $.upstreamNamespace) +
    (if cfg.createNamespace then [lib.namespaceObject(cfg.namespace)] else []) +
    [if o.kind == "ClusterPolicy" then $.clusterPolicy(o, cfg) else o for o in moved],

  new(env, params):: $.objects($.config(env, params)),
  list(items):: lib.list(items),
}
