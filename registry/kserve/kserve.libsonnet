// KServe v0.20.0: the controller (config/overlays/standalone/kserve with its full CRDs, cert-manager
// Certificate and webhooks) and the ClusterServingRuntimes (config/runtimes), in Standard mode
// (raw Deployments; no Istio, no Knative) unless deploymentMode=Knative.  A thin layer over the
// vendored release objects (upstream/, written by scripts/vendor_upstream.py).
local up = import "kubeflow/kserve/upstream/upstream.libsonnet";
local lib = import "kubeflow/kserve/upstream/lib.libsonnet";

{
  upstreamNamespace:: "kserve",
  imageRepo:: "kserve/kserve-controller",
  deployment:: "kserve-controller-manager",
  configMap:: "inferenceservice-config",

  defaults:: {
    namespace: $.upstreamNamespace,
    createNamespace: true,
    installCrds: true,
    deploymentMode: "Standard",
    runtimes: "all",
    tensorflowServingImage: "null",
    ingressClassName: "null",
    ingressDomain: "null",
    disableIngressCreation: "null",
    enableGatewayApi: "null",
    image: "null",
    imageTag: "null",
    imageRegistry: "null",
    replicas: "null",
    resources: "null",
    nodeSelector: "null",
    tolerations: "null",
  },

  modes:: { standard: "Standard", rawdeployment: "Standard", knative: "Knative", serverless: "Knative" },

  config(env, params):: lib.controllerConfig(env, params, $.defaults) {
    local p = $.defaults + params,
    local str(v) = if lib.isSet(v) then std.toString(v) else "",
    container: "manager",  // resources are the manager's, not its kube-rbac-proxy sidecar's
    installCrds: lib.toBool(p.installCrds),
    deploymentMode:
      local m = std.asciiLower(str(p.deploymentMode));
      assert std.objectHas($.modes, m) : "kserve: deploymentMode must be Standard or Knative, got " + p.deploymentMode;
      $.modes[m],
    local all = [o.metadata.name for o in up.variants.runtimes],
    local asked = lib.toArray(p.runtimes),
    local unknown = [r for r in asked if r != "all" && r != "none" && !std.member(all, r) && !std.member(all, "kserve-" + r)],
    runtimes:
      assert std.length(unknown) == 0 :
             "kserve: runtimes has unknown runtime(s) %s; use all, none or a comma list of %s" % [std.join(", ", unknown), std.join(", ", all)];
      if std.member(asked, "all") then all
      else if std.member(asked, "none") || std.length(asked) == 0 then []
      else std.set([if std.member(all, r) then r else "kserve-" + r for r in asked]),
    tensorflowServingImage: str(p.tensorflowServingImage),
    ingress: {
      [k]: if k == "ingressClassName" || k == "ingressDomain" then std.toString(p[k]) else lib.toBool(p[k])
      for k in ["ingressClassName", "ingressDomain", "disableIngressCreation", "enableGatewayApi"]
      if lib.isSet(p[k])
    },
  },

  // a JSON-valued key of inferenceservice-config, edited as the upstream install script does
  // (`update_isvc_config`: jq ... | tojson, i.e. compact JSON)
  editConfig(objs, key, f):: [
    if o.kind == "ConfigMap" && o.metadata.name == $.configMap then o {
      data+: { [key]: std.manifestJsonMinified(f(std.parseJson(o.data[key]))) },
    } else o
    for o in objs
  ],

  settings(objs, cfg)::
    // the release's ConfigMap says "Serverless" (Knative, the controller's default); Standard is
    // what upstream's Standard-mode install writes (deploy.defaultDeploymentMode=Standard)
    local mode = if cfg.deploymentMode == "Standard" then $.editConfig(objs, "deploy", function(d) d { defaultDeploymentMode: "Standard" })
                 else objs;
    if cfg.ingress == {} then mode else $.editConfig(mode, "ingress", function(i) i + cfg.ingress),

  // images the controller starts at run time: the storage initializer, agent, router, ... in
  // inferenceservice-config, and the serving runtimes' containers
  mirrorConfigImages(objs, cfg)::
    if cfg.imageRegistry == "" then objs else
    local m(v) = if std.isObject(v) then {
      [k]: if std.member(["image", "defaultJobImage"], k) && std.isString(v[k]) then lib.mirrorImage(v[k], cfg.imageRegistry) else m(v[k])
      for k in std.objectFields(v)
    } else v;
    [
      if o.kind == "ConfigMap" && o.metadata.name == $.configMap then o {
        data: {
          [k]: if k == "_example" then o.data[k] else
            local text = o.data[k];
            local changed = m(std.parseJson(text));
            if changed == std.parseJson(text) then text else std.manifestJsonMinified(changed)
          for k in std.objectFields(o.data)
        },
      } else o
      for o in objs
    ],

  runtimeObjects(cfg):: [
    local containers(cs) = [
      local img = if o.metadata.name == "kserve-tensorflow-serving" && cfg.tensorflowServingImage != "" then cfg.tensorflowServingImage else c.image;
      c { image: lib.mirrorImage(img, cfg.imageRegistry) }
      for c in cs
    ];
    o {
      spec+: { containers: containers(o.spec.containers) } +
             (if std.objectHas(o.spec, "workerSpec") && std.objectHas(o.spec.workerSpec, "containers") then
                { workerSpec+: { containers: containers(o.spec.workerSpec.containers) } } else {}),
    }
    for o in up.variants.runtimes
    if std.member(cfg.runtimes, o.metadata.name)
  ],

  objects(cfg)::
    local crds = if cfg.installCrds then [up.crds[c] for c in std.objectFields(up.crds)] else [];
    // the overlay's CRDs carry the CA injection of the InferenceService conversion webhook: they
    // move with the namespace like the rest of the overlay
    local controller = lib.standard(crds + up.variants.kserve, cfg, $.upstreamNamespace, $.imageRepo);
    $.mirrorConfigImages($.settings(controller, cfg), cfg) + $.runtimeObjects(cfg),

  new(env, params):: $.objects($.config(env, params)),
  list(items):: lib.list(items),
}
