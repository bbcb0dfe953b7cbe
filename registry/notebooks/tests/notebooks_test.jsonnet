local nb = import "../notebooks.libsonnet";
local notebook = import "../notebook.libsonnet";
local up = import "../upstream/upstream.libsonnet";

local render(params) = nb.new({ namespace: "env-ns" }, { name: "nbc" } + params);
local find(objs, kind) = [o for o in objs if o.kind == kind][0];

// defaults: the release's standalone overlay (USE_ISTIO=false), CRD first
std.assertEqual(render({}), [up.crds[c] for c in std.objectFields(up.crds)] + up.variants.standalone) &&
// the controller's settings: its ConfigMap (read through env), booleans as the controller parses them
std.assertEqual(find(render({ enableCulling: true, cullIdleTime: 60, useIstio: "True", istioGateway: "istio-system/gw", installCrds: false }),
                     "ConfigMap").data,
                { CLUSTER_DOMAIN: "cluster.local", CULL_IDLE_TIME: "60", ENABLE_CULLING: "true", IDLENESS_CHECK_PERIOD: "1",
                  ISTIO_GATEWAY: "istio-system/gw", ISTIO_HOST: "*", USE_ISTIO: "true" }) &&
// image, placement, namespace
local moved = render({ namespace: "nb", createNamespace: false, imageTag: "v1.11.1", replicas: 2, installCrds: false });
std.assertEqual([o.kind for o in moved if o.kind == "Namespace"], []) &&
std.assertEqual(find(moved, "Deployment").spec.template.spec.containers[0].image, "ghcr.io/kubeflow/notebooks/notebook-controller:v1.11.1") &&
std.assertEqual(find(moved, "Deployment").spec.replicas, 2) &&
std.assertEqual(find(moved, "ClusterRoleBinding").subjects[0].namespace, "nb") &&

// a Notebook: requests, limits × limitFactor, GPUs; the workspace claim
local objs = notebook.new({ namespace: "team" }, { name: "alice", cpu: "2", memory: "4Gi", num_gpus: 1 });
std.assertEqual([o.kind for o in objs], ["PersistentVolumeClaim", "Notebook"]) &&
std.assertEqual(objs[0].metadata, { name: "alice-workspace", namespace: "team" }) &&
local c = objs[1].spec.template.spec.containers[0];
std.assertEqual(c.resources, { requests: { cpu: "2", memory: "4Gi" }, limits: { cpu: "2.4", memory: "4.8Gi", "nvidia.com/gpu": 1 } }) &&
std.assertEqual(c.volumeMounts, [{ name: "workspace", mountPath: "/home/jovyan" }, { name: "dshm", mountPath: "/dev/shm" }]) &&
std.assertEqual(notebook.scaled("0.5", 1.2), "0.6") && std.assertEqual(notebook.scaled("500m", 2), "1000m") &&
std.assertEqual(notebook.scaled("1.0Gi", 1.2), "1.2Gi") &&
// workspacePvc=none: no claim, no workspace volume
local bare = notebook.new({ namespace: "team" }, { name: "b", workspacePvc: "none", shm: false });
std.assertEqual([o for o in bare if o != null][0].spec.template.spec.volumes, [])
