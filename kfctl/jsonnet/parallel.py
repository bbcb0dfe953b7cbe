"""One program's parts evaluated on two cores: the first here, the second in a forked copy of this process.

The jsonnet engines hold the GIL while they evaluate, so threads cannot share the work of one evaluation;
a fork can: the child has everything the parent built (imports, the app, the evaluation's inputs) and
evaluates its part on its own core while the parent evaluates the other.  jsonnet is pure, so the parts of
one program, each manifesting some of its top-level fields, give exactly the values one evaluation would.

Only on Linux (fork, memfd, poll), with two or more usable CPUs, and unless ``$KFCTL_PARALLEL_RENDER=0``.  What
the engine prints while the child evaluates (``std.trace``) is kept and printed after the parent's part,
in the order one evaluation would print it.  Any failure — an evaluation error in either part, a fork that
fails, a child that dies — returns ``None``: the caller evaluates the whole program as before, which
reports the error as it always did.
"""

from __future__ import annotations

import os
import sys
import time
import warnings
from typing import Any, Callable, Sequence

ENV_VAR = "KFCTL_PARALLEL_RENDER"


def available() -> bool:
    if os.environ.get(ENV_VAR, "").strip().lower() in ("0", "false", "no", "off"):
        return False
    if not sys.platform.startswith("linux") or not hasattr(os, "fork") or not hasattr(os, "memfd_create"):
        return False
    try:
        return len(os.sched_getaffinity(0)) >= 2
    except (AttributeError, OSError):
        return (os.cpu_count() or 1) >= 2


def _read_all(fd: int, timeout: float) -> bytes | None:
    """Everything until EOF, or None if the writer stays silent for ``timeout`` seconds."""
    import select

    poll = select.poll()
    poll.register(fd, select.POLLIN | select.POLLHUP)
    chunks = []
    while True:
        if not poll.poll(timeout * 1000):
            return None
        b = os.read(fd, 1 << 20)
        if not b:
            return b"".join(chunks)
        chunks.append(b)


def evaluate_parts(run: Callable[[str, Sequence], str], parts: list[tuple[str, Sequence]]) -> list[str] | None:
    """The JSON texts of two parts ``(snippet, files to preload)``: ``run(snippet, preload)`` evaluates one
    (kfctl.jsonnet.engines.run with the program's options).  None when anything failed (see the module)."""
    (mine, my_files), (theirs, their_files) = parts
    r, w = os.pipe()
    err = os.memfd_create("kfctl-render-stderr")
    try:
        with warnings.catch_warnings():  # (3.12+: "use of fork() may lead to deadlocks": the child runs no
            warnings.simplefilter("ignore", DeprecationWarning)  # Python thread of the parent's)
            pid = os.fork()
    except OSError:
        for fd in (r, w, err):
            os.close(fd)
        return None
    if pid == 0:  # the child: evaluate, write "0" + JSON or "1", and leave without any of the parent's cleanup
        # (nor its buffered output: os._exit flushes nothing; Python's stderr is line-buffered, so what the
        # child's Python code writes there reaches the capture line by line)
        code = 1
        try:
            os.close(r)
            os.dup2(err, 2)
            try:
                payload = b"0" + run(theirs, their_files).encode("utf-8")
            except BaseException:
                payload = b"1"
            view = memoryview(payload)
            while view:
                view = view[os.write(w, view):]
            code = 0
        finally:
            os._exit(code)
    os.close(w)
    done = False
    try:
        start = time.monotonic()
        try:
            text = run(mine, my_files)
        except Exception:
            return None  # (the whole program is evaluated instead: the child's part is not needed)
        # (a child stuck on something the fork copied mid-use would keep this process waiting: past ten
        # times the parent's own part, or 30 s, it is given up and the whole program evaluated here)
        payload = _read_all(r, max(30.0, 10 * (time.monotonic() - start)))
        if payload is None:
            return None  # (the finally kills it)
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:  # (SIGCHLD ignored: reaped by the system; the payload says how it ended)
            status = 0
        done = True
        _replay(err)  # (after the parent's own: the order of one evaluation)
        if status != 0 or payload[:1] != b"0":
            return None
        return [text, payload[1:].decode("utf-8")]
    finally:
        if not done:  # interrupted, or given up: the child is not needed any more
            try:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
            except OSError:
                pass
            _replay(err)
        os.close(r)
        os.close(err)


def _replay(fd: int) -> None:
    """What the child printed to stderr, to ours (nothing is lost; on a failure the whole program's
    evaluation may print its traces again)."""
    try:
        data = os.pread(fd, 1 << 24, 0)
        while data:
            data = data[os.write(2, data):]
    except OSError:
        pass


def split_snippet(snippet: str, first: Sequence[str]) -> tuple[str, str]:
    """Two programs manifesting the top-level fields of ``snippet``'s object: those named in ``first``, and
    all the others (together: every visible field, exactly once)."""
    import json

    keys = "{" + ",".join(f"{json.dumps(k)}:true" for k in first) + "}"
    head = f"local __kfctl_main = (\n{snippet}\n);\nlocal __kfctl_first = {keys};\n"
    body = "{{ [k]: __kfctl_main[k] for k in std.objectFields(__kfctl_main) if {neg}std.objectHas(__kfctl_first, k) }}\n"
    return head + body.format(neg=""), head + body.format(neg="!")


def merge(values: list[Any]) -> Any:
    """The parts' objects as one, keys in jsonnet's order (sorted by code point)."""
    out: dict = {}
    for v in values:
        out.update(v)
    return dict(sorted(out.items()))
