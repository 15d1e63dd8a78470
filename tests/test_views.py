"""The page views, tested directly: which records each page shows, in what order and words."""

from __future__ import annotations

from functools import cache

import pytest

from haixi import charts, views
from haixi.formatting import format_quantity
from haixi.i18n import LANGS, enum_label, pick, t
from haixi.loader import load
from haixi.paths import DEFAULT_FACTS
from haixi.schema import RECORD_SECTIONS, Area, Stage, Topic, record_label

ECONOMY = {Topic.economy, Topic.fiscal, Topic.industry}


@cache
def base():
    return load(DEFAULT_FACTS)


def blocks_of(view: views.PageView, kind: type) -> list:
    return [b for b in view.blocks() if isinstance(b, kind)]


def figure_ids(view: views.PageView) -> list[str]:
    return [f.id for b in blocks_of(view, views.Figures) for f in b.figures]


def item_ids(view: views.PageView) -> list[str]:
    return [i.id for b in blocks_of(view, views.Records) for i in b.items]


def section(view: views.PageView, ident: str) -> views.Section:
    return next(s for s in view.sections if s.id == ident)


@pytest.mark.parametrize("lang", LANGS)
def test_overview_shows_the_headlines_every_milestone_and_a_link_per_page(lang):
    view = views.page("overview", base(), lang)
    assert view.title == t("page.overview", lang)
    assert figure_ids(view) == [f.id for f in base().facts if f.headline]
    assert item_ids(view) == [m.id for m in base().milestones]
    (links,) = blocks_of(view, views.Links)
    assert [link.page for link in links.links] == [p for p in views.PAGES if p != "overview"]
    revenue = base().fact("local-general-budget-revenue")
    assert format_quantity(revenue.quantity, lang) in links.links[0].text


@pytest.mark.parametrize("lang", LANGS)
def test_a_figure_card_carries_value_qualifier_period_and_quote(lang):
    fact = base().fact("local-general-budget-revenue")  # "at least", with the text's own words
    card = views.figure(base(), lang, fact)
    assert card.value == format_quantity(fact.quantity, lang)
    assert card.qualifier == enum_label(fact.quantity.qualifier, lang)
    assert card.phrase and card.phrase in card.badges
    assert card.period == t("label.period", lang, year=fact.period)
    assert card.stated == fact.quantity.stated
    assert card.citation.quote == fact.source.quote and card.citation.line
    exact = views.figure(base(), lang, base().fact("per-capita-gdp"))
    assert exact.qualifier == "" and exact.badges == [exact.period]


@pytest.mark.parametrize("lang", LANGS)
def test_economy_shows_its_topics_and_every_document_as_a_list(lang):
    view = views.page("economy", base(), lang)
    assert figure_ids(view) == [
        f.id for f in base().facts if f.topic in ECONOMY | {Topic.business_environment,
                                                            Topic.strategy}
    ]
    documents = [i for b in blocks_of(view, views.Records) for i in b.items if i.kind == "document"]
    assert [d.id for d in documents] == [
        d.id for d in sorted(base().documents, key=lambda d: d.position)
    ]
    assert not blocks_of(view, views.ChartBlock), "the documents compare nothing: no chart"
    listed = set(item_ids(view))
    for p in base().programmes:
        if p.topic in ECONOMY | {Topic.business_environment, Topic.strategy}:
            assert p.id in listed
    for m in base().milestones:
        assert (m.id in listed) == (m.topic in ECONOMY)


@pytest.mark.parametrize("lang", LANGS)
def test_a_milestones_year_reads_the_same_everywhere(lang):
    for name in ("overview", "economy", "livelihood", "chains"):
        for item in (i for i in (views.page(name, base(), lang).blocks())
                     if isinstance(i, views.Records)):
            for entry in item.items:
                if entry.kind == "milestone":
                    m = base().by_id(entry.id)
                    assert entry.lead == views.year_text(m.period, lang)
                    assert entry.lead in (t("label.period", lang, year=m.period),
                                          t("label.no_year", lang))


@pytest.mark.parametrize("lang", LANGS)
def test_livelihood_groups_show_every_fact_and_record_of_their_topics(lang):
    view = views.page("livelihood", base(), lang)
    for heading, topics, chart in views.livelihood.LIVELIHOOD_GROUPS:
        facts = [f.id for f in base().facts if f.topic in topics]
        found = [s for s in view.sections if s.title == t(heading, lang)]
        if not found:
            assert not facts and chart is None
            continue
        part = found[0]
        assert [f.id for b in part.blocks if isinstance(b, views.Figures) for f in b.figures] == facts
        drawn = [b.builder for b in part.blocks if isinstance(b, views.ChartBlock)]
        assert drawn == ([charts.BUILDERS[chart]] if chart else [])
    priorities = section(view, "priorities")
    assert [b.title for b in priorities.blocks] == [
        enum_label(a, lang) for a in Area if any(p.area is a for p in base().priorities)
    ]
    assert [i.id for b in priorities.blocks for i in b.items] == sorted(
        (p.id for p in base().priorities), key=lambda i: list(Area).index(base().by_id(i).area)
    )


@pytest.mark.parametrize("lang", LANGS)
def test_chains_shows_the_count_against_the_names_and_every_chain(lang):
    view = views.page("chains", base(), lang)
    first = view.sections[0]
    (counts,) = [b for b in first.blocks if isinstance(b, views.Figures)]
    assert [f.id for f in counts.figures] == ["chain-count-stated", "chains-listed"]
    assert counts.figures[1].value == str(len(base().chains))
    groups = blocks_of(view, views.Group)
    ordered = sorted(base().chains, key=lambda c: c.position)
    assert [g.id for g in groups] == [c.id for c in ordered]
    for group, chain in zip(groups, ordered, strict=True):
        assert group.title.startswith(f"{chain.position}. {pick(chain.name, lang)} · ")
        assert (group.original == chain.name.zh) == (lang == "en")
        facts = [i.id for b in group.blocks if isinstance(b, views.Records) for i in b.items
                 if i.kind == "fact"]
        assert facts == [f.id for f in base().facts_of(chain.id)]
        tables = [b for b in group.blocks if isinstance(b, views.Table)]
        outputs = [o for p in base().projects_of(chain.id) for o in p.outputs]
        assert sum(len(tb.frame) for tb in tables) == len(outputs)


@pytest.mark.parametrize("lang", LANGS)
def test_projects_table_leads_with_the_name_and_keeps_the_id(lang):
    table = views.project_table(base(), lang)
    columns = list(table.frame.columns)
    assert columns[0] == t("col.project", lang)
    assert columns[-1] == t("col.id", lang)
    outputs = [(p, o) for p in base().projects for o in p.outputs]
    assert list(table.row_records) == [p.id for p, _ in outputs]
    assert list(table.frame[t("col.capacity", lang)]) == [
        format_quantity(o.capacity, lang) if o.capacity else "" for _, o in outputs
    ]
    assert [f.param for f in table.facets] == [p for p, _ in views.PROJECT_FILTERS]
    assert t("col.quote", lang) in table.originals


def test_filter_rows_keeps_rows_that_match_every_filter():
    table = views.project_table(base(), "en")
    everything = views.filter_rows(table, {})
    assert everything == list(range(len(table.frame)))
    started = views.filter_rows(table, {"stage": ["started"]})
    assert started and all(
        base().find_project(table.row_records[i]).stage is Stage.started for i in started
    )
    none = views.filter_rows(table, {"stage": ["started"], "chain": ["no-such-chain"]})
    assert none == []
    name = table.frame.iloc[0][t("col.project", "en")]
    found = views.filter_rows(table, {}, name.upper())
    assert 0 in found and len(found) < len(table.frame)


@pytest.mark.parametrize("lang", LANGS)
def test_sources_lists_every_record_with_its_quote(lang):
    view = views.page("sources", base(), lang)
    (records,) = blocks_of(view, views.FilteredTable)
    expected = [r for s in views.TABLE_SECTIONS for r in getattr(base(), s)]
    assert list(records.row_records) == [r.id for r in expected]
    assert list(records.frame[t("col.label", lang)]) == [pick(record_label(r), lang) for r in expected]
    assert list(records.frame[t("col.quote", lang)]) == [r.source.quote for r in expected]
    errata = [b for b in blocks_of(view, views.Table) if b.key == "errata-table"][0]
    assert list(errata.ids) == [e.id for e in base().errata]


@pytest.mark.parametrize("lang", LANGS)
def test_record_detail_finds_any_kind_of_record(lang):
    for name in RECORD_SECTIONS:
        record = getattr(base(), name)[0]
        detail = views.record_detail(base(), lang, record.id)
        assert detail is not None and detail.id == record.id
        assert detail.citations
    assert views.record_detail(base(), lang, "no-such-record") is None


def test_views_carry_plain_text_not_markup():
    """A label with Markdown and HTML characters reaches the view as it is: renderers escape."""
    b = base()
    odd = "**x** <b>y</b> [z](http://e)"
    facts = [b.facts[0].model_copy(update={"label": b.facts[0].label.model_copy(
        update={"en": odd})}), *b.facts[1:]]
    view = views.page("overview", b.model_copy(update={"facts": facts}), "en")
    assert odd in [f.label for blk in blocks_of(view, views.Figures) for f in blk.figures]


@pytest.mark.parametrize("name", views.PAGES)
def test_every_block_kind_has_both_renderers(name):
    from pathlib import Path

    from haixi import render_st

    templates = Path(views.__file__).parent.parent / "templates" / "blocks"
    for block in views.page(name, base(), "en").blocks():
        assert type(block) in render_st.RENDERERS
        assert (templates / f"{type(block).__name__}.html.j2").is_file()


@pytest.mark.parametrize("name", views.PAGES)
def test_split_keeps_the_untitled_lead_above_the_tabs(name):
    view = views.page(name, base(), "en")
    lead, tabbed = view.split()
    assert (*lead, *tabbed) == view.sections
    if not view.tabs:
        assert tabbed == ()
        return
    assert tabbed and all(s.title for s in tabbed) and not any(s.title for s in lead)
    if name == "projects":
        assert [s.id for s in lead] == ["table"]  # the filters and the table stay above


def test_the_annotated_source_html_is_drawn_once_per_view_and_asked_lines(monkeypatch):
    """render_st caches the annotated source's HTML by the (cached) view's identity
    (haixi.memo): the same block gives the same HTML without drawing it again, other asked
    lines or another block object (a new fact-base or sources version) draw it anew."""
    from haixi import render_st

    drawn = []
    fragment = render_st._source_fragment
    monkeypatch.setattr(render_st, "_source_fragment",
                        lambda *a, **k: drawn.append(a) or fragment(*a, **k))
    (block,) = blocks_of(views.page("text", base(), "en"), views.Annotated)
    first = render_st._annotated_body(block, "en", ())
    again = render_st._annotated_body(block, "en", ())
    assert again is first
    marked = render_st._annotated_body(block, "en", (block.text.paragraphs[0].line,))
    (other,) = blocks_of(views.page("text", base(), "en"), views.Annotated)
    assert other is not block
    redrawn = render_st._annotated_body(other, "en", ())
    assert len(drawn) == 3
    assert redrawn == first and redrawn is not first
    assert marked != first  # the asked line is marked where it stands
