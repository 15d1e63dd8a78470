"""Capacity: many readers on Streamlit's own protocol (no browser), dashboard against one-line app.

Two parts, the apps interleaved in each (dashboard, one-line app, then the other way round):

- *cost*: server CPU seconds (/proc/<pid>/stat, the server's own process) of `opens` session
  opens one after the other, then of `reruns` reruns in one session: CPU per open and per rerun
  against the one-line app's, measured with no other load on that server;
- *ramp*: for each reader count K, K readers at once, each opening a session at a page's own
  address and language, then clicking through every page in both languages (the one-line app:
  its one page in both languages, as many clicks) with 0-1 s think time. Opens and reruns:
  p50/p95/max; errors (a run that is not a full, successful page: an exception or error
  element, a page not found, fewer or more elements than that page has); dropped sessions
  (a reader whose connection failed or who had not finished when the level's time ran out);
  server CPU and peak RSS. The knee is the most readers at a rerun p95 within 1 s. An app whose
  rerun p95 passes STOP_P95_MS is not ramped further.

The *cluster* (issue 28 §3): the dashboard in CLUSTER_REPLICAS replicas behind HAProxy
(deploy.cluster, started for the section and stopped after), ramped in the same interleaved
rounds at the same reader levels as the one process; its server CPU is the sum over the
replicas' processes, HAProxy's own reported apart. Readers are sticky as a browser is: each
keeps HAProxy's SERVERID cookie from the page's GET for its websocket (bench/protocol.py). Its
target: the cluster holds CLUSTER_TARGET x the readers of one process at the same rerun p95,
1 s, interpolated on the ramp (`cluster_vs_one`).

Every load is bounded in count (readers x clicks) and in time (LEVEL_TIMEOUT_S); the target is
a parameter (a URL on 127.0.0.1, e.g. a load balancer in front of replicas: then the server
CPU is not known and not reported).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import math
import random
import time
from dataclasses import dataclass
from pathlib import Path

from bench import LANGS
from bench.common import percentile, progress, rotated, rss_mb
from bench.protocol import Run, Session, check_local

LEVELS = (10, 25, 50, 100, 200, 400)
QUICK_LEVELS = (10, 50)
KNEE_P95_MS = 1000.0
STOP_P95_MS = 5000.0  # an app this slow at K readers is not ramped further
LEVEL_TIMEOUT_S = 180.0  # a level's readers are cut off (and count as dropped) after this
THINK_S = (0.0, 1.0)
START_SPREAD_S = 1.0  # readers arrive within this many seconds
CPU_TARGET = 3.0  # rerun CPU x the one-line app's (issue 28)
OPEN_TARGET = 2.0  # session open CPU x the one-line app's (issue 28)
CLK_TCK = 100
CLUSTER = "cluster"  # the target's name: the dashboard's replicas behind HAProxy
SHAPE = "shape"  # the replay floor: the dashboard's own deltas sent by Streamlit alone
CLUSTER_REPLICAS = 2
CLUSTER_TARGET = 1.6  # readers held by the cluster x one process's, at the same p95 (issue 28)
QUICK_CLUSTER_LEVELS = (10,)  # --quick: the cluster at one small level


@dataclass(frozen=True)
class Target:
    """An app under load: its address, its server's pid (a tuple: the replicas' behind a load
    balancer we started; None: unknown), the (page, lang) a reader clicks through (page None:
    the app's only page), the load balancer's own pid and its replicas' own addresses (each is
    warmed up directly before the load), and the reader levels it is ramped at (None: every
    level)."""

    name: str
    url: str
    pid: int | tuple[int, ...] | None
    clicks: tuple[tuple[str | None, str], ...]
    balancer_pid: int | None = None
    replica_urls: tuple[str, ...] = ()
    levels: tuple[int, ...] | None = None


def _pids(pid: int | tuple[int, ...] | None) -> tuple[int, ...]:
    return () if pid is None else pid if isinstance(pid, tuple) else (pid,)


def cpu_seconds(pid: int | tuple[int, ...] | None) -> float | None:
    """User + system CPU seconds of a process so far (/proc/<pid>/stat), summed over a tuple
    of processes; None if unknown (no pid, or one of them is gone)."""
    total = None
    for one in _pids(pid):
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        total = (total or 0.0) + (int(fields[11]) + int(fields[12])) / CLK_TCK
    return total


def rss_total(pid: int | tuple[int, ...] | None) -> float | None:
    """RSS in MB of a process, summed over a tuple of processes; None if unknown."""
    values = [rss_mb(one) for one in _pids(pid)]
    return None if not values or None in values else sum(values)


def targets_for(servers: dict, pages: tuple[str, ...]) -> list[Target]:
    """The dashboard (every page, both languages) and the one-line app (its page, both
    languages, as many clicks), from bench.servers' running servers."""
    dashboard = tuple((p, lang) for p in pages for lang in LANGS)
    one_line = tuple((None, LANGS[i % len(LANGS)]) for i in range(len(dashboard)))
    found = [Target("dashboard", servers["dashboard"].url, servers["dashboard"].pid, dashboard)]
    if "one_line" in servers:
        found.append(Target("one_line", servers["one_line"].url, servers["one_line"].pid,
                            one_line))
    return found


def page_name(page: str | None, lang: str) -> str:
    return f"{page or 'app'}/{lang}"


def check(run: Run, expected: dict[str, int] | None, name: str) -> list[str]:
    """What is wrong with a run: its own errors, or a page with another element count."""
    problems = list(run.errors)
    if expected is not None and name in expected and run.elements.get("main") != expected[name]:
        problems.append(f"{name}: {run.elements.get('main')} elements, the page has "
                        f"{expected[name]}")
    return problems


async def elements(target: Target) -> dict[str, int]:
    """Main-area elements of every (page, lang) of `target`, from one session's reruns."""
    session, _ = await Session.open(target.url, target.clicks[0][0], target.clicks[0][1])
    try:
        found = {}
        for page, lang in dict.fromkeys(target.clicks):
            run = await session.rerun(page, lang)
            if run.errors:
                raise RuntimeError(f"{target.name} {page_name(page, lang)}: {run.errors}")
            found[page_name(page, lang)] = run.elements.get("main", 0)
        return found
    finally:
        await session.close()


async def cost(target: Target, opens: int, reruns: int) -> dict:
    """Server CPU per open (sessions opened one after the other, each closed) and per rerun
    (one session clicking through), with the wall times."""
    open_ms, rerun_ms = [], []
    before = cpu_seconds(target.pid)
    for i in range(opens):
        page, lang = target.clicks[i % len(target.clicks)]
        session, run = await Session.open(target.url, page, lang)
        open_ms.append(run.ms)
        await session.close()
    await asyncio.sleep(0.2)  # let the server finish closing the sessions
    middle = cpu_seconds(target.pid)
    session, _ = await Session.open(target.url, *target.clicks[0])
    messages = 0
    try:
        start = cpu_seconds(target.pid)
        for i in range(reruns):
            page, lang = target.clicks[i % len(target.clicks)]
            run = await session.rerun(page, lang)
            rerun_ms.append(run.ms)
            messages += run.messages
        end = cpu_seconds(target.pid)
    finally:
        await session.close()
    return {"open_cpu_ms": per(before, middle, opens), "rerun_cpu_ms": per(start, end, reruns),
            "open_ms": open_ms, "rerun_ms": rerun_ms,
            "messages": messages / reruns if reruns else None}


async def record_shape(target: Target) -> dict[str, list[bytes]]:
    """Every delta ForwardMsg of a rerun of each (page, lang) of `target`, as sent: the second
    rerun of each, so what a reader clicking there gets (caches warm). Checked as `elements`."""
    session, _ = await Session.open(target.url, target.clicks[0][0], target.clicks[0][1])
    session.keep_deltas = True
    try:
        found = {}
        for page, lang in dict.fromkeys(target.clicks):
            for _ in range(2):
                run = await session.rerun(page, lang)
            if run.errors:
                raise RuntimeError(f"{target.name} {page_name(page, lang)}: {run.errors}")
            found[page_name(page, lang)] = run.deltas
        return found
    finally:
        await session.close()


async def _reader(target: Target, rng: random.Random, expected: dict[str, int] | None,
                  clicks: int, out: dict) -> None:
    await asyncio.sleep(rng.uniform(0, START_SPREAD_S))
    order = list(target.clicks)
    rng.shuffle(order)
    first = rng.choice(target.clicks)
    try:
        session, run = await Session.open(target.url, *first)
    except Exception as exc:  # noqa: BLE001 - a failed open is a dropped session
        out["dropped"].append(f"open: {type(exc).__name__}: {str(exc)[:200]}")
        return
    try:
        out["open_ms"].append(run.ms)
        if session.replica:
            out["replicas"][session.replica] = out["replicas"].get(session.replica, 0) + 1
        out["errors"] += check(run, expected, page_name(*first))
        for page, lang in order[:clicks]:
            await asyncio.sleep(rng.uniform(*THINK_S))
            run = await session.rerun(page, lang)
            out["rerun_ms"].append(run.ms)
            out["errors"] += check(run, expected, page_name(page, lang))
        out["done"] += 1
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # noqa: BLE001 - the session was lost: dropped
        out["dropped"].append(f"rerun: {type(exc).__name__}: {str(exc)[:200]}")
    finally:
        await session.close()


async def load(target: Target, readers: int, expected: dict[str, int] | None, seed: int,
               clicks: int | None = None, timeout: float = LEVEL_TIMEOUT_S) -> dict:
    """`readers` readers at once on `target`, each clicking `clicks` times (default: through
    every (page, lang)); bounded by `timeout` seconds."""
    check_local(target.url)
    clicks = len(target.clicks) if clicks is None else clicks
    out = {"open_ms": [], "rerun_ms": [], "errors": [], "dropped": [], "done": 0, "replicas": {}}
    rss: list[float] = []

    async def sample() -> None:
        while True:
            if (value := rss_total(target.pid)) is not None:
                rss.append(value)
            await asyncio.sleep(0.5)

    sampler = asyncio.create_task(sample())
    rss_before = rss_total(target.pid)
    balancer_before = cpu_seconds(target.balancer_pid)
    cpu_before, wall = cpu_seconds(target.pid), time.perf_counter()
    client_before = time.process_time()
    tasks = [asyncio.create_task(_reader(target, random.Random(seed * 100_003 + i), expected,
                                         clicks, out))
             for i in range(readers)]
    _, pending = await asyncio.wait(tasks, timeout=timeout)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.wait(pending, timeout=10)
        out["dropped"] += [f"not finished in {timeout:.0f} s"] * len(pending)
    wall = time.perf_counter() - wall
    cpu_after = cpu_seconds(target.pid)
    balancer = per(balancer_before, cpu_seconds(target.balancer_pid), 1)
    sampler.cancel()
    cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
    runs = len(out["open_ms"]) + len(out["rerun_ms"])
    return {
        "readers": readers,
        "clicks": clicks,
        "wall_s": wall,
        "open": summary(out["open_ms"]),
        "rerun": summary(out["rerun_ms"]),
        "reruns_per_s": len(out["rerun_ms"]) / wall if wall else None,
        "errors": len(out["errors"]),
        "error_examples": sorted(set(out["errors"]))[:5],
        "dropped": len(out["dropped"]),
        "dropped_examples": sorted(set(out["dropped"]))[:5],
        "finished": out["done"],
        "server_cpu_s": cpu,
        "server_cpu_pct": None if cpu is None else 100 * cpu / wall,
        "server_cpu_ms_per_run": None if cpu is None or not runs else 1000 * cpu / runs,
        "rss_start_mb": rss_before,
        "rss_max_mb": max(rss) if rss else None,
        "client_cpu_pct": 100 * (time.process_time() - client_before) / wall,
        "balancer_cpu_pct": None if balancer is None else balancer / 10 / wall,
        "sessions_per_replica": dict(sorted(out["replicas"].items())),
    }


def per(before: float | None, after: float | None, n: int) -> float | None:
    """CPU ms per event from two cpu_seconds() readings."""
    return None if before is None or after is None or not n else (after - before) / n * 1000


def summary(values: list[float]) -> dict:
    return {"n": len(values), "p50": percentile(values, 50), "p95": percentile(values, 95),
            "max": max(values) if values else None}


def knee(levels: list[dict], limit: float = KNEE_P95_MS) -> int | None:
    """The most readers at which the rerun p95 stayed within `limit` ms (levels in order; the
    first level past the limit ends the count), None if even the first was past it."""
    best = None
    for level in levels:
        p95 = level["rerun"]["p95"]
        if p95 is None or p95 > limit or level["dropped"]:
            break
        best = level["readers"]
    return best


def held(levels: list[dict], p95_ms: float) -> float | None:
    """The readers a ramp holds at a rerun p95 of `p95_ms`: linear between the two levels whose
    p95 is on either side of it (the p95 taken as its running maximum, so it only grows; a
    level with dropped readers counts as past any p95, and ends the ramp there). None outside
    the ramp: already past `p95_ms` at its first level, or still within it at its last."""
    points, worst = [], 0.0
    for level in levels:
        p95 = level["rerun"]["p95"]
        worst = math.inf if p95 is None or level["dropped"] else max(worst, p95)
        points.append((level["readers"], worst))
        if worst == math.inf:
            break
    if not points or points[0][1] > p95_ms:
        return None
    for (r0, p0), (r1, p1) in zip(points, points[1:], strict=False):
        if p0 <= p95_ms <= p1:
            if p1 == math.inf:
                return float(r0)
            return float(r1) if p1 == p0 else r0 + (r1 - r0) * (p95_ms - p0) / (p1 - p0)
    return float(points[0][0]) if len(points) == 1 and points[0][1] == p95_ms else None


def cluster_vs_one(one: list[dict], cluster: list[dict], limit: float = KNEE_P95_MS) -> dict:
    """The cluster's readers against one process's at the same rerun p95 (issue 28's target).

    The one definition: the ratio of the readers each ramp holds (`held`, interpolated between
    the two levels around it) at a rerun p95 of `limit` (1 s: where the knee is defined), or at
    the highest p95 both ramps reached if that is lower (a ramp that never passed it holds at
    least its last level, so the ratio is a floor then). The knees themselves are reported
    beside it, and their ratio, but the target does not use them: on a ramp of 10, 25, 50, 100
    readers they can only differ by 2x or 2.5x steps (25 against 50 readers reads 2.0x where
    the ramps cross 1 s at 38 and 56: 1.46x). None if either ramp has no point at that p95.
    """
    k_one, k_cluster = knee(one, limit), knee(cluster, limit)
    found = {"knee_one": k_one, "knee_cluster": k_cluster, "limit": limit,
             "knee_ratio": k_cluster / k_one if k_one and k_cluster else None,
             "target": CLUSTER_TARGET, "p95_ms": None, "held_one": None,
             "held_cluster": None, "ratio": None}

    def reached(levels: list[dict]) -> float:
        return max((lv["rerun"]["p95"] for lv in levels if lv["rerun"]["p95"] is not None),
                   default=0.0)

    p95 = min(limit, reached(one), reached(cluster))
    a, b = held(one, p95), held(cluster, p95)
    found.update(p95_ms=p95, held_one=a, held_cluster=b)
    if a and b is not None:
        found.update(ratio=b / a)
    return found


def by_level(one: list[dict], cluster: list[dict]) -> list[dict]:
    """Per reader level, rerun p50/p95 of one process and of the cluster side by side."""
    cl = {level["readers"]: level for level in cluster}
    rows = []
    for level in one:
        other = cl.get(level["readers"])
        rows.append({"readers": level["readers"], "one": level["rerun"],
                     "cluster": other["rerun"] if other else None,
                     "cluster_cpu_pct": other["server_cpu_pct"] if other else None,
                     "balancer_cpu_pct": other["balancer_cpu_pct"] if other else None,
                     "sessions_per_replica": other["sessions_per_replica"] if other else None})
    rows += [{"readers": r, "one": None, "cluster": level["rerun"],
              "cluster_cpu_pct": level["server_cpu_pct"],
              "balancer_cpu_pct": level["balancer_cpu_pct"],
              "sessions_per_replica": level["sessions_per_replica"]}
             for r, level in cl.items() if r not in {lv["readers"] for lv in one}]
    return sorted(rows, key=lambda row: row["readers"])


def capacity_section(targets: list[Target], levels: tuple[int, ...] = LEVELS, rounds: int = 3,
                     opens: int = 10, reruns: int = 28, seed: int = 28) -> dict:
    """The cost rounds (not the cluster's), then the ramp, each app in turn with the order
    rotating; a target with levels of its own is ramped at those only."""

    async def main() -> dict:
        expected = {}
        for target in targets:
            expected[target.name] = await elements(target)
            # Behind a balancer every replica draws every page once (as the one process does
            # above and in the cost rounds), so no replica meets the load cold.
            for url in target.replica_urls:
                found = await elements(dataclasses.replace(target, url=url))
                if found != expected[target.name]:
                    raise RuntimeError(f"{target.name} replica {url}: {found}, not "
                                       f"{expected[target.name]}")
        costed = [t for t in targets if t.name != CLUSTER]
        costs: dict[str, list[dict]] = {t.name: [] for t in costed}
        for rep in range(rounds):
            for target in rotated(costed, rep):
                progress(f"capacity: cost round {rep + 1}/{rounds}, {target.name}")
                costs[target.name].append(await cost(target, opens, reruns))
        # The replay floor is a floor of the cost only: it is not ramped.
        ramped = [t for t in targets if t.name != SHAPE]
        ramp: dict[str, list[dict]] = {t.name: [] for t in ramped}
        stopped: set[str] = set()
        for i, readers in enumerate(levels):
            for target in rotated(ramped, i):
                if target.name in stopped or readers not in (target.levels or levels):
                    continue
                progress(f"capacity: {readers} readers on {target.name}")
                level = await load(target, readers, expected[target.name], seed + i)
                ramp[target.name].append(level)
                cpu = level["server_cpu_pct"]
                progress(f"  rerun p50/p95 {level['rerun']['p50'] or 0:.0f}/"
                         f"{level['rerun']['p95'] or 0:.0f} ms, errors {level['errors']}, "
                         f"dropped {level['dropped']}, server CPU "
                         + ("unknown (no pid)" if cpu is None else f"{cpu:.0f}%")
                         + (f", per replica {level['sessions_per_replica']}"
                            if level["sessions_per_replica"] else ""))
                if (level["rerun"]["p95"] or 0) > STOP_P95_MS or level["dropped"] >= readers:
                    stopped.add(target.name)
        return {"expected_elements": expected, "costs": costs, "ramp": ramp,
                "replicas": {t.name: len(_pids(t.pid)) for t in targets}}

    raw = asyncio.run(main())
    return summarise(raw, levels, rounds, opens, reruns)


def summarise(raw: dict, levels: tuple[int, ...], rounds: int, opens: int, reruns: int) -> dict:
    """Medians of the cost rounds, the ratios against the one-line app and the replay floor,
    the knees."""
    from bench.common import median

    cost = {}
    for name, records in raw["costs"].items():
        cost[name] = {
            key: median([r[key] for r in records if r.get(key) is not None])
            for key in ("open_cpu_ms", "rerun_cpu_ms", "messages")
        }
        cost[name]["open_ms_p50"] = median([v for r in records for v in r["open_ms"]])
        cost[name]["rerun_ms_p50"] = median([v for r in records for v in r["rerun_ms"]])
        cost[name]["rounds"] = records
    expected = raw["expected_elements"]
    shape_ok = (expected.get(SHAPE) == expected.get("dashboard")) if SHAPE in expected else None
    return {
        "cluster": cluster_summary(raw),
        "levels": list(levels), "rounds": rounds, "opens": opens, "reruns": reruns,
        "think_s": list(THINK_S), "stop_p95_ms": STOP_P95_MS,
        "level_timeout_s": LEVEL_TIMEOUT_S, "expected_elements": expected,
        "cost": cost, "vs_one_line": versus(raw["costs"], cost, "one_line"),
        # Against the replay floor only if it sent the dashboard's elements (else void).
        "vs_shape": versus(raw["costs"], cost, SHAPE) if shape_ok else {}, "shape_ok": shape_ok,
        "messages_at_target": messages_at(cost, CPU_TARGET),
        "ramp": raw["ramp"],
        "knee": {name: knee(levels_) for name, levels_ in raw["ramp"].items()},
        "errors": sum(level["errors"] for levels_ in raw["ramp"].values() for level in levels_),
        "dropped": sum(level["dropped"] for levels_ in raw["ramp"].values() for level in levels_),
        "cpu_target": CPU_TARGET, "open_target": OPEN_TARGET,
    }


def versus(costs: dict[str, list[dict]], cost: dict[str, dict], floor: str) -> dict:
    """The dashboard's CPU per open and per rerun against `floor`'s: the ratio of the medians,
    and the round-by-round ratios (measured side by side) for the spread; {} if either is
    missing."""
    if floor not in cost or "dashboard" not in cost:
        return {}
    ratios = {}
    for key in ("open_cpu_ms", "rerun_cpu_ms"):
        d, f = cost["dashboard"][key], cost[floor][key]
        paired = [a[key] / b[key] for a, b in zip(costs["dashboard"], costs[floor], strict=False)
                  if a[key] is not None and b[key]]
        ratios[key] = {"value": d, "floor": f, "ratio": d / f if d is not None and f else None,
                       "spread": [min(paired), max(paired)] if paired else None}
    return ratios


def messages_at(cost: dict[str, dict], limit: float) -> float | None:
    """The messages a dashboard rerun could send at `limit` x the one-line app's CPU per rerun,
    if its CPU grew linearly with its messages from the one-line app's point to its own (the
    one-line app's CPU is the fixed part of a run, what the dashboard adds is per message)."""
    d, f = cost.get("dashboard"), cost.get("one_line")
    if not d or not f or None in (d["rerun_cpu_ms"], f["rerun_cpu_ms"], d["messages"],
                                  f["messages"]):
        return None
    extra = d["messages"] - f["messages"]
    if extra <= 0 or d["rerun_cpu_ms"] <= f["rerun_cpu_ms"]:
        return None
    per_message = (d["rerun_cpu_ms"] - f["rerun_cpu_ms"]) / extra
    return f["messages"] + (limit - 1) * f["rerun_cpu_ms"] / per_message


def cluster_summary(raw: dict) -> dict | None:
    """The cluster against one process (`cluster_vs_one`), with its rows by level."""
    if CLUSTER not in raw["ramp"] or "dashboard" not in raw["ramp"]:
        return None
    one, many = raw["ramp"]["dashboard"], raw["ramp"][CLUSTER]
    return {**cluster_vs_one(one, many), "replicas": raw.get("replicas", {}).get(CLUSTER),
            "by_level": by_level(one, many)}


def run_section(args, one_line_script: Path, pages: tuple[str, ...]) -> dict:
    """The section as `python -m bench` runs it: the dashboard (or `--capacity-url`) and the
    one-line app on servers of their own (file watcher off, as served), then the load."""
    from bench import REPO
    from bench.servers import App, serving

    apps = [App("one_line", one_line_script)]
    if not args.capacity_url:
        apps.insert(0, App("dashboard", REPO / "dashboard.py"))
    with serving(apps) as servers, contextlib.ExitStack() as stack:
        if args.capacity_url:
            servers = {**servers, "dashboard": _Remote(check_local(args.capacity_url))}
        targets = targets_for(servers, pages)
        if not args.capacity_url:
            targets.append(start_shape(stack, targets[0]))
            cluster = start_cluster(stack)
            if cluster is not None:
                targets.append(cluster_target(cluster, targets[0].clicks,
                                              QUICK_CLUSTER_LEVELS if args.quick else None))
        if args.quick:
            return capacity_section(targets, QUICK_LEVELS, args.capacity_rounds, opens=5,
                                    reruns=len(targets[0].clicks))
        return capacity_section(targets, LEVELS, args.capacity_rounds, opens=20,
                                reruns=5 * len(targets[0].clicks))


def start_shape(stack: contextlib.ExitStack, dashboard: Target) -> Target:
    """The replay floor (bench.floors.write_replay_floor) of the dashboard as served now: its
    deltas recorded from `dashboard`, replayed by a server of its own until `stack` closes."""
    from bench import OUT, REPO
    from bench.floors import dashboard_shape, write_replay_floor
    from bench.servers import App, serving

    progress("capacity: recording the dashboard's deltas for the replay floor")
    recording = asyncio.run(record_shape(dashboard))
    _, titles, icons = dashboard_shape()
    entry = write_replay_floor(OUT / "floor_replay", recording, titles, icons)
    # Served from the repository, as the one-line app is: the same .streamlit/config.toml.
    server = stack.enter_context(serving([App(SHAPE, entry, REPO)]))[SHAPE]
    return Target(SHAPE, server.url, server.pid, dashboard.clicks)


def start_cluster(stack: contextlib.ExitStack):
    """CLUSTER_REPLICAS dashboards behind HAProxy until `stack` closes; None (said) without
    haproxy, so the section still runs and the cluster's target is left unmeasured."""
    from deploy.cluster import Cluster, haproxy_binary

    if haproxy_binary() is None:
        progress("capacity: haproxy is not installed, no cluster (apt-get install haproxy)")
        return None
    progress(f"capacity: starting {CLUSTER_REPLICAS} replicas behind HAProxy")
    return stack.enter_context(Cluster(CLUSTER_REPLICAS))


def cluster_target(cluster, clicks: tuple, levels: tuple[int, ...] | None) -> Target:
    """The running cluster as a target: the replicas' pids for the server CPU, HAProxy's apart;
    the dashboard's clicks."""
    return Target(CLUSTER, cluster.url, tuple(r.process.pid for r in cluster.replicas), clicks,
                  balancer_pid=cluster.haproxy.pid,
                  replica_urls=tuple(r.url for r in cluster.replicas), levels=levels)


@dataclass(frozen=True)
class _Remote:
    """A server this run did not start (a load balancer): its address, no pid."""

    url: str
    pid: None = None


def main(argv: list[str] | None = None) -> int:
    """`python -m bench.capacity --url http://127.0.0.1:PORT/ [--levels 10,50]`: the ramp on a
    server (or load balancer) already running; writes bench/out/capacity-<port>.json."""
    import argparse
    import json

    from bench import OUT
    from bench.floors import dashboard_shape

    parser = argparse.ArgumentParser(prog="python -m bench.capacity", description=__doc__)
    parser.add_argument("--url", required=True, help="the dashboard (or a load balancer)")
    parser.add_argument("--pid", type=int, default=None, help="the server's pid, for its CPU")
    parser.add_argument("--levels", default=",".join(map(str, LEVELS)))
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args(argv)
    url = check_local(args.url)
    pages, _, _ = dashboard_shape()
    target = Target("dashboard", url, args.pid,
                    tuple((p, lang) for p in pages for lang in LANGS))
    levels = tuple(int(x) for x in args.levels.split(","))
    result = capacity_section([target], levels, rounds=args.rounds)
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"capacity-{url.rstrip('/').rsplit(':', 1)[-1]}.json"
    path.write_text(json.dumps(result, indent=1, default=str) + "\n", encoding="utf-8")
    progress(f"wrote {path}; knee {result['knee']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
