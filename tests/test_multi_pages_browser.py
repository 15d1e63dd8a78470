"""The pages over the fictitious multi-source fixture (tests/fixtures/multi), in headless Chromium.

A second dashboard server serves the fixture (conftest `multi_server`: HAIXI_FACTS and
HAIXI_SOURCES point at it: three sources, 2021-2022, one discrepancy, one series). Every page
is visited once in English, and in Chinese the pages the fixture changes (overview, economy,
the Sources page's "Where sources disagree", the annotated text), with the same `visit()` and
page-wide checks as the real fact base (tests/browser.py `page_problems`: no error, every chart
drawn with its summary, axe, no request to another host). What a reader sees is then checked
against the pages' views over the fixture, never against numbers written here: one card per
measure with its other readings and its discrepancy in words, the series drawn with each of
its years, the discrepancy on Sources, every source credited in the sidebar, the years covered
in the titles, and on the annotated text the source picker, the unique `<source>-line-<n>`
anchors and the passage a `?source=<id>&line=<n>` address pins.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from haixi import charts, measures, views
from haixi.i18n import LANGS
from tests.browser import LOCALES, MAIN, TIMEOUT, page_problems, visit, wait_for_app

pytestmark = pytest.mark.browser

# The pages whose content several sources and years change, in both languages: each visit
# costs 3-7 s, and CI's whole run is to stay within 6 minutes. The fixture has no chains,
# projects or livelihood records: those pages render over it in tests/test_fixture_multi.py.
CHANGED = ("overview", "economy", "sources", "text")
VISITS = [(name, lang) for lang in LANGS for name in CHANGED]
# The Sources page's sections the fixture changes (views.sources): its sources and their
# discrepancies in English; in Chinese the discrepancies alone, opened by ?tab=.
DISCREPANCIES = "discrepancies"
SOURCES_TABS = ("sources", DISCREPANCIES)
SELECTBOX = f"{MAIN} [data-testid='stSelectbox']"


def _anchors(text: views.SourceText) -> list[str]:
    return [f"{text.source_id}-line-{p.line}" for p in text.paragraphs]


def _words(paragraph: views.Paragraph) -> str:
    return "".join(span.text for span in paragraph.spans)


def _pick_last_source(page) -> dict:
    """On the text page: the picker's options, then the last one picked as a reader would;
    the address and the line anchors after the rerun."""
    page.locator(SELECTBOX).click()
    options = [o.strip() for o in page.locator("[role='option']").all_inner_texts()]
    page.locator("[role='option']").last.click()
    return {"options": options, "url": page.url}


def _after_pick(page, last: views.SourceText) -> dict:
    found = _pick_last_source(page)
    page.locator(f"#{_anchors(last)[0]}").wait_for(state="attached", timeout=TIMEOUT)
    wait_for_app(page)
    found["url"] = page.url
    found["ids"] = page.eval_on_selector_all(f"{MAIN} [id*='-line-']", "els => els.map(e => e.id)")
    return found


@pytest.mark.parametrize(("name", "lang"), VISITS)
def test_fixture_page_as_a_reader_sees_it(browser, multi_server, multi, name, lang):
    base = multi
    view = views.page(name, base, lang)
    texts = views.source_texts(base, lang) if name == "text" else []
    # The passage the address pins: the line of the preferred reading of the first discrepancy.
    (first, *_), *_ = [d.readings for d in measures.discrepancies(base)]
    pinned_source = next(x for x in texts if x.source_id == first.source.source) if texts else None
    pinned_line = views.quote_line(base, first.source)
    query = f"?lang={lang}"
    if name == "text":
        query += f"&source={first.source.source}&line={pinned_line}"
    every_tab = not (name == "sources" and lang == "zh")
    if not every_tab:
        query += f"&{views.TAB_PARAM}={DISCREPANCIES}"
    only = ([x.title for x in view.sections if x.id in SOURCES_TABS]
            if name == "sources" and every_tab else None)
    then = (lambda page: _after_pick(page, texts[-1])) if name == "text" else None
    seen = visit(browser, f"{multi_server.url}{name}{query}", locale=LOCALES[lang],
                 every_tab=every_tab, only=only, then=then)

    blocks = list(view.blocks())
    built = [b for b in blocks if isinstance(b, views.ChartBlock) and b.chart is not None]
    problems = page_problems(seen, name, lang, f"127.0.0.1:{multi_server.port}",
                             {b.summary for b in built})

    def expect(ok: bool, what: str) -> None:
        if not ok:
            problems.append(what)

    shown = "\n".join(tab.text for tab in seen.tabs)

    # Every source credited under every page, by its title; the years covered in the titles.
    expect(views.source_note(base, lang) in seen.sidebar, f"sidebar: {seen.sidebar!r}")
    for source in base.sources:
        expect(views.source_title(source, lang) in seen.sidebar, f"{source.id} not credited")
    covered = views.covered(base)
    expect(len(measures.periods(base)) > 1 and covered in seen.document_title,
           f"browser title {seen.document_title!r} lacks {covered!r}")
    years = re.findall(r"\d{4}(?:-\d{4})?", seen.document_title + " " + seen.title)
    expect(set(years) <= {covered}, f"a year alone in the titles: {years}")
    if name == "overview":
        expect(covered in view.intro and view.intro in shown, f"intro {view.intro!r} not shown")

    # One card per measure: its preferred reading, its other readings, its discrepancy in words.
    figures = [f for b in blocks if isinstance(b, views.Figures) for f in b.figures]
    metrics = [value for tab in seen.tabs for value in tab.metrics]
    expect(metrics == [f.value for f in figures], f"metrics {metrics}, not the view's cards")
    for f in figures:
        for words in (f.label, f.others, f.disagreement, f.change, *f.also):
            expect(words in shown, f"card {f.id}: {words!r} not shown")
    if name == "economy":
        expect(len(figures) == len(measures.measures(base)), f"{len(figures)} cards")
        expect(any(f.others for f in figures) and any(f.disagreement for f in figures),
               "no card with other readings and a discrepancy: the fixture changed?")

    # Each series drawn with every one of its years.
    series = [b for b in built if b.builder is charts.measure_series]
    ticks = [tick for tab in seen.tabs for tick in tab.xticks]
    for block in series:
        points = measures.series(base, dict(block.kwargs)["measure"])
        expect([str(p.period) for p in points] in ticks, f"series years not drawn: {ticks}")
    if name == "economy":
        expect(len(series) >= 1 and len(measures.periods(base)) > 1, "no series on economy")

    # The discrepancies on Sources, in words, each reading with its source and quote.
    if name == "sources":
        labels = [x.label for x in seen.tabs]
        expect(not every_tab or labels == only, f"tabs seen {labels}, not {only}")
        cards = [b for b in views.discrepancy_blocks(base, lang) if isinstance(b, views.Cards)]
        expect(bool(cards), "the fixture has no discrepancy")
        for card in (c for b in cards for c in b.cards):
            for words in (card.title, *card.lines):
                expect(words in shown, f"discrepancy {card.id}: {words!r} not shown")

    # The annotated text: the source the address names, its anchors unique, its line pinned
    # above it and marked where it stands; the picker offers every source and switches to one.
    if name == "text":
        ids = [i for tab in seen.tabs for i in tab.ids if "-line-" in i]
        expect(ids == _anchors(pinned_source), f"anchors {ids}")
        expect(len(ids) == len(set(ids)), f"anchors repeat: {ids}")
        words = _words(pinned_source.paragraph(pinned_line))
        expect(first.source.quote in words, f"{first.source.quote!r} not in line {pinned_line}")
        expect([p for tab in seen.tabs for p in tab.pinned] == [words],
               f"pinned {[tab.pinned for tab in seen.tabs]}, not {words!r}")
        expect([a for tab in seen.tabs for a in tab.asked] == [f"{pinned_source.source_id}"
                                                                f"-line-{pinned_line}"],
               f"asked {[tab.asked for tab in seen.tabs]}")
        picked = seen.then
        expect(picked["options"] == [x.title for x in texts], f"picker offers {picked['options']}")
        params = parse_qs(urlsplit(picked["url"]).query)
        expect(params.get("source") == [texts[-1].source_id] and "line" not in params,
               f"after picking {texts[-1].source_id}: {picked['url']}")
        expect(picked["ids"] == _anchors(texts[-1]), f"anchors after picking: {picked['ids']}")
    assert not problems, "\n".join(problems)
