"""Helpers for real-browser tests: start a Streamlit server, drive it with Chromium via Playwright."""

from __future__ import annotations

import contextlib
import importlib.util
import itertools
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

from bench.browser import CENSUS_JS

REPO_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# data-testid / attribute selectors, checked against Streamlit 1.67.0's frontend bundle.
APP_IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
PLOTLY_CHART = "[data-testid='stPlotlyChart']"
PLOTLY_DRAWN = "[data-testid='stPlotlyChart'] .main-svg"
ERROR_SELECTORS = (
    "[data-testid='stException']",  # uncaught exception box
    "[data-testid='stAlertContentError']",  # st.error(...)
)

# Shared by every browser test: the main column, a quote popover's body, a wide and a phone
# viewport, the browser locale of each language, the wait for one element.
MAIN = "[data-testid='stMain']"
POPOVER_BODY = "[data-testid='stPopoverBody']"
WIDE = {"width": 1400, "height": 2600}
PHONE = {"width": 390, "height": 2600}
LOCALES = {"zh": "zh-CN", "en": "en-US"}
TIMEOUT = 30_000
# `make screenshots` and the page visits write here (one file per page, language and tab).
SCREENSHOTS = REPO_ROOT / "screenshots"

HEALTH_TIMEOUT = 60.0
# Every server started by streamlit_server() in this process; conftest uses it to
# attach the logs of a failing test's servers to the pytest report.
RUNNING_SERVERS: list[StreamlitServer] = []


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class StreamlitServer:
    """A running `streamlit run` subprocess."""

    url: str
    port: int
    pid: int
    log_path: Path
    script: str
    process: subprocess.Popen = field(repr=False)

    def log(self) -> str:
        """The server's combined stdout/stderr so far."""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as resp:
            return resp.status == 200 and resp.read().strip() == b"ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


@contextlib.contextmanager
def streamlit_server(
    script: str | os.PathLike[str] = "dashboard.py",
    env: Mapping[str, str] | None = None,
    cwd: str | os.PathLike[str] = REPO_ROOT,
    extra_args: Sequence[str] = (),
    timeout: float = HEALTH_TIMEOUT,
) -> Iterator[StreamlitServer]:
    """Run `streamlit run SCRIPT` on a free port until the block exits.

    `env` is merged over os.environ. `extra_args` come after the defaults, so e.g.
    ``["--server.fileWatcherType", "auto"]`` overrides the default ``none``.
    """
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        # Plain Python tracebacks in the log (rich output is forced-colour ANSI).
        "--logger.enableRich",
        "false",
        *extra_args,
    ]
    full_env = {**os.environ, **(env or {})}
    full_env.setdefault("PYTHONUNBUFFERED", "1")
    log_fd, log_name = tempfile.mkstemp(prefix=f"streamlit-{port}-", suffix=".log")
    log_path = Path(log_name)
    with os.fdopen(log_fd, "wb") as log_file:
        process = subprocess.Popen(
            cmd, cwd=cwd, env=full_env, stdout=log_file, stderr=subprocess.STDOUT
        )
    server = StreamlitServer(
        url=f"http://127.0.0.1:{port}/",
        port=port,
        pid=process.pid,
        log_path=log_path,
        script=str(script),
        process=process,
    )
    RUNNING_SERVERS.append(server)
    try:
        deadline = time.monotonic() + timeout
        while not _healthy(port):
            if process.poll() is not None:
                pytest.fail(
                    f"streamlit exited with code {process.returncode} before becoming healthy:\n"
                    f"{server.log()}",
                    pytrace=False,
                )
            if time.monotonic() > deadline:
                pytest.fail(
                    f"streamlit not healthy on port {port} after {timeout:.0f}s:\n{server.log()}",
                    pytrace=False,
                )
            time.sleep(0.2)
        yield server
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    """End a server process: terminate, and kill it if it has not gone after 10 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@cache
def real_fact_base():
    """The fact base the dashboard serves (data/facts.yaml or $HAIXI_FACTS), loaded once."""
    from haixi.loader import load
    from haixi.paths import facts_path

    return load(facts_path())


def shipped_line_of(quote: str) -> int:
    """The line of the shipped sources (data/sources/) a quote is on, counted in the text
    itself: what the dashboard should show beside it."""
    from haixi.paths import DEFAULT_SOURCES

    for path in sorted(DEFAULT_SOURCES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if quote in text:
            return text.count("\n", 0, text.index(quote)) + 1
    raise AssertionError(f"quote not in data/sources: {quote!r}")


def chromium_available() -> bool:
    """True if /usr/bin/chromium exists and python playwright can be imported."""
    return CHROMIUM.exists() and importlib.util.find_spec("playwright") is not None


def _required(var: str) -> bool:
    return os.environ.get(var, "").strip().lower() not in ("", "0", "false", "no")


def require_browser() -> None:
    """Skip the test without Chromium, or fail it when HAIXI_REQUIRE_BROWSER or CI is set."""
    if chromium_available():
        return
    if not CHROMIUM.exists():
        reason = f"Chromium not installed at {CHROMIUM}"
    else:
        reason = "python playwright is not installed"
    if _required("HAIXI_REQUIRE_BROWSER") or _required("CI"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def launch_browser(playwright):
    """Launch headless system Chromium through a sync Playwright instance."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )


# What wait_for_app reads in one round trip: the script state, the charts and how many are drawn,
# and the Suspense fallbacks (stSkeleton) of elements whose code is still loading. Streamlit
# loads an element's code (Plotly's among them) lazily, on its first use in the session; until it
# has come, the element is a skeleton and no stPlotlyChart exists, so a page just loaded can look
# idle with no chart to wait for (the chart-settling flake on a loaded machine).
LOADING = "[data-testid='stSkeleton'], [data-stale='true']"
_STATE_JS = """([idle, chart, loading]) => {
  const charts = [...document.querySelectorAll(chart)];
  return [document.querySelectorAll(idle).length === 1,
          charts.length,
          charts.filter(e => e.querySelector('.main-svg')).length,
          document.querySelectorAll(loading).length];
}"""
# The same read, polled inside the page (one round trip per wait, not one per poll: the tests
# are CPU-bound, and every poll from Python crossed Python, Playwright's driver and Chromium).
# It counts the polls in a row that saw the same settled state (chart count included) in
# window.__haixiSettle, keyed by this wait's token; it returns the chart count when settled.
_SETTLE_JS = """([idle, chart, loading, need, token]) => {
  const read = """ + _STATE_JS + """;
  const state = read([idle, chart, loading]);
  const key = JSON.stringify(state);
  let seen = window.__haixiSettle;
  if (!seen || seen.token !== token) seen = window.__haixiSettle = {token, key: null, polls: 0};
  const settled = state[0] && state[2] === state[1] && !state[3];
  seen.polls = settled && key === seen.key ? seen.polls + 1 : 0;
  seen.key = key;
  return seen.polls >= need ? {charts: state[1]} : false;
}"""
# wait_for_app polls every SETTLE_POLL_MS and wants the same settled state SETTLE_POLLS times in
# a row: the state flips to notRunning a moment before the last elements mount.
SETTLE_POLL_MS = 100
SETTLE_POLLS = 3
_waits = itertools.count()


def wait_for_app(page, timeout: float = 60000) -> int:
    """Wait until the script has finished and every Plotly chart is drawn; return the chart count.

    Settled: the script is not running, no element is a loading skeleton or stale, every chart
    has its .main-svg, and that state (chart count included) is seen SETTLE_POLLS polls in a row
    (polled in the page, _SETTLE_JS).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    token = f"{os.getpid()}-{next(_waits)}"
    try:
        handle = page.wait_for_function(
            _SETTLE_JS, arg=[APP_IDLE, PLOTLY_CHART, LOADING, SETTLE_POLLS, token],
            polling=SETTLE_POLL_MS, timeout=timeout,
        )
    except PlaywrightTimeout:
        idle, charts, drawn, loading = page.evaluate(_STATE_JS, [APP_IDLE, PLOTLY_CHART, LOADING])
        raise TimeoutError(
            f"app did not settle within {timeout / 1000:.0f}s "
            f"(idle={idle}, charts={charts}, drawn={drawn}, loading or stale={loading})"
        ) from None
    return int(handle.json_value()["charts"])


SECTION_TABS = "[data-testid='stMain'] [role='tab']"


def tab_labels(page) -> list[str]:
    """The labels of the page's section tabs (haixi.render_st.section_tabs), in order."""
    return [s.strip() for s in page.locator(SECTION_TABS).all_inner_texts()]


def open_tab(page, index: int, *, keyboard: bool = False, timeout: float = 60000) -> int:
    """Open the page's section tab `index` (a click, or the arrow keys from the open tab) and
    wait until its section is built and drawn; return wait_for_app's chart count.

    A tab only shows its section after a rerun, which starts with the section's h2. An arrow
    key opens the next tab at once (and reruns the page), so the keys go one at a time, each
    after the tab it opened is drawn."""
    tabs = page.locator(SECTION_TABS)
    labels = [t.strip() for t in tabs.all_inner_texts()]

    def drawn(label: str) -> int:
        page.locator("[data-testid='stMain'] [role='tabpanel'] h2").filter(
            has_text=label).first.wait_for(timeout=timeout)
        return wait_for_app(page, timeout)

    if not keyboard:
        tabs.nth(index).click()
        return drawn(labels[index])
    # From the open tab, where Tab brings the keyboard (the caller tabs to it).
    assert focused_role(page) == "tab"
    opened = labels.index(tabs.and_(page.locator("[aria-selected='true']")).inner_text().strip())
    charts = 0
    while opened != index:
        page.keyboard.press("ArrowRight" if index > opened else "ArrowLeft")
        opened += 1 if index > opened else -1
        charts = drawn(labels[opened])
        if focused_role(page) != "tab":
            refocus_tab(page, labels[opened])
    return charts


def focused_role(page) -> str | None:
    return page.evaluate("() => document.activeElement && document.activeElement.getAttribute('role')")


def refocus_tab(page, label: str) -> None:
    """Bring the keyboard back to the open tab after Streamlit dropped its focus, as a keyboard
    user would: Shift+Tab, then Tab.

    Streamlit 1.67 disables a tab while its block is stale, from the start of a rerun until
    the script reaches st.tabs again; when that outlasts a frame, Chromium blurs the focused
    (now disabled) tab and focus falls to the body. Seen in about 1 of 7 tab changes on a
    loaded 2-core machine; a warning says so, and the test still fails if the keys do not
    bring the keyboard back to the open tab."""
    warnings.warn(f"Streamlit dropped the keyboard focus from the tab {label!r} during its rerun; "
                  "Shift+Tab, Tab brought it back", stacklevel=3)
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    active = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused_role(page) == "tab" and active == label, (
        f"after Shift+Tab, Tab the focus is on {active!r}, not on the open tab {label!r}")


def error_elements(page) -> list[str]:
    """Texts of the exception boxes and st.error alerts currently on the page, one per box.

    An exception box (stException) wraps an stAlertContentError, so matches nested
    inside another match are dropped.
    """
    selector = ", ".join(ERROR_SELECTORS)
    texts = page.eval_on_selector_all(
        selector,
        """(els, sel) => els
            .filter(e => !(e.parentElement && e.parentElement.closest(sel)))
            .map(e => e.innerText.trim())""",
        selector,
    )
    return list(texts)


# --------------------------------------------------------------------------- accessibility

# axe-core rule sets the dashboard is held to: WCAG 2.1 A and AA, plus the best-practice
# rules (heading-order among them). Impacts that fail a test; the others are printed.
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice")
AXE_FAILING_IMPACTS = ("serious", "critical")
# Rules that fail a test whatever their impact: headings go h1 -> h2 -> h3 (DEVELOPERS.md).
AXE_FAILING_RULES = ("heading-order",)


def axe_violations(page, context: str | dict | None = None) -> list[dict]:
    """Run axe-core (as shipped by axe-playwright-python, pinned) on the page; its violations.

    Each violation is axe's own dict: id, impact, help, nodes (each with target and
    failureSummary). Needs no network: the script is injected from the installed package.
    """
    from axe_playwright_python.sync_playwright import Axe

    options = {
        "runOnly": {"type": "tag", "values": list(AXE_TAGS)},
        "resultTypes": ["violations"],
    }
    results = Axe().run(page, context=context, options=options)
    return list(results.response["violations"])


def describe_violations(violations: Sequence[dict], limit: int = 6) -> str:
    """Violations as readable lines: rule, impact, count, help, then the first elements."""
    lines = []
    for violation in violations:
        nodes = violation.get("nodes", [])
        lines.append(
            f"{violation['id']} ({violation.get('impact')}, {len(nodes)}): {violation['help']}"
        )
        for node in nodes[:limit]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {node.get('target')}: {summary[:240]}")
        if len(nodes) > limit:
            lines.append(f"    ... and {len(nodes) - limit} more")
    return "\n".join(lines)


def serious_violations(violations: Sequence[dict]) -> list[dict]:
    """The violations that fail a test: impact serious or critical, or a rule that always fails."""
    return [
        v
        for v in violations
        if v.get("impact") in AXE_FAILING_IMPACTS or v["id"] in AXE_FAILING_RULES
    ]


# --------------------------------------------------------------------------- privacy


def foreign_requests(urls: Sequence[str], own_host: str | None) -> list[str]:
    """The URLs that leave the machine: any host but `own_host` (file:, data:, blob: pass).

    `own_host` is the server's "127.0.0.1:<port>", over http or its websocket; None allows
    no host at all (the report opened from file://).
    """
    from urllib.parse import urlsplit

    foreign = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in ("file", "data", "blob", "about"):
            continue
        if own_host is None or parts.scheme not in ("http", "ws") or parts.netloc != own_host:
            foreign.append(url)
    return foreign


def check_axe(page, where: str) -> None:
    """Fail on serious or critical axe violations (and heading-order ones); print the others."""
    failing = axe_failures(axe_violations(page), where)
    assert not failing, f"axe, {where}:\n{describe_violations(failing)}"


def axe_failures(violations: Sequence[dict], where: str) -> list[dict]:
    """Print every violation's count (and the moderate/minor ones in full); return the failing."""
    counts = {v["id"]: len(v["nodes"]) for v in violations}
    print(f"\naxe, {where}: {counts}")
    failing = serious_violations(violations)
    others = [v for v in violations if v not in failing]
    if others:
        print(f"\naxe, {where}, moderate/minor:\n{describe_violations(others)}")
    return failing


class RequestLog:
    """Every URL a page requests, and a wait until its network has been quiet for a while.

    Playwright's "networkidle" is a load state: reached once after the page loaded, it is not
    waited for again, so requests a page makes later (a favicon, a font for a tab's text) need
    a watch of their own: requests in flight and the time of the last one started or ended."""

    def __init__(self, page):
        self.urls: list[str] = []
        self._in_flight = 0
        self._last = time.monotonic()
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)
        self._page = page

    def _started(self, request) -> None:
        self.urls.append(request.url)
        self._in_flight += 1
        self._last = time.monotonic()

    def _ended(self, _request) -> None:
        self._in_flight = max(self._in_flight - 1, 0)
        self._last = time.monotonic()

    def wait_quiet(self, quiet_ms: float = 500, timeout_ms: float = 10_000) -> None:
        """Wait until no request is in flight and none started or ended for `quiet_ms`
        (bounded by `timeout_ms`; a page whose traffic never stops fails the wait)."""
        deadline = time.monotonic() + timeout_ms / 1000
        while self._in_flight or time.monotonic() - self._last < quiet_ms / 1000:
            if time.monotonic() > deadline:
                raise TimeoutError(f"requests still going after {timeout_ms / 1000:.0f}s "
                                   f"({self._in_flight} in flight)")
            self._page.wait_for_timeout(50)  # lets Playwright deliver the events


# --------------------------------------------------------------------------- one visit


def cut_off(page) -> list[str]:
    """Metric labels and values too wide for their card (Streamlit cuts them with "…")."""
    return page.eval_on_selector_all(
        f"{MAIN} [data-testid='stMetric'] [data-testid='stMarkdownContainer']",
        "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)",
    )


def modal_dialogs(page) -> list[str]:
    """Texts of open modal dialogs, e.g. Streamlit's "Page not found" for an unknown path."""
    return [s.strip() for s in page.locator("[role='dialog']").all_inner_texts()]


@dataclass
class TabSeen:
    """What one section tab of a visited page showed (the whole page when it has no tabs)."""

    label: str
    errors: list[str]  # error_elements()
    charts: int  # Plotly charts, all drawn (wait_for_app / open_tab)
    boxes: list[dict | None]  # each chart's bounding box
    undrawn: list[int]  # charts without a drawn .main-svg when the tab was checked
    captions: list[str]  # the main column's captions (a chart's text alternative is one)
    metrics: list[str]  # metric values
    cut_off: list[str]
    violations: list[dict]  # axe's, every impact ([] when axe was not run)
    screenshot: Path | None
    text: str = ""  # the main column's text, as a reader sees it
    xticks: list[list[str]] = field(default_factory=list)  # each chart's x-axis tick labels
    ids: list[str] = field(default_factory=list)  # the main column's element ids, in order
    pinned: list[str] = field(default_factory=list)  # the source text of the pinned passages
    asked: list[str] = field(default_factory=list)  # ids of the annotated lines marked as asked


@dataclass
class Visit:
    """One visit of one page in a fresh browser context: what every browser check looks at."""

    url: str
    title: str  # the main column's h1
    nav: str  # the sidebar's page list
    modals: list[str]  # modal_dialogs() once the page settled
    tabs: list[TabSeen]
    requests: list[str]  # every URL the page requested, to the end of the visit
    dialogs: list[str]  # JavaScript dialogs (alert, confirm...) raised
    census: dict  # CENSUS_JS on the page as first drawn: data-testid counts per root
    sidebar: str = ""  # the whole sidebar's text (the page list, language, version, sources)
    document_title: str = ""  # the browser tab's title
    then: object = None  # what the visit's `then(page)` returned, once every tab was seen

    def where(self, tab: TabSeen) -> str:
        return self.url + (f", tab {tab.label!r}" if tab.label else "")


def visit(browser, url: str, *, locale: str, viewport: Mapping[str, int] = WIDE,
          every_tab: bool = True, axe: bool = True, screenshot: str | None = None,
          only: Sequence[str] | None = None, then: Callable | None = None) -> Visit:
    """Open `url` in a fresh context and look at it once for every page-wide check.

    With `every_tab`, each section tab is opened in turn (a tab's section is built only when
    opened). Per tab: the error elements, the charts, captions, metric values and cut-off
    metrics, axe-core's violations (`axe`) and a screenshot to SCREENSHOTS/<screenshot>[-i].png.
    `only` names the tabs to open (by label; None: every one). `then(page)`, when given, runs
    once every tab was seen (what it finds is `Visit.then`).
    Then the page is left to finish its network traffic (RequestLog.wait_quiet: nothing in flight
    for 500 ms, for the favicon and lazily loaded fonts), so `requests` holds every URL it asked
    for. `census` is the page's element census (bench.browser.CENSUS_JS) once it first settled,
    on its open tab: what the capacity benchmark's protocol client must count.
    """
    context = browser.new_context(viewport=dict(viewport), locale=locale)
    try:
        page = context.new_page()
        requests = RequestLog(page)
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(url)
        charts = wait_for_app(page)
        census = page.evaluate(CENSUS_JS)
        modals = modal_dialogs(page)
        heading = page.locator(f"{MAIN} h1").first
        heading.wait_for(timeout=TIMEOUT)
        title = heading.inner_text().strip()
        tabs = []
        labels = (tab_labels(page) if every_tab else []) or [""]
        for index, label in enumerate(labels):
            if only is not None and label not in only:
                continue
            if index:
                charts = open_tab(page, index)
            shot = None
            if screenshot:
                SCREENSHOTS.mkdir(exist_ok=True)
                shot = SCREENSHOTS / f"{screenshot}{f'-{index}' if index else ''}.png"
            tabs.append(_look(page, label, charts, shot, axe))
        nav = page.locator("[data-testid='stSidebar'] [data-testid='stSidebarNavItems']")
        nav_text = nav.inner_text() if nav.count() else ""
        side = page.locator("[data-testid='stSidebar']")
        sidebar = side.inner_text() if side.count() else ""
        document_title = page.title()
        found = then(page) if then is not None else None
        requests.wait_quiet()
        return Visit(url, title, nav_text, modals, tabs, list(requests.urls), list(dialogs),
                     census, sidebar, document_title, found)
    finally:
        context.close()


def _look(page, label: str, charts: int, screenshot: Path | None, axe: bool) -> TabSeen:
    """Everything one open tab shows that a check needs."""
    plots = page.locator(PLOTLY_CHART)
    undrawn = [i for i in range(plots.count()) if plots.nth(i).locator(".main-svg").count() == 0]
    boxes = [plots.nth(i).bounding_box() for i in range(plots.count())]
    seen = TabSeen(
        label=label,
        errors=error_elements(page),
        charts=charts,
        boxes=boxes,
        undrawn=undrawn,
        captions=[c.strip() for c in page.locator(
            f"{MAIN} [data-testid='stCaptionContainer']").all_inner_texts()],
        metrics=page.locator(f"{MAIN} [data-testid='stMetricValue']").all_inner_texts(),
        cut_off=cut_off(page),
        violations=[],
        screenshot=screenshot,
        text=page.locator(MAIN).inner_text(),
        xticks=[plots.nth(i).locator(".xtick text").all_text_contents()
                for i in range(plots.count())],
        ids=page.eval_on_selector_all(f"{MAIN} [id]", "els => els.map(e => e.id)"),
        pinned=page.locator(f"{MAIN} .annotated.pinned .source-text").all_inner_texts(),
        asked=page.eval_on_selector_all(f"{MAIN} .annotated:not(.pinned) .paragraph.asked",
                                        "els => els.map(e => e.id)"),
    )
    if screenshot:
        page.screenshot(path=str(screenshot))
    if axe:
        seen.violations = axe_violations(page)
    return seen


# --------------------------------------------------------------------------- page-wide checks


def page_problems(seen: Visit, name: str, lang: str, own_host: str,
                  summaries: set[str]) -> list[str]:
    """What no visited page may show, whatever the fact base: the title and sidebar in
    another language, a modal, an error element, a chart undrawn, too small or without its
    text alternative (its summary: one of `summaries`), a metric cut off, a serious axe
    violation, a JavaScript dialog, a request to a host but `own_host` ("127.0.0.1:<port>")."""
    from haixi.app import PAGES
    from haixi.i18n import t

    problems: list[str] = []

    def expect(ok: bool, what: str) -> None:
        if not ok:
            problems.append(what)

    # The language of the text: the title and every page in the sidebar.
    expect(seen.title == t(f"page.{name}", lang),
           f"title {seen.title!r}, not {t(f'page.{name}', lang)!r}")
    for other in PAGES:
        expect(t(f"page.{other}", lang) in seen.nav, f"sidebar lacks {t(f'page.{other}', lang)!r}")
    expect(seen.modals == [], f"modal dialogs: {seen.modals}")
    for tab in seen.tabs:
        where = seen.where(tab)
        expect(tab.errors == [], f"{where}: error elements {tab.errors}")
        expect(tab.undrawn == [], f"{where}: charts {tab.undrawn} not drawn")
        for box in tab.boxes:
            expect(bool(box) and box["width"] > 200 and box["height"] > 150,
                   f"{where}: a chart is too small: {box}")
        # Every chart has its text alternative beside it: its summary, in the page's language.
        alternatives = [c for c in tab.captions if c in summaries]
        expect(len(alternatives) == tab.charts,
               f"{where}: {tab.charts} charts, {len(alternatives)} chart summaries")
        expect(tab.cut_off == [], f"{where}: metrics cut off: {tab.cut_off}")
        failing = axe_failures(tab.violations, where)
        expect(not failing, f"axe, {where}:\n{describe_violations(failing)}")
    expect(seen.dialogs == [], f"JavaScript dialogs: {seen.dialogs}")
    expect(bool(seen.requests), "the page requested nothing: the recorder is not recording")
    foreign = foreign_requests(seen.requests, own_host)
    expect(foreign == [], f"requests to another host: {foreign}")
    return problems
