// @apiVersion 0.1
// @name io.ksonnet.pkg.notebook-controller
// @description Kubeflow Notebooks v1.11.0 notebook controller (kubeflow/notebooks components/notebook-controller/config/overlays/standalone): the Notebook CRD (kubeflow.org v1, v1beta1, v1alpha1) and the controller that runs each Notebook as a StatefulSet and Service, without Istio, as the release ships it.
// @shortDescription Kubeflow Notebooks v1.11.0 notebook controller (standalone, no Istio).
// @param name string Name of the component
// @optionalParam namespace string notebook-controller-system Namespace of the controller (null: the environment's).
// @optionalParam createNamespace string true Render the Namespace object (false when the namespace exists).
// @optionalParam installCrds string true Render the Notebook CRD.
// @optionalParam useIstio string null Route notebooks through an Istio gateway with a VirtualService each (null: false, as the standalone overlay).
// @optionalParam istioGateway string null Istio gateway of the VirtualServices (null: kubeflow/kubeflow-gateway).
// @optionalParam istioHost string null Host of the VirtualServices (null: *).
// @optionalParam clusterDomain string null Cluster DNS domain (null: cluster.local).
// @optionalParam enableCulling string null Stop idle notebooks (null: false).
// @optionalParam cullIdleTime string null Minutes of idleness before a notebook is stopped (null: 1440).
// @optionalParam idlenessCheckPeriod string null Minutes between idleness checks (null: 1).
// @optionalParam image string null Controller image (null: the release's ghcr.io/kubeflow/notebooks/notebook-controller:v1.11.0).
// @optionalParam imageTag string null Tag of the controller image (null: v1.11.0).
// @optionalParam imageRegistry string null Registry mirror that replaces the registry of every image (null: upstream registries).
// @optionalParam replicas string null Controller replicas (null: 1).
// @optionalParam resources object null Controller container resources (null: none, as released).
// @optionalParam nodeSelector object null Node selector of the controller pod (null: none).
// @optionalParam tolerations array null Tolerations of the controller pod (null: none).

local nb = import "kubeflow/notebooks/notebooks.libsonnet";

nb.list(nb.new(env, params))
