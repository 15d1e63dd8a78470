"""`python -m bench` (`make bench`): run the sections, write bench/results.md and, raw,
bench/out/results.json.

Every measurement is set against another measured in the same run, in interleaved rounds:

- script: the dashboard's script time per page (AppTest, server side) against a one-line page;
- cold: cold loads of every page against Streamlit's own app of the dashboard's shape (1.3x);
- session: page switches, a filter change and the language switch in one reader's session,
  with the dashboard's own frame over that app's pages timed beside them (no target of
  their own: with `--baseline`, each within 1.1x of the baseline's);
- concurrency: many readers at once against one server (errors, RSS per session);
- growth: load + validate time of the fact file at 1x, 10x and 100x its size;
- capacity: readers ramped on Streamlit's websocket protocol against the one-line app
  (bench/capacity.py; `--capacity-url` runs it against a server already up, e.g. a balancer).

`--baseline REV` also serves and times the dashboard as it was at REV, in the same rounds.
Every app is served as the project serves it (its .streamlit/config.toml; `--file-watcher`
overrides the file watcher of all of them, to compare serving configurations).
`--quick` (or BENCH_QUICK=1) is a smoke run: the fewest rounds and loads. A smoke run or a run
of some sections only writes bench/out/results-partial.*; `--render` rewrites
bench/results.md from bench/out/results.json without measuring.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import sys
import time
import traceback
from pathlib import Path

from bench import BENCH, OUT, REPO, SECTIONS
from bench.common import loadavg, machine_info, progress, versions
from bench.report import fmt_ratio, fmt_verdict, render
from bench.targets import collect

BROWSER_SECTIONS = {"cold", "session", "concurrency"}
# (full run, quick run) of every count a run can be given.
COUNTS = {
    "script_reps": (15, 1),
    "cold_reps": (7, 1),
    "session_reps": (7, 1),
    "warmup": (1, 0),
    "sessions": (20, 2),
    "loads": (3, 1),
    "growth_reps": (5, 1),
    "capacity_rounds": (3, 1),
}


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sections", default=",".join(SECTIONS),
                        help=f"comma-separated subset of {', '.join(SECTIONS)}")
    parser.add_argument("--quick", action="store_true",
                        default=os.environ.get("BENCH_QUICK", "") not in ("", "0"),
                        help="smoke run: the fewest rounds and loads (also BENCH_QUICK=1)")
    parser.add_argument("--baseline", metavar="REV",
                        help="also time the dashboard at git revision REV, in the same rounds")
    for name, (full, quick) in COUNTS.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=int, default=None,
                            help=f"default {full}, {quick} with --quick")
    parser.add_argument("--capacity-url", metavar="URL",
                        help="capacity: load this address (127.0.0.1 only) instead of a server "
                             "of its own")
    parser.add_argument("--file-watcher", choices=("auto", "watchdog", "poll", "none"),
                        help="serve every app with this server.fileWatcherType (default: "
                             "each tree's own .streamlit/config.toml)")
    parser.add_argument("--render", action="store_true",
                        help="only rewrite bench/results.md from bench/out/results.json")
    args = parser.parse_args(argv)
    for name, (full, quick) in COUNTS.items():
        if getattr(args, name) is None:
            setattr(args, name, quick if args.quick else full)
    args.chosen = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = set(args.chosen) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {sorted(unknown)}")
    return args


def destinations(args: argparse.Namespace) -> tuple[Path, Path]:
    """Where a run writes its raw results and its Markdown: a full run (every section, not
    --quick) bench/out/results.json and bench/results.md, any other bench/out/results-partial.*,
    so a smoke or partial run never stands in git as the benchmark's results."""
    if set(args.chosen) == set(SECTIONS) and not args.quick:
        return OUT / "results.json", BENCH / "results.md"
    return OUT / "results-partial.json", OUT / "results-partial.md"


def measure(args: argparse.Namespace, results: dict) -> None:
    """Run the chosen sections into `results`."""
    from bench.floors import dashboard_shape, write_frame_floor, write_shape_floor
    from bench.servers import App, baseline_tree, file_watcher, log_tails, serving, tracebacks

    pages, titles, icons = dashboard_shape()
    watcher = args.file_watcher
    results["file_watcher"] = watcher or file_watcher(REPO)
    minutes = results.setdefault("section_minutes", {})

    def timed(name, step):
        """Run one section; a section that fails is reported, and the others still run."""
        start = time.perf_counter()
        try:
            results[name] = step()
            results[name]["loadavg_after"] = loadavg()
        except Exception:  # noqa: BLE001 - kept in results.json and shown in results.md
            results["section_errors"][name] = traceback.format_exc()
            progress(f"{name} failed:\n{results['section_errors'][name]}")
        minutes[name] = (time.perf_counter() - start) / 60

    with contextlib.ExitStack() as stack:
        trees = {"dashboard": REPO}
        if args.baseline:
            trees["baseline"] = stack.enter_context(baseline_tree(args.baseline))
        if "script" in args.chosen:
            from bench.floors import write_one_line
            from bench.script import script_section

            timed("script", lambda: script_section(trees, write_one_line(OUT), pages,
                                                   args.script_reps, args.warmup))
        if BROWSER_SECTIONS & set(args.chosen):
            import pytest  # tests.browser.streamlit_server reports a server that never came up

            from bench.cold import census, chart_counts

            try:  # the servers, the census and the floor: every browser section needs them
                start = time.perf_counter()
                servers = stack.enter_context(serving(
                    [App(name, tree / "dashboard.py", tree) for name, tree in trees.items()],
                    watcher))
                before = tracebacks(servers)
                # A baseline from before a page existed is asked only for the pages it has.
                app_pages = {name: tuple(p for p in pages if (tree / "pages" / f"{p}.py").exists())
                             for name, tree in trees.items()}
                found = {}
                for name in trees:
                    found.update(census({name: servers[name]}, app_pages[name]))
                counts = chart_counts(found["dashboard"], pages)
                # The floor for the cold loads, the dashboard's frame beside the switches.
                floors = [App("floor", write_shape_floor(OUT / "floor_shape", counts, titles,
                                                         icons))] if "cold" in args.chosen else []
                if "session" in args.chosen:
                    floors.append(App("frame", write_frame_floor(OUT / "floor_frame", counts,
                                                                 pages)))
                floors = stack.enter_context(serving(floors, watcher))
                for name in floors:
                    found.update(census({name: floors[name]}, pages))
                servers = {**servers, **floors}
                before.update(tracebacks(floors))
                results["census"] = found
                results["floor_charts"] = counts
                results["floor_shape_ok"] = all(
                    chart_counts(found[a], pages) == counts for a in floors)
                minutes["census"] = (time.perf_counter() - start) / 60
            except (Exception, pytest.fail.Exception):  # noqa: BLE001 - reported
                results["section_errors"]["census"] = traceback.format_exc()
                progress(f"census failed, no browser section runs:\n{traceback.format_exc()}")
            else:
                old = ["baseline"] if args.baseline else []
                if "cold" in args.chosen:
                    from bench.cold import cold_section

                    timed("cold", lambda: cold_section(servers, ["dashboard", "floor", *old],
                                                       pages, args.cold_reps, app_pages))
                if "session" in args.chosen:
                    from bench.session import FRAME, session_section

                    timed("session", lambda: session_section(
                        servers, ["dashboard", FRAME, *old], found, pages,
                        args.session_reps, args.warmup, app_pages))
                if "concurrency" in args.chosen:
                    from bench.concurrency import concurrency_section

                    timed("concurrency", lambda: concurrency_section(
                        args.sessions, args.loads, servers["dashboard"], warm=True, pages=pages))
                results["server_tracebacks"] = tracebacks(servers, before)
                results["server_log_tails"] = log_tails(servers, results["server_tracebacks"])
        if "growth" in args.chosen:
            from bench.growth import growth_section

            timed("growth", lambda: growth_section(args.growth_reps))
        if "capacity" in args.chosen:
            from bench.capacity import run_section
            from bench.floors import write_one_line

            timed("capacity", lambda: run_section(args, write_one_line(OUT), pages))


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.render:
        results = json.loads((OUT / "results.json").read_text(encoding="utf-8"))
        (BENCH / "results.md").write_text(render(results), encoding="utf-8")
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results: dict = {
        "started": dt.datetime.now().isoformat(timespec="seconds"),
        "argv": list(sys.argv[1:] if argv is None else argv),
        "quick": args.quick,
        "baseline": args.baseline,
        "sections": args.chosen,
        "raw": str(destinations(args)[0].relative_to(REPO)),
        "counts": {name: getattr(args, name) for name in COUNTS},
        "machine": machine_info(),
        "versions": versions(),
        "server_tracebacks": {},
        "floor_charts": {},
        "section_errors": {},
    }
    try:
        measure(args, results)
    except Exception:  # noqa: BLE001 - what was measured is still written, with the error
        results["section_errors"]["run"] = traceback.format_exc()
        progress(f"the run stopped:\n{results['section_errors']['run']}")
    results["machine"]["loadavg_end"] = loadavg()
    results["finished"] = dt.datetime.now().isoformat(timespec="seconds")
    results["duration_s"] = time.perf_counter() - started
    raw, md = destinations(args)
    raw.write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str) + "\n",
                   encoding="utf-8")
    md.write_text(render(results), encoding="utf-8")
    progress(f"wrote {md.relative_to(REPO)} and {raw.relative_to(REPO)} "
             f"in {results['duration_s'] / 60:.1f} min")
    for t in collect(results):
        measured = fmt_ratio(t["ratio"]) if "ratio" in t else t["value"]
        if t.get("first"):
            first = fmt_ratio(t["first"]["ratio"])
            measured = f"{measured} over {t['rounds']} rounds (first rounds {first})"
        print(f"  {fmt_verdict(t['met']).strip('*'):7} {t['name']}: {measured}")
    problems = {k: v for k, v in results["server_tracebacks"].items() if v}
    if problems:
        print(f"server tracebacks: {problems} (tails in results.json)", file=sys.stderr)
    if results["section_errors"]:
        print(f"failed sections: {sorted(results['section_errors'])}", file=sys.stderr)
    return 1 if problems or results["section_errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
