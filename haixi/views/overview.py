"""The overview page: headline results, the year's milestones, one highlight per page."""

from __future__ import annotations

from haixi import measures
from haixi.formatting import format_quantity
from haixi.i18n import nt, pick, t
from haixi.schema import (
    Fact,
    FactBase,
    all_quotes,
)
from haixi.views.blocks import (
    Link,
    Links,
    PageView,
    Text,
    covered,
    figures,
    keep,
    milestone_item,
    page_title,
    records,
    section,
    source_titles,
)


def view(base: FactBase, lang: str) -> PageView:
    """Headline results, the year's milestones and one highlight per section."""
    intro = nt(
        "overview.intro",
        "overview.intro.plural",
        len(base.sources),
        lang,
        period=covered(base),
        region=pick(base.meta.region, lang),
        sources=source_titles(base, lang, quoted=True),
    )
    counts = Text(
        t(
            "overview.counts",
            lang,
            facts=nt("count.figures", "count.figures.plural", len(base.facts), lang),
            projects=nt("count.projects", "count.projects.plural", len(base.projects), lang),
            chains=nt("count.chains", "count.chains.plural", len(base.chains), lang),
        ),
        "caption",
    )
    # Each headline's card: its measure's readings of the headline's period (the latest), so
    # the card says what the other sources of that year report.
    shown = [
        r for h in measures.headline_readings(base)
        for r in measures.measure(base, h.measure_id).of(h.period)
    ]
    milestones = [milestone_item(base, lang, m) for m in base.milestones]
    return PageView(
        "overview",
        page_title("overview", lang),
        intro,
        keep(
            [
                section("intro", "", counts),
                section("headlines", t("overview.headlines", lang), figures(base, lang, shown)),
                section(
                    "milestones",
                    t("overview.milestones", lang),
                    records("cite-milestones", milestones),
                ),
                section("sections", t("overview.sections", lang), Links(highlights(base, lang))),
            ]
        ),
    )


def highlights(base: FactBase, lang: str) -> tuple[Link, ...]:
    """One highlight per section; a section whose figure the base lacks gets its link alone."""
    revenue = measures.latest(base, base.display.highlights.economy)
    stated = measures.latest(base, base.display.chain_count)
    holders = [p for p in base.projects if p.records]
    jobs = measures.latest(base, base.display.highlights.livelihood)

    def figure_text(fact: Fact | None) -> str:
        if fact is None:
            return ""
        return t("overview.hl_figure", lang, label=pick(fact.label, lang),
                 value=format_quantity(fact.quantity, lang))

    quotes = sum(1 for _ in all_quotes(base))
    texts = {
        "economy": figure_text(revenue),
        "chains": t(
            "overview.hl_chains",
            lang,
            listed=nt("count.industry_names", "count.industry_names.plural", len(base.chains), lang),
            stated=nt("count.chains", "count.chains.plural", int(stated.quantity.value), lang),
            reported=nt(
                "overview.hl_chains.reported",
                "overview.hl_chains.reported.plural",
                sum(1 for c in base.chains if base.projects_of(c.id)),
                lang,
            ),
        )
        if stated
        else "",
        "projects": nt(
            "overview.hl_projects",
            "overview.hl_projects.plural",
            len(base.projects),
            lang,
            projects=len(base.projects),
            record=pick(holders[-1].records[0].text, lang),
        )
        if holders
        else "",
        "livelihood": figure_text(jobs),
        "sources": t(
            "overview.hl_sources",
            lang,
            facts=nt("count.figures", "count.figures.plural", len(base.facts), lang),
            errata=nt("count.errata", "count.errata.plural", len(base.errata), lang),
        ),
        "text": nt("overview.hl_text", "overview.hl_text.plural", quotes, lang, quotes=quotes)
        if len(base.sources) < 2 else
        nt("overview.hl_texts", "overview.hl_texts.plural", quotes, lang, quotes=quotes,
           sources=len(base.sources)),
    }
    return tuple(Link(page, page_title(page, lang), text) for page, text in texts.items())

