// @apiVersion 0.1
// @name io.ksonnet.pkg.cron-job
// @description A batch/v1 CronJob running 'image' on 'schedule'. The default is @hourly because a prototype default cannot contain spaces; pass any cron expression, e.g. --schedule "*/5 * * * *".
// @shortDescription A job run on a schedule
// @param name string Name of the CronJob
// @param image string Container image to run
// @optionalParam schedule string @hourly Cron schedule (@hourly, @daily, @weekly, or e.g. "*/5 * * * *").
// @optionalParam command array [] Command of the container (default: the image's entrypoint).
// @optionalParam args array [] Arguments of the container.
// @optionalParam concurrencyPolicy string Forbid What to do when a run is still active: Allow, Forbid or Replace.
// @optionalParam restartPolicy string OnFailure Restart policy of the job's pod: OnFailure or Never.
// @optionalParam backoffLimit number 3 Retries before a run is marked failed.
// @optionalParam successfulJobsHistoryLimit number 3 Finished runs to keep.
// @optionalParam failedJobsHistoryLimit number 1 Failed runs to keep.
// @optionalParam timeZone string null Time zone of the schedule, e.g. Etc/UTC (null: the controller's).
// @optionalParam namespace string null Namespace of the CronJob (null: the environment's).

local isSet(v) = v != null && v != "" && v != "null";
local namespace = if std.objectHas(params, "namespace") && isSet(params.namespace) then params.namespace else env.namespace;
local labels = { app: params.name };

std.prune({
  apiVersion: "v1",
  kind: "List",
  items: [
    {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: { name: params.name, namespace: namespace, labels: labels },
      spec: {
        schedule: params.schedule,
        timeZone: if isSet(params.timeZone) then params.timeZone else null,
        concurrencyPolicy: params.concurrencyPolicy,
        successfulJobsHistoryLimit: params.successfulJobsHistoryLimit,
        failedJobsHistoryLimit: params.failedJobsHistoryLimit,
        jobTemplate: {
          metadata: { labels: labels },
          spec: {
            backoffLimit: params.backoffLimit,
            template: {
              metadata: { labels: labels },
              spec: {
                restartPolicy: params.restartPolicy,
                containers: [
                  {
                    name: params.name,
                    image: params.image,
                    command: params.command,
                    args: params.args,
                  },
                ],
              },
            },
          },
        },
      },
    },
  ],
})
