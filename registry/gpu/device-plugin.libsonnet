// The NVIDIA device plugin DaemonSet (NVIDIA/k8s-device-plugin deployments/static/nvidia-device-plugin.yml):
// advertises nvidia.com/gpu on nodes with the NVIDIA driver and container toolkit.
local util = import "kubeflow/gpu/util.libsonnet";

{
  defaults:: {
    namespace: "kube-system",
    image: "nvcr.io/nvidia/k8s-device-plugin:v0.17.0",
    priorityClassName: "system-node-critical",
    gpuNodeSelectorKey: "null",
    gpuNodeSelectorValue: "null",
    gpuTolerationKey: "nvidia.com/gpu",
    failOnInitError: "true",
    migStrategy: "none",
  },

  config(env, params):: {
    local p = $.defaults + params,
    local str(v) = if util.isSet(v) then std.toString(v) else "",
    name: p.name,
    namespace: util.namespace(env, $.defaults + params),
    image: p.image,
    priorityClassName: str(p.priorityClassName),
    gpuNodeSelectorKey: str(p.gpuNodeSelectorKey),
    gpuNodeSelectorValue: str(p.gpuNodeSelectorValue),
    gpuTolerationKey: str(p.gpuTolerationKey),
    failOnInitError: util.toBool(p.failOnInitError),
    migStrategy:
      local s = std.asciiLower(util.orDefault(p.migStrategy, "none"));
      assert std.member(["none", "single", "mixed"], s) : "nvidia-device-plugin: migStrategy must be none, single or mixed, got %s" % s;
      s,
  },

  daemonSet(cfg):: {
    local labels = { name: cfg.name },
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: cfg.name, namespace: cfg.namespace, labels: { "app.kubernetes.io/name": "nvidia-device-plugin" } },
    spec: {
      selector: { matchLabels: labels },
      updateStrategy: { type: "RollingUpdate" },
      template: {
        metadata: { labels: labels },
        spec: {
          tolerations:
            (if cfg.gpuTolerationKey != "" then [{ key: cfg.gpuTolerationKey, operator: "Exists", effect: "NoSchedule" }] else []) +
            [{ key: "CriticalAddonsOnly", operator: "Exists" }],
          priorityClassName: if cfg.priorityClassName != "" then cfg.priorityClassName else null,
          nodeSelector:
            if cfg.gpuNodeSelectorKey != "" && cfg.gpuNodeSelectorValue != "" then
              { [cfg.gpuNodeSelectorKey]: cfg.gpuNodeSelectorValue }
            else null,
          affinity:
            if cfg.gpuNodeSelectorKey != "" && cfg.gpuNodeSelectorValue == "" then {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [{ matchExpressions: [{ key: cfg.gpuNodeSelectorKey, operator: "Exists" }] }],
                },
              },
            } else null,
          containers: [
            {
              name: "nvidia-device-plugin-ctr",
              image: cfg.image,
              env: [
                { name: "FAIL_ON_INIT_ERROR", value: if cfg.failOnInitError then "true" else "false" },
                { name: "MIG_STRATEGY", value: cfg.migStrategy },
              ],
              securityContext: {
                allowPrivilegeEscalation: false,
                capabilities: { drop: ["ALL"] },
              },
              volumeMounts: [{ name: "kubelet-device-plugins-dir", mountPath: "/var/lib/kubelet/device-plugins" }],
            },
          ],
          volumes: [
            { name: "kubelet-device-plugins-dir", hostPath: { path: "/var/lib/kubelet/device-plugins", type: "Directory" } },
          ],
        },
      },
    },
  },

  new(env, params):: $.daemonSet($.config(env, params)),

  list(items):: std.prune({ apiVersion: "v1", kind: "List", items: items }),
}
