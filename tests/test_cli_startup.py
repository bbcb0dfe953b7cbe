"""Start-up: what each hot command imports, the lazy command table, and the pydantic-free coercion."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from enum import Enum
from pathlib import Path

import pytest

from tests.conftest import run_kfctl

PROBE = """
import sys
sys.argv = ["kfctl", *{args!r}]
import atexit
atexit.register(lambda: sys.stderr.write("MODULES " + ",".join(sorted(
    m for m in ("typer", "pydantic", "rich", "yaml", "kubernetes", "rjsonnet", "typer.rich_utils",
                "rich.markdown", "rich.traceback") if m in sys.modules)) + "\\n"))
from kfctl.cli.main import run
run()
"""


def loaded(args: list[str], cwd: Path, **env: str) -> list[str]:
    env = {"NO_COLOR": "1", "PATH": "/usr/bin:/bin", "COLUMNS": "100", "XDG_CACHE_HOME": str(cwd / ".cache"), **env}
    proc = subprocess.run([sys.executable, "-c", PROBE.format(args=args)], cwd=cwd, capture_output=True,
                          text=True, env=env)
    line = [x for x in proc.stderr.splitlines() if x.startswith("MODULES ")]
    assert line, proc.stderr
    return line[-1][len("MODULES "):].split(",")


def test_version_answers_before_typer(tmp_path):
    assert loaded(["--version"], tmp_path) == [""]


def test_hot_commands_import_neither_typer_nor_pydantic_nor_rich(app_dir):
    assert loaded(["env", "list"], app_dir) == ["yaml"]
    assert loaded(["show", "-o", "json"], app_dir) == ["rjsonnet", "yaml"]
    # other command lines of the same commands go through typer, still without pydantic or rich
    assert loaded(["env", "list", "-o", "json", "-o", "table"], app_dir) == ["typer", "yaml"]
    assert loaded(["show", "-o", "json", "-o", "yaml"], app_dir) == ["rjsonnet", "typer", "yaml"]


def test_help_imports_rich_but_not_markdown_or_traceback(tmp_path):
    assert loaded(["--help"], tmp_path, KFCTL_NO_HELP_CACHE="1") == ["rich", "typer", "typer.rich_utils"]


def test_root_help_is_served_from_the_cache_as_typer_printed_it(tmp_path):
    cache = tmp_path / "cache"
    typer_help = {}
    for columns in ("100", "61"):
        for flag in ("--help", "-h"):
            env = {"XDG_CACHE_HOME": str(cache), "COLUMNS": columns}
            printed = run_kfctl(flag, cwd=tmp_path, env={**env, "KFCTL_NO_HELP_CACHE": "1"}, check=0).stdout
            first = run_kfctl(flag, cwd=tmp_path, env=env, check=0)  # typer prints it, the cache keeps it
            second = run_kfctl(flag, cwd=tmp_path, env=env, check=0)  # from the cache
            assert first == second and first.stdout == printed and first.stderr == ""
            typer_help[columns] = printed
    assert typer_help["61"] != typer_help["100"]
    assert max(map(len, typer_help["61"].splitlines())) == 61 and "│ pkg" in typer_help["61"]
    # the second run imports neither typer nor rich; the first of a new key does, and keeps its page
    assert loaded(["--help"], tmp_path, COLUMNS="80") == ["rich", "typer", "typer.rich_utils"]
    assert loaded(["--help"], tmp_path, COLUMNS="80") == [""]
    assert loaded(["-h"], tmp_path, COLUMNS="80") == [""]
    assert loaded(["--help"], tmp_path, COLUMNS="81") == ["rich", "typer", "typer.rich_utils"]
    # what is printed is the cached text, and only under its own key
    page = tmp_path / ".cache" / "kfctl" / "help" / "root.txt"
    key, text = page.read_text().split("\n", 1)
    assert len(key) == 64 and "Usage: kfctl" in text and "COLUMNS" not in page.read_text()
    page.write_text(key + "\nedited\n")
    env = {"NO_COLOR": "1", "PATH": "/usr/bin:/bin", "COLUMNS": "81", "XDG_CACHE_HOME": str(tmp_path / ".cache")}
    out = subprocess.run([sys.executable, "-m", "kfctl", "--help"], cwd=tmp_path, env=env, capture_output=True,
                         text=True)
    assert (out.returncode, out.stdout) == (0, "edited\n")
    out = subprocess.run([sys.executable, "-m", "kfctl", "--help"], cwd=tmp_path, env={**env, "LANG": "C.UTF-8"},
                         capture_output=True, text=True)
    assert out.stdout.startswith(" " * 81 + "\n Usage: kfctl") and page.read_text().split("\n", 1)[0] != key


def test_root_help_cache_on_a_terminal_and_with_colour(tmp_path):
    import fcntl
    import os
    import pty
    import struct
    import termios

    def on_tty(env):
        leader, follower = pty.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 72, 0, 0))
        full = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS")}
        proc = subprocess.Popen([sys.executable, "-m", "kfctl", "--help"], cwd=tmp_path, stdin=follower,
                                stdout=follower, stderr=subprocess.PIPE, env={**full, "TERM": "xterm-256color", **env})
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
        assert proc.wait() == 0 and proc.stderr.read() == b""
        return b"".join(chunks)

    cache = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    printed = on_tty({**cache, "KFCTL_NO_HELP_CACHE": "1"})
    assert b"\x1b[" in printed and max(map(len, printed.replace(b"\x1b", b"").splitlines())) > 60
    assert on_tty(cache) == printed and on_tty(cache) == printed
    assert (tmp_path / "cache" / "kfctl" / "help" / "root.txt").exists()
    # a pipe, with colour forced, is another key
    forced = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "FORCE_COLOR": "1", "NO_COLOR": ""}
    typer_page = run_kfctl("--help", cwd=tmp_path, env={**forced, "KFCTL_NO_HELP_CACHE": "1"}, check=0).stdout
    assert "\x1b[" in typer_page
    assert run_kfctl("--help", cwd=tmp_path, env=forced, check=0).stdout == typer_page
    assert run_kfctl("--help", cwd=tmp_path, env=forced, check=0).stdout == typer_page


def test_root_help_cache_keeps_nothing_it_did_not_see_written(tmp_path):
    """click writes around sys.stdout on a stream it thinks misconfigured (ASCII): nothing is cached then."""
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONIOENCODING": "ascii"}
    printed = run_kfctl("--help", cwd=tmp_path, env={**env, "KFCTL_NO_HELP_CACHE": "1"}, check=0).stdout
    assert "+- Options -" in printed
    assert run_kfctl("--help", cwd=tmp_path, env=env, check=0).stdout == printed
    assert not (tmp_path / "cache" / "kfctl" / "help").exists()


def test_help_stand_ins_are_the_real_classes_when_used():
    code = ("from kfctl.cli import helpimport\nhelpimport.install()\nimport sys, typer.rich_utils as r\n"
            "assert 'rich.markdown' not in sys.modules\n"
            "md = r.Markdown('# x')\nimport rich.markdown\nassert type(md) is rich.markdown.Markdown\n"
            "assert isinstance(md, r.Markdown) and r.Markdown is not rich.markdown.Markdown\n"
            "import rich.traceback\nassert r.Traceback.from_exception == rich.traceback.Traceback.from_exception\n"
            "print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "ok\n"


def test_command_table_is_what_the_modules_register():
    import typer
    import typer.main

    from kfctl.cli.main import COMMANDS

    import inspect
    import pkgutil

    import kfctl.cli

    registering = {m.name for m in pkgutil.iter_modules(kfctl.cli.__path__)
                   if "def register(" in (Path(kfctl.cli.__path__[0]) / f"{m.name}.py").read_text()}
    assert registering == {m for m, _ in COMMANDS.values()}  # a new command module goes into COMMANDS
    expected = []
    for module in dict.fromkeys(m for m, _ in COMMANDS.values()):
        sub = typer.Typer()
        importlib.import_module(f"kfctl.cli.{module}").register(sub)
        commands = typer.main.get_group(sub).commands
        assert {n for n, (m, _) in COMMANDS.items() if m == module} == set(commands), module
        for name, cmd in commands.items():  # the root help's listing is the command's first paragraph
            assert COMMANDS[name][1] == inspect.cleandoc(cmd.short_help or cmd.help or "").split("\n\n")[0], name
        expected += list(commands)
    # typer lists a group's commands before its sub-groups: the table keeps `kfctl --help`'s order
    from kfctl.cli.main import get_app

    root = typer.main.get_command(get_app())
    assert root.list_commands(None) == list(COMMANDS)
    assert sorted(expected) == sorted(COMMANDS)


def _all_params():
    import typer.main

    from kfctl.cli.main import get_app

    root = typer.main.get_command(get_app())
    todo = [root]
    while todo:
        cmd = todo.pop()
        yield from cmd.params
        todo += list(getattr(cmd, "commands", {}).values())


def _samples(annotation) -> list:
    base = getattr(annotation, "__args__", (annotation,))[0] if getattr(annotation, "__origin__", None) is list else annotation
    if base is str:
        vals = ["x", "", " spaced ", "é"]
    elif base is bool:
        vals = [True, False, "true", "0", "yes", "maybe"]
    elif base is int:
        vals = [3, "5", "-3", "0", "007", "+5", "1_000", " 5", "x", "1.5", ""]
    elif base is float:
        vals = [1.5, "2", "2.5", "-0.5", "1e3", "x"]
    elif base is Path:
        vals = ["some/where", "", ".", Path("p")]
    elif isinstance(base, type) and issubclass(base, Enum):
        vals = [m.value for m in base] + [m.value.upper() for m in base] + [list(base)[0], "nope"]
    else:  # pragma: no cover - a new type: add samples for it
        raise AssertionError(f"no samples for {annotation!r}")
    return [vals, ("a", "b")] if base is str and annotation is not base else vals


def test_light_coercion_returns_what_typers_pydantic_coercion_does():
    """Every parameter of every command, each sample value: same result, or the same error message."""
    from typer._coercion import build_runtime_param

    from kfctl.cli.coerce import _runtime_param

    checked = 0
    for param in _all_params():
        light = _runtime_param(param.type_descriptor)
        full = build_runtime_param(param.type_descriptor)
        if light is None:
            continue
        for value in _samples(param.type_descriptor.annotation):
            outcomes = []
            for runtime in (light, full):
                try:
                    outcomes.append(("ok", runtime._coerce_value(value, param=param, ctx=None)))
                except Exception as exc:  # noqa: BLE001 - the message is what is compared
                    outcomes.append(("error", type(exc).__name__, str(exc)))
            assert outcomes[0] == outcomes[1], (param.name, value, outcomes)
            checked += 1
    assert checked > 300


def test_usage_errors_keep_typers_wording(tmp_path):
    res = run_kfctl("env", "list", "-o", "xml", cwd=tmp_path)
    assert res.exit_code == 2
    assert res.stderr == ("error: Invalid value for '--output' / '-o': Value error, 'xml' is not one of 'table', "
                          "'json', 'yaml'; see 'kfctl env list --help'\n")
    res = run_kfctl("-v", "-v", "--version", cwd=tmp_path)
    assert (res.exit_code, res.stdout) == (0, "kfctl 0.1.0\n")


def test_kube_client_import_leaves_out_dynamic_and_validation():
    code = ("import sys\nfrom kfctl.kube.k8simport import client_and_config\nc, k = client_and_config()\n"
            "print(sorted(m for m in ('kubernetes.dynamic', 'kubernetes.watch', 'kubernetes_validate', 'jsonschema') "
            "if m in sys.modules))\n"
            "import kubernetes\nprint(kubernetes.__version__ == c.__version__, kubernetes.watch.Watch.__name__, "
            "c.ApiClient.__name__, k.load_kube_config.__name__)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "[]\nTrue Watch ApiClient load_kube_config\n"


def test_fast_path_tables_are_typers_definitions():
    """Every option of `show`, `env list`, `apply` and the root group, as typer builds them, is in the fast path's
    tables with the same spelling, kind and default (and nothing else is)."""
    import typer.main

    from kfctl.cli import fastpath
    from kfctl.cli.main import get_app

    root = typer.main.get_command(get_app())

    def table(cmd):
        options, args, defaults = {}, [], {}
        for p in cmd.params:
            if p.name in ("install_completion", "show_completion", "version"):
                continue  # eager options: the fast path leaves such lines to typer
            if p.param_type_name == "argument":
                args.append(p.name)
            else:
                kind = ("count" if p.count else "flag" if p.is_flag else "list" if p.multiple else
                        "path" if p.type_descriptor.is_path else
                        "float" if p.type_descriptor.annotation is float else "int" if p.type_descriptor.annotation is int else
                        tuple(c.value for c in p.type_descriptor.choices) if p.type_descriptor.is_choice else "str")
                for opt in p.opts:
                    options[opt] = (p.name, kind)
            default = p.default
            defaults[p.name] = list(default) if isinstance(default, (list, tuple)) else getattr(default, "value", default)
        return options, tuple(args), defaults

    options, args, defaults = table(root)
    assert (options, args, defaults) == (fastpath.ROOT, (), fastpath.ROOT_DEFAULTS)
    for path, spec in fastpath.COMMANDS.items():
        cmd = root
        for part in path:
            cmd = cmd.get_command(None, part)
        assert table(cmd) == (spec["options"], spec["arguments"], spec["defaults"]), path


@pytest.mark.parametrize("args", [
    ["show"], ["show", "-o", "json"], ["show", "default", "--output=json"], ["show", "-c", "web", "-c", "db"],
    ["show", "--kind", "Service", "--name", "web", "-o", "json"], ["show", "--show-secrets", "-o", "json"],
    ["show", "nope"], ["show", "-o", "xml"], ["show", "--engine", "bogus"], ["show", "--engine", "gojsonnet", "-o", "json"],
    ["show", "-c", "missing"], ["--no-color", "show"], ["-v", "show", "nope"], ["show", "a", "b"],
    ["env", "list"], ["env", "list", "-o", "json"], ["env", "list", "--output=yaml"], ["--no-color", "env", "list"],
    ["env", "list", "-o", "xml"], ["env", "list", "extra"],
    ["apply", "--yes"], ["apply", "default", "--dry-run", "-o", "json"], ["apply", "-o", "xml", "-y"],
    ["apply", "--qps", "0", "--yes"], ["apply", "--qps", "2.5", "--burst", "3", "--yes", "-o", "json"],
    ["apply", "--timeout", "soon", "-y"], ["apply", "--status-grace=never", "-y"], ["apply", "nope", "-y"],
    ["apply", "--qps", "1e3", "-y"], ["apply", "--burst", "many", "-y"], ["apply", "-c", "web", "--wait", "-y"],
    ["apply", "--request-timeout", "0", "-y"], ["apply", "--context", "missing", "-y"], ["apply"],
])
def test_fast_path_and_typer_agree(app_dir, args):
    from kfctl.cli.fastpath import match

    run_kfctl("generate", "deployed-service", "web", "--image", "nginx:1.25", cwd=app_dir, check=0)
    (app_dir / "components" / "db.jsonnet").write_text(
        '[{ apiVersion: "v1", kind: "Secret", metadata: { name: "db" }, stringData: { password: "hunter2" } }]')
    import re

    def redacted(text):  # the redaction key is per process
        return re.sub(r"<redacted:[0-9a-f]+>", "<redacted>", text)

    fast = run_kfctl(*args, cwd=app_dir)
    slow = run_kfctl(*args, cwd=app_dir, env={"KFCTL_NO_FASTPATH": "1"})
    def err(text):  # with -v a traceback comes first: its frames differ, the error line does not
        return text.splitlines()[-1] if "-v" in args else text

    assert (fast.exit_code, redacted(fast.stdout), err(fast.stderr)) == (slow.exit_code, redacted(slow.stdout),
                                                                         err(slow.stderr))
    assert fast.exit_code != 0 or fast.stdout
    plain = args not in (["env", "list", "-o", "xml"], ["show", "a", "b"],
                         ["env", "list", "extra"], ["apply", "--qps", "1e3", "-y"], ["apply", "--burst", "many", "-y"])
    assert (match(args) is not None) == plain


def test_app_option_and_env_var(app_dir, tmp_path):
    res = run_kfctl("--app", str(app_dir), "env", "list", "-o", "json", cwd=tmp_path, check=0)
    slow = run_kfctl("--app", str(app_dir), "env", "list", "-o", "json", cwd=tmp_path, check=0,
                     env={"KFCTL_NO_FASTPATH": "1"})
    assert res.stdout == slow.stdout and json.loads(res.stdout)["data"][0]["name"] == "default"
    via_env = run_kfctl("env", "list", "-o", "json", cwd=tmp_path, check=0, env={"KFCTL_APP": str(app_dir)})
    assert via_env.stdout == res.stdout


def test_yaml_readers_unicode_pattern_is_compiled_on_first_use_only(app_dir):
    code = """
import sys, re
sys.argv = ["kfctl", "env", "list", "-o", "json"]
import atexit
def after():
    import yaml, yaml.reader
    assert sys.modules["re"] is re and not hasattr(sys.modules["re"], "__kfctl_stand_in__")
    lazy = type(yaml.reader.Reader.__dict__["NON_PRINTABLE"]).__name__
    try:
        yaml.load('a: "\\x07"', Loader=yaml.SafeLoader)  # the pure-Python reader checks printability
    except yaml.reader.ReaderError as exc:
        sys.stderr.write(f"{lazy} {exc}\\n")
    sys.stderr.write(str(yaml.reader.Reader.NON_PRINTABLE.pattern == yaml.reader.Reader.NON_PRINTABLE.pattern))
atexit.register(after)
from kfctl.cli.main import run
run()
"""
    proc = subprocess.run([sys.executable, "-c", code], cwd=app_dir, capture_output=True, text=True)
    assert json.loads(proc.stdout)["data"][0]["name"] == "default"
    assert proc.stderr == ("LazyPattern unacceptable character #x0007: special characters are not allowed\n"
                           '  in "<unicode string>", position 4\nTrue')
    plain = subprocess.run([sys.executable, "-c", "import yaml\ntry:\n    yaml.load('a: \"\\x07\"', Loader=yaml.SafeLoader)\n"
                            "except yaml.reader.ReaderError as exc:\n    print(exc)"], capture_output=True, text=True)
    assert plain.stdout == ("unacceptable character #x0007: special characters are not allowed\n"
                            '  in "<unicode string>", position 4\n')
