"""Results cached by an object's identity, for as long as that object lives.

The page views are cached per fact-base version and language and come back as the same objects
on every run, so what is drawn from one of them (the annotated source's HTML, a Markdown table)
is the same string every time: computed once per object, not per run. Hashing such an object by
value would cost what the cache saves. An entry is dropped when its object is collected, before
Python can reuse the object's id; an object that cannot be weakly referenced is not cached.
Nothing cached may be mutated: the views and their frames are not.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")

_cache: dict[tuple, object] = {}
_lock = threading.Lock()


def by_identity(fn: Callable[..., T]) -> Callable[..., T]:
    """`fn(obj, *args)` computed once per live `obj` (by identity) and hashable `args`."""

    @functools.wraps(fn)
    def cached(obj, *args: Hashable) -> T:
        key = (cached, id(obj), args)
        try:
            return _cache[key]  # type: ignore[return-value]
        except KeyError:
            pass
        value = fn(obj, *args)
        try:
            with _lock:
                if key not in _cache:
                    weakref.finalize(obj, _cache.pop, key, None)
                    _cache[key] = value
        except TypeError:  # not weakly referenceable: not cached
            pass
        return value

    return cached


def size() -> int:
    """How many results are cached now (tests)."""
    return len(_cache)
