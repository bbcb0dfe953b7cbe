// @apiVersion 0.1
// @name io.ksonnet.pkg.tf-serving
// @description TensorFlow Serving: a Deployment running tensorflow_model_server (gRPC on 8500, REST on 8501, ready when /v1/models/<model_name> answers) and a Service. model_path may be gs://bucket/path, s3://bucket/path or pvc://claim/path; cloud picks the credentials (gke: a GCP key secret, eks or s3:// paths: S3 settings).
// @shortDescription TensorFlow serving
// @param name string Name to give to each of the components
// @optionalParam namespace string null Namespace to use for the components. It is automatically inherited from the environment if not set.
// @optionalParam model_name string null The model name (null: the component name).
// @optionalParam model_path string gs://kubeflow-examples-data/mnist Base path of the model: gs://..., s3://... or pvc://<claim>/<path>.
// @optionalParam replicas number 1 Number of serving replicas.
// @optionalParam serviceType string ClusterIP The Kubernetes service type.
// @optionalParam image string tensorflow/serving:2.20.0 The TensorFlow Serving image.
// @optionalParam image_gpu string tensorflow/serving:2.20.0-gpu The image used when num_gpus > 0.
// @optionalParam num_gpus number 0 Number of GPUs per replica (nvidia.com/gpu).
// @optionalParam cpuRequest string 1 CPU request per replica.
// @optionalParam memoryRequest string 1Gi Memory request per replica.
// @optionalParam cpuLimit string 4 CPU limit per replica.
// @optionalParam memoryLimit string 4Gi Memory limit per replica.
// @optionalParam cloud string null Platform (gke, eks, aks, on-prem, ...): gke mounts gcpCredentialSecretName, eks sets the S3 environment.
// @optionalParam gcpCredentialSecretName string user-gcp-sa Secret with the GCP service-account key <name>.json (gke only).
// @optionalParam s3SecretName string null Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (null: use the pod's identity).
// @optionalParam s3AwsRegion string us-west-1 AWS region of the bucket.
// @optionalParam s3Endpoint string null S3 endpoint (null: s3.<region>.amazonaws.com; set for MinIO and other S3-compatible stores).
// @optionalParam s3UseHttps string true Whether to use HTTPS for S3.
// @optionalParam s3VerifySsl string true Whether to verify S3 certificates.
// @optionalParam gpuNodeSelectorKey string null Node label of GPU nodes (GPU replicas require it).
// @optionalParam gpuTolerationKey string null Taint key of GPU nodes that GPU replicas tolerate (null: the cloud's, nvidia.com/gpu or sku on aks).

local tfServing = import "kubeflow/tf-serving/tf-serving.libsonnet";

tfServing.list(tfServing.new(env, params))
