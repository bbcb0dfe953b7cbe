// The TFJob operator: the training-operator package (training-operator v1.9.4, kubeflow/trainer
// release-1.9, a parts.yaml dependency of kubeflow/core) serving TFJob only (enabledKinds=tfjob:
// --enable-scheme=tfjob, the TFJob CRD and webhook), in the component's namespace.  The 2018 TFJob
// dashboard is rendered only when tfJobUiImage is set (no current release ships one).
local trainingOperator = import "kubeflow/training-operator/training-operator.libsonnet";

{
  parts(cfg):: {
    local ns = cfg.namespace,
    local dashboardLabels = { name: "tf-job-dashboard" },
    // the release's objects, moved to the component's namespace (which the env creates)
    operator:: trainingOperator.objects(trainingOperator.config(null, {
      namespace: ns,
      createNamespace: false,
      enabledKinds: "tfjob",
      image: if cfg.tfJobImage == "" then "null" else cfg.tfJobImage,
    })),

    tfUiRole:: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "tf-job-dashboard", labels: { app: "tf-job-dashboard" } },
      rules: [
        {
          apiGroups: ["kubeflow.org"],
          resources: ["tfjobs"],
          verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
        },
        {
          apiGroups: [""],
          resources: ["pods", "pods/log", "services", "events", "namespaces"],
          verbs: ["get", "list", "watch"],
        },
      ],
    },

    tfUiRoleBinding:: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "tf-job-dashboard", labels: { app: "tf-job-dashboard" } },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "tf-job-dashboard" },
      subjects: [{ kind: "ServiceAccount", name: "tf-job-dashboard", namespace: ns }],
    },

    tfUiService:: {
      apiVersion: "v1",
      kind: "Service",
      metadata: {
        name: "tf-job-dashboard",
        namespace: ns,
        labels: dashboardLabels,
        annotations: {
          "getambassador.io/config": std.join("\n", [
            "---",
            "apiVersion: ambassador/v0",
            "kind:  Mapping",
            "name: tfjobs-ui-mapping",
            "prefix: /tfjobs/",
            "rewrite: /tfjobs/",
            "service: tf-job-dashboard." + ns,
          ]),
        },
      },
      spec: {
        type: cfg.tfJobUiServiceType,
        ports: [{ name: "http", port: 80, targetPort: 8080 }],
        selector: dashboardLabels,
      },
    },

    tfUiServiceAccount:: {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "tf-job-dashboard", namespace: ns, labels: { app: "tf-job-dashboard" } },
    },

    tfUiDeploy:: {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "tf-job-dashboard", namespace: ns, labels: dashboardLabels },
      spec: {
        replicas: 1,
        selector: { matchLabels: dashboardLabels },
        template: {
          metadata: { labels: dashboardLabels },
          spec: {
            serviceAccountName: "tf-job-dashboard",
            containers: [
              {
                name: "tf-job-dashboard",
                image: cfg.tfJobUiImage,
                command: ["/opt/tensorflow_k8s/dashboard/backend"],
                env: [
                  { name: "KUBEFLOW_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
                ],
                ports: [{ name: "http", containerPort: 8080 }],
              },
            ],
          },
        },
      },
    },

    dashboard:: if cfg.tfJobUiImage == "" then [] else [
      self.tfUiRole,
      self.tfUiRoleBinding,
      self.tfUiService,
      self.tfUiServiceAccount,
      self.tfUiDeploy,
    ],
    all:: self.operator + self.dashboard,
  },
}
