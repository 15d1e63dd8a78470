"""Timing in headless Chromium: loads until drawn, clicks until redrawn, element census, CDP."""

from __future__ import annotations

import asyncio
import contextlib
import time

SETTLE = 0.4  # seconds the drawn state must hold before it counts
POLL = 0.05
LOAD_TIMEOUT = 90.0
VIEWPORT = {"width": 1280, "height": 900}
LOST_AFTER = 10.0  # seconds after a click with no rerun begun: the click was lost
CLICK_RETRIES = 2

# Time to drawn after page.goto, polled from Python: the script has finished (stApp
# notRunning), no lazily loaded element is still a skeleton (Plotly and the data grid are
# separate JS chunks), nothing is stale, every Plotly chart has drawn its SVG, and this has
# held for SETTLE seconds. The time reported is the first poll of that settled state.
PROBE_JS = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app) return null;
  const charts = document.querySelectorAll("[data-testid='stPlotlyChart']");
  let drawn = 0;
  for (const c of charts) if (c.querySelector(".main-svg")) drawn++;
  const h1 = document.querySelector("[data-testid='stMain'] h1");
  return {
    state: app.getAttribute("data-test-script-state"),
    charts: charts.length,
    drawn: drawn,
    skeletons: document.querySelectorAll("[data-testid='stSkeleton']").length,
    stale: document.querySelectorAll("[data-stale='true']").length,
    errors: document.querySelectorAll(
      "[data-testid='stException'], [data-testid='stAlertContentError']").length,
    title: h1 ? h1.textContent.trim() : "",
  };
}"""

# Every [data-testid] value in the main area and in the sidebar, counted: what a page mounts.
CENSUS_JS = """() => {
  const count = (root) => {
    const found = {};
    if (!root) return found;
    for (const el of root.querySelectorAll("[data-testid]")) {
      const k = el.getAttribute("data-testid");
      found[k] = (found[k] || 0) + 1;
    }
    return found;
  };
  return {
    main: count(document.querySelector("[data-testid='stMain']")),
    sidebar: count(document.querySelector("[data-testid='stSidebar']")),
    dom_nodes: document.getElementsByTagName("*").length,
  };
}"""

# Before a timed click: note the time of the next pointerdown (the click itself, in the page's
# own clock), the title shown, and watch the script state anywhere in the document (the app's
# root may be mounted anew), so that a rerun is seen even when it is quick.
ARM_JS = """() => {
  const h1 = document.querySelector("[data-testid='stMain'] h1");
  const b = window.__bench = {t0: null, sawRunning: false,
                              titleBefore: h1 ? h1.textContent.trim() : ""};
  document.addEventListener("pointerdown", () => { if (b.t0 === null) b.t0 = performance.now(); },
                            {capture: true, once: true});
  b.observer = new MutationObserver((records) => {
    for (const r of records)
      if (r.target.getAttribute("data-test-script-state") === "running") b.sawRunning = true;
  });
  b.observer.observe(document.body, {attributes: true, subtree: true,
                                     attributeFilter: ["data-test-script-state"]});
}"""

# After the click: poll in the page (no round trip per poll) until a rerun has been seen (the
# script state "running", or the expected new title in place of the old one), the script
# finished, nothing stale or skeleton, every chart drawn (and, if given, as many charts as
# expected and the expected title), held for `settle` ms; ms from the click to the first moment
# of that state.
UNTIL_DRAWN_JS = """async ({title, charts, settle, timeout, lostAfter}) => {
  const b = window.__bench;
  const start = performance.now();
  let since = null, last = null;
  while (performance.now() - start < timeout) {
    const app = document.querySelector("[data-testid='stApp']");
    const all = document.querySelectorAll("[data-testid='stPlotlyChart']");
    let drawn = 0;
    for (const c of all) if (c.querySelector(".main-svg")) drawn++;
    const h1 = document.querySelector("[data-testid='stMain'] h1");
    const text = h1 ? h1.textContent.trim() : "";
    const state = app && app.getAttribute("data-test-script-state");
    if (state === "running") b.sawRunning = true;
    const rerun = b.sawRunning || (title !== null && text === title && text !== b.titleBefore);
    last = {state, charts: all.length, drawn, title: text, sawRunning: b.sawRunning,
            clicked: b.t0 !== null};
    const ok = b.t0 !== null && rerun && state === "notRunning"
      && drawn === all.length && (charts === null || all.length === charts)
      && (title === null || text === title)
      && !document.querySelector("[data-stale='true'], [data-testid='stSkeleton']");
    const now = performance.now();
    if (!rerun && text === b.titleBefore && now - start > lostAfter) {
      b.observer.disconnect();
      return {error: "lost", last};
    }
    if (ok) {
      if (since === null) since = now;
      if (now - since >= settle) {
        b.observer.disconnect();
        return {ms: since - b.t0, charts: all.length, title: text};
      }
    } else {
      since = null;
    }
    await new Promise(r => setTimeout(r, 10));
  }
  b.observer.disconnect();
  return {error: "not drawn in time", last};
}"""


@contextlib.asynccontextmanager
async def chromium():
    """Headless Debian Chromium through async Playwright, closed when the block exits."""
    from playwright.async_api import async_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


def note_failure(failures: dict[str, list[str]], name: str, exc: Exception) -> None:
    """Keep a failed measurement's error for the report instead of stopping the run."""
    failures.setdefault(name, []).append(f"{type(exc).__name__}: {str(exc)[:300]}")


def page_url(base_url: str, page: str | None, lang: str | None) -> str:
    """A page's own address: the overview (the default page) at "/", the others at their name."""
    if page is None:
        return base_url
    path = "" if page == "overview" else page
    return f"{base_url}{path}?lang={lang}"


async def time_to_drawn(page, url: str, *, expect_title: bool, poll: float = POLL,
                        timeout: float = LOAD_TIMEOUT) -> dict:
    """page.goto(url), then poll until drawn (see PROBE_JS); seconds from goto to drawn."""
    from playwright.async_api import Error as PlaywrightError

    start = time.perf_counter()
    await page.goto(url, wait_until="commit", timeout=timeout * 1000)
    deadline = start + timeout
    settled_key, settled_at, snap = None, 0.0, None
    while True:
        try:
            snap = await page.evaluate(PROBE_JS)
        except PlaywrightError:
            snap = None  # navigating: no document to ask yet
        now = time.perf_counter()
        ready = (
            snap is not None
            and snap["state"] == "notRunning"
            and snap["skeletons"] == 0
            and snap["stale"] == 0
            and snap["drawn"] == snap["charts"]
            and (bool(snap["title"]) or not expect_title)
        )
        if ready:
            key = (snap["charts"], snap["errors"], snap["title"])
            if key != settled_key:
                settled_key, settled_at = key, now
            elif now - settled_at >= SETTLE:
                return {"rendered_s": settled_at - start, "confirmed_s": now - start,
                        "charts": snap["charts"], "errors": snap["errors"],
                        "title": snap["title"]}
        else:
            settled_key = None
        if now > deadline:
            raise TimeoutError(f"{url} not drawn after {timeout:.0f}s (last state {snap})")
        await asyncio.sleep(poll)


async def cdp_metrics(cdp) -> dict:
    """Chromium's own counters (CDP Performance.getMetrics) that say where the time went."""
    metrics = await cdp.send("Performance.getMetrics")
    found = {m["name"]: m["value"] for m in metrics["metrics"]}
    return {
        "js_s": found.get("ScriptDuration"),
        "main_thread_s": found.get("TaskDuration"),
        "layout_style_s": found.get("LayoutDuration", 0) + found.get("RecalcStyleDuration", 0),
        "dom_nodes": found.get("Nodes"),
    }


def metrics_delta(before: dict, after: dict) -> dict:
    """The counters' growth between two cdp_metrics() answers (DOM nodes: the later count)."""
    out = {}
    for key in ("js_s", "main_thread_s", "layout_style_s"):
        a, b = before.get(key), after.get(key)
        out[key] = None if a is None or b is None else b - a
    out["dom_nodes"] = after.get("dom_nodes")
    return out


async def new_page(browser):
    """A fresh context (no cache, no cookies) with one page and a CDP session on it."""
    context = await browser.new_context(viewport=VIEWPORT)
    page = await context.new_page()
    cdp = await context.new_cdp_session(page)
    await cdp.send("Performance.enable")
    return context, page, cdp


async def fresh_load(browser, url: str, expect_title: bool, census: bool = False) -> dict:
    """One load in a fresh context, with Chromium's counters and, if asked, the element census."""
    context, page, cdp = await new_page(browser)
    try:
        record = await time_to_drawn(page, url, expect_title=expect_title)
        record.update(await cdp_metrics(cdp))
        if census:
            record["census"] = await page.evaluate(CENSUS_JS)
        return record
    finally:
        await context.close()


async def timed_click(page, locator, *, title: str | None = None, charts: int | None = None,
                      timeout: float = LOAD_TIMEOUT, click_timeout: float = 30.0,
                      retries_lost: int = CLICK_RETRIES) -> dict:
    """Click `locator` and wait in the page until the rerun it starts is drawn (UNTIL_DRAWN_JS);
    ms from the click's pointerdown, in the page's own clock.

    Now and then a click right after a load starts no rerun at all (seen once on the floor in a
    smoke run): when no rerun has begun LOST_AFTER seconds after it, the click is made again,
    up to `retries_lost` times, and the record says how often ("retries"). An option of an open
    list is gone once clicked, so its caller passes 0 and opens the list again itself."""
    retries = 0
    while True:
        await page.evaluate(ARM_JS)
        await locator.click(timeout=click_timeout * 1000)
        found = await page.evaluate(
            UNTIL_DRAWN_JS,
            {"title": title, "charts": charts, "settle": SETTLE * 1000,
             "timeout": timeout * 1000, "lostAfter": LOST_AFTER * 1000},
        )
        if found.get("error") != "lost" or retries >= retries_lost:
            break
        retries += 1
    if "error" in found:
        raise TimeoutError(f"{found['error']}: last state {found['last']}")
    found["retries"] = retries
    return found
