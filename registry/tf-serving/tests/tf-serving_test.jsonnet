local tfServing = import "../tf-serving.libsonnet";

local env = { namespace: "kf" };
local cfg(params) = tfServing.config(env, { name: "mnist" } + params);
local deploy(params) = tfServing.parts(cfg(params)).deployment;
local container(params) = deploy(params).spec.template.spec.containers[0];

std.assertEqual(tfServing.parsePvc("pvc://models/mnist/1"), { claim: "models", path: "mnist/1" }) &&
std.assertEqual(tfServing.parsePvc("pvc://models"), { claim: "models", path: "" }) &&
std.assertEqual(tfServing.parsePvc("gs://b/m"), null) &&
std.assertEqual(cfg({ model_path: "pvc://models/mnist/" }).modelBasePath, "/mnt/models/mnist") &&
std.assertEqual(cfg({}).modelName, "mnist") &&
std.assertEqual(cfg({ model_name: "resnet" }).modelName, "resnet") &&
std.assertEqual(container({}).args, ["--port=8500", "--rest_api_port=8501", "--model_name=mnist", "--model_base_path=gs://kubeflow-examples-data/mnist"]) &&
std.assertEqual(container({}).readinessProbe.httpGet, { path: "/v1/models/mnist", port: 8501 }) &&
std.assertEqual(container({}).env, []) &&
std.assertEqual(container({ num_gpus: 1 }).image, "tensorflow/serving:2.20.0-gpu") &&
std.assertEqual(container({ num_gpus: 1 }).resources.limits["nvidia.com/gpu"], 1) &&
std.assertEqual(std.objectHas(container({}).resources.limits, "nvidia.com/gpu"), false) &&
// credentials by cloud
std.assertEqual(container({ cloud: "gke" }).env, [{ name: "GOOGLE_APPLICATION_CREDENTIALS", value: "/secret/gcp-credentials/user-gcp-sa.json" }]) &&
std.assertEqual([e.name for e in container({ cloud: "eks" }).env], ["AWS_REGION", "S3_ENDPOINT", "S3_USE_HTTPS", "S3_VERIFY_SSL"]) &&
std.assertEqual([e.value for e in container({ model_path: "s3://b/m", s3Endpoint: "minio.local:9000", s3UseHttps: "false" }).env][1:3], ["minio.local:9000", "0"]) &&
std.assertEqual(deploy({ replicas: 3 }).spec.replicas, 3) &&
std.assertEqual(deploy({}).spec.selector.matchLabels, { app: "mnist" }) &&
std.assertEqual(tfServing.parts(cfg({ serviceType: "LoadBalancer" })).service.spec.type, "LoadBalancer")
