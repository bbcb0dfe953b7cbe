// Argo Workflows v4.1.2: the release's install.yaml (manifests/cluster-install with the release's
// image tags): the full CRDs — which need server-side apply, as kfctl applies — the workflow
// controller, the Argo server, their RBAC, ConfigMap and PriorityClass.  A thin layer over the
// vendored release objects (upstream/, written by scripts/vendor_upstream.py).
local up = import "kubeflow/argo-workflows/upstream/upstream.libsonnet";
local lib = import "kubeflow/argo-workflows/upstream/lib.libsonnet";

{
  upstreamNamespace:: "argo",
  imageRepo:: "quay.io/argoproj/workflow-controller",
  serverImageRepo:: "quay.io/argoproj/argocli",
  version:: "v4.1.2",

  defaults:: {
    namespace: $.upstreamNamespace,
    createNamespace: true,
    installCrds: true,
    server: true,
    serverAuthMode: "null",
    executorImage: "null",
    parallelism: "null",
    controllerConfig: "null",
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
    container: "workflow-controller",
    installCrds: lib.toBool(p.installCrds),
    server: lib.toBool(p.server),
    serverAuthMode: lib.toArray(p.serverAuthMode),
    executorImage: str(p.executorImage),
    parallelism: lib.toNumber(p.parallelism),
    controllerConfig: lib.toObject(p.controllerConfig),
  },

  // the release expects `kubectl create namespace argo` before `kubectl apply -n argo`
  namespaceObject(cfg):: if !cfg.createNamespace then [] else [{ apiVersion: "v1", kind: "Namespace", metadata: { name: cfg.namespace } }],

  serverObjects:: { Deployment: ["argo-server"], Service: ["argo-server"], ServiceAccount: ["argo-server"],
                    ClusterRole: ["argo-server-cluster-role"], ClusterRoleBinding: ["argo-server-binding"] },
  isServer(o):: std.objectHas($.serverObjects, o.kind) && std.member($.serverObjects[o.kind], o.metadata.name),

  // workflow-controller-configmap: its keys are the controller's config (values are YAML text)
  controllerConfigMap(objs, cfg)::
    local extra = (if cfg.parallelism != null then { parallelism: std.toString(cfg.parallelism) } else {}) +
                  (if cfg.controllerConfig == null then {} else {
                     [k]: if std.isString(cfg.controllerConfig[k]) then cfg.controllerConfig[k]
                          else std.native("manifestYamlFromJson")(std.manifestJson(cfg.controllerConfig[k]))
                     for k in std.objectFields(cfg.controllerConfig)
                   });
    [if o.kind == "ConfigMap" && o.metadata.name == "workflow-controller-configmap" && extra != {} then o { data: std.get(o, "data", {}) + extra } else o
     for o in objs],

  args(objs, cfg)::
    local exec = if cfg.executorImage != "" then cfg.executorImage
                 else if cfg.imageRegistry != "" then lib.mirrorImage("quay.io/argoproj/argoexec:" + $.version, cfg.imageRegistry)
                 else "";
    local withExec = if exec == "" then objs else lib.mapArgs(objs, "workflow-controller", "workflow-controller", function(a) a + ["--executor-image", exec]);
    if std.length(cfg.serverAuthMode) == 0 then withExec
    else lib.mapArgs(withExec, "argo-server", "argo-server", function(a) a + ["--auth-mode=" + m for m in cfg.serverAuthMode]),

  objects(cfg)::
    local crds = if cfg.installCrds then [up.crds[c] for c in std.objectFields(up.crds)] else [];
    local base = [o for o in up.variants["cluster-install"] if cfg.server || !$.isServer(o)];
    local moved = lib.standard(base, cfg, $.upstreamNamespace, $.imageRepo);
    crds + $.namespaceObject(cfg) + $.args($.controllerConfigMap(moved, cfg), cfg),

  new(env, params):: $.objects($.config(env, params)),
  list(items):: lib.list(items),
}
