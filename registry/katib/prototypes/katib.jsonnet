// @apiVersion 0.1
// @name io.ksonnet.pkg.katib
// @description Katib v0.19.0 standalone (kubeflow/katib manifests/v1beta1/installs/katib-standalone): hyperparameter tuning — the Experiment, Trial and Suggestion CRDs, the controller with its webhooks, the DB manager, the UI and MySQL, as the release ships them. database=postgres is the release's katib-standalone-postgres; certManager=true its katib-cert-manager install (webhook certificates from cert-manager instead of the controller's own).
// @shortDescription Katib v0.19.0 hyperparameter tuning (controller, DB manager, UI, MySQL).
// @param name string Name of the component
// @optionalParam namespace string kubeflow Namespace of Katib (null: the environment's).
// @optionalParam createNamespace string true Render the Namespace object (false when the namespace exists).
// @optionalParam installCrds string true Render the Experiment, Trial and Suggestion CRDs.
// @optionalParam database string mysql The database: mysql (katib-standalone) or postgres (katib-standalone-postgres).
// @optionalParam certManager string false Webhook certificates from cert-manager (the katib-cert-manager install; needs the cert-manager package) instead of the controller's own.
// @optionalParam ui string true Deploy the Katib UI.
// @optionalParam dbPassword string null Database password (null: the release's well-known default; set one for anything but a trial).
// @optionalParam dbStorage string null Size of the database volume (null: the release's 10Gi).
// @optionalParam storageClass string null StorageClass of the database volume (null: the cluster default).
// @optionalParam trialResources string null Kinds trials may run, as Kind.version.group, comma separated (null: the release's TrainJob, Job, TFJob, PyTorchJob, MPIJob, XGBoostJob).
// @optionalParam image string null Controller image (null: the release's ghcr.io/kubeflow/katib/katib-controller:v0.19.0).
// @optionalParam imageTag string null Tag of the controller, DB manager and UI images (null: v0.19.0).
// @optionalParam imageRegistry string null Registry mirror for every image, including the suggestion, metrics-collector and trial images of katib-config (null: upstream registries).
// @optionalParam replicas string null Controller replicas (null: the release's 1).
// @optionalParam resources object null Controller container resources (null: none, as released).
// @optionalParam nodeSelector object null Node selector of every Katib pod (null: none).
// @optionalParam tolerations array null Tolerations of every Katib pod (null: none).

local katib = import "kubeflow/katib/katib.libsonnet";

katib.list(katib.new(env, params))
