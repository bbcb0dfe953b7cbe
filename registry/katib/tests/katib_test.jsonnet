local katib = import "../katib.libsonnet";
local experiment = import "../experiment.libsonnet";
local up = import "../upstream/upstream.libsonnet";

local render(params) = katib.new({ namespace: "env-ns" }, { name: "katib" } + params);
local find(objs, kind, name) = [o for o in objs if o.kind == kind && o.metadata.name == name][0];
local names(objs) = std.set([o.kind + "/" + o.metadata.name for o in objs]);
local config(objs) = std.native("parseYaml")(find(objs, "ConfigMap", "katib-config").data["katib-config.yaml"])[0];

// defaults: the release's katib-standalone objects, CRDs first
std.assertEqual(render({}), [up.crds[c] for c in std.objectFields(up.crds)] + up.variants.standalone) &&
// database=postgres: the katib-standalone-postgres install; certManager: katib-cert-manager
std.assertEqual(render({ database: "postgres", installCrds: false }), up.variants["standalone-postgres"]) &&
std.assertEqual(render({ certManager: true, installCrds: false }), up.variants["cert-manager"]) &&
// ui=false: no UI Deployment, Service, service account or RBAC
std.assertEqual(std.setDiff(names(up.variants.standalone), names(render({ ui: "false", installCrds: false }))),
                ["ClusterRole/katib-ui", "ClusterRoleBinding/katib-ui", "Deployment/katib-ui", "Service/katib-ui", "ServiceAccount/katib-ui"]) &&
// dbPassword: the database Secret (PostgreSQL: also the DB manager's env, as released)
std.assertEqual(find(render({ dbPassword: "pw" }), "Secret", "katib-mysql-secrets").data, { MYSQL_ROOT_PASSWORD: std.base64("pw") }) &&
local pg = render({ database: "postgres", dbPassword: "pw", installCrds: false });
std.assertEqual(find(pg, "Secret", "katib-postgres-secrets").data.POSTGRES_PASSWORD, std.base64("pw")) &&
std.assertEqual([e for e in find(pg, "Deployment", "katib-db-manager").spec.template.spec.containers[0].env if e.name == "DB_PASSWORD"],
                [{ name: "DB_PASSWORD", value: "pw" }]) &&
// the database volume
std.assertEqual(find(render({ dbStorage: "50Gi", storageClass: "fast" }), "PersistentVolumeClaim", "katib-mysql").spec,
                { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "50Gi" } }, storageClassName: "fast" }) &&
// trialResources: katib-config's controller.trialResources, the rest of the config unchanged
local trial = render({ trialResources: "Job.v1.batch, TrainJob.v1alpha1.trainer.kubeflow.org" });
std.assertEqual(config(trial).init.controller.trialResources, ["Job.v1.batch", "TrainJob.v1alpha1.trainer.kubeflow.org"]) &&
std.assertEqual(config(trial).runtime, config(render({})).runtime) &&
// images: imageTag retags the three components; the mirror reaches katib-config and trial templates
local tagged = render({ imageTag: "v0.19.1" });
std.assertEqual(std.set([c.image for o in tagged if o.kind == "Deployment" for c in o.spec.template.spec.containers]),
                ["ghcr.io/kubeflow/katib/katib-controller:v0.19.1", "ghcr.io/kubeflow/katib/katib-db-manager:v0.19.1",
                 "ghcr.io/kubeflow/katib/katib-ui:v0.19.1", "mysql:8.0.29"]) &&
local mirrored = render({ imageRegistry: "m.local" });
std.assertEqual([s.image for s in config(mirrored).runtime.suggestions if s.algorithmName == "random"],
                ["m.local/kubeflow/katib/suggestion-hyperopt:v0.19.0"]) &&
std.assertEqual(std.length(std.findSubstr("image: m.local/kubeflow/katib/pytorch-mnist-cpu:v0.19.0",
                                          find(mirrored, "ConfigMap", "trial-templates").data["defaultTrialTemplate.yaml"])), 1) &&
std.assertEqual(find(mirrored, "Deployment", "katib-mysql").spec.template.spec.containers[0].image, "m.local/mysql:8.0.29") &&
// replicas/resources are the controller's; node placement every pod's
local placed = render({ replicas: 2, resources: { limits: { cpu: "1" } }, nodeSelector: { infra: "true" } });
std.assertEqual(find(placed, "Deployment", "katib-controller").spec.replicas, 2) &&
std.assertEqual(find(placed, "Deployment", "katib-mysql").spec.replicas, 1) &&
std.assertEqual(std.objectHas(find(placed, "Deployment", "katib-mysql").spec.template.spec.containers[0], "resources"), false) &&
std.assertEqual(find(placed, "Deployment", "katib-mysql").spec.template.spec.nodeSelector, { infra: "true" }) &&
// cert-manager install in another namespace: the Certificate's host names and the CA injection move
local moved = render({ certManager: true, namespace: "tuning" });
std.assertEqual(find(moved, "Certificate", "katib-webhook-cert").spec.dnsNames,
                ["katib-controller.tuning.svc", "katib-controller.tuning.svc.cluster.local"]) &&
std.assertEqual(find(moved, "ValidatingWebhookConfiguration", "katib.kubeflow.org").metadata.annotations,
                { "cert-manager.io/inject-ca-from": "tuning/katib-webhook-cert" }) &&

// the Experiment: search space, objective and a trial template passing every hyperparameter
local exp(params) = experiment.new({ namespace: "env-ns" }, { name: "e" } + params)[0];
local e = exp({ parameters: [{ name: "lr", type: "double", min: 0.001, max: "0.1" }, { name: "opt", type: "categorical", list: ["sgd", "adam"] }],
                objectiveType: "Maximize", goal: "0.9" });
std.assertEqual(e.spec.parameters, [
  { name: "lr", parameterType: "double", feasibleSpace: { min: "0.001", max: "0.1" } },
  { name: "opt", parameterType: "categorical", feasibleSpace: { list: ["sgd", "adam"] } },
]) &&
std.assertEqual(e.spec.objective, { type: "maximize", objectiveMetricName: "loss", goal: 0.9 }) &&
std.assertEqual(e.spec.trialTemplate.trialParameters, [{ name: "lr", reference: "lr" }, { name: "opt", reference: "opt" }]) &&
std.assertEqual(e.spec.trialTemplate.trialSpec.spec.template.spec.containers[0].command,
                ["python3", "/opt/pytorch-mnist/mnist.py", "--epochs=1", "--batch-size=16", "--lr=${trialParameters.lr}", "--opt=${trialParameters.opt}"]) &&
std.assertEqual(e.spec.trialTemplate.trialSpec.spec.template.spec.restartPolicy, "Never") &&
// PyTorchJob trials: master + workers, GPUs with the profile's placement, the Kueue queue label
local pj = exp({ trialKind: "pytorchjob", numWorkers: 3, num_gpus: 2, queue: "team-a",
                 gpuNodeSelectorKey: "nvidia.com/gpu.present", gpuNodeSelectorValue: "true" });
std.assertEqual(pj.spec.trialTemplate.primaryContainerName, "pytorch") &&
std.assertEqual(pj.spec.trialTemplate.trialSpec.metadata, { labels: { "kueue.x-k8s.io/queue-name": "team-a" } }) &&
std.assertEqual({ [k]: pj.spec.trialTemplate.trialSpec.spec.pytorchReplicaSpecs[k].replicas for k in ["Master", "Worker"] }, { Master: 1, Worker: 3 }) &&
local worker = pj.spec.trialTemplate.trialSpec.spec.pytorchReplicaSpecs.Worker.template.spec;
std.assertEqual(worker.containers[0].resources, { limits: { "nvidia.com/gpu": 2 } }) &&
std.assertEqual(worker.nodeSelector, { "nvidia.com/gpu.present": "true" }) &&
// numWorkers=0: a single-pod PyTorchJob
std.assertEqual(std.objectFields(exp({ trialKind: "PyTorchJob", numWorkers: 0 }).spec.trialTemplate.trialSpec.spec.pytorchReplicaSpecs), ["Master"])
