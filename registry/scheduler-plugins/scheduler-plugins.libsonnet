// scheduler-plugins v0.34.7 as a second scheduler (the as-a-second-scheduler chart): a thin layer
// over the vendored chart renders (upstream/). Pods use it with schedulerName
// scheduler-plugins-scheduler and gang-schedule through a PodGroup (label scheduling.x-k8s.io/pod-group).
local up = import "kubeflow/scheduler-plugins/upstream/upstream.libsonnet";
local lib = import "kubeflow/scheduler-plugins/upstream/lib.libsonnet";

{
  upstreamNamespace:: "scheduler-plugins",
  schedulerName:: "scheduler-plugins-scheduler",
  defaults:: { namespace: $.upstreamNamespace, installCrds: true, plugins: "coscheduling", schedulerImage: "null", controllerImage: "null" },

  config(env, params):: lib.controllerConfig(env, params, $.defaults) {
    local p = $.defaults + params,
    installCrds: lib.toBool(p.installCrds),
    plugins:
      local v = std.asciiLower(lib.orDefault(p.plugins, "coscheduling"));
      assert std.member(["coscheduling", "chart-defaults"], v) : "scheduler-plugins: plugins must be coscheduling or chart-defaults, got " + v;
      v,
    schedulerImage: if lib.isSet(p.schedulerImage) then p.schedulerImage else "",
    controllerImage: if lib.isSet(p.controllerImage) then p.controllerImage else "",
  },

  objects(cfg)::
    local moved = lib.standard(up.variants[cfg.plugins], cfg, $.upstreamNamespace);
    local images = lib.images(moved, cfg.imageRegistry, {
      "registry.k8s.io/scheduler-plugins/kube-scheduler": cfg.schedulerImage,
      "registry.k8s.io/scheduler-plugins/controller": cfg.controllerImage,
    });
    lib.crds(if cfg.installCrds then [up.crds[c] for c in std.objectFields(up.crds)] else [], cfg, $.upstreamNamespace) +
    (if cfg.createNamespace then [lib.namespaceObject(cfg.namespace)] else []) + images,

  new(env, params):: $.objects($.config(env, params)),
  list(items):: lib.list(items),
}
