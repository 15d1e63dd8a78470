"""A minimal Streamlit client on the websocket protocol: open a session, rerun a page, count it.

What the browser's frontend does, without the browser: `GET` the page's own address, open
`/_stcore/stream`, send a `BackMsg` `rerun_script` whose `ClientState` holds the query string
and the page (its URL path on the first run, the page's script hash from the `navigation`
message afterwards, as a sidebar click does), then read `ForwardMsg`s until `script_finished`.
A run is checked: it finished successfully, its page was found, and it drew no exception or
error alert; its `new_element` deltas are counted per root container (main, sidebar), and so
are the ones a browser mounts on load (`mounted`: not inside a popover or a dialog, whose
content the frontend mounts only when opened): what the browser's census finds.

Behind a load balancer (deploy/cluster.py: HAProxy's `cookie SERVERID insert`) a reader keeps
the cookies the page's `GET` was given and sends them with the websocket's handshake and with
any later open, as a browser does: their session stays on the replica that served the page
(`Session.replica`, from HAProxy's X-Replica header).

Only 127.0.0.1 (or localhost) is ever contacted; every wait is bounded by a timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

LOCAL_HOSTS = ("127.0.0.1", "localhost")
RUN_TIMEOUT = 60.0  # seconds a run may take before it counts as lost
# Root containers of a delta path (streamlit/proto/RootContainer.proto).
ROOTS = {0: "main", 1: "sidebar"}
_FINISHED_OK = 0  # ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
_FINISHED_EARLY_FOR_RERUN = 2
_ALERT_ERROR = 1  # Alert.Format.ERROR
# Blocks whose content the frontend mounts only once the reader opens them.
UNMOUNTED_BLOCKS = frozenset({"popover", "dialog"})


class ProtocolError(Exception):
    """A run that did not finish as a full, successful page (or a refused target)."""


def check_local(base_url: str) -> str:
    """`base_url` with a trailing slash, refused unless it is http on 127.0.0.1/localhost."""
    parts = urlsplit(base_url)
    if parts.scheme != "http" or parts.hostname not in LOCAL_HOSTS:
        raise ProtocolError(f"the load generator targets only http://127.0.0.1, not {base_url!r}")
    return base_url if base_url.endswith("/") else base_url + "/"


def page_path(page: str | None) -> str:
    """A page's own URL path: the overview (the default page) at "", the others at their name."""
    return "" if page in (None, "overview") else page


@dataclass
class Run:
    """One finished script run as the client saw it."""

    ms: float
    elements: dict[str, int] = field(default_factory=dict)  # root -> new_element deltas
    mounted: dict[str, int] = field(default_factory=dict)  # root -> those mounted on load
    kinds: dict[str, int] = field(default_factory=dict)  # element type -> count (main)
    errors: list[str] = field(default_factory=list)
    messages: int = 0
    bytes: int = 0
    texts: list[str] = field(default_factory=list)  # markdown and text bodies, if asked for
    deltas: list[bytes] = field(default_factory=list, repr=False)  # every delta, if asked for
    hidden: set[tuple[int, ...]] = field(default_factory=set, repr=False)  # popover paths


def _count(run: Run, msg, keep_text: bool = False) -> None:
    """Add one ForwardMsg's delta to `run`: elements per root, exceptions and error alerts."""
    delta = msg.delta
    kind = delta.WhichOneof("type")
    path = tuple(msg.metadata.delta_path)
    if kind == "add_block" and delta.add_block.WhichOneof("type") in UNMOUNTED_BLOCKS:
        run.hidden.add(path)
    if kind != "new_element":
        return
    root = ROOTS.get(path[0] if path else -1, "other")
    run.elements[root] = run.elements.get(root, 0) + 1
    if not any(path[:i] in run.hidden for i in range(1, len(path))):
        run.mounted[root] = run.mounted.get(root, 0) + 1
    kind = delta.new_element.WhichOneof("type")
    if keep_text and kind in ("markdown", "text"):
        element = getattr(delta.new_element, kind)
        run.texts.append(element.body)
    if root == "main":
        run.kinds[kind] = run.kinds.get(kind, 0) + 1
    if kind == "exception":
        exc = delta.new_element.exception
        run.errors.append(f"exception {exc.type}: {exc.message[:200]}")
    elif kind == "alert" and delta.new_element.alert.format == _ALERT_ERROR:
        run.errors.append(f"error alert: {delta.new_element.alert.body[:200]}")


class Session:
    """One reader's session on a Streamlit server (use `await Session.open(...)`)."""

    def __init__(self, ws, base_url: str) -> None:
        self.ws = ws
        self.base_url = base_url
        self.pages: dict[str, str] = {}  # URL path -> page script hash (from `navigation`)
        self.keep_text = False  # keep every markdown and text body of a run (tests)
        self.keep_deltas = False  # keep every delta ForwardMsg of a run (the replay floor)
        self.cookies: dict[str, str] = {}  # what the server (or HAProxy) set, sent back
        self.replica: str | None = None  # the X-Replica that answered the websocket, if any

    @classmethod
    async def open(cls, base_url: str, page: str | None, lang: str | None,
                   timeout: float = RUN_TIMEOUT, keep_text: bool = False,
                   cookies: dict[str, str] | None = None) -> tuple[Session, Run]:
        """Open a session at a page's own address, as a browser does; its first run checked.
        `keep_text`: every run keeps its markdown and text bodies (Run.texts). `cookies`: a
        reader's cookies from an earlier session (its `cookies`), as a browser keeps them."""
        import websockets

        base_url = check_local(base_url)
        start = time.perf_counter()
        query = urlencode({"lang": lang}) if lang else ""
        address = base_url + page_path(page) + (f"?{query}" if query else "")
        jar = dict(cookies or {})
        _, set_cookies, _ = await asyncio.wait_for(
            asyncio.to_thread(_get, address, timeout, jar), timeout)
        jar.update(set_cookies)
        ws_url = "ws" + base_url[len("http"):] + "_stcore/stream"
        ws = await asyncio.wait_for(
            websockets.connect(ws_url, subprotocols=["streamlit"], max_size=2**26,
                               compression=None, open_timeout=timeout, ping_interval=None,
                               additional_headers=_cookie_header(jar)),
            timeout)
        sock = ws.transport.get_extra_info("socket")
        if sock is not None:  # a rerun's small BackMsg must not wait for an ACK (Nagle)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        session = cls(ws, base_url)
        session.keep_text = keep_text
        session.cookies = jar
        session.replica = ws.response.headers.get("X-Replica") if ws.response else None
        try:
            run = await session._run(query, page_name=page_path(page), timeout=timeout)
        except BaseException:
            await session.close()
            raise
        run.ms = (time.perf_counter() - start) * 1000
        return session, run

    async def rerun(self, page: str | None, lang: str | None,
                    timeout: float = RUN_TIMEOUT) -> Run:
        """A click to `page` in `lang`: the page's script hash, as the sidebar sends it."""
        query = urlencode({"lang": lang}) if lang else ""
        path = page_path(page)
        script_hash = self.pages.get(path)
        if script_hash is None:
            return await self._run(query, page_name=path, timeout=timeout)
        return await self._run(query, page_script_hash=script_hash, timeout=timeout)

    async def _run(self, query: str, *, page_name: str = "", page_script_hash: str = "",
                   timeout: float) -> Run:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        back = BackMsg()
        back.rerun_script.query_string = query
        back.rerun_script.page_name = page_name
        back.rerun_script.page_script_hash = page_script_hash
        back.rerun_script.context_info.url = self.base_url + page_name
        start = time.perf_counter()
        await self.ws.send(back.SerializeToString())
        run = Run(ms=0.0)
        deadline = start + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise ProtocolError(f"no script_finished within {timeout:.0f} s")
            data = await asyncio.wait_for(self.ws.recv(), left)
            msg = ForwardMsg()
            msg.ParseFromString(data)
            run.messages += 1
            run.bytes += len(data)
            kind = msg.WhichOneof("type")
            if kind == "new_session":  # a run begins: what came before belonged to another
                run.elements, run.mounted, run.kinds, run.errors = {}, {}, {}, []
                run.texts, run.hidden, run.deltas = [], set(), []
            elif kind == "delta":
                _count(run, msg, self.keep_text)
                if self.keep_deltas:
                    run.deltas.append(data)
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
            elif kind == "page_not_found":
                run.errors.append(f"page not found: {msg.page_not_found.page_name!r}")
            elif kind == "script_finished":
                if msg.script_finished == _FINISHED_EARLY_FOR_RERUN:
                    continue  # the script asked for another run (st.rerun, st.switch_page)
                if msg.script_finished != _FINISHED_OK:
                    run.errors.append(f"script finished with status {msg.script_finished}")
                run.ms = (time.perf_counter() - start) * 1000
                return run

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.ws.close(), 5)


def _cookie_header(cookies: dict[str, str]) -> dict[str, str]:
    """The `Cookie` request header for `cookies` (none if empty)."""
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}


def set_cookies(headers: list[str]) -> dict[str, str]:
    """name -> value of `Set-Cookie` header values (their attributes dropped)."""
    found = {}
    for header in headers:
        name, sep, value = header.split(";", 1)[0].strip().partition("=")
        if sep and name:
            found[name] = value
    return found


def _get(address: str, timeout: float,
         cookies: dict[str, str] | None = None) -> tuple[int, dict[str, str], str | None]:
    """GET the page's own address (the app's HTML), as the browser does before the websocket,
    with the reader's cookies: its status, the cookies it set and its X-Replica header."""
    request = urllib.request.Request(address, headers=_cookie_header(cookies or {}))
    with urllib.request.urlopen(request, timeout=timeout) as resp:  # noqa: S310 - checked local
        resp.read()
        return (resp.status, set_cookies(resp.headers.get_all("Set-Cookie") or []),
                resp.headers.get("X-Replica"))


def run_once(base_url: str, page: str | None, lang: str | None, keep_text: bool = False) -> Run:
    """Open a session at one page in one language, return its first run, close it."""

    async def main() -> Run:
        session, run = await Session.open(base_url, page, lang, keep_text=keep_text)
        await session.close()
        return run

    return run_sync(main())


def run_sync(coroutine):
    """Run a coroutine to its end on a loop of its own, in a thread of its own: callable where a
    loop already runs (sync Playwright keeps one in the main thread)."""
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
