// A Kubeflow Notebook (kubeflow.org/v1) as the Jupyter web app of Notebooks v1.11.0 creates one:
// a notebook-server image, CPU/memory requests with limits 1.2× (the web app's limitFactor), GPUs,
// a workspace PersistentVolumeClaim mounted at /home/jovyan and a memory-backed /dev/shm.
local lib = import "kubeflow/notebooks/upstream/lib.libsonnet";

{
  defaults:: {
    namespace: "null",
    image: "ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-scipy:v1.11.0",
    serverType: "jupyter",
    cpu: "0.5",
    memory: "1Gi",
    limitFactor: "1.2",
    num_gpus: 0,
    gpuVendor: "nvidia.com/gpu",
    workspacePvc: "null",
    workspaceSize: "5Gi",
    createWorkspace: true,
    storageClass: "null",
    mountPath: "/home/jovyan",
    shm: true,
    serviceAccountName: "null",
    gpuNodeSelectorKey: "null",
    gpuNodeSelectorValue: "null",
    gpuTolerationKey: "null",
  },

  serverTypes:: ["jupyter", "group-one", "group-two"],

  config(env, params):: {
    local p = $.defaults + params,
    local str(v) = if lib.isSet(v) then std.toString(v) else "",
    name: p.name,
    namespace: lib.namespace(env, p, null),
    image: str(p.image),
    serverType:
      local t = std.asciiLower(str(p.serverType));
      assert std.member($.serverTypes, t) : "%s: serverType must be jupyter, group-one (VS Code) or group-two (RStudio), got %s" % [p.name, t];
      t,
    cpu: str(p.cpu),
    memory: str(p.memory),
    limitFactor: lib.toNumber(p.limitFactor, 1),
    numGpus: lib.toNumber(p.num_gpus, 0),
    gpuVendor: str(p.gpuVendor),
    workspacePvc: if lib.isSet(p.workspacePvc) then p.workspacePvc else p.name + "-workspace",
    workspace: std.asciiLower(str(p.workspacePvc)) != "none",
    workspaceSize: str(p.workspaceSize),
    createWorkspace: lib.toBool(p.createWorkspace),
    storageClass: str(p.storageClass),
    mountPath: str(p.mountPath),
    shm: lib.toBool(p.shm),
    serviceAccountName: str(p.serviceAccountName),
    gpuNodeSelectorKey: str(p.gpuNodeSelectorKey),
    gpuNodeSelectorValue: str(p.gpuNodeSelectorValue),
    gpuTolerationKey: str(p.gpuTolerationKey),
  },

  // "0.5" × 1.2 → "0.6"; "1Gi" × 1.2 → "1.2Gi" (the web app's limitFactor arithmetic)
  scaled(q, factor)::
    local digits = std.length(std.filter(function(c) std.member("0123456789.", c), std.stringChars(q)));
    local n = std.parseJson(if std.startsWith(q, ".") then "0" + std.substr(q, 0, digits) else std.substr(q, 0, digits));
    local unit = std.substr(q, digits, std.length(q) - digits);
    if factor == 1 then q else std.format("%.15g", std.round(n * factor * 1000) / 1000) + unit,

  resources(cfg)::
    local req = (if cfg.cpu != "" then { cpu: cfg.cpu } else {}) + (if cfg.memory != "" then { memory: cfg.memory } else {});
    local lim = { [k]: $.scaled(req[k], cfg.limitFactor) for k in std.objectFields(req) } +
                (if cfg.numGpus > 0 then { [cfg.gpuVendor]: cfg.numGpus } else {});
    (if req != {} then { requests: req } else {}) + (if lim != {} then { limits: lim } else {}),

  notebook(cfg):: {
    apiVersion: "kubeflow.org/v1",
    kind: "Notebook",
    metadata: {
      name: cfg.name,
      namespace: cfg.namespace,
      labels: { app: cfg.name },
      annotations: { "notebooks.kubeflow.org/server-type": cfg.serverType },
    },
    spec: { template: { spec: {
      containers: [{
        name: cfg.name,
        image: cfg.image,
        imagePullPolicy: "IfNotPresent",
        resources: $.resources(cfg),
        volumeMounts: (if cfg.workspace then [{ name: "workspace", mountPath: cfg.mountPath }] else []) +
                      (if cfg.shm then [{ name: "dshm", mountPath: "/dev/shm" }] else []),
      }],
      volumes: (if cfg.workspace then [{ name: "workspace", persistentVolumeClaim: { claimName: cfg.workspacePvc } }] else []) +
               (if cfg.shm then [{ name: "dshm", emptyDir: { medium: "Memory" } }] else []),
    } + (if cfg.serviceAccountName != "" then { serviceAccountName: cfg.serviceAccountName } else {})
      + (if cfg.numGpus > 0 && cfg.gpuNodeSelectorKey != "" && cfg.gpuNodeSelectorValue != "" then
           { nodeSelector: { [cfg.gpuNodeSelectorKey]: cfg.gpuNodeSelectorValue } } else {})
      + (if cfg.numGpus > 0 && cfg.gpuNodeSelectorKey != "" && cfg.gpuNodeSelectorValue == "" then {
           affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {
             nodeSelectorTerms: [{ matchExpressions: [{ key: cfg.gpuNodeSelectorKey, operator: "Exists" }] }],
           } } },
         } else {})
      + (if cfg.numGpus > 0 && cfg.gpuTolerationKey != "" then
           { tolerations: [{ key: cfg.gpuTolerationKey, operator: "Exists", effect: "NoSchedule" }] } else {}) } },
  },

  workspaceClaim(cfg):: if !cfg.workspace || !cfg.createWorkspace then null else {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: cfg.workspacePvc, namespace: cfg.namespace },
    spec: {
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: cfg.workspaceSize } },
    } + (if cfg.storageClass != "" then { storageClassName: cfg.storageClass } else {}),
  },

  new(env, params)::
    local cfg = $.config(env, params);
    [$.workspaceClaim(cfg), $.notebook(cfg)],
  list(items):: lib.list(items),
}
