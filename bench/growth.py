"""Growth: load + validate time of the fact file, cold and warm, at 1x, 10x and 100x its size."""

from __future__ import annotations

import copy
import json
import math
import os
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from bench import OUT, REPO
from bench.common import median, progress

REPLICATED = ("facts", "projects", "bases", "documents", "programmes", "milestones",
              "priorities", "errata")


def replicate(data: dict, factor: int) -> dict:
    """The fact base with every record of REPLICATED `factor` times, ids suffixed, still valid.

    Chains and sources are kept once (chain positions run from 1 to 50), and copies refer to
    the same chains and source; a copied project names the copied programmes of its round, and
    a copied fact that names a measure names its round's copy of that measure (the copy of the
    fact it names): the same measure, period and source read twice is an error.
    """
    out = copy.deepcopy(data)
    for section in REPLICATED:
        records = data.get(section) or []
        grown = list(copy.deepcopy(records))
        for k in range(1, factor):
            for record in records:
                clone = copy.deepcopy(record)
                clone["id"] = f"{record['id']}-r{k}"
                if section == "projects":
                    clone["programmes"] = [f"{p}-r{k}" for p in record.get("programmes", [])]
                if section == "facts" and record.get("measure"):
                    clone["measure"] = f"{record['measure']}-r{k}"
                grown.append(clone)
        out[section] = grown
    return out


def write_growth_files() -> dict[str, Path]:
    import yaml

    from haixi.paths import DEFAULT_FACTS

    data = yaml.safe_load(DEFAULT_FACTS.read_text(encoding="utf-8"))
    files = {}
    for factor in (1, 10, 100):
        path = OUT / f"facts-{factor}x.yaml"
        text = yaml.safe_dump(
            replicate(data, factor), allow_unicode=True, sort_keys=False, width=100
        )
        path.write_text(text, encoding="utf-8")
        files[f"{factor}x"] = path
    return files


COLD_SNIPPET = textwrap.dedent(
    """
    import json, resource, sys, time
    t0 = time.perf_counter()
    from haixi.loader import load
    t1 = time.perf_counter()
    base = load(sys.argv[1])
    t2 = time.perf_counter()
    try:  # VmHWM: the peak of this process (ru_maxrss would start at the parent's peak)
        with open("/proc/self/status") as status:
            rss = next(int(x.split()[1]) / 1024 for x in status if x.startswith("VmHWM:"))
    except (OSError, StopIteration):
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "maxrss_mb": rss,
                      "facts": len(base.facts), "projects": len(base.projects)}))
    """
)


def _cold(path: Path) -> dict:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", COLD_SNIPPET, str(path)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    record = json.loads(done.stdout.strip().splitlines()[-1])
    record["process_s"] = time.perf_counter() - start
    return record


def _count_values(path: Path) -> int:
    import yaml

    from haixi.loader import _Loader

    starts = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)
    text = path.read_text(encoding="utf-8")
    return sum(1 for e in yaml.parse(text, Loader=_Loader) if isinstance(e, starts))


def fit_slope(xs: list[float], ys: list[float]) -> float | None:
    """Least-squares slope of log(y) against log(x)."""
    points = [(math.log(x), math.log(y)) for x, y in zip(xs, ys, strict=True) if x > 0 and y > 0]
    if len(points) < 2:
        return None
    mx = statistics.fmean(p[0] for p in points)
    my = statistics.fmean(p[1] for p in points)
    sxx = sum((p[0] - mx) ** 2 for p in points)
    return sum((p[0] - mx) * (p[1] - my) for p in points) / sxx if sxx else None


def growth_section(reps: int) -> dict:
    from haixi.loader import load
    from haixi.paths import DEFAULT_FACTS

    files = {"facts.yaml": DEFAULT_FACTS, **write_growth_files()}
    few = min(reps, 3)  # the big files take seconds a load
    cold_reps = {"facts.yaml": reps, "1x": reps, "10x": few, "100x": few}
    warm_reps = {"facts.yaml": 3 * reps, "1x": 3 * reps, "10x": reps, "100x": few}
    results = {}
    for name, path in files.items():
        progress(f"growth: {name} ({path.stat().st_size / 1024:,.0f} KB)")
        cold = [_cold(path) for _ in range(cold_reps[name])]
        load(path)  # warm: modules imported, validators built
        warm = []
        for _ in range(warm_reps[name]):
            start = time.perf_counter()
            base = load(path)
            warm.append(time.perf_counter() - start)
        results[name] = {
            "path": str(path.relative_to(REPO)),
            "bytes": path.stat().st_size,
            "values": _count_values(path),
            "records": sum(len(getattr(base, s)) for s in REPLICATED),
            "cold_load_ms": median([c["load_s"] for c in cold]) * 1000,
            "cold_load_ms_all": [round(c["load_s"] * 1000, 1) for c in cold],
            "import_ms": median([c["import_s"] for c in cold]) * 1000,
            "process_ms": median([c["process_s"] for c in cold]) * 1000,
            "maxrss_mb": max(c["maxrss_mb"] for c in cold),
            "warm_load_ms": median(warm) * 1000,
            "warm_load_ms_all": [round(w * 1000, 1) for w in warm],
        }
    grown = [results[k] for k in ("1x", "10x", "100x")]
    sizes = [g["bytes"] for g in grown]
    return {
        "files": results,
        "slope_cold": fit_slope(sizes, [g["cold_load_ms"] for g in grown]),
        "slope_warm": fit_slope(sizes, [g["warm_load_ms"] for g in grown]),
    }

