local util = import "../util.libsonnet";

std.assertEqual(util.upper("aTruez"), "ATRUEZ") &&
std.assertEqual(util.toBool("true"), true) &&
std.assertEqual(util.toBool("True"), true) &&
std.assertEqual(util.toBool("false"), false) &&
std.assertEqual(util.toBool("null"), false) &&
std.assertEqual(util.toBool(true), true) &&
std.assertEqual(util.toBool(false), false) &&
std.assertEqual(util.toBool(1), true) &&
std.assertEqual(util.toBool(0), false) &&
std.assertEqual(util.toArray("a,b , c"), ["a", "b", "c"]) &&
std.assertEqual(util.toArray("null"), []) &&
std.assertEqual(util.toArray(""), []) &&
std.assertEqual(util.toArray("a,,b,"), ["a", "b"]) &&
std.assertEqual(util.toArray(["x"]), ["x"]) &&
std.assertEqual(util.isSet("null"), false) &&
std.assertEqual(util.isSet("NULL"), false) &&
std.assertEqual(util.isSet(""), false) &&
std.assertEqual(util.isSet(null), false) &&
std.assertEqual(util.isSet("x"), true) &&
std.assertEqual(util.isSet(0), true) &&
std.assertEqual(util.namespace({ namespace: "envns" }, { namespace: "null" }), "envns") &&
std.assertEqual(util.namespace({ namespace: "envns" }, { namespace: "mine" }), "mine") &&
std.assertEqual(util.namespace({ namespace: "envns" }, {}), "envns") &&
std.assertEqual(util.serviceType("null", "gke", exposed=true), "LoadBalancer") &&
std.assertEqual(util.serviceType("null", "kind", exposed=true), "NodePort") &&
std.assertEqual(util.serviceType("null", "", exposed=true), "ClusterIP") &&
std.assertEqual(util.serviceType("null", "on-prem"), "NodePort") &&
std.assertEqual(util.serviceType("null", "gke"), "ClusterIP") &&
std.assertEqual(util.serviceType("NodePort", "gke", exposed=true), "NodePort") &&
std.assertEqual(util.storageClass("null", "eks"), "gp3") &&
std.assertEqual(util.storageClass("null", ""), "") &&
std.assertEqual(util.storageClass("fast", "eks"), "fast") &&
std.assertEqual(util.defaultGpuTolerationKey("aks"), "sku") &&
std.assertEqual(util.defaultGpuTolerationKey("gke"), "nvidia.com/gpu") &&
std.assertEqual(util.defaultGpuTolerationKey("kind"), "") &&
std.assertEqual(util.defaultGpuTolerationKey(""), "")
