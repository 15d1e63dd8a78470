"""What an address pins above a page and the sidebar, as pure views: the record panel, the passage, the chrome."""

from __future__ import annotations

import pytest

from haixi import views
from haixi.i18n import LANGS, t
from haixi.views import Notice, Passage, Pinned, RecordDetail, Request, SourceChoice

NEWS, COMMUNIQUE, REPORT_2021 = "haixi-news-2022", "haixi-communique-2022", "haixi-report-2021"


def kinds(pinned: Pinned) -> list[type]:
    return [type(b) for b in pinned.blocks]


def notices(pinned: Pinned) -> list[str]:
    return [b.text for b in pinned.blocks if isinstance(b, Notice)]


def text_pins(base, lang: str, **request) -> tuple[Pinned, dict[str, views.SourceText]]:
    """The text page's pins for a request, with the page's sources by id."""
    page = views.page("text", base, lang)
    texts = {b.text.source_id: b.text for b in page.blocks() if isinstance(b, views.Annotated)}
    return views.pinned("text", base, lang, Request(**request), page), texts


# --------------------------------------------------------------------------- the permalink


@pytest.mark.parametrize("lang", LANGS)
def test_a_permalink_pins_its_records_panel_with_the_passage_of_its_first_placed_quote(real, lang):
    fact = real.facts[0]
    page = views.page("sources", real, lang)
    pinned = views.pinned("sources", real, lang, Request(fact=fact.id), page)
    (detail,) = pinned.blocks
    assert isinstance(detail, RecordDetail) and detail.id == fact.id
    assert detail.citations and detail.citations[0].quote == fact.source.quote
    placed = [c for c in detail.citations if c.line and c.source_id]
    assert detail.passage == (placed[0] if placed else None)
    assert detail.passage is not None  # the real sources are at hand: the quote is placed
    assert pinned.hidden == () and pinned.asked == ()


@pytest.mark.parametrize("lang", LANGS)
def test_an_unknown_permalink_pins_a_notice_and_no_address_pins_nothing(real, lang):
    page = views.page("sources", real, lang)
    for fact in ("no-such-record", ""):  # ?fact= with no value names no record either
        pinned = views.pinned("sources", real, lang, Request(fact=fact), page)
        assert pinned == Pinned((Notice(t("notice.unknown_fact", lang)),))
    assert views.pinned("sources", real, lang, Request(), page) == Pinned()


def test_a_page_that_pins_nothing_ignores_the_request(real):
    page = views.page("overview", real, "en")
    request = Request(fact=real.facts[0].id, source="x", line="3")
    assert views.pinned("overview", real, "en", request, page) == Pinned()
    assert set(views.PINS) == {"sources", "text"} < set(views.PAGES)


# --------------------------------------------------------------------------- the text page


@pytest.mark.parametrize("lang", LANGS)
def test_without_a_request_the_text_page_offers_every_source_and_shows_the_first(multi, lang):
    pinned, texts = text_pins(multi, lang)
    (choice,) = pinned.blocks
    assert choice == SourceChoice(t("text.pick_source", lang),
                                  tuple((i, x.title) for i, x in texts.items()), NEWS)
    assert [i for i, _ in choice.options] == [NEWS, COMMUNIQUE, REPORT_2021]
    assert pinned.hidden == ("source-" + COMMUNIQUE, "source-" + REPORT_2021)
    assert pinned.asked == ()


@pytest.mark.parametrize("lang", LANGS)
def test_a_source_and_line_pin_that_sources_paragraph(multi, lang):
    _, texts = text_pins(multi, lang)
    # A line every source has: only the named source's paragraph at it is pinned.
    line = next(p.line for p in texts[COMMUNIQUE].paragraphs
                if all(x.paragraph(p.line) for x in texts.values()))
    pinned, _ = text_pins(multi, lang, source=COMMUNIQUE, line=str(line))
    assert kinds(pinned) == [SourceChoice, Passage]
    choice, passage = pinned.blocks
    assert choice.chosen == COMMUNIQUE
    assert passage == Passage(t("text.asked", lang),
                              ((texts[COMMUNIQUE].title, (texts[COMMUNIQUE].paragraph(line),)),))
    assert pinned.asked == (line,)
    assert "source-" + COMMUNIQUE not in pinned.hidden and len(pinned.hidden) == 2


@pytest.mark.parametrize("lang", LANGS)
def test_a_line_without_a_source_is_the_first_sources_and_says_so_after_the_picker(multi, lang):
    _, texts = text_pins(multi, lang)
    line = texts[NEWS].paragraphs[-1].line
    pinned, _ = text_pins(multi, lang, line=str(line))
    assert kinds(pinned) == [SourceChoice, Notice, Passage]
    assert notices(pinned) == [t("text.line_pinned_in", lang, line=line, title=texts[NEWS].title)]
    assert pinned.blocks[0].chosen == NEWS and pinned.asked == (line,)
    # Named, the same line raises no notice.
    assert notices(text_pins(multi, lang, source=NEWS, line=str(line))[0]) == []


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("line", ["999999", "abc", ""])
def test_a_line_the_source_lacks_is_a_notice_and_pins_nothing(multi, lang, line):
    pinned, _ = text_pins(multi, lang, source=NEWS, line=line)
    assert kinds(pinned) == [SourceChoice, Notice]
    assert notices(pinned) == [t("text.no_line", lang, line=line)]
    assert pinned.asked == ()


@pytest.mark.parametrize("lang", LANGS)
def test_an_unknown_source_is_a_notice_before_the_picker_which_shows_the_first(multi, lang):
    pinned, _ = text_pins(multi, lang, source="no-such-source")
    assert kinds(pinned) == [Notice, SourceChoice]
    assert notices(pinned) == [t("notice.bad_param", lang, name="source")]
    assert pinned.blocks[1].chosen == NEWS


@pytest.mark.parametrize("lang", LANGS)
def test_a_fact_shows_and_pins_its_own_source_only(multi, lang):
    fact = next(f for f in multi.facts if f.source.source == REPORT_2021)
    pinned, texts = text_pins(multi, lang, fact=fact.id)
    lines = texts[REPORT_2021].lines_of(fact.id)
    assert lines
    choice, passage = pinned.blocks
    assert choice.chosen == REPORT_2021
    assert passage.groups == ((texts[REPORT_2021].title,
                               tuple(texts[REPORT_2021].paragraph(n) for n in lines)),)
    assert pinned.asked == tuple(lines)
    unknown, _ = text_pins(multi, lang, fact="no-such-record")
    assert kinds(unknown) == [Notice, SourceChoice]
    assert notices(unknown) == [t("notice.unknown_fact", lang)]


def test_with_one_source_there_is_no_picker_and_no_source_title_over_the_passage(real):
    pinned, texts = text_pins(real, "en")
    assert pinned == Pinned()
    (text,) = texts.values()
    line = text.paragraphs[0].line
    pinned, _ = text_pins(real, "en", line=str(line))
    (passage,) = pinned.blocks  # no "pinned in the first source": there is only one
    assert passage.groups == (("", (text.paragraph(line),)),)
    assert pinned.asked == (line,) and pinned.hidden == ()


# --------------------------------------------------------------------------- the sidebar


@pytest.mark.parametrize("lang", LANGS)
def test_the_chrome_has_every_page_the_version_and_the_source_note(multi, real, lang):
    chrome = views.chrome.view(multi, lang)
    assert chrome.pages == tuple((p, views.page_title(p, lang)) for p in views.PAGES)
    assert chrome.version == t("sidebar.version", lang, version=multi.meta.version,
                               released=multi.meta.released.isoformat())
    assert chrome.source_note == views.source_note(multi, lang)
    assert chrome.source_note != views.chrome.view(real, lang).source_note


def test_without_a_fact_base_the_chrome_has_only_the_pages():
    chrome = views.chrome.view(None, "zh")
    assert [name for name, _ in chrome.pages] == list(views.PAGES)
    assert chrome.version == chrome.source_note == ""
