"""The ratios and targets: pure functions of the measured records, no browser, no server."""

from __future__ import annotations

from bench.capacity import CLUSTER_TARGET, CPU_TARGET, OPEN_TARGET
from bench.common import median

# Cold loads: each page within this ratio of Streamlit's own app of its shape (issue 15).
TARGET_RATIO = 1.3
# Against the baseline revision measured in the same run: no page slower than this ratio
# new/baseline, in script time, cold loads and in session (page switches, the filter change
# and the language switch: their only target since issue 29 retired the title-only floor).
BASELINE_TOLERANCE = 1.10
# Confirmation rounds: a step over BASELINE_TOLERANCE after a section's rounds is measured again,
# that step only, the dashboard and the baseline interleaved, for CONFIRM_FACTOR times as many
# rounds again; it is missed only if its ratio over all its rounds is still over the tolerance
# (one noisy round set is not a regression, a real one stays over in both). 3, not 1: with 7 + 7
# rounds three runs in a row missed one or two in-session steps each, steps that A/Bs of 8-25
# rounds put at 0.79-1.00x (bench/notes.md, *baseline*).
CONFIRM_FACTOR = 3
SESSION_RSS_TARGET_MB = 10.0  # per extra concurrent session (issue 4)
CONCURRENCY_ERRORS_TARGET = 0
COLD_LOAD_TARGET_MS = 100.0  # load() of data/facts.yaml in a fresh process
SLOPE_RANGE = (0.8, 1.2)  # log(time) vs log(size): linear
# Server CPU per rerun and per open against the replay floor (Streamlit sending the dashboard's
# own recorded deltas, nothing else): the dashboard's own work, the cold loads' rule.
SHAPE_CPU_TARGET = TARGET_RATIO
# (key, label) of the capacity section's server CPU targets; limits by floor below.
CPU_KINDS = (("rerun_cpu_ms", "rerun", "per rerun"), ("open_cpu_ms", "open", "per session open"))


def compare(values: list[dict], floor: list[dict], key: str = "ms") -> dict:
    """`values` against `floor`, each a list of records with a "round": the median of the
    round-by-round ratios (each round measures both back to back, so load on the machine hits
    both alike: bench/notes.md, *baseline*), the medians of each side, and the spread."""
    a = {r["round"]: r[key] for r in values if r.get(key) is not None}
    b = {r["round"]: r[key] for r in floor if r.get(key) is not None}
    paired = [a[k] / b[k] for k in sorted(a.keys() & b.keys()) if b[k]]
    return {
        "value": median(list(a.values())),
        "floor": median(list(b.values())),
        "ratio": median(paired),
        "paired": [round(p, 3) for p in paired],
        "spread": [min(paired), max(paired)] if paired else None,
        "rounds": len(paired),
    }


def over_tolerance(new: dict[str, list[dict]], old: dict[str, list[dict]]) -> list[str]:
    """The steps (keys of both) whose ratio new/baseline is over BASELINE_TOLERANCE: the ones a
    section measures again (CONFIRM_FACTOR)."""
    return [key for key, records in new.items() if key in old
            and (found := compare(records, old[key])["ratio"]) is not None
            and found > BASELINE_TOLERANCE]


def confirmation(samples: dict[str, dict[str, list[dict]]], reps: int, what: str) -> dict:
    """What a section measures again after its `reps` first rounds: "keys", the steps over the
    tolerance (dashboard against baseline); "rounds", numbered on from `reps` so that both
    apps' records still pair by round; "samples" and "failures" for the section to fill;
    "note", the progress line (None when there is nothing to confirm)."""
    keys = over_tolerance(samples.get("dashboard", {}), samples.get("baseline", {}))
    rounds = range(reps, reps + CONFIRM_FACTOR * reps)
    return {"keys": keys, "rounds": rounds, "samples": {}, "failures": {},
            "note": f"{what}: {len(keys)} over {BASELINE_TOLERANCE}x the baseline, "
                    f"{len(rounds)} confirmation rounds: {', '.join(keys)}" if keys else None}


def all_failures(raw: dict) -> dict[str, list[str]]:
    """A section's failures, those of its confirmation rounds marked so."""
    again = raw.get("again", {}).get("failures", {})
    return {**raw["failures"], **{f"{name} (confirmation)": e for name, e in again.items()}}


def guarded(new: dict[str, list[dict]], old: dict[str, list[dict]], again: dict) -> dict:
    """Each step of `new` also in `old` against the baseline. A step measured again (`again`:
    "keys", and "samples" app -> step -> records of the confirmation rounds) is judged on all
    its rounds, first and confirmation together; its first rounds' figures stay in "first"
    (None for a step not measured again)."""
    more = again.get("samples", {})
    found = {}
    for key, records in new.items():
        if key not in old:
            continue
        first = compare(records, old[key])
        if key not in again.get("keys", ()):
            found[key] = {**first, "first": None}
            continue
        found[key] = {
            **compare(records + more.get("dashboard", {}).get(key, []),
                      old[key] + more.get("baseline", {}).get(key, [])),
            "first": {k: first[k] for k in ("ratio", "spread", "rounds")},
        }
    return found


def verdict(value: float | None, limit: float) -> bool | None:
    """Met (value <= limit), missed, or None when nothing was measured."""
    return None if value is None else value <= limit


def _ratio_targets(kind: str, group: str, label: str, comparisons: dict,
                   limit: float) -> list[dict]:
    """One target per comparison; its key (`group name`) is what bench/notes.md is keyed by."""
    return [
        {"kind": kind, "key": f"{group} {name}", "name": f"{label} {name}".strip(),
         "ratio": c["ratio"], "spread": c["spread"], "limit": limit,
         "first": c.get("first"), "rounds": c["rounds"], "met": verdict(c["ratio"], limit)}
        for name, c in comparisons.items()
    ]


def _failed(kind: str, name: str, limit: float) -> dict:
    return {"kind": kind, "key": f"{kind} {name}", "name": f"{kind} {name}", "ratio": None,
            "spread": None, "limit": limit, "met": False, "failed": True}


def collect(results: dict) -> list[dict]:
    """Every target of this run: kind, key (for the notes), name, ratio or value, limit, met."""
    found: list[dict] = []
    cold = results.get("cold")
    if cold:
        found += _ratio_targets("cold", "cold", "cold load", cold["vs_floor"], TARGET_RATIO)
        # A failed load of an app that has a target (the dashboard, the floor, the baseline).
        found += [_failed("cold", name, TARGET_RATIO) for name in sorted(cold["failures"])
                  if name.split(" ")[0] in cold["paired"]]
    for section, label in (("script", "script time"), ("cold", "cold load"),
                           ("session", "in session")):
        vs = (results.get(section) or {}).get("vs_baseline")
        if vs:
            found += _ratio_targets("baseline", f"baseline {section}",
                                    f"{label} vs baseline,", vs, BASELINE_TOLERANCE)
    session = results.get("session")
    if session and results.get("baseline"):
        # Without a baseline the session decides nothing; with one, a failed session of the
        # dashboard or the baseline leaves its steps unguarded.
        found += [_failed("session", name, BASELINE_TOLERANCE)
                  for name in sorted(session["failures"])
                  if name.split("/")[0] in ("dashboard", "baseline")]
    c = results.get("concurrency")
    if c:
        found.append({"kind": "other", "key": "concurrency errors",
                      "name": f"{c['sessions']} sessions at once: errors",
                      "value": c["errors"], "limit": CONCURRENCY_ERRORS_TARGET,
                      "met": verdict(c["errors"], CONCURRENCY_ERRORS_TARGET)})
        found.append({"kind": "other", "key": "concurrency rss",
                      "name": "server RSS per extra session, MB",
                      "value": c["rss_per_session_mb"], "limit": SESSION_RSS_TARGET_MB,
                      "met": verdict(c["rss_per_session_mb"], SESSION_RSS_TARGET_MB)})
    found += capacity_cpu(results.get("capacity") or {})
    cluster = (results.get("capacity") or {}).get("cluster")
    if cluster:
        # Met when the cluster holds at least CLUSTER_TARGET x one process's readers.
        found.append({"kind": "server", "key": "capacity cluster",
                      "name": f"readers held by {cluster['replicas']} replicas behind HAProxy x "
                              "one process's at the same rerun p95 (1 s, interpolated)",
                      "ratio": cluster["ratio"], "spread": None, "limit": f"≥ {CLUSTER_TARGET}",
                      "met": None if cluster["ratio"] is None
                      else cluster["ratio"] >= CLUSTER_TARGET})
    g = results.get("growth")
    if g:
        cold_ms = g["files"]["facts.yaml"]["cold_load_ms"]
        found.append({"kind": "other", "key": "growth cold", "name":
                      "cold load() of data/facts.yaml, ms", "value": cold_ms,
                      "limit": COLD_LOAD_TARGET_MS, "met": verdict(cold_ms, COLD_LOAD_TARGET_MS)})
        for mode in ("cold", "warm"):
            slope = g[f"slope_{mode}"]
            found.append({
                "kind": "other", "key": f"growth slope {mode}",
                "name": f"load time grows linearly ({mode}): slope in {list(SLOPE_RANGE)}",
                "value": slope, "limit": SLOPE_RANGE[1],
                "met": None if slope is None else SLOPE_RANGE[0] <= slope <= SLOPE_RANGE[1],
            })
    return found


def capacity_cpu(c: dict) -> list[dict]:
    """Server CPU per rerun and per open: against the one-line app (issue 28: per rerun at most
    CPU_TARGET x, per open OPEN_TARGET x) and against the replay floor (SHAPE_CPU_TARGET x)."""
    found = []
    limits = {"rerun_cpu_ms": CPU_TARGET, "open_cpu_ms": OPEN_TARGET}
    for key, short, label in CPU_KINDS:
        for floor, suffix, limit, what in (
            ("vs_one_line", "", limits[key], "the one-line app"),
            ("vs_shape", " shape", SHAPE_CPU_TARGET,
             "the replay floor (Streamlit sending the same deltas)"),
        ):
            v = (c.get(floor) or {}).get(key)
            if v is None:
                continue
            found.append({"kind": "server", "key": f"capacity {short}{suffix}",
                          "name": f"server CPU {label} x {what}", "ratio": v["ratio"],
                          "spread": v["spread"], "limit": limit,
                          "met": verdict(v["ratio"], limit)})
    return found


def tally(found: list[dict]) -> dict:
    """How many targets were met, missed and not measured."""
    return {
        "met": sum(1 for t in found if t["met"] is True),
        "missed": sum(1 for t in found if t["met"] is False),
        "unmeasured": sum(1 for t in found if t["met"] is None),
        "total": len(found),
    }
