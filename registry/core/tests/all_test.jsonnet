local core = import "../all.libsonnet";
local hubUp = import "../upstream-jupyterhub/upstream.libsonnet";
local katibUp = import "../upstream-katib/upstream.libsonnet";
local nbUp = import "../upstream-notebooks/upstream.libsonnet";

local env = { server: "https://k8s", namespace: "kf" };
local kinds(items) = [o.kind + "/" + o.metadata.name for o in items];
local parts(params) = core.parts(env, { name: "core" } + params);
local find(items, kind, name) = [o for o in items if o.kind == kind && o.metadata.name == name][0];
local hubValues(p) = std.native("parseYaml")(std.base64Decode(find(p.jupyterhub, "Secret", "hub").data["values.yaml"]))[0];

local gke = core.config(env, { name: "core", cloud: "GKE" });
local onprem = core.config(env, { name: "core", cloud: "on-prem" });
local d = parts({});

// the 2026 core: the TFJob operator, the notebook controller, Katib, JupyterHub, the version ConfigMap
std.assertEqual(std.length(d.all), 8 + 12 + 24 + 24 + 1) &&
std.assertEqual(std.length(d.notebookController), std.length(nbUp.variants.standalone) - 1 + 1) &&  // no Namespace; + CRD
std.assertEqual(std.length(d.katib), std.length(katibUp.variants.standalone) - 1 + 3) &&
std.assertEqual(kinds(d.jupyterhub), kinds(hubUp.variants.chart)) &&
// every object in the component's namespace (the vendored ones: moved there), none creates a Namespace
std.assertEqual(std.set([o.metadata.namespace for o in d.all if std.objectHas(o.metadata, "namespace")]), ["kf"]) &&
std.assertEqual([o for o in d.all if o.kind == "Namespace"], []) &&
std.assertEqual(find(d.katib, "ClusterRoleBinding", "katib-controller").subjects[0].namespace, "kf") &&
std.assertEqual(find(d.jupyterhub, "ClusterRoleBinding", "jupyterhub-user-scheduler").subjects[0].namespace, "kf") &&
// switches
std.assertEqual(std.length(parts({ jupyterHub: "false", katib: false, notebookController: "False" }).all), 8 + 1) &&
// cloud picks service types and storage
std.assertEqual(gke.cloud, "gke") &&
std.assertEqual(gke.jupyterHubServiceType, "ClusterIP") &&
std.assertEqual(gke.storageClass, "standard-rwo") &&
std.assertEqual(onprem.jupyterHubServiceType, "NodePort") &&
std.assertEqual(onprem.storageClass, "nfs-client") &&
std.assertEqual(find(parts({ cloud: "on-prem" }).jupyterhub, "Service", "proxy-public").spec.type, "NodePort") &&
std.assertEqual(find(parts({ jupyterHubServiceType: "LoadBalancer" }).jupyterhub, "Service", "proxy-public").spec.type, "LoadBalancer") &&
// disks: static NFS volumes on-prem, an in-cluster provisioner per disk otherwise
std.assertEqual(
  kinds(parts({ disks: "a,b", nfsServer: "10.0.0.2" }).nfs),
  ["PersistentVolume/kf-a", "PersistentVolumeClaim/a", "PersistentVolume/kf-b", "PersistentVolumeClaim/b"]
) &&
std.assertEqual(
  kinds(parts({ disks: "a", cloud: "gke" }).nfs),
  ["ServiceAccount/core", "Role/core", "RoleBinding/core-nfs-role", "ClusterRoleBinding/core-nfs-role",
   "StorageClass/a-nfs", "PersistentVolumeClaim/a", "Service/a-service", "Deployment/a-provisioner"]
) &&
// JupyterHub's configuration from the Kubeflow 0.1 params: no per-user claim unless
// jupyterNotebookPVCMount, the disks at /mnt/<disk>, the cloud's storage class, GPU tolerations
std.assertEqual(hubValues(d).singleuser.storage.type, "none") &&
local hub = hubValues(parts({ disks: "a", cloud: "eks", jupyterNotebookPVCMount: "/home/jovyan/work" }));
std.assertEqual([hub.singleuser.storage[k] for k in ["type", "homeMountPath"]], ["dynamic", "/home/jovyan/work"]) &&
std.assertEqual(hub.singleuser.storage.dynamic.storageClass, "gp3") &&
std.assertEqual(hub.singleuser.storage.dynamic.pvcNameTemplate, "claim-{username}{servername}") &&  // Kubeflow 0.1's claim names
std.assertEqual(hub.singleuser.storage.extraVolumeMounts, [{ name: "a", mountPath: "/mnt/a" }]) &&
std.assertEqual(hub.singleuser.extraTolerations, [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]) &&
std.assertEqual(hub.Release.Namespace, "kf") &&
// authenticators: the chart's dummy, or a remote-user header authenticator (iap: Google's header)
std.assertEqual(hubValues(d).hub.config.JupyterHub.authenticator_class, "dummy") &&
std.assertEqual(hubValues(d).hub.extraConfig, {}) &&
std.assertEqual(std.length(std.findSubstr('"X-Goog-Authenticated-User-Email"', hubValues(parts({ jupyterHubAuthenticator: "IAP" })).hub.extraConfig["kfctl-remote-user"])), 1) &&
// the secrets: the vendored placeholders until jupyterHubSecret, then derived from it
local secret = find(parts({ jupyterHubSecret: "s3cret" }).jupyterhub, "Secret", "hub").data;
std.assertEqual(std.base64Decode(secret["hub.config.ConfigurableHTTPProxy.auth_token"]), std.sha256("s3cret:proxy-token")) &&
std.assertEqual(std.base64Decode(secret["hub.config.JupyterHub.cookie_secret"]), std.sha256("s3cret:cookie-secret")) &&
std.assertEqual(std.base64Decode(find(d.jupyterhub, "Secret", "hub").data["hub.config.ConfigurableHTTPProxy.auth_token"]), "kfctl-placeholder-proxy-token") &&
// hub image: a 2018 Kubeflow hub image is replaced by z2jh's; another one is used
std.assertEqual(find(parts({ jupyterHubImage: "gcr.io/kubeflow/jupyterhub-k8s:v20180531-3bb991b1" }).jupyterhub, "Deployment", "hub").spec.template.spec.containers[0].image,
                "quay.io/jupyterhub/k8s-hub:4.4.0") &&
std.assertEqual(find(parts({ jupyterHubImage: "me/hub:5" }).jupyterhub, "Deployment", "hub").spec.template.spec.containers[0].image, "me/hub:5") &&
// warnings: Kubeflow 0.1 params of components that are gone, in one line; the placeholder secret
std.assertEqual(d.warnings, ["jupyterHubSecret is unset: JupyterHub's proxy token and cookie secret are the placeholders of kfctl's vendored chart; set one: kfctl param set core jupyterHubSecret $(openssl rand -hex 32)"]) &&
std.assertEqual(parts({ jupyterHubSecret: "x", reportUsage: "false", usageId: "unknown_cluster" }).warnings, []) &&
std.assertEqual(parts({ jupyterHubSecret: "x", reportUsage: true, statsdImage: "quay.io/datawire/statsd:0.30.1" }).warnings,
                ["Kubeflow 0.1 params with no effect: statsdImage (Ambassador 0.30 is not deployed: JupyterHub is reached through its proxy-public Service (jupyterHubServiceType), other UIs through an Ingress (prototype ingress)); reportUsage (spartakus usage reporting to kubeflow.org ended: nothing is reported)"]) &&
// Katib's database password and storage class
std.assertEqual(find(parts({ katibDbPassword: "pw" }).katib, "Secret", "katib-mysql-secrets").data.MYSQL_ROOT_PASSWORD, std.base64("pw")) &&
std.assertEqual(find(parts({ cloud: "aks" }).katib, "PersistentVolumeClaim", "katib-mysql").spec.storageClassName, "managed-csi")
