// kubeflow-core, 2026: the TFJob operator (training-operator v1.9.4), the notebook controller
// (Kubeflow Notebooks v1.11.0), Katib v0.19.0 and JupyterHub (zero-to-jupyterhub 4.4.0) for the
// Kubeflow 0.1 style of multi-user notebooks, the version ConfigMap and optional NFS volumes.
// Kubeflow 0.1 params that still mean something keep working; those whose component is gone
// (Ambassador 0.30, the 2018 central dashboard, spartakus usage reporting, the TFJob default
// image) are accepted, and the render says once what replaced them (kfctl.dev/warnings).
local util = import "kubeflow/core/util.libsonnet";
local jupyterhub = import "kubeflow/core/jupyterhub.libsonnet";
local tfjob = import "kubeflow/core/tf-job-operator.libsonnet";
local notebooks = import "kubeflow/core/notebooks.libsonnet";
local katib = import "kubeflow/core/katib.libsonnet";
local nfs = import "kubeflow/core/nfs.libsonnet";
local version = import "kubeflow/core/version.libsonnet";

{
  // Defaults of every param the libraries read (the prototypes declare the same ones).
  defaults:: {
    name: "kubeflow-core",
    namespace: "null",
    cloud: "null",
    disks: "null",
    diskSize: "10Gi",
    nfsServer: "null",
    nfsPath: "/exports",
    storageClass: "null",
    tfJobUiServiceType: "null",
    jupyterHubServiceType: "null",
    tfJobImage: "null",
    tfJobUiImage: "null",
    jupyterHub: "true",
    jupyterHubImage: "null",
    jupyterHubAuthenticator: "null",
    jupyterHubSecret: "null",
    jupyterNotebookPVCMount: "null",
    notebookController: "true",
    katib: "true",
    katibDbPassword: "null",
    gpuTolerationKey: "null",
    // Kubeflow 0.1 params with no effect (see obsolete below)
    tfAmbassadorServiceType: "null",
    ambassadorImage: "null",
    statsdImage: "null",
    centralUiImage: "null",
    tfDefaultImage: "null",
    reportUsage: "false",
    usageId: "null",
    spartakusImage: "null",
  },

  // Kubeflow 0.1 params whose component kfctl's core no longer deploys, grouped by what replaced it
  obsolete:: [
    {
      params: ["tfAmbassadorServiceType", "ambassadorImage", "statsdImage"],
      replacement: "Ambassador 0.30 is not deployed: JupyterHub is reached through its proxy-public Service (jupyterHubServiceType), other UIs through an Ingress (prototype ingress)",
    },
    {
      params: ["centralUiImage"],
      replacement: "the 2018 central dashboard is not deployed: its successor, Kubeflow Dashboard v2.0.0 (kubeflow/dashboard), needs Istio and Profiles",
    },
    {
      params: ["reportUsage", "usageId", "spartakusImage"],
      replacement: "spartakus usage reporting to kubeflow.org ended: nothing is reported",
    },
    {
      params: ["tfDefaultImage"],
      replacement: "training-operator v1 has no default TensorFlow image: give each tf-job its image",
    },
  ],

  // a param given a value: not unset, and (reportUsage) not false
  given(p, k):: util.isSet(p[k]) && !(k == "reportUsage" && !util.toBool(p[k])) && !(k == "usageId" && !util.toBool(p.reportUsage)),

  warnings(p, cfg, hub=true)::
    local groups = [
      g { used: [k for k in g.params if std.objectHas(p, k) && $.given(p, k)] }
      for g in $.obsolete
    ];
    local used = [g for g in groups if std.length(g.used) > 0];
    local hubImage = util.isSet(std.get(p, "jupyterHubImage")) && jupyterhub.isKubeflow2018Image(p.jupyterHubImage);
    local parts = [std.join(", ", g.used) + " (" + g.replacement + ")" for g in used] +
                  (if hubImage then ["jupyterHubImage %s (the 2018 Kubeflow hub: the hub runs %s, zero-to-jupyterhub 4.4.0)" % [p.jupyterHubImage, jupyterhub.hubImage]] else []);
    (if std.length(parts) == 0 then [] else ["Kubeflow 0.1 params with no effect: " + std.join("; ", parts)]) +
    (if hub && cfg.jupyterHub && cfg.jupyterHubSecret == "" then [
       "jupyterHubSecret is unset: JupyterHub's proxy token and cookie secret are the placeholders of kfctl's vendored chart; set one: kfctl param set %s jupyterHubSecret $(openssl rand -hex 32)" % p.name,
     ] else []),

  // Resolve params (as generate/param set/profiles left them) into plain values:
  // "null"/"" → the documented default, strings → booleans/arrays where meant.
  config(env, params):: {
    local p = $.defaults + params,
    local cloud = util.cloud(p.cloud),
    local str(v) = if util.isSet(v) then std.toString(v) else "",
    name: p.name,
    namespace: util.namespace(env, params),
    cloud: cloud,
    disks: util.toArray(p.disks),
    diskSize: p.diskSize,
    nfsServer: str(p.nfsServer),
    nfsPath: std.rstripChars(p.nfsPath, "/"),
    storageClass: util.storageClass(p.storageClass, cloud),
    tfJobUiServiceType: util.serviceType(p.tfJobUiServiceType, cloud),
    jupyterHubServiceType: util.serviceType(p.jupyterHubServiceType, cloud),
    tfJobImage: str(p.tfJobImage),
    tfJobUiImage: str(p.tfJobUiImage),
    jupyterHub: util.toBool(p.jupyterHub),
    jupyterHubImage: str(p.jupyterHubImage),
    jupyterHubAuthenticator:
      local a = std.asciiLower(str(p.jupyterHubAuthenticator));
      assert std.member(["", "dummy", "iap", "remote-user"], a) :
             "%s: jupyterHubAuthenticator must be iap, remote-user or null (dummy), got %s" % [p.name, a];
      a,
    jupyterHubSecret: str(p.jupyterHubSecret),
    jupyterNotebookPVCMount: str(p.jupyterNotebookPVCMount),
    notebookController: util.toBool(p.notebookController),
    katib: util.toBool(p.katib),
    katibDbPassword: str(p.katibDbPassword),
    gpuTolerationKey: if util.isSet(p.gpuTolerationKey) then p.gpuTolerationKey else util.defaultGpuTolerationKey(cloud),
  },

  parts(env, params):: {
    local cfg = $.config(env, params),
    jupyterhub:: if cfg.jupyterHub then jupyterhub.parts(cfg).all else [],
    tfJobOperator:: tfjob.parts(cfg).operator,
    tfJobDashboard:: tfjob.parts(cfg).dashboard,
    notebookController:: if cfg.notebookController then notebooks.parts(cfg).all else [],
    katib:: if cfg.katib then katib.parts(cfg).all else [],
    version:: version.parts(cfg).all,
    nfs:: nfs.parts(cfg).all,
    // kfctl's own parts are pruned of nulls and empty values as Kubeflow did; the vendored upstream
    // objects are the releases' as they are
    local pruned(items) = [std.prune(i) for i in items],
    all:: self.tfJobOperator + pruned(self.tfJobDashboard) + self.notebookController + self.katib + self.jupyterhub +
          pruned(self.version) + pruned(self.nfs),
    warnings:: $.warnings($.defaults + params, cfg),
    // the tf-job-operator prototype: the operator and the opt-in 2018 dashboard
    operator:: self.tfJobOperator + pruned(self.tfJobDashboard),
    operatorWarnings:: $.warnings({ name: cfg.name, tfDefaultImage: std.get(params, "tfDefaultImage", "null") }, cfg, hub=false),
  },

  // The v1 List the prototypes render, with the render's warnings (kfctl.dev/warnings).
  list(items, warnings=[]):: {
    apiVersion: "v1",
    kind: "List",
    items: [i for i in items if i != null],
    [if std.length(warnings) > 0 then "kfctl.dev/warnings"]: warnings,
  },
}
