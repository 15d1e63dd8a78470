"""Cold loads: a fresh browser context per load, the page's own URL, until drawn; and the
census (what each page mounts) that the floor's shape is taken from."""

from __future__ import annotations

import asyncio

from bench import LANGS
from bench.browser import chromium, fresh_load, note_failure, page_url
from bench.common import median, progress, rotated
from bench.targets import all_failures, compare, confirmation, guarded


def target_name(page: str, lang: str) -> str:
    return f"{page}/{lang}"


def census(servers: dict, pages: tuple[str, ...]) -> dict:
    """One load of every page in both languages on every server (which warms it up): the
    charts drawn, the title, every [data-testid] counted, Chromium's counters."""

    async def main() -> dict:
        found: dict[str, dict] = {}
        async with chromium() as browser:
            for app, server in servers.items():
                progress(f"census: {app}, {len(pages) * len(LANGS)} pages")
                for page in pages:
                    for lang in LANGS:
                        url = page_url(server.url, page, lang)
                        record = await fresh_load(browser, url, True, census=True)
                        record["ms"] = record["rendered_s"] * 1000
                        found.setdefault(app, {})[target_name(page, lang)] = record
        return found

    return asyncio.run(main())


def chart_counts(found: dict, pages: tuple[str, ...]) -> dict[str, dict[str, int]]:
    """page -> lang -> charts drawn, from one app's census."""
    return {page: {lang: found[target_name(page, lang)]["charts"] for lang in LANGS}
            for page in pages}


async def _loads(browser, servers: dict, units: list[list[tuple]], rounds: range,
                 raw: dict) -> None:
    """In each round every unit (the same page and language on each app) loaded, the units'
    order and the apps' in each rotating; records to `raw["samples"]` (app -> page/lang ->
    records), failures to `raw["failures"]`."""
    for rep in rounds:
        for unit in rotated(units, rep):
            for app, page, lang in rotated(unit, rep):
                name = target_name(page, lang)
                url = page_url(servers[app].url, page, lang)
                try:
                    record = await fresh_load(browser, url, True)
                except Exception as exc:  # noqa: BLE001 - recorded, reported
                    note_failure(raw["failures"], f"{app} {name}", exc)
                    continue
                record.update(round=rep, ms=record["rendered_s"] * 1000)
                raw["samples"].setdefault(app, {}).setdefault(name, []).append(record)


def cold_section(servers: dict, paired: list[str], pages: tuple[str, ...], reps: int,
                 app_pages: dict | None = None) -> dict:
    """`reps` rounds; in each, every page and language loaded on every app of `paired`
    (dashboard, floor, baseline: side by side, the order rotating). Then the confirmation
    rounds (bench/targets.py CONFIRM_FACTOR): the pages over the tolerance against the
    baseline loaded again on the dashboard and the baseline."""
    app_pages = app_pages or {}
    units = [[(app, page, lang) for app in paired if page in app_pages.get(app, pages)]
             for page in pages for lang in LANGS]

    async def main() -> dict:
        raw: dict = {"samples": {}, "failures": {}}
        progress(f"cold loads: {sum(map(len, units))} loads x {reps} rounds")
        async with chromium() as browser:
            await _loads(browser, servers, units, range(reps), raw)
            again = raw["again"] = confirmation(raw["samples"], reps, "cold loads")
            if again["keys"]:
                progress(again["note"])
                more = [[(app, *key.split("/")) for app in ("dashboard", "baseline")]
                        for key in again["keys"]]
                await _loads(browser, servers, more, again["rounds"], again)
        return raw

    raw = asyncio.run(main())
    return summarise(raw, reps, paired)


def _row(records: list[dict]) -> dict:
    def med(key: str) -> float | None:
        return median([r[key] for r in records if r.get(key) is not None])

    return {
        "ms": med("ms"),
        "ms_all": [round(r["ms"]) for r in records],
        "js_s": med("js_s"),
        "main_thread_s": med("main_thread_s"),
        "layout_style_s": med("layout_style_s"),
        "dom_nodes": max((r.get("dom_nodes") or 0 for r in records), default=0),
        "charts": max((r["charts"] for r in records), default=0),
        "errors": max((r["errors"] for r in records), default=0),
        "title": records[-1]["title"] if records else "",
    }


def summarise(raw: dict, reps: int, paired: list[str]) -> dict:
    samples = raw["samples"]
    apps = {app: {name: _row(rs) for name, rs in by_name.items()}
            for app, by_name in samples.items()}
    dash = samples.get("dashboard", {})

    def versus(other: str) -> dict:
        theirs = samples.get(other, {})
        return {name: compare(rs, theirs[name]) for name, rs in dash.items() if name in theirs}

    return {
        "reps": reps,
        "paired": paired,
        "apps": apps,
        "vs_floor": versus("floor"),
        "vs_baseline": guarded(dash, samples["baseline"], raw.get("again", {}))
        if "baseline" in paired and "baseline" in samples else {},
        "confirmed": raw.get("again", {}).get("keys", []),
        "failures": all_failures(raw),
    }
