// The NVIDIA device plugin v0.20.0 DaemonSet (NVIDIA/k8s-device-plugin deployments/static/
// nvidia-device-plugin.yml, vendored in upstream/device-plugin): advertises nvidia.com/gpu on nodes
// with the NVIDIA driver and container toolkit.  A thin layer: name, namespace, image, priority
// class, GPU node placement and the plugin's FAIL_ON_INIT_ERROR / MIG_STRATEGY switches.
local up = import "kubeflow/gpu/upstream/device-plugin/upstream.libsonnet";
local lib = import "kubeflow/gpu/upstream/device-plugin/lib.libsonnet";

{
  upstreamNamespace:: "kube-system",
  imageRepo:: "nvcr.io/nvidia/k8s-device-plugin",
  defaults:: {
    namespace: $.upstreamNamespace,
    image: "null",
    imageRegistry: "null",
    priorityClassName: "system-node-critical",
    gpuNodeSelectorKey: "null",
    gpuNodeSelectorValue: "null",
    gpuTolerationKey: "nvidia.com/gpu",
    failOnInitError: "true",
    migStrategy: "none",
  },

  config(env, params):: lib.controllerConfig(env, params, $.defaults) {
    local p = $.defaults + params,
    local str(v) = if lib.isSet(v) then std.toString(v) else "",
    name: std.get(p, "name", "nvidia-device-plugin-daemonset"),
    createNamespace: true,
    priorityClassName: str(p.priorityClassName),
    gpuNodeSelectorKey: str(p.gpuNodeSelectorKey),
    gpuNodeSelectorValue: str(p.gpuNodeSelectorValue),
    gpuTolerationKey: str(p.gpuTolerationKey),
    failOnInitError: lib.toBool(p.failOnInitError),
    migStrategy:
      local s = std.asciiLower(lib.orDefault(p.migStrategy, "none"));
      assert std.member(["none", "single", "mixed"], s) : "nvidia-device-plugin: migStrategy must be none, single or mixed, got %s" % s;
      s,
  },

  daemonSet(cfg)::
    local released = lib.standard(up.variants.static, cfg, $.upstreamNamespace, $.imageRepo)[0];
    local pod = released.spec.template.spec;
    local env = (if cfg.failOnInitError then [] else [{ name: "FAIL_ON_INIT_ERROR", value: "false" }]) +
                (if cfg.migStrategy == "none" then [] else [{ name: "MIG_STRATEGY", value: cfg.migStrategy }]);
    released {
      metadata+: { name: cfg.name },
      spec+: { template+: { spec+: {
        tolerations: [
          if t.key == "nvidia.com/gpu" then t { key: cfg.gpuTolerationKey } else t
          for t in pod.tolerations if !(t.key == "nvidia.com/gpu" && cfg.gpuTolerationKey == "")
        ],
        containers: [c { env: std.get(c, "env", []) + env } for c in pod.containers],
      } + (if cfg.priorityClassName == "" then { priorityClassName:: null } else { priorityClassName: cfg.priorityClassName })
        + (if cfg.gpuNodeSelectorKey != "" && cfg.gpuNodeSelectorValue != "" then
             { nodeSelector: { [cfg.gpuNodeSelectorKey]: cfg.gpuNodeSelectorValue } } else {})
        + (if cfg.gpuNodeSelectorKey != "" && cfg.gpuNodeSelectorValue == "" then {
             affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {
               nodeSelectorTerms: [{ matchExpressions: [{ key: cfg.gpuNodeSelectorKey, operator: "Exists" }] }],
             } } },
           } else {}) } },
    },

  new(env, params):: $.daemonSet($.config(env, params)),
  list(items):: lib.list(items),
}
