local argo = import "../argo-workflows.libsonnet";
local workflow = import "../workflow.libsonnet";
local up = import "../upstream/upstream.libsonnet";

// the CRDs (megabytes) are tested by tests/packages; these renders leave them out
local render(params) = argo.new({ namespace: "env-ns" }, { name: "argo", installCrds: false } + params);
local find(objs, kind, name) = [o for o in objs if o.kind == kind && o.metadata.name == name][0];
local args(objs, name) = std.get(find(objs, "Deployment", name).spec.template.spec.containers[0], "args", []);

// the release's install.yaml, with the Namespace it leaves to `kubectl create namespace argo`
std.assertEqual(render({}), [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "argo" } }] + up.variants["cluster-install"]) &&
std.assertEqual(render({ createNamespace: false }), up.variants["cluster-install"]) &&
// server=false: no Argo server, its Service, service account or RBAC
std.assertEqual(std.length(render({ server: false, createNamespace: false })), std.length(up.variants["cluster-install"]) - 5) &&
// executor image: explicit, or the release's mirrored
std.assertEqual(args(render({ executorImage: "me/exec:1" }), "workflow-controller"), ["--executor-image", "me/exec:1"]) &&
std.assertEqual(args(render({ imageRegistry: "m.local" }), "workflow-controller"), ["--executor-image", "m.local/argoproj/argoexec:v4.1.2"]) &&
std.assertEqual(args(render({ serverAuthMode: "sso,client" }), "argo-server"), ["server", "--auth-mode=sso", "--auth-mode=client"]) &&
// the controller's ConfigMap: parallelism and config keys (objects as YAML text)
std.assertEqual(find(render({ parallelism: 5, controllerConfig: { namespaceParallelism: "2", retentionPolicy: { completed: 10 } } }),
                     "ConfigMap", "workflow-controller-configmap").data,
                { parallelism: "5", namespaceParallelism: "2", retentionPolicy: "completed: 10\n" }) &&
// another namespace: the bindings follow
std.assertEqual(find(render({ namespace: "wf" }), "ClusterRoleBinding", "argo-binding").subjects, [{ kind: "ServiceAccount", name: "argo", namespace: "wf" }]) &&

// a Workflow: one step, or a DAG; the executor's service account and Role
local wf(params) = workflow.new({ namespace: "p" }, { name: "w" } + params);
local one = wf({});
std.assertEqual([o.kind for o in one], ["ServiceAccount", "Role", "RoleBinding", "Workflow"]) &&
std.assertEqual(one[1].rules, [{ apiGroups: ["argoproj.io"], resources: ["workflowtaskresults"], verbs: ["create", "patch"] }]) &&
std.assertEqual(one[3].spec, { entrypoint: "main", serviceAccountName: "w-executor",
                               templates: [{ name: "main", container: { image: "busybox:1.37", command: ["echo", "hello"] } }] }) &&
local dag = wf({ executorRbac: false, steps: [{ name: "a", command: ["echo", "a"] }, { name: "b", image: "alpine:3", args: "x,y", dependencies: "a" }] });
std.assertEqual([o.kind for o in dag], ["Workflow"]) &&
std.assertEqual(dag[0].spec.templates, [
  { name: "main", dag: { tasks: [{ name: "a", template: "a" }, { name: "b", template: "b", dependencies: ["a"] }] } },
  { name: "a", container: { image: "busybox:1.37", command: ["echo", "a"] } },
  { name: "b", container: { image: "alpine:3", args: ["x", "y"] } },
]) &&
std.assertEqual(std.objectHas(dag[0].spec, "serviceAccountName"), false)
