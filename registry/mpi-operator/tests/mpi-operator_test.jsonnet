local op = import "../mpi-operator.libsonnet";
local mpi = import "../mpi-job.libsonnet";
local up = import "../upstream/upstream.libsonnet";

local dep(params) = [o for o in op.new({}, { name: "m" } + params) if o.kind == "Deployment"][0];

std.assertEqual(op.new({}, { name: "m" }), [up.crds["mpijobs.kubeflow.org"]] + up.variants["mpi-operator"]) &&
std.assertEqual(dep({ namespace: "hpc" }).spec.template.spec.containers[0].args, ["-alsologtostderr", "--lock-namespace=hpc"]) &&
std.assertEqual(dep({ gangScheduling: "volcano" }).spec.template.spec.containers[0].args, ["-alsologtostderr", "--lock-namespace=mpi-operator", "--gang-scheduling=volcano"]) &&
local job = mpi.new({ namespace: "ml" }, { name: "h", image: "i", num_workers: 3, num_gpus: 1, gangScheduling: "coscheduling" });
std.assertEqual(job[0].spec.minMember, 4) &&
std.assertEqual(job[1].spec.mpiReplicaSpecs.Worker.template.spec.containers[0].resources, { limits: { "nvidia.com/gpu": 1 } }) &&
std.assertEqual(std.objectHas(job[1].spec.mpiReplicaSpecs.Launcher.template.spec.containers[0], "resources"), false)
