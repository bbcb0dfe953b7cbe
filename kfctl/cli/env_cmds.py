"""kfctl env add | list | describe | set | rm | current | platforms."""

from __future__ import annotations

from typing import List, Optional

import typer

from kfctl.cli.state import OUTPUT_HELP, STATE
from kfctl.output.formats import ListFormat

env_app = typer.Typer(help="Manage environments: where an app is deployed (cluster, namespace, platform).\n\n"
                      "Example: kfctl env add prd --context remote-prd --platform gke", no_args_is_help=True)


IMAGE_REGISTRY = typer.Option(None, "--image-registry", help="Pull every image from this mirror, REGISTRY\\[/PREFIX] "
                              "(repository paths kept, e.g. mirror.example.com/ml).")
IMAGE_OVERRIDE = typer.Option([], "--image-override", help="SRC=DST: pull SRC as DST (SRC without a tag: every tag; "
                              "DST without a tag keeps it). Repeatable.")
HISTORY_LIMIT = typer.Option(None, "--history-limit", help="Revisions kept on the cluster (default 10).")
GITOPS_REPO = typer.Option(None, "--gitops-repo", help="Git repository URL Argo CD / Flux read the export from.")
GITOPS_REVISION = typer.Option(None, "--gitops-revision", help="Branch, tag or commit of --gitops-repo.")


def register(app: typer.Typer) -> None:
    app.add_typer(env_app, name="env")


@env_app.command("add")
def add(
    name: str = typer.Argument(..., help="Environment name (DNS-1123 label; '/' nests, e.g. us-west/prd)."),
    context: Optional[str] = typer.Option(None, "--context", help="kubeconfig context to take server and namespace from."),
    server: Optional[str] = typer.Option(None, "--server", help="API server URL."),
    namespace: Optional[str] = typer.Option(None, "--namespace", "-n", help="Namespace (default: the context's, else 'default')."),
    k8s_version: Optional[str] = typer.Option(None, "--k8s-version", help="Kubernetes version, e.g. v1.30.0."),
    platform: Optional[str] = typer.Option(None, "--platform", help="Platform profile (see 'kfctl env platforms')."),
    gitops_dir: Optional[str] = typer.Option(None, "--gitops-dir", help="Deploy by exporting to this directory instead of a server."),
    image_registry: Optional[str] = IMAGE_REGISTRY,
    image_override: List[str] = IMAGE_OVERRIDE,
    history_limit: Optional[int] = HISTORY_LIMIT,
    gitops_repo: Optional[str] = GITOPS_REPO,
    gitops_revision: Optional[str] = GITOPS_REVISION,
    kubeconfig: Optional[str] = typer.Option(None, "--kubeconfig", help="kubeconfig file."),
) -> None:
    """Add an environment bound to a kube context or API server.

    Example: kfctl env add prd --context remote-prd --platform gke
    """
    from kfctl.ops import envs
    from kfctl.output import console

    env = envs.add(STATE.app(), name, context=context, server=server, namespace=namespace, kubeconfig=kubeconfig,
                   k8s_version=k8s_version, platform=platform, gitops_dir=gitops_dir, image_registry=image_registry,
                   image_overrides=image_override, history_limit=history_limit, gitops_repo=gitops_repo,
                   gitops_revision=gitops_revision)
    where = f"directory {env.gitops_dir}" if env.gitops_dir and not env.server else f"server {env.server}"
    console.success(f"Created environment {name!r} with namespace {env.namespace!r}, {where}"
                    + (f", platform {env.platform}" if env.platform else ""))


@env_app.command("list")
def list_(output: ListFormat = typer.Option(ListFormat.table, "--output", "-o", help=OUTPUT_HELP)) -> None:
    """List environments.

    Example: kfctl env list -o json
    """
    from kfctl.cli import hot

    hot.env_list(output)


@env_app.command("describe")
def describe(
    name: str = typer.Argument(..., help="Environment name."),
    output: ListFormat = typer.Option(ListFormat.yaml, "--output", "-o", help="yaml (default) or json."),
) -> None:
    """Show everything kfctl knows about one environment.

    Example: kfctl env describe prd
    """
    from kfctl.output.console import write
    from kfctl.output.formats import dump_json, dump_yaml

    app = STATE.app()
    env = app.env(name)
    data = env.to_dict()
    data["libraries"] = env.libraries
    if env.platform:
        from kfctl.app.platforms import get_platform

        data["platformParams"] = get_platform(env.platform).params
    write(dump_json(data) if output is ListFormat.json else dump_yaml(data))


@env_app.command("set")
def set_(
    name: str = typer.Argument(..., help="Environment to change."),
    new_name: Optional[str] = typer.Option(None, "--name", help="Rename the environment (moves its directory)."),
    server: Optional[str] = typer.Option(None, "--server", help="New API server URL."),
    namespace: Optional[str] = typer.Option(None, "--namespace", "-n", help="New namespace."),
    context: Optional[str] = typer.Option(None, "--context", help="New kube context (also takes its server)."),
    platform: Optional[str] = typer.Option(None, "--platform", help="New platform profile."),
    k8s_version: Optional[str] = typer.Option(None, "--k8s-version", help="New Kubernetes version."),
    gitops_dir: Optional[str] = typer.Option(None, "--gitops-dir", help="New GitOps export directory."),
    image_registry: Optional[str] = typer.Option(None, "--image-registry", help="Pull every image from this "
                                                 "mirror, REGISTRY\\[/PREFIX] (repository paths kept); '' removes it."),
    image_override: List[str] = typer.Option([], "--image-override", help="SRC=DST: pull SRC as DST (SRC without a "
                                             "tag: every tag; DST without a tag keeps it); SRC= removes it. Repeatable."),
    history_limit: Optional[int] = HISTORY_LIMIT,
    gitops_repo: Optional[str] = GITOPS_REPO,
    gitops_revision: Optional[str] = GITOPS_REVISION,
    kubeconfig: Optional[str] = typer.Option(None, "--kubeconfig", help="kubeconfig file."),
) -> None:
    """Change an environment's name, destination, platform, image mirror or GitOps source.

    Example: kfctl env set dev --namespace ml-dev
    """
    from kfctl.errors import UsageError
    from kfctl.ops import envs
    from kfctl.output import console

    if not any((new_name, server, namespace, context, platform, k8s_version, gitops_dir, image_override,
                history_limit, gitops_repo, gitops_revision)) and image_registry is None:
        raise UsageError("nothing to change: pass --name, --server, --namespace, --context, --platform, --k8s-version, "
                         "--gitops-dir, --image-registry, --image-override, --history-limit, --gitops-repo or "
                         "--gitops-revision")
    env = envs.update(STATE.app(), name, kubeconfig=kubeconfig, new_name=new_name, server=server, namespace=namespace,
                      context=context, platform=platform, k8s_version=k8s_version, gitops_dir=gitops_dir,
                      image_registry=image_registry, image_overrides=image_override, history_limit=history_limit,
                      gitops_repo=gitops_repo, gitops_revision=gitops_revision)
    console.success(f"Updated environment {env.name!r}")


@env_app.command("rm")
def rm(name: str = typer.Argument(..., help="Environment to remove.")) -> None:
    """Remove an environment and its directory (the cluster is not touched).

    Example: kfctl env rm staging
    """
    from kfctl.app.environments import remove_env
    from kfctl.output import console

    remove_env(STATE.app(), name)
    console.success(f"Removed environment {name!r}")


@env_app.command("current")
def current(
    set_: Optional[str] = typer.Option(None, "--set", help="Make this the env commands use when none is given."),
    unset: bool = typer.Option(False, "--unset", help="Forget the current env."),
) -> None:
    """Print, set or unset the current environment.

    Example: kfctl env current --set dev
    """
    from kfctl.errors import UsageError
    from kfctl.output import console

    app = STATE.app()
    if set_ and unset:
        raise UsageError("--set and --unset are mutually exclusive")
    if set_:
        app.set_current_env(set_)
        console.success(f"Current environment is now {set_!r}")
    elif unset:
        app.set_current_env(None)
        console.success("Current environment unset")
    else:
        env = app.current_env()
        if env is not None:
            console.write(env.name)
        else:
            console.info("no current environment set")


@env_app.command("platforms")
def platforms_(output: ListFormat = typer.Option(ListFormat.table, "--output", "-o", help=OUTPUT_HELP)) -> None:
    """List the platform profiles an environment can use.

    Example: kfctl env platforms
    """
    from kfctl.app.platforms import platforms
    from kfctl.output.formats import emit_listing

    ps = platforms()
    rows = [[p.name, p.description] for p in ps.values()]
    records = [{"name": p.name, "description": p.description, "params": p.params} for p in ps.values()]
    emit_listing("platforms", ["name", "description"], rows, output, records=records)
