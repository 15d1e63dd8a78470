"""Results cached by an object's identity, or by value in front of a Streamlit cache.

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
from collections import OrderedDict
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


def by_value(maxsize: int, skip: int = 0) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Answer repeated calls of `fn` (a Streamlit-cached function) from a plain dict keyed by
    its arguments after the first `skip` (those Streamlit leaves out of its key too: `_base`),
    the `maxsize` most recent; a miss calls `fn`, so Streamlit's cache still builds each value
    once. Streamlit's own look-up hashes every argument and inspects the function's signature
    on each call: about 0.1 ms a call, and a run makes several (the fact base three times, the
    page's view and notices): 5-6% of a rerun's server CPU (bench/notes.md, "capacity")."""

    def wrap(fn: Callable[..., T]) -> Callable[..., T]:
        store: OrderedDict[tuple, T] = OrderedDict()
        lock = threading.Lock()

        @functools.wraps(fn)
        def cached(*args: Hashable) -> T:
            key = args[skip:]
            with lock:
                if key in store:
                    store.move_to_end(key)
                    return store[key]
            value = fn(*args)
            with lock:
                store[key] = value
                while len(store) > maxsize:
                    store.popitem(last=False)
            return value

        return cached

    return wrap


def size() -> int:
    """How many results are cached now (tests)."""
    return len(_cache)
