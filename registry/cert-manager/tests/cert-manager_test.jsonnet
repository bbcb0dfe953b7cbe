local cm = import "../cert-manager.libsonnet";
local up = import "../upstream/upstream.libsonnet";

local render(params) = cm.new({ namespace: "env-ns" }, { name: "cert-manager" } + params);
local find(objs, kind, name) = [o for o in objs if o.kind == kind && o.metadata.name == name][0];
local container(objs, name) = find(objs, "Deployment", name).spec.template.spec.containers[0];

// the release's static cert-manager.yaml: Namespace, CRDs and the rest
std.assertEqual(render({}), [up.crds[c] for c in std.objectFields(up.crds)] + up.variants.namespace + up.variants.static) &&
std.assertEqual(render({ installCrds: false, createNamespace: false }), up.variants.static) &&
// imageTag retags all four images, the ACME solver's flag included; the mirror too
local t = render({ imageTag: "v1.21.0", imageRegistry: "m.local", installCrds: false });
std.assertEqual([container(t, d).image for d in ["cert-manager", "cert-manager-webhook", "cert-manager-cainjector"]],
                ["m.local/jetstack/cert-manager-controller:v1.21.0", "m.local/jetstack/cert-manager-webhook:v1.21.0",
                 "m.local/jetstack/cert-manager-cainjector:v1.21.0"]) &&
std.assertEqual([a for a in container(t, "cert-manager").args if std.startsWith(a, "--acme")],
                ["--acme-http01-solver-image=m.local/jetstack/cert-manager-acmesolver:v1.21.0"]) &&
// leader election elsewhere: the flag and the Roles/RoleBindings in kube-system move
local le = render({ leaderElectionNamespace: "certs", installCrds: false });
std.assertEqual([a for a in container(le, "cert-manager-cainjector").args if std.startsWith(a, "--leader")], ["--leader-election-namespace=certs"]) &&
std.assertEqual(std.set([o.metadata.namespace for o in le if o.kind == "Role" || o.kind == "RoleBinding"]), ["cert-manager", "certs"]) &&
// featureGates, the selfsigned ClusterIssuer
std.assertEqual(std.reverse(container(render({ featureGates: "A=true", installCrds: false }), "cert-manager").args)[0], "--feature-gates=A=true") &&
std.assertEqual(std.reverse(render({ clusterIssuer: "selfsigned", installCrds: false }))[0],
                { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: "selfsigned" }, spec: { selfSigned: {} } }) &&
// another namespace: the webhooks' Service and CA secret references move
local moved = render({ namespace: "certs", installCrds: false });
std.assertEqual(find(moved, "ValidatingWebhookConfiguration", "cert-manager-webhook").metadata.annotations,
                { "cert-manager.io/inject-ca-from-secret": "certs/cert-manager-webhook-ca" }) &&
std.assertEqual(find(moved, "ValidatingWebhookConfiguration", "cert-manager-webhook").webhooks[0].clientConfig.service.namespace, "certs")
