"""kfctl registry add | list | describe | set | rm   and   kfctl pkg install | list | describe | remove | verify | lock."""

from __future__ import annotations

from typing import List, Optional

import typer

from kfctl.cli.state import OUTPUT_HELP, STATE
from kfctl.output.formats import ListFormat

registry_app = typer.Typer(help="Manage registries: where packages of prototypes come from.\n\n"
                           "Example: kfctl registry add kf github.com/kubeflow/kubeflow/tree/v0.2.0/kubeflow",
                           no_args_is_help=True)
pkg_app = typer.Typer(help="Install, list, describe, remove and verify packages vendored from registries.\n\n"
                      "Example: kfctl pkg install kubeflow/core@v0.2.0", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(registry_app, name="registry")
    app.add_typer(pkg_app, name="pkg")


# ------------------------------------------------------------------------------------ registry
@registry_app.command("add")
def registry_add(
    name: str = typer.Argument(..., help="Name to refer to the registry by (REGISTRY in REGISTRY/PACKAGE)."),
    uri: str = typer.Argument(..., help="Folder, file:// URL, git URL (URL@REF), or github.com/ORG/REPO/tree/REF/DIR."),
    version: Optional[str] = typer.Option(None, "--version", help="Git branch, tag or commit to use."),
    override: bool = typer.Option(False, "--override", "-o", help="Record it in app.override.yaml (not committed)."),
) -> None:
    """Add a registry; it is fetched and its registry.yaml read before anything is recorded.

    Example: kfctl registry add kf https://github.com/kubeflow/kubeflow.git/tree/v0.2.0/kubeflow
    """
    from kfctl.output import console
    from kfctl.registry.registries import add_registry

    view = add_registry(STATE.app(), name, uri, version=version, override=override)
    console.success(f"Added registry {name!r} ({view.source.protocol} {view.source.uri}) with "
                    f"{len(view.packages)} package(s)")


@registry_app.command("list")
def registry_list(output: ListFormat = typer.Option(ListFormat.table, "--output", "-o", help=OUTPUT_HELP)) -> None:
    """List the app's registries.

    Example: kfctl registry list -o json
    """
    from kfctl.output.formats import emit_listing

    app = STATE.app()
    rows, records = [], []
    for name, entry in sorted(app.registries.items()):
        ov = bool(entry.get("override"))
        rows.append([name, "*" if ov else "", entry.get("protocol", ""), entry.get("uri", "")])
        records.append({"name": name, "override": ov, "protocol": entry.get("protocol", ""),
                        "uri": entry.get("uri", "")})
    emit_listing("registry", ["name", "override", "protocol", "uri"], rows, output, records=records)


@registry_app.command("describe")
def registry_describe(
    name: str = typer.Argument(..., help="Registry name."),
    output: Optional[ListFormat] = typer.Option(None, "--output", "-o", help="json or yaml (default: text)."),
) -> None:
    """Show a registry's URI, protocol and packages.

    Example: kfctl registry describe kubeflow
    """
    from kfctl.output.console import write
    from kfctl.output.formats import dump_json, dump_yaml
    from kfctl.registry.registries import open_registry

    app = STATE.app()
    view = open_registry(app, name)
    entry = app.registries[name]
    if output in (ListFormat.json, ListFormat.yaml):
        data = {"name": name, "uri": entry.get("uri"), "protocol": entry.get("protocol"),
                "commit": view.checkout.commit,
                "packages": {p: {"version": s.version, "path": str(s.path)} for p, s in view.packages.items()}}
        write(dump_json(data) if output is ListFormat.json else dump_yaml(data))
        return
    lines = ["REGISTRY NAME:", name, "", "URI:", str(entry.get("uri", "")), "", "PROTOCOL:",
             str(entry.get("protocol", "")), "", "PACKAGES:"]
    lines += [f"  {p}" for p in view.packages]
    write("\n".join(lines) + "\n")


@registry_app.command("set")
def registry_set(
    name: str = typer.Argument(..., help="Registry name."),
    uri: str = typer.Option(..., "--uri", help="New URI (same forms as 'registry add')."),
    version: Optional[str] = typer.Option(None, "--version", help="Git branch, tag or commit to use."),
) -> None:
    """Point a registry at another URI (or ref).

    Example: kfctl registry set kf --uri github.com/kubeflow/kubeflow/tree/v0.3.0/kubeflow
    """
    from kfctl.output import console
    from kfctl.registry.registries import set_registry

    view = set_registry(STATE.app(), name, uri, version=version)
    console.success(f"Registry {name!r} now points at {view.source.uri}")


@registry_app.command("rm")
def registry_rm(
    name: str = typer.Argument(..., help="Registry name."),
    force: bool = typer.Option(False, "--force", help="Remove even if installed packages came from it."),
) -> None:
    """Remove a registry (installed packages stay vendored only with --force).

    Example: kfctl registry rm incubator
    """
    from kfctl.output import console
    from kfctl.registry.registries import remove_registry

    remove_registry(STATE.app(), name, force=force)
    console.success(f"Removed registry {name!r}")


# ------------------------------------------------------------------------------------ pkg
@pkg_app.command("install")
def pkg_install(
    ref: str = typer.Argument(..., help="REGISTRY/PACKAGE[@VERSION]; VERSION is a git ref for git registries."),
    name: Optional[str] = typer.Option(None, "--name", help="Install under another name."),
    force: bool = typer.Option(False, "--force", help="Reinstall even if present; replace an untracked vendor folder."),
) -> None:
    """Vendor a package into vendor/REGISTRY/NAME and record it in app.yaml and kfctl.lock.

    Installing another version of an installed package upgrades it in place. The packages it
    depends on (parts.yaml dependencies) are installed with it.
    Example: kfctl pkg install kubeflow/core@v0.2.0
    """
    from kfctl.output import console
    from kfctl.registry.packages import install_with_dependencies

    app = STATE.app()
    result, *dependencies = install_with_dependencies(app, ref, name=name, force=force)
    (console.info if result.action == "unchanged" else console.success)(result.message(app.root))
    for dep in dependencies:
        console.success(f"{dep.message(app.root)} (needed by {result.qualified})")


@pkg_app.command("list")
def pkg_list(
    installed: bool = typer.Option(False, "--installed", help="Only installed packages."),
    output: ListFormat = typer.Option(ListFormat.table, "--output", "-o", help=OUTPUT_HELP),
) -> None:
    """List the packages of every registry (installed ones marked '*').

    Example: kfctl pkg list --installed
    """
    from kfctl.output.formats import emit_listing
    from kfctl.registry.catalogue import list_packages

    recs = list_packages(STATE.app(), installed_only=installed)
    rows = [[r["registry"], r["name"], r["version"], "*" if r["installed"] else "", ",".join(r["environments"])]
            for r in recs]
    emit_listing("packages", ["registry", "name", "version", "installed", "environments"], rows, output,
                 records=recs)


@pkg_app.command("describe")
def pkg_describe(
    ref: str = typer.Argument(..., help="[REGISTRY/]PACKAGE[@VERSION]"),
    output: Optional[ListFormat] = typer.Option(None, "--output", "-o", help="json or yaml (default: text)."),
) -> None:
    """Describe a package: description and (when installed) its prototypes.

    Example: kfctl pkg describe kubeflow/tf-job
    """
    from kfctl.output.console import write
    from kfctl.output.formats import dump_json, dump_yaml
    from kfctl.registry.catalogue import describe_package

    d = describe_package(STATE.app(), ref)
    if output in (ListFormat.json, ListFormat.yaml):
        write(dump_json(d) if output is ListFormat.json else dump_yaml(d))
        return
    text = f"LIBRARY NAME:\n{d['name']}\n\nDESCRIPTION:\n{d['description'].rstrip()}\n\n"
    if d["installed"]:
        text += "PROTOTYPES:\n" + "".join(f"  {p['name']} - {p['shortDescription']}\n" for p in d["prototypes"])
    write(text)


@pkg_app.command("remove")
def pkg_remove(
    ref: str = typer.Argument(..., help="REGISTRY/PACKAGE"),
    force: bool = typer.Option(False, "--force", help="Remove even if components use its prototypes."),
) -> None:
    """Remove an installed package (refused while components use it, unless --force).

    Example: kfctl pkg remove kubeflow/tf-job
    """
    from kfctl.output import console
    from kfctl.registry.packages import remove_package

    users = remove_package(STATE.app(), ref, force=force)
    if users:
        console.warn(f"component(s) {', '.join(users)} still use {ref}")
    console.success(f"Removed package {ref}")


@pkg_app.command("verify")
def pkg_verify(output: Optional[ListFormat] = typer.Option(None, "--output", "-o", help="json or yaml.")) -> None:
    """Check that vendor/ matches kfctl.lock and vendored upstream files their upstream.json; exit 1 naming what changed.

    Example: kfctl pkg verify
    """
    from kfctl.errors import KfctlError
    from kfctl.output import console
    from kfctl.output.formats import dump_json, dump_yaml
    from kfctl.registry.lock import read_lock, verify

    app = STATE.app()
    problems = verify(app)
    failures = [p for p in problems if p.change != "unlocked"]
    if output in (ListFormat.json, ListFormat.yaml):
        data = {"ok": not failures, "problems": [{"package": p.package, "change": p.change, "path": p.path}
                                                  for p in problems]}
        console.write(dump_json(data) if output is ListFormat.json else dump_yaml(data))
        if failures:
            raise typer.Exit(1)
        return
    for p in problems:
        if p.change == "unlocked":
            console.warn(str(p))
    if failures:
        for p in failures:
            console.write(str(p))
        pkgs = sorted({p.package for p in failures})
        upstream = [p for p in failures if p.change.startswith("upstream-")]
        if upstream and len(upstream) == len(failures):
            raise KfctlError(f"vendored upstream files do not match upstream.json: {len(upstream)} file(s) in "
                             f"{', '.join(pkgs)}", hint="reinstall with 'kfctl pkg install --force REGISTRY/PACKAGE'")
        raise KfctlError(f"vendor/ does not match kfctl.lock: {len(failures)} change(s) in {', '.join(pkgs)}",
                         hint="reinstall with 'kfctl pkg install --force REGISTRY/PACKAGE', or record the "
                              "changes with 'kfctl pkg lock'" + (" (upstream files must match upstream.json: "
                                                                 "reinstall those)" if upstream else ""))
    n = len(read_lock(app.root)["packages"])
    console.success(f"{n} locked package(s) match vendor/")


@pkg_app.command("lock")
def pkg_lock(refs: Optional[List[str]] = typer.Argument(None, help="REGISTRY/PACKAGE (default: every installed package).")) -> None:
    """Record the current vendored trees in kfctl.lock (e.g. for an app vendored by ksonnet).

    Example: kfctl pkg lock
    """
    from kfctl.output import console
    from kfctl.registry.lock import lock_vendor

    done = lock_vendor(STATE.app(), refs or [])
    console.success(f"Locked {len(done)} package(s)" + (": " + ", ".join(done) if done else ""))
