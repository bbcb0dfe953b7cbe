#!/usr/bin/env python3
"""The bare engine for bench/render_bench.py: the engine's evaluate_snippet with its default settings on
the very entry, ext codes and import callback kfctl uses, on a 512 MiB thread; prints the wall-clock and CPU
seconds of the evaluation (to the JSON text) alone, and the text's length.

    python bench/bare_engine.py APP_DIR ENV ENGINE
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    import importlib

    from kfctl.app.app import App
    from kfctl.jsonnet.engines import MAX_STACK, MODULES, _natives, _NativeState, make_display
    from kfctl.jsonnet.importer import Importer
    from kfctl.ops.prepare import prepare_env
    from kfctl.render.sources import build_inputs, make_import_rewriter

    root, env_name, engine = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    app = App(root)
    env = app.env(env_name)
    inputs = build_inputs(app, env, prepare_env(app, env))
    mod = importlib.import_module(MODULES[engine])
    entry = str(app.env_dir(env) / "<render>")
    display = make_display(app.root)
    want_bytes = engine != "rjsonnet"
    importer = Importer(jpath=inputs.jpath, rewriter=make_import_rewriter(app, env), want_bytes=want_bytes,
                        display=display, virtual={entry: inputs.snippet})
    src = f"import @'{entry}'" if engine == "rjsonnet" else inputs.snippet  # as kfctl serves rjsonnet's entry
    kwargs = dict(max_stack=MAX_STACK, ext_codes=dict(inputs.ext_codes), import_callback=importer,
                  native_callbacks=_natives(_NativeState(), engine))
    box = {}

    def target():
        t, c = time.perf_counter(), time.process_time()
        box["text"] = mod.evaluate_snippet("<kfctl-entry>" if engine == "rjsonnet" else entry, src, **kwargs)
        box["seconds"], box["cpu"] = time.perf_counter() - t, time.process_time() - c

    threading.stack_size(512 * 1024 * 1024)
    thread = threading.Thread(target=target)
    thread.start()
    thread.join()  # rjsonnet's default: the evaluation ends with its sweep (gc=True) and the thread exits
    print(f"{box['seconds']:.6f} {box['cpu']:.6f} {len(box['text'])}")


if __name__ == "__main__":
    main()
