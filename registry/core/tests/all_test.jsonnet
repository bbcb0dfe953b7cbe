local core = import "../all.libsonnet";

local env = { server: "https://k8s", namespace: "kf" };
local kinds(items) = [o.kind + "/" + o.metadata.name for o in items];
local render(params) = core.list(core.parts(env, { name: "core" } + params).all).items;

local gke = core.config(env, { name: "core", cloud: "GKE" });
local onprem = core.config(env, { name: "core", cloud: "on-prem" });

std.assertEqual(std.length(render({})), 28) &&
// usage reporting only when asked for, whatever the spelling
std.assertEqual(std.length(render({ reportUsage: "false" })), 28) &&
std.assertEqual(std.length(render({ reportUsage: true })), 32) &&
std.assertEqual(std.length(render({ reportUsage: "True" })), 32) &&
// cloud picks service types and storage
std.assertEqual(gke.cloud, "gke") &&
std.assertEqual(gke.tfAmbassadorServiceType, "LoadBalancer") &&
std.assertEqual(gke.jupyterHubServiceType, "ClusterIP") &&
std.assertEqual(gke.storageClass, "standard-rwo") &&
std.assertEqual(onprem.tfAmbassadorServiceType, "NodePort") &&
std.assertEqual(onprem.jupyterHubServiceType, "NodePort") &&
std.assertEqual(onprem.storageClass, "nfs-client") &&
// explicit values win over the cloud's
std.assertEqual(core.config(env, { name: "c", cloud: "gke", tfAmbassadorServiceType: "ClusterIP" }).tfAmbassadorServiceType, "ClusterIP") &&
// disks: static NFS volumes on-prem, an in-cluster provisioner per disk otherwise
std.assertEqual(
  kinds(core.parts(env, { name: "core", disks: "a,b", nfsServer: "10.0.0.2" }).nfs),
  ["PersistentVolume/kf-a", "PersistentVolumeClaim/a", "PersistentVolume/kf-b", "PersistentVolumeClaim/b"]
) &&
std.assertEqual(
  kinds(core.parts(env, { name: "core", disks: "a", cloud: "gke" }).nfs),
  ["ServiceAccount/core", "Role/core", "RoleBinding/core-nfs-role", "ClusterRoleBinding/core-nfs-role",
   "StorageClass/a-nfs", "PersistentVolumeClaim/a", "Service/a-service", "Deployment/a-provisioner"]
) &&
std.assertEqual(
  kinds(core.parts(env, { name: "core", disks: "a", cloud: "eks" }).nfs)[8],
  "PersistentVolumeClaim/a-export"
) &&
// the jupyterhub config mounts the disks and adds per-user storage on the cloud's class
local hub = core.parts(env, { name: "core", disks: "a", cloud: "eks", jupyterNotebookPVCMount: "/home/jovyan" }).jupyterhub[0].data["jupyterhub_config.py"];
std.assertEqual(std.length(std.findSubstr('c.KubeSpawner.volume_mounts = [{"mountPath": "/mnt/a", "name": "a"}]', hub)), 1) &&
std.assertEqual(std.length(std.findSubstr('c.KubeSpawner.storage_class = "gp3"', hub)), 1) &&
std.assertEqual(std.length(std.findSubstr("DummyAuthenticator", hub)), 1)
