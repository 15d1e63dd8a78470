"""What a reader sees of measures read more than once: one card per measure, agreement and
disagreement, series; on the fictitious multi-source fixture, in both languages."""

from __future__ import annotations

import markupsafe
import pytest
from streamlit.testing.v1 import AppTest

from haixi import charts, measures, report, views
from haixi.formatting import format_quantity
from haixi.i18n import LANGS, nt, pick, t
from haixi.render_st import tab_key
from haixi.schema import Examined, Qualifier
from tests.multi import MULTI, MULTI_SOURCES

DASHBOARD = "../dashboard.py"  # relative to this file, as AppTest.from_file wants it

GDP = "per-capita-gdp"
REVENUE = "local-general-budget-revenue"
# The fixture's preferred readings: the communiqué's exact figures (haixi.measures.rank).
GDP_CARD = "per-capita-gdp-communique-2022"
REVENUE_CARD = "local-general-budget-revenue-communique-2022"


def fact(base, ident):
    return next(f for f in base.facts if f.id == ident)


def cards(view) -> list[views.Figure]:
    return [f for b in view.blocks() if isinstance(b, views.Figures) for f in b.figures]


def card(view, ident) -> views.Figure:
    return next(f for f in cards(view) if f.id == ident)


def by(base, f, lang) -> str:
    return views.source_title(base.source(f.source.source), lang)


def line_in_own_source(f) -> int:
    """The line of its own source file the reading's quote is on, read here independently."""
    text = (MULTI_SOURCES / f"{f.source.source}.txt").read_text(encoding="utf-8-sig")
    return text[: text.index(f.source.quote)].count("\n") + 1


# --------------------------------------------------------------------------- one card per measure


@pytest.mark.parametrize("lang", LANGS)
def test_one_card_per_measure(multi, lang):
    view = views.page("economy", multi, lang)
    shown = cards(view)
    # Three readings of per-capita GDP (2021, two of 2022) and two of the revenue: two cards.
    assert [f.id for f in shown] == [GDP_CARD, REVENUE_CARD]
    gdp = card(view, GDP_CARD)
    assert gdp.value == format_quantity(fact(multi, GDP_CARD).quantity, lang)
    assert gdp.period == views.year_text(2022, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_the_card_names_the_count_of_other_readings(multi, lang):
    view = views.page("economy", multi, lang)
    assert card(view, GDP_CARD).others == nt("card.others", "card.others.plural", 2, lang)
    assert card(view, REVENUE_CARD).others == nt("card.others", "card.others.plural", 1, lang)
    assert "2" in card(view, GDP_CARD).others


@pytest.mark.parametrize("lang", LANGS)
def test_a_figures_card_counts_its_other_readings_alike_on_every_page(multi, lang):
    """The overview shows the latest year's readings, the economy page every year's; both cards
    count and list every other reading of the measure (views.other_readings), 2021's too."""
    overview, economy = (card(views.page(p, multi, lang), GDP_CARD) for p in ("overview", "economy"))
    assert overview.others == economy.others == nt("card.others", "card.others.plural", 2, lang)
    assert overview.readings == economy.readings
    assert [c.record_id for c in overview.readings] == [GDP, "per-capita-gdp-2021"]
    # What stays the page's own: the overview's card is of the latest year, with no change.
    assert overview.change == "" != economy.change


@pytest.mark.parametrize("lang", LANGS)
def test_the_quote_list_holds_every_reading_with_its_own_sources_line(multi, lang):
    gdp = card(views.page("economy", multi, lang), GDP_CARD)
    # The preferred reading's own citation, then every other one: latest period first.
    assert gdp.citation.record_id == GDP_CARD
    assert [c.record_id for c in gdp.readings] == [GDP, "per-capita-gdp-2021"]
    for c in (gdp.citation, *gdp.readings):
        f = fact(multi, c.record_id)
        assert c.quote == f.source.quote
        assert c.source_title == pick(multi.source(f.source.source).title, lang)
        assert c.line == line_in_own_source(f), c
    for c in gdp.readings:
        f = fact(multi, c.record_id)
        assert format_quantity(f.quantity, lang) in c.label
        assert views.year_text(f.period, lang) in c.label
    revenue = card(views.page("economy", multi, lang), REVENUE_CARD)
    (bound,) = revenue.readings
    assert bound.label.startswith(format_quantity(fact(multi, REVENUE).quantity, lang))
    assert fact(multi, REVENUE).quantity.qualifier is Qualifier.at_least


# --------------------------------------------------------------------------- agreement


@pytest.mark.parametrize("lang", LANGS)
def test_the_newspapers_bound_corroborates_the_communiques_revenue(multi, lang):
    view = views.page("economy", multi, lang)
    news = fact(multi, REVENUE)
    expected = t("card.also", lang, value=format_quantity(news.quantity, lang),
                 source=by(multi, news, lang))
    assert card(view, REVENUE_CARD).also == (expected,)
    assert ("至少" if lang == "zh" else "at least") in expected
    assert card(view, REVENUE_CARD).disagreement == ""
    assert card(view, GDP_CARD).also == ()


@pytest.mark.parametrize("lang", LANGS)
def test_the_discrepancy_is_stated_on_the_card(multi, lang):
    for view in (views.page("economy", multi, lang), views.page("overview", multi, lang)):
        said = card(view, GDP_CARD).disagreement
        assert said, view.name
        for ident in (GDP_CARD, GDP):
            f = fact(multi, ident)
            assert format_quantity(f.quantity, lang) in said
            assert by(multi, f, lang) in said
        assert views.year_text(2022, lang) in said
        assert "per-capita-gdp-2021" not in said and "15.2" not in said


def _discrepancy_section(view):
    return next((s for s in view.sections if s.id == "discrepancies"), None)


@pytest.mark.parametrize("lang", LANGS)
def test_the_sources_page_lists_the_discrepancy_with_both_quotes(multi, lang):
    view = views.page("sources", multi, lang)
    assert "discrepancies" in [s.id for s in view.split()[1]]  # a tab of its own
    section = _discrepancy_section(view)
    assert section.title == t("sources.discrepancies", lang)
    (block,) = [b for b in section.blocks if isinstance(b, views.Cards)]
    (shown,) = block.cards
    assert pick(fact(multi, GDP).label, lang) in shown.title or pick(
        fact(multi, GDP_CARD).label, lang) in shown.title
    text = "\n".join(shown.lines)
    for ident in (GDP_CARD, GDP):
        f = fact(multi, ident)
        assert f.source.quote in text
        assert by(multi, f, lang) in text
        assert t("cite.line", lang, line=line_in_own_source(f)) in text
    assert shown.lines[-1] == t("sources.discrepancy.not_examined", lang)


@pytest.mark.parametrize("lang", LANGS)
def test_an_examined_discrepancy_still_shows_with_the_curators_note(multi, lang):
    note = {"zh": "两处口径不同(虚构)", "en": "The two sources count differently (fictitious)"}
    base = multi.model_copy(
        update={"examined": [Examined(measure=GDP, period=2022, note=note)]}
    )
    section = _discrepancy_section(views.page("sources", base, lang))
    (shown,) = next(b for b in section.blocks if isinstance(b, views.Cards)).cards
    assert shown.lines[-1] == t("sources.discrepancy.examined", lang, note=note[lang])
    assert fact(base, GDP).source.quote in "\n".join(shown.lines)
    assert card(views.page("economy", base, lang), GDP_CARD).disagreement  # not hidden from readers


# --------------------------------------------------------------------------- series


def _series(view, ident=GDP):
    return next(
        (b for b in view.blocks() if isinstance(b, views.ChartBlock) and b.key == f"series-{ident}"),
        None,
    )


@pytest.mark.parametrize("lang", LANGS)
def test_a_measure_read_in_two_years_gets_a_series(multi, lang):
    view = views.page("economy", multi, lang)
    block = _series(view)
    assert block is not None and block.chart is not None
    (trace,) = block.chart.figure.data
    assert list(trace.x) == ["2021", "2022"]
    # One point per period from its preferred reading, each with its source and quote.
    points = [fact(multi, "per-capita-gdp-2021"), fact(multi, GDP_CARD)]
    assert [row[0] for row in trace.customdata] == [f.id for f in points]
    for row, f in zip(trace.customdata, points, strict=True):
        assert row[3] == pick(multi.source(f.source.source).title, lang)
        assert row[4] == f.source.quote
    assert "customdata[3]" in trace.hovertemplate and "customdata[4]" in trace.hovertemplate
    # Its data table beside it, and its text alternative naming both years' figures.
    shown = block.shown
    assert list(shown[t("col.period", lang)]) == [2021, 2022]
    assert list(shown[t("col.quote", lang)]) == [f.source.quote for f in points]
    assert t("col.fact_id", lang) not in shown.columns
    for f in points:
        assert format_quantity(f.quantity, lang) in block.summary
    # A measure read in one year has none, and neither has the overview.
    assert _series(view, REVENUE) is None
    assert _series(views.page("overview", multi, lang)) is None


@pytest.mark.parametrize("lang", LANGS)
def test_the_series_table_names_each_quotes_line_after_the_quote(multi, lang):
    block = _series(views.page("economy", multi, lang))
    points = [fact(multi, "per-capita-gdp-2021"), fact(multi, GDP_CARD)]
    columns = list(block.shown.columns)
    assert columns[columns.index(t("col.quote", lang)) + 1] == t("col.line", lang)
    lines = [views.quote_line(multi, f.source) for f in points]
    assert all(lines)  # the fixture's sources are at hand (the multi fixture points at them)
    assert list(block.shown[t("col.line", lang)]) == lines
    # The report prints the same table under the chart.
    out = report.build_report(multi, lang)
    table = out[out.index('<table class="chart-data">'):]
    table = table[: table.index("</table>")]
    assert t("col.line", lang) in table
    for line in lines:
        assert f">{line}<" in table


def test_a_bound_is_drawn_as_a_bound(multi):
    old = fact(multi, "per-capita-gdp-2021")
    bound = old.model_copy(
        update={"quantity": old.quantity.model_copy(update={"qualifier": Qualifier.at_least})}
    )
    base = multi.model_copy(update={"facts": [bound if f is old else f for f in multi.facts]})
    (trace,) = charts.measure_series(base, "en", measure=GDP).figure.data
    assert list(trace.marker.symbol) == [
        charts.SERIES_MARKERS[Qualifier.at_least], charts.SERIES_MARKERS[Qualifier.exact]
    ]
    assert trace.error_y.visible and trace.error_y.array[0] > 0 == trace.error_y.arrayminus[0]
    assert trace.error_y.array[1] == 0
    # Not both exact: no change on the card.
    assert card(views.page("economy", base, "en"), GDP_CARD).change == ""


@pytest.mark.parametrize("lang", LANGS)
def test_the_change_is_shown_only_where_both_are_exact(multi, lang):
    view = views.page("economy", multi, lang)
    moved = measures.change(multi, GDP)
    assert moved is not None and moved.previous_period == 2021
    said = card(view, GDP_CARD).change
    assert said == views.change_text(moved, fact(multi, GDP_CARD).quantity.unit, lang)
    assert views.year_text(2021, lang) in said and "+" in said
    assert ("1.7万元" if lang == "zh" else "CNY 17,000") in said
    assert card(view, REVENUE_CARD).change == ""  # read in one year
    assert card(views.page("overview", multi, lang), GDP_CARD).change == ""  # the latest year's only


# --------------------------------------------------------------------------- the real base


def test_the_real_base_shows_nothing_new(real):
    for lang in LANGS:
        for name in views.PAGES:
            view = views.page(name, real, lang)
            for f in cards(view):
                assert (f.others, f.readings, f.also, f.disagreement, f.change) == (
                    "", (), (), "", ""
                ), f.id
            assert not any(
                isinstance(b, views.ChartBlock) and b.key.startswith("series-")
                for b in view.blocks()
            ), name
            if name == "sources":
                assert _discrepancy_section(view) is None


# --------------------------------------------------------------------------- the report


@pytest.mark.parametrize("lang", LANGS)
def test_the_report_shows_the_same_cards_series_and_discrepancy(multi, lang):
    out = report.build_report(multi, lang)
    economy = out[out.index('id="s_economy"') : out.index('id="s_chains"')]
    view = views.page("economy", multi, lang)
    gdp, revenue = card(view, GDP_CARD), card(view, REVENUE_CARD)
    for text in (gdp.others, gdp.disagreement, gdp.change, *revenue.also, revenue.others):
        assert str(markupsafe.escape(text)) in economy, text
    assert economy.count('class="card fact"') == 2
    for c in gdp.readings:
        assert f'href="#{c.record_id}"' in economy
        assert str(markupsafe.escape(c.quote)) in economy
    block = _series(view)
    assert f"<figcaption>{markupsafe.escape(block.chart.title)}</figcaption>" in economy
    assert str(markupsafe.escape(block.summary)) in economy
    # Its data table under it, a row per point with its source and quote.
    figure = economy[economy.index(f"<figcaption>{markupsafe.escape(block.chart.title)}"):]
    table = figure[figure.index('<table class="chart-data">') : figure.index("</figure>")]
    for f in (fact(multi, "per-capita-gdp-2021"), fact(multi, GDP_CARD)):
        assert str(markupsafe.escape(f.source.quote)) in table
        assert str(markupsafe.escape(pick(multi.source(f.source.source).title, lang))) in table
    sources = out[out.index('id="s_sources"') : out.index('id="s_text"')]
    assert str(markupsafe.escape(t("sources.discrepancies", lang))) in sources
    for ident in (GDP_CARD, GDP):
        assert str(markupsafe.escape(fact(multi, ident).source.quote)) in sources


# --------------------------------------------------------------------------- the dashboard


def _walk(page: str, lang: str, monkeypatch) -> AppTest:
    monkeypatch.setenv("HAIXI_FACTS", str(MULTI))
    monkeypatch.setenv("HAIXI_SOURCES", str(MULTI_SOURCES))
    at = AppTest.from_file(DASHBOARD, default_timeout=90)
    if page != "overview":
        at.switch_page(f"pages/{page}.py")
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _plain(text: str) -> str:
    return text.replace("\\", "")


@pytest.mark.parametrize("lang", LANGS)
def test_the_dashboard_on_the_fixture(multi, monkeypatch, lang):
    gdp_label = pick(fact(multi, GDP_CARD).label, lang)
    view = views.page("economy", multi, lang)
    gdp = card(view, GDP_CARD)

    at = _walk("overview", lang, monkeypatch)
    assert [_plain(m.label) for m in at.metric].count(gdp_label) == 1
    assert any(card(views.page("overview", multi, lang), GDP_CARD).disagreement == _plain(w.value)
               for w in at.warning)

    at = _walk("economy", lang, monkeypatch)
    assert [_plain(m.label) for m in at.metric].count(gdp_label) == 1
    captions = "\n".join(_plain(c.value) for c in at.caption)
    for text in (gdp.others, gdp.change, *card(view, REVENUE_CARD).also):
        assert text in captions, (text, captions)
    assert gdp.disagreement in [_plain(w.value) for w in at.warning]
    assert len(at.get("plotly_chart")) >= 1
    assert _series(view).summary in captions
    markdown = "\n".join(_plain(m.value) for m in at.markdown)
    for c in gdp.readings:  # the popover's quote list
        assert c.quote in markdown and f"fact={c.record_id}" in markdown

    at = _walk("sources", lang, monkeypatch)
    at.session_state[tab_key("sources", lang)] = t("sources.discrepancies", lang)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    captions = "\n".join(_plain(c.value) for c in at.caption)
    for ident in (GDP_CARD, GDP):
        assert fact(multi, ident).source.quote in captions, captions
    assert t("sources.discrepancy.not_examined", lang) in captions
