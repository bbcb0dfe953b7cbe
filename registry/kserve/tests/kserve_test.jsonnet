local kserve = import "../kserve.libsonnet";
local isvc = import "../inference-service.libsonnet";
local up = import "../upstream/upstream.libsonnet";

// the CRDs (megabytes) are tested by tests/packages; these renders leave them out
local render(params) = kserve.new({ namespace: "env-ns" }, { name: "kserve", installCrds: false } + params);
local find(objs, kind, name) = [o for o in objs if o.kind == kind && o.metadata.name == name][0];
local config(objs, key) = std.parseJson(find(objs, "ConfigMap", "inferenceservice-config").data[key]);

// Standard mode by default: the release's objects, with upstream's Standard-mode ConfigMap edit
local std_ = render({});
std.assertEqual(find(std_, "ConfigMap", "inferenceservice-config").data.deploy, '{"defaultDeploymentMode":"Standard"}') &&
std.assertEqual([o for o in std_ if o.kind != "ConfigMap"],
                [o for o in up.variants.kserve + up.variants.runtimes if o.kind != "ConfigMap"]) &&
// Knative: the release's ConfigMap as is ("Serverless", the controller's name for Knative)
std.assertEqual(render({ deploymentMode: "knative" }), up.variants.kserve + up.variants.runtimes) &&
std.assertEqual(config(render({ deploymentMode: "RawDeployment" }), "deploy"), { defaultDeploymentMode: "Standard" }) &&
// runtimes: a subset, with or without the kserve- prefix; the TF Serving image of its runtime
local some = render({ runtimes: "sklearnserver, kserve-tensorflow-serving", tensorflowServingImage: "tensorflow/serving:2.20.0" });
std.assertEqual([o.metadata.name for o in some if o.kind == "ClusterServingRuntime"], ["kserve-sklearnserver", "kserve-tensorflow-serving"]) &&
std.assertEqual(find(some, "ClusterServingRuntime", "kserve-tensorflow-serving").spec.containers[0].image, "tensorflow/serving:2.20.0") &&
std.assertEqual([o for o in render({ runtimes: "none" }) if o.kind == "ClusterServingRuntime"], []) &&
// ingress settings merge into the release's ingress config
local ing = config(render({ ingressClassName: "nginx", ingressDomain: "models.example.com", disableIngressCreation: "true" }), "ingress");
std.assertEqual([ing.ingressClassName, ing.ingressDomain, ing.disableIngressCreation, ing.urlScheme], ["nginx", "models.example.com", true, "http"]) &&
// the mirror reaches the images the controller starts: storage initializer, agent, runtimes
local m = render({ imageRegistry: "m.local" });
std.assertEqual(config(m, "storageInitializer").image, "m.local/kserve/storage-initializer:v0.20.0") &&
std.assertEqual(config(m, "explainers").art.image, "m.local/kserve/art-explainer") &&
std.assertEqual(find(m, "ClusterServingRuntime", "kserve-tritonserver").spec.containers[0].image, "m.local/nvidia/tritonserver:23.05-py3") &&
std.assertEqual(find(m, "ConfigMap", "inferenceservice-config").data._example, find(std_, "ConfigMap", "inferenceservice-config").data._example) &&
// resources are the manager's, not the kube-rbac-proxy's
std.assertEqual([std.objectHas(c, "resources") && c.resources == { limits: { cpu: "2" } }
                 for c in find(render({ resources: { limits: { cpu: "2" } } }), "Deployment", "kserve-controller-manager").spec.template.spec.containers],
                [true, false]) &&
// another namespace: the Certificate's host name and the CA injection move with it
local moved = render({ namespace: "serving" });
std.assertEqual(find(moved, "Certificate", "serving-cert").spec.dnsNames, ["kserve-webhook-server-service.serving.svc"]) &&
std.assertEqual(find(moved, "MutatingWebhookConfiguration", "inferenceservice.serving.kserve.io").metadata.annotations["cert-manager.io/inject-ca-from"],
                "serving/serving-cert") &&

// InferenceService: TensorFlow models get TF Serving 2.20.0 (-gpu with GPUs) unless told otherwise
local model(params) = isvc.new({ namespace: "m" }, { name: "i" } + params)[0].spec.predictor;
std.assertEqual(model({ modelFormat: "tensorflow" }).model.runtimeVersion, "2.20.0") &&
std.assertEqual(model({ modelFormat: "tensorflow", num_gpus: 1 }).model.runtimeVersion, "2.20.0-gpu") &&
std.assertEqual(model({ modelFormat: "tensorflow", runtimeVersion: "2.19.0" }).model.runtimeVersion, "2.19.0") &&
std.assertEqual(std.objectHas(model({ modelFormat: "tensorflow", runtime: "my-tf" }).model, "runtimeVersion"), false) &&
std.assertEqual(std.objectHas(model({}).model, "runtimeVersion"), false) &&
std.assertEqual(model({ cpu: "1", memory: "2Gi", num_gpus: 1 }).model.resources,
                { requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "1", memory: "2Gi", "nvidia.com/gpu": 1 } }) &&
std.assertEqual([model({ minReplicas: "0", maxReplicas: 3 })[k] for k in ["minReplicas", "maxReplicas"]], [0, 3]) &&
std.assertEqual(isvc.new({ namespace: "m" }, { name: "i", deploymentMode: "serverless" })[0].metadata.annotations,
                { "serving.kserve.io/deploymentMode": "Knative" })
