local sp = import "../scheduler-plugins.libsonnet";
local up = import "../upstream/upstream.libsonnet";

local config(objs) = [o for o in objs if o.kind == "ConfigMap"][0].data["scheduler-config.yaml"];

// coscheduling only by default; the chart's defaults on request
std.assertEqual(std.length(std.findSubstr("- name: Coscheduling", config(sp.new({}, { name: "s" })))), 1) &&
std.assertEqual(std.length(std.findSubstr("CapacityScheduling", config(sp.new({}, { name: "s" })))), 0) &&
std.assertEqual(std.length(std.findSubstr("CapacityScheduling", config(sp.new({}, { name: "s", plugins: "chart-defaults" })))), 1) &&
std.assertEqual(sp.new({}, { name: "s" })[2], { apiVersion: "v1", kind: "Namespace", metadata: { name: "scheduler-plugins" } }) &&
std.assertEqual(std.length(sp.new({}, { name: "s", createNamespace: false, installCrds: false })), std.length(up.variants.coscheduling))
