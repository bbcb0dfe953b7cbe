// TensorFlow Serving: a Deployment running tensorflow_model_server (gRPC 8500, REST 8501) and a Service.
// Models load from gs:// (GCS), s3:// (S3 or S3-compatible) or pvc://<claim>/<path> (a volume claim).
local util = import "kubeflow/tf-serving/util.libsonnet";

{
  grpcPort:: 8500,
  restPort:: 8501,
  pvcMountPath:: "/mnt/models",
  gcpSecretMountPath:: "/secret/gcp-credentials",

  defaults:: {
    namespace: "null",
    model_name: "null",
    model_path: "gs://kubeflow-examples-data/mnist",
    replicas: 1,
    serviceType: "ClusterIP",
    image: "tensorflow/serving:2.20.0",
    image_gpu: "tensorflow/serving:2.20.0-gpu",
    num_gpus: 0,
    cpuRequest: "1",
    memoryRequest: "1Gi",
    cpuLimit: "4",
    memoryLimit: "4Gi",
    cloud: "null",
    gcpCredentialSecretName: "user-gcp-sa",
    s3SecretName: "null",
    s3AwsRegion: "us-west-1",
    s3Endpoint: "null",
    s3UseHttps: "true",
    s3VerifySsl: "true",
    gpuNodeSelectorKey: "null",
    gpuTolerationKey: "null",
  },

  // pvc://claim/sub/path -> {claim: "claim", path: "sub/path"}; null for other schemes.
  parsePvc(path)::
    if std.startsWith(path, "pvc://") then
      local rest = std.substr(path, 6, std.length(path) - 6);
      local parts = std.split(rest, "/");
      assert parts[0] != "" : "tf-serving: model_path %s needs a claim name: pvc://<claim>/<path>" % path;
      { claim: parts[0], path: std.join("/", parts[1:]) }
    else null,

  config(env, params):: {
    local p = $.defaults + params,
    local cloud = util.cloud(p.cloud),
    local modelPath = std.toString(p.model_path),
    local pvc = $.parsePvc(modelPath),
    local str(v) = if util.isSet(v) then std.toString(v) else "",
    name: p.name,
    namespace: util.namespace(env, params),
    cloud: cloud,
    modelName: util.orDefault(p.model_name, p.name),
    modelPath: modelPath,
    pvc: pvc,
    modelBasePath:
      if pvc != null then
        (if pvc.path == "" then $.pvcMountPath else $.pvcMountPath + "/" + std.rstripChars(pvc.path, "/"))
      else modelPath,
    replicas: util.toNumber(p.replicas, 1),
    serviceType: util.orDefault(p.serviceType, "ClusterIP"),
    numGpus: util.toNumber(p.num_gpus),
    image: if self.numGpus > 0 then util.orDefault(p.image_gpu, p.image) else p.image,
    resources: {
      requests: { cpu: std.toString(p.cpuRequest), memory: std.toString(p.memoryRequest) },
      limits: { cpu: std.toString(p.cpuLimit), memory: std.toString(p.memoryLimit) },
    },
    // GCS key only on Google Cloud; S3 settings on AWS or whenever the model is on s3://
    gcpSecret: if std.member(["gke", "gcp"], cloud) then str(p.gcpCredentialSecretName) else "",
    s3: std.member(["eks", "aws"], cloud) || std.startsWith(modelPath, "s3://"),
    s3SecretName: str(p.s3SecretName),
    s3AwsRegion: std.toString(p.s3AwsRegion),
    s3Endpoint: if util.isSet(p.s3Endpoint) then p.s3Endpoint else "s3." + self.s3AwsRegion + ".amazonaws.com",
    s3UseHttps: util.toBool(p.s3UseHttps),
    s3VerifySsl: util.toBool(p.s3VerifySsl),
    gpuNodeSelectorKey: str(p.gpuNodeSelectorKey),
    gpuTolerationKey: if util.isSet(p.gpuTolerationKey) then p.gpuTolerationKey else util.defaultGpuTolerationKey(cloud),
  },

  parts(cfg):: {
    local labels = { app: cfg.name },
    local gpu = cfg.numGpus > 0,

    local gcpEnv = if cfg.gcpSecret != "" then [
      { name: "GOOGLE_APPLICATION_CREDENTIALS", value: $.gcpSecretMountPath + "/" + cfg.gcpSecret + ".json" },
    ] else [],
    local s3Env = if cfg.s3 then [
      { name: "AWS_REGION", value: cfg.s3AwsRegion },
      { name: "S3_ENDPOINT", value: cfg.s3Endpoint },
      { name: "S3_USE_HTTPS", value: if cfg.s3UseHttps then "1" else "0" },
      { name: "S3_VERIFY_SSL", value: if cfg.s3VerifySsl then "1" else "0" },
    ] + (if cfg.s3SecretName != "" then [
      { name: "AWS_ACCESS_KEY_ID", valueFrom: { secretKeyRef: { name: cfg.s3SecretName, key: "AWS_ACCESS_KEY_ID" } } },
      { name: "AWS_SECRET_ACCESS_KEY", valueFrom: { secretKeyRef: { name: cfg.s3SecretName, key: "AWS_SECRET_ACCESS_KEY" } } },
    ] else []) else [],

    local volumes =
      (if cfg.pvc != null then [{ name: "model-store", persistentVolumeClaim: { claimName: cfg.pvc.claim, readOnly: true } }] else []) +
      (if cfg.gcpSecret != "" then [{ name: "gcp-credentials", secret: { secretName: cfg.gcpSecret } }] else []),
    local volumeMounts =
      (if cfg.pvc != null then [{ name: "model-store", mountPath: $.pvcMountPath, readOnly: true }] else []) +
      (if cfg.gcpSecret != "" then [{ name: "gcp-credentials", mountPath: $.gcpSecretMountPath, readOnly: true }] else []),

    service:: {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: cfg.name, namespace: cfg.namespace, labels: labels },
      spec: {
        type: cfg.serviceType,
        selector: labels,
        ports: [
          { name: "grpc-tf-serving", port: $.grpcPort, targetPort: $.grpcPort },
          { name: "http-tf-serving", port: $.restPort, targetPort: $.restPort },
        ],
      },
    },

    deployment:: {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: cfg.name, namespace: cfg.namespace, labels: labels },
      spec: {
        replicas: cfg.replicas,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels: labels { version: "v1" } },
          spec: {
            securityContext: { runAsUser: 1000, fsGroup: 1000 },
            containers: [
              {
                name: cfg.name,
                image: cfg.image,
                imagePullPolicy: "IfNotPresent",
                command: ["/usr/bin/tensorflow_model_server"],
                args: [
                  "--port=%d" % $.grpcPort,
                  "--rest_api_port=%d" % $.restPort,
                  "--model_name=" + cfg.modelName,
                  "--model_base_path=" + cfg.modelBasePath,
                ],
                env: gcpEnv + s3Env,
                ports: [
                  { name: "grpc", containerPort: $.grpcPort },
                  { name: "http", containerPort: $.restPort },
                ],
                readinessProbe: {
                  httpGet: { path: "/v1/models/" + cfg.modelName, port: $.restPort },
                  initialDelaySeconds: 5,
                  periodSeconds: 10,
                },
                livenessProbe: {
                  tcpSocket: { port: $.grpcPort },
                  initialDelaySeconds: 30,
                  periodSeconds: 30,
                },
                resources: cfg.resources + (
                  if gpu then { limits+: { "nvidia.com/gpu": cfg.numGpus } } else {}
                ),
                volumeMounts: volumeMounts,
              },
            ],
            volumes: volumes,
            affinity: if gpu && cfg.gpuNodeSelectorKey != "" then {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [{ matchExpressions: [{ key: cfg.gpuNodeSelectorKey, operator: "Exists" }] }],
                },
              },
            } else null,
            tolerations: if gpu && cfg.gpuTolerationKey != "" then
              [{ key: cfg.gpuTolerationKey, operator: "Exists", effect: "NoSchedule" }]
            else null,
          },
        },
      },
    },

    all:: [self.service, self.deployment],
  },

  new(env, params):: $.parts($.config(env, params)).all,

  list(items):: std.prune({ apiVersion: "v1", kind: "List", items: items }),
}
