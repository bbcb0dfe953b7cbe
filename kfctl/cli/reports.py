"""Rendering the reports of the use cases (kfctl.ops) on the console, and the hooks the CLI gives them."""

from __future__ import annotations

import os
import sys

from kfctl.ops.hooks import Hooks


# ------------------------------------------------------------------------------------ hooks
def hooks(yes: bool) -> Hooks:
    """Confirmation (typed 'yes' unless ``yes``), a progress bar and a readiness spinner on a terminal;
    the readiness gates apply waits for (in the bar on a terminal, else a line each on stderr)."""
    bar: dict = {}  # the live progress bar, for the gate display
    said: set[str] = set()
    return Hooks(confirm=lambda target, verb, preview: confirm(target, verb, yes, preview),
                 progress=lambda total, what: progress(total, what, bar), waiting=waiting,
                 gates=lambda pending: gates(pending, bar, said))


def confirm(target, verb: str, yes: bool, preview: list[str] = ()) -> None:
    """``preview`` lines (what will be pruned), the banner, then a typed 'yes' on a TTY unless --yes /
    KFCTL_YES=1; refuse without a TTY."""
    from kfctl.errors import KfctlError
    from kfctl.output import console

    if preview:
        print_prune_list(preview, "Would prune")
    console.stderr().print(
        f"[bold]{verb} namespace {target.namespace} of cluster {target.cluster or '-'} (server {target.server})"
        f" using context {target.context or '-'}[/bold]", highlight=False)
    if yes or os.environ.get("KFCTL_YES") == "1":
        return
    if not sys.stdin.isatty():
        raise KfctlError("refusing to change the cluster without confirmation: stdin is not a terminal",
                         hint="pass --yes (or set KFCTL_YES=1) in scripts")
    answer = input("Type 'yes' to continue: ")
    if answer.strip() != "yes":
        raise KfctlError("aborted: you did not type 'yes'")


def progress(total: int, what: str, shared: dict | None = None):
    """A rich progress bar on a terminal (stderr); a no-op callback otherwise.  ``shared`` gets the
    bar while it is shown (the gate display writes into it)."""
    import contextlib

    from kfctl.output.console import color_enabled, stderr

    if not color_enabled(sys.stderr) or total < 2:
        return contextlib.nullcontext(lambda _result=None: None)

    @contextlib.contextmanager
    def bar():
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=stderr(), transient=True) as prog:
            task = prog.add_task(what, total=total)
            if shared is not None:
                shared.update(prog=prog, task=task, what=what)
            try:
                yield lambda _result=None: prog.advance(task)
            finally:
                if shared is not None:
                    shared.clear()

    return bar()


def gates(pending: list, bar: dict, said: set[str]) -> None:
    """The readiness gates apply still waits for (kfctl.kube.gates.GateReport): in the progress bar on a
    terminal; otherwise one line on stderr the first time each is waited for."""
    from kfctl.output.console import stderr

    if bar.get("prog") is not None:
        first = pending[0] if pending else None
        more = f" (+{len(pending) - 1} more)" if len(pending) > 1 else ""
        desc = f"{bar['what']}: waiting for {first.gate}{more}" if first else bar["what"]
        bar["prog"].update(bar["task"], description=desc)
        return
    for p in pending:
        if p.gate not in said:
            said.add(p.gate)
            n = len(p.objects)
            stderr().print(f"waiting for: {p.gate} ({n} object{'s' if n != 1 else ''} wait"
                           f"{'s' if n == 1 else ''}: {_refs(p.objects)})", highlight=False, markup=False)


def _refs(refs: list[str], most: int = 3) -> str:
    return ", ".join(refs[:most]) + (f" and {len(refs) - most} more" if len(refs) > most else "")


def print_gates(report) -> None:
    """After an apply: the gates that were waited for (a dry run: would be), on stderr."""
    from kfctl.output.console import stderr

    reports = getattr(report, "gates", None) or []
    if report.dry_run:
        if reports:
            stderr().print(f"A real apply would wait for {len(reports)} gate{'s' if len(reports) != 1 else ''}:",
                           highlight=False)
        for g in reports:
            stderr().print(f"  {g.gate}, before {_refs(g.objects)}", highlight=False, markup=False)
        return
    waited = [g for g in reports if g.state != "open" or g.waited >= 0.05]
    for g in waited:
        if g.state == "open":
            line = f"gate open after {g.waited:.1f}s: {g.gate} ({len(g.objects)} waited)"
        else:
            line = f"gate {g.state} after {g.waited:.1f}s: {g.gate} ({g.why})"
        stderr().print(line, highlight=False, markup=False)


def waiting():
    """A readiness spinner on a terminal, fed by wait_ready's on_update; nothing otherwise."""
    import contextlib

    from kfctl.output.console import color_enabled, stderr

    if not color_enabled(sys.stderr):
        return contextlib.nullcontext(None)

    @contextlib.contextmanager
    def spinner():
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                      TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(), console=stderr(),
                      transient=True) as prog:
            task = prog.add_task("waiting for readiness", total=None)

            def update(items):
                done = sum(it.ready for it in items)
                pending = [it for it in items if not it.ready]
                desc = f"waiting: {pending[0].result.ref} ({pending[0].reason})" if pending else "all ready"
                prog.update(task, total=len(items), completed=done, description=desc)

            yield update

    return spinner()


# ------------------------------------------------------------------------------------ results
def print_prune_list(refs: list[str], verb: str) -> None:
    from kfctl.output import console

    if not refs:
        console.info("Nothing to prune")
        return
    console.info(f"{verb} {len(refs)} object(s):")
    for ref in refs:
        console.info(f"  - {ref}")


def print_results(report, as_json: bool, extra: dict | None = None) -> None:
    """The per-object results of apply/delete/prune: a table (stdout), errors and counts (stderr)."""
    from kfctl.output.console import stderr, write
    from kfctl.output.formats import dump_json, format_table

    more = {**({"stateError": report.state_error} if getattr(report, "state_error", None) else {}),
            **({"interrupted": True, "notAttempted": report.not_attempted} if getattr(report, "interrupted", False)
               else {})}
    gate_list = getattr(report, "gates", None) or []
    if gate_list:
        more["gates"] = [{"gate": g.gate, "state": g.state, "waitedSeconds": round(g.waited, 2),
                          "objects": g.objects, **({"why": g.why} if g.why else {})} for g in gate_list]
    if as_json:
        write(dump_json({"dryRun": report.dry_run, "namespaceCreated": report.namespace_created,
                         "summary": report.counts(), "ok": report.ok, **more, **(extra or {}),
                         "objects": [{"component": r.component, "apiVersion": r.api_version, "kind": r.kind,
                                      "namespace": r.namespace, "name": r.name, "action": r.action,
                                      "error": r.error} for r in report.results]}))
        return
    rows = [[r.component, r.kind, r.namespace or "", r.name, r.action + (" (dry run)" if report.dry_run else "")]
            for r in report.results]
    write(format_table(["component", "kind", "namespace", "name", "result"], rows))
    for r in report.results:
        if r.error and r.action == "failed":
            stderr().print(f"[red]error:[/red] {r.error}", highlight=False, markup=True)
    print_gates(report)
    c = report.counts()
    parts = [f"{n} {k}" for k, n in sorted(c.items())]
    line = ("Dry run: " if report.dry_run else "") + ", ".join(parts or ["nothing to do"])
    if getattr(report, "state_error", None):
        line += "; state record not saved"
    stderr().print(line, highlight=False)


def interrupted(report, total: int):
    """The error that ends an apply stopped by Ctrl-C (exit 130): what was done, what may have been, what was not."""
    from kfctl.errors import KfctlError

    c = report.counts()
    applied = sum(c.get(k, 0) for k in ("created", "configured", "unchanged"))
    parts = [f"{applied} of {total} objects applied"]
    if c.get("failed"):
        parts.append(f"{c['failed']} failed")
    if c.get("interrupted"):
        parts.append(f"{c['interrupted']} in flight (they may or may not have been applied)")
    parts.append(f"{report.not_attempted} not attempted")
    return KfctlError("interrupted: " + ", ".join(parts), exit_code=130)


# ------------------------------------------------------------------------------------ diffs
def print_env_diff(result, *, summary: bool, as_json: bool) -> None:
    """``kfctl diff ENV1 ENV2``."""
    from kfctl.output.console import write
    from kfctl.output.diffs import print_diff_report
    from kfctl.output.formats import dump_json

    if as_json:
        write(dump_json({"left": result.left, "right": result.right, "summary": result.counts(),
                         "objects": [{"status": e.status, "object": e.ref, "diff": e.text} for e in result.entries]}))
        return
    c = result.counts()
    print_diff_report([e.text for e in result.entries],
                      f"{result.left} → {result.right}: {c['added']} added, {c['removed']} removed, "
                      f"{c['changed']} changed, {c['unchanged']} unchanged", summary=summary)


def print_deploy_diff(d, *, summary: bool, as_json: bool) -> bool:
    """``kfctl diff ENV`` (against its GitOps directory or its cluster); True if anything differs.
    Objects that could not be diffed are an error (exit 2) after the rest is shown."""
    from kfctl.errors import KfctlError
    from kfctl.output.console import stderr, write
    from kfctl.output.diffs import print_diff_report
    from kfctl.output.formats import dump_json

    if d.directory is not None:
        r = d.directory
        c = r.counts()
        if as_json:
            write(dump_json({"env": r.env, "directory": str(r.directory), "summary": c,
                             "objects": [{"status": ch.action, "object": ch.ref, "file": ch.path, "diff": ch.diff}
                                         for ch in r.changed]}))
        else:
            print_diff_report([ch.diff for ch in r.changed],
                              f"{r.env} → {r.directory}: {c['create']} to create, {c['update']} to update, "
                              f"{c['delete']} to delete, {c['unchanged']} unchanged", summary=summary)
        return d.changed
    r = d.cluster
    c = r.counts()
    if as_json:
        write(dump_json({"env": d.env, "server": d.server, "summary": c, "errors": r.errors,
                         "objects": [{"status": e.status, "object": e.ref, "diff": e.text} for e in r.entries]}))
    else:
        print_diff_report([e.text for e in r.entries],
                          f"{d.env} vs {d.server}: {c['added']} to add, {c['changed']} to change, "
                          f"{c['removed']} to prune, {c['unchanged']} unchanged", summary=summary)
        for err in r.errors:
            stderr().print(f"[red]error:[/red] {err}", highlight=False)
    if r.errors:
        raise KfctlError(f"{len(r.errors)} objects could not be diffed", exit_code=2)
    return d.changed
