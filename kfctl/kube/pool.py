"""Run cluster requests in parallel on daemon threads, so Ctrl-C stops a command at once.

``concurrent.futures`` waits for every queued task when the main thread is interrupted (and its
threads are joined at exit); here queued work is dropped, requests in flight get a short grace
period to finish (so the report knows what they did), and the interrupted caller gets what is done.
"""

from __future__ import annotations

import queue
import threading
import time
from typing import Any, Callable, Sequence

GRACE = 0.5  # seconds given to requests in flight after Ctrl-C


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during :func:`run_parallel`: ``done`` maps item index → result; ``running`` are the
    indices still in flight after the grace period (their outcome is unknown)."""

    def __init__(self, done: dict[int, Any], running: set[int]):
        super().__init__("interrupted")
        self.done = done
        self.running = running


def run_parallel(fn: Callable[[Any], Any], items: Sequence[Any], workers: int, *,
                 cancel: threading.Event | None = None) -> list[Any]:
    """``[fn(x) for x in items]`` on up to ``workers`` threads, in order.  Raises the first exception
    of ``fn``; on KeyboardInterrupt sets ``cancel`` and raises :class:`Interrupted`."""
    items = list(items)
    if not items:
        return []
    todo: queue.SimpleQueue[int] = queue.SimpleQueue()
    for i in range(len(items)):
        todo.put(i)
    results: dict[int, Any] = {}
    errors: dict[int, BaseException] = {}
    running: set[int] = set()
    lock = threading.Lock()
    finished = threading.Event()
    stop = threading.Event()
    left = [len(items)]

    def worker() -> None:
        while not stop.is_set():
            try:
                i = todo.get_nowait()
            except queue.Empty:
                return
            with lock:
                running.add(i)
            try:
                out = fn(items[i])
            except BaseException as exc:  # noqa: BLE001 - handed to the caller
                with lock:
                    errors[i] = exc
            else:
                with lock:
                    results[i] = out
            finally:
                with lock:
                    running.discard(i)
                    left[0] -= 1
                    if left[0] == 0:
                        finished.set()

    for _ in range(min(workers, len(items))):
        threading.Thread(target=worker, daemon=True, name="kfctl-request").start()
    try:
        while not finished.wait(0.1):
            pass
    except KeyboardInterrupt:
        stop.set()
        if cancel is not None:
            cancel.set()
        end = time.monotonic() + GRACE
        while time.monotonic() < end:
            with lock:
                if not running:
                    break
            time.sleep(0.02)
        with lock:
            raise Interrupted(dict(results), set(running)) from None
    if errors:
        raise errors[min(errors)]
    return [results[i] for i in range(len(items))]
