// kubeflow-core: JupyterHub, the TFJob operator and dashboard, Ambassador, the central dashboard,
// the version ConfigMap, optional NFS volumes and optional usage reporting.
local util = import "kubeflow/core/util.libsonnet";
local jupyterhub = import "kubeflow/core/jupyterhub.libsonnet";
local tfjob = import "kubeflow/core/tf-job-operator.libsonnet";
local ambassador = import "kubeflow/core/ambassador.libsonnet";
local centraldashboard = import "kubeflow/core/centraldashboard.libsonnet";
local nfs = import "kubeflow/core/nfs.libsonnet";
local spartakus = import "kubeflow/core/spartakus.libsonnet";
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
    tfAmbassadorServiceType: "null",
    tfJobUiServiceType: "null",
    jupyterHubServiceType: "null",
    tfJobImage: "null",
    tfJobUiImage: "null",
    tfDefaultImage: "null",
    jupyterHubImage: "gcr.io/kubeflow/jupyterhub-k8s:v20180531-3bb991b1",
    jupyterHubAuthenticator: "null",
    jupyterNotebookPVCMount: "null",
    ambassadorImage: "quay.io/datawire/ambassador:0.30.1",
    statsdImage: "quay.io/datawire/statsd:0.30.1",
    centralUiImage: "gcr.io/kubeflow-images-public/centraldashboard:v20180618-v0.2.0-rc.0-5-g715aafc8-e3b0c4",
    spartakusImage: "gcr.io/google_containers/spartakus-amd64:v1.0.0",
    reportUsage: "false",
    usageId: "unknown_cluster",
    gpuTolerationKey: "null",
  },

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
    tfAmbassadorServiceType: util.serviceType(p.tfAmbassadorServiceType, cloud, exposed=true),
    tfJobUiServiceType: util.serviceType(p.tfJobUiServiceType, cloud),
    jupyterHubServiceType: util.serviceType(p.jupyterHubServiceType, cloud),
    tfJobImage: str(p.tfJobImage),
    tfJobUiImage: str(p.tfJobUiImage),
    tfDefaultImage: str(p.tfDefaultImage),
    jupyterHubImage: p.jupyterHubImage,
    jupyterHubAuthenticator: std.asciiLower(str(p.jupyterHubAuthenticator)),
    jupyterNotebookPVCMount: str(p.jupyterNotebookPVCMount),
    ambassadorImage: p.ambassadorImage,
    statsdImage: p.statsdImage,
    centralUiImage: p.centralUiImage,
    spartakusImage: p.spartakusImage,
    reportUsage: util.toBool(p.reportUsage),
    usageId: std.toString(p.usageId),
    gpuTolerationKey: if util.isSet(p.gpuTolerationKey) then p.gpuTolerationKey else util.defaultGpuTolerationKey(cloud),
  },

  parts(env, params):: {
    local cfg = $.config(env, params),
    jupyterhub:: jupyterhub.parts(cfg).all,
    tfJobOperator:: tfjob.parts(cfg).operator,
    tfJobDashboard:: tfjob.parts(cfg).dashboard,
    ambassador:: ambassador.parts(cfg).all,
    centraldashboard:: centraldashboard.parts(cfg).all,
    version:: version.parts(cfg).all,
    nfs:: nfs.parts(cfg).all,
    spartakus:: spartakus.parts(cfg).all,
    all:: self.jupyterhub + self.tfJobOperator + self.tfJobDashboard + self.ambassador +
          self.centraldashboard + self.version + self.nfs + self.spartakus,
  },

  // The v1 List the prototypes render, pruned of nulls and empty values as Kubeflow did — except
  // CustomResourceDefinitions, whose `subresources: {status: {}}` must stay.
  list(items):: {
    apiVersion: "v1",
    kind: "List",
    items: [
      if i.kind == "CustomResourceDefinition" then i else std.prune(i)
      for i in items
      if i != null && std.length(i) > 0
    ],
  },
}
