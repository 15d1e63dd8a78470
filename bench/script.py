"""Script time per page (server side, AppTest), for the tree under test and any baseline,
interleaved round by round (one worker process per tree: bench/apptest_worker.py)."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from pathlib import Path

from bench import BENCH, LANGS
from bench.common import median, progress, ratio, rotated
from bench.servers import python_env
from bench.targets import confirmation, guarded

WORKER = BENCH / "apptest_worker.py"


class _Worker:
    """One apptest_worker.py process for one tree."""

    def __init__(self, tree: Path, floor: Path, pages: tuple[str, ...]):
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER), str(tree), str(floor), ",".join(pages),
             ",".join(LANGS)],
            cwd=tree, env=python_env(tree), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True,
        )

    def round(self, shift: int) -> dict:
        self.process.stdin.write(f"{shift}\n")
        self.process.stdin.flush()
        for line in self.process.stdout:
            if line.startswith("BENCH-JSON "):
                return json.loads(line[len("BENCH-JSON "):])
        raise RuntimeError(f"the AppTest worker exited with {self.process.wait()}")

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=60)


def script_section(trees: dict[str, Path], floor: Path, pages: tuple[str, ...], reps: int,
                   warmup: int = 1) -> dict:
    """Median script time of every page per tree, against a one-line page in the same rounds."""
    samples: dict[str, dict[str, dict[str, list[dict]]]] = {t: {} for t in trees}
    progress(f"script time: {len(pages) * len(LANGS) + 1} targets x {reps} rounds x "
             f"{len(trees)} tree(s), after {warmup} warm-up round(s)")
    again: dict = {}
    with contextlib.ExitStack() as stack:
        workers = {}
        for name, tree in trees.items():
            # A baseline from before a page existed times the pages it has.
            own = tuple(p for p in pages if (tree / "pages" / f"{p}.py").exists())
            workers[name] = _Worker(tree, floor, own)
            stack.callback(workers[name].close)
        _run(workers, range(-warmup, reps), samples)
        if "baseline" in trees:
            # The confirmation rounds (bench/targets.py CONFIRM_FACTOR): a worker's round
            # times every page, only the pages over the tolerance are kept.
            again = confirmation(_guarded(samples), reps, "script time")
            if again["keys"]:
                progress(again["note"])
                more: dict = {t: {} for t in trees}
                _run(workers, again["rounds"], more)
                again["samples"] = {t: {k: v for k, v in rs.items() if k in again["keys"]}
                                    for t, rs in _guarded(more, again["rounds"].start).items()}
    out = {"reps": reps, "trees": {}}
    for name in trees:
        out["trees"][name] = {mode: summarise(s) for mode, s in samples[name].items()}
    if "baseline" in trees:
        guard = _guarded(samples)
        out["vs_baseline"] = guarded(guard["dashboard"], guard["baseline"], again)
        out["confirmed"] = again.get("keys", [])
    return out


def _run(workers: dict[str, _Worker], rounds: range, samples: dict) -> None:
    """A round of every worker per round number (the trees interleaved, the lead rotating);
    rounds < 0 warm up. `samples`: tree -> mode -> target -> records, in round order."""
    for rep in rounds:
        for name in rotated(list(workers), rep):
            answer = workers[name].round(max(rep, 0))
            if rep < 0:
                continue
            for target, modes in answer.items():
                for mode, record in modes.items():
                    samples[name].setdefault(mode, {}).setdefault(target, []).append(record)


def _guarded(samples: dict, first: int = 0) -> dict[str, dict[str, list[dict]]]:
    """tree -> page/lang -> records with "round" (numbered from `first`) and "ms": the server
    mode's script time of each page (not the one-line page), what the baseline guards."""
    return {tree: {target: [{"round": first + i, "ms": r["script_s"] * 1000}
                            for i, r in enumerate(records)]
                   for target, records in modes.get("server", {}).items() if target != "floor"}
            for tree, modes in samples.items()}


def summarise(samples: dict[str, list[dict]]) -> dict:
    """Per target: median script and wall time, ratio to the floor's, what the run sent."""
    summary = {}
    floor = median([r["script_s"] for r in samples["floor"]])
    floor_wall = median([r["wall_s"] for r in samples["floor"]])
    for name, records in samples.items():
        script = median([r["script_s"] for r in records])
        wall = median([r["wall_s"] for r in records])
        last = records[-1]
        summary[name] = {
            "script_ms": script * 1000,
            "script_ms_all": [round(r["script_s"] * 1000, 2) for r in records],
            "wall_ms": wall * 1000,
            "ratio": ratio(script, floor),
            "wall_ratio": ratio(wall, floor_wall),
            "passes": sorted({r["passes"] for r in records}),
            "msg_kb": last["msg_bytes"] / 1024,
            "plotly_spec_kb": last["plotly_spec_bytes"] / 1024,
            "charts": last["elements"].get("plotly_chart", 0),
            "popovers": last["elements"].get("popover", 0),
            "elements": sum(last["elements"].values()),
            "title": last["title"],
            "problems": sorted({p for r in records for p in r["exceptions"] + r["errors"]}),
        }
    return summary
