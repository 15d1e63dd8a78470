"""Parts of a page drawn once per view and language, then sent again as recorded deltas.

What a rerun of an unchanged page cost the server was mostly Streamlit's element commands
called by the renderer: argument checks, building and hashing protos (bench/notes.md,
"capacity"). A part whose output depends only on an immutable owner (a page view's section,
cached per fact base version, sources stamp and language) and a key (the language; a filter's
choices; the asked lines) is the same list of deltas on every run of every session. `draw`
records that list the first time (the ForwardMsgs the script run context is given, with their
hash, by the container they went to) and afterwards sends copies into the containers the
part is drawn in now, without calling the commands. A recording is kept per owner (dropped
when it is collected, as haixi.memo does), page script hash (Streamlit's element ids include
it: the overview answers at two addresses) and key, the KEYS_PER_OWNER most recent keys.
Parts keyed by all they show (a title, the stylesheet, the sidebar footer) have PROCESS as
owner.

Replayed (renderer's sections, a filtered table's rows, the annotated source's HTML, titles):
markdown, captions, metrics, alerts, headers, containers and columns, popovers (keyed, not
stateful: their key is only an element id), Plotly charts and data grids (keyed, no selection:
an element id only), page links (their page's script hash is a hash of its URL path, the same
in every session). The element ids and keys the commands registered for the run (duplicate
checks) are registered again on replay.

Never replayed, always run live (`live`): widgets and whatever holds per-session state or
reads the address: download buttons (their files are registered per session and run), the
filters bound to the URL, the lazy expanders and tabs (stateful widgets), the language switch,
the notices and pinned blocks an address raises. Inside a recorded part, `live(fn, *args)`
leaves a hole that `fn(*args)` fills on every run, in the container it was called in (with
the arguments of the recording run: they depend on nothing but the owner and the key). A part
that sends anything but deltas into its own containers and the root ones (st.html sends a
bare <style> to the event container) is not recorded and runs live every time; so is a part
drawn inside a fragment.

This depends on Streamlit internals (DeltaGenerator cursors, ScriptRunContext.enqueue, the
run's registered element ids) as pinned by requirements.txt (streamlit==1.67.0);
tests/test_replay.py compares replayed runs with recorded ones and with replay switched off
(HAIXI_REPLAY=0 in the environment, or `ENABLED = False`) on every page and language.
"""

from __future__ import annotations

import os
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.elements.lib.form_utils import FormData, current_form_id
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.scriptrunner import enqueue_message, get_script_run_ctx
from streamlit.runtime.scriptrunner_utils.script_run_context import ThreadState

from haixi import memo

ENABLED = os.environ.get("HAIXI_REPLAY", "1") != "0"

_ELEMENT, _BLOCK, _LIVE = 0, 1, 2
_state = threading.local()  # the recording under way in this script thread, if any
_lock = threading.Lock()
# Parts recorded, replayed and drawn live because they could not be recorded (tests, notes).
counts: Counter = Counter()


@dataclass
class Recording:
    """What one part of a page sent: steps (kind, container path, payload), the element ids
    and keys its commands registered; `steps` None until recorded, False if not recordable."""

    steps: list | bool | None = None
    root: tuple[int, ...] = ()
    ids: frozenset = frozenset()
    keys: frozenset = frozenset()
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Process:
    """The owner of parts keyed by all they show (a title, the app-wide stylesheet)."""


PROCESS = _Process()

# Recordings kept per owner and page: the most recent keys (languages, a filter's choices).
KEYS_PER_OWNER = 16


@memo.by_identity
def _recordings(owner, script_hash: str) -> OrderedDict:
    """An owner's recordings on one page, by key; dropped with the owner (haixi.memo)."""
    return OrderedDict()


def _recording(owner, key: Hashable, script_hash: str) -> Recording:
    found = _recordings(owner, script_hash)
    with _lock:
        recording = found.get(key)
        if recording is None:
            recording = found[key] = Recording()
            while len(found) > KEYS_PER_OWNER:
                found.popitem(last=False)
        else:
            found.move_to_end(key)
        return recording


def _roots() -> dict[int, DeltaGenerator]:
    """The root containers by index (RootContainer.proto): a part may also write to these
    (st.html puts a bare <style> into the event container)."""
    return {0: st._main, 1: st.sidebar, 2: st._event, 3: st._bottom}


def _container_path(dg: DeltaGenerator) -> tuple[int, ...]:
    cursor = dg._cursor
    return (cursor.root_container, *cursor.parent_path)


def draw(owner, key: Hashable, render: Callable[[], None],
         container: DeltaGenerator | None = None) -> None:
    """`render()` here: recorded the first time for (`owner`, `key`, this page), replayed after.

    `owner` is an immutable view object whose identity stands for everything the part shows
    besides `key` (the language, a filter's choices); its stateful parts call `live`. The part
    is drawn where `st.*` draws now, or in `container` (st.sidebar) if given, and may draw
    into no other container but the root ones. Inside a part being recorded, a part is simply drawn (it is
    part of the outer recording); inside a `live` hole, it is recorded on its own."""
    ctx = get_script_run_ctx()
    thread = ThreadState.get()
    outer = getattr(_state, "active", None)
    if (not ENABLED or ctx is None or thread.fragment_id
            or (outer is not None and not outer.paused)):
        render()
        return
    recording = _recording(owner, key, thread.active_script_hash)
    root = container if container is not None else st._main._active_dg
    steps = recording.steps
    if steps is False:
        counts["unrecordable"] += 1
        render()
    elif steps is None:
        counts["recorded"] += 1
        _record(ctx, recording, root, render)
    else:
        counts["replayed"] += 1
        _replay(ctx, recording, root)


class _Recorder:
    """Captures the deltas a part sends while it is drawn (ScriptRunContext.enqueue wrapped)."""

    def __init__(self, ctx, root: DeltaGenerator) -> None:
        self.ctx = ctx
        self.root = _container_path(root)
        self.known = {self.root, *((r,) for r in _roots())}
        self.steps: list = []
        self.ok = True
        self.paused = 0
        self.live_ids: set = set()
        self.live_keys: set = set()
        self.original = ctx.enqueue

    def enqueue(self, msg: ForwardMsg) -> None:
        self.original(msg)  # hashes the message (and sends a reference if the browser has it)
        if self.paused or not self.ok:
            return
        kind = msg.delta.WhichOneof("type") if msg.WhichOneof("type") == "delta" else None
        path = tuple(msg.metadata.delta_path)
        if kind not in ("new_element", "add_block") or path[:-1] not in self.known:
            self.ok = False  # something else, or outside this part's containers: not replayed
            return
        sent = ForwardMsg()
        sent.CopyFrom(msg)  # the delta, its hash and `cacheable`; the path is set on replay
        if kind == "add_block":
            self.known.add(path)
            self.steps.append((_BLOCK, path[:-1], (path, sent,
                                                   msg.delta.add_block.WhichOneof("type"))))
        else:
            self.steps.append((_ELEMENT, path[:-1], sent))


def _ids(ctx) -> tuple[frozenset, frozenset]:
    shared = ctx.shared
    return shared.widget_ids_this_run.snapshot(), shared.widget_user_keys_this_run.snapshot()


def _record(ctx, recording: Recording, root: DeltaGenerator,
            render: Callable[[], None]) -> None:
    outer = getattr(_state, "active", None)
    wrapped = ctx.__dict__.get("enqueue")  # an outer recording's, if any
    recorder = _Recorder(ctx, root)
    ids_before, keys_before = _ids(ctx)
    _state.active = recorder
    ctx.enqueue = recorder.enqueue
    try:
        render()
    finally:
        if wrapped is None:
            del ctx.enqueue  # the class's own method again
        else:
            ctx.enqueue = wrapped
        _state.active = outer
    ids_after, keys_after = _ids(ctx)
    with recording.lock:
        if recording.steps is not None:  # another session recorded it meanwhile
            return
        if not recorder.ok:
            recording.steps = False
            return
        recording.ids = ids_after - ids_before - recorder.live_ids
        recording.keys = keys_after - keys_before - recorder.live_keys
        recording.root = recorder.root
        recording.steps = recorder.steps


def live(fn: Callable[..., object], *args) -> None:
    """`fn(*args)`, called now and, where this is part of a recorded `draw`, on every replay
    in the container it is called in now (widgets, anything holding session state)."""
    recorder = getattr(_state, "active", None)
    if recorder is None or recorder.paused:
        fn(*args)
        return
    dg = st._main._active_dg
    path = _container_path(dg)
    if path not in recorder.known:
        recorder.ok = False
    recorder.steps.append((_LIVE, path, (fn, args)))
    ids_before, keys_before = _ids(recorder.ctx)
    recorder.paused += 1
    try:
        fn(*args)
    finally:
        recorder.paused -= 1
    ids_after, keys_after = _ids(recorder.ctx)
    recorder.live_ids |= ids_after - ids_before
    recorder.live_keys |= keys_after - keys_before


def _replay(ctx, recording: Recording, root: DeltaGenerator) -> None:
    """Send the recorded deltas again, as the commands' own `_enqueue` and `_block` do, into
    the container this part is drawn in now; the live holes run in theirs."""
    shared = ctx.shared
    for ident in recording.ids:
        shared.widget_ids_this_run.check_and_add(ident)
    for user_key in recording.keys:
        shared.widget_user_keys_this_run.check_and_add(user_key)
    containers = {(index,): dg for index, dg in _roots().items()}
    containers[recording.root] = root
    for kind, parent_path, payload in recording.steps:
        parent = containers[parent_path]
        cursor = parent._cursor
        if kind == _ELEMENT:
            msg = ForwardMsg()
            msg.CopyFrom(payload)
            msg.metadata.delta_path[:] = cursor.delta_path
            enqueue_message(msg)
            cursor.lock_element()
        elif kind == _BLOCK:
            path, sent, block_type = payload
            msg = ForwardMsg()
            msg.CopyFrom(sent)
            msg.metadata.delta_path[:] = cursor.delta_path
            block = DeltaGenerator(root_container=parent._root_container,
                                   cursor=cursor.open_block(), parent=parent,
                                   block_type=block_type)
            block._form_data = FormData(current_form_id(parent))
            enqueue_message(msg)
            containers[path] = block
        else:
            fn, args = payload
            with parent:
                fn(*args)
