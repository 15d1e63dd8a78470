"""The capacity benchmark's protocol client and load generator, and the serving configuration.

A simulated rerun must be a real page: the elements the protocol client counts are the ones the
browser mounts (the census), on every page in both languages.
"""

from __future__ import annotations

import os
import re
import socket
import time

import pytest

from bench import LANGS
from bench.browser import CENSUS_JS, page_url
from bench.capacity import Target, check, cpu_seconds, knee, load, per, summarise
from bench.protocol import ProtocolError, Run, Session, check_local, run_once, run_sync
from haixi import serving
from haixi.app import PAGES, plain
from tests.browser import REPO_ROOT, streamlit_server, wait_for_app

TARGETS = [(page, lang) for page in PAGES for lang in LANGS]


# --------------------------------------------------------------------------- pure parts


@pytest.mark.parametrize("url", [
    "http://example.com/", "https://127.0.0.1:8501/", "ws://127.0.0.1:8501/",
    "http://10.0.0.1:8501/", "http://127.0.0.1.example.com/",
])
def test_the_generator_targets_only_127_0_0_1(url):
    with pytest.raises(ProtocolError, match="only http://127.0.0.1"):
        check_local(url)


def test_a_local_address_gets_its_trailing_slash():
    assert check_local("http://127.0.0.1:8501") == "http://127.0.0.1:8501/"
    assert check_local("http://localhost:9/") == "http://localhost:9/"


def _level(readers: int, p95: float | None, dropped: int = 0) -> dict:
    return {"readers": readers, "rerun": {"p95": p95}, "dropped": dropped}


def test_the_knee_is_the_most_readers_before_the_first_level_past_one_second():
    levels = [_level(10, 40), _level(25, 300), _level(50, 990), _level(100, 1500),
              _level(200, 800)]  # back under 1 s after a miss: the first miss ends the count
    assert knee(levels) == 50
    assert knee([_level(10, 1001)]) is None
    assert knee([_level(10, 50), _level(25, 60, dropped=1)]) == 10
    assert knee([]) is None


def test_a_run_with_other_elements_than_its_page_or_an_error_is_flagged():
    expected = {"overview/en": 27}
    assert check(Run(ms=1, elements={"main": 27}), expected, "overview/en") == []
    assert check(Run(ms=1, elements={"main": 26}), expected, "overview/en") == [
        "overview/en: 26 elements, the page has 27"]
    assert check(Run(ms=1, elements={"main": 27}, errors=["exception X: y"]), expected,
                 "overview/en") == ["exception X: y"]


def test_the_cost_rounds_become_ratios_against_the_one_line_app():
    # Fictitious rounds: the dashboard at 4x the one-line app's CPU per rerun, 2x per open.
    def rounds(open_cpu, rerun_cpu):
        return [{"open_cpu_ms": open_cpu * k, "rerun_cpu_ms": rerun_cpu * k,
                 "open_ms": [10.0], "rerun_ms": [5.0]} for k in (1, 1.1, 0.9)]

    raw = {"expected_elements": {}, "costs": {"dashboard": rounds(20, 12),
                                              "one_line": rounds(10, 3)},
           "ramp": {"dashboard": [_level(10, 300), _level(25, 1200)],
                    "one_line": [_level(10, 20), _level(25, 30)]}}
    for levels in raw["ramp"].values():
        for level in levels:
            level["errors"] = 0
    result = summarise(raw, (10, 25), rounds=3, opens=20, reruns=70)
    assert result["vs_one_line"]["rerun_cpu_ms"]["ratio"] == pytest.approx(4.0)
    assert result["vs_one_line"]["open_cpu_ms"]["ratio"] == pytest.approx(2.0)
    assert result["vs_one_line"]["rerun_cpu_ms"]["spread"] == [pytest.approx(4.0)] * 2
    assert result["knee"] == {"dashboard": 10, "one_line": 25}


def test_server_cpu_is_read_from_proc():
    before = cpu_seconds(os.getpid())
    deadline = time.process_time() + 0.1
    while time.process_time() < deadline:
        pass
    after = cpu_seconds(os.getpid())
    assert after - before >= 0.05
    assert cpu_seconds(None) is None
    assert per(1.0, 1.5, 10) == pytest.approx(50.0)
    assert per(None, 1.5, 10) is None


def test_tcp_nodelay_is_set_on_listening_sockets_and_inherited_by_accepted_ones(monkeypatch):
    monkeypatch.setattr(serving, "_done", False)
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 0)
        assert serving.tcp_nodelay() >= 1
        assert server.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        with socket.create_connection(server.getsockname()):
            accepted, _ = server.accept()
            with accepted:
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        assert serving.tcp_nodelay() == 0  # once per process


def test_the_served_configuration_has_no_file_watcher_and_make_run_has_one():
    import tomllib

    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["server"]["fileWatcherType"] == "none"
    makefile = (REPO_ROOT / "Makefile").read_text("utf-8")
    run = re.search(r"^run:.*?(?=^\S)", makefile, flags=re.M | re.S).group(0)
    assert "--server.fileWatcherType auto" in run


# --------------------------------------------------------------------------- against a server


@pytest.fixture(scope="module")
def counted(dashboard_server) -> dict:
    """Every page in both languages, each opened at its own address by the protocol client."""
    return {target: run_once(dashboard_server.url, *target) for target in TARGETS}


def test_every_page_and_language_is_a_full_successful_run(counted):
    for target, run in counted.items():
        assert run.errors == [], target
        assert run.elements.get("main", 0) >= 5, target
        assert run.elements.get("sidebar", 0) >= 1, target


def test_a_click_through_the_sidebar_reruns_the_page_it_names(dashboard_server, counted):
    async def main() -> dict:
        session, _ = await Session.open(dashboard_server.url, "overview", "en")
        try:
            assert set(session.pages) >= {"", "chains", "text"}  # from the navigation message
            return {t: await session.rerun(*t) for t in TARGETS}
        finally:
            await session.close()

    clicked = run_sync(main())
    for target, run in clicked.items():
        assert run.errors == [], target
        assert run.elements == counted[target].elements, target


def test_a_bounded_load_finishes_every_reader(dashboard_server, counted):
    expected = {f"{p}/{lang}": run.elements["main"] for (p, lang), run in counted.items()}
    target = Target("dashboard", dashboard_server.url, dashboard_server.pid, tuple(TARGETS))
    result = run_sync(load(target, readers=3, expected=expected, seed=1, clicks=3))
    assert (result["finished"], result["errors"], result["dropped"]) == (3, 0, 0)
    assert result["open"]["n"] == 3 and result["rerun"]["n"] == 9
    assert result["server_cpu_s"] is not None and result["rss_max_mb"] > 0


def test_a_load_past_its_time_counts_its_readers_as_dropped(dashboard_server):
    target = Target("dashboard", dashboard_server.url, None, tuple(TARGETS))
    start = time.perf_counter()
    result = run_sync(load(target, readers=2, expected=None, seed=2, timeout=0.05))
    assert time.perf_counter() - start < 15
    assert result["dropped"] == 2 and result["finished"] == 0


def test_the_fact_base_reloads_with_the_file_watcher_off(tmp_path):
    facts = tmp_path / "facts.yaml"
    text = (REPO_ROOT / "data" / "facts.yaml").read_text("utf-8")
    version = re.search(r"^  version: (\S+)$", text, flags=re.M).group(1)
    facts.write_text(text, encoding="utf-8")

    async def main(url: str) -> tuple[list[str], list[str]]:
        session, first = await Session.open(url, "overview", "en", keep_text=True)
        try:
            facts.write_text(text.replace(f"  version: {version}\n", "  version: 9.8.7\n", 1),
                             encoding="utf-8")
            second = await session.rerun("overview", "en")
            return first.texts, second.texts
        finally:
            await session.close()

    with streamlit_server(env={"HAIXI_FACTS": str(facts)}) as server:  # watcher "none"
        before, after = run_sync(main(server.url))
    assert any(plain(version) in body for body in before)
    assert any(plain("9.8.7") in body for body in after)


# --------------------------------------------------------------------------- the census


@pytest.mark.browser
def test_the_generators_element_count_is_the_browsers_census(browser, dashboard_server, counted):
    """What a simulated open mounts, per root, is what Chromium mounts on that page (elements in
    a popover are mounted only when it opens, in both)."""
    for target in TARGETS:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            page.goto(page_url(dashboard_server.url, *target))
            wait_for_app(page)
            census = page.evaluate(CENSUS_JS)
        finally:
            context.close()
        run = counted[target]
        for root in ("main", "sidebar"):
            assert run.mounted.get(root, 0) == census[root].get("stElementContainer", 0), (
                target, root)
