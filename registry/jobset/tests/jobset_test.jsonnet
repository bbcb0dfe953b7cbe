local js = import "../jobset.libsonnet";
local job = import "../jobset-job.libsonnet";
local up = import "../upstream/upstream.libsonnet";

std.assertEqual(js.new({}, { name: "j" }), [up.crds["jobsets.jobset.x-k8s.io"]] + up.variants.manifests) &&
std.assertEqual(js.new({}, { name: "j", installCrds: false }), up.variants.manifests) &&
local set = job.new({ namespace: "ml" }, { name: "s", image: "i", replicas: 2, parallelism: 3, gangScheduling: "coscheduling" });
std.assertEqual(set[0].spec.minMember, 6) &&
std.assertEqual(set[1].spec.replicatedJobs[0].template.spec.template.spec.schedulerName, "scheduler-plugins-scheduler") &&
std.assertEqual(set[1].spec.replicatedJobs[0].template.spec.completionMode, "Indexed")
