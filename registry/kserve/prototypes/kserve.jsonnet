// @apiVersion 0.1
// @name io.ksonnet.pkg.kserve
// @description KServe v0.20.0 (kserve/kserve config/overlays/standalone/kserve and config/runtimes): the InferenceService, ServingRuntime, ClusterServingRuntime, InferenceGraph, TrainedModel and ClusterStorageContainer CRDs, the controller with its webhooks and cert-manager Certificate, and the ClusterServingRuntimes, in Standard mode (raw Deployments, Services and HPAs: no Istio, no Knative) as upstream's Standard-mode install sets it. Needs cert-manager (the cert-manager package). deploymentMode=Knative needs Knative Serving and Istio installed separately.
// @shortDescription KServe v0.20.0 model serving (Standard mode; needs cert-manager).
// @param name string Name of the component
// @optionalParam namespace string kserve Namespace of the controller (null: the environment's).
// @optionalParam createNamespace string true Render the Namespace object (false when the namespace exists).
// @optionalParam installCrds string true Render the KServe CRDs.
// @optionalParam deploymentMode string Standard Default mode of InferenceServices: Standard (Deployments; no Istio or Knative) or Knative (serverless, scale to zero; needs Knative Serving 1.21 and Istio 1.27, as KServe's kserve-deps.env pins them).
// @optionalParam runtimes string all ClusterServingRuntimes to install: all, none, or a comma list (sklearnserver, xgbserver, tensorflow-serving, torchserve, tritonserver, huggingfaceserver, vllmserver, mlserver, ...).
// @optionalParam tensorflowServingImage string null Image of the kserve-tensorflow-serving runtime (null: the release's tensorflow/serving:2.6.2; the inference-service prototype picks 2.20.0 per InferenceService).
// @optionalParam ingressClassName string null IngressClass of the Ingresses Standard mode creates (null: the release's istio).
// @optionalParam ingressDomain string null Domain of InferenceService host names (null: example.com).
// @optionalParam disableIngressCreation string null Create no Ingress per InferenceService (null: false).
// @optionalParam enableGatewayApi string null Route through Gateway API HTTPRoutes instead of Ingresses (null: false).
// @optionalParam image string null Controller image (null: the release's kserve/kserve-controller:v0.20.0).
// @optionalParam imageTag string null Tag of the controller image (null: v0.20.0).
// @optionalParam imageRegistry string null Registry mirror for every image, including the storage initializer, agent, router and serving-runtime images (null: upstream registries).
// @optionalParam replicas string null Controller replicas (null: 1).
// @optionalParam resources object null Resources of the manager container (null: the release's).
// @optionalParam nodeSelector object null Node selector of the controller pod (null: none).
// @optionalParam tolerations array null Tolerations of the controller pod (null: none).

local kserve = import "kubeflow/kserve/kserve.libsonnet";

kserve.list(kserve.new(env, params))
