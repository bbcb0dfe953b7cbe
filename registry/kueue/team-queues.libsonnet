// Per-team quotas on Kueue v1beta2: ResourceFlavors from the env's platform profile (the GPU
// node label and taint per cloud), one ClusterQueue per team (cohort, borrowing limits) and a
// LocalQueue in each team's namespace.
local lib = import "kubeflow/kueue/upstream/lib.libsonnet";

{
  defaults:: { teams: [], gpuNodeSelectorKey: "null", gpuNodeSelectorValue: "null", gpuTolerationKey: "null",
               createNamespaces: true, defaultFlavor: "default-flavor", gpuResource: "nvidia.com/gpu" },

  config(env, params):: {
    local p = $.defaults + params,
    local str(v) = if lib.isSet(v) then std.toString(v) else "",
    name: p.name,
    teams: if std.isString(p.teams) then std.parseJson(p.teams) else p.teams,
    gpuKey: str(p.gpuNodeSelectorKey),
    gpuValue: str(p.gpuNodeSelectorValue),
    gpuToleration: str(p.gpuTolerationKey),
    createNamespaces: lib.toBool(p.createNamespaces),
    defaultFlavor: p.defaultFlavor,
    gpuResource: p.gpuResource,
  },

  team(cfg, t)::
    assert std.isObject(t) && std.objectHas(t, "name") : "team-queues: every team needs a name, got " + std.toString(t);
    local has(k) = std.objectHas(t, k) && lib.isSet(t[k]);
    local borrowing = if has("borrowingLimit") then (if std.isObject(t.borrowingLimit) then t.borrowingLimit
                                                      else { cpu: t.borrowingLimit, memory: null, gpu: null }) else {};
    assert borrowing == {} || has("cohort") :
           "team-queues: team %s sets borrowingLimit without a cohort (it can only borrow from a cohort)" % t.name;
    {
      name: t.name,
      namespace: if has("namespace") then t.namespace else t.name,
      queue: if has("queue") then t.queue else t.name,
      cpu: if has("cpu") then t.cpu else 0,
      memory: if has("memory") then t.memory else 0,
      gpu: if has("gpu") then t.gpu else 0,
      cohort: if has("cohort") then t.cohort else "",
      gpuType: if has("gpuType") then t.gpuType else cfg.gpuValue,
      borrowing: borrowing,
    },

  // "gpu" for a presence label (nvidia.com/gpu.present=true) or none, else gpu-<type>
  gpuFlavorName(type):: if type == "" || std.asciiLower(type) == "true" then "gpu" else "gpu-" + std.asciiLower(type),

  objects(cfg)::
    assert std.isArray(cfg.teams) && std.length(cfg.teams) > 0 :
           "team-queues: teams is empty; give e.g. --teams=\"[{name: 'team-a', cpu: 8, memory: '32Gi', gpu: 2}]\"";
    local teams = [$.team(cfg, t) for t in cfg.teams];
    local names = [t.name for t in teams];
    assert std.length(std.set(names)) == std.length(names) : "team-queues: team names repeat: " + std.join(", ", names);
    local gpuTypes = std.set([t.gpuType for t in teams if t.gpu != 0]);
    local flavor(name, labels, tolerations) = {
      apiVersion: "kueue.x-k8s.io/v1beta2",
      kind: "ResourceFlavor",
      metadata: { name: name },
      spec: (if labels != {} then { nodeLabels: labels } else {}) + (if tolerations != [] then { tolerations: tolerations } else {}),
    };
    local gpuTolerations = if cfg.gpuToleration != "" then [{ key: cfg.gpuToleration, operator: "Exists", effect: "NoSchedule" }] else [];
    local quota(t, res, key, amount) = { name: res, nominalQuota: amount } +
      (if std.objectHas(t.borrowing, key) && t.borrowing[key] != null then { borrowingLimit: t.borrowing[key] } else {});
    [flavor(cfg.defaultFlavor, {}, [])] +
    [flavor($.gpuFlavorName(g), if cfg.gpuKey != "" && g != "" then { [cfg.gpuKey]: g } else {}, gpuTolerations) for g in gpuTypes] +
    std.flattenArrays([
      (if cfg.createNamespaces then [{ apiVersion: "v1", kind: "Namespace", metadata: { name: t.namespace } }] else []) + [
        {
          apiVersion: "kueue.x-k8s.io/v1beta2",
          kind: "ClusterQueue",
          metadata: { name: t.name },
          spec: {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": t.namespace } },
            resourceGroups: [{
              coveredResources: ["cpu", "memory"],
              flavors: [{ name: cfg.defaultFlavor, resources: [quota(t, "cpu", "cpu", t.cpu), quota(t, "memory", "memory", t.memory)] }],
            }] + (if t.gpu == 0 then [] else [{
              coveredResources: [cfg.gpuResource],
              flavors: [{ name: $.gpuFlavorName(t.gpuType), resources: [quota(t, cfg.gpuResource, "gpu", t.gpu)] }],
            }]),
          } + (if t.cohort != "" then { cohortName: t.cohort } else {}),
        },
        {
          apiVersion: "kueue.x-k8s.io/v1beta2",
          kind: "LocalQueue",
          metadata: { name: t.queue, namespace: t.namespace },
          spec: { clusterQueue: t.name },
        },
      ]
      for t in teams
    ]),

  new(env, params):: $.objects($.config(env, params)),
  list(items):: lib.list(items),
}
