// @apiVersion 0.1
// @name io.ksonnet.pkg.scheduler-plugins
// @description scheduler-plugins v0.34.7 as a second scheduler (kubernetes-sigs/scheduler-plugins chart manifests/install/charts/as-a-second-scheduler, helm template): the scheduler scheduler-plugins-scheduler with the Coscheduling plugin, its controller, RBAC and the PodGroup/ElasticQuota CRDs. Gang-scheduled pods set schedulerName scheduler-plugins-scheduler and the label scheduling.x-k8s.io/pod-group (the job prototypes do that with gangScheduling=coscheduling).
// @shortDescription scheduler-plugins v0.34.7 second scheduler (Coscheduling, PodGroup).
// @param name string Name of the component
// @optionalParam namespace string scheduler-plugins Namespace of the scheduler and controller (null: the environment's).
// @optionalParam createNamespace string true Render the Namespace object (false when the namespace exists).
// @optionalParam installCrds string true Render the CRDs (false when they are managed elsewhere).
// @optionalParam imageRegistry string null Registry mirror that replaces the registry of every image (null: upstream registries).
// @optionalParam replicas string null Controller replicas (null: the release's).
// @optionalParam resources object null Controller container resources (null: the release's).
// @optionalParam nodeSelector object null Node selector of the controller pods (null: the release's).
// @optionalParam tolerations array null Tolerations of the controller pods (null: the release's).
// @optionalParam plugins string coscheduling Plugin set: coscheduling (Coscheduling only) or chart-defaults (Coscheduling, CapacityScheduling, NodeResourceTopologyMatch, NodeResourcesAllocatable).
// @optionalParam schedulerImage string null Scheduler image (null: the release's registry.k8s.io/scheduler-plugins/kube-scheduler:v0.34.7).
// @optionalParam controllerImage string null Controller image (null: the release's registry.k8s.io/scheduler-plugins/controller:v0.34.7).

local sp = import "kubeflow/scheduler-plugins/scheduler-plugins.libsonnet";

sp.list(sp.new(env, params))
