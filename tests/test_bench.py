"""The benchmark's pure parts: floor generation, ratios and targets, the results template."""

from __future__ import annotations

import pytest

from bench import LANGS, cold, session
from bench.common import rotated
from bench.floors import FILTER_PAGE, dashboard_shape, write_frame_floor, write_shape_floor
from bench.report import read_notes, render
from bench.targets import BASELINE_TOLERANCE, TARGET_RATIO, collect, compare, tally

PAGES, TITLES, ICONS = dashboard_shape()
COUNTS = {page: {"en": i % 4, "zh": (i + 1) % 4} for i, page in enumerate(PAGES)}


@pytest.fixture(scope="module")
def floor(tmp_path_factory):
    folder = tmp_path_factory.mktemp("floor")
    return folder, write_shape_floor(folder, COUNTS, TITLES, ICONS)


def test_dashboard_shape_comes_from_the_app():
    from haixi.app import PAGE_ICONS, page_title
    from haixi.app import PAGES as APP_PAGES

    assert PAGES == tuple(APP_PAGES)
    assert ICONS == PAGE_ICONS
    assert all(TITLES[p][lang] == page_title(p, lang) for p in PAGES for lang in LANGS)


def test_floor_files_are_valid_python(floor):
    folder, entry = floor
    scripts = [entry, *sorted((folder / "page_scripts").glob("*.py"))]
    assert len(scripts) == len(PAGES) + 1
    for path in scripts:
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
    source = entry.read_text(encoding="utf-8")
    assert "st.navigation" in source and "segmented_control" in source
    assert source.count("st.sidebar.caption") == 2


def _every_page(entry, folder: str, lang: str):
    """(page, AppTest) on each page of a generated app in turn, in `lang`, none failing."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(entry), default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    for page in PAGES:
        if page != PAGES[0]:
            at.switch_page(f"{folder}/{page}.py").run()
        assert not at.exception, page
        yield page, at


@pytest.mark.parametrize("lang", LANGS)
def test_floor_pages_draw_the_requested_charts(floor, lang):
    _, entry = floor
    for page, at in _every_page(entry, "page_scripts", lang):
        assert at.title[0].value == TITLES[page][lang]
        assert len(at.get("plotly_chart")) == COUNTS[page][lang], page
        assert len(at.selectbox) == (1 if page == FILTER_PAGE else 0), page


@pytest.mark.parametrize("lang", LANGS)
def test_frame_app_is_the_dashboards_frame_over_the_floors_pages(tmp_path, lang, monkeypatch):
    from bench import REPO

    entry = write_frame_floor(tmp_path, COUNTS, PAGES)
    assert entry.read_text(encoding="utf-8") == (REPO / "dashboard.py").read_text(encoding="utf-8")
    monkeypatch.setenv("HAIXI_FACTS", str(REPO / "data" / "facts.yaml"))
    for page, at in _every_page(entry, "pages", lang):
        assert at.title[0].value == TITLES[page][lang]
        # the dashboard's sidebar: its language switch and footer
        assert len(at.sidebar.get("button_group")) == 1
        assert len(at.sidebar.caption) == 2
        assert len(at.get("plotly_chart")) == COUNTS[page][lang], page
        assert len(at.selectbox) == (1 if page == FILTER_PAGE else 0), page
        assert not at.metric and not at.markdown, page  # none of the page's content


def _records(values: list[float], rounds: list[int] | None = None) -> list[dict]:
    return [{"round": r, "ms": v} for r, v in zip(rounds or range(len(values)), values,
                                                   strict=True)]


def test_compare_is_the_ratio_of_medians_with_round_by_round_spread():
    found = compare(_records([130, 120, 390]), _records([100, 100, 300]))
    assert found["ratio"] == pytest.approx(130 / 100)
    assert found["spread"] == [pytest.approx(1.2), pytest.approx(1.3)]
    assert found["rounds"] == 3


def test_compare_pairs_only_rounds_measured_on_both_sides():
    found = compare(_records([200, 400], rounds=[0, 2]), _records([100, 100, 100]))
    assert found["rounds"] == 2 and found["paired"] == [2.0, 4.0]
    assert compare([], _records([100]))["ratio"] is None


def test_rotated_starts_each_round_elsewhere():
    assert rotated([1, 2, 3], 0) == [1, 2, 3]
    assert rotated([1, 2, 3], 4) == [2, 3, 1]
    assert rotated([], 3) == []


def test_click_order_visits_every_page_once_and_ends_on_the_filter_page():
    order = session.click_order(PAGES)
    assert sorted(order) == sorted(PAGES)
    assert order[0] != PAGES[0] and order[-1] == FILTER_PAGE


def _session_results(dashboard_ms: float, floor_ms: float,
                     frame_ms: float | None = None) -> dict:
    """session.summarise over fake samples: every step of one round in both languages (and
    the frame app's, when `frame_ms` is given)."""
    apps = ["dashboard", "floor"] + (["frame"] if frame_ms is not None else [])
    samples: dict[str, dict[str, list[dict]]] = {app: {} for app in apps}
    for lang in LANGS:
        for page in session.click_order(PAGES):
            samples["dashboard"][f"switch {page}/{lang}"] = _records([dashboard_ms])
            samples["floor"][f"switch {page}/{lang}"] = _records([floor_ms])
            if frame_ms is not None:
                samples["frame"][f"switch {page}/{lang}"] = _records([frame_ms])
        samples["dashboard"][f"filter/{lang}"] = _records([dashboard_ms])
        samples["dashboard"][f"lang switch/{lang}"] = _records([floor_ms])
        samples["floor"][f"select/{lang}"] = _records([floor_ms])
        if frame_ms is not None:
            samples["frame"][f"select/{lang}"] = _records([frame_ms])
    return session.summarise({"samples": samples, "failures": {}}, 1, apps, PAGES)


def test_the_frame_is_compared_with_the_floor_and_the_dashboard_with_the_frame():
    results = _session_results(300, 100, frame_ms=120)
    frame = results["frame_vs_floor"]
    assert set(frame) == {f"{p}/{lang}" for p in PAGES for lang in LANGS} | {
        f"select/{lang}" for lang in LANGS}
    assert all(c["ratio"] == pytest.approx(1.2) for c in frame.values())
    assert all(c["ratio"] == pytest.approx(2.5) for c in results["dashboard_vs_frame"].values())
    # informational: the frame adds no target
    assert len(collect({"session": results})) == len(collect({"session": _session_results(
        300, 100)}))
    text = render({**_fake_results(quick=False), "session": results}, notes_text="")
    assert "**The frame alone**" in text
    assert "| overview/en | 120 | 100 | 1.20× | 1.20–1.20× | 2.50× | 2.50–2.50× |" in text
    assert "| select/zh (the floor's selectbox) | 120 | 100 | 1.20× |" in text
    assert "**The frame alone**" not in render(_fake_results(quick=False), notes_text="")


def test_targets_follow_the_ratio_limit():
    slow = collect({"session": _session_results(TARGET_RATIO * 100 + 1, 100)})
    assert len(slow) == len(PAGES) * len(LANGS) + 2 * len(LANGS)
    switches = [t for t in slow if t["kind"] == "session"]
    assert switches and all(t["met"] is False for t in switches)
    # the language switch took the floor's time: met, while the filter change was slow
    assert {t["name"]: t["met"] for t in slow if t["kind"] == "interaction"} == {
        **{f"filter/{lang}": False for lang in LANGS},
        **{f"lang switch/{lang}": True for lang in LANGS},
    }
    fast = collect({"session": _session_results(TARGET_RATIO * 100, 100)})
    assert tally(fast) == {"met": len(fast), "missed": 0, "unmeasured": 0, "total": len(fast)}


def test_baseline_targets_allow_the_noise_band_only():
    def baseline(new: float) -> dict:
        raw = {"samples": {app: {"overview/en": [{"round": 0, "ms": ms, "charts": 0,
                                                  "errors": 0, "title": "t"}]}
                           for app, ms in (("dashboard", new), ("floor", 100),
                                           ("baseline", 100))},
               "failures": {}}
        return {"cold": cold.summarise(raw, 1, ["dashboard", "floor", "baseline"], [])}

    def met(results: dict) -> bool:
        return next(t["met"] for t in collect(results) if t["kind"] == "baseline")

    assert met(baseline(100 * BASELINE_TOLERANCE)) is True
    assert met(baseline(100 * BASELINE_TOLERANCE + 1)) is False


def test_read_notes_keys_sections_by_heading():
    notes = read_notes("# Notes\n\npreamble\n\n## session\n\nTried X.\n\n## cold sources/zh\n"
                       "A, then B.\n")
    assert notes == {"session": "Tried X.", "cold sources/zh": "A, then B."}


def _fake_results(quick: bool) -> dict:
    return {
        "quick": quick, "baseline": None, "argv": ["--quick"] if quick else [],
        "finished": "2026-12-02T05:00:00", "duration_s": 90.0,
        "machine": {"cpu_model": "cpu", "nproc": 2, "mem_total_gb": 8, "kernel": "k",
                    "loadavg_start": [1.0], "loadavg_end": [2.0]},
        "versions": {"streamlit": "1.67.0"},
        "server_tracebacks": {"dashboard": 0, "floor": 0},
        "floor_charts": COUNTS, "floor_shape_ok": True,
        "session": _session_results(200, 100),
    }


def test_template_marks_a_smoke_run_and_fills_missed_targets_from_the_notes():
    notes = "## session\n\nGrouped note.\n\n## session economy/en\n\nFolded the cards: -40 ms.\n"
    text = render(_fake_results(quick=True), notes_text=notes)
    assert "Smoke run" in text
    assert "## Missed targets: what was tried and what it cost" in text
    assert "Grouped note." in text
    assert "Folded the cards: -40 ms." in text
    # a missed target without a note of its own says where to write one
    assert "add a `## session chains/zh` section to bench/notes.md" in text
    total = len(collect(_fake_results(True)))
    # the fake language switch took the floor's time: met in both languages
    assert f"{len(LANGS)} of {total} targets met, {total - len(LANGS)} missed" in text
    assert "| economy/en | 200 | 100 | 2.00× |" in text


def test_template_of_a_full_run_without_misses_has_no_smoke_banner_or_notes_section():
    results = _fake_results(quick=False)
    results["session"] = _session_results(100, 100)
    text = render(results, notes_text="## findings\n\nEarlier work.\n")
    assert "Smoke run" not in text
    assert "Missed targets" not in text
    assert "## Findings so far\n\nEarlier work." in text


def test_failed_loads_of_the_paired_apps_are_missed_targets_but_not_those_of_info_apps():
    raw = {"samples": {}, "failures": {"dashboard economy/en": ["TimeoutError: x"],
                                       "chart_grid -": ["TimeoutError: y"]}}
    results = {"cold": cold.summarise(raw, 1, ["dashboard", "floor"], ["chart_grid"])}
    failed = [t["name"] for t in collect(results) if t.get("failed")]
    assert failed == ["cold load dashboard economy/en"]
