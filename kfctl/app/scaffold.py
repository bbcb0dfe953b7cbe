"""Files kfctl writes when it creates an app or an environment (ksonnet 0.3.0 layout).

The texts are ksonnet's own templates (``pkg/env/data.go``, ``pkg/component/create.go``), so an
app created by kfctl can still be opened by ``ks`` and vice versa.
"""

from __future__ import annotations

from pathlib import Path

from kfctl.util.fsutil import atomic_write

GITIGNORE = """\
/lib/ksonnet-lib
/.ksonnet/registries
/app.override.yaml
/.ks_environment
/.kfctl/
.*.kfctl-*.tmp
.kfctl-new-*/
.kfctl-old-*/
.kfctl-rm-*/
"""

COMPONENT_PARAMS = """\
{
  global: {
    // User-defined global parameters; accessible to all component and environments, Ex:
    // replicas: 4,
  },
  components: {
    // Component-level parameters, defined initially from 'ks prototype use ...'
    // Each object below should correspond to a component in the components/ directory
  },
}
"""

BASE_LIBSONNET = """\
local components = std.extVar("__ksonnet/components");
components + {
  // Insert user-specified overrides here.
}
"""

ENV_MAIN = """\
local base = import "base.libsonnet";
// uncomment if you reference ksonnet-lib
// local k = import "k.libsonnet";
// local deployment = k.apps.v1.deployment;

base + {
  // Insert user-specified overrides here. For example if a component is named "nginx-deployment", you might have something like:
  // "nginx-deployment"+: deployment.mixin.metadata.withLabels({foo: "bar"})
}
"""

ENV_PARAMS = """\
local params = std.extVar("__ksonnet/params");
local globals = import "globals.libsonnet";
local envParams = params + {
  components +: {
    // Insert component parameter overrides here. Ex:
    // guestbook +: {
    //   name: "guestbook-dev",
    //   replicas: params.global.replicas,
    // },
  },
};

{
  components: {
    [x]: envParams.components[x] + globals, for x in std.objectFields(envParams.components)
  },
}
"""

ENV_GLOBALS = "{\n}\n"


def write_app_skeleton(root: Path) -> None:
    for d in ("components", "environments", "lib", "vendor"):
        (root / d).mkdir(parents=True, exist_ok=True)
    atomic_write(root / ".gitignore", GITIGNORE)
    atomic_write(root / "components" / "params.libsonnet", COMPONENT_PARAMS)
    atomic_write(root / "environments" / "base.libsonnet", BASE_LIBSONNET)
    # No lib/k.libsonnet: it would shadow the full ksonnet-lib kfctl.ksonnetlib.lib_dirs serves
    # (lib/ precedes lib/ksonnet-lib/<ver>/ on the jpath), which provides core.v1.list.new too.
    (root / "vendor" / ".keep").touch()


ENV_FILES = {"main.jsonnet": ENV_MAIN, "params.libsonnet": ENV_PARAMS, "globals.libsonnet": ENV_GLOBALS}


def write_env_files(env_dir: Path) -> None:
    """Every env file that is missing (an env needs main.jsonnet and params.libsonnet to render)."""
    from kfctl.util.journal import make_dirs

    make_dirs(env_dir)
    for name, text in ENV_FILES.items():
        target = env_dir / name
        if not target.exists():  # never clobber an existing env's hand edits
            atomic_write(target, text)
