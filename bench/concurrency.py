"""Many readers at once against one dashboard server: time to drawn, errors, server CPU and RSS."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from pathlib import Path

from bench import LANGS
from bench.browser import VIEWPORT, chromium, fresh_load, page_url, time_to_drawn
from bench.common import percentile, progress, rss_mb

POLL_CONCURRENT = 0.2
LOAD_TIMEOUT = 180.0
CONCURRENCY_DEADLINE = 420.0  # seconds: no new load starts after this


def concurrency_section(sessions: int, loads: int, server, warm: bool,
                        pages: tuple[str, ...]) -> dict:
    """N readers at once against one dashboard server (warmed up: every page loaded once).

    Session i starts at page i mod the number of pages, English for even i, Chinese for odd."""
    plan = [
        [(pages[(s + k) % len(pages)], LANGS[s % 2]) for k in range(loads)]
        for s in range(sessions)
    ]

    async def main(server) -> dict:
        async with chromium() as browser:
            if not warm:
                progress("concurrency: warm-up, one load of every page in both languages")
                for page in pages:
                    for lang in LANGS:
                        await fresh_load(browser, page_url(server.url, page, lang), True)
            await asyncio.sleep(3)
            rss_before = rss_mb(server.pid)
            progress(f"concurrency: {sessions} sessions x {loads} loads at once")
            contexts = [
                await browser.new_context(viewport=VIEWPORT)
                for _ in range(sessions)
            ]
            cpu = _CpuSampler(server.pid)
            cpu.start()
            start = time.perf_counter()
            deadline = start + CONCURRENCY_DEADLINE

            async def reader(index: int) -> list[dict]:
                page = await contexts[index].new_page()
                done = []
                for page_name, lang in plan[index]:
                    url = page_url(server.url, page_name, lang)
                    if time.perf_counter() > deadline:
                        done.append({"error": "not run: the burst's time bound was reached",
                                     "session": index, "page": page_name, "lang": lang})
                        continue
                    try:
                        record = await time_to_drawn(
                            page, url, expect_title=True, poll=POLL_CONCURRENT,
                            timeout=LOAD_TIMEOUT,
                        )
                        record["error"] = "error element on page" if record["errors"] else ""
                    except Exception as exc:  # noqa: BLE001 - counted as an error
                        record = {"error": f"{type(exc).__name__}: {str(exc)[:200]}"}
                    record.update(session=index, page=page_name, lang=lang)
                    done.append(record)
                return done

            results = await asyncio.gather(*(reader(i) for i in range(sessions)))
            wall = time.perf_counter() - start
            cpu.stop()
            await asyncio.sleep(2)
            rss_connected = rss_mb(server.pid)
            for context in contexts:
                await context.close()
            await asyncio.sleep(5)
            rss_closed = rss_mb(server.pid)
        return {
            "records": [r for session in results for r in session],
            "wall_s": wall,
            "rss_before_mb": rss_before,
            "rss_connected_mb": rss_connected,
            "rss_closed_mb": rss_closed,
            "server_cpu_s": cpu.cpu_s,
            "rss_peak_mb": cpu.rss_peak,
        }

    rss_start = rss_mb(server.pid)
    tracebacks_before = server.log().count("Traceback")
    raw = asyncio.run(main(server))
    server_log = server.log()
    records = raw["records"]
    ok = [r["rendered_s"] for r in records if not r["error"]]
    errors = [r for r in records if r["error"]]
    per_session = None
    if raw["rss_before_mb"] is not None and raw["rss_connected_mb"] is not None:
        per_session = (raw["rss_connected_mb"] - raw["rss_before_mb"]) / sessions
    return {
        "sessions": sessions,
        "loads_per_session": loads,
        "driver": "one Chromium, one context per session, asyncio Playwright",
        "poll_s": POLL_CONCURRENT,
        "loads": len(records),
        "errors": len(errors),
        "error_samples": [f"{r['page']}/{r['lang']}: {r['error']}" for r in errors[:10]],
        "server_tracebacks": server_log.count("Traceback") - tracebacks_before,
        "p50_ms": (percentile(ok, 50) or 0) * 1000 if ok else None,
        "p95_ms": (percentile(ok, 95) or 0) * 1000 if ok else None,
        "max_ms": max(ok) * 1000 if ok else None,
        "wall_s": raw["wall_s"],
        "server_cpu_s": raw["server_cpu_s"],
        "rss_server_start_mb": rss_start,
        "rss_before_mb": raw["rss_before_mb"],
        "rss_connected_mb": raw["rss_connected_mb"],
        "rss_peak_mb": raw["rss_peak_mb"],
        "rss_closed_mb": raw["rss_closed_mb"],
        "rss_per_session_mb": per_session,
        "rendered_ms_all": [round(x * 1000) for x in ok],
    }


class _CpuSampler:
    """CPU seconds and peak RSS of a process while a block runs (from /proc)."""

    def __init__(self, pid: int):
        self.pid = pid
        self.rss_peak: float | None = None
        self.cpu_s: float | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._start_cpu = self._cpu()

    def _cpu(self) -> float | None:
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def _run(self) -> None:
        while not self._stop.wait(0.25):
            rss = rss_mb(self.pid)
            if rss is not None:
                self.rss_peak = max(self.rss_peak or 0.0, rss)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        end = self._cpu()
        if end is not None and self._start_cpu is not None:
            self.cpu_s = end - self._start_cpu

