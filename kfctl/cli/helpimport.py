"""Import typer's help renderer without the parts of rich kfctl's help never uses.

``typer.rich_utils`` (imported the first time a help page is printed) imports ``rich.markdown``
(markdown-it) and ``rich.traceback`` (pygments) at module level — ~50 ms, a third of
``kfctl --help`` — though it uses ``Markdown`` only with ``rich_markup_mode="markdown"`` and
``Traceback`` only for pretty exceptions, neither of which kfctl turns on.  :func:`install` has
those two served from stand-ins while ``typer.rich_utils`` executes (:mod:`kfctl.util.lazyimport`:
they import the real class on first use, so the behaviour is the same if they are ever used); any
other ``import rich.markdown`` gets the real one.
"""

from __future__ import annotations

from kfctl.util import lazyimport


def _stand_ins() -> dict:
    return {"rich.markdown": lazyimport.stand_in("rich.markdown", Markdown=lazyimport.lazy_class("rich.markdown", "Markdown")),
            "rich.traceback": lazyimport.stand_in("rich.traceback",
                                                  Traceback=lazyimport.lazy_class("rich.traceback", "Traceback"))}


def install() -> None:
    lazyimport.defer("typer.rich_utils", _stand_ins)
