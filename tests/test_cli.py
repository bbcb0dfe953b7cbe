"""CLI conventions: --version, help with an example on every command, exit codes, colour, streams."""

from __future__ import annotations

import os
import subprocess
import sys


from kfctl import __version__
from tests.conftest import run_kfctl


def _commands() -> list[list[str]]:
    """Every command path of the CLI, found by walking the click tree typer builds."""
    import typer.main

    from kfctl.cli.main import app

    root = typer.main.get_command(app)
    out = []

    def walk(cmd, path):
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in subs.items():
                if not getattr(sub, "hidden", False):
                    walk(sub, [*path, name])
        else:
            out.append(path)

    walk(root, [])
    return out


def test_version():
    res = run_kfctl("--version", check=0)
    assert res.stdout.strip() == f"kfctl {__version__}"


def test_every_command_has_help_with_an_example():
    cmds = _commands()
    assert ["init"] in cmds and ["env", "add"] in cmds and ["param", "diff"] in cmds and ["show"] in cmds
    for path in cmds:
        res = run_kfctl(*path, "--help", check=0)
        assert "Example: kfctl " in res.stdout, f"kfctl {' '.join(path)} --help has no example"


def test_usage_errors_exit_2_without_traceback(tmp_path):
    cases = [
        (["env", "add"], 2, "error: Missing argument 'name'; see 'kfctl env add --help'"),
        (["nosuchcommand"], 2, "error: No such command 'nosuchcommand'; see 'kfctl --help'"),
        (["show", "--output"], 2, "error: Option '--output' requires an argument; see 'kfctl --help'"),
        # outside an app the missing app is reported before the arguments are looked at
        (["param", "set", "a"], 1, f"error: no kfctl app found: no app.yaml in {tmp_path.resolve()} or any parent "
                                   "directory; run 'kfctl init NAME' to create one, or pass --app DIR"),
    ]
    for args, code, line in cases:
        res = run_kfctl(*args, cwd=tmp_path)
        assert (res.exit_code, res.stderr.strip().splitlines(), res.stdout) == (code, [line], ""), (args, res)
    run_kfctl("init", "demo", "--dir", str(tmp_path / "demo"), "--server", "https://k8s.example:6443", check=0)
    res = run_kfctl("param", "set", "a", cwd=tmp_path / "demo")
    assert (res.exit_code, res.stderr.strip().splitlines()) == (2, [
        "error: usage: kfctl param set COMPONENT KEY VALUE [--env ENV] (or --global KEY VALUE)"]), res


def test_no_traceback_unless_debug(tmp_path):
    (tmp_path / "app.yaml").write_text("apiVersion: 0.3.0\nkind: nope\n")
    res = run_kfctl("env", "list", cwd=tmp_path)
    assert res.exit_code == 1 and "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    res = run_kfctl("env", "list", cwd=tmp_path, env={"KFCTL_DEBUG": "1"})
    assert res.exit_code == 1 and "Traceback" in res.stderr


def test_results_on_stdout_logs_on_stderr_and_no_color(app_dir):
    res = run_kfctl("env", "add", "prd", "--server", "https://x", cwd=app_dir, check=0)
    assert res.stdout == "" and "Created environment 'prd'" in res.stderr
    assert "\x1b[" not in res.stderr
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    proc = subprocess.run([sys.executable, "-m", "kfctl", "env", "list"], cwd=app_dir, env=env,
                          capture_output=True, text=True)
    assert "\x1b[" not in proc.stdout  # not a TTY: no colour


def test_shell_completion_is_offered():
    res = run_kfctl("--help", check=0)
    assert "--install-completion" in res.stdout and "--show-completion" in res.stdout


def test_help_does_not_import_heavy_modules():
    code = ("import sys\nfrom kfctl.cli.main import app\n"
            "heavy = [m for m in ('kubernetes', 'deepdiff', 'rjsonnet', '_gojsonnet', '_jsonnet', 'ruamel.yaml') "
            "if m in sys.modules]\nprint(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def test_click_usage_errors_are_one_line(tmp_path):
    for args, needle in ((["env", "list", "-o", "xml"], "'xml' is not one of"),
                         (["nosuchcommand"], "No such command 'nosuchcommand'"),
                         (["env", "add"], "Missing argument"),
                         (["show", "a", "b", "c"], "unexpected extra argument")):
        res = run_kfctl(*args, cwd=tmp_path)
        assert res.exit_code == 2, args
        lines = res.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0], res.stderr
        assert "--help'" in lines[0]
