// @apiVersion 0.1
// @name io.ksonnet.pkg.service-account-with-role
// @description A ServiceAccount with a Role and RoleBinding granting it 'rules' in its namespace (or a ClusterRole and ClusterRoleBinding when scope is cluster). No token Secret is created: pods get short-lived projected tokens.
// @shortDescription A service account bound to a role
// @param name string Name of the ServiceAccount, the Role and the RoleBinding
// @optionalParam rules array [{"apiGroups":[""],"resources":["pods"],"verbs":["get","list","watch"]}] RBAC policy rules of the role.
// @optionalParam scope string namespace namespace (Role + RoleBinding) or cluster (ClusterRole + ClusterRoleBinding).
// @optionalParam namespace string null Namespace of the ServiceAccount (null: the environment's).

local isSet(v) = v != null && v != "" && v != "null";
local namespace = if std.objectHas(params, "namespace") && isSet(params.namespace) then params.namespace else env.namespace;
local cluster = std.asciiLower(params.scope) == "cluster";
assert cluster || std.asciiLower(params.scope) == "namespace" : "service-account-with-role: scope must be namespace or cluster, got %s" % params.scope;
local labels = { app: params.name };
local roleMeta = { name: params.name, labels: labels } + (if cluster then {} else { namespace: namespace });

std.prune({
  apiVersion: "v1",
  kind: "List",
  items: [
    {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: params.name, namespace: namespace, labels: labels },
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: if cluster then "ClusterRole" else "Role",
      metadata: roleMeta,
      rules: params.rules,
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: if cluster then "ClusterRoleBinding" else "RoleBinding",
      metadata: roleMeta,
      roleRef: {
        apiGroup: "rbac.authorization.k8s.io",
        kind: if cluster then "ClusterRole" else "Role",
        name: params.name,
      },
      subjects: [{ kind: "ServiceAccount", name: params.name, namespace: namespace }],
    },
  ],
})
