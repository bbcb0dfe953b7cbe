// kubeflow-platform: the built-in packages composed into one ML platform, a switch each.  Every
// package keeps its own namespace and its release's objects; this layer only picks packages,
// passes the shared params on (the registry mirror, the platform profile's GPU settings) and
// matches them to each other (Kueue's integrations to the training operators installed).
local certManager = import "kubeflow/cert-manager/cert-manager.libsonnet";
local kserve = import "kubeflow/kserve/kserve.libsonnet";
local katib = import "kubeflow/katib/katib.libsonnet";
local notebooks = import "kubeflow/notebooks/notebooks.libsonnet";
local argo = import "kubeflow/argo-workflows/argo-workflows.libsonnet";
local trainingOperator = import "kubeflow/training-operator/training-operator.libsonnet";
local trainer = import "kubeflow/trainer/trainer.libsonnet";
local kueue = import "kubeflow/kueue/kueue.libsonnet";
local gpu = import "kubeflow/gpu/stack.libsonnet";
local lib = import "kubeflow/training-operator/upstream/lib.libsonnet";

{
  switches:: ["training", "trainer", "kueue", "serving", "certManager", "tuning", "notebooks", "workflows", "gpu"],

  defaults:: {
    training: true,
    trainer: false,
    kueue: true,
    serving: true,
    certManager: true,
    tuning: true,
    notebooks: true,
    workflows: true,
    gpu: false,
    installCrds: true,
    imageRegistry: "null",
    // the platform profile's GPU settings (gpu-stack)
    gpuStack: "device-plugin",
    gpuDriver: "true",
    gpuToolkit: "true",
    gpuDriverInstallDir: "null",
    gpuToolkitInstallDir: "null",
    gpuNodeSelectorKey: "null",
    gpuNodeSelectorValue: "null",
    gpuTolerationKey: "nvidia.com/gpu",
  },

  config(env, params):: {
    local p = $.defaults + params,
    name: p.name,
    on: { [s]: lib.toBool(p[s]) for s in $.switches },
    // what every package gets (each keeps its own namespace: the upstream default)
    common: {
      imageRegistry: p.imageRegistry,
      installCrds: p.installCrds,
    },
    gpu: {
      name: p.name + "-gpu",
      imageRegistry: p.imageRegistry,
      gpuStack: p.gpuStack,
      gpuDriver: p.gpuDriver,
      gpuToolkit: p.gpuToolkit,
      gpuDriverInstallDir: p.gpuDriverInstallDir,
      gpuToolkitInstallDir: p.gpuToolkitInstallDir,
      gpuNodeSelectorKey: p.gpuNodeSelectorKey,
      gpuNodeSelectorValue: p.gpuNodeSelectorValue,
      gpuTolerationKey: p.gpuTolerationKey,
    },
  },

  packages(env, cfg):: {
    local c = cfg.common,
    local on = cfg.on,
    training: if on.training then trainingOperator.new(env, { name: "training-operator" } + c) else [],
    trainer: if on.trainer then trainer.new(env, { name: "trainer" } + c) else [],
    // Kueue manages the jobs of the training operators the platform installs (upstream leaves the
    // v1 PyTorchJob/TFJob integrations off)
    kueue: if on.kueue then kueue.new(env, { name: "kueue", trainingOperator: on.training } + c) else [],
    certManager: if on.serving && on.certManager then certManager.new(env, { name: "cert-manager" } + c) else [],
    serving: if on.serving then kserve.new(env, { name: "kserve" } + c) else [],
    tuning: if on.tuning then katib.new(env, { name: "katib" } + c) else [],
    notebooks: if on.notebooks then notebooks.new(env, { name: "notebook-controller" } + c) else [],
    workflows: if on.workflows then argo.new(env, { name: "argo-workflows" } + c) else [],
    gpu: if on.gpu then gpu.new(env, cfg.gpu) else [],
  },

  // the packages that share a namespace (training-operator and Katib: kubeflow) render its
  // Namespace once
  dedupe(objs)::
    local key(o) = o.kind + "/" + std.get(o.metadata, "namespace", "") + "/" + o.metadata.name;
    local namespaces = std.set([key(o) for o in objs if o.kind == "Namespace"]);
    local firsts = { [k]: [o for o in objs if o.kind == "Namespace" && key(o) == k][0] for k in namespaces };
    [firsts[k] for k in namespaces] + [o for o in objs if o.kind != "Namespace"],

  new(env, params)::
    local cfg = $.config(env, params);
    local pkgs = $.packages(env, cfg);
    $.dedupe(std.flattenArrays([pkgs[k] for k in $.switches if std.objectHas(pkgs, k)])),

  list(items):: lib.list(items),
}
