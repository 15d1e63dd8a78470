"""Two dashboards behind HAProxy (deploy.cluster) in Chromium: stickiness, spread, a replica killed;
then the capacity benchmark's load through the same cluster (one cluster started for both).

Everything runs on 127.0.0.1; every wait has a timeout. HAProxy names the replica that
answered in an X-Replica header and in its SERVERID cookie (deploy/haproxy.cfg.in).
"""

from __future__ import annotations

import os
import signal
import time
import urllib.parse

import pytest

from bench import LANGS
from bench.capacity import cluster_target, load
from bench.protocol import Session, run_once, run_sync
from deploy.cluster import Cluster
from haixi.app import PAGES
from haixi.i18n import t
from tests.browser import (
    SECTION_TABS,
    error_elements,
    open_tab,
    real_fact_base,
    require_browser,
    tab_labels,
    wait_for_app,
)
from tests.test_deploy import require_haproxy

pytestmark = pytest.mark.browser

MAIN = "[data-testid='stMain']"
SIDEBAR = "[data-testid='stSidebar']"
STATUS = "[data-testid='stStatusWidget']"
VIEWPORT = {"width": 1400, "height": 1600}
TIMEOUT = 30_000
RECONNECT_S = 5.0
# Files the browser keeps in its cache (Streamlit's frontend and the app's static folder).
CACHED_PATHS = ("/static/", "/app/static/")


@pytest.fixture(scope="module")
def lb():
    """Two replicas behind HAProxy for the module (the kill test restarts the one it kills)."""
    require_haproxy()
    require_browser()
    with Cluster(2) as running:
        yield running


class Reader:
    """One browser context through HAProxy: its page, and the replicas that answered it."""

    def __init__(self, browser, lb: Cluster, locale: str = "en-US"):
        self.lb = lb
        self.context = browser.new_context(viewport=VIEWPORT, locale=locale)
        self.page = self.context.new_page()
        self.answered: list[str] = []  # X-Replica of every HTTP response, in order
        self.paths: list[str] = []  # and the path each answered
        self.sockets: list[str] = []  # every websocket the page opened
        self.frames: list[int] = []  # messages each websocket received
        self.page.on("response", self._response)
        self.page.on("websocket", self._websocket)
        self.last_frame = time.monotonic()

    def _response(self, response) -> None:
        replica = response.headers.get("x-replica")
        if replica:
            self.answered.append(replica)
            self.paths.append(urllib.parse.urlsplit(response.url).path)

    def _websocket(self, ws) -> None:
        self.sockets.append(ws.url)
        self.frames.append(0)
        index = len(self.frames) - 1
        ws.on("framereceived", lambda _payload: self._frame(index))

    def _frame(self, index: int) -> None:
        self.frames[index] += 1
        self.last_frame = time.monotonic()

    def settle(self, frames: int = 10, quiet: float = 1.0, timeout: float = 30.0) -> None:
        """Wait until the newest websocket has brought at least `frames` messages (a page run
        sends many), then nothing for `quiet` s, and the page is drawn.

        After a reconnect the browser reruns the page on the new replica, which builds its
        widgets anew: a click on the old ones before that rerun is over would go nowhere."""
        deadline = time.monotonic() + timeout
        while self.frames[-1] < frames or time.monotonic() - self.last_frame < quiet:
            assert time.monotonic() < deadline, (
                f"the new replica sent {self.frames[-1]} messages in {timeout:.0f} s, the last "
                f"{time.monotonic() - self.last_frame:.1f} s ago: no rerun of the page")
            self.page.wait_for_timeout(100)
        wait_for_app(self.page)

    def open(self, path: str = "") -> Reader:
        self.page.goto(self.lb.url + path)
        wait_for_app(self.page)
        return self

    def replica(self) -> str:
        """The replica HAProxy keeps this reader on (its stickiness cookie)."""
        values = [c["value"] for c in self.context.cookies(self.lb.url) if c["name"] == "SERVERID"]
        assert len(values) == 1, values
        return values[0]

    def title(self) -> str:
        heading = self.page.locator(f"{MAIN} h1").first
        heading.wait_for(timeout=TIMEOUT)
        return heading.inner_text().strip()

    def expect_title(self, text: str) -> None:
        from playwright.sync_api import expect

        expect(self.page.locator(f"{MAIN} h1").first).to_have_text(text, timeout=TIMEOUT)
        wait_for_app(self.page)

    def click_page(self, name: str, lang: str) -> None:
        """A sidebar click to the page `name`, whose title is in `lang`."""
        title = t(f"page.{name}", lang)
        self.page.locator(f"{SIDEBAR} [data-testid='stSidebarNav'] a").filter(
            has_text=title).first.click()
        self.expect_title(title)

    def switch_language(self, name: str) -> None:
        self.page.locator(SIDEBAR).get_by_role("radio", name=name).click()

    def open_tab_labelled(self) -> str:
        return self.page.locator(f"{SECTION_TABS}[aria-selected='true']").inner_text().strip()

    def heading_count(self, text: str) -> int:
        return self.page.locator(f"{MAIN} h2").filter(has_text=text).count()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def readers(browser, lb):
    """readers(locale="en-US") -> a new Reader; every context is closed after the test."""
    opened: list[Reader] = []

    def _new(locale: str = "en-US") -> Reader:
        reader = Reader(browser, lb, locale)
        opened.append(reader)
        return reader

    yield _new
    for reader in opened:
        reader.close()


def test_a_reader_clicking_through_every_page_stays_on_one_replica(lb, readers):
    reader = readers().open()
    first = reader.replica()
    for lang, switch in (("en", None), ("zh", "中文")):
        if switch:  # on the last page, then every page again in the other language
            reader.switch_language(switch)
            reader.expect_title(t(f"page.{PAGES[-1]}", lang))
        for name in PAGES:
            if (name, lang) != ("overview", "en"):
                reader.click_page(name, lang)
            assert f"lang={lang}" in reader.page.url, reader.page.url
            assert error_elements(reader.page) == []
    assert reader.replica() == first
    assert reader.answered and set(reader.answered) == {first}, reader.answered
    assert len(reader.sockets) == 1  # one websocket, to one replica, the whole way
    # HAProxy holds the reader's websocket on that replica and on no other.
    current = {name: int(row["scur"]) for name, row in lb.stats().items()}
    assert current[first] == 1 and sum(current.values()) == 1, current


def test_new_readers_are_spread_over_both_replicas(lb, readers):
    # Least connections: the first reader goes to the emptier replica, the next ones alternate
    # (three, not two: a socket of the previous test may still be closing on one of them).
    seen = []
    for _ in range(3):
        reader = readers().open()
        seen.append(reader.replica())
        assert set(reader.answered) == {seen[-1]}, reader.answered
    assert set(seen) == {"r1", "r2"}, seen


def test_a_reader_whose_replica_is_killed_goes_on_on_the_other_one(lb, readers):
    # A reader on the overview chooses 中文, goes to projects, filters it and opens a tab.
    reader = readers("en-US").open()
    reader.switch_language("中文")
    reader.expect_title(t("page.overview", "zh"))
    reader.click_page("projects", "zh")
    page = reader.page
    box = page.locator(f"{MAIN} [data-testid='stMultiSelect']").first
    box.locator("input").click()
    page.get_by_role("option").first.click()
    page.keyboard.press("Escape")
    page.wait_for_url(lambda url: "chain=" in url, timeout=TIMEOUT)
    wait_for_app(page)
    open_tab(page, 1)
    address = page.url
    assert "lang=zh" in address and "chain=" in address and "tab=" in address, address
    # The table's heading (first on the page, above the tabs) counts the filtered projects.
    total = len(real_fact_base().projects)
    filtered = page.locator(f"{MAIN} h2").first.inner_text().strip()
    assert filtered != t("projects.table", "zh", shown=total, total=total), filtered
    tab = reader.open_tab_labelled()
    served = reader.replica()
    other = "r2" if served == "r1" else "r1"

    lb.kill(served)
    killed = time.monotonic()
    try:
        _goes_on(lb, readers, reader, served, other, killed, address, filtered, tab, box)
    finally:  # the module's next test wants both replicas, whatever happened here
        process = lb.replica(served).process
        if process is None or process.poll() is not None:
            lb.restart(served)
        lb.wait_status({served: "UP"}, timeout=30)


def _goes_on(lb, readers, reader, served, other, killed, address, filtered, tab, box) -> None:
    """What the reader whose replica was killed sees next, then new readers (the kill test)."""
    page = reader.page
    answered_before = len(reader.answered)
    # Streamlit's own notice while the connection is lost, then the page again.
    notice = page.locator(STATUS).filter(has_text="CONNECTING")
    notice.wait_for(timeout=RECONNECT_S * 1000)
    noticed = time.monotonic() - killed
    deadline = killed + RECONNECT_S
    while len(reader.sockets) < 2 and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    page.locator(STATUS).wait_for(state="detached", timeout=max(deadline - time.monotonic(), 0.1) * 1000)
    reconnected = time.monotonic() - killed
    assert len(reader.sockets) == 2 and reconnected <= RECONNECT_S, (
        f"{len(reader.sockets)} websockets, the notice after {noticed:.2f} s, the page back "
        f"after {reconnected:.2f} s; HAProxy sees {lb.status()}")
    print(f"reconnected to {other} {reconnected:.2f} s after {served} was killed")
    assert reader.replica() == other
    # The new replica runs the page again (dashboard.py's timed fragment makes the browser ask).
    reader.settle()

    # The same page, language, filter and tab; no error element, no traceback.
    def same() -> None:
        assert page.url == address, page.url
        assert reader.title() == t("page.projects", "zh")
        assert reader.open_tab_labelled() == tab
        assert reader.heading_count(filtered) == 1
        assert error_elements(page) == []
        assert "Traceback" not in page.locator(MAIN).inner_text()

    same()
    # Every click after that keeps them: a rerun of the page (on the new replica) ...
    labels = tab_labels(page)
    open_tab(page, 2)
    assert reader.open_tab_labelled() == labels[2]
    assert "lang=zh" in page.url and "chain=" in page.url and "tab=" in page.url, page.url
    assert reader.heading_count(filtered) == 1
    open_tab(page, 1)
    same()
    # ... a filter: the choice made on the new replica is added to the one from the old ...
    box.locator("input").click()
    page.get_by_role("option").first.click()
    page.keyboard.press("Escape")
    page.wait_for_url(lambda url: url.count("chain=") == 2, timeout=TIMEOUT)
    wait_for_app(page)
    assert page.locator(f"{MAIN} h2").first.inner_text().strip() != filtered
    assert "lang=zh" in page.url and reader.open_tab_labelled() == tab
    assert reader.title() == t("page.projects", "zh")
    # ... and sidebar clicks, which send the new replica no query string.
    reader.click_page("livelihood", "zh")
    assert "lang=zh" in page.url, page.url
    reader.click_page("economy", "zh")
    assert "lang=zh" in page.url and error_elements(page) == []
    # Every response from the first the other replica gave after the kill (Playwright reports
    # responses the killed one gave just before it late, so they can follow the kill here),
    # but static files: the browser serves its cached copy again, with the X-Replica header of
    # the replica that first sent it (the favicon, /app/static/, on every page).
    since = [replica for replica, path in zip(reader.answered[answered_before:],
                                              reader.paths[answered_before:], strict=True)
             if not path.startswith(CACHED_PATHS)]
    assert other in since, since
    assert set(since[since.index(other):]) == {other}, since
    assert "Traceback" not in lb.replica(other).log()

    # HAProxy stops sending to the dead replica: new readers all go to the other one.
    lb.wait_status({served: "DOWN", other: "UP"}, timeout=10)
    assert readers().open().replica() == other

    # Restarted, it takes new readers again (least connections: it holds none).
    lb.restart(served)
    lb.wait_status({served: "UP"}, timeout=15)
    fresh = [readers().open() for _ in range(2)]
    assert served in {r.replica() for r in fresh}
    for r in fresh:
        assert r.title() == t("page.overview", "en") and error_elements(r.page) == []


def test_a_replica_that_fails_its_health_check_gets_no_new_readers(lb, readers):
    """A replica alive but not answering (stopped with SIGSTOP) is taken out of rotation; when
    it answers again it is back. Runs after the kill test, so both replicas are up."""
    lb.wait_status({"r1": "UP", "r2": "UP"}, timeout=15)
    stuck = lb.replica("r1").process
    os.kill(stuck.pid, signal.SIGSTOP)
    try:
        lb.wait_status({"r1": "DOWN"}, timeout=15)
        for _ in range(2):
            reader = readers().open()
            assert reader.replica() == "r2" and set(reader.answered) == {"r2"}
            assert error_elements(reader.page) == []
    finally:
        os.kill(stuck.pid, signal.SIGCONT)
    lb.wait_status({"r1": "UP"}, timeout=15)


# --------------------------------------------------------------------------- the benchmark's load


def test_readers_through_two_replicas_stay_on_theirs_and_are_counted_on_both(lb):
    """The capacity benchmark's load through the cluster (bench.capacity.cluster_target), on
    this module's cluster (the last test: it holds sockets open on both replicas). A handful
    of readers: each reader's websocket and its reopen (with the cookies it was given) stay on
    the replica that served its page; server CPU is the replicas' together, HAProxy's apart."""
    lb.wait_status({"r1": "UP", "r2": "UP"}, timeout=15)
    # Each page's elements as one open through the cluster counts them: every rerun of the
    # load must be that full page (test_capacity checks the counts against Chromium's).
    expected = {f"{p}/{lang}": run_once(lb.url, p, lang).elements["main"]
                for p in PAGES for lang in LANGS}

    async def reopen(url: str) -> list[tuple[str, str | None, str | None]]:
        seen, held_open = [], []  # open websockets: leastconn sends the next reader elsewhere
        try:
            for _ in range(4):
                first, _ = await Session.open(url, "overview", "zh")
                held_open.append(first)
                again, _ = await Session.open(url, "chains", "en", cookies=first.cookies)
                held_open.append(again)
                seen.append((first.cookies.get("SERVERID"), first.replica, again.replica))
        finally:
            for session in held_open:
                await session.close()
        return seen

    seen = run_sync(reopen(lb.url))
    target = cluster_target(lb, tuple((p, lang) for p in PAGES for lang in LANGS), None)
    result = run_sync(load(target, readers=4, expected=expected, seed=3, clicks=3))
    assert all(cookie == first == again for cookie, first, again in seen), seen
    assert {cookie for cookie, _, _ in seen} == {"r1", "r2"}  # leastconn spreads them
    assert (result["finished"], result["errors"], result["dropped"]) == (4, 0, 0)
    assert sum(result["sessions_per_replica"].values()) == 4
    assert set(result["sessions_per_replica"]) <= {"r1", "r2"}
    assert result["server_cpu_s"] > 0 and result["balancer_cpu_pct"] is not None
    assert result["rss_max_mb"] > 2 * 50  # two dashboard processes
