// @apiVersion 0.1
// @name io.ksonnet.pkg.inference-service
// @description A KServe v1beta1 InferenceService (KServe v0.20.0, serving.kserve.io): a model of a format (sklearn, xgboost, lightgbm, tensorflow, pytorch, onnx, triton, huggingface, ...) loaded from storageUri by the runtime KServe picks for the format, or the named runtime; CPU, memory and GPU; and min/max replicas (Standard mode: a Deployment with an HPA between them). TensorFlow models run on TF Serving 2.20.0 (runtimeVersion, -gpu with GPUs) instead of the runtime's 2.6.2.
// @shortDescription A KServe InferenceService (model format, storageUri, runtime, GPU, replicas).
// @param name string Name of the InferenceService
// @optionalParam namespace string null Namespace of the InferenceService (null: the environment's).
// @optionalParam modelFormat string sklearn Model format: sklearn, xgboost, lightgbm, tensorflow, pytorch, onnx, triton, huggingface, pmml, paddle, ...
// @optionalParam modelFormatVersion string null Version of the model format (null: any the runtime supports).
// @optionalParam storageUri string gs://kfserving-examples/models/sklearn/1.0/model Where the model is: gs://, s3://, https://, pvc://<claim>/<path>, hf://, oci://.
// @optionalParam runtime string null ServingRuntime or ClusterServingRuntime to use (null: the one KServe selects for the format).
// @optionalParam runtimeVersion string null Image tag of the runtime (null: the runtime's; 2.20.0, or 2.20.0-gpu with GPUs, for tensorflow on kserve-tensorflow-serving).
// @optionalParam protocolVersion string null Inference protocol: v1, v2 or grpc-v2 (null: the runtime's).
// @optionalParam deploymentMode string null Standard or Knative for this InferenceService (null: the controller's default, Standard in the kserve package).
// @optionalParam minReplicas string null Minimum replicas (null: KServe's 1).
// @optionalParam maxReplicas string null Maximum replicas (null: KServe's; Standard mode scales between them with an HPA).
// @optionalParam scaleMetric string null Autoscaling metric: cpu, memory, concurrency or rps (null: cpu).
// @optionalParam scaleTarget string null Autoscaling target of that metric (null: KServe's).
// @optionalParam cpu string null CPU request and limit of the model server (null: the runtime's).
// @optionalParam memory string null Memory request and limit of the model server (null: the runtime's).
// @optionalParam num_gpus number 0 GPUs of the model server.
// @optionalParam serviceAccountName string null Service account with the storage credentials (null: the namespace's default).
// @optionalParam gpuNodeSelectorKey string null Node label of GPU nodes (null: the platform profile's, else none).
// @optionalParam gpuNodeSelectorValue string null Value of that label (null: any value).
// @optionalParam gpuTolerationKey string null Taint key of GPU nodes that GPU model servers tolerate (null: the platform profile's, else none).

local isvc = import "kubeflow/kserve/inference-service.libsonnet";

isvc.list(isvc.new(env, params))
