"""The benchmark's pure parts: floor generation, ratios and targets, the results template."""

from __future__ import annotations

import pytest

from bench import LANGS, cold, session
from bench.common import rotated
from bench.floors import FILTER_PAGE, dashboard_shape, write_frame_floor, write_shape_floor
from bench.report import read_notes, render
from bench.targets import (
    BASELINE_TOLERANCE,
    CONFIRM_FACTOR,
    TARGET_RATIO,
    collect,
    compare,
    confirmation,
)

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


def test_compare_is_the_median_of_the_round_by_round_ratios_with_their_spread():
    # Fictitious rounds: the second side's slow third round does not hide that the first side
    # took 1.1x in the rounds both were timed alike (the medians' ratio would say 0.55x).
    found = compare(_records([110, 220, 90]), _records([100, 200, 300]))
    assert found["ratio"] == pytest.approx(1.1)
    assert found["spread"] == [pytest.approx(0.3), pytest.approx(1.1)]
    assert (found["value"], found["floor"], found["rounds"]) == (110, 200, 3)


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


def test_a_confirmation_round_needs_only_its_steps_in_its_language():
    keep = ["switch text/en", "filter/zh", "lang switch/en"]
    assert session.wanted(keep, "en") == {"switch text", "lang switch"}
    assert session.wanted(keep, "zh") == {"filter"}
    assert session.wanted(None, "en") is None


class _Fake:
    """Stands in for Playwright's context, page, locator and keyboard: every call is a no-op
    that returns another fake."""

    def __getattr__(self, name):
        return _Fake()

    def __call__(self, *args, **kwargs):
        return _Fake()

    async def close(self):
        return None

    async def press(self, key):
        return None


@pytest.mark.parametrize("until, last", [
    (None, "lang switch"), ({"switch chains"}, "switch chains"),
    ({"switch economy", "filter"}, "filter"), ({"lang switch"}, "lang switch")])
def test_a_session_walks_as_far_as_its_last_wanted_step(monkeypatch, until, last):
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    async def fake_new_page(browser):
        return _Fake(), _Fake(), _Fake()

    async def fake_drawn(page, url, **kwargs):
        return {"rendered_s": 1.0}

    async def fake_step(page, cdp, locator, *args, **kwargs):
        return {"ms": 1.0}

    monkeypatch.setattr(session, "new_page", fake_new_page)
    monkeypatch.setattr(session, "time_to_drawn", fake_drawn)
    monkeypatch.setattr(session, "_timed", fake_step)
    monkeypatch.setattr(session, "_pick", fake_step)
    expect = {f"{p}/{lang}": {"title": p, "charts": 0} for p in PAGES for lang in LANGS}
    steps: dict = {}
    # In a thread of its own: a worker that ran Playwright's sync API before has an event
    # loop running in this one, and asyncio.run refuses to start another there.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, session.one_session(
            None, "http://x/", "en", PAGES, expect, "dashboard", steps, until)).result()
    walk = ["open", *(f"switch {p}" for p in session.click_order(PAGES)), "filter",
            "lang switch"]
    assert list(steps) == walk[:walk.index(last) + 1]


def _session_results(dashboard_ms: float, frame_ms: float,
                     baseline_ms: float | None = None) -> dict:
    """session.summarise over fake samples: every step of one round in both languages, for
    the dashboard, its frame and, when `baseline_ms` is given, the baseline."""
    apps = {"dashboard": dashboard_ms, session.FRAME: frame_ms}
    if baseline_ms is not None:
        apps["baseline"] = baseline_ms
    samples: dict[str, dict[str, list[dict]]] = {app: {} for app in apps}
    for app, ms in apps.items():
        for lang in LANGS:
            for page in session.click_order(PAGES):
                samples[app][f"switch {page}/{lang}"] = _records([ms])
            steps = ("select",) if app == session.FRAME else ("filter", "lang switch")
            for step in steps:
                samples[app][f"{step}/{lang}"] = _records([ms])
    return session.summarise({"samples": samples, "failures": {}}, 1, list(apps), PAGES)


def _cold_results(dashboard_ms: float, floor_ms: float, baseline_ms: float | None = None,
                  failures: dict | None = None) -> dict:
    """cold.summarise over one fake round of overview/en on every app."""
    apps = {"dashboard": dashboard_ms, "floor": floor_ms}
    if baseline_ms is not None:
        apps["baseline"] = baseline_ms
    raw = {"samples": {app: {"overview/en": [{"round": 0, "ms": ms, "charts": 0, "errors": 0,
                                             "title": "t"}]} for app, ms in apps.items()},
           "failures": failures or {}}
    return cold.summarise(raw, 1, list(apps))


def test_the_dashboard_is_reported_beside_its_frame_without_a_target():
    results = _session_results(300, 120)
    assert set(results["vs_frame"]) == {f"{p}/{lang}" for p in PAGES for lang in LANGS} | {
        f"{step}/{lang}" for step in ("filter", "lang switch") for lang in LANGS}
    assert all(c["ratio"] == pytest.approx(2.5) for c in results["vs_frame"].values())
    # the title-only floor's targets are retired: a slow session alone misses nothing
    assert collect({"session": results}) == []
    text = render({**_fake_results(quick=False), "session": results}, notes_text="")
    assert "| chains/en | 300 | 120 | 2.50× | 2.50–2.50× |" in text
    assert "| filter/zh (frame: its selectbox) | 300 | 120 | 2.50× |" in text


def test_session_steps_are_guarded_against_the_baseline_only():
    def targets(new: float) -> list[dict]:
        results = {"baseline": "abc1234", "session": _session_results(new, 100, 100)}
        return [t for t in collect(results) if t["kind"] == "baseline"]

    within = targets(100 * BASELINE_TOLERANCE)
    # every switch, the filter change and the language switch, in both languages
    assert len(within) == len(PAGES) * len(LANGS) + 2 * len(LANGS)
    assert all(t["met"] for t in within)
    assert not any(t["met"] for t in targets(100 * BASELINE_TOLERANCE + 1))


def test_cold_loads_follow_the_ratio_limit():
    def met(dashboard_ms: float) -> bool:
        return next(t["met"] for t in collect({"cold": _cold_results(dashboard_ms, 100)}))

    assert met(100 * TARGET_RATIO) is True
    assert met(100 * TARGET_RATIO + 1) is False


def test_baseline_targets_allow_the_noise_band_only():
    def met(new: float) -> bool:
        results = {"cold": _cold_results(new, 100, baseline_ms=100)}
        return next(t["met"] for t in collect(results) if t["kind"] == "baseline")

    assert met(100 * BASELINE_TOLERANCE) is True
    assert met(100 * BASELINE_TOLERANCE + 1) is False


def test_read_notes_keys_sections_by_heading():
    notes = read_notes("# Notes\n\npreamble\n\n## session\n\nTried X.\n\n## cold sources/zh\n"
                       "A, then B.\n")
    assert notes == {"session": "Tried X.", "cold sources/zh": "A, then B."}


def _fake_results(quick: bool) -> dict:
    return {
        "quick": quick, "baseline": None, "argv": ["--quick"] if quick else [],
        "finished": "2026-12-02T05:00:00", "duration_s": 90.0, "file_watcher": "auto",
        "machine": {"cpu_model": "cpu", "nproc": 2, "mem_total_gb": 8, "kernel": "k",
                    "loadavg_start": [1.0], "loadavg_end": [2.0]},
        "versions": {"streamlit": "1.67.0"},
        "server_tracebacks": {"dashboard": 0, "floor": 0},
        "floor_charts": COUNTS, "floor_shape_ok": True,
        "census": {"dashboard": {"overview/en": {"ms": 4321.0}}},
        "cold": _cold_results(200, 100),
    }


def test_template_marks_a_smoke_run_and_fills_missed_targets_from_the_notes():
    notes = ("## cold\n\nGrouped note.\n\n## cold overview/en\n\nFolded the cards: -40 ms.\n"
             "\n## where the time goes\n\nThe file watcher.\n")
    text = render(_fake_results(quick=True), notes_text=notes)
    assert "Smoke run" in text
    assert "## Missed targets" in text
    assert "Grouped note." in text
    assert "- **cold load overview/en** (2.00×): Folded the cards: -40 ms." in text
    assert "## Where the time goes\n\nThe file watcher." in text
    assert "0 of 1 targets met, 1 missed" in text
    # the first visit (the census) beside the median of the timed rounds
    assert "| overview/en | 0 | 4,321 | 200 | 100 | 2.00× |" in text
    assert "file watcher `auto`" in text
    assert "Partial run" not in text
    assert "**Partial run: cold only.**" in render({**_fake_results(quick=True),
                                                    "sections": ["cold"]}, notes_text="")


def test_template_of_a_full_run_without_misses_has_no_smoke_banner_or_notes_section():
    results = _fake_results(quick=False)
    results["cold"] = _cold_results(100, 100)
    text = render(results, notes_text="## cold\n\nEarlier work.\n")
    assert "Smoke run" not in text
    assert "Missed targets" not in text and "Earlier work." not in text
    assert "1 of 1 targets met." in text


def test_failed_loads_of_the_compared_apps_are_missed_targets():
    results = {"cold": _cold_results(100, 100, failures={
        "dashboard economy/en": ["TimeoutError: x"], "floor chains/zh": ["TimeoutError: y"]})}
    failed = [t["name"] for t in collect(results) if t.get("failed")]
    assert failed == ["cold dashboard economy/en", "cold floor chains/zh"]


def test_a_smoke_or_partial_run_never_writes_the_committed_results():
    from bench import BENCH, OUT
    from bench.__main__ import destinations, parse

    assert destinations(parse([])) == (OUT / "results.json", BENCH / "results.md")
    assert destinations(parse(["--quick"]))[1] == OUT / "results-partial.md"
    assert destinations(parse(["--sections", "cold"]))[1] == OUT / "results-partial.md"


def test_apps_are_served_with_the_trees_own_file_watcher(tmp_path, monkeypatch):
    import contextlib

    import tests.browser
    from bench.servers import App, file_watcher, serving

    assert file_watcher(tmp_path) == "auto"  # no config: Streamlit's default
    (tmp_path / ".streamlit").mkdir()
    config = tmp_path / ".streamlit" / "config.toml"
    config.write_text("[server]\nheadless = true\n", encoding="utf-8")
    assert file_watcher(tmp_path) == "auto"
    config.write_text('[server]\nfileWatcherType = "none"\n', encoding="utf-8")
    assert file_watcher(tmp_path) == "none"

    started = []

    @contextlib.contextmanager
    def fake_server(script, env, cwd, extra_args):
        started.append((script, cwd, list(extra_args)))
        yield script

    monkeypatch.setattr(tests.browser, "streamlit_server", fake_server)
    app = App("dashboard", tmp_path / "dashboard.py", tmp_path)
    with serving([app]):
        pass
    with serving([app], watcher="poll"):
        pass
    assert [args for *_, args in started] == [["--server.fileWatcherType", "none"],
                                              ["--server.fileWatcherType", "poll"]]
    assert started[0][1] == tmp_path


def test_growth_copies_of_facts_naming_a_measure_still_validate():
    """Each copy reads its own copy of a measure: copies of the fixture (whose facts name
    measures) would otherwise give the same measure, period and source twice."""
    import yaml

    from bench.growth import replicate
    from haixi.loader import load_text
    from tests.test_years import MULTI

    data = yaml.safe_load(MULTI.read_text(encoding="utf-8"))
    assert any(f.get("measure") for f in data["facts"])
    grown = load_text(yaml.safe_dump(replicate(data, 10), allow_unicode=True))
    assert len(grown.facts) == 10 * len(data["facts"])
    originals = {f["id"]: f.get("measure") for f in data["facts"]}
    for k in range(1, 10):
        for ident, measure in originals.items():
            if measure:
                assert grown.by_id(f"{ident}-r{k}").measure == f"{measure}-r{k}"


# --------------------------------------------------------------------------- capacity CPU


def _cost(open_cpu: float, rerun_cpu: float, messages: float) -> list[dict]:
    """Fictitious cost rounds of one app: three rounds around the given CPU ms."""
    return [{"open_cpu_ms": open_cpu * k, "rerun_cpu_ms": rerun_cpu * k, "open_ms": [10.0],
             "rerun_ms": [5.0], "messages": messages} for k in (1, 1.1, 0.9)]


def _capacity(shape_elements: dict | None = None, dashboard=(20, 12, 60),
              shape=(16, 8, 60)) -> dict:
    """The capacity summary of fictitious cost rounds: one-line app 10 ms per open, 3 per rerun,
    5 messages; the dashboard and the replay floor as given (open, rerun, messages)."""
    from bench.capacity import summarise

    elements = {"app/en": 1}
    raw = {"expected_elements": {"dashboard": {"overview/en": 60}, "one_line": elements,
                                 "shape": shape_elements or {"overview/en": 60}},
           "costs": {"dashboard": _cost(*dashboard), "one_line": _cost(10, 3, 5),
                     "shape": _cost(*shape)},
           "ramp": {"dashboard": [], "one_line": []}}
    return summarise(raw, (10,), rounds=3, opens=20, reruns=70)


def _by_key(results: dict) -> dict[str, dict]:
    return {t["key"]: t for t in collect(results)}


def test_capacity_cpu_targets_come_from_collect_against_both_floors():
    found = _by_key({"capacity": _capacity()})
    # 12 / 3 = 4x per rerun (limit 3x), 20 / 10 = 2x per open (limit 2x: met at the limit)
    assert found["capacity rerun"]["ratio"] == pytest.approx(4.0)
    assert found["capacity rerun"]["met"] is False
    assert found["capacity open"]["ratio"] == pytest.approx(2.0)
    assert found["capacity open"]["met"] is True
    # against the replay floor: 12 / 8 = 1.5x per rerun (missed), 20 / 16 = 1.25x per open
    assert found["capacity rerun shape"]["ratio"] == pytest.approx(1.5)
    assert found["capacity rerun shape"]["met"] is False
    assert found["capacity open shape"]["met"] is True
    assert found["capacity rerun shape"]["limit"] == TARGET_RATIO
    # listed under their own kind in the missed targets, with the cluster's
    assert {t["kind"] for k, t in found.items() if k.startswith("capacity ")} == {"server"}
    cheaper = _by_key({"capacity": _capacity(dashboard=(21, 8.5, 60))})
    assert cheaper["capacity rerun"]["met"] is True  # 8.5 / 3 = 2.83x
    assert cheaper["capacity open"]["met"] is False  # 21 / 10 = 2.1x
    assert cheaper["capacity rerun shape"]["met"] is True  # 8.5 / 8 = 1.06x


def test_a_replay_floor_with_other_elements_than_the_dashboard_decides_nothing():
    capacity = _capacity(shape_elements={"overview/en": 59})
    assert capacity["shape_ok"] is False
    keys = set(_by_key({"capacity": capacity}))
    assert {"capacity rerun", "capacity open"} <= keys
    assert not {k for k in keys if k.endswith(" shape")}


def test_the_messages_a_rerun_could_send_at_the_target():
    # one-line 3 ms for 5 messages; the dashboard 12 ms for 60: 9 ms / 55 messages each, so 3x
    # (6 ms over the one-line app's) is 5 + 6 / (9 / 55) = 41.7 messages.
    assert _capacity()["messages_at_target"] == pytest.approx(5 + 6 * 55 / 9)


def test_the_capacity_table_shows_the_verdicts_of_collect():
    text = render({**_fake_results(quick=False), "capacity": _capacity()}, notes_text="")
    rows = [line for line in text.splitlines() if line.startswith("| per ")]
    assert rows == [
        "| per rerun | 12.0 | one-line | 3.0 | 4.00× | 4.00–4.00× | ≤ 3.0× | **missed** |",
        "| per rerun | 12.0 | replay | 8.0 | 1.50× | 1.50–1.50× | ≤ 1.3× | **missed** |",
        "| per session open | 20.0 | one-line | 10.0 | 2.00× | 2.00–2.00× | ≤ 2.0× | met |",
        "| per session open | 20.0 | replay | 16.0 | 1.25× | 1.25–1.25× | ≤ 1.3× | met |",
    ]
    assert "could send about **42** messages" in text
    assert "drew the dashboard's element counts" in text


def _delta(path: tuple[int, ...], text: str | None) -> bytes:
    """A fictitious delta ForwardMsg: a Markdown element, or (text None) a container."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = ForwardMsg()
    msg.metadata.delta_path[:] = path
    if text is None:
        msg.delta.add_block.vertical.border = True
    else:
        msg.delta.new_element.markdown.body = text
    return msg.SerializeToString()


def test_the_replay_floor_sends_the_recorded_deltas_again(tmp_path):
    from streamlit.testing.v1 import AppTest

    from bench.floors import write_replay_floor

    # Fictitious recording: per page and language a heading, a bordered container holding
    # one line, and a sidebar line.
    recording = {f"{page}/{lang}": [_delta((0, 0), f"{page} {lang}"), _delta((0, 1), None),
                                    _delta((0, 1, 0), f"inside {lang}"),
                                    _delta((1, 0), f"side {lang}")]
                 for page in PAGES for lang in LANGS}
    entry = write_replay_floor(tmp_path, recording, TITLES, ICONS)
    compile(entry.read_text(encoding="utf-8"), str(entry), "exec")
    for lang in LANGS:
        at = AppTest.from_file(str(entry), default_timeout=60)
        at.query_params["lang"] = lang
        at.run()
        assert not at.exception
        assert [m.value for m in at.main.markdown] == [f"{PAGES[0]} {lang}", f"inside {lang}"]
        assert [m.value for m in at.sidebar.markdown] == [f"side {lang}"]
        box = at.main.children[1]  # the container, bordered as recorded, holding its line
        assert box.proto.vertical.border is True
        assert [m.value for m in box.markdown] == [f"inside {lang}"]


# Fictitious rounds for the baseline guard (not measured): the baseline's times of one step, and
# the dashboard's as round-by-round ratios to them, spread as the machine's noise spreads them.
BASE_MS = [120, 131, 118, 140, 125, 122, 150]
NOISE = [0.86, 1.50, 0.95, 1.20, 1.15, 1.02, 1.30]  # median 1.15: over in the first rounds
QUIET = [0.92, 1.05, 0.88, 1.00, 0.97, 1.12, 0.94]  # median 0.97
STEP = "switch economy/en"


def _guard_results(first: list[float], again: list[float] | None) -> dict:
    """session.summarise over one guarded step: the first rounds' ratios, and those of the
    confirmation rounds when the step was measured again."""
    reps = len(first)
    raw: dict = {"samples": {"dashboard": {STEP: _records([b * x for b, x in zip(
        BASE_MS, first, strict=True)])}, "baseline": {STEP: _records(BASE_MS)}}, "failures": {}}
    plan = confirmation(raw["samples"], reps, "in session")
    assert list(plan["rounds"]) == list(range(reps, reps + CONFIRM_FACTOR * reps))
    if again is not None:
        assert plan["keys"] == [STEP]
        rounds = list(plan["rounds"])[:len(again)]
        plan["samples"] = {
            "dashboard": {STEP: _records([b * x for b, x in zip(BASE_MS, again, strict=True)],
                                         rounds)},
            "baseline": {STEP: _records(BASE_MS, rounds)}}
    else:
        assert plan["keys"] == []
    raw["again"] = plan
    return session.summarise(raw, reps, ["dashboard", "baseline"], PAGES)


def _guard(results: dict) -> dict:
    [target] = [t for t in collect({"baseline": "abc1234", "session": results})
                if t["kind"] == "baseline"]
    return target


def test_only_the_steps_over_the_tolerance_are_measured_again():
    samples = {"dashboard": {"a/en": _records([112, 90]), "b/en": _records([110, 110]),
                             "c/en": _records([100])},
               "baseline": {"a/en": _records([100, 80]), "b/en": _records([100, 100])}}
    # a: 1.12x and 1.125x; b: at the tolerance; c: nothing to compare with
    assert confirmation(samples, 2, "x")["keys"] == ["a/en"]
    samples["dashboard"]["a/en"] = _records([100, 80])
    plan = confirmation(samples, 2, "x")
    assert plan["keys"] == [] and plan["note"] is None


def test_a_step_over_the_tolerance_only_in_its_first_rounds_is_met_when_confirmed():
    results = _guard_results(NOISE, QUIET)
    target = _guard(results)
    assert target["first"]["ratio"] == pytest.approx(1.15)  # what the first rounds said
    assert target["ratio"] <= BASELINE_TOLERANCE and target["met"] is True
    assert target["rounds"] == 2 * len(NOISE) and results["confirmed"] == [STEP]


def test_a_step_over_the_tolerance_in_both_is_missed():
    target = _guard(_guard_results(NOISE, NOISE))
    assert target["first"]["ratio"] == pytest.approx(1.15)
    assert target["ratio"] == pytest.approx(1.15) and target["met"] is False


def test_a_step_under_the_tolerance_is_not_measured_again():
    target = _guard(_guard_results(QUIET, None))
    assert target["first"] is None and target["met"] is True and target["rounds"] == len(QUIET)


def test_a_real_regression_stays_missed_through_the_machines_noise():
    # A fictitious 1.3x regression seen through the noise of QUIET and NOISE (rounds as low
    # as 1.3 x 0.86 = 1.12x and as high as 1.95x): over in the first rounds, still over after.
    regression = [1.3 * x for x in QUIET]
    target = _guard(_guard_results(regression, [1.3 * x for x in NOISE]))
    assert target["first"]["ratio"] > BASELINE_TOLERANCE
    assert target["ratio"] > 1.2 and target["met"] is False


def test_the_tables_show_the_first_and_the_confirmed_ratio():
    text = render({**_fake_results(quick=False), "baseline": "abc1234",
                   "session": _guard_results(NOISE, QUIET)}, notes_text="")
    row = next(line for line in text.splitlines() if line.startswith("| in session | economy/en"))
    first, confirmed = compare(_records([b * x for b, x in zip(BASE_MS, NOISE, strict=True)]),
                               _records(BASE_MS)), _guard(_guard_results(NOISE, QUIET))
    assert f"| {first['ratio']:.2f}× | 0.86–1.50× | {confirmed['ratio']:.2f}× (14 rounds) |" in row
    target = next(line for line in text.splitlines()
                  if line.startswith("| in session vs baseline, economy/en"))
    assert (f"| {confirmed['ratio']:.2f}× (confirmed over 14 rounds; first 7: 1.15×) |"
            in target)
    assert "| met |" in target
