// Ambassador: the API gateway in front of the Kubeflow UIs (routes come from
// `getambassador.io/config` annotations on the services).
{
  parts(cfg):: {
    local ns = cfg.namespace,
    local labels = { service: "ambassador" },

    service:: {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "ambassador", namespace: ns, labels: labels },
      spec: {
        type: cfg.tfAmbassadorServiceType,
        ports: [{ name: "ambassador", port: 80, targetPort: 80 }],
        selector: labels,
      },
    },

    adminService:: {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "ambassador-admin", namespace: ns, labels: labels },
      spec: {
        type: "ClusterIP",
        ports: [{ name: "ambassador-admin", port: 8877, targetPort: 8877 }],
        selector: labels,
      },
    },

    role:: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: "ambassador", namespace: ns },
      rules: [
        { apiGroups: [""], resources: ["services", "endpoints"], verbs: ["get", "list", "watch"] },
        { apiGroups: [""], resources: ["configmaps"], verbs: ["create", "update", "patch", "get", "list", "watch"] },
        { apiGroups: [""], resources: ["secrets"], verbs: ["get", "list", "watch"] },
      ],
    },

    serviceAccount:: {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "ambassador", namespace: ns },
    },

    roleBinding:: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: "ambassador", namespace: ns },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "ambassador" },
      subjects: [{ kind: "ServiceAccount", name: "ambassador", namespace: ns }],
    },

    deploy:: {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "ambassador", namespace: ns, labels: labels },
      spec: {
        // one replica is enough on a laptop
        replicas: if std.member(["minikube", "kind"], cfg.cloud) then 1 else 3,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels: labels },
          spec: {
            serviceAccountName: "ambassador",
            containers: [
              {
                name: "ambassador",
                image: cfg.ambassadorImage,
                env: [
                  { name: "AMBASSADOR_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
                  { name: "AMBASSADOR_SINGLE_NAMESPACE", value: "true" },
                ],
                ports: [{ name: "http", containerPort: 80 }, { name: "admin", containerPort: 8877 }],
                livenessProbe: {
                  httpGet: { path: "/ambassador/v0/check_alive", port: 8877 },
                  initialDelaySeconds: 30,
                  periodSeconds: 30,
                },
                readinessProbe: {
                  httpGet: { path: "/ambassador/v0/check_ready", port: 8877 },
                  initialDelaySeconds: 30,
                  periodSeconds: 30,
                },
                resources: {
                  limits: { cpu: "1", memory: "400Mi" },
                  requests: { cpu: "200m", memory: "100Mi" },
                },
              },
              {
                name: "statsd",
                image: cfg.statsdImage,
              },
            ],
            restartPolicy: "Always",
          },
        },
      },
    },

    // Routes /k8s/ui/ to the Kubernetes dashboard in kube-system (if installed).
    k8sDashboard:: {
      apiVersion: "v1",
      kind: "Service",
      metadata: {
        name: "k8s-dashboard",
        namespace: ns,
        annotations: {
          "getambassador.io/config": std.join("\n", [
            "---",
            "apiVersion: ambassador/v0",
            "kind:  Mapping",
            "name: k8s-dashboard-ui-mapping",
            "prefix: /k8s/ui/",
            "rewrite: /",
            // AKS serves the dashboard over plain HTTP
            "tls: " + (if std.member(["aks", "acsengine", "azure"], cfg.cloud) then "false" else "true"),
            "service: kubernetes-dashboard.kube-system",
          ]),
        },
      },
      spec: {
        ports: [{ port: 443, targetPort: 8443 }],
        selector: { "k8s-app": "kubernetes-dashboard" },
        type: "ClusterIP",
      },
    },

    all:: [
      self.service,
      self.adminService,
      self.role,
      self.serviceAccount,
      self.roleBinding,
      self.deploy,
      self.k8sDashboard,
    ],
  },
}
