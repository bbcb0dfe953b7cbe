// cert-manager v1.21.1: the release's static cert-manager.yaml (the chart as the release packages
// it, rendered by make/manifests.mk): the Namespace, the six CRDs, the controller, webhook and CA
// injector with their RBAC.  A thin layer over the vendored release objects (upstream/, written by
// scripts/vendor_upstream.py).
local up = import "kubeflow/cert-manager/upstream/upstream.libsonnet";
local lib = import "kubeflow/cert-manager/upstream/lib.libsonnet";

{
  upstreamNamespace:: "cert-manager",
  imageRepo:: "quay.io/jetstack/cert-manager-controller",
  jetstack:: "quay.io/jetstack/cert-manager-",
  components:: ["controller", "webhook", "cainjector", "acmesolver"],
  leaderElectionNamespace:: "kube-system",

  defaults:: {
    namespace: $.upstreamNamespace,
    createNamespace: true,
    installCrds: true,
    leaderElectionNamespace: "null",
    featureGates: "null",
    clusterIssuer: "none",
    image: "null",
    imageTag: "null",
    imageRegistry: "null",
    replicas: "null",
    resources: "null",
    nodeSelector: "null",
    tolerations: "null",
  },

  config(env, params):: lib.controllerConfig(env, params, $.defaults) {
    local p = $.defaults + params,
    local str(v) = if lib.isSet(v) then std.toString(v) else "",
    container: "cert-manager-controller",
    installCrds: lib.toBool(p.installCrds),
    leaderElectionNamespace: str(p.leaderElectionNamespace),
    featureGates: str(p.featureGates),
    clusterIssuer:
      local c = std.asciiLower(str(p.clusterIssuer));
      assert std.member(["", "none", "selfsigned"], c) : "cert-manager: clusterIssuer must be none or selfsigned, got " + c;
      if c == "" then "none" else c,
  },

  // imageTag retags the controller, webhook, CA injector and ACME solver images; the mirror also
  // applies to the ACME solver, which the controller starts by its --acme-http01-solver-image flag
  image(img, cfg)::
    local repo = lib.imageRepo(img);
    local retagged = if cfg.imageTag != "" && std.startsWith(repo, $.jetstack) then repo + ":" + cfg.imageTag else img;
    lib.mirrorImage(retagged, cfg.imageRegistry),

  containers(objs, cfg):: [
    if lib.isWorkload(o) then o {
      spec+: { template+: { spec+: { containers: [
        c {
          image: if c.name == "cert-manager-controller" && cfg.image != "" then lib.mirrorImage(cfg.image, cfg.imageRegistry)
                 else $.image(c.image, cfg),
          [if std.objectHas(c, "args") || (cfg.featureGates != "" && c.name == "cert-manager-controller") then "args"]: [
            if std.startsWith(a, "--acme-http01-solver-image=") then "--acme-http01-solver-image=" + $.image(std.substr(a, 27, std.length(a)), cfg)
            else if std.startsWith(a, "--leader-election-namespace=") && cfg.leaderElectionNamespace != "" then "--leader-election-namespace=" + cfg.leaderElectionNamespace
            else a
            for a in std.get(c, "args", [])
          ] + (if cfg.featureGates != "" && c.name == "cert-manager-controller" then ["--feature-gates=" + cfg.featureGates] else []),
        }
        for c in o.spec.template.spec.containers
      ] } } },
    } else o
    for o in objs
  ],

  // the leader-election Roles live in the leader-election namespace (kube-system, as released)
  leaderElection(objs, cfg)::
    if cfg.leaderElectionNamespace == "" then objs
    else lib.renamespace(objs, $.leaderElectionNamespace, cfg.leaderElectionNamespace),

  clusterIssuer(cfg):: if cfg.clusterIssuer != "selfsigned" then [] else [{
    apiVersion: "cert-manager.io/v1",
    kind: "ClusterIssuer",
    metadata: { name: "selfsigned" },
    spec: { selfSigned: {} },
  }],

  objects(cfg)::
    local crds = if cfg.installCrds then [up.crds[c] for c in std.objectFields(up.crds)] else [];
    local base = up.variants.namespace + up.variants.static;
    // namespace and placement (images: above, so the ACME solver flag follows the mirror too)
    local moved = lib.standard(base, cfg { image: "", imageTag: "", imageRegistry: "" }, $.upstreamNamespace);
    crds + $.leaderElection($.containers(moved, cfg), cfg) + $.clusterIssuer(cfg),

  new(env, params):: $.objects($.config(env, params)),
  list(items):: lib.list(items),
}
