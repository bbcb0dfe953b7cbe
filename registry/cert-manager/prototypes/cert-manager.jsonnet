// @apiVersion 0.1
// @name io.ksonnet.pkg.cert-manager
// @description cert-manager v1.21.1, the release's static cert-manager.yaml (cert-manager/cert-manager deploy/charts/cert-manager rendered as make/manifests.mk does): the Certificate, CertificateRequest, Issuer, ClusterIssuer, Order and Challenge CRDs, the controller, the webhook and the CA injector. KServe, Katib (certManager=true) and other packages' webhooks get their certificates from it.
// @shortDescription cert-manager v1.21.1 (controller, webhook, CA injector, CRDs).
// @param name string Name of the component
// @optionalParam namespace string cert-manager Namespace of cert-manager (null: the environment's).
// @optionalParam createNamespace string true Render the Namespace object (false when the namespace exists).
// @optionalParam installCrds string true Render the CRDs.
// @optionalParam leaderElectionNamespace string null Namespace of the leader-election leases and their Roles (null: kube-system, as released).
// @optionalParam featureGates string null Controller --feature-gates, e.g. ExperimentalGatewayAPISupport=true (null: none).
// @optionalParam clusterIssuer string none Also render a ClusterIssuer: none or selfsigned (named selfsigned).
// @optionalParam image string null Controller image (null: the release's quay.io/jetstack/cert-manager-controller:v1.21.1).
// @optionalParam imageTag string null Tag of the controller, webhook, CA injector and ACME solver images (null: v1.21.1).
// @optionalParam imageRegistry string null Registry mirror for every image, including the ACME HTTP-01 solver (null: upstream registries).
// @optionalParam replicas string null Replicas of the controller, webhook and CA injector (null: 1).
// @optionalParam resources object null Controller container resources (null: none, as released).
// @optionalParam nodeSelector object null Node selector of the cert-manager pods (null: the release's kubernetes.io/os: linux).
// @optionalParam tolerations array null Tolerations of the cert-manager pods (null: none).

local cm = import "kubeflow/cert-manager/cert-manager.libsonnet";

cm.list(cm.new(env, params))
