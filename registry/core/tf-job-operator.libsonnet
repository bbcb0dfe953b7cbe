// The TFJob operator (kubeflow.org/v1 TFJob, served by the training-operator v1 image with only the
// TFJob scheme enabled), its CRD with a structural schema, and the TFJob dashboard.
local util = import "kubeflow/core/util.libsonnet";

{
  // TFJob replica types the operator knows (training-operator v1 `TFJobReplicaType`).
  replicaTypes:: ["Chief", "PS", "Worker", "Evaluator", "Master"],

  // openAPIV3Schema of kubeflow.org/v1 TFJob: structural (every level typed), pod templates kept
  // as opaque objects.
  tfJobSchema:: {
    local replicaSpec(maxReplicas=null) = {
      type: "object",
      properties: {
        replicas: { type: "integer", format: "int32", minimum: 0 } + (
          if maxReplicas != null then { maximum: maxReplicas } else {}
        ),
        restartPolicy: { type: "string", enum: ["Always", "OnFailure", "Never", "ExitCode"] },
        template: {
          type: "object",
          description: "The pod template of this replica type; the container must be named 'tensorflow'.",
          "x-kubernetes-preserve-unknown-fields": true,
        },
      },
    },
    type: "object",
    properties: {
      apiVersion: { type: "string" },
      kind: { type: "string" },
      metadata: { type: "object" },
      spec: {
        type: "object",
        required: ["tfReplicaSpecs"],
        properties: {
          enableDynamicWorker: { type: "boolean" },
          successPolicy: { type: "string", enum: ["", "AllWorkers"] },
          runPolicy: {
            type: "object",
            properties: {
              activeDeadlineSeconds: { type: "integer", format: "int64", minimum: 0 },
              backoffLimit: { type: "integer", format: "int32", minimum: 0 },
              cleanPodPolicy: { type: "string", enum: ["All", "Running", "None"] },
              managedBy: { type: "string" },
              suspend: { type: "boolean" },
              ttlSecondsAfterFinished: { type: "integer", format: "int32", minimum: 0 },
              schedulingPolicy: {
                type: "object",
                properties: {
                  minAvailable: { type: "integer", format: "int32" },
                  minResources: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
                  priorityClass: { type: "string" },
                  queue: { type: "string" },
                  scheduleTimeoutSeconds: { type: "integer", format: "int32" },
                },
              },
            },
          },
          tfReplicaSpecs: {
            type: "object",
            properties: {
              Chief: replicaSpec(1),
              Master: replicaSpec(1),
              PS: replicaSpec(),
              Worker: replicaSpec(),
              Evaluator: replicaSpec(1),
            },
          },
        },
      },
      status: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
    },
  },

  parts(cfg):: {
    local ns = cfg.namespace,
    local operatorLabels = { name: "tf-job-operator" },
    local dashboardLabels = { name: "tf-job-dashboard" },

    tfJobCrd:: {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "tfjobs.kubeflow.org" },
      spec: {
        group: "kubeflow.org",
        scope: "Namespaced",
        names: { kind: "TFJob", listKind: "TFJobList", plural: "tfjobs", singular: "tfjob", shortNames: ["tfj"] },
        versions: [
          {
            name: "v1",
            served: true,
            storage: true,
            subresources: { status: {} },
            additionalPrinterColumns: [
              { name: "State", type: "string", jsonPath: ".status.conditions[-1:].type" },
              { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
            ],
            schema: { openAPIV3Schema: $.tfJobSchema },
          },
        ],
      },
    },

    tfConfigMap:: {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "tf-job-operator-config", namespace: ns },
      data: {
        "controller_config_file.yaml": std.manifestJson(
          { grpcServerFilePath: "/opt/mlkube/grpc_tensorflow_server/grpc_tensorflow_server.py" } +
          (if cfg.tfDefaultImage != "" then { tfImage: cfg.tfDefaultImage } else {})
        ),
      },
    },

    tfServiceAccount:: {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "tf-job-operator", namespace: ns, labels: { app: "tf-job-operator" } },
    },

    tfOperatorRole:: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "tf-job-operator", labels: { app: "tf-job-operator" } },
      rules: [
        {
          apiGroups: ["kubeflow.org"],
          resources: ["tfjobs", "tfjobs/status", "tfjobs/finalizers"],
          verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
        },
        {
          apiGroups: ["apiextensions.k8s.io"],
          resources: ["customresourcedefinitions"],
          verbs: ["get", "list", "watch"],
        },
        {
          apiGroups: [""],
          resources: ["pods", "pods/exec", "services", "endpoints", "configmaps", "events", "serviceaccounts", "persistentvolumeclaims"],
          verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
        },
        {
          apiGroups: ["coordination.k8s.io"],
          resources: ["leases"],
          verbs: ["create", "get", "list", "update", "watch"],
        },
        {
          apiGroups: ["scheduling.volcano.sh", "scheduling.x-k8s.io"],
          resources: ["podgroups"],
          verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
        },
      ],
    },

    tfOperatorRoleBinding:: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "tf-job-operator", labels: { app: "tf-job-operator" } },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "tf-job-operator" },
      subjects: [{ kind: "ServiceAccount", name: "tf-job-operator", namespace: ns }],
    },

    tfJobDeploy:: {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "tf-job-operator", namespace: ns, labels: operatorLabels },
      spec: {
        replicas: 1,
        selector: { matchLabels: operatorLabels },
        template: {
          metadata: { labels: operatorLabels, annotations: { "sidecar.istio.io/inject": "false" } },
          spec: {
            serviceAccountName: "tf-job-operator",
            terminationGracePeriodSeconds: 10,
            containers: [
              {
                name: "tf-job-operator",
                image: cfg.tfJobImage,
                command: ["/manager"],
                args: ["--enable-scheme=tfjob"],
                env: [
                  { name: "MY_POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
                  { name: "MY_POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
                ],
                ports: [{ name: "metrics", containerPort: 8080 }],
                livenessProbe: {
                  httpGet: { path: "/healthz", port: 8081 },
                  initialDelaySeconds: 15,
                  periodSeconds: 20,
                  timeoutSeconds: 3,
                },
                readinessProbe: {
                  httpGet: { path: "/readyz", port: 8081 },
                  initialDelaySeconds: 10,
                  periodSeconds: 15,
                  timeoutSeconds: 3,
                },
                securityContext: { allowPrivilegeEscalation: false },
                volumeMounts: [{ name: "config-volume", mountPath: "/etc/config" }],
              },
            ],
            volumes: [{ name: "config-volume", configMap: { name: "tf-job-operator-config" } }],
          },
        },
      },
    },

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

    operator:: [
      self.tfJobCrd,
      self.tfConfigMap,
      self.tfServiceAccount,
      self.tfOperatorRole,
      self.tfOperatorRoleBinding,
      self.tfJobDeploy,
    ],
    dashboard:: [
      self.tfUiRole,
      self.tfUiRoleBinding,
      self.tfUiService,
      self.tfUiServiceAccount,
      self.tfUiDeploy,
    ],
    all:: self.operator + self.dashboard,
  },
}
