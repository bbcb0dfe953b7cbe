// The Kubeflow central dashboard (landing page linking JupyterHub, TFJobs, ...).
{
  parts(cfg):: {
    local ns = cfg.namespace,
    local labels = { app: "centraldashboard" },

    deployUi:: {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "centraldashboard", namespace: ns, labels: labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels: labels },
          spec: {
            serviceAccountName: "centraldashboard",
            containers: [
              {
                name: "centraldashboard",
                image: cfg.centralUiImage,
                ports: [{ containerPort: 8082 }],
              },
            ],
          },
        },
      },
    },

    uiService:: {
      apiVersion: "v1",
      kind: "Service",
      metadata: {
        name: "centraldashboard",
        namespace: ns,
        labels: labels,
        annotations: {
          "getambassador.io/config": std.join("\n", [
            "---",
            "apiVersion: ambassador/v0",
            "kind:  Mapping",
            "name: centralui-mapping",
            "prefix: /",
            "rewrite: /",
            "service: centraldashboard." + ns,
          ]),
        },
      },
      spec: {
        ports: [{ port: 80, targetPort: 8082 }],
        selector: labels,
        sessionAffinity: "None",
        type: "ClusterIP",
      },
    },

    uiServiceAccount:: {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "centraldashboard", namespace: ns, labels: labels },
    },

    uiRole:: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "centraldashboard", labels: labels },
      rules: [
        { apiGroups: [""], resources: ["pods", "pods/exec", "pods/log"], verbs: ["get", "list", "watch"] },
        { apiGroups: [""], resources: ["secrets"], verbs: ["get"] },
      ],
    },

    uiRoleBinding:: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "centraldashboard", labels: labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "centraldashboard" },
      subjects: [{ kind: "ServiceAccount", name: "centraldashboard", namespace: ns }],
    },

    all:: [
      self.deployUi,
      self.uiService,
      self.uiServiceAccount,
      self.uiRole,
      self.uiRoleBinding,
    ],
  },
}
