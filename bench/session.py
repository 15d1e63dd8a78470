"""In session: open an app once, click each sidebar link in turn, then change a filter and the
language on the projects page; each click timed until its rerun is drawn. The dashboard is
guarded against the baseline revision (no target against a floor: issue 29), with its own
frame over the floor's pages timed beside it."""

from __future__ import annotations

import asyncio

from bench import LANGS
from bench.browser import (
    cdp_metrics,
    chromium,
    metrics_delta,
    new_page,
    note_failure,
    page_url,
    time_to_drawn,
    timed_click,
)
from bench.cold import target_name
from bench.common import median, progress, rotated
from bench.floors import FILTER_PAGE
from bench.targets import all_failures, compare, confirmation, guarded

NAV_LINKS = "[data-testid='stSidebarNav'] a"
# The app whose projects page has the floor's selectbox (no filters, no language step): the
# dashboard's frame over the floor's pages (bench/floors.py).
FRAME = "frame"
MAIN = "[data-testid='stMain']"


def click_order(pages: tuple[str, ...]) -> list[str]:
    """The pages in the order they are clicked after opening the first (the default page):
    every other page, then the default page again, the filter page last (its controls next)."""
    rest = [p for p in pages[1:] if p != FILTER_PAGE]
    return [*rest, pages[0], FILTER_PAGE]


async def _timed(page, cdp, locator, **expect) -> dict:
    before = await cdp_metrics(cdp)
    found = await timed_click(page, locator, **expect)
    found.update(metrics_delta(before, await cdp_metrics(cdp)))
    return found


OPTION_TRIES = 3


async def _pick(page, cdp, opener, title: str) -> dict:
    """Open a select or multiselect, then time the click on its first option not chosen (the
    floor's selectbox shows its value as a chosen option; a multiselect lists only the others).

    Under load the open list can be drawn anew between finding an option and clicking it, or a
    click can start no rerun in LOST_AFTER seconds: the list is closed and opened again, up to
    OPTION_TRIES times, and "reopened" says how often. The click is never repeated on the
    option itself: the list closes once it is clicked, and the repeat waited for an option that
    was no longer there (3 of 10 floor sessions failed so in the run of 2026-12-03), and the
    value it picked may be chosen by then, hence the first option not chosen, found anew."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    for attempt in range(OPTION_TRIES):
        await opener.click()
        option = page.get_by_role("option", selected=False).first
        try:
            await option.wait_for(timeout=10_000)
            found = await _timed(page, cdp, option, title=title, click_timeout=10,
                                 retries_lost=0)
            found["reopened"] = attempt
            return found
        except (PlaywrightTimeout, TimeoutError):  # Playwright's, or a lost click's (browser.py)
            if attempt == OPTION_TRIES - 1:
                raise
            await page.keyboard.press("Escape")


def wanted(keep: list[str] | None, lang: str) -> set[str] | None:
    """The steps (names without the language) a confirmation round needs in `lang`, out of
    `keep` ("step/lang" keys); None: every step (a section's first rounds)."""
    if keep is None:
        return None
    return {key.rsplit("/", 1)[0] for key in keep if key.endswith(f"/{lang}")}


async def one_session(browser, url: str, lang: str, pages: tuple[str, ...], expect: dict,
                      kind: str, steps: dict[str, dict], until: set[str] | None = None
                      ) -> dict[str, dict]:
    """One reader's session; `expect[page/lang]` has each page's title and charts (from the
    census); `kind` is "dashboard" (a multiselect filter and the language switch) or "frame"
    (the floor's selectbox). Fills `steps` (step name -> timed record) as it goes, so a step
    that fails keeps the ones timed before it. With `until` (step names), the session ends
    once all of them are timed: a confirmation round walks only as far as its last step."""

    def done() -> bool:
        return until is not None and until <= steps.keys()

    context, page, cdp = await new_page(browser)
    try:
        opened = await time_to_drawn(page, page_url(url, pages[0], lang), expect_title=True)
        steps["open"] = {"ms": opened["rendered_s"] * 1000}
        links = page.locator(NAV_LINKS)
        for name in click_order(pages):
            if done():
                return steps
            want = expect[target_name(name, lang)]
            steps[f"switch {name}"] = await _timed(
                page, cdp, links.nth(pages.index(name)), title=want["title"],
                charts=want["charts"])
        if done():
            return steps
        title = expect[target_name(FILTER_PAGE, lang)]["title"]
        if kind == FRAME:
            steps["select"] = await _pick(
                page, cdp, page.locator(f"{MAIN} [data-testid='stSelectbox']").first, title)
            return steps
        steps["filter"] = await _pick(
            page, cdp, page.locator(f"{MAIN} [data-testid='stMultiSelect']").first.locator("input"),
            title)
        if done():
            return steps
        await page.keyboard.press("Escape")
        other = next(x for x in LANGS if x != lang)
        radio = page.locator("[data-testid='stSidebar'] [role='radio'][aria-checked='false']")
        steps["lang switch"] = await _timed(
            page, cdp, radio.first, title=expect[target_name(FILTER_PAGE, other)]["title"])
        return steps
    finally:
        await context.close()


async def _rounds(browser, servers: dict, apps: list[str], langs: tuple[str, ...],
                  rounds: range, census: dict, pages: tuple[str, ...], app_pages: dict,
                  raw: dict, keep: list[str] | None = None) -> None:
    """In each round, for each language, one session per app, the order rotating; the steps
    timed in rounds >= 0 (all, or those of `keep`, each session walking only as far as the last
    of them: `wanted`) go to `raw["samples"]` (app -> step/lang -> records), failures to
    `raw["failures"]`."""
    for rep in rounds:
        for k, lang in enumerate(langs):
            for app in rotated(apps, rep + k):
                kind = FRAME if app == FRAME else "dashboard"
                steps: dict[str, dict] = {}
                try:
                    await one_session(browser, servers[app].url, lang, app_pages.get(app, pages),
                                      census[app], kind, steps, wanted(keep, lang))
                except Exception as exc:  # noqa: BLE001 - recorded, reported
                    # The steps timed before the failure still count.
                    note_failure(raw["failures"], f"{app}/{lang}", exc)
                if rep < 0:
                    continue
                for step, record in steps.items():
                    if keep is None or f"{step}/{lang}" in keep:
                        record["round"] = rep
                        raw["samples"].setdefault(app, {}).setdefault(f"{step}/{lang}",
                                                                      []).append(record)


def _guarded_steps(by_step: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The steps guarded against the baseline: all but the session's opening load (the cold
    loads guard that)."""
    return {step: records for step, records in by_step.items() if not step.startswith("open")}


def session_section(servers: dict, apps: list[str], census: dict, pages: tuple[str, ...],
                    reps: int, warmup: int = 1, app_pages: dict | None = None) -> dict:
    """`reps` rounds (after `warmup`); in each, one session per app and language, the apps
    side by side, the order rotating. `census[app][page/lang]`: what each page shows. Then
    the confirmation rounds (bench/targets.py CONFIRM_FACTOR): the dashboard's and the
    baseline's sessions again, in the languages of the steps over the tolerance, those
    steps kept."""
    app_pages = app_pages or {}

    async def main() -> dict:
        raw: dict = {"samples": {}, "failures": {}}
        progress(f"in session: {len(apps)} apps x {len(LANGS)} languages x {reps} rounds, "
                 f"after {warmup} warm-up round(s)")
        async with chromium() as browser:
            await _rounds(browser, servers, apps, LANGS, range(-warmup, reps), census, pages,
                          app_pages, raw)
            guard = {app: _guarded_steps(by_step) for app, by_step in raw["samples"].items()}
            again = raw["again"] = confirmation(guard, reps, "in session")
            if again["keys"]:
                progress(again["note"])
                langs = tuple(x for x in LANGS if any(k.endswith(f"/{x}") for k in again["keys"]))
                await _rounds(browser, servers, ["dashboard", "baseline"], langs,
                              again["rounds"], census, pages, app_pages, again,
                              keep=again["keys"])
        return raw

    raw = asyncio.run(main())
    return summarise(raw, reps, apps, pages)


def summarise(raw: dict, reps: int, apps: list[str], pages: tuple[str, ...]) -> dict:
    samples = raw["samples"]

    def med(records: list[dict], key: str) -> float | None:
        return median([r[key] for r in records if r.get(key) is not None])

    steps = {
        app: {step: {"ms": med(rs, "ms"), "ms_all": [round(r["ms"]) for r in rs],
                     "main_thread_s": med(rs, "main_thread_s"), "js_s": med(rs, "js_s"),
                     "dom_nodes": med(rs, "dom_nodes"),
                     "retries": sum(r.get("retries", 0) + r.get("reopened", 0) for r in rs)}
              for step, rs in by_step.items()}
        for app, by_step in samples.items()
    }
    dash, frame, old = (samples.get(app, {}) for app in ("dashboard", FRAME, "baseline"))
    # The dashboard against its frame over the floor's pages (no target): what the content
    # costs on top of the frame; the filter change and the language switch against the
    # frame's selectbox.
    vs_frame = {target_name(name, lang): compare(dash[key], frame[key])
                for name in click_order(pages) for lang in LANGS
                if (key := f"switch {name}/{lang}") in dash and key in frame}
    for lang in LANGS:
        for step in ("filter", "lang switch"):
            key, ref = f"{step}/{lang}", f"select/{lang}"
            if key in dash and ref in frame:
                vs_frame[key] = compare(dash[key], frame[ref])
    vs_baseline = {step.removeprefix("switch "): c
                   for step, c in guarded(_guarded_steps(dash), old, raw.get("again", {})).items()}
    return {
        "reps": reps,
        "apps": apps,
        "order": click_order(pages),
        "steps": steps,
        "vs_frame": vs_frame,
        "vs_baseline": vs_baseline,
        "confirmed": raw.get("again", {}).get("keys", []),
        "failures": all_failures(raw),
    }
