"""Recorded deltas replayed (haixi.replay): every page in both languages sends what it sends with
replay switched off, in a later rerun, another session and on a real server; a new fact base
version is recorded anew; a CSV button in a replayed part still downloads its file.

The one difference allowed between two runs: a download button's `url` and `deferred_file_id`,
the run's own media file, and so its message's hash (they differ between any two runs,
replayed or not).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.testing.v1.element_tree import Block

from bench import LANGS
from bench.protocol import Session, run_once, run_sync
from haixi import replay
from haixi.app import PAGES
from haixi.export import version_columns
from haixi.i18n import t
from tests.browser import error_elements, streamlit_server, wait_for_app
from tests.test_app import (
    GDP_LABEL,
    app_test,
    assert_clean,
    base,
    copy_facts,
    metric_labels,
    rewrite,
)

TARGETS = [(page, lang) for page in PAGES for lang in LANGS]
RUN_MEDIA = ("url", "deferred_file_id")  # a download button's file: the run's own


def _tree(node, path=()) -> list[tuple]:
    """(path, kind, proto bytes) of every block and element of an AppTest tree, in order."""
    found = []
    for index, child in sorted(node.children.items()):
        proto = child.proto
        if getattr(child, "type", None) == "download_button":
            proto = type(proto)()
            proto.CopyFrom(child.proto)
            for name in RUN_MEDIA:
                proto.ClearField(name)
        data = proto.SerializeToString(deterministic=True) if proto is not None else b""
        found.append(((*path, index), type(child).__name__, data))
        if isinstance(child, Block):
            found += _tree(child, (*path, index))
    return found


@pytest.mark.parametrize(("page", "lang"), TARGETS)
def test_a_replayed_page_is_the_page_drawn_without_replay(monkeypatch, page, lang):
    monkeypatch.setattr(replay, "ENABLED", False)
    drawn = app_test(page, lang)
    assert_clean(drawn)
    expected = _tree(drawn._tree)
    # A rerun differs from a first run in its widgets' set values, replayed or not.
    expected_again = _tree(drawn.run()._tree)
    monkeypatch.setattr(replay, "ENABLED", True)
    at = app_test(page, lang)  # recorded here, or by an earlier test in this process
    assert_clean(at)
    first = _tree(at._tree)
    before = dict(replay.counts)
    at.run()  # the same session's rerun
    assert_clean(at)
    again = _tree(at._tree)
    other = app_test(page, lang)  # another session
    assert_clean(other)
    replayed = replay.counts["replayed"] - before.get("replayed", 0)
    assert replayed >= 8, replay.counts  # title, stylesheet, footer and a section, each run
    assert replay.counts["unrecordable"] == before.get("unrecordable", 0)
    assert replay.counts["recorded"] == before.get("recorded", 0)
    assert first == expected
    assert again == expected_again
    assert _tree(other._tree) == expected


def test_a_new_fact_base_version_is_not_served_from_an_old_recording(tmp_path, monkeypatch):
    facts = copy_facts(tmp_path)
    monkeypatch.setenv("HAIXI_FACTS", str(facts))
    at = app_test("overview", "en")
    at.run()  # replayed now
    assert "Per-capita GDP" in metric_labels(at)
    recorded = replay.counts["recorded"]
    rewrite(facts, GDP_LABEL, "label: {zh: 人均GDP, en: GDP per head (new version)}")
    at.run()
    assert_clean(at)
    assert "GDP per head (new version)" in metric_labels(at)
    assert "Per-capita GDP" not in metric_labels(at)
    assert replay.counts["recorded"] > recorded  # the new view's sections, drawn anew


# --------------------------------------------------------------------------- a real server


def _delta(data: bytes) -> tuple:
    msg = ForwardMsg()
    msg.ParseFromString(data)
    path = tuple(msg.metadata.delta_path)
    element = msg.delta.new_element
    if msg.delta.WhichOneof("type") == "new_element" and element.WhichOneof("type") == (
            "download_button"):
        for name in RUN_MEDIA:
            element.download_button.ClearField(name)
        msg.hash = ""  # a hash of the message with them
    kind = msg.delta.WhichOneof("type")
    detail = element.WhichOneof("type") if kind == "new_element" else (
        msg.delta.add_block.WhichOneof("type"))
    return path, kind, detail, msg.delta.SerializeToString(deterministic=True), msg.hash


async def _click_through(url: str, times: int = 3) -> dict:
    """Every delta of `times` reruns of every page and language, in one session."""
    session, _ = await Session.open(url, "overview", "zh")
    session.keep_deltas = True
    found = {}
    try:
        for target in TARGETS:
            runs = []
            for _ in range(times):
                run = await session.rerun(*target)
                assert run.errors == [], target
                runs.append([_delta(d) for d in run.deltas])
            found[target] = runs
    finally:
        await session.close()
    return found


@pytest.fixture(scope="module")
def servers():
    """The dashboard with replay (fresh: its first runs record) and without."""
    with streamlit_server() as on, streamlit_server(env={"HAIXI_REPLAY": "0"}) as off:
        yield on, off


def test_on_the_protocol_every_page_sends_the_same_deltas_replayed_or_not(servers):
    on, off = servers
    recorded = run_sync(_click_through(on.url))  # the first rerun of each records it
    second = run_sync(_click_through(on.url))  # another session: replayed from the start
    unreplayed = run_sync(_click_through(off.url))
    total = 0
    for target in TARGETS:
        for i in range(3):
            # Same element types, paths, proto bytes and message hashes.
            assert recorded[target][i] == unreplayed[target][i], (target, i)
            assert second[target][i] == unreplayed[target][i], (target, i)
            total += len(unreplayed[target][i])
    assert total > 1000
    assert on.log().count("Traceback") == 0


def test_a_csv_button_in_a_replayed_chart_downloads_its_table(servers, browser):
    on, _ = servers
    lang = "en"
    for _ in range(2):  # recorded, then replayed: what the browser gets is a replay
        assert run_once(on.url, "livelihood", lang).errors == []
    context = browser.new_context(locale="en-US")
    try:
        page = context.new_page()
        page.goto(f"{on.url}livelihood?lang={lang}")
        wait_for_app(page)
        button = page.locator("[data-testid='stDownloadButton']").filter(
            has_text=t("download.csv", lang)).first
        with page.expect_download(timeout=60000) as caught:
            button.click()
        download = caught.value
        version = base().meta.version
        assert download.suggested_filename.startswith("haixi-")
        assert download.suggested_filename.endswith(f"-{lang}-v{version}.csv")
        rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text("utf-8"))))
        assert rows
        for column, value in version_columns(base()).items():
            assert {row[column] for row in rows} == {str(value)}
        assert error_elements(page) == []
    finally:
        context.close()

