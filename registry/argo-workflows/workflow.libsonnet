// An Argo Workflow (argoproj.io/v1alpha1): one container, or steps run as a DAG (each step an
// image and command, with dependencies), and the executor's RBAC (the emissary executor writes
// WorkflowTaskResults with the pod's service account).
local lib = import "kubeflow/argo-workflows/upstream/lib.libsonnet";

{
  defaults:: {
    namespace: "null",
    image: "busybox:1.37",
    command: "echo,hello",
    steps: "null",
    serviceAccountName: "null",
    executorRbac: true,
    ttlSecondsAfterFinished: "null",
    podGC: "null",
    parallelism: "null",
    activeDeadlineSeconds: "null",
    queue: "null",
  },

  config(env, params):: {
    local p = $.defaults + params,
    local str(v) = if lib.isSet(v) then std.toString(v) else "",
    name: p.name,
    namespace: lib.namespace(env, p, null),
    image: str(p.image),
    command: lib.toArray(p.command),
    steps:
      local s = if std.isString(p.steps) && lib.isSet(p.steps) then std.native("parseYaml")(p.steps)[0]
                else if std.isArray(p.steps) then p.steps else [];
      [
        assert std.objectHas(x, "name") : "%s: every step needs a name" % p.name;
        x
        for x in s
      ],
    executorRbac: lib.toBool(p.executorRbac),
    serviceAccountName: if lib.isSet(p.serviceAccountName) then p.serviceAccountName
                        else if self.executorRbac then p.name + "-executor" else "",
    ttlSecondsAfterFinished: lib.toNumber(p.ttlSecondsAfterFinished),
    podGC:
      local g = str(p.podGC);
      local ok = ["", "OnPodCompletion", "OnPodSuccess", "OnWorkflowCompletion", "OnWorkflowSuccess"];
      assert std.member(ok, g) : "%s: podGC must be one of %s, got %s" % [p.name, std.join(", ", ok[1:]), g];
      g,
    parallelism: lib.toNumber(p.parallelism),
    activeDeadlineSeconds: lib.toNumber(p.activeDeadlineSeconds),
    queue: str(p.queue),
  },

  container(image, command, args=[]):: { image: image } +
    (if std.length(command) > 0 then { command: command } else {}) +
    (if std.length(args) > 0 then { args: args } else {}),

  templates(cfg)::
    if std.length(cfg.steps) == 0 then [{ name: "main", container: $.container(cfg.image, cfg.command) }]
    else
      local names = [s.name for s in cfg.steps];
      [{
        name: "main",
        dag: { tasks: [
          { name: s.name, template: s.name } +
          (if std.objectHas(s, "dependencies") then {
             dependencies: [
               assert std.member(names, d) : "%s: step %s depends on %s, which is not a step" % [cfg.name, s.name, d];
               d
               for d in lib.toArray(s.dependencies)
             ],
           } else {})
          for s in cfg.steps
        ] },
      }] + [
        { name: s.name, container: $.container(std.get(s, "image", cfg.image), lib.toArray(std.get(s, "command", [])),
                                               lib.toArray(std.get(s, "args", []))) }
        for s in cfg.steps
      ],

  workflow(cfg):: {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Workflow",
    metadata: { name: cfg.name, namespace: cfg.namespace } +
              (if cfg.queue != "" then { labels: { "kueue.x-k8s.io/queue-name": cfg.queue } } else {}),
    spec: {
      entrypoint: "main",
      templates: $.templates(cfg),
    } + (if cfg.serviceAccountName != "" then { serviceAccountName: cfg.serviceAccountName } else {})
      + (if cfg.ttlSecondsAfterFinished != null then { ttlStrategy: { secondsAfterCompletion: cfg.ttlSecondsAfterFinished } } else {})
      + (if cfg.podGC != "" then { podGC: { strategy: cfg.podGC } } else {})
      + (if cfg.parallelism != null then { parallelism: cfg.parallelism } else {})
      + (if cfg.activeDeadlineSeconds != null then { activeDeadlineSeconds: cfg.activeDeadlineSeconds } else {}),
  },

  // Argo's recommended minimum for the emissary executor (manifests/quick-start/base/executor)
  rbac(cfg):: if !cfg.executorRbac then [] else [
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: cfg.serviceAccountName, namespace: cfg.namespace } },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: cfg.serviceAccountName, namespace: cfg.namespace },
      rules: [{ apiGroups: ["argoproj.io"], resources: ["workflowtaskresults"], verbs: ["create", "patch"] }],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: cfg.serviceAccountName, namespace: cfg.namespace },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: cfg.serviceAccountName },
      subjects: [{ kind: "ServiceAccount", name: cfg.serviceAccountName, namespace: cfg.namespace }],
    },
  ],

  new(env, params)::
    local cfg = $.config(env, params);
    $.rbac(cfg) + [$.workflow(cfg)],
  list(items):: lib.list(items),
}
