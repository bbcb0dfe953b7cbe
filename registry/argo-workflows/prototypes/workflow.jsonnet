// @apiVersion 0.1
// @name io.ksonnet.pkg.workflow
// @description An Argo Workflow (argoproj.io/v1alpha1, Argo Workflows v4.1.2): one container, or steps run as a DAG, each step an image, a command and the steps it depends on; with the service account and Role the emissary executor needs (create/patch WorkflowTaskResults, as Argo's quick start grants).
// @shortDescription An Argo Workflow: a container, or a DAG of steps.
// @param name string Name of the Workflow
// @optionalParam namespace string null Namespace of the Workflow (null: the environment's).
// @optionalParam image string busybox:1.37 Image of the single step (and the default image of steps).
// @optionalParam command string echo,hello Command of the single step, comma separated.
// @optionalParam steps array null Steps as a DAG: [{name, image, command, args, dependencies}] (null: one step running image and command).
// @optionalParam serviceAccountName string null Service account of the workflow pods (null: <name>-executor, rendered with executorRbac).
// @optionalParam executorRbac string true Render the service account, Role and RoleBinding the executor needs.
// @optionalParam ttlSecondsAfterFinished string null Delete the Workflow this many seconds after it completes (null: keep it).
// @optionalParam podGC string null When to delete pods: OnPodCompletion, OnPodSuccess, OnWorkflowCompletion, OnWorkflowSuccess (null: keep them).
// @optionalParam parallelism string null Steps that may run at once (null: unlimited).
// @optionalParam activeDeadlineSeconds string null Fail the Workflow after this many seconds (null: no deadline).
// @optionalParam queue string null Kueue LocalQueue label of the Workflow (null: none).

local workflow = import "kubeflow/argo-workflows/workflow.libsonnet";

workflow.list(workflow.new(env, params))
