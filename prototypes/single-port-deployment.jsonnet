// @apiVersion 0.1
// @name io.ksonnet.pkg.single-port-deployment
// @description A deployment that replicates container 'image' some number of times (default: 1), and exposes a port (default: 80). Labels are automatically populated from 'name'.
// @shortDescription Replicates a container n times, exposes a single port
// @param name string Name of the deployment
// @param image string Container image to deploy
// @optionalParam replicas number 1 Number of replicas
// @optionalParam port numberOrString 80 Port to expose
// @alias port containerPort
// @optionalParam namespace string null Namespace of the deployment (null: the environment's).

local isSet(v) = v != null && v != "" && v != "null";
local namespace = if std.objectHas(params, "namespace") && isSet(params.namespace) then params.namespace else env.namespace;
local labels = { app: params.name };

std.prune({
  apiVersion: "v1",
  kind: "List",
  items: [
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: params.name, namespace: namespace, labels: labels },
      spec: {
        replicas: params.replicas,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels: labels },
          spec: {
            containers: [
              {
                name: params.name,
                image: params.image,
                ports: [{ containerPort: params.port }],
              },
            ],
          },
        },
      },
    },
  ],
})
