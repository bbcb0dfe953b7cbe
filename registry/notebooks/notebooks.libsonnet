// Kubeflow Notebooks v1.11.0: the notebook controller (kubeflow/notebooks
// components/notebook-controller/config/overlays/standalone: no Istio).  A thin layer over the
// vendored release objects (upstream/, written by scripts/vendor_upstream.py).
local up = import "kubeflow/notebooks/upstream/upstream.libsonnet";
local lib = import "kubeflow/notebooks/upstream/lib.libsonnet";

{
  upstreamNamespace:: "notebook-controller-system",
  imageRepo:: "ghcr.io/kubeflow/notebooks/notebook-controller",
  configPrefix:: "notebook-controller-config-",

  defaults:: {
    namespace: $.upstreamNamespace,
    createNamespace: true,
    installCrds: true,
    useIstio: "null",
    istioGateway: "null",
    istioHost: "null",
    clusterDomain: "null",
    enableCulling: "null",
    cullIdleTime: "null",
    idlenessCheckPeriod: "null",
    image: "null",
    imageTag: "null",
    imageRegistry: "null",
    replicas: "null",
    resources: "null",
    nodeSelector: "null",
    tolerations: "null",
  },

  // param → the controller's config key (the overlay's ConfigMap, read through env)
  settings:: {
    useIstio: "USE_ISTIO",
    istioGateway: "ISTIO_GATEWAY",
    istioHost: "ISTIO_HOST",
    clusterDomain: "CLUSTER_DOMAIN",
    enableCulling: "ENABLE_CULLING",
    cullIdleTime: "CULL_IDLE_TIME",
    idlenessCheckPeriod: "IDLENESS_CHECK_PERIOD",
  },
  booleans:: ["useIstio", "enableCulling"],

  config(env, params):: lib.controllerConfig(env, params, $.defaults) {
    local p = $.defaults + params,
    installCrds: lib.toBool(p.installCrds),
    settings: {
      [$.settings[k]]: if std.member($.booleans, k) then (if lib.toBool(p[k]) then "true" else "false") else std.toString(p[k])
      for k in std.objectFields($.settings)
      if lib.isSet(p[k])
    },
  },

  objects(cfg)::
    local crds = if cfg.installCrds then [up.crds[c] for c in std.objectFields(up.crds)] else [];
    local configured = [
      if o.kind == "ConfigMap" && std.startsWith(o.metadata.name, $.configPrefix) then o { data+: cfg.settings } else o
      for o in up.variants.standalone
    ];
    crds + lib.standard(configured, cfg, $.upstreamNamespace, $.imageRepo),

  new(env, params):: $.objects($.config(env, params)),
  list(items):: lib.list(items),
}
