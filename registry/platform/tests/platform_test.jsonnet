local platform = import "../platform.libsonnet";
local kserve = import "kubeflow/kserve/kserve.libsonnet";
local katib = import "kubeflow/katib/katib.libsonnet";
local kueue = import "kubeflow/kueue/kueue.libsonnet";

// the CRDs (megabytes) are tested by tests/packages; these renders leave them out
local env = { namespace: "env-ns" };
local render(params) = platform.new(env, { name: "p", installCrds: false } + params);
local off = { training: false, trainer: false, kueue: false, serving: false, tuning: false, notebooks: false, workflows: false, gpu: false };
local names(objs) = std.set([o.kind + "/" + o.metadata.name for o in objs]);
local find(objs, kind, name) = [o for o in objs if o.kind == kind && o.metadata.name == name][0];

// one switch: exactly that package's render
std.assertEqual(render(off + { serving: true, certManager: false }), kserve.new(env, { name: "kserve", installCrds: false, imageRegistry: "null" })) &&
std.assertEqual(render(off + { tuning: "true" }), katib.new(env, { name: "katib", installCrds: false, imageRegistry: "null" })) &&
std.assertEqual(render(off), []) &&
// serving brings cert-manager (its webhook certificates) unless certManager=false
std.assertEqual(std.member(names(render(off + { serving: true })), "Deployment/cert-manager-webhook"), true) &&
// Kueue manages the training operator's v1 jobs when both are on
local frameworks(objs) = std.native("parseYaml")(find(objs, "ConfigMap", "kueue-manager-config").data["controller_manager_config.yaml"])[0].integrations.frameworks;
std.assertEqual(std.member(frameworks(render(off + { kueue: true, training: true })), "kubeflow.org/pytorchjob"), true) &&
std.assertEqual(std.member(frameworks(render(off + { kueue: true })), "kubeflow.org/pytorchjob"), false) &&
// training-operator and Katib share the kubeflow namespace: one Namespace object
local both = render(off + { training: true, tuning: true });
std.assertEqual([o.metadata.name for o in both if o.kind == "Namespace"], ["kubeflow"]) &&
// the registry mirror reaches every package
std.assertEqual(std.set([std.split(c.image, "/")[0]
                         for o in render({ imageRegistry: "m.local" }) if std.member(["Deployment", "DaemonSet", "StatefulSet"], o.kind)
                         for c in o.spec.template.spec.containers]), ["m.local"]) &&
// gpu: the profile's stack (here the device plugin with the profile's node label)
local g = render(off + { gpu: true, gpuNodeSelectorKey: "k8s.amazonaws.com/accelerator" });
std.assertEqual([o.kind for o in g], ["DaemonSet"]) &&
std.assertEqual(render(off + { gpu: true, gpuStack: "none" }), [])
