"""The chains page: the chain-leader system, the stated count, every chain."""

from __future__ import annotations

from haixi import charts as charts_mod
from haixi import measures
from haixi.i18n import nt, pick, t
from haixi.schema import (
    FactBase,
    Topic,
)
from haixi.views.blocks import (
    Card,
    Cards,
    Figure,
    Figures,
    Group,
    PageView,
    Table,
    Text,
    chart_block,
    citation,
    document_item,
    fact_item,
    figure,
    figures,
    keep,
    milestone_item,
    page_title,
    project_rows,
    record_item,
    records,
    section,
)

CHAIN_SYSTEM = "chain-leader-system"


def view(base: FactBase, lang: str) -> PageView:
    """The chain-leader system, the stated count against the names listed, every chain."""
    system = next((p for p in base.programmes if p.id == CHAIN_SYSTEM), None)
    count = measures.latest(base, base.display.chain_count)
    listed = Figure(
        id="chains-listed",
        label=t("chains.listed_names", lang),
        value=str(len(base.chains)),
        qualifier="",
        phrase="",
        period="",
        stated="",
        note="",
        citation=None,
        warning=pick(count.note, lang) if count is not None and count.note else "",
    )
    intro_blocks: list = []
    if system is not None:
        intro_blocks.append(
            Cards(
                (
                    Card(
                        system.id,
                        pick(system.name, lang),
                        (pick(system.description, lang),),
                        citation(base, lang, system.id, pick(system.name, lang), system.source),
                    ),
                ),
                1,
            )
        )
    counted = (figure(base, lang, count),) if count is not None else ()
    intro_blocks.append(Figures((*counted, listed), 2))
    documents = [document_item(base, lang, d) for d in base.documents if d.topic is Topic.chains]
    programmes = [
        p for p in base.programmes if p.topic is Topic.chains and p.id != CHAIN_SYSTEM
    ]
    programme_cards = tuple(
        Card(
            p.id,
            pick(p.name, lang),
            (
                pick(p.description, lang),
                t("chains.programme_projects", lang,
                  n=sum(1 for x in base.projects if p.id in x.programmes)),
            ),
            citation(base, lang, p.id, pick(p.name, lang), p.source),
        )
        for p in programmes
    )
    milestones = [milestone_item(base, lang, m) for m in base.milestones if m.topic is Topic.chains]
    chain_facts = [f for f in base.facts if f.topic is Topic.chains and f.measure_id != base.display.chain_count]
    # A chain lists and counts the readings of the fact base's latest period, as the overview's
    # headlines do, so its count never adds two years' readings of one measure; earlier periods'
    # readings are on their topic's page and in their measure's series.
    years = measures.periods(base)
    groups = []
    for chain in sorted(base.chains, key=lambda c: c.position):
        projects = base.projects_of(chain.id)
        facts = [f for f in base.facts_of(chain.id) if years and f.period == years[-1]]
        blocks: list = []
        if chain.note:
            blocks.append(Text(pick(chain.note, lang), "info"))
        if not (projects or facts or chain.highlights):
            blocks.append(Text(t("chains.nothing_reported", lang), "caption"))
        if projects:
            frame, _, _ = project_rows(base, lang, projects, full=False)
            blocks.append(Table(f"chain-table-{chain.id}", frame))
        items = [fact_item(base, lang, f) for f in facts]
        items += [
            record_item(base, lang, chain.id, "statement", "", pick(h.text, lang), "", h.source)
            for h in chain.highlights
        ]
        blocks += records(f"cite-chain-{chain.id}", items)
        groups.append(
            Group(
                f"chain-{chain.id}",
                chain.id,
                f"{chain.position}. {pick(chain.name, lang)} · "
                + t(
                    "chains.counts",
                    lang,
                    projects=nt("count.projects", "count.projects.plural", len(projects), lang),
                    facts=nt("count.figures", "count.figures.plural", len(facts), lang),
                ),
                tuple(blocks),
                original=chain.name.zh if lang == "en" else "",
            )
        )
    return PageView(
        "chains",
        page_title("chains", lang),
        "",
        keep(
            [
                section("system", "", tuple(intro_blocks), records("cite-documents", documents)),
                section(
                    "programmes",
                    t("chains.programmes", lang),
                    Cards(programme_cards, max(1, len(programme_cards))) if programme_cards else (),
                ),
                section(
                    "reported",
                    t("chains.reported", lang),
                    chart_block(base, lang, charts_mod.chains_overview, "chains-overview"),
                    chart_block(base, lang, charts_mod.chain_hierarchy, "chain-hierarchy"),
                    figures(base, lang, chain_facts),
                    records("cite-chain-milestones", milestones),
                ),
                section(
                    "each",
                    t("chains.each", lang),
                    tuple(groups),
                    help=t("chains.classification_note", lang),
                ),
            ]
        ),
    )

