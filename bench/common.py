"""Small shared helpers of the benchmark: statistics, progress lines, machine and versions."""

from __future__ import annotations

import math
import os
import platform
import re
import statistics
import subprocess
import time
from pathlib import Path


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile (0..100), linear between closest ranks."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low, high = math.floor(pos), math.ceil(pos)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def ratio(value: float | None, floor: float | None) -> float | None:
    if value is None or not floor:
        return None
    return value / floor


def rotated(items: list, shift: int) -> list:
    """`items` started at position `shift` (mod its length): round k leads with another item."""
    if not items:
        return []
    shift %= len(items)
    return items[shift:] + items[:shift]


def loadavg() -> list[float]:
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return []


def rss_mb(pid: int) -> float | None:
    """VmRSS of a process, in MB (from /proc/<pid>/status)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def progress(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def machine_info() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text(errors="replace")
    models = re.findall(r"^model name\s*:\s*(.+)$", cpuinfo, flags=re.M)
    mhz = re.findall(r"^cpu MHz\s*:\s*(.+)$", cpuinfo, flags=re.M)
    meminfo = Path("/proc/meminfo").read_text()
    total = re.search(r"^MemTotal:\s*(\d+)", meminfo, flags=re.M)
    return {
        "cpu_model": models[0] if models else platform.processor(),
        "cpu_count_proc_cpuinfo": len(models),
        "cpu_mhz": float(mhz[0]) if mhz else None,
        "nproc": len(os.sched_getaffinity(0)),
        "mem_total_gb": round(int(total.group(1)) / 1024 / 1024, 1) if total else None,
        "kernel": platform.release(),
        "loadavg_start": loadavg(),
    }


def versions() -> dict:
    import importlib.metadata as md

    import yaml

    found = {"python": platform.python_version()}
    for name in ("streamlit", "plotly", "pandas", "pydantic", "PyYAML", "playwright", "pyarrow",
                 "jinja2"):
        try:
            found[name] = md.version(name)
        except md.PackageNotFoundError:
            found[name] = None
    found["libyaml"] = bool(getattr(yaml, "__with_libyaml__", False))
    try:
        out = subprocess.run(
            ["/usr/bin/chromium", "--version"], capture_output=True, text=True, timeout=30
        ).stdout.strip()
        found["chromium"] = out or None
    except (OSError, subprocess.TimeoutExpired):
        found["chromium"] = None
    return found
