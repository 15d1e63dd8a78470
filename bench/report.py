"""results.md from the raw results: the template bench/results.md.j2, the notes in bench/notes.md."""

from __future__ import annotations

import re
from pathlib import Path

from bench import BENCH, SECTIONS
from bench.targets import (
    BASELINE_TOLERANCE,
    CONFIRM_FACTOR,
    TARGET_RATIO,
    collect,
    tally,
    verdict,
)

TEMPLATE = BENCH / "results.md.j2"
NOTES = BENCH / "notes.md"
KIND_LABELS = {
    "cold": "Cold loads",
    "baseline": "Against the baseline revision",
    "session": "In session (failed sessions)",
    "server": "Server CPU and capacity",
    "other": "Concurrency and growth",
}


def read_notes(text: str) -> dict[str, str]:
    """`## key` heading -> the Markdown under it (the file's text before the first heading, its
    preamble for whoever edits it, is left out)."""
    parts = re.split(r"^## (.+?)\s*$", text, flags=re.MULTILINE)
    return {parts[i].strip(): parts[i + 1].strip() for i in range(1, len(parts), 2)}


def fmt(value: float | None, digits: int = 0, unit: str = "") -> str:
    return "–" if value is None else f"{value:,.{digits}f}{unit}"


def fmt_ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}×"


def fmt_spread(spread: list[float] | None) -> str:
    return "–" if not spread else f"{spread[0]:.2f}–{spread[1]:.2f}×"


def fmt_verdict(met: bool | None) -> str:
    return "–" if met is None else ("met" if met else "**missed**")


def context(results: dict, notes: dict[str, str]) -> dict:
    """Everything the template reads."""
    found = collect(results)
    missed: dict[str, list[dict]] = {}
    for target in found:
        if target["met"] is False:
            target["note"] = notes.get(target["key"])
            missed.setdefault(target["kind"], []).append(target)
    return {
        "r": results,
        "partial": [s for s in SECTIONS if s in results.get("sections", SECTIONS)]
        if set(results.get("sections", SECTIONS)) != set(SECTIONS) else None,
        "targets": found,
        "tally": tally(found),
        "missed": missed,
        "notes": notes,
        "kind_labels": KIND_LABELS,
        "target_ratio": TARGET_RATIO,
        "baseline_tolerance": BASELINE_TOLERANCE,
        "confirm_factor": CONFIRM_FACTOR,
        "against_target": lambda value: fmt_verdict(verdict(value, TARGET_RATIO)),
    }


def render(results: dict, notes_text: str | None = None, template: Path = TEMPLATE) -> str:
    import jinja2

    if notes_text is None:
        notes_text = NOTES.read_text(encoding="utf-8") if NOTES.exists() else ""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template.parent)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # Markdown, not HTML; every value is a number or this run's own text
    )
    env.filters.update(fmt=fmt, ratio=fmt_ratio, spread=fmt_spread, verdict=fmt_verdict)
    text = env.get_template(template.name).render(**context(results, read_notes(notes_text)))
    return re.sub(r"\n{3,}", "\n\n", text).rstrip() + "\n"
