"""No full-process garbage-collector passes while a big, acyclic structure is built.

Rendering allocates hundreds of thousands of containers (the engine's JSON parsed into dicts and
lists, then labelled and sorted); CPython's generational collector would scan the growing heap
again and again while they are made, though none of it is garbage.  :func:`paused` turns the
collector off for the block and, at its end, *freezes* what is alive (``gc.freeze``: moved to a
generation no collection scans) so the first collection after it does not walk it all either.
Reference counting still frees everything as usual; only cyclic garbage made inside the block
stays until the process ends (the rendered objects are trees; there is next to none).
"""

from __future__ import annotations

import contextlib
import gc
from typing import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
