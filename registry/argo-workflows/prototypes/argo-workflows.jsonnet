// @apiVersion 0.1
// @name io.ksonnet.pkg.argo-workflows
// @description Argo Workflows v4.1.2, the release's install.yaml (argoproj/argo-workflows manifests/cluster-install): the full Workflow, WorkflowTemplate, ClusterWorkflowTemplate, CronWorkflow, WorkflowEventBinding, WorkflowTaskSet, WorkflowTaskResult and WorkflowArtifactGCTask CRDs (too large for client-side apply; kfctl applies server-side), the workflow controller and the Argo server, cluster-wide.
// @shortDescription Argo Workflows v4.1.2 (controller, server, full CRDs).
// @param name string Name of the component
// @optionalParam namespace string argo Namespace of the controller and server (null: the environment's).
// @optionalParam createNamespace string true Render the Namespace object (the release leaves it to `kubectl create namespace argo`).
// @optionalParam installCrds string true Render the CRDs.
// @optionalParam server string true Deploy the Argo server (UI and API).
// @optionalParam serverAuthMode string null Argo server --auth-mode values, comma separated: client, server, sso (null: the server's default, client).
// @optionalParam executorImage string null argoexec image of workflow pods (null: quay.io/argoproj/argoexec:v4.1.2, mirrored with imageRegistry).
// @optionalParam parallelism string null Workflows that may run at once (null: unlimited).
// @optionalParam controllerConfig object null More keys of workflow-controller-configmap, e.g. {artifactRepository: {s3: {...}}} (null: none).
// @optionalParam image string null Controller image (null: the release's quay.io/argoproj/workflow-controller:v4.1.2).
// @optionalParam imageTag string null Tag of the controller image (null: v4.1.2).
// @optionalParam imageRegistry string null Registry mirror for every image, including the executor (null: upstream registries).
// @optionalParam replicas string null Controller and server replicas (null: 1).
// @optionalParam resources object null Controller container resources (null: none, as released).
// @optionalParam nodeSelector object null Node selector of the controller and server (null: the release's kubernetes.io/os: linux).
// @optionalParam tolerations array null Tolerations of the controller and server (null: none).

local argo = import "kubeflow/argo-workflows/argo-workflows.libsonnet";

argo.list(argo.new(env, params))
