"""The three engines behind one call: ``run(engine_name, ...) -> JSON text``.

All bindings share ``evaluate_snippet(filename, src, jpathdir, max_stack, ..., ext_vars, ext_codes,
tla_vars, tla_codes, max_trace, import_callback, native_callbacks)``; they differ in details handled here:

* rjsonnet wants ``str`` file contents from the import callback (go/C++ want ``bytes``), and it passes the
  *current directory* (not the snippet's) as the base of the entry snippet's imports — so we evaluate a
  one-line wrapper that imports the entry through our callback, which serves the snippet text.
* rjsonnet converts native-callback arguments to Python values itself; go/C++ only pass primitives.
* rjsonnet recurses on the native stack and kills the process on deep recursion unless it runs on a
  thread with a large stack; every engine runs on such a thread here (C++ jsonnet needs it too).
"""

from __future__ import annotations

import os
import threading
from typing import Any, Callable

from kfctl.jsonnet.diagnostics import normalize
from kfctl.jsonnet.errors import JsonnetError
from kfctl.jsonnet.importer import Importer

ENGINES = ("rjsonnet", "gojsonnet", "jsonnet")
MODULES = {"rjsonnet": "rjsonnet", "gojsonnet": "_gojsonnet", "jsonnet": "_jsonnet"}
STACK_BYTES = 512 * 1024 * 1024
MAX_STACK = 10000  # jsonnet frames; safe on the 512 MiB thread for all engines (measured)
MAX_TRACE = 20
_WRAPPER = "<kfctl-entry>"
_thread_lock = threading.Lock()


class _Worker:
    """One long-lived daemon thread with a 512 MiB stack (virtual memory only) that runs evaluations.

    Long-lived so that rjsonnet can run without its cycle collector (``gc=False``): jrsonnet's
    collector is a thread-local object space that is swept when ``rjsonnet.gc()`` is called *or when
    its thread exits* — a thread per evaluation paid the sweep on exit.  This thread never exits (a
    daemon: the process ends without sweeping), and the garbage of one evaluation is swept at the
    start of the next one on it, so at most one evaluation's cyclic garbage is held and the peak is
    what ``gc=True`` reaches anyway (that sweep only runs after the evaluation).  Measured in
    docs/performance.md.
    """

    def __init__(self):
        import queue

        self.jobs: queue.SimpleQueue = queue.SimpleQueue()
        self.thread: threading.Thread | None = None
        self.dirty = False  # an rjsonnet evaluation left garbage in this thread's object space

    def start(self) -> bool:
        for size in (STACK_BYTES, 64 * 1024 * 1024):
            try:
                old = threading.stack_size(size)
            except (ValueError, RuntimeError):  # platform does not allow setting the stack size
                continue
            try:
                thread = threading.Thread(target=self._loop, name="kfctl-jsonnet", daemon=True)
                thread.start()
                self.thread = thread
                return True
            except RuntimeError:  # "can't start new thread": e.g. strict overcommit; try smaller
                pass
            finally:
                threading.stack_size(old)
        return False

    def _loop(self) -> None:
        while True:
            fn, box, done = self.jobs.get()
            try:
                box["value"] = fn()
            except BaseException as exc:  # re-raised in the caller's thread
                box["error"] = exc
            finally:
                done.release()

    def run(self, fn: Callable[[], Any]) -> Any:
        box: dict[str, Any] = {}
        done = threading.Lock()
        done.acquire()
        self.jobs.put((fn, box, done))
        done.acquire()  # interruptible (Ctrl-C) like Thread.join
        if "error" in box:
            raise box["error"]
        return box["value"]


_worker = _Worker()


def _after_fork_in_child() -> None:
    """A forked child (kfctl.jsonnet.parallel) has no evaluation thread: it starts its own."""
    global _worker, _thread_lock
    _worker, _thread_lock = _Worker(), threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def on_worker() -> bool:
    """True when called from the evaluation thread (where rjsonnet may skip its collector)."""
    return _worker.thread is not None and threading.current_thread() is _worker.thread


def run_on_big_stack(fn: Callable[[], Any]) -> Any:
    """Run ``fn`` on the evaluation thread (512 MiB stack) and return its result; evaluations from
    several threads take turns.  A call from the evaluation thread itself runs directly."""
    if on_worker():
        return fn()
    with _thread_lock:
        if _worker.thread is None and not _worker.start():
            return fn()  # last resort: the caller's own stack
    return _worker.run(fn)


def _sweep_previous(mod) -> None:
    """Sweep the cyclic garbage the previous gc=False evaluation left on the evaluation thread."""
    if _worker.dirty:
        _worker.dirty = False
        mod.gc()


def _module(engine: str):
    import importlib

    try:
        return importlib.import_module(MODULES[engine])
    except ImportError as exc:  # pragma: no cover - all three are dependencies
        raise JsonnetError(f"jsonnet engine {engine!r} is not installed ({exc})", engine=engine) from None


class _NativeState:
    def __init__(self):
        self.error: str | None = None
        self.located = False  # the error says file:line itself (kfctl.jsonnet.natives.LocatedError)


def _natives(state: _NativeState, engine: str) -> dict:
    from kfctl.jsonnet.natives import NATIVES

    def wrap(name, fn):
        def call(*args):
            try:
                return fn(*args)
            except Exception as exc:
                from kfctl.jsonnet.natives import LocatedError

                msg = str(exc)
                if isinstance(exc, LocatedError):
                    state.located = True
                elif not msg.startswith(f'std.native("{name}")') and not msg.startswith(f"{name}:"):
                    msg = f'std.native("{name}"): {msg}'
                state.error = state.error or msg
                raise
        return call

    def names(params):
        # the C++ binding mangles multi-character parameter names when there are several of them
        # ("binding parameter a second time"); single letters work (natives are called positionally)
        return tuple("abcdefgh"[: len(params)]) if engine == "jsonnet" and len(params) > 1 else params

    return {name: (names(params), wrap(name, fn)) for name, (params, fn) in NATIVES.items()}


def make_display(display_root) -> Callable[[str], str]:
    root = os.path.abspath(os.fspath(display_root)) if display_root is not None else None

    def display(path: str) -> str:
        if not path or path.startswith("<") or root is None:
            return path
        full = os.path.normpath(path if os.path.isabs(path) else os.path.abspath(path))
        if full == root:
            return "."
        if full.startswith(root.rstrip(os.sep) + os.sep):
            return os.path.relpath(full, root)
        return path
    return display


def run(engine: str, snippet: str, *, filename: str, jpath, ext_vars, ext_codes, tla_vars, tla_codes,
        import_rewriter, display_root, on_demand=None, preload=()) -> str:
    """Evaluate with one engine; return the engine's JSON text or raise a normalised JsonnetError."""
    mod = _module(engine)
    display = make_display(display_root)
    entry_display = display(filename)
    state = _NativeState()
    natives = _natives(state, engine)
    hidden: frozenset[str] = frozenset()
    ext_codes = dict(ext_codes or {})
    if engine == "rjsonnet":
        # serve the entry through the callback so its imports are relative to *its* directory
        entry_path = os.path.normpath(filename if os.path.isabs(filename) else os.path.join(os.getcwd(), filename))
        # rjsonnet evaluates a code ext var anew on every std.extVar call (quadratic when every component
        # reads a computed one): serve each as an import, which it evaluates once, under the name its
        # frames already had (<extvar:NAME>)
        named = {f"<extvar:{k}>": v for k, v in ext_codes.items()}
        ext_codes = {k: "import @'" + f"<extvar:{k}>".replace("'", "''") + "'" for k in ext_codes}
        importer = Importer(jpath=jpath, rewriter=import_rewriter, want_bytes=False, display=display,
                            virtual={entry_path: snippet}, named=named, on_demand=on_demand)
        src = "import @'" + entry_path.replace("'", "''") + "'"
        eval_name = _WRAPPER
        hidden = frozenset({_WRAPPER})
        real_display = display

        def display(path: str, _entry=entry_path, _name=filename) -> str:  # noqa: F811
            return real_display(_name) if path == _entry else real_display(path)
    else:
        importer = Importer(jpath=jpath, rewriter=import_rewriter, want_bytes=True, display=display,
                            on_demand=on_demand)
        src, eval_name = snippet, filename

    importer.preload(preload)
    kwargs = dict(max_stack=MAX_STACK, ext_vars=dict(ext_vars or {}), ext_codes=ext_codes,
                  tla_vars=dict(tla_vars or {}), tla_codes=dict(tla_codes or {}), max_trace=MAX_TRACE,
                  import_callback=importer, native_callbacks=natives)

    def call():
        if engine != "rjsonnet":
            return mod.evaluate_snippet(eval_name, src, **kwargs)
        if not on_worker():  # the caller's own (long-lived) thread: let rjsonnet sweep as usual
            return mod.evaluate_snippet(eval_name, src, **kwargs)
        _sweep_previous(mod)
        _worker.dirty = True
        return mod.evaluate_snippet(eval_name, src, gc=False, **kwargs)

    try:
        return run_on_big_stack(call)
    except UnicodeDecodeError as exc:
        # the go binding copies a callback's error message without its terminator, so stray bytes follow
        # it and sometimes make the whole error text undecodable
        obj = exc.object if isinstance(exc.object, (bytes, bytearray)) else str(exc).encode()
        raw = bytes(obj).decode("utf-8", "replace")
    except RuntimeError as exc:
        raw = str(exc)
    ours = importer.error or state.error
    if ours and ours in raw:  # cut whatever the binding appended to our message, up to the line end
        end = raw.index(ours) + len(ours)
        nl = raw.find("\n", end)
        raw = raw[:end] + (raw[nl:] if nl != -1 else "")
    if state.located and state.error and not importer.error:
        from kfctl.jsonnet.errors import JsonnetError

        raise JsonnetError(state.error, raw=raw, engine=engine, reason=state.error) from None
    raise normalize(raw, engine=engine, display=display, entry_display=entry_display, callback_error=ours,
                    hidden_paths=hidden) from None
