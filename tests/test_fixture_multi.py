"""The multi-source fixture on every page, in the report and the tools; its sources read per source."""

from __future__ import annotations

import html
import json
import re
from functools import cache

import markupsafe
import pytest
from streamlit.testing.v1 import AppTest

from haixi import export, report, views
from haixi.cli import main
from haixi.i18n import LANGS, nt, t
from haixi.loader import load
from haixi.paths import DEFAULT_FACTS
from haixi.render_st import OPEN_TABS
from tests.multi import MULTI, MULTI_SOURCES
from tests.test_app import dataframe, infos, unescape
from tests.test_years import DASHBOARD

NEWS, COMMUNIQUE, REPORT_2021 = "haixi-news-2022", "haixi-communique-2022", "haixi-report-2021"


@pytest.fixture
def fixture_env(monkeypatch):
    monkeypatch.setenv("HAIXI_FACTS", str(MULTI))
    monkeypatch.setenv("HAIXI_SOURCES", str(MULTI_SOURCES))


@cache
def base():
    return load(MULTI)


@cache
def texts(lang: str) -> dict[str, views.SourceText]:
    return {x.source_id: x for x in views.source_texts(base(), lang, MULTI_SOURCES)}


def run(page: str, lang: str, **params) -> AppTest:
    """An AppTest of `page` on the fixture (the env set by fixture_env), run once."""
    at = AppTest.from_file(DASHBOARD, default_timeout=90)
    if page != "overview":
        at.switch_page(f"pages/{page}.py")
    at.query_params["lang"] = lang
    at.query_params.update(params)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def shown_sources(at: AppTest) -> set[str]:
    """The sources whose annotated text the page draws (by their paragraphs' anchors)."""
    bodies = "\n".join(h.proto.body for h in at.get("html"))
    return set(re.findall(r'id="([a-z0-9-]+)-line-\d+"', bodies))


def asked_lines(at: AppTest) -> list[int]:
    """The lines marked as asked for in the annotated text (the pinned passage's lines)."""
    bodies = "\n".join(h.proto.body for h in at.get("html"))
    return [int(n) for n in re.findall(r'paragraph[^"]* asked"[^>]*id="[a-z0-9-]+-line-(\d+)"',
                                       bodies)]


def pinned(at: AppTest) -> list[str]:
    """The text of each paragraph of the pinned passage (the block above the annotated text)."""
    (body,) = [h.proto.body for h in at.get("html") if 'class="annotated pinned"' in h.proto.body]
    found = re.findall(r'<(?:p|h3) class="source-text"[^>]*>(.*?)</(?:p|h3)>', body, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", x)) for x in found]


def test_the_fixture_has_the_three_sources_these_tests_name():
    assert [s.id for s in base().sources] == [NEWS, COMMUNIQUE, REPORT_2021]
    assert all(x.paragraphs and not x.problem for x in texts("en").values())


# --------------------------------------------------------------------------- every page


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", views.PAGES)
def test_every_page_of_the_fixture_renders(fixture_env, page, lang):
    at = run(page, lang)
    assert [x.value for x in at.title] == [views.page_title(page, lang)]
    intro = views.page(page, base(), lang).intro
    assert not intro or intro in [unescape(c.value) for c in at.caption]


@pytest.mark.parametrize("lang", LANGS)
def test_the_sidebar_credits_every_source(fixture_env, lang):
    at = run("overview", lang)
    note = views.source_note(base(), lang)
    assert note in [unescape(c.value) for c in at.sidebar.caption]
    for source in base().sources:
        assert views.source_title(source, lang) in note
    assert note != views.source_note(load(DEFAULT_FACTS), lang)


def test_the_wording_is_plural_where_there_are_several_sources():
    real = load(DEFAULT_FACTS)
    for name in ("sources", "text"):
        plural = nt(f"page.{name}.intro", f"page.{name}.intro.plural", 3, "en")
        assert views.page_intro(name, base(), "en") == plural != views.page_intro(name, real, "en")
    assert views.page("text", base(), "en").intro != views.page("text", real, "en").intro
    hl = {link.page: link.text for link in views.overview.highlights(base(), "en")}
    assert hl["text"].startswith("The 3 sources")


# --------------------------------------------------------------------------- the text page


@pytest.mark.parametrize("lang", LANGS)
def test_the_text_page_shows_one_source_the_reader_picks(fixture_env, lang):
    at = run("text", lang)
    (picker,) = at.selectbox
    assert picker.options == [texts(lang)[s].title for s in (NEWS, COMMUNIQUE, REPORT_2021)]
    assert shown_sources(at) == {NEWS}
    picker.set_value(COMMUNIQUE).run()
    assert not at.exception
    assert at.query_params["source"] == COMMUNIQUE
    assert shown_sources(at) == {COMMUNIQUE}
    # A line asked in one source does not follow the reader to another.
    at = run("text", lang, source=NEWS, line=str(texts(lang)[NEWS].paragraphs[0].line))
    at.selectbox[0].set_value(REPORT_2021).run()
    assert not at.exception
    assert "line" not in at.query_params and at.query_params["source"] == REPORT_2021
    assert shown_sources(at) == {REPORT_2021} and asked_lines(at) == []


@pytest.mark.parametrize("lang", LANGS)
def test_a_passage_is_addressed_by_source_and_line(fixture_env, lang):
    # A line every source has: only the named source's paragraph at it is pinned.
    text = texts(lang)[COMMUNIQUE]
    line = next(p.line for p in text.paragraphs
                if all(x.paragraph(p.line) for x in texts(lang).values()))
    at = run("text", lang, source=COMMUNIQUE, line=str(line))
    assert shown_sources(at) == {COMMUNIQUE}
    assert at.selectbox[0].value == COMMUNIQUE
    assert at.header[0].value.endswith(t("text.asked", lang))
    assert asked_lines(at) == [line]
    assert pinned(at) == ["".join(s.text for s in text.paragraph(line).spans)]
    assert not infos(at)


@pytest.mark.parametrize("lang", LANGS)
def test_an_unknown_source_gets_a_notice(fixture_env, lang):
    at = run("text", lang, source="no-such-source")
    assert t("notice.bad_param", lang, name="source") in infos(at)
    assert shown_sources(at) == {NEWS}


@pytest.mark.parametrize("lang", LANGS)
def test_a_line_without_a_source_is_the_first_sources_and_says_so(fixture_env, lang):
    text = texts(lang)[NEWS]
    line = text.paragraphs[-1].line
    at = run("text", lang, line=str(line))
    assert t("text.line_pinned_in", lang, line=line, title=text.title) in infos(at)
    assert shown_sources(at) == {NEWS}
    assert asked_lines(at) == [line]


@pytest.mark.parametrize("lang", LANGS)
def test_a_fact_pins_only_the_passage_of_its_own_source(fixture_env, lang):
    fact = next(f for f in base().facts if f.source.source == REPORT_2021)
    lines = texts(lang)[REPORT_2021].lines_of(fact.id)
    assert lines
    at = run("text", lang, fact=fact.id)
    assert shown_sources(at) == {REPORT_2021}
    assert asked_lines(at) == lines
    assert not infos(at)


@pytest.mark.parametrize("lang", LANGS)
def test_a_citation_links_to_its_passage_by_source_and_line(fixture_env, lang):
    fact = next(f for f in base().facts
                if f.source.source == COMMUNIQUE and f.topic in views.economy.ECONOMY_TOPICS)
    c = views.citation(base(), lang, fact.id, "", fact.source)
    assert c.source_id == COMMUNIQUE and c.line
    href = f"text?source={COMMUNIQUE}&line={c.line}&lang={lang}"
    at = run("sources", lang, fact=fact.id)
    (link,) = [x for x in at.get("page_link") if x.proto.label == t("text.in_context", lang)]
    assert f"source={COMMUNIQUE}" in link.proto.query_string
    assert f"line={c.line}" in link.proto.query_string
    at = run("economy", lang)
    markdown = "\n".join(unescape(m.value) for m in at.markdown)
    assert href in markdown  # the quote popovers of the economy page's cards


# --------------------------------------------------------------------------- every record


GDP_READINGS = ["per-capita-gdp", "per-capita-gdp-communique-2022", "per-capita-gdp-2021"]


@pytest.mark.parametrize("lang", LANGS)
def test_every_record_names_its_measure_period_and_source(lang):
    table = views.record_table(base(), lang)
    frame = table.frame.set_index(t("col.id", lang))
    for fact in base().facts:
        row = frame.loc[fact.id]
        assert row[t("col.measure", lang)] == fact.measure_id
        assert row[t("col.period", lang)] == str(fact.period)
        assert row[t("col.source", lang)] == texts(lang)[fact.source.source].title
    assert [p for p, _ in views.RECORD_FILTERS] == [f.param for f in table.facets]

    def kept(**chosen) -> list[str]:
        return [table.row_records[i] for i in views.filter_rows(table, chosen)]

    assert kept(measure=["per-capita-gdp"]) == GDP_READINGS
    assert kept(measure=["per-capita-gdp"], period=["2022"]) == GDP_READINGS[:2]
    assert kept(source=[REPORT_2021]) == ["per-capita-gdp-2021"]


@pytest.mark.parametrize("lang", LANGS)
def test_the_records_filters_are_in_the_address(fixture_env, lang):
    at = AppTest.from_file(DASHBOARD, default_timeout=90)
    at.session_state[OPEN_TABS] = {"sources": "records"}
    at.switch_page("pages/sources.py")
    at.query_params.update({"lang": lang, "measure": "per-capita-gdp", "period": "2022"})
    at.run()
    assert not at.exception and not infos(at), [e.value for e in at.exception]
    assert list(dataframe(at, "records-table")[t("col.id", lang)]) == GDP_READINGS[:2]
    at.multiselect(key="f_period").set_value([]).run()
    at.multiselect(key="f_source").set_value([REPORT_2021]).run()
    assert not at.exception
    assert list(dataframe(at, "records-table")[t("col.id", lang)]) == GDP_READINGS[2:]
    assert at.query_params["source"] == REPORT_2021 and "period" not in at.query_params


# --------------------------------------------------------------------------- the report


@pytest.mark.parametrize("lang", LANGS)
def test_the_report_of_the_fixture_has_each_source_under_its_heading(fixture_env, lang):
    out = report.build_report(base(), lang)
    ids = re.findall(r'\bid="([^"]+)"', out)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    for source_id, text in texts(lang).items():
        assert str(markupsafe.escape(text.title)) in out
        for p in text.paragraphs:
            assert f'id="{source_id}-line-{p.line}"' in out
    assert str(markupsafe.escape(views.source_note(base(), lang))) in out


# --------------------------------------------------------------------------- the tools


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_diff_from_the_real_base_to_the_fixture(capsys, fmt):
    assert main(["diff", str(DEFAULT_FACTS), str(MULTI), "--format", fmt]) == 0
    out = capsys.readouterr().out
    if fmt == "json":
        data = json.loads(out)
        assert data
    assert "per-capita-gdp" in out
    assert main(["diff", str(MULTI), str(MULTI), "--format", fmt]) == 0
    same = capsys.readouterr().out
    assert "per-capita-gdp" not in same


@pytest.mark.parametrize("fmt", ["csv", "json", "datapackage"])
def test_every_export_of_the_fixture_is_valid(tmp_path, monkeypatch, fmt):
    """Each format through the command line; every CSV written is a valid table to
    Frictionless (tests/test_export.py checks the package's schema and the columns)."""
    from frictionless import validate

    assert main(["export", "--format", fmt, str(tmp_path), "--facts", str(MULTI)]) == 0
    if fmt == "json":
        data = json.loads((tmp_path / export.JSON_FILE).read_text(encoding="utf-8"))
        assert {r["id"] for r in data["facts"]} == {f.id for f in base().facts}
        return
    written = sorted(tmp_path.glob("*.csv"))
    assert written
    monkeypatch.chdir(tmp_path)  # Frictionless reads a table by a relative path only
    for path in written:
        found = validate(path.name)
        assert found.valid, (path.name, [e.message for t_ in found.tasks for e in t_.errors])
    if fmt == "datapackage":
        assert validate(str(tmp_path / export.DESCRIPTOR_FILE)).valid
