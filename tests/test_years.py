"""The year and the sources come from the data: titles, intros, the tab, citations, headlines."""

from __future__ import annotations

import re

import markupsafe
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from haixi import measures, report, views
from haixi.i18n import LANGS, pick, t
from tests.multi import MULTI

DASHBOARD = "../dashboard.py"  # relative to this file, as AppTest.from_file wants it

# What the fictitious fixture covers (its readings are of 2021 and 2022), as titles write it.
FIXTURE_PERIOD = "2021-2022"
# A title or intro that names 2022 alone: "2022年…" or "2022 results/dashboard", not "2021-2022".
ONLY_2022 = re.compile(r"(?<![-\d])2022(年| results| dashboard)")


def only_2022(text: str, base) -> bool:
    """Whether `text` names 2022 alone outside the sources' own titles (the data may say so)."""
    for source in base.sources:
        for title in (source.title.zh, source.title.en):
            text = text.replace(title, "").replace(str(markupsafe.escape(title)), "")
    return bool(ONLY_2022.search(text))


def _titles(base, lang: str, *, quoted: bool) -> list[str]:
    return [views.source_title(s, lang, quoted=quoted) for s in base.sources]


# --------------------------------------------------------------------------- the period


def test_the_period_is_the_datas(real, multi):
    assert measures.periods(real) == (2022,)
    assert views.covered(real) == "2022"
    assert measures.periods(multi) == (2021, 2022)
    assert views.covered(multi) == FIXTURE_PERIOD
    assert measures.periods_text((2019, 2021)) == "2019, 2021"


def test_the_browser_tab_names_the_period(real, multi):
    assert views.tab_title(real) == "Haixi 2022 · 海西州2022"  # as it always read
    assert views.tab_title(multi) == f"Haixi {FIXTURE_PERIOD} · 海西州{FIXTURE_PERIOD}"
    assert views.tab_title(None) == "Haixi · 海西州"


# --------------------------------------------------------------------------- the views


@pytest.mark.parametrize("lang", LANGS)
def test_the_overview_intro_names_the_range_and_every_source(multi, lang):
    view = views.page("overview", multi, lang)
    assert FIXTURE_PERIOD in view.intro
    assert not only_2022(view.intro, multi), view.intro
    for title in _titles(multi, lang, quoted=True):
        assert title in view.intro, (title, view.intro)
    intro = views.page_intro("overview", multi, lang)
    assert FIXTURE_PERIOD in intro and not only_2022(intro, multi), intro


def test_the_wording_is_plural_for_several_sources(real, multi):
    assert "every figure taken from its source" in views.page_intro("overview", multi, "en")
    assert "every figure taken from the source." in views.page_intro("overview", real, "en")
    assert "Sources: " in views.citation_text(multi, "en")
    assert "Source: " in views.citation_text(real, "en")
    # Chinese lists titles with 、 and 和 (Babel's list pattern).
    assert "》、《" in views.page("overview", multi, "zh").intro
    assert "》和《" in views.citation_text(multi, "zh")


@pytest.mark.parametrize("lang", LANGS)
def test_how_to_cite_credits_every_source(multi, lang):
    text = views.citation_text(multi, lang)
    for title in _titles(multi, lang, quoted=False):
        assert title in text, (title, text)
    assert pick(multi.meta.title, lang) in text and multi.meta.version in text


@pytest.mark.parametrize("lang", LANGS)
def test_the_real_base_reads_as_before(real, lang):
    """One source, 2022: the words the dashboard always had."""
    expected = {
        "zh": ("2022年经济社会发展成果,数据摘自《", "数据来源:《", "2022年主要成果一览,数字均摘自原文。"),
        "en": ("The 2022 results of Haixi", ". Source: ", "The main 2022 results at a glance, "
               "every figure taken from the source."),
    }[lang]
    assert expected[0] in views.page("overview", real, lang).intro
    assert expected[1] in views.citation_text(real, lang)
    assert views.page_intro("overview", real, lang) == expected[2]


# --------------------------------------------------------------------------- headlines


def _headline_figures(view) -> list:
    section = next(s for s in view.sections if s.id == "headlines")
    return [f for block in section.blocks for f in block.figures]


@pytest.mark.parametrize("lang", LANGS)
def test_one_headline_per_measure_of_the_latest_period(multi, lang):
    shown = _headline_figures(views.page("overview", multi, lang))
    ids = [f.id for f in shown]
    # Each headline measure once, by its preferred 2022 reading (the communiqué's exact figures).
    assert ids == ["per-capita-gdp-communique-2022", "local-general-budget-revenue-communique-2022"]
    assert {f.period for f in shown} == {views.year_text(2022, lang)}


def test_an_earlier_periods_headline_is_not_among_the_headlines(multi):
    old = next(f for f in multi.facts if f.id == "per-capita-gdp-2021")
    # A 2021 reading marked headline of a measure read in 2022, and a measure read in 2021 only.
    marked = old.model_copy(update={"headline": True})
    alone = old.model_copy(update={"id": "gdp-2021-alone", "measure": None, "headline": True})
    facts = [marked if f is old else f for f in multi.facts] + [alone]
    base = multi.model_copy(update={"facts": facts})
    ids = [f.id for f in measures.headline_readings(base)]
    assert ids == ["per-capita-gdp-communique-2022", "local-general-budget-revenue-communique-2022"]
    shown = [f.id for f in _headline_figures(views.page("overview", base, "en"))]
    assert shown == ids


def test_the_real_headlines_are_every_headline_fact_in_order(real):
    assert [f.id for f in measures.headline_readings(real)] == [
        f.id for f in real.facts if f.headline
    ]


def test_a_chain_counts_only_the_latest_periods_readings(real):
    """A 2021 reading of a chain's measure is not added to the chain's 2022 count."""
    fact = next(f for f in real.facts if f.chain)
    earlier = fact.model_copy(update={"id": "earlier-reading", "measure": fact.id, "period": 2021})
    base = real.model_copy(update={"facts": [*real.facts, earlier]})

    def group(b):
        page = views.page("chains", b, "en")
        return next(
            g for s in page.sections for g in s.blocks
            if isinstance(g, views.Group) and g.id == fact.chain
        )

    before, after = group(real), group(base)
    assert after.title == before.title
    assert "earlier-reading" not in repr(after.blocks)


# --------------------------------------------------------------------------- the report


@pytest.mark.parametrize("lang", LANGS)
def test_the_reports_title_page_names_the_range_and_every_source(multi, lang):
    out = report.build_report(multi, lang)
    title_page = out[out.index('id="s_title"') : out.index("<main>")]
    title = t("app.title", lang, period=FIXTURE_PERIOD)
    assert f"<h1>{markupsafe.escape(title)}</h1>" in title_page
    assert f"<title>{markupsafe.escape(title)} · " in out
    subtitle = t("app.subtitle", lang, period=FIXTURE_PERIOD)
    assert markupsafe.escape(subtitle) in title_page
    assert markupsafe.escape(views.citation_text(multi, lang)) in title_page
    for source in multi.sources:
        assert f"<dd>{markupsafe.escape(views.source_title(source, lang))}</dd>" in title_page
    head = out[: out.index("<style>")]
    assert not only_2022(head + title_page, multi), "a 2022-only title in the report"
    assert markupsafe.escape(views.page_intro("overview", multi, lang)) in out


# --------------------------------------------------------------------------- the dashboard


@pytest.mark.parametrize("lang", LANGS)
def test_the_dashboard_overview_on_the_fixture(multi, monkeypatch, lang):
    monkeypatch.setenv("HAIXI_FACTS", str(MULTI))
    configured: list[dict] = []
    original = st.set_page_config

    def record(*args, **kwargs):
        configured.append(kwargs)
        return original(*args, **kwargs)

    # dashboard.py looks st.set_page_config up when it runs: the browser tab's title is what
    # it is given.
    monkeypatch.setattr(st, "set_page_config", record)
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    assert [x.value for x in at.title] == [views.page_title("overview", lang)]
    assert configured and configured[-1]["page_title"] == views.tab_title(multi)
    assert FIXTURE_PERIOD in configured[-1]["page_title"]
    # The captions as a reader sees them (Markdown's escapes undone); a card's period caption
    # ("2022年") is its reading's, not a title.
    captions = [c.value.replace("\\", "") for c in at.caption]
    intro = views.page("overview", multi, lang).intro
    assert intro in captions, captions
    assert FIXTURE_PERIOD in intro and not only_2022(intro, multi)
    values = [m.value for m in at.metric]
    for fact in measures.headline_readings(multi):
        assert views.figure(multi, lang, fact).value in values, (fact.id, values)
    earlier = next(f for f in multi.facts if f.period == 2021)
    assert views.figure(multi, lang, earlier).value not in values
